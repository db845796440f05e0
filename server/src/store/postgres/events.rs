//! [`EventLog`] on PostgreSQL. Events are inserted by a write, under the environment's row
//! lock, so within an environment `seq` grows in commit order (`store/events.rs`).

use deadpool_postgres::GenericClient;

use super::{PgStore, pg};
use crate::store::events::{Bounds, EventLog, NewEvent, StoredEvent, agents_text, decode};
use crate::store::{EnvId, Result};

/// Inserts events on `client` (a write's transaction), in one statement.
pub(super) async fn insert_events(
    client: &impl GenericClient,
    env: EnvId,
    events: &[NewEvent],
) -> Result<()> {
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.name()).collect();
    let agents: Vec<String> = events.iter().map(|e| agents_text(&e.agents)).collect();
    let bodies: Vec<&[u8]> = events.iter().map(|e| e.body.as_slice()).collect();
    let created: Vec<i64> = events.iter().map(|e| e.created_ms).collect();
    client
        .execute(
            "INSERT INTO events (environment_id, kind, agents, body, created_ms) \
             SELECT $1::bigint, kind, agents, body, created_ms \
             FROM UNNEST($2::text[], $3::text[], $4::bytea[], $5::bigint[]) \
             WITH ORDINALITY AS e(kind, agents, body, created_ms, n) ORDER BY n",
            &[&env, &kinds, &agents, &bodies, &created],
        )
        .await
        .map_err(pg)?;
    Ok(())
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl EventLog for PgStore {
    fn events_after(&self, env: EnvId, after: u64, max: usize) -> Result<Vec<StoredEvent>> {
        let (after, max) = (as_i64(after), as_i64(max as u64));
        self.with(move |c| async move {
            let rows = c
                .query(
                    "SELECT seq, kind, agents, body FROM events WHERE environment_id = $1 \
                     AND seq > $2 ORDER BY seq LIMIT $3",
                    &[&env, &after, &max],
                )
                .await
                .map_err(pg)?;
            rows.into_iter()
                .map(|r| decode(r.get(0), r.get::<_, &str>(1), r.get::<_, &str>(2), r.get(3)))
                .collect()
        })
    }

    fn event_bounds(&self, env: EnvId) -> Result<Bounds> {
        self.with(move |c| async move {
            let row = c
                .query_one(
                    "SELECT COALESCE((SELECT pruned_through FROM event_horizon \
                     WHERE environment_id = $1), 0), \
                     COALESCE((SELECT MAX(seq) FROM events WHERE environment_id = $1), 0)",
                    &[&env],
                )
                .await
                .map_err(pg)?;
            let pruned = u64::try_from(row.get::<_, i64>(0)).unwrap_or(0);
            let head = u64::try_from(row.get::<_, i64>(1)).unwrap_or(0);
            Ok(Bounds {
                pruned_through: pruned,
                head: head.max(pruned),
            })
        })
    }

    fn prune_events(&self, before_ms: i64) -> Result<u64> {
        self.with(move |mut c| async move {
            let tx = c.transaction().await.map_err(pg)?;
            tx.execute(
                "INSERT INTO event_horizon (environment_id, pruned_through) \
                 SELECT environment_id, MAX(seq) FROM events WHERE created_ms < $1 \
                 GROUP BY environment_id ON CONFLICT (environment_id) DO UPDATE SET \
                 pruned_through = GREATEST(event_horizon.pruned_through, excluded.pruned_through)",
                &[&before_ms],
            )
            .await
            .map_err(pg)?;
            let removed = tx
                .execute("DELETE FROM events WHERE created_ms < $1", &[&before_ms])
                .await
                .map_err(pg)?;
            tx.commit().await.map_err(pg)?;
            Ok(removed)
        })
    }
}
