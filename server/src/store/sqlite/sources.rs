//! [`Sources`] on SQLite, written on the writer connection.

use rusqlite::params;

use super::{SqliteStore, lock};
use crate::store::Result;
use crate::store::decode::to_json;
use crate::store::sources::{NewSource, SOURCE_COLUMNS, Source, Sources, SyncState, decode};

impl Sources for SqliteStore {
    fn sources(&self) -> Result<Vec<Source>> {
        let conn = lock(&self.reader);
        let mut stmt =
            conn.prepare(&format!("SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id"))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            out.push(decode(row?)?);
        }
        Ok(out)
    }

    fn add_source(&self, s: &NewSource) -> Result<i64> {
        let conn = lock(&self.writer);
        conn.execute(
            "INSERT INTO sources (environment_id, platform, base_url, token_ref, secret_ref, \
             created_at, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                s.env,
                s.platform.as_str(),
                s.base_url,
                s.token.to_string(),
                s.webhook_secret.as_ref().map(ToString::to_string),
                s.created_at.unix_seconds(),
                to_json(&SyncState::default())?
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn remove_source(&self, id: i64) -> Result<bool> {
        let conn = lock(&self.writer);
        conn.execute(
            "DELETE FROM source_receipts WHERE source_id = ?1",
            params![id],
        )?;
        Ok(conn.execute("DELETE FROM sources WHERE id = ?1", params![id])? > 0)
    }

    fn save_state(&self, id: i64, state: &SyncState) -> Result<()> {
        let conn = lock(&self.writer);
        conn.execute(
            "UPDATE sources SET state = ?2 WHERE id = ?1",
            params![id, to_json(state)?],
        )?;
        Ok(())
    }
}
