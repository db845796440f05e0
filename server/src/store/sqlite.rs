//! [`Store`] on SQLite: one file, WAL, one writer connection and one reader connection.
//!
//! Writes are serialised on the writer connection (SQLite allows one writer at a time, so
//! queuing them here is what keeps `SQLITE_BUSY` from ever reaching a client); WAL lets the
//! reader work beside it. `synchronous=NORMAL` in WAL mode keeps every committed transaction
//! across a crash or `kill -9` of the process; only an OS crash or power loss can roll back the
//! last commits (set `DIALBACK_SYNC=full` to fsync every commit).

use std::path::Path;
use std::sync::mpsc::SyncSender;
use std::sync::{Mutex, MutexGuard};

use dialback_core::wire::requests::queries::CallFilter;
use dialback_core::{
    AgentRecord, CallId, CallRecord, ListKey, MessageRecord, NumberResource, Plan, Timestamp,
};
use rusqlite::types::ToSql;

use crate::auth::{Grant, NewToken, Scope, TokenInfo};
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::decode::{RawAgent, RawCall, RawMessage, RawNumber, corrupt, id64, json, to_json, ts};
use super::filter::{self, Arg, Dialect};
use super::{
    Batch, Chunks, EnvId, Result, Sink, Slice, Store, StoreError, Tail, Version, Writes, migrate,
};

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

fn open(path: &Path, full_sync: bool) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
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
    super::threads::assert_storage_thread("sqlite");
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

const CALL_COLUMNS: &str = "id, external_id, direction, agent_id, from_number, to_number, \
                            started_at, status, duration_seconds, routing";

/// A `calls` row, read by column name.
fn call_row(r: &Row<'_>) -> rusqlite::Result<Result<CallRecord>> {
    Ok(RawCall {
        id: r.get("id")?,
        external_id: r.get("external_id")?,
        direction: r.get("direction")?,
        agent_id: r.get("agent_id")?,
        from: r.get("from_number")?,
        to: r.get("to_number")?,
        started_at: r.get("started_at")?,
        status: r.get("status")?,
        duration_seconds: r.get("duration_seconds")?,
        routing: r.get("routing")?,
    }
    .decode())
}

fn collect_calls(
    stmt: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
) -> Result<Vec<CallRecord>> {
    let rows = stmt.query_map(params, call_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

impl Store for SqliteStore {
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
        let tx = conn.transaction()?;
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
        let tx = conn.transaction()?;
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

    fn ping(&self) -> Result<()> {
        let conn = lock(&self.auth);
        conn.query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    }

    fn plan(&self, env: EnvId) -> Result<Plan> {
        plan_of(&lock(&self.reader), env)
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
        super::threads::assert_storage_thread("save_view");
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
        write().map_err(|e| StoreError::Corrupt(format!("{}: {e}", path.display())))
    }

    fn saved_view(&self, env: EnvId) -> Result<Option<Vec<u8>>> {
        super::threads::assert_storage_thread("saved_view");
        match std::fs::read(self.view_path(env)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Corrupt(e.to_string())),
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
                params![env, prefix, super::past_prefix(prefix), limit],
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

/// A write transaction on the writer connection (`BEGIN IMMEDIATE`: the file's write lock is
/// taken at once, so the transaction never fails half-way for want of it).
struct SqliteWrites<'s> {
    conn: MutexGuard<'s, Connection>,
    env: EnvId,
    version: Version,
    open: bool,
}

impl Drop for SqliteWrites<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl Writes for SqliteWrites<'_> {
    fn write_agent(
        &mut self,
        agent: Option<&AgentRecord>,
        numbers: &[NumberResource],
    ) -> Result<()> {
        let (tx, env) = (&*self.conn, self.env);
        if let Some(a) = agent {
            tx.execute(
                "INSERT INTO agents (id, environment_id, seq, name, direction, callback_config, \
                 status, profile, created_at, updated_at) \
                 VALUES (?1, ?2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM agents WHERE environment_id = ?2), \
                         ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, direction = excluded.direction, \
                 callback_config = excluded.callback_config, status = excluded.status, \
                 profile = excluded.profile, updated_at = excluded.updated_at \
                 WHERE agents.environment_id = excluded.environment_id",
                params![
                    a.id.to_string(),
                    env,
                    a.name,
                    a.direction.as_str(),
                    a.callback_config.as_ref().map(to_json).transpose()?,
                    a.status.as_str(),
                    to_json(&a.profile)?,
                    a.created_at.unix_seconds(),
                    a.updated_at.unix_seconds(),
                ],
            )?;
        }
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO phone_numbers (id, environment_id, agent_id, position, number, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, \
                 position = excluded.position, updated_at = excluded.updated_at \
                 WHERE phone_numbers.environment_id = excluded.environment_id",
            )?;
            for n in numbers {
                let done = upsert.execute(params![
                    n.id.to_string(),
                    env,
                    n.agent.map(|a| a.to_string()),
                    n.position,
                    n.number.to_string(),
                    n.created_at.unix_seconds(),
                    n.updated_at.unix_seconds(),
                ]);
                match done {
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        return Err(StoreError::NumberExists(n.number.to_string()));
                    }
                    other => {
                        other?;
                    }
                }
            }
        }
        Ok(())
    }

    fn insert_batch(&mut self, calls: &[CallRecord], messages: &[MessageRecord]) -> Result<()> {
        let (tx, env) = (&*self.conn, self.env);
        {
            let mut insert_call = tx.prepare_cached(&format!(
                "INSERT INTO calls (environment_id, {CALL_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ))?;
            for c in calls {
                insert_call.execute(params![
                    env,
                    id64(c.id.0)?,
                    c.external_id,
                    c.direction.as_str(),
                    c.agent_id.map(|a| a.to_string()),
                    c.from,
                    c.to.to_string(),
                    c.started_at.unix_seconds(),
                    c.status.as_str(),
                    c.duration_seconds,
                    c.routing.as_ref().map(to_json).transpose()?,
                ])?;
            }
            let mut insert_message = tx.prepare_cached(
                "INSERT INTO messages (id, environment_id, agent_id, direction, from_number, to_number, sent_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for m in messages {
                insert_message.execute(params![
                    id64(m.id)?,
                    env,
                    m.agent_id.map(|a| a.to_string()),
                    m.direction.as_str(),
                    m.from.to_string(),
                    m.to.to_string(),
                    m.sent_at.unix_seconds(),
                ])?;
            }
        }
        Ok(())
    }

    fn webhooks(&mut self) -> Result<Vec<dialback_core::webhook::Webhook>> {
        super::outbox_sqlite::webhooks_on(&self.conn, self.env)
    }

    fn enqueue(&mut self, deliveries: &[super::outbox::NewDelivery]) -> Result<()> {
        super::outbox_sqlite::insert_deliveries(&self.conn, self.env, deliveries)
    }

    fn log_events(&mut self, events: &[super::events::NewEvent]) -> Result<()> {
        super::events_sqlite::insert_events(&self.conn, self.env, events)
    }

    fn receipt(
        &mut self,
        source: i64,
        delivery_id: &str,
        signature: &str,
        at: Timestamp,
    ) -> Result<super::sources::Seen> {
        use super::sources::Seen;
        let before: Option<String> = self
            .conn
            .query_row(
                "SELECT signature FROM source_receipts WHERE source_id = ?1 AND delivery_id = ?2",
                params![source, delivery_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match before {
            Some(s) if s == signature => Seen::Replayed,
            Some(_) => Seen::Retried,
            None => {
                self.conn.execute(
                    "INSERT INTO source_receipts (source_id, delivery_id, signature, \
                     received_at) VALUES (?1, ?2, ?3, ?4)",
                    params![source, delivery_id, signature, at.unix_seconds()],
                )?;
                Seen::New
            }
        })
    }

    fn commit(mut self: Box<Self>) -> Result<Version> {
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        Ok(self.version + 1)
    }
}

/// Reads an environment in the order a view is built from it, sending it in batches.
fn read_environment(
    conn: &Connection,
    env: EnvId,
    (after_call, after_message): (u64, u64),
    to: &SyncSender<Batch>,
) -> Result<()> {
    let send = |batch| {
        to.send(batch)
            .map_err(|_| corrupt("the load was abandoned"))
    };
    let (mut all_agents, mut all_numbers) = (Vec::new(), Vec::new());
    let mut agents = conn.prepare(
        "SELECT id, name, direction, callback_config, status, profile, created_at, updated_at \
         FROM agents WHERE environment_id = ?1 ORDER BY seq",
    )?;
    let rows = agents.query_map([env], |r| {
        Ok(RawAgent {
            id: r.get("id")?,
            name: r.get("name")?,
            direction: r.get("direction")?,
            callback_config: r.get("callback_config")?,
            status: r.get("status")?,
            profile: r.get("profile")?,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
        })
    })?;
    for row in rows {
        all_agents.push(row?.decode()?);
    }
    // in the order they were added, as the view keeps them (many share a second)
    let mut numbers = conn.prepare(
        "SELECT id, number, agent_id, position, created_at, updated_at FROM phone_numbers \
         WHERE environment_id = ?1 ORDER BY created_at, rowid",
    )?;
    let rows = numbers.query_map([env], |r| {
        Ok(RawNumber {
            id: r.get("id")?,
            number: r.get("number")?,
            agent_id: r.get("agent_id")?,
            position: r.get("position")?,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
        })
    })?;
    for row in rows {
        all_numbers.push(row?.decode()?);
    }
    send(Batch::Directory(all_agents, all_numbers))?;
    let mut calls = conn.prepare(&format!(
        "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = ?1 AND id > ?2 ORDER BY id"
    ))?;
    let mut chunks = Chunks::new();
    for row in calls.query_map(params![env, id64(after_call)?], call_row)? {
        if let Some(full) = chunks.push(row??) {
            send(Batch::Calls(full))?;
        }
    }
    send(Batch::Calls(chunks.rest()))?;
    let mut chunks = Chunks::new();
    let mut messages = conn.prepare(
        "SELECT id, agent_id, direction, from_number, to_number, sent_at FROM messages \
         WHERE environment_id = ?1 AND id > ?2 ORDER BY id",
    )?;
    let rows = messages.query_map(params![env, id64(after_message)?], |r| {
        Ok(RawMessage {
            id: r.get("id")?,
            agent_id: r.get("agent_id")?,
            direction: r.get("direction")?,
            from: r.get("from_number")?,
            to: r.get("to_number")?,
            sent_at: r.get("sent_at")?,
        })
    })?;
    for row in rows {
        if let Some(full) = chunks.push(row?.decode()?) {
            send(Batch::Messages(full))?;
        }
    }
    send(Batch::Messages(chunks.rest()))
}

fn max_ids(conn: &Connection) -> Result<(u64, u64)> {
    let calls: i64 = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM calls", [], |r| r.get(0))?;
    let messages: i64 = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM messages", [], |r| {
        r.get(0)
    })?;
    Ok((
        u64::try_from(calls).unwrap_or(0),
        u64::try_from(messages).unwrap_or(0),
    ))
}

fn sql_arg(arg: Arg) -> Box<dyn ToSql> {
    match arg {
        Arg::Int(i) => Box::new(i),
        Arg::Text(t) => Box::new(t),
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
