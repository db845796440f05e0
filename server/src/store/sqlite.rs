//! [`Store`] on SQLite: one file, WAL, one writer connection and one reader connection.
//!
//! Writes are serialised on the writer connection (SQLite allows one writer at a time, so
//! queuing them here is what keeps `SQLITE_BUSY` from ever reaching a client); WAL lets the
//! reader work beside it. `synchronous=NORMAL` in WAL mode keeps every committed transaction
//! across a crash or `kill -9` of the process; only an OS crash or power loss can roll back the
//! last commits (set `DIALBACK_SYNC=full` to fsync every commit).

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use dialback_core::{
    Agent, AgentId, CallStatus, CallbackConfig, Direction, PhoneNumber, RoutingDecision, Timestamp,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{AgentRow, CallRow, EnvId, MessageRow, Result, Snapshot, Store, StoreError, schema};

/// The SQLite store.
pub struct SqliteStore {
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
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

impl SqliteStore {
    /// Opens (or creates) the database file and applies the schema.
    pub fn open(path: &Path, full_sync: bool) -> Result<Self> {
        let writer = open(path, full_sync)?;
        let version: i64 = writer.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > schema::VERSION {
            return Err(corrupt(format!(
                "database schema version {version} is newer than this server understands ({})",
                schema::VERSION
            )));
        }
        writer.execute_batch(schema::SCHEMA)?;
        writer.pragma_update(None, "user_version", schema::VERSION)?;
        let reader = open(path, full_sync)?;
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
        })
    }
}

const CALL_COLUMNS: &str = "id, external_id, direction, agent_id, from_number, to_number, started_at, status, duration_seconds, routing";

/// A `calls` row as SQLite returns it, before it is parsed.
type RawCall = (
    i64,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
    i64,
    String,
    i64,
    Option<String>,
);

fn call_row(r: &Row<'_>) -> rusqlite::Result<RawCall> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
    ))
}

fn to_call(raw: RawCall) -> Result<CallRow> {
    let (id, external_id, dir, agent, from, to, started, status, duration, routing) = raw;
    Ok(CallRow {
        id: u64::try_from(id).map_err(corrupt)?,
        external_id,
        direction: direction(&dir)?,
        agent_id: agent.as_deref().map(agent_id).transpose()?,
        from,
        to: number(&to)?,
        started_at: ts(started)?,
        status: CallStatus::parse(&status).ok_or_else(|| corrupt(format!("status {status:?}")))?,
        duration_seconds: u32::try_from(duration).map_err(corrupt)?,
        routing: routing
            .map(|r| serde_json::from_str::<RoutingDecision>(&r))
            .transpose()
            .map_err(corrupt)?,
    })
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

    fn add_token(&self, env: EnvId, hash: &[u8; 32], label: &str, replace: bool) -> Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
        if replace {
            tx.execute(
                "DELETE FROM tokens WHERE environment_id = ?1 AND label = ?2",
                params![env, label],
            )?;
        }
        tx.execute(
            "INSERT INTO tokens (hash, environment_id, label, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![&hash[..], env, label, now()],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn tokens(&self) -> Result<Vec<([u8; 32], EnvId)>> {
        let conn = lock(&self.reader);
        let mut stmt = conn.prepare("SELECT hash, environment_id FROM tokens")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, EnvId>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (hash, env) = row?;
            let hash: [u8; 32] = hash.try_into().map_err(|_| corrupt("token hash length"))?;
            out.push((hash, env));
        }
        Ok(out)
    }

    fn load(&self, env: EnvId) -> Result<Snapshot> {
        let conn = lock(&self.reader);
        let mut snapshot = Snapshot::default();
        let mut numbers = conn.prepare(
            "SELECT id, number FROM phone_numbers WHERE agent_id = ?1 ORDER BY position",
        )?;
        let mut agents = conn.prepare(
            "SELECT id, name, direction, callback_config, created_at FROM agents WHERE environment_id = ?1 ORDER BY seq",
        )?;
        let rows = agents.query_map([env], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (id, name, dir, config, created) = row?;
            let nums = numbers.query_map([&id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            let (mut number_ids, mut phone_numbers) = (Vec::new(), Vec::new());
            for n in nums {
                let (nid, n) = n?;
                number_ids.push(nid);
                phone_numbers.push(number(&n)?);
            }
            snapshot.agents.push(AgentRow {
                agent: Agent {
                    id: agent_id(&id)?,
                    name,
                    direction: direction(&dir)?,
                    phone_numbers,
                    callback_config: config
                        .map(|c| serde_json::from_str::<CallbackConfig>(&c))
                        .transpose()
                        .map_err(corrupt)?,
                },
                number_ids,
                created_at: ts(created)?,
            });
        }
        let mut calls = conn.prepare(&format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = ?1 ORDER BY id"
        ))?;
        for raw in calls.query_map([env], call_row)? {
            snapshot.calls.push(to_call(raw?)?);
        }
        let mut messages = conn.prepare(
            "SELECT id, agent_id, direction, from_number, to_number, sent_at FROM messages WHERE environment_id = ?1 ORDER BY id",
        )?;
        let rows = messages.query_map([env], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        for row in rows {
            let (id, agent, dir, from, to, sent) = row?;
            snapshot.messages.push(MessageRow {
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

    fn insert_agent(&self, env: EnvId, row: &AgentRow) -> Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
        let seq: i64 = tx.query_row(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM agents WHERE environment_id = ?1",
            [env],
            |r| r.get(0),
        )?;
        let config = row
            .agent
            .callback_config
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(corrupt)?;
        tx.execute(
            "INSERT INTO agents (id, environment_id, seq, name, direction, callback_config, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![row.agent.id.to_string(), env, seq, row.agent.name, row.agent.direction.as_str(), config, row.created_at.unix_seconds()],
        )?;
        insert_numbers(&tx, env, row)?;
        tx.commit()?;
        Ok(())
    }

    fn update_agent(&self, env: EnvId, row: &AgentRow) -> Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
        let id = row.agent.id.to_string();
        tx.execute(
            "UPDATE agents SET name = ?1 WHERE id = ?2 AND environment_id = ?3",
            params![row.agent.name, id, env],
        )?;
        tx.execute(
            "DELETE FROM phone_numbers WHERE agent_id = ?1 AND environment_id = ?2",
            params![id, env],
        )?;
        insert_numbers(&tx, env, row)?;
        tx.commit()?;
        Ok(())
    }

    fn set_callback_config(
        &self,
        env: EnvId,
        agent: AgentId,
        config: Option<&CallbackConfig>,
    ) -> Result<()> {
        let conn = lock(&self.writer);
        let config = config
            .map(serde_json::to_string)
            .transpose()
            .map_err(corrupt)?;
        conn.execute(
            "UPDATE agents SET callback_config = ?1 WHERE id = ?2 AND environment_id = ?3",
            params![config, agent.to_string(), env],
        )?;
        Ok(())
    }

    fn insert_batch(&self, env: EnvId, calls: &[CallRow], messages: &[MessageRow]) -> Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
        {
            let mut insert_call = tx.prepare_cached(
                "INSERT INTO calls (id, environment_id, external_id, direction, agent_id, from_number, to_number, started_at, status, duration_seconds, routing) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for c in calls {
                let routing = c
                    .routing
                    .as_ref()
                    .map(serde_json::to_string)
                    .transpose()
                    .map_err(corrupt)?;
                insert_call.execute(params![
                    i64::try_from(c.id).map_err(corrupt)?,
                    env,
                    c.external_id,
                    c.direction.as_str(),
                    c.agent_id.map(|a| a.to_string()),
                    c.from,
                    c.to.to_string(),
                    c.started_at.unix_seconds(),
                    c.status.as_str(),
                    c.duration_seconds,
                    routing,
                ])?;
            }
            let mut insert_message = tx.prepare_cached(
                "INSERT INTO messages (id, environment_id, agent_id, direction, from_number, to_number, sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for m in messages {
                insert_message.execute(params![
                    i64::try_from(m.id).map_err(corrupt)?,
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

    fn call(&self, env: EnvId, id: u64) -> Result<Option<CallRow>> {
        let conn = lock(&self.reader);
        let id = i64::try_from(id).unwrap_or(-1);
        let raw = conn
            .query_row(
                &format!("SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = ?1 AND id = ?2"),
                params![env, id],
                call_row,
            )
            .optional()?;
        raw.map(to_call).transpose()
    }

    fn list_calls(
        &self,
        env: EnvId,
        cursor: Option<(Timestamp, u64)>,
        limit: usize,
    ) -> Result<Vec<CallRow>> {
        let conn = lock(&self.reader);
        let limit = i64::try_from(limit).unwrap_or(100);
        let raws: Vec<RawCall> = match cursor {
            None => {
                let mut stmt = conn.prepare_cached(&format!(
                    "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = ?1 ORDER BY started_at DESC, id DESC LIMIT ?2"
                ))?;
                stmt.query_map(params![env, limit], call_row)?
                    .collect::<rusqlite::Result<_>>()?
            }
            Some((at, id)) => {
                let mut stmt = conn.prepare_cached(&format!(
                    "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = ?1 AND (started_at, id) < (?2, ?3) \
                     ORDER BY started_at DESC, id DESC LIMIT ?4"
                ))?;
                let id = i64::try_from(id).unwrap_or(i64::MAX);
                stmt.query_map(params![env, at.unix_seconds(), id, limit], call_row)?
                    .collect::<rusqlite::Result<_>>()?
            }
        };
        raws.into_iter().map(to_call).collect()
    }
}

fn insert_numbers(tx: &rusqlite::Transaction<'_>, env: EnvId, row: &AgentRow) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO phone_numbers (id, environment_id, agent_id, position, number) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, (nid, n)) in row
        .number_ids
        .iter()
        .zip(&row.agent.phone_numbers)
        .enumerate()
    {
        stmt.execute(params![
            nid,
            env,
            row.agent.id.to_string(),
            i64::try_from(i).unwrap_or(0),
            n.to_string()
        ])?;
    }
    Ok(())
}
