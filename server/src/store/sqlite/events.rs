//! [`EventLog`] on SQLite: events written in the write's transaction, read on the reader
//! connection.

use rusqlite::{Connection, TransactionBehavior, params};

use super::{SqliteStore, lock};
use crate::store::events::{Bounds, EventLog, NewEvent, StoredEvent, agents_text, decode};
use crate::store::{EnvId, Result};

/// Inserts events (the write's transaction).
pub(super) fn insert_events(conn: &Connection, env: EnvId, events: &[NewEvent]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO events (environment_id, kind, agents, body, created_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for e in events {
        stmt.execute(params![
            env,
            e.kind.name(),
            agents_text(&e.agents),
            e.body,
            e.created_ms
        ])?;
    }
    Ok(())
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl EventLog for SqliteStore {
    fn events_after(&self, env: EnvId, after: u64, max: usize) -> Result<Vec<StoredEvent>> {
        let conn = lock(&self.reader);
        let mut stmt = conn.prepare_cached(
            "SELECT seq, kind, agents, body FROM events WHERE environment_id = ?1 AND seq > ?2 \
             ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![env, as_i64(after), as_i64(max as u64)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Vec<u8>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, kind, agents, body) = row?;
            out.push(decode(seq, &kind, &agents, body)?);
        }
        Ok(out)
    }

    fn event_bounds(&self, env: EnvId) -> Result<Bounds> {
        let conn = lock(&self.reader);
        let (pruned, head): (i64, i64) = conn.query_row(
            "SELECT COALESCE((SELECT pruned_through FROM event_horizon WHERE environment_id = ?1), \
             0), COALESCE((SELECT MAX(seq) FROM events WHERE environment_id = ?1), 0)",
            params![env],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let pruned = u64::try_from(pruned).unwrap_or(0);
        Ok(Bounds {
            pruned_through: pruned,
            head: u64::try_from(head).unwrap_or(0).max(pruned),
        })
    }

    fn prune_events(&self, before_ms: i64) -> Result<u64> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO event_horizon (environment_id, pruned_through) SELECT environment_id, \
             MAX(seq) FROM events WHERE created_ms < ?1 GROUP BY environment_id ON CONFLICT \
             (environment_id) DO UPDATE SET pruned_through = MAX(pruned_through, \
             excluded.pruned_through)",
            params![before_ms],
        )?;
        let removed = tx.execute(
            "DELETE FROM events WHERE created_ms < ?1",
            params![before_ms],
        )?;
        tx.commit()?;
        Ok(removed as u64)
    }
}
