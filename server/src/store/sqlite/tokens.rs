//! [`Tokens`] on SQLite: token look-ups on their own connection (`auth`), so a request's
//! authentication never queues behind a long read.

use dialback_core::{Plan, Timestamp};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{SqliteStore, lock, plan_of};
use crate::store::decode::{corrupt, to_json, ts};
use crate::store::tokens::{Grant, NewToken, Scope, TokenInfo, Tokens};
use crate::store::{EnvId, Result, StoreError};

impl Tokens for SqliteStore {
    fn environments(&self) -> Result<Vec<(EnvId, String)>> {
        let conn = lock(&self.reader);
        let mut stmt = conn.prepare("SELECT id, name FROM environments ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn create_environment(&self, name: &str, at: Timestamp) -> Result<EnvId> {
        let conn = lock(&self.writer);
        match conn.execute(
            "INSERT INTO environments (name, created_at) VALUES (?1, ?2)",
            params![name, at.unix_seconds()],
        ) {
            Ok(_) => Ok(conn.last_insert_rowid()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(StoreError::EnvironmentExists(name.to_owned()))
            }
            Err(e) => Err(e.into()),
        }
    }

    fn plan(&self, env: EnvId) -> Result<Plan> {
        plan_of(&lock(&self.reader), env)
    }

    fn set_plan(&self, env: EnvId, plan: &Plan) -> Result<()> {
        let conn = lock(&self.writer);
        conn.execute(
            "UPDATE environments SET plan = ?1 WHERE id = ?2",
            params![to_json(plan)?, env],
        )?;
        Ok(())
    }

    fn add_token(
        &self,
        env: EnvId,
        hash: &[u8; 32],
        token: &NewToken,
        replace: bool,
        at: Timestamp,
    ) -> Result<i64> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if replace {
            tx.execute(
                "UPDATE tokens SET revoked_at = ?3 \
                 WHERE environment_id = ?1 AND label = ?2 AND revoked_at IS NULL",
                params![env, token.label, at.unix_seconds()],
            )?;
        }
        tx.execute(
            "INSERT INTO tokens (hash, environment_id, label, scope, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                &hash[..],
                env,
                token.label,
                token.scope.as_str(),
                at.unix_seconds(),
                token.expires_at.map(Timestamp::unix_seconds)
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    fn token(&self, hash: &[u8; 32]) -> Result<Option<Grant>> {
        let conn = lock(&self.auth);
        let mut stmt = conn.prepare_cached(
            "SELECT id, environment_id, scope, expires_at FROM tokens \
             WHERE hash = ?1 AND revoked_at IS NULL",
        )?;
        let row = stmt
            .query_row(params![&hash[..]], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, EnvId>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            })
            .optional()?;
        row.map(|(token_id, env, scope, expires)| {
            Ok(Grant {
                token_id,
                env,
                scope: Scope::parse(&scope).ok_or_else(|| corrupt(format!("scope {scope:?}")))?,
                expires_at: expires.map(ts).transpose()?,
            })
        })
        .transpose()
    }

    fn tokens_of(&self, env: EnvId) -> Result<Vec<TokenInfo>> {
        let conn = lock(&self.reader);
        let mut stmt = conn.prepare(
            "SELECT id, label, scope, created_at, last_used_at, expires_at, revoked_at \
             FROM tokens WHERE environment_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![env], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, label, scope, created, used, expires, revoked) = row?;
            out.push(TokenInfo {
                id,
                label,
                scope: Scope::parse(&scope).ok_or_else(|| corrupt(format!("scope {scope:?}")))?,
                created_at: ts(created)?,
                last_used_at: used.map(ts).transpose()?,
                expires_at: expires.map(ts).transpose()?,
                revoked_at: revoked.map(ts).transpose()?,
            });
        }
        Ok(out)
    }

    fn revoke_token(&self, id: i64, at: Timestamp) -> Result<bool> {
        let conn = lock(&self.writer);
        let changed = conn.execute(
            "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, at.unix_seconds()],
        )?;
        Ok(changed == 1)
    }

    fn touch_tokens(&self, used: &[(i64, Timestamp)]) -> Result<()> {
        if used.is_empty() {
            return Ok(());
        }
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE tokens SET last_used_at = max(coalesce(last_used_at, 0), ?2) WHERE id = ?1",
            )?;
            for (id, at) in used {
                stmt.execute(params![id, at.unix_seconds()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
