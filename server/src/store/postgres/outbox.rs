//! [`Outbox`] on PostgreSQL. Claims take rows with `FOR UPDATE SKIP LOCKED`: replicas
//! claiming at once take different deliveries, and none waits for another.

use deadpool_postgres::GenericClient;
use dialback_core::Timestamp;
use dialback_core::webhook::Webhook;
use dialback_core::webhook::delivery::{Delivery, DeliveryStatus};
use tokio_postgres::types::ToSql;

use super::{PgStore, pg};
use crate::store::decode::{corrupt, json, to_json};
use crate::store::outbox::{Claimed, Finished, Grouped, NewDelivery, Outbox, Scope};
use crate::store::{EnvId, Result};

pub(super) const INSERT_DELIVERY: &str = "INSERT INTO webhook_deliveries (id, environment_id, \
     webhook_id, event, channel, message_id, body, status, max_attempts, next_attempt_ms, \
     created_ms, test) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $9, $10)";

/// Inserts deliveries on `client` (a write's transaction, or a test's).
pub(super) async fn insert_deliveries(
    client: &impl GenericClient,
    env: EnvId,
    ds: &[NewDelivery],
) -> Result<()> {
    let stmt = client.prepare(INSERT_DELIVERY).await.map_err(pg)?;
    for d in ds {
        client
            .execute(
                &stmt,
                &[
                    &d.id,
                    &env,
                    &d.webhook_id,
                    &d.event,
                    &d.channel,
                    &d.message_id,
                    &d.body,
                    &i32::from(d.attempts),
                    &d.created_ms,
                    &d.test,
                ],
            )
            .await
            .map_err(pg)?;
    }
    Ok(())
}

/// An environment's webhooks on `client`.
pub(super) async fn webhooks_on(client: &impl GenericClient, env: EnvId) -> Result<Vec<Webhook>> {
    let rows = client
        .query(
            "SELECT config FROM webhooks WHERE environment_id = $1 ORDER BY created_at, id",
            &[&env],
        )
        .await
        .map_err(pg)?;
    rows.iter()
        .map(|r| json("webhook", r.get::<_, &str>(0)))
        .collect()
}

fn ms_to_ts(ms: Option<i64>) -> Option<Timestamp> {
    ms.and_then(|m| Timestamp::from_unix_seconds(m.div_euclid(1000)))
}

fn delivery(r: &tokio_postgres::Row) -> Result<Delivery> {
    let status: String = r.get("status");
    let pending = status == "pending";
    Ok(Delivery {
        id: r.get("id"),
        webhook_id: r.get("webhook_id"),
        event: r.get("event"),
        channel: r.get("channel"),
        message_id: r.get("message_id"),
        status: DeliveryStatus::parse(&status)
            .ok_or_else(|| corrupt(format!("delivery status {status:?}")))?,
        attempts: u8::try_from(r.get::<_, i32>("attempts")).unwrap_or(u8::MAX),
        http_status: r
            .get::<_, Option<i32>>("http_status")
            .and_then(|s| u16::try_from(s).ok()),
        error: r.get("error"),
        response_body: r.get("response_body"),
        last_attempt_at: ms_to_ts(r.get("last_attempt_ms")),
        next_attempt_at: if pending {
            ms_to_ts(r.get("next_attempt_ms"))
        } else {
            None
        },
        created_at: ms_to_ts(Some(r.get("created_ms"))).unwrap_or(Timestamp::EPOCH),
        response_ms: r
            .get::<_, Option<i64>>("response_ms")
            .map(|n| n.max(0) as u64),
        test: r.get("test"),
    })
}

type Args = Vec<Box<dyn ToSql + Send + Sync>>;

fn scope_sql(env: EnvId, scope: &Scope) -> (String, Args) {
    let mut args: Args = vec![Box::new(env)];
    let mut sql = String::from("environment_id = $1");
    if let Some(hooks) = &scope.webhooks {
        args.push(Box::new(hooks.clone()));
        sql.push_str(&format!(" AND webhook_id = ANY(${})", args.len()));
    }
    if let Some(since) = scope.since {
        args.push(Box::new(since.saturating_mul(1000)));
        sql.push_str(&format!(" AND created_ms >= ${}", args.len()));
    }
    if !scope.tests {
        sql.push_str(" AND NOT test");
    }
    (sql, args)
}

fn refs(args: &Args) -> Vec<&(dyn ToSql + Sync)> {
    args.iter()
        .map(|a| a.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

impl Outbox for PgStore {
    fn webhooks_of(&self, env: EnvId) -> Result<Vec<Webhook>> {
        self.with(move |c| async move { webhooks_on(&c, env).await })
    }

    fn enabled_webhooks(&self) -> Result<Vec<(EnvId, Webhook)>> {
        self.with(|c| async move {
            let rows = c
                .query(
                    "SELECT environment_id, config FROM webhooks WHERE enabled \
                     ORDER BY created_at, id",
                    &[],
                )
                .await
                .map_err(pg)?;
            rows.iter()
                .map(|r| Ok((r.get(0), json("webhook", r.get::<_, &str>(1))?)))
                .collect()
        })
    }

    fn put_webhook(&self, env: EnvId, w: &Webhook) -> Result<()> {
        let (id, api, agent, enabled, config, created) = (
            w.id.clone(),
            w.api.as_str(),
            w.agent.map(|a| a.to_string()),
            w.enabled,
            to_json(w)?,
            w.created_at.unix_seconds(),
        );
        self.with(move |c| async move {
            c.execute(
                "INSERT INTO webhooks (id, environment_id, api, agent_id, enabled, config, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, \
                 enabled = excluded.enabled, config = excluded.config \
                 WHERE webhooks.environment_id = excluded.environment_id",
                &[&id, &env, &api, &agent, &enabled, &config, &created],
            )
            .await
            .map_err(pg)?;
            Ok(())
        })
    }

    fn delete_webhook(&self, env: EnvId, id: &str, at_ms: i64) -> Result<bool> {
        let id = id.to_owned();
        self.with(move |mut c| async move {
            let tx = c.transaction().await.map_err(pg)?;
            let gone = tx
                .execute(
                    "DELETE FROM webhooks WHERE environment_id = $1 AND id = $2",
                    &[&env, &id],
                )
                .await
                .map_err(pg)?;
            tx.execute(
                "UPDATE webhook_deliveries SET status = 'failed', next_attempt_ms = NULL, \
                 error = 'the webhook was deleted', \
                 last_attempt_ms = coalesce(last_attempt_ms, $3) \
                 WHERE environment_id = $1 AND webhook_id = $2 AND status = 'pending'",
                &[&env, &id, &at_ms],
            )
            .await
            .map_err(pg)?;
            tx.commit().await.map_err(pg)?;
            Ok(gone == 1)
        })
    }

    fn claim(
        &self,
        webhook_id: &str,
        now_ms: i64,
        lease_until_ms: i64,
        max: usize,
    ) -> Result<Vec<Claimed>> {
        let id = webhook_id.to_owned();
        let max = max as i64;
        self.with(move |c| async move {
            let rows = c
                .query(
                    "UPDATE webhook_deliveries SET next_attempt_ms = $3, attempts = attempts + 1 \
                     WHERE seq IN (SELECT seq FROM webhook_deliveries \
                         WHERE webhook_id = $1 AND status = 'pending' AND next_attempt_ms <= $2 \
                         ORDER BY next_attempt_ms LIMIT $4 FOR UPDATE SKIP LOCKED) \
                     RETURNING seq, environment_id, id, webhook_id, body, attempts, created_ms",
                    &[&id, &now_ms, &lease_until_ms, &max],
                )
                .await
                .map_err(pg)?;
            Ok(rows
                .iter()
                .map(|r| Claimed {
                    seq: r.get(0),
                    env: r.get(1),
                    id: r.get(2),
                    webhook_id: r.get(3),
                    body: r.get(4),
                    attempt: u8::try_from(r.get::<_, i32>(5)).unwrap_or(u8::MAX),
                    created_ms: r.get(6),
                })
                .collect())
        })
    }

    fn finish(&self, seq: i64, attempt: u8, f: &Finished) -> Result<()> {
        let f = f.clone();
        let attempt = i32::from(attempt);
        self.with(move |c| async move {
            c.execute(
                "UPDATE webhook_deliveries SET status = $3, next_attempt_ms = $4, \
                 http_status = $5, error = $6, response_body = $7, response_ms = $8, \
                 last_attempt_ms = $9 WHERE seq = $1 AND attempts = $2 AND status = 'pending'",
                &[
                    &seq,
                    &attempt,
                    &f.status.as_str(),
                    &f.next_ms,
                    &f.http_status.map(i32::from),
                    &f.error,
                    &f.response_body,
                    &(f.response_ms as i64),
                    &f.at_ms,
                ],
            )
            .await
            .map_err(pg)?;
            Ok(())
        })
    }

    fn record_test(&self, env: EnvId, d: &NewDelivery, f: &Finished) -> Result<()> {
        let (d, f) = (d.clone(), f.clone());
        self.with(move |mut c| async move {
            let tx = c.transaction().await.map_err(pg)?;
            insert_deliveries(&tx, env, std::slice::from_ref(&d)).await?;
            tx.execute(
                "UPDATE webhook_deliveries SET status = $2, next_attempt_ms = NULL, \
                 attempts = 1, http_status = $3, error = $4, response_body = $5, \
                 response_ms = $6, last_attempt_ms = $7 WHERE id = $1",
                &[
                    &d.id,
                    &f.status.as_str(),
                    &f.http_status.map(i32::from),
                    &f.error,
                    &f.response_body,
                    &(f.response_ms as i64),
                    &f.at_ms,
                ],
            )
            .await
            .map_err(pg)?;
            tx.commit().await.map_err(pg)?;
            Ok(())
        })
    }

    fn deliveries(
        &self,
        env: EnvId,
        scope: &Scope,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Delivery>, u64)> {
        let (filter, mut args) = scope_sql(env, scope);
        let n = args.len();
        args.push(Box::new(limit.min(1000) as i64));
        args.push(Box::new(offset.min(i64::MAX as u64) as i64));
        self.with(move |c| async move {
            let all = refs(&args);
            let total: i64 = c
                .query_one(
                    &format!("SELECT count(*) FROM webhook_deliveries WHERE {filter}"),
                    all.get(..n).unwrap_or_default(),
                )
                .await
                .map_err(pg)?
                .get(0);
            let rows = c
                .query(
                    &format!(
                        "SELECT * FROM webhook_deliveries WHERE {filter} ORDER BY seq DESC \
                         LIMIT ${} OFFSET ${}",
                        n + 1,
                        n + 2
                    ),
                    &all,
                )
                .await
                .map_err(pg)?;
            let page = rows.iter().map(delivery).collect::<Result<_>>()?;
            Ok((page, total.max(0) as u64))
        })
    }

    fn delivery_counts(&self, env: EnvId, scope: &Scope) -> Result<Grouped> {
        let (filter, args) = scope_sql(env, scope);
        self.with(move |c| async move {
            let rows = c
                .query(
                    &format!(
                        "SELECT event, (created_ms / 3600000) * 3600 AS hour, status, count(*) \
                         FROM webhook_deliveries WHERE {filter} GROUP BY event, hour, status"
                    ),
                    &refs(&args),
                )
                .await
                .map_err(pg)?;
            rows.iter()
                .map(|r| {
                    let status: String = r.get(2);
                    Ok((
                        r.get(0),
                        r.get(1),
                        DeliveryStatus::parse(&status)
                            .ok_or_else(|| corrupt(format!("delivery status {status:?}")))?,
                        r.get::<_, i64>(3).max(0) as u64,
                    ))
                })
                .collect()
        })
    }

    fn delivery_quarters(&self, env: EnvId, from: i64, to: i64) -> Result<Vec<(i64, u64)>> {
        let (from, to) = (from.saturating_mul(1000), to.saturating_mul(1000));
        self.with(move |c| async move {
            let rows = c
                .query(
                    "SELECT (created_ms / 900000) * 900 AS q, count(*) FROM webhook_deliveries \
                     WHERE environment_id = $1 AND NOT test AND created_ms >= $2 \
                     AND created_ms < $3 GROUP BY q",
                    &[&env, &from, &to],
                )
                .await
                .map_err(pg)?;
            Ok(rows
                .iter()
                .map(|r| (r.get(0), r.get::<_, i64>(1).max(0) as u64))
                .collect())
        })
    }

    fn pending(&self) -> Result<u64> {
        self.with(|c| async move {
            let n: i64 = c
                .query_one(
                    "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'",
                    &[],
                )
                .await
                .map_err(pg)?
                .get(0);
            Ok(n.max(0) as u64)
        })
    }
}
