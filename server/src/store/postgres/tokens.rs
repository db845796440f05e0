//! [`Tokens`] on PostgreSQL.

use dialback_core::{Plan, Timestamp};
use tokio_postgres::error::SqlState;

use super::{PgStore, pg};
use crate::store::decode::{corrupt, json, to_json, ts};
use crate::store::tokens::{Grant, NewToken, Scope, TokenInfo, Tokens};
use crate::store::{EnvId, Result, StoreError};

impl Tokens for PgStore {
    fn environments(&self) -> Result<Vec<(EnvId, String)>> {
        self.with(|c| async move {
            let rows = c
                .query("SELECT id, name FROM environments ORDER BY id", &[])
                .await
                .map_err(pg)?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        })
    }

    fn create_environment(&self, name: &str, at: Timestamp) -> Result<EnvId> {
        let (name, at) = (name.to_owned(), at.unix_seconds());
        self.with(move |c| async move {
            let row = c
                .query_one(
                    "INSERT INTO environments (name, created_at) VALUES ($1, $2) RETURNING id",
                    &[&name, &at],
                )
                .await;
            match row {
                Ok(row) => Ok(row.get(0)),
                Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                    Err(StoreError::EnvironmentExists(name))
                }
                Err(e) => Err(pg(e)),
            }
        })
    }

    fn plan(&self, env: EnvId) -> Result<Plan> {
        self.with(move |c| async move {
            let plan: Option<String> = c
                .query_opt("SELECT plan FROM environments WHERE id = $1", &[&env])
                .await
                .map_err(pg)?
                .and_then(|r| r.get(0));
            Ok(plan
                .map(|p| json("plan", &p))
                .transpose()?
                .unwrap_or_default())
        })
    }

    fn set_plan(&self, env: EnvId, plan: &Plan) -> Result<()> {
        let plan = to_json(plan)?;
        self.with(move |c| async move {
            c.execute(
                "UPDATE environments SET plan = $1 WHERE id = $2",
                &[&plan, &env],
            )
            .await
            .map_err(pg)?;
            Ok(())
        })
    }

    fn add_token(
        &self,
        env: EnvId,
        hash: &[u8; 32],
        token: &NewToken,
        replace: bool,
        at: Timestamp,
    ) -> Result<i64> {
        let (hash, label, scope) = (hash.to_vec(), token.label.clone(), token.scope.as_str());
        let at = at.unix_seconds();
        let expires = token.expires_at.map(Timestamp::unix_seconds);
        self.with(move |mut c| async move {
            let tx = c.transaction().await.map_err(pg)?;
            if replace {
                tx.execute(
                    "UPDATE tokens SET revoked_at = $3 \
                     WHERE environment_id = $1 AND label = $2 AND revoked_at IS NULL",
                    &[&env, &label, &at],
                )
                .await
                .map_err(pg)?;
            }
            let id: i64 = tx
                .query_one(
                    "INSERT INTO tokens (hash, environment_id, label, scope, created_at, \
                     expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    &[&hash, &env, &label, &scope, &at, &expires],
                )
                .await
                .map_err(pg)?
                .get(0);
            tx.commit().await.map_err(pg)?;
            Ok(id)
        })
    }

    fn token(&self, hash: &[u8; 32]) -> Result<Option<Grant>> {
        let hash = hash.to_vec();
        self.with(move |c| async move {
            let stmt = c
                .prepare_cached(
                    "SELECT id, environment_id, scope, expires_at FROM tokens \
                     WHERE hash = $1 AND revoked_at IS NULL",
                )
                .await
                .map_err(pg)?;
            let Some(r) = c.query_opt(&stmt, &[&hash]).await.map_err(pg)? else {
                return Ok(None);
            };
            let scope: String = r.get(2);
            Ok(Some(Grant {
                token_id: r.get(0),
                env: r.get(1),
                scope: Scope::parse(&scope).ok_or_else(|| corrupt(format!("scope {scope:?}")))?,
                expires_at: r.get::<_, Option<i64>>(3).map(ts).transpose()?,
            }))
        })
    }

    fn tokens_of(&self, env: EnvId) -> Result<Vec<TokenInfo>> {
        self.with(move |c| async move {
            let rows = c
                .query(
                    "SELECT id, label, scope, created_at, last_used_at, expires_at, revoked_at \
                     FROM tokens WHERE environment_id = $1 ORDER BY id",
                    &[&env],
                )
                .await
                .map_err(pg)?;
            rows.iter().map(token_info).collect()
        })
    }

    fn revoke_token(&self, id: i64, at: Timestamp) -> Result<bool> {
        let at = at.unix_seconds();
        self.with(move |c| async move {
            let changed = c
                .execute(
                    "UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                    &[&id, &at],
                )
                .await
                .map_err(pg)?;
            Ok(changed == 1)
        })
    }

    fn touch_tokens(&self, used: &[(i64, Timestamp)]) -> Result<()> {
        if used.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = used.iter().map(|u| u.0).collect();
        let at: Vec<i64> = used.iter().map(|u| u.1.unix_seconds()).collect();
        self.with(move |c| async move {
            c.execute(
                "UPDATE tokens t SET last_used_at = GREATEST(COALESCE(t.last_used_at, 0), u.at) \
                 FROM UNNEST($1::bigint[], $2::bigint[]) AS u(id, at) WHERE t.id = u.id",
                &[&ids, &at],
            )
            .await
            .map_err(pg)?;
            Ok(())
        })
    }
}

fn token_info(r: &tokio_postgres::Row) -> Result<TokenInfo> {
    let scope: String = r.get("scope");
    Ok(TokenInfo {
        id: r.get("id"),
        label: r.get("label"),
        scope: Scope::parse(&scope).ok_or_else(|| corrupt(format!("scope {scope:?}")))?,
        created_at: ts(r.get("created_at"))?,
        last_used_at: r
            .get::<_, Option<i64>>("last_used_at")
            .map(ts)
            .transpose()?,
        expires_at: r.get::<_, Option<i64>>("expires_at").map(ts).transpose()?,
        revoked_at: r.get::<_, Option<i64>>("revoked_at").map(ts).transpose()?,
    })
}
