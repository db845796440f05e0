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
mod rows;
mod schema;
mod sources;
mod writes;

use std::time::Duration;

use deadpool_postgres::{
    Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime, Timeouts,
};
use dialback_core::wire::requests::queries::CallFilter;
use dialback_core::{CallId, CallRecord, ListKey, Plan, Timestamp};
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

use super::decode::{corrupt, json, to_json, ts};
use super::filter::{self, Arg, Dialect};
use super::{EnvId, Result, Sink, Slice, Store, StoreError, Tail, Version, Writes};
use crate::auth::{Grant, NewToken, Scope, TokenInfo};
use rows::CALL_COLUMNS;
use rows::Loaded;
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
    pool: Pool,
    /// The database's address, for the listening connection.
    url: String,
    /// The runtime the driver's futures run on (`None` only while dropping).
    rt: Option<tokio::runtime::Runtime>,
}

/// Whether `--db` names PostgreSQL rather than a SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// A URL fit for messages and logs: its password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

/// A driver error, classified: connection trouble is `Unavailable` (retry later); anything
/// else is the database refusing.
pub(super) fn pg(e: tokio_postgres::Error) -> StoreError {
    let gone = e.is_closed()
        || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>())
        || e.code().is_some_and(|c| {
            c.code().starts_with("08")
                || *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW
        });
    if gone {
        StoreError::Unavailable(e.to_string())
    } else {
        StoreError::Postgres(e.to_string())
    }
}

/// The driver's settings for every connection: the operator's URL, with the bounds that keep
/// a silent database from holding a connection forever.
/// - connecting gives up after [`WAIT`];
/// - TCP keepalive probes an idle connection after 10 s, every 5 s, three times: a host that
///   vanished (a partition, a frozen VM) is noticed in about 25 s even with nothing to send;
/// - `statement_timeout` makes the database end any statement running longer than
///   [`LONGEST`](super::threads::LONGEST): a query gone wrong does not run on after its
///   caller gave up. (Callers give up sooner, at their own deadline: see `run`.)
pub(crate) fn driver_config(url: &str) -> Result<tokio_postgres::Config> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| StoreError::Postgres(format!("{}: {e}", redact(url))))?;
    let timeout = format!(
        "-c statement_timeout={}",
        super::threads::LONGEST.as_millis()
    );
    let options = match config.get_options() {
        Some(given) if given.contains("statement_timeout") => given.to_owned(),
        Some(given) => format!("{given} {timeout}"),
        None => timeout,
    };
    config
        .options(&options)
        .connect_timeout(WAIT)
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(10))
        .keepalives_interval(Duration::from_secs(5))
        .keepalives_retries(3);
    if config.get_application_name().is_none() {
        config.application_name("dialback");
    }
    Ok(config)
}

fn pool_error(e: PoolError) -> StoreError {
    match e {
        PoolError::Backend(e) => pg(e),
        other => StoreError::Unavailable(other.to_string()),
    }
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date (replicas starting
    /// together take turns).
    pub fn open(url: &str, connections: usize) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("dialback-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let config = driver_config(url)?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(connections.max(2))
            .timeouts(Timeouts {
                wait: Some(WAIT),
                create: Some(WAIT),
                recycle: Some(WAIT),
            })
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Postgres(e.to_string()))?;
        let store = PgStore {
            pool,
            url: url.to_owned(),
            rt: Some(rt),
        };
        store.with(|mut client| async move { schema::migrate(&mut client).await })?;
        Ok(store)
    }

    /// Runs a future on the store's runtime and waits for it, at most the calling thread's
    /// deadline ([`threads::deadline`](super::threads::deadline)): past it the future is
    /// dropped (a statement in flight is abandoned; the driver reads its answer when it
    /// comes and drops it) and the call is `Unavailable`. A frozen database or a silent
    /// network therefore holds a caller for the deadline, never longer.
    #[track_caller]
    fn run<T: Send + 'static>(&self, fut: impl Future<Output = T> + Send + 'static) -> Result<T> {
        super::threads::assert_storage_thread("postgres");
        let deadline = super::threads::deadline();
        let rt = self
            .rt
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable("the store is closing".into()))?;
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn(async move {
            let _ = tx.send(tokio::time::timeout(deadline, fut).await);
        });
        match rx.recv() {
            Ok(Ok(t)) => Ok(t),
            Ok(Err(_)) => Err(StoreError::NoAnswer(format!(
                "nothing within {:.1} s",
                deadline.as_secs_f64()
            ))),
            Err(_) => Err(StoreError::Unavailable("the database task stopped".into())),
        }
    }

    /// Runs `f` with a pooled connection.
    fn with<T, F, Fut>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Object) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send,
    {
        let pool = self.pool.clone();
        self.run(async move {
            let client = pool.get().await.map_err(pool_error)?;
            f(client).await
        })?
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // dropping a runtime waits for its tasks, which is not allowed inside another runtime
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
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

fn sql_arg(arg: Arg) -> Box<dyn ToSql + Send + Sync> {
    match arg {
        Arg::Int(i) => Box::new(i),
        Arg::Text(t) => Box::new(t),
    }
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

/// Creates an empty database named `name` on the server `url` points at, and returns the URL
/// of the new database (for tests and the load test, which each want a fresh one).
pub fn create_database(url: &str, name: &str) -> Result<String> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(StoreError::Postgres(format!("database name {name:?}")));
    }
    let config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| StoreError::Postgres(format!("{url:?}: {e}")))?;
    let sql = format!("CREATE DATABASE {name}");
    // its own thread and runtime: callers may be inside another runtime
    std::thread::scope(|s| {
        s.spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            rt.block_on(async {
                let (client, connection) = config.connect(NoTls).await.map_err(pg)?;
                let driver = tokio::spawn(connection);
                client.batch_execute(&sql).await.map_err(pg)?;
                drop(client);
                let _ = driver.await;
                Ok::<(), StoreError>(())
            })
        })
        .join()
        .map_err(|_| StoreError::Unavailable("creating the database stopped".into()))?
    })?;
    let (base, _) = url.rsplit_once('/').unwrap_or((url, ""));
    Ok(format!("{base}/{name}"))
}
