//! [`Store`] on SQLite: one file, WAL, one writer connection and one reader connection.
//!
//! Writes are serialised on the writer connection (SQLite allows one writer at a time, so
//! queuing them here is what keeps `SQLITE_BUSY` from ever reaching a client); WAL lets the
//! reader work beside it. `synchronous=NORMAL` in WAL mode keeps every committed transaction
//! across a crash or `kill -9` of the process; only an OS crash or power loss can roll back the
//! last commits (set `DIALBACK_SYNC=full` to fsync every commit).

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use dialback_core::wire::requests::queries::CallFilter;
use dialback_core::{CallId, CallRecord, ListKey, Plan};
use rusqlite::types::ToSql;

use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use crate::store::decode::{corrupt, json};
use crate::store::filter::{self, Dialect};
use crate::store::{Batch, EnvId, Result, Sink, Slice, Store, StoreError, Tail, Version, Writes};

mod events;
mod load;
pub mod migrate;
mod outbox;
mod sources;
mod tokens;
mod writes;

use load::{CALL_COLUMNS, collect_calls, max_ids, read_environment, sql_arg};
use writes::SqliteWrites;

/// The SQLite store.
pub struct SqliteStore {
    pub(super) writer: Mutex<Connection>,
    pub(super) reader: Mutex<Connection>,
    /// Token look-ups only, asked on every request: never queued behind a long read.
    auth: Mutex<Connection>,
    /// The last call and message ids handed out (this process is the file's only server).
    ids: Mutex<(u64, u64)>,
    /// The database file (saved views go beside it).
    path: std::path::PathBuf,
}

/// How long a connection waits for another's lock: for a statement (SQLite's busy handler),
/// and for the switch to WAL, which SQLite answers BUSY at once, without its busy handler,
/// while another process opens the same new file.
const BUSY: std::time::Duration = std::time::Duration::from_secs(30);

fn open(path: &Path, full_sync: bool) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY)?;
    let deadline = std::time::Instant::now() + BUSY;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Ok(()) => break,
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => return Err(e.into()),
        }
    }
    conn.pragma_update(
        None,
        "synchronous",
        if full_sync { "FULL" } else { "NORMAL" },
    )?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 32 MiB of page cache (the default is 2 MiB): the call indexes take inserts all over
    // their range, and with a small cache every import batch re-reads pages it just wrote
    conn.pragma_update(None, "cache_size", -32_768)?;
    Ok(conn)
}

#[track_caller]
pub(super) fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // every call takes a connection here: none may run on an async worker
    crate::store::threads::assert_storage_thread("sqlite");
    // a panic while holding the lock cannot leave a transaction open (rusqlite rolls back on
    // drop), so a poisoned lock is still a usable connection
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl SqliteStore {
    /// Opens (or creates) the database file and brings its schema up to date.
    pub fn open(path: &Path, full_sync: bool) -> Result<Self> {
        let mut writer = open(path, full_sync)?;
        migrate::migrate(&mut writer)?;
        let reader = open(path, full_sync)?;
        let auth = open(path, full_sync)?;
        let ids = max_ids(&reader)?;
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            auth: Mutex::new(auth),
            ids: Mutex::new(ids),
            path: path.to_owned(),
        })
    }

    /// Where an environment's saved view is kept: `DB.views/ENV.view`.
    fn view_path(&self, env: EnvId) -> std::path::PathBuf {
        let mut dir = self.path.as_os_str().to_owned();
        dir.push(".views");
        std::path::PathBuf::from(dir).join(format!("{env}.view"))
    }

    /// Reads every page and index (`PRAGMA integrity_check`): `Corrupt` with SQLite's first
    /// findings if anything is wrong. `dialback restore` runs it on a backup before copying.
    pub fn check_integrity(&self) -> Result<()> {
        let conn = lock(&self.reader);
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let findings: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        if findings == ["ok"] {
            Ok(())
        } else {
            Err(StoreError::Corrupt(
                findings.into_iter().take(5).collect::<Vec<_>>().join("; "),
            ))
        }
    }
}

impl Store for SqliteStore {
    fn outbox(&self) -> &dyn crate::store::outbox::Outbox {
        self
    }

    fn sources(&self) -> &dyn crate::store::sources::Sources {
        self
    }

    fn events(&self) -> &dyn crate::store::events::EventLog {
        self
    }

    fn tokens(&self) -> &dyn crate::store::tokens::Tokens {
        self
    }

    fn ping(&self) -> Result<()> {
        let conn = lock(&self.auth);
        conn.query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    }

    fn backup(&self, to: &Path) -> Result<()> {
        // a read transaction of its own: a consistent copy while writers go on
        let conn = lock(&self.auth);
        conn.execute("VACUUM INTO ?1", params![to.to_string_lossy()])?;
        Ok(())
    }

    fn load_into(&self, env: EnvId, after: (u64, u64), sink: &mut dyn Sink) -> Result<Version> {
        let conn = lock(&self.reader);
        // this thread reads and decodes; another applies what it sends
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
            let applier = scope.spawn(move || {
                for batch in rx {
                    batch.apply(sink);
                }
            });
            let read = read_environment(&conn, env, after, &tx);
            drop(tx);
            applier
                .join()
                .map_err(|_| corrupt("applying the environment's records stopped"))?;
            read
        })?;
        Ok(0)
    }

    fn save_view(&self, env: EnvId, bytes: &[u8]) -> Result<()> {
        crate::store::threads::assert_storage_thread("save_view");
        // beside the database, written whole then renamed: never half a view
        let path = self.view_path(env);
        let part = path.with_extension("part");
        let write = || -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&part, bytes)?;
            std::fs::rename(&part, &path)
        };
        write().map_err(|e| StoreError::Io(format!("{}: {e}", path.display())))
    }

    fn saved_view(&self, env: EnvId) -> Result<Option<Vec<u8>>> {
        crate::store::threads::assert_storage_thread("saved_view");
        match std::fs::read(self.view_path(env)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Io(format!(
                "{}: {e}",
                self.view_path(env).display()
            ))),
        }
    }

    fn reserve_ids(&self, calls: u64, messages: u64) -> Result<(u64, u64)> {
        let mut ids = self
            .ids
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let first = (ids.0 + 1, ids.1 + 1);
        ids.0 += calls;
        ids.1 += messages;
        Ok(first)
    }

    fn begin(&self, env: EnvId, since: Version) -> Result<(Box<dyn Writes + '_>, Tail)> {
        let conn = lock(&self.writer);
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let tail = Tail {
            version: since,
            ..Tail::default()
        };
        let writes = SqliteWrites {
            conn,
            env,
            version: since,
            open: true,
        };
        Ok((Box::new(writes), tail))
    }

    fn version(&self, _env: EnvId) -> Result<Option<Version>> {
        // `serve` holds the file's lock: no other server writes here
        Ok(None)
    }

    fn changes_since(&self, _env: EnvId, since: Version) -> Result<Tail> {
        Ok(Tail {
            version: since,
            ..Tail::default()
        })
    }

    fn call(&self, env: EnvId, id: u64) -> Result<Option<CallRecord>> {
        let conn = lock(&self.reader);
        let Ok(id) = i64::try_from(id) else {
            return Ok(None);
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = ?1 AND id = ?2"
        ))?;
        Ok(collect_calls(&mut stmt, params![env, id])?.pop())
    }

    fn calls_by_external_id(&self, env: EnvId, ids: &[&str]) -> Result<Vec<CallRecord>> {
        let conn = lock(&self.reader);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = ?1 AND external_id = ?2"
        ))?;
        let mut out = Vec::new();
        for id in ids {
            out.extend(collect_calls(&mut stmt, params![env, id])?);
        }
        Ok(out)
    }

    fn calls_by_ids(&self, env: EnvId, ids: &[u64]) -> Result<Vec<CallRecord>> {
        let conn = lock(&self.reader);
        let ids: Vec<i64> = ids.iter().filter_map(|i| i64::try_from(*i).ok()).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; ids.len()].join(", ");
        // `+environment_id`: not an index term, so SQLite looks the rows up by their primary
        // key, where it would otherwise walk the environment's index past every call
        let mut stmt = conn.prepare(&format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE +environment_id = ? AND id IN ({marks})"
        ))?;
        let args = std::iter::once(env).chain(ids);
        collect_calls(&mut stmt, params_from_iter(args))
    }

    fn sids_starting_with(
        &self,
        env: EnvId,
        prefix: &str,
        cap: usize,
    ) -> Result<Option<Vec<ListKey>>> {
        let conn = lock(&self.reader);
        // a range of the (environment_id, external_id) unique index
        let mut stmt = conn.prepare_cached(
            "SELECT id, started_at FROM calls WHERE environment_id = ?1 AND external_id >= ?2 \
             AND external_id < ?3 AND substr(external_id, 1, length(?2)) = ?2 LIMIT ?4",
        )?;
        let limit = i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX);
        let found = stmt
            .query_map(
                params![env, prefix, crate::store::past_prefix(prefix), limit],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )?
            .map(|row| {
                let (id, started_at) = row?;
                Ok(ListKey {
                    started_at,
                    id: CallId(u64::try_from(id).unwrap_or(0)),
                })
            })
            .collect::<Result<Vec<ListKey>>>()?;
        Ok((found.len() <= cap).then_some(found))
    }

    fn list_calls(
        &self,
        env: EnvId,
        filter: &CallFilter,
        slice: Slice,
    ) -> Result<(Vec<CallRecord>, Option<u64>)> {
        let conn = lock(&self.reader);
        let (mut clause, args) = filter::where_clause(Dialect::Sqlite, env, filter);
        let mut args: Vec<Box<dyn ToSql>> = args.into_iter().map(sql_arg).collect();
        let total = match slice {
            Slice::Page { .. } => {
                let count: i64 = conn.query_row(
                    &format!("SELECT count(*) FROM calls WHERE {clause}"),
                    params_from_iter(args.iter().map(|a| a.as_ref())),
                    |r| r.get(0),
                )?;
                Some(u64::try_from(count).unwrap_or(0))
            }
            Slice::After { .. } => None,
        };
        let (limit, offset) = match slice {
            Slice::Page { offset, limit } => (limit, offset),
            Slice::After {
                cursor: (at, id),
                limit,
            } => {
                clause.push_str(" AND (started_at, id) < (?, ?)");
                args.push(Box::new(at.unix_seconds()));
                args.push(Box::new(i64::try_from(id).unwrap_or(i64::MAX)));
                (limit, 0)
            }
        };
        args.push(Box::new(i64::try_from(limit).unwrap_or(i64::MAX)));
        args.push(Box::new(i64::try_from(offset).unwrap_or(i64::MAX)));
        let mut stmt = conn.prepare(&format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE {clause} \
             ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?"
        ))?;
        let calls = collect_calls(&mut stmt, params_from_iter(args.iter().map(|a| a.as_ref())))?;
        Ok((calls, total))
    }
}

fn plan_of(conn: &Connection, env: EnvId) -> Result<Plan> {
    let plan: Option<String> = conn
        .query_row("SELECT plan FROM environments WHERE id = ?1", [env], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    Ok(plan
        .map(|p| json("plan", &p))
        .transpose()?
        .unwrap_or_default())
}

/// SQLite's errors, in its own words.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}
