//! Reading on SQLite: an environment as a view is built from it, and calls by id, external
//! id and filter.

use std::sync::mpsc::SyncSender;

use dialback_core::CallRecord;
use rusqlite::types::ToSql;
use rusqlite::{Connection, Row, params};

use crate::store::decode::{RawAgent, RawCall, RawMessage, RawNumber, corrupt, id64};
use crate::store::filter::Arg;
use crate::store::{Batch, Chunks, EnvId, Result};

pub(super) const CALL_COLUMNS: &str = "id, external_id, direction, agent_id, from_number, \
    to_number, started_at, status, duration_seconds, routing";

/// A `calls` row, read by column name.
pub(super) fn call_row(r: &Row<'_>) -> rusqlite::Result<Result<CallRecord>> {
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

pub(super) fn collect_calls(
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

/// Reads an environment in the order a view is built from it, sending it in batches.
pub(super) fn read_environment(
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

pub(super) fn max_ids(conn: &Connection) -> Result<(u64, u64)> {
    let calls: i64 = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM calls", [], |r| r.get(0))?;
    let messages: i64 = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM messages", [], |r| {
        r.get(0)
    })?;
    Ok((
        u64::try_from(calls).unwrap_or(0),
        u64::try_from(messages).unwrap_or(0),
    ))
}

pub(super) fn sql_arg(arg: Arg) -> Box<dyn ToSql> {
    match arg {
        Arg::Int(i) => Box::new(i),
        Arg::Text(t) => Box::new(t),
    }
}
