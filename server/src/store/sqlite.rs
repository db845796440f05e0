//! [`Store`] on SQLite: one file, WAL, one writer connection and one reader connection.
//!
//! Writes are serialised on the writer connection (SQLite allows one writer at a time, so
//! queuing them here is what keeps `SQLITE_BUSY` from ever reaching a client); WAL lets the
//! reader work beside it. `synchronous=NORMAL` in WAL mode keeps every committed transaction
//! across a crash or `kill -9` of the process; only an OS crash or power loss can roll back the
//! last commits (set `DIALBACK_SYNC=full` to fsync every commit).

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use dialback_core::wire::requests::queries::{AgentFilter, CallFilter, CallSearch};
use dialback_core::{
    AgentId, AgentProfile, AgentRecord, AgentStatus, CallId, CallRecord, CallStatus,
    CallbackConfig, Direction, MessageRecord, NumberId, NumberResource, PhoneNumber, Plan,
    RoutingDecision, Timestamp,
};
use rusqlite::types::ToSql;

use crate::auth::{Grant, NewToken, Scope, TokenInfo};
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::{EnvId, Result, Slice, Snapshot, Store, StoreError, migrate};

/// The SQLite store.
pub struct SqliteStore {
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    /// Token look-ups only, asked on every request: never queued behind a long read.
    auth: Mutex<Connection>,
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

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // a panic while holding the lock cannot leave a transaction open (rusqlite rolls back on
    // drop), so a poisoned lock is still a usable connection
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn ts(secs: i64) -> Result<Timestamp> {
    Timestamp::from_unix_seconds(secs).ok_or_else(|| corrupt(format!("timestamp {secs}")))
}

fn agent_id(s: &str) -> Result<AgentId> {
    AgentId::parse(s).map_err(corrupt)
}

fn number(s: &str) -> Result<PhoneNumber> {
    PhoneNumber::parse(s).map_err(corrupt)
}

fn direction(s: &str) -> Result<Direction> {
    Direction::parse(s).ok_or_else(|| corrupt(format!("direction {s:?}")))
}

fn json<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| corrupt(format!("{what}: {e}")))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(corrupt)
}

fn id64(id: u64) -> Result<i64> {
    i64::try_from(id).map_err(corrupt)
}

impl SqliteStore {
    /// Opens (or creates) the database file and brings its schema up to date.
    pub fn open(path: &Path, full_sync: bool) -> Result<Self> {
        let mut writer = open(path, full_sync)?;
        migrate::migrate(&mut writer)?;
        let reader = open(path, full_sync)?;
        let auth = open(path, full_sync)?;
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            auth: Mutex::new(auth),
        })
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
    let id: i64 = r.get("id")?;
    let dir: String = r.get("direction")?;
    let agent: Option<String> = r.get("agent_id")?;
    let to: String = r.get("to_number")?;
    let status: String = r.get("status")?;
    let duration: i64 = r.get("duration_seconds")?;
    let routing: Option<String> = r.get("routing")?;
    let started: i64 = r.get("started_at")?;
    let external_id: Option<String> = r.get("external_id")?;
    let from: Option<String> = r.get("from_number")?;
    Ok((|| {
        Ok(CallRecord {
            id: CallId(u64::try_from(id).map_err(corrupt)?),
            external_id,
            direction: direction(&dir)?,
            agent_id: agent.as_deref().map(agent_id).transpose()?,
            from,
            to: number(&to)?,
            started_at: ts(started)?,
            status: CallStatus::parse(&status)
                .ok_or_else(|| corrupt(format!("status {status:?}")))?,
            duration_seconds: u32::try_from(duration).map_err(corrupt)?,
            routing: routing
                .map(|r| json::<RoutingDecision>("routing", &r))
                .transpose()?,
        })
    })())
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
    fn environments(&self) -> Result<Vec<(EnvId, String)>> {
        let conn = lock(&self.reader);
        let mut stmt = conn.prepare("SELECT id, name FROM environments ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn create_environment(&self, name: &str) -> Result<EnvId> {
        let conn = lock(&self.writer);
        match conn.execute(
            "INSERT INTO environments (name, created_at) VALUES (?1, ?2)",
            params![name, now()],
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
    ) -> Result<i64> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
        if replace {
            tx.execute(
                "UPDATE tokens SET revoked_at = ?3 \
                 WHERE environment_id = ?1 AND label = ?2 AND revoked_at IS NULL",
                params![env, token.label, now()],
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
                now(),
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

    fn load(&self, env: EnvId) -> Result<Snapshot> {
        let conn = lock(&self.reader);
        let mut snapshot = Snapshot {
            ..Snapshot::default()
        };
        let mut agents = conn.prepare(
            "SELECT id, name, direction, callback_config, status, profile, created_at, updated_at \
             FROM agents WHERE environment_id = ?1 ORDER BY seq",
        )?;
        let rows = agents.query_map([env], |r| {
            Ok((
                r.get::<_, String>("id")?,
                r.get::<_, String>("name")?,
                r.get::<_, String>("direction")?,
                r.get::<_, Option<String>>("callback_config")?,
                r.get::<_, String>("status")?,
                r.get::<_, Option<String>>("profile")?,
                r.get::<_, i64>("created_at")?,
                r.get::<_, Option<i64>>("updated_at")?,
            ))
        })?;
        for row in rows {
            let (id, name, dir, config, status, profile, created, updated) = row?;
            snapshot.agents.push(AgentRecord {
                id: agent_id(&id)?,
                profile: match profile {
                    Some(p) => json::<AgentProfile>("profile", &p)?,
                    None => AgentProfile::for_name(&name),
                },
                name,
                direction: direction(&dir)?,
                callback_config: config
                    .map(|c| json::<CallbackConfig>("callback_config", &c))
                    .transpose()?,
                status: AgentStatus::parse(&status)
                    .ok_or_else(|| corrupt(format!("status {status:?}")))?,
                created_at: ts(created)?,
                updated_at: ts(updated.unwrap_or(created))?,
            });
        }
        // in the order they were added, as the view keeps them (many share a second)
        let mut numbers = conn.prepare(
            "SELECT id, number, agent_id, position, created_at, updated_at FROM phone_numbers \
             WHERE environment_id = ?1 ORDER BY created_at, rowid",
        )?;
        let rows = numbers.query_map([env], |r| {
            Ok((
                r.get::<_, String>("id")?,
                r.get::<_, String>("number")?,
                r.get::<_, Option<String>>("agent_id")?,
                r.get::<_, i64>("position")?,
                r.get::<_, i64>("created_at")?,
                r.get::<_, i64>("updated_at")?,
            ))
        })?;
        for row in rows {
            let (id, n, agent, position, created, updated) = row?;
            snapshot.numbers.push(NumberResource {
                id: NumberId::parse(&id).ok_or_else(|| corrupt(format!("number id {id:?}")))?,
                number: number(&n)?,
                agent: agent.as_deref().map(agent_id).transpose()?,
                position: u32::try_from(position).map_err(corrupt)?,
                created_at: ts(created)?,
                updated_at: ts(updated)?,
            });
        }
        let mut calls = conn.prepare(&format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = ?1 ORDER BY id"
        ))?;
        snapshot.calls = collect_calls(&mut calls, [env])?;
        let mut messages = conn.prepare(
            "SELECT id, agent_id, direction, from_number, to_number, sent_at FROM messages \
             WHERE environment_id = ?1 ORDER BY id",
        )?;
        let rows = messages.query_map([env], |r| {
            Ok((
                r.get::<_, i64>("id")?,
                r.get::<_, Option<String>>("agent_id")?,
                r.get::<_, String>("direction")?,
                r.get::<_, String>("from_number")?,
                r.get::<_, String>("to_number")?,
                r.get::<_, i64>("sent_at")?,
            ))
        })?;
        for row in rows {
            let (id, agent, dir, from, to, sent) = row?;
            snapshot.messages.push(MessageRecord {
                id: u64::try_from(id).map_err(corrupt)?,
                agent_id: agent.as_deref().map(agent_id).transpose()?,
                direction: direction(&dir)?,
                from: number(&from)?,
                to: number(&to)?,
                sent_at: ts(sent)?,
            });
        }
        Ok(snapshot)
    }

    fn max_ids(&self) -> Result<(u64, u64)> {
        let conn = lock(&self.reader);
        let calls: i64 =
            conn.query_row("SELECT COALESCE(MAX(id), 0) FROM calls", [], |r| r.get(0))?;
        let messages: i64 =
            conn.query_row("SELECT COALESCE(MAX(id), 0) FROM messages", [], |r| {
                r.get(0)
            })?;
        Ok((
            u64::try_from(calls).unwrap_or(0),
            u64::try_from(messages).unwrap_or(0),
        ))
    }

    fn write_agent(
        &self,
        env: EnvId,
        agent: Option<&AgentRecord>,
        numbers: &[NumberResource],
    ) -> Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
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
        tx.commit()?;
        Ok(())
    }

    fn insert_batch(
        &self,
        env: EnvId,
        calls: &[CallRecord],
        messages: &[MessageRecord],
    ) -> Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
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
        tx.commit()?;
        Ok(())
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

    fn list_calls(
        &self,
        env: EnvId,
        filter: &CallFilter,
        slice: Slice,
    ) -> Result<(Vec<CallRecord>, Option<u64>)> {
        let conn = lock(&self.reader);
        let (mut clause, mut args) = where_clause(env, filter);
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

/// The SQL of a call filter: the core's [`CallFilter::matches`], translated (tests check the
/// two agree).
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

fn where_clause(env: EnvId, f: &CallFilter) -> (String, Vec<Box<dyn ToSql>>) {
    let mut clause = String::from("environment_id = ?");
    let mut args: Vec<Box<dyn ToSql>> = vec![Box::new(env)];
    if let Some(s) = f.status {
        clause.push_str(" AND status = ?");
        args.push(Box::new(s.as_str()));
    }
    if let Some(d) = f.direction {
        clause.push_str(" AND direction = ?");
        args.push(Box::new(d.as_str()));
    }
    match f.agent {
        AgentFilter::Any => {}
        AgentFilter::Agent(a) => {
            clause.push_str(" AND agent_id = ?");
            args.push(Box::new(a.to_string()));
        }
        AgentFilter::Unknown => clause.push_str(" AND 0"),
    }
    if let Some(t) = f.since {
        clause.push_str(" AND started_at >= ?");
        args.push(Box::new(t.unix_seconds()));
    }
    if let Some(t) = f.until {
        clause.push_str(" AND started_at < ?");
        args.push(Box::new(t));
    }
    if let Some(n) = f.number {
        clause.push_str(
            " AND ((direction = 'inbound' AND to_number = ?) OR (direction = 'outbound' AND from_number = ?))",
        );
        args.push(Box::new(n.to_string()));
        args.push(Box::new(n.to_string()));
    }
    if let Some(search) = &f.search {
        clause.push_str(" AND (0");
        if let Some(text) = &search.text {
            clause.push_str(" OR instr(COALESCE(external_id, ''), ?) > 0");
            args.push(Box::new(text.clone()));
        }
        if let Some(digits) = &search.digits {
            let mut from = String::from("COALESCE(from_number, '')");
            for c in CallSearch::FORMATTING {
                from = format!("replace({from}, '{c}', '')");
            }
            clause.push_str(&format!(
                " OR instr(to_number, ?) > 0 OR instr({from}, ?) > 0"
            ));
            args.push(Box::new(digits.clone()));
            args.push(Box::new(digits.clone()));
        }
        clause.push(')');
    }
    (clause, args)
}
