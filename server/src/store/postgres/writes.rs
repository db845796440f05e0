//! A write transaction on PostgreSQL: the environment's row locked (`FOR UPDATE`) from the
//! start, so writers to one environment take turns across every server; rows written with the
//! version the commit gives the environment; calls and messages inserted in batches of
//! column arrays (`UNNEST`), thousands of rows per statement.

use deadpool_postgres::Object;
use dialback_core::{AgentRecord, CallRecord, MessageRecord, NumberResource};
use tokio_postgres::error::SqlState;

use super::{PgStore, pg};
use crate::store::decode::{id64, to_json};
use crate::store::{EnvId, Result, StoreError, Version, Writes};

/// Rows per `INSERT … SELECT FROM UNNEST(…)`: large enough that a round trip is cheap beside
/// the rows, small enough that one statement's arrays stay a few megabytes.
const BATCH: usize = 5_000;

/// The connection a transaction runs on. It goes back to the pool only once the transaction
/// is over (committed or rolled back); dropped before that (a statement abandoned when its
/// call timed out), it is closed instead, and the server rolls the transaction back. A
/// pooled connection is therefore never inside someone else's transaction.
pub(super) struct TxConn(Option<Object>);

impl TxConn {
    pub(super) fn new(client: Object) -> Self {
        TxConn(Some(client))
    }

    pub(super) fn client(&self) -> Result<&Object> {
        self.0
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable("the transaction's connection was lost".into()))
    }

    /// The transaction is over: back to the pool.
    fn finish(mut self) {
        drop(self.0.take());
    }
}

impl Drop for TxConn {
    fn drop(&mut self) {
        if let Some(client) = self.0.take() {
            drop(Object::take(client));
        }
    }
}

/// See the module docs.
pub struct PgWrites<'s> {
    pub(super) store: &'s PgStore,
    /// The connection holding the transaction (`None` only while a statement runs).
    pub(super) client: Option<TxConn>,
    pub(super) env: EnvId,
    /// The version this transaction commits.
    pub(super) version: i64,
    /// Whether agents or numbers changed.
    pub(super) directory: bool,
}

impl PgWrites<'_> {
    /// Runs statements on the transaction's connection.
    fn on<T, F, Fut>(&mut self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(TxConn) -> Fut,
        Fut: Future<Output = (TxConn, Result<T>)> + Send + 'static,
    {
        let client = self.client.take().ok_or_else(|| {
            StoreError::Unavailable("the transaction's connection was lost".into())
        })?;
        let (client, result) = self.store.run(f(client))?;
        self.client = Some(client);
        result
    }
}

impl Drop for PgWrites<'_> {
    fn drop(&mut self) {
        // not committed: roll back before the connection goes back to the pool (a connection
        // that cannot roll back is closed, and the pool discards it)
        if let (Some(conn), Some(rt)) = (self.client.take(), self.store.rt.as_ref()) {
            rt.spawn(async move {
                let rolled_back = match conn.client() {
                    Ok(c) => c.batch_execute("ROLLBACK").await.is_ok(),
                    Err(_) => false,
                };
                if rolled_back {
                    conn.finish();
                }
            });
        }
    }
}

impl Writes for PgWrites<'_> {
    fn write_agent(
        &mut self,
        agent: Option<&AgentRecord>,
        numbers: &[NumberResource],
    ) -> Result<()> {
        self.directory = true;
        let env = self.env;
        let agent = agent
            .map(|a| -> Result<_> {
                Ok((
                    a.id.to_string(),
                    a.name.clone(),
                    a.direction.as_str(),
                    a.callback_config.as_ref().map(to_json).transpose()?,
                    a.status.as_str(),
                    to_json(&a.profile)?,
                    a.created_at.unix_seconds(),
                    a.updated_at.unix_seconds(),
                ))
            })
            .transpose()?;
        let numbers: Vec<_> = numbers
            .iter()
            .map(|n| {
                (
                    n.id.to_string(),
                    n.agent.map(|a| a.to_string()),
                    i64::from(n.position),
                    n.number.to_string(),
                    n.created_at.unix_seconds(),
                    n.updated_at.unix_seconds(),
                )
            })
            .collect();
        self.on(move |conn| async move {
            let result = async {
                let client = conn.client()?;
                if let Some((id, name, dir, config, status, profile, created, updated)) = &agent {
                    client
                        .execute(
                            "INSERT INTO agents (id, environment_id, seq, name, direction, \
                             callback_config, status, profile, created_at, updated_at) \
                             VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM agents \
                             WHERE environment_id = $2), $3, $4, $5, $6, $7, $8, $9) \
                             ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
                             direction = excluded.direction, \
                             callback_config = excluded.callback_config, \
                             status = excluded.status, profile = excluded.profile, \
                             updated_at = excluded.updated_at \
                             WHERE agents.environment_id = excluded.environment_id",
                            &[
                                id, &env, name, dir, config, status, profile, created, updated,
                            ],
                        )
                        .await
                        .map_err(pg)?;
                }
                let upsert = client
                    .prepare_cached(
                        "INSERT INTO phone_numbers (id, environment_id, agent_id, position, \
                         number, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                         ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, \
                         position = excluded.position, updated_at = excluded.updated_at \
                         WHERE phone_numbers.environment_id = excluded.environment_id",
                    )
                    .await
                    .map_err(pg)?;
                for (id, agent, position, number, created, updated) in &numbers {
                    let done = client
                        .execute(
                            &upsert,
                            &[id, &env, agent, position, number, created, updated],
                        )
                        .await;
                    if let Err(e) = done {
                        return Err(if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                            StoreError::NumberExists(number.clone())
                        } else {
                            pg(e)
                        });
                    }
                }
                Ok(())
            }
            .await;
            (conn, result)
        })
    }

    fn insert_batch(&mut self, calls: &[CallRecord], messages: &[MessageRecord]) -> Result<()> {
        for chunk in calls.chunks(BATCH) {
            self.insert_calls(chunk)?;
        }
        for chunk in messages.chunks(BATCH) {
            self.insert_messages(chunk)?;
        }
        Ok(())
    }

    fn webhooks(&mut self) -> Result<Vec<dialback_core::webhook::Webhook>> {
        let env = self.env;
        self.on(move |conn| async move {
            let result = match conn.client() {
                Ok(c) => super::outbox::webhooks_on(c, env).await,
                Err(e) => Err(e),
            };
            (conn, result)
        })
    }

    fn enqueue(&mut self, deliveries: &[crate::store::outbox::NewDelivery]) -> Result<()> {
        if deliveries.is_empty() {
            return Ok(());
        }
        let (env, deliveries) = (self.env, deliveries.to_vec());
        self.on(move |conn| async move {
            let result = match conn.client() {
                Ok(c) => super::outbox::insert_deliveries(c, env, &deliveries).await,
                Err(e) => Err(e),
            };
            (conn, result)
        })
    }

    fn log_events(&mut self, events: &[crate::store::events::NewEvent]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let (env, events) = (self.env, events.to_vec());
        self.on(move |conn| async move {
            let result = match conn.client() {
                Ok(c) => super::events::insert_events(c, env, &events).await,
                Err(e) => Err(e),
            };
            (conn, result)
        })
    }

    fn receipt(
        &mut self,
        source: i64,
        delivery_id: &str,
        signature: &str,
        at: dialback_core::Timestamp,
    ) -> Result<crate::store::sources::Seen> {
        use crate::store::sources::Seen;
        let (id, sig, at) = (
            delivery_id.to_owned(),
            signature.to_owned(),
            at.unix_seconds(),
        );
        self.on(move |conn| async move {
            let result = async {
                let c = conn.client()?;
                // the environment's write lock is held: no other write inserts this id now
                let before = c
                    .query_opt(
                        "SELECT signature FROM source_receipts WHERE source_id = $1 \
                         AND delivery_id = $2",
                        &[&source, &id],
                    )
                    .await
                    .map_err(pg)?;
                Ok(match before {
                    Some(row) if row.get::<_, &str>(0) == sig => Seen::Replayed,
                    Some(_) => Seen::Retried,
                    None => {
                        c.execute(
                            "INSERT INTO source_receipts (source_id, delivery_id, signature, \
                             received_at) VALUES ($1, $2, $3, $4)",
                            &[&source, &id, &sig, &at],
                        )
                        .await
                        .map_err(pg)?;
                        Seen::New
                    }
                })
            }
            .await;
            (conn, result)
        })
    }

    fn commit(mut self: Box<Self>) -> Result<Version> {
        let (env, version, directory) = (self.env, self.version, self.directory);
        self.on(move |conn| async move {
            let result = async {
                let client = conn.client()?;
                client
                    .execute(
                        "UPDATE environments SET version = $2, directory_version = \
                         CASE WHEN $3 THEN $2 ELSE directory_version END WHERE id = $1",
                        &[&env, &version, &directory],
                    )
                    .await
                    .map_err(pg)?;
                // delivered to the other servers when (and only if) the commit succeeds
                client
                    .execute(
                        "SELECT pg_notify($1, $2)",
                        &[&super::CHANNEL, &format!("{env}:{version}")],
                    )
                    .await
                    .map_err(pg)?;
                // a connection lost during COMMIT leaves it unknown whether it committed:
                // never "unavailable, nothing written"
                client
                    .batch_execute("COMMIT")
                    .await
                    .map_err(|e| match pg(e) {
                        StoreError::Unavailable(why) => StoreError::NoAnswer(format!(
                            "the answer to COMMIT was lost ({why}): it may have committed"
                        )),
                        other => other,
                    })
            }
            .await;
            (conn, result)
        })?;
        // committed: the connection goes back to the pool
        if let Some(conn) = self.client.take() {
            conn.finish();
        }
        Ok(u64::try_from(version).unwrap_or(0))
    }
}

impl PgWrites<'_> {
    fn insert_calls(&mut self, calls: &[CallRecord]) -> Result<()> {
        let n = calls.len();
        let mut ids = Vec::with_capacity(n);
        let mut external = Vec::with_capacity(n);
        let mut direction = Vec::with_capacity(n);
        let mut agent = Vec::with_capacity(n);
        let mut from = Vec::with_capacity(n);
        let mut to = Vec::with_capacity(n);
        let mut started = Vec::with_capacity(n);
        let mut status = Vec::with_capacity(n);
        let mut duration = Vec::with_capacity(n);
        let mut routing = Vec::with_capacity(n);
        for c in calls {
            ids.push(id64(c.id.0)?);
            external.push(c.external_id.clone());
            direction.push(c.direction.as_str());
            agent.push(c.agent_id.map(|a| a.to_string()));
            from.push(c.from.clone());
            to.push(c.to.to_string());
            started.push(c.started_at.unix_seconds());
            status.push(c.status.as_str());
            duration.push(i64::from(c.duration_seconds));
            routing.push(c.routing.as_ref().map(to_json).transpose()?);
        }
        let (env, version) = (self.env, self.version);
        self.on(move |conn| async move {
            let result = async {
                conn.client()?
                    .execute(
                        "INSERT INTO calls (environment_id, version, id, external_id, direction, \
                     agent_id, from_number, to_number, started_at, status, duration_seconds, \
                     routing) SELECT $1, $2, * FROM UNNEST($3::bigint[], $4::text[], \
                     $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::text[], \
                     $11::bigint[], $12::text[])",
                        &[
                            &env, &version, &ids, &external, &direction, &agent, &from, &to,
                            &started, &status, &duration, &routing,
                        ],
                    )
                    .await
                    .map(|_| ())
                    .map_err(|e| {
                        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                            StoreError::ExternalIdExists(e.to_string())
                        } else {
                            pg(e)
                        }
                    })
            }
            .await;
            (conn, result)
        })
    }

    fn insert_messages(&mut self, messages: &[MessageRecord]) -> Result<()> {
        let n = messages.len();
        let mut ids = Vec::with_capacity(n);
        let mut agent = Vec::with_capacity(n);
        let mut direction = Vec::with_capacity(n);
        let mut from = Vec::with_capacity(n);
        let mut to = Vec::with_capacity(n);
        let mut sent = Vec::with_capacity(n);
        for m in messages {
            ids.push(id64(m.id)?);
            agent.push(m.agent_id.map(|a| a.to_string()));
            direction.push(m.direction.as_str());
            from.push(m.from.to_string());
            to.push(m.to.to_string());
            sent.push(m.sent_at.unix_seconds());
        }
        let (env, version) = (self.env, self.version);
        self.on(move |conn| async move {
            let result = async {
                conn.client()?
                    .execute(
                        "INSERT INTO messages (environment_id, version, id, agent_id, direction, \
                     from_number, to_number, sent_at) SELECT $1, $2, * FROM UNNEST(\
                     $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], \
                     $8::bigint[])",
                        &[&env, &version, &ids, &agent, &direction, &from, &to, &sent],
                    )
                    .await
                    .map(|_| ())
                    .map_err(pg)
            }
            .await;
            (conn, result)
        })
    }
}
