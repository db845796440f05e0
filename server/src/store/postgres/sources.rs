//! [`Sources`] on PostgreSQL.

use super::{PgStore, pg};
use crate::store::Result;
use crate::store::decode::to_json;
use crate::store::sources::{NewSource, SOURCE_COLUMNS, Source, Sources, SyncState, decode};

impl Sources for PgStore {
    fn sources(&self) -> Result<Vec<Source>> {
        self.with(|c| async move {
            let rows = c
                .query(
                    &format!("SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id"),
                    &[],
                )
                .await
                .map_err(pg)?;
            rows.iter()
                .map(|r| {
                    decode((
                        r.get(0),
                        r.get(1),
                        r.get(2),
                        r.get(3),
                        r.get(4),
                        r.get(5),
                        r.get(6),
                        r.get(7),
                    ))
                })
                .collect()
        })
    }

    fn add_source(&self, s: &NewSource) -> Result<i64> {
        let (env, platform, base, token, secret, created, state) = (
            s.env,
            s.platform.as_str(),
            s.base_url.clone(),
            s.token.to_string(),
            s.webhook_secret.as_ref().map(ToString::to_string),
            s.created_at.unix_seconds(),
            to_json(&SyncState::default())?,
        );
        self.with(move |c| async move {
            let row = c
                .query_one(
                    "INSERT INTO sources (environment_id, platform, base_url, token_ref, \
                     secret_ref, created_at, state) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     RETURNING id",
                    &[&env, &platform, &base, &token, &secret, &created, &state],
                )
                .await
                .map_err(pg)?;
            Ok(row.get(0))
        })
    }

    fn remove_source(&self, id: i64) -> Result<bool> {
        self.with(move |c| async move {
            c.execute("DELETE FROM source_receipts WHERE source_id = $1", &[&id])
                .await
                .map_err(pg)?;
            let n = c
                .execute("DELETE FROM sources WHERE id = $1", &[&id])
                .await
                .map_err(pg)?;
            Ok(n > 0)
        })
    }

    fn save_state(&self, id: i64, state: &SyncState) -> Result<()> {
        let state = to_json(state)?;
        self.with(move |c| async move {
            c.execute(
                "UPDATE sources SET state = $2 WHERE id = $1",
                &[&id, &state],
            )
            .await
            .map_err(pg)?;
            Ok(())
        })
    }
}
