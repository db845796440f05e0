//! [`Outbox`] on SQLite: webhooks and deliveries in the database file, written on the writer
//! connection (so a claim or finish queues behind a write like any other) and read on the
//! reader connection.

use dialback_core::Timestamp;
use dialback_core::webhook::Webhook;
use dialback_core::webhook::delivery::{Delivery, DeliveryStatus};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params, params_from_iter};

use super::{SqliteStore, lock};
use crate::store::decode::{corrupt, json, to_json};
use crate::store::outbox::{Claimed, Finished, Grouped, NewDelivery, Outbox, Scope};
use crate::store::{EnvId, Result};

fn webhook_row(r: &Row<'_>) -> rusqlite::Result<(EnvId, String)> {
    Ok((r.get(0)?, r.get(1)?))
}

fn decode_webhook(config: &str) -> Result<Webhook> {
    json("webhook", config)
}

/// Inserts deliveries (the write's transaction, or a test's own statement).
pub(super) fn insert_deliveries(conn: &Connection, env: EnvId, ds: &[NewDelivery]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO webhook_deliveries (id, environment_id, webhook_id, event, channel, \
         message_id, body, status, max_attempts, next_attempt_ms, created_ms, test) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9, ?9, ?10)",
    )?;
    for d in ds {
        stmt.execute(params![
            d.id,
            env,
            d.webhook_id,
            d.event,
            d.channel,
            d.message_id,
            d.body,
            d.attempts,
            d.created_ms,
            d.test
        ])?;
    }
    Ok(())
}

/// An environment's webhooks, on any connection (a write reads them inside its
/// transaction, so the deliveries it stores follow the webhooks it sees).
pub(super) fn webhooks_on(conn: &Connection, env: EnvId) -> Result<Vec<Webhook>> {
    let mut stmt = conn.prepare_cached(
        "SELECT environment_id, config FROM webhooks WHERE environment_id = ?1 \
         ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map(params![env], webhook_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(decode_webhook(&row?.1)?);
    }
    Ok(out)
}

fn ms_to_ts(ms: Option<i64>) -> Option<Timestamp> {
    ms.and_then(|m| Timestamp::from_unix_seconds(m.div_euclid(1000)))
}

fn delivery_row(r: &Row<'_>) -> rusqlite::Result<Result<Delivery>> {
    let status: String = r.get("status")?;
    let created_ms: i64 = r.get("created_ms")?;
    let pending = status == "pending";
    Ok((|| {
        Ok(Delivery {
            id: r.get("id")?,
            webhook_id: r.get("webhook_id")?,
            event: r.get("event")?,
            channel: r.get("channel")?,
            message_id: r.get("message_id")?,
            status: DeliveryStatus::parse(&status)
                .ok_or_else(|| corrupt(format!("delivery status {status:?}")))?,
            attempts: r.get("attempts")?,
            http_status: r.get("http_status")?,
            error: r.get("error")?,
            response_body: r.get("response_body")?,
            last_attempt_at: ms_to_ts(r.get("last_attempt_ms")?),
            next_attempt_at: if pending {
                ms_to_ts(r.get("next_attempt_ms")?)
            } else {
                None
            },
            created_at: ms_to_ts(Some(created_ms)).unwrap_or(Timestamp::EPOCH),
            response_ms: r
                .get::<_, Option<i64>>("response_ms")?
                .map(|n| n.max(0) as u64),
            test: r.get("test")?,
        })
    })())
}

/// The `WHERE` of a scope, and its arguments after the environment (`?1`).
fn scope_sql(scope: &Scope) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value as V;
    let mut sql = String::from("environment_id = ?1");
    let mut args = Vec::new();
    if let Some(hooks) = &scope.webhooks {
        let marks: Vec<String> = hooks
            .iter()
            .map(|h| {
                args.push(V::Text(h.clone()));
                format!("?{}", args.len() + 1)
            })
            .collect();
        sql.push_str(&format!(" AND webhook_id IN ({})", marks.join(",")));
        if hooks.is_empty() {
            sql.push_str(" AND 0");
        }
    }
    if let Some(since) = scope.since {
        args.push(V::Integer(since.saturating_mul(1000)));
        sql.push_str(&format!(" AND created_ms >= ?{}", args.len() + 1));
    }
    if !scope.tests {
        sql.push_str(" AND test = 0");
    }
    (sql, args)
}

impl Outbox for SqliteStore {
    fn webhooks_of(&self, env: EnvId) -> Result<Vec<Webhook>> {
        webhooks_on(&lock(&self.reader), env)
    }

    fn enabled_webhooks(&self) -> Result<Vec<(EnvId, Webhook)>> {
        let conn = lock(&self.reader);
        let mut stmt = conn.prepare_cached(
            "SELECT environment_id, config FROM webhooks WHERE enabled = 1 ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([], webhook_row)?;
        let mut out = Vec::new();
        for row in rows {
            let (env, config) = row?;
            out.push((env, decode_webhook(&config)?));
        }
        Ok(out)
    }

    fn put_webhook(&self, env: EnvId, w: &Webhook) -> Result<()> {
        let conn = lock(&self.writer);
        conn.execute(
            "INSERT INTO webhooks (id, environment_id, api, agent_id, enabled, config, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, \
             enabled = excluded.enabled, config = excluded.config \
             WHERE webhooks.environment_id = excluded.environment_id",
            params![
                w.id,
                env,
                w.api.as_str(),
                w.agent.map(|a| a.to_string()),
                w.enabled,
                to_json(w)?,
                w.created_at.unix_seconds()
            ],
        )?;
        Ok(())
    }

    fn delete_webhook(&self, env: EnvId, id: &str, at_ms: i64) -> Result<bool> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let gone = tx.execute(
            "DELETE FROM webhooks WHERE environment_id = ?1 AND id = ?2",
            params![env, id],
        )?;
        tx.execute(
            "UPDATE webhook_deliveries SET status = 'failed', next_attempt_ms = NULL, \
             error = 'the webhook was deleted', last_attempt_ms = coalesce(last_attempt_ms, ?3) \
             WHERE environment_id = ?1 AND webhook_id = ?2 AND status = 'pending'",
            params![env, id, at_ms],
        )?;
        tx.commit()?;
        Ok(gone == 1)
    }

    fn claim(
        &self,
        webhook_id: &str,
        now_ms: i64,
        lease_until_ms: i64,
        max: usize,
    ) -> Result<Vec<Claimed>> {
        let conn = lock(&self.writer);
        let mut stmt = conn.prepare_cached(
            "UPDATE webhook_deliveries SET next_attempt_ms = ?3, attempts = attempts + 1 \
             WHERE seq IN (SELECT seq FROM webhook_deliveries \
                 WHERE webhook_id = ?1 AND status = 'pending' AND next_attempt_ms <= ?2 \
                 ORDER BY next_attempt_ms LIMIT ?4) \
             RETURNING seq, environment_id, id, webhook_id, body, attempts, created_ms",
        )?;
        let rows = stmt.query_map(
            params![webhook_id, now_ms, lease_until_ms, max as i64],
            |r| {
                Ok(Claimed {
                    seq: r.get(0)?,
                    env: r.get(1)?,
                    id: r.get(2)?,
                    webhook_id: r.get(3)?,
                    body: r.get(4)?,
                    attempt: r.get(5)?,
                    created_ms: r.get(6)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn finish(&self, seq: i64, attempt: u8, f: &Finished) -> Result<()> {
        let conn = lock(&self.writer);
        conn.prepare_cached(
            "UPDATE webhook_deliveries SET status = ?3, next_attempt_ms = ?4, http_status = ?5, \
             error = ?6, response_body = ?7, response_ms = ?8, last_attempt_ms = ?9 \
             WHERE seq = ?1 AND attempts = ?2 AND status = 'pending'",
        )?
        .execute(params![
            seq,
            attempt,
            f.status.as_str(),
            f.next_ms,
            f.http_status,
            f.error,
            f.response_body,
            f.response_ms as i64,
            f.at_ms
        ])?;
        Ok(())
    }

    fn record_test(&self, env: EnvId, d: &NewDelivery, f: &Finished) -> Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        insert_deliveries(&tx, env, std::slice::from_ref(d))?;
        tx.execute(
            "UPDATE webhook_deliveries SET status = ?2, next_attempt_ms = NULL, attempts = 1, \
             http_status = ?3, error = ?4, response_body = ?5, response_ms = ?6, \
             last_attempt_ms = ?7 WHERE id = ?1",
            params![
                d.id,
                f.status.as_str(),
                f.http_status,
                f.error,
                f.response_body,
                f.response_ms as i64,
                f.at_ms
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn deliveries(
        &self,
        env: EnvId,
        scope: &Scope,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Delivery>, u64)> {
        let conn = lock(&self.reader);
        let (filter, rest) = scope_sql(scope);
        let mut args: Vec<rusqlite::types::Value> = vec![env.into()];
        args.extend(rest);
        let total: i64 = conn.query_row(
            &format!("SELECT count(*) FROM webhook_deliveries WHERE {filter}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let n = args.len();
        args.push((limit.min(1000) as i64).into());
        args.push((offset.min(i64::MAX as u64) as i64).into());
        let mut stmt = conn.prepare(&format!(
            "SELECT * FROM webhook_deliveries WHERE {filter} ORDER BY seq DESC \
             LIMIT ?{} OFFSET ?{}",
            n + 1,
            n + 2
        ))?;
        let rows = stmt.query_map(params_from_iter(args.iter()), delivery_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row??);
        }
        Ok((out, total.max(0) as u64))
    }

    fn delivery_counts(&self, env: EnvId, scope: &Scope) -> Result<Grouped> {
        let conn = lock(&self.reader);
        let (filter, rest) = scope_sql(scope);
        let mut args: Vec<rusqlite::types::Value> = vec![env.into()];
        args.extend(rest);
        let mut stmt = conn.prepare(&format!(
            "SELECT event, (created_ms / 3600000) * 3600 AS hour, status, count(*) \
             FROM webhook_deliveries WHERE {filter} GROUP BY event, hour, status"
        ))?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (event, hour, status, n) = row?;
            let status = DeliveryStatus::parse(&status)
                .ok_or_else(|| corrupt(format!("delivery status {status:?}")))?;
            out.push((event, hour, status, n.max(0) as u64));
        }
        Ok(out)
    }

    fn delivery_quarters(&self, env: EnvId, from: i64, to: i64) -> Result<Vec<(i64, u64)>> {
        let conn = lock(&self.reader);
        let mut stmt = conn.prepare_cached(
            "SELECT (created_ms / 900000) * 900 AS q, count(*) FROM webhook_deliveries \
             WHERE environment_id = ?1 AND test = 0 AND created_ms >= ?2 AND created_ms < ?3 \
             GROUP BY q",
        )?;
        let rows = stmt.query_map(
            params![env, from.saturating_mul(1000), to.saturating_mul(1000)],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?.max(0) as u64)),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn pending(&self) -> Result<u64> {
        let conn = lock(&self.reader);
        let n: Option<i64> = conn
            .query_row(
                "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(n.unwrap_or(0).max(0) as u64)
    }
}
