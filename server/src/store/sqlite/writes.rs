//! [`Writes`] on SQLite: one transaction on the writer connection.

use std::sync::MutexGuard;

use dialback_core::{AgentRecord, CallRecord, MessageRecord, NumberResource, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use super::load::CALL_COLUMNS;
use super::{events, outbox};
use crate::store::decode::{id64, to_json};
use crate::store::{EnvId, Result, StoreError, Version, Writes};

/// A write transaction on the writer connection (`BEGIN IMMEDIATE`: the file's write lock is
/// taken at once, so the transaction never fails half-way for want of it).
pub(super) struct SqliteWrites<'s> {
    pub(super) conn: MutexGuard<'s, Connection>,
    pub(super) env: EnvId,
    pub(super) version: Version,
    pub(super) open: bool,
}

impl Drop for SqliteWrites<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl Writes for SqliteWrites<'_> {
    fn write_agent(
        &mut self,
        agent: Option<&AgentRecord>,
        numbers: &[NumberResource],
    ) -> Result<()> {
        let (tx, env) = (&*self.conn, self.env);
        if let Some(a) = agent {
            tx.execute(
                "INSERT INTO agents (id, environment_id, seq, name, direction, callback_config, \
                 status, profile, created_at, updated_at) VALUES (?1, ?2, (SELECT \
                 COALESCE(MAX(seq), 0) + 1 FROM agents WHERE environment_id = ?2), ?3, ?4, ?5, ?6, \
                 ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE SET name = excluded.name, direction = \
                 excluded.direction, callback_config = excluded.callback_config, status = \
                 excluded.status, profile = excluded.profile, updated_at = excluded.updated_at \
                 WHERE agents.environment_id = excluded.environment_id",
                params![
                    a.id.to_string(),
                    env,
                    a.name,
                    a.direction.as_str(),
                    a.callback_config.as_ref().map(to_json).transpose()?,
                    a.status.as_str(),
                    to_json(&a.profile)?,
                    a.created_at.unix_seconds(),
                    a.updated_at.unix_seconds(),
                ],
            )?;
        }
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO phone_numbers (id, environment_id, agent_id, position, number, \
                 created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO \
                 UPDATE SET agent_id = excluded.agent_id, position = excluded.position, updated_at \
                 = excluded.updated_at WHERE phone_numbers.environment_id = \
                 excluded.environment_id",
            )?;
            for n in numbers {
                let done = upsert.execute(params![
                    n.id.to_string(),
                    env,
                    n.agent.map(|a| a.to_string()),
                    n.position,
                    n.number.to_string(),
                    n.created_at.unix_seconds(),
                    n.updated_at.unix_seconds(),
                ]);
                match done {
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        return Err(StoreError::NumberExists(n.number.to_string()));
                    }
                    other => {
                        other?;
                    }
                }
            }
        }
        Ok(())
    }

    fn insert_batch(&mut self, calls: &[CallRecord], messages: &[MessageRecord]) -> Result<()> {
        let (tx, env) = (&*self.conn, self.env);
        {
            let mut insert_call = tx.prepare_cached(&format!(
                "INSERT INTO calls (environment_id, {CALL_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ))?;
            for c in calls {
                insert_call.execute(params![
                    env,
                    id64(c.id.0)?,
                    c.external_id,
                    c.direction.as_str(),
                    c.agent_id.map(|a| a.to_string()),
                    c.from,
                    c.to.to_string(),
                    c.started_at.unix_seconds(),
                    c.status.as_str(),
                    c.duration_seconds,
                    c.routing.as_ref().map(to_json).transpose()?,
                ])?;
            }
            let mut insert_message = tx.prepare_cached(
                "INSERT INTO messages (id, environment_id, agent_id, direction, from_number, \
                 to_number, sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for m in messages {
                insert_message.execute(params![
                    id64(m.id)?,
                    env,
                    m.agent_id.map(|a| a.to_string()),
                    m.direction.as_str(),
                    m.from.to_string(),
                    m.to.to_string(),
                    m.sent_at.unix_seconds(),
                ])?;
            }
        }
        Ok(())
    }

    fn webhooks(&mut self) -> Result<Vec<dialback_core::webhook::Webhook>> {
        outbox::webhooks_on(&self.conn, self.env)
    }

    fn enqueue(&mut self, deliveries: &[crate::store::outbox::NewDelivery]) -> Result<()> {
        outbox::insert_deliveries(&self.conn, self.env, deliveries)
    }

    fn log_events(&mut self, events: &[crate::store::events::NewEvent]) -> Result<()> {
        events::insert_events(&self.conn, self.env, events)
    }

    fn receipt(
        &mut self,
        source: i64,
        delivery_id: &str,
        signature: &str,
        at: Timestamp,
    ) -> Result<crate::store::sources::Seen> {
        use crate::store::sources::Seen;
        let before: Option<String> = self
            .conn
            .query_row(
                "SELECT signature FROM source_receipts WHERE source_id = ?1 AND delivery_id = ?2",
                params![source, delivery_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match before {
            Some(s) if s == signature => Seen::Replayed,
            Some(_) => Seen::Retried,
            None => {
                self.conn.execute(
                    "INSERT INTO source_receipts (source_id, delivery_id, signature, \
                     received_at) VALUES (?1, ?2, ?3, ?4)",
                    params![source, delivery_id, signature, at.unix_seconds()],
                )?;
                Seen::New
            }
        })
    }

    fn commit(mut self: Box<Self>) -> Result<Version> {
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        Ok(self.version + 1)
    }
}
