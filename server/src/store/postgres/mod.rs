//! [`Store`] on PostgreSQL, for operators who outgrow one machine: any number of
//! `dialback serve` processes may share one database.
//!
//! - **Driver.** `tokio-postgres` with a `deadpool` pool, on a small runtime of the store's
//!   own: the trait is synchronous (the server calls it from blocking threads, and a few
//!   quick look-ups from request tasks), so each call hands its work to that runtime and waits
//!   for the answer. Nothing here blocks the server's own runtime on I/O it drives.
//! - **Agreement.** A write takes its environment's row lock (`SELECT … FOR UPDATE`) when it
//!   begins, reads what other servers committed since its view's version, and commits with
//!   the version advanced by one; every row it wrote carries that version. Writers to one
//!   environment therefore take turns across servers, and each applies the core's rules to
//!   exactly what was committed before it. A read asks for the environment's version (one
//!   indexed look-up) and catches up first if its view is behind.
//! - **Push.** Each commit also sends `NOTIFY dialback_changes, 'env:version'`; every server
//!   `LISTEN`s on a connection of its own and catches its view up in the background, so a
//!   read rarely finds it behind (it still checks: a notification may be late or lost).
//! - **Outages.** A refused or lost connection, a database shutting down or restarting, or a
//!   pool that stays exhausted past its wait is [`StoreError::Unavailable`]: the request gets
//!   503 at once, and the pool reconnects by itself when the database is back.

mod events;
mod follow;
mod outbox;
mod pool;
mod rows;
mod schema;
mod sources;
mod tokens;
mod writes;

use std::time::Duration;

use deadpool_postgres::Pool;
use dialback_core::wire::requests::queries::CallFilter;
use dialback_core::{CallId, CallRecord, ListKey};
use tokio_postgres::types::ToSql;

use super::decode::corrupt;
use super::filter::{self, Dialect};
use super::{EnvId, Result, Sink, Slice, Store, StoreError, Tail, Version, Writes};
pub(crate) use pool::driver_config;
pub use pool::{is_url, redact};
use pool::{pg, pool_error};
use rows::CALL_COLUMNS;
use rows::{Loaded, sql_arg};
pub use schema::CURRENT as SCHEMA_VERSION;
use writes::PgWrites;

/// How long a request waits for a connection, or for a new one to open, before it is told
/// the database is unavailable.
const WAIT: Duration = Duration::from_secs(3);

/// The longest a view's load may take (a stuck network must not hold it forever).
const LOAD: Duration = Duration::from_secs(15 * 60);

/// The channel commits are announced on.
const CHANNEL: &str = "dialback_changes";

/// The size of a saved view's parts.
const VIEW_PART: usize = 64 << 20;

/// The PostgreSQL store.
pub struct PgStore {
    pub(super) pool: Pool,
    /// The database's address, for the listening connection.
    pub(super) url: String,
    /// The runtime the driver's futures run on (`None` only while dropping).
    pub(super) rt: Option<tokio::runtime::Runtime>,
}

impl Store for PgStore {
    fn outbox(&self) -> &dyn super::outbox::Outbox {
        self
    }

    fn sources(&self) -> &dyn super::sources::Sources {
        self
    }

    fn events(&self) -> &dyn super::events::EventLog {
        self
    }

    fn tokens(&self) -> &dyn super::tokens::Tokens {
        self
    }

    fn ping(&self) -> Result<()> {
        self.with(|c| async move {
            c.simple_query("SELECT 1").await.map_err(pg)?;
            Ok(())
        })
    }

    fn backup(&self, _to: &std::path::Path) -> Result<()> {
        Err(StoreError::NotSupported(
            "a PostgreSQL database is backed up with PostgreSQL's own tools (pg_dump, or the \
             provider's snapshots), not `dialback backup`",
        ))
    }

    fn load_into(&self, env: EnvId, after: (u64, u64), sink: &mut dyn Sink) -> Result<Version> {
        super::threads::assert_storage_thread("load_into");
        let rt = self
            .rt
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable("the store is closing".into()))?;
        // the store's runtime reads and decodes; this thread applies what it sends. A load
        // is long by nature (tens of seconds at 10M calls): it is bounded by LOAD, not by a
        // request's deadline, and no lock is held while it runs
        let (tx, rx) = std::sync::mpsc::sync_channel::<Loaded>(4);
        let pool = self.pool.clone();
        rt.spawn(async move {
            let done = match tokio::time::timeout(LOAD, rows::load(&pool, env, after, &tx)).await {
                Ok(done) => done,
                Err(_) => Err(StoreError::Unavailable(format!(
                    "loading environment {env} took over {} s",
                    LOAD.as_secs()
                ))),
            };
            let _ = tx.send(Loaded::Done(done));
        });
        for loaded in rx {
            match loaded {
                Loaded::Batch(batch) => batch.apply(sink),
                Loaded::Done(version) => return version,
            }
        }
        Err(StoreError::Unavailable("the load stopped".into()))
    }

    fn save_view(&self, env: EnvId, bytes: &[u8]) -> Result<()> {
        // in parts (a bytea holds at most 1 GB, and smaller rows are kinder to the server),
        // replaced in one transaction
        let parts: Vec<Vec<u8>> = bytes.chunks(VIEW_PART).map(<[u8]>::to_vec).collect();
        self.with(move |mut c| async move {
            let tx = c.transaction().await.map_err(pg)?;
            tx.execute("DELETE FROM saved_views WHERE environment_id = $1", &[&env])
                .await
                .map_err(pg)?;
            for (i, part) in parts.iter().enumerate() {
                let i = i32::try_from(i).map_err(corrupt)?;
                tx.execute(
                    "INSERT INTO saved_views (environment_id, part, data) VALUES ($1, $2, $3)",
                    &[&env, &i, part],
                )
                .await
                .map_err(pg)?;
            }
            tx.commit().await.map_err(pg)
        })
    }

    fn saved_view(&self, env: EnvId) -> Result<Option<Vec<u8>>> {
        self.with(move |c| async move {
            let rows = c
                .query(
                    "SELECT data FROM saved_views WHERE environment_id = $1 ORDER BY part",
                    &[&env],
                )
                .await
                .map_err(pg)?;
            if rows.is_empty() {
                return Ok(None);
            }
            let mut bytes = Vec::new();
            for row in &rows {
                bytes.extend_from_slice(row.try_get::<_, &[u8]>(0).map_err(corrupt)?);
            }
            Ok(Some(bytes))
        })
    }

    fn reserve_ids(&self, calls: u64, messages: u64) -> Result<(u64, u64)> {
        let (n_calls, n_messages) = (
            i64::try_from(calls).map_err(corrupt)?,
            i64::try_from(messages).map_err(corrupt)?,
        );
        self.with(move |c| async move {
            // its own short transaction: the counter row is locked for microseconds, not for
            // the write that uses the ids
            let row = c
                .query_one(
                    "UPDATE dialback_ids SET calls = calls + $1, messages = messages + $2 \
                     RETURNING calls, messages",
                    &[&n_calls, &n_messages],
                )
                .await
                .map_err(pg)?;
            let (last_call, last_message): (i64, i64) = (row.get(0), row.get(1));
            Ok((
                u64::try_from(last_call - n_calls + 1).map_err(corrupt)?,
                u64::try_from(last_message - n_messages + 1).map_err(corrupt)?,
            ))
        })
    }

    fn begin(&self, env: EnvId, since: Version) -> Result<(Box<dyn Writes + '_>, Tail)> {
        let pool = self.pool.clone();
        let (client, result) = self.run(async move {
            let conn = match pool.get().await {
                Ok(c) => writes::TxConn::new(c),
                Err(e) => return (None, Err(pool_error(e))),
            };
            let result = async {
                let client = conn.client()?;
                client.batch_execute("BEGIN").await.map_err(pg)?;
                let versions = rows::versions(&***client, env, true).await?;
                let tail = rows::tail(&***client, env, since, versions).await?;
                Ok((versions.0, tail))
            }
            .await;
            (Some(conn), result)
        })?;
        let mut writes = PgWrites {
            store: self,
            client,
            env,
            version: 0,
            directory: false,
        };
        // on an error, dropping `writes` rolls back
        let (stored, tail) = result?;
        writes.version = stored + 1;
        Ok((Box::new(writes), tail))
    }

    fn version(&self, env: EnvId) -> Result<Option<Version>> {
        self.with(move |c| async move {
            let stmt = c
                .prepare_cached("SELECT version FROM environments WHERE id = $1")
                .await
                .map_err(pg)?;
            let version: i64 = c
                .query_opt(&stmt, &[&env])
                .await
                .map_err(pg)?
                .map_or(0, |r| r.get(0));
            Ok(Some(u64::try_from(version).map_err(corrupt)?))
        })
    }

    fn shared(&self) -> bool {
        true
    }

    fn follow(&self) -> Option<super::Commits> {
        let config = driver_config(&self.url).ok()?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        self.rt.as_ref()?.spawn(follow::listen(config, tx));
        Some(rx)
    }

    fn changes_since(&self, env: EnvId, since: Version) -> Result<Tail> {
        self.with(move |mut c| async move {
            let tx = rows::snapshot(&mut c).await?;
            let versions = rows::versions(&*tx, env, false).await?;
            let tail = rows::tail(&*tx, env, since, versions).await?;
            tx.commit().await.map_err(pg)?;
            Ok(tail)
        })
    }

    fn call(&self, env: EnvId, id: u64) -> Result<Option<CallRecord>> {
        let Ok(id) = i64::try_from(id) else {
            return Ok(None);
        };
        self.with(move |c| async move {
            let row = c
                .query_opt(
                    &format!(
                        "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = $1 AND id = $2"
                    ),
                    &[&env, &id],
                )
                .await
                .map_err(pg)?;
            row.as_ref().map(rows::call).transpose()
        })
    }

    fn calls_by_external_id(&self, env: EnvId, ids: &[&str]) -> Result<Vec<CallRecord>> {
        let ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        self.with(move |c| async move {
            rows::calls(
                &**c,
                &format!(
                    "SELECT {CALL_COLUMNS} FROM calls \
                     WHERE environment_id = $1 AND external_id = ANY($2)"
                ),
                &[&env, &ids],
            )
            .await
        })
    }

    fn calls_by_ids(&self, env: EnvId, ids: &[u64]) -> Result<Vec<CallRecord>> {
        let ids: Vec<i64> = ids.iter().filter_map(|i| i64::try_from(*i).ok()).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.with(move |c| async move {
            rows::calls(
                &**c,
                &format!(
                    "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = $1 AND id = ANY($2)"
                ),
                &[&env, &ids],
            )
            .await
        })
    }

    fn sids_starting_with(
        &self,
        env: EnvId,
        prefix: &str,
        cap: usize,
    ) -> Result<Option<Vec<ListKey>>> {
        let (prefix, past) = (prefix.to_owned(), super::past_prefix(prefix));
        let limit = i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX);
        self.with(move |c| async move {
            // a range of calls_by_sid, which orders external ids byte by byte (COLLATE "C")
            let rows = c
                .query(
                    r#"SELECT id, started_at FROM calls WHERE environment_id = $1
                       AND external_id COLLATE "C" >= $2 AND external_id COLLATE "C" < $3
                       AND starts_with(external_id, $2) LIMIT $4"#,
                    &[&env, &prefix, &past, &limit],
                )
                .await
                .map_err(pg)?;
            let found: Vec<ListKey> = rows
                .iter()
                .map(|r| ListKey {
                    started_at: r.get::<_, i64>(1),
                    id: CallId(u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)),
                })
                .collect();
            Ok((found.len() <= cap).then_some(found))
        })
    }

    fn list_calls(
        &self,
        env: EnvId,
        filter: &CallFilter,
        slice: Slice,
    ) -> Result<(Vec<CallRecord>, Option<u64>)> {
        let (mut clause, args) = filter::where_clause(Dialect::Postgres, env, filter);
        let count_sql = format!("SELECT count(*) FROM calls WHERE {clause}");
        let count_args = args.len();
        let mut args: Vec<Box<dyn ToSql + Send + Sync>> = args.into_iter().map(sql_arg).collect();
        let (limit, offset) = match slice {
            Slice::Page { offset, limit } => (limit, offset),
            Slice::After {
                cursor: (at, id),
                limit,
            } => {
                let n = args.len();
                clause.push_str(&format!(" AND (started_at, id) < (${}, ${})", n + 1, n + 2));
                args.push(Box::new(at.unix_seconds()));
                args.push(Box::new(i64::try_from(id).unwrap_or(i64::MAX)));
                (limit, 0)
            }
        };
        let n = args.len();
        args.push(Box::new(i64::try_from(limit).unwrap_or(i64::MAX)));
        args.push(Box::new(i64::try_from(offset).unwrap_or(i64::MAX)));
        let sql = format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE {clause} \
             ORDER BY started_at DESC, id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let page = matches!(slice, Slice::Page { .. });
        self.with(move |c| async move {
            let params: Vec<&(dyn ToSql + Sync)> =
                args.iter().map(|a| &**a as &(dyn ToSql + Sync)).collect();
            let total = if page {
                let count: i64 = c
                    .query_one(&count_sql, params.get(..count_args).unwrap_or_default())
                    .await
                    .map_err(pg)?
                    .get(0);
                Some(u64::try_from(count).unwrap_or(0))
            } else {
                None
            };
            let calls = rows::calls(&**c, &sql, &params).await?;
            Ok((calls, total))
        })
    }
}
