//! Reading an environment's records out of PostgreSQL, the same way for a full load, a write's
//! catch-up and a read's catch-up.

use std::pin::pin;
use std::sync::mpsc::SyncSender;

use deadpool_postgres::{Object, Pool, Transaction};
use dialback_core::{AgentRecord, CallRecord, MessageRecord, NumberResource};
use futures_util::StreamExt;
use tokio_postgres::types::ToSql;
use tokio_postgres::{GenericClient, Row};

use super::pg;
use crate::store::decode::{RawAgent, RawCall, RawMessage, RawNumber, corrupt};
use crate::store::{Batch, Chunks, EnvId, Result, Tail, Version};

/// The columns of a call, as [`call`] reads them.
pub const CALL_COLUMNS: &str = "id, external_id, direction, agent_id, from_number, to_number, \
                                started_at, status, duration_seconds, routing";

fn get<'a, T: tokio_postgres::types::FromSql<'a>>(r: &'a Row, column: &str) -> Result<T> {
    r.try_get(column)
        .map_err(|e| corrupt(format!("column {column}: {e}")))
}

/// A `calls` row.
pub fn call(r: &Row) -> Result<CallRecord> {
    RawCall {
        id: get(r, "id")?,
        external_id: get(r, "external_id")?,
        direction: get(r, "direction")?,
        agent_id: get(r, "agent_id")?,
        from: get(r, "from_number")?,
        to: get(r, "to_number")?,
        started_at: get(r, "started_at")?,
        status: get(r, "status")?,
        duration_seconds: get(r, "duration_seconds")?,
        routing: get(r, "routing")?,
    }
    .decode()
}

/// What a load sends: records, then how it ended.
pub enum Loaded {
    /// The next records.
    Batch(Batch),
    /// The version loaded, or why the load failed.
    Done(Result<Version>),
}

/// A read-only transaction over one snapshot (REPEATABLE READ): a version and the rows read
/// after it agree.
pub async fn snapshot(client: &mut Object) -> Result<Transaction<'_>> {
    client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(pg)
}

/// Reads an environment in one snapshot (REPEATABLE READ), sending it in batches.
pub async fn load(
    pool: &Pool,
    env: EnvId,
    (after_call, after_message): (u64, u64),
    to: &SyncSender<Loaded>,
) -> Result<Version> {
    let after_call = i64::try_from(after_call).map_err(corrupt)?;
    let after_message = i64::try_from(after_message).map_err(corrupt)?;
    let send = |batch| {
        to.send(Loaded::Batch(batch))
            .map_err(|_| corrupt("the load was abandoned"))
    };
    let mut client = pool.get().await.map_err(super::pool::pool_error)?;
    let tx = snapshot(&mut client).await?;
    let (version, _) = versions(&*tx, env, false).await?;
    send(Batch::Directory(
        agents(&*tx, env).await?,
        numbers(&*tx, env).await?,
    ))?;
    let sql = format!(
        "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = $1 AND id > $2 ORDER BY id"
    );
    let params: [&(dyn ToSql + Sync); 2] = [&env, &after_call];
    let stream = tx
        .query_raw(&sql, params.iter().map(|p| *p as &dyn ToSql))
        .await
        .map_err(pg)?;
    let mut stream = pin!(stream);
    let mut chunks = Chunks::new();
    while let Some(row) = stream.next().await {
        if let Some(full) = chunks.push(call(&row.map_err(pg)?)?) {
            send(Batch::Calls(full))?;
        }
    }
    send(Batch::Calls(chunks.rest()))?;
    send(Batch::Messages(
        messages_after(&*tx, env, after_message).await?,
    ))?;
    tx.commit().await.map_err(pg)?;
    u64::try_from(version).map_err(corrupt)
}

/// Every call a query returns, streamed (a full load reads millions: they are decoded as they
/// arrive, never held twice).
pub async fn calls<C: GenericClient + Sync>(
    client: &C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<CallRecord>> {
    let stream = client
        .query_raw(sql, params.iter().map(|p| *p as &dyn ToSql))
        .await
        .map_err(pg)?;
    let mut stream = pin!(stream);
    let mut out = Vec::new();
    while let Some(row) = stream.next().await {
        out.push(call(&row.map_err(pg)?)?);
    }
    Ok(out)
}

/// An environment's agents, in creation order.
pub async fn agents<C: GenericClient + Sync>(client: &C, env: EnvId) -> Result<Vec<AgentRecord>> {
    let rows = client
        .query(
            "SELECT id, name, direction, callback_config, status, profile, created_at, \
             updated_at FROM agents WHERE environment_id = $1 ORDER BY seq",
            &[&env],
        )
        .await
        .map_err(pg)?;
    rows.iter()
        .map(|r| {
            RawAgent {
                id: get(r, "id")?,
                name: get(r, "name")?,
                direction: get(r, "direction")?,
                callback_config: get(r, "callback_config")?,
                status: get(r, "status")?,
                profile: get(r, "profile")?,
                created_at: get(r, "created_at")?,
                updated_at: get(r, "updated_at")?,
            }
            .decode()
        })
        .collect()
}

/// An environment's numbers, in the order they were added.
pub async fn numbers<C: GenericClient + Sync>(
    client: &C,
    env: EnvId,
) -> Result<Vec<NumberResource>> {
    let rows = client
        .query(
            "SELECT id, number, agent_id, position, created_at, updated_at FROM phone_numbers \
             WHERE environment_id = $1 ORDER BY created_at, added",
            &[&env],
        )
        .await
        .map_err(pg)?;
    rows.iter()
        .map(|r| {
            RawNumber {
                id: get(r, "id")?,
                number: get(r, "number")?,
                agent_id: get(r, "agent_id")?,
                position: get(r, "position")?,
                created_at: get(r, "created_at")?,
                updated_at: get(r, "updated_at")?,
            }
            .decode()
        })
        .collect()
}

/// An environment's messages after version `since`, in the order they were committed.
pub async fn messages<C: GenericClient + Sync>(
    client: &C,
    env: EnvId,
    since: i64,
) -> Result<Vec<MessageRecord>> {
    let rows = client
        .query(
            "SELECT id, agent_id, direction, from_number, to_number, sent_at FROM messages \
             WHERE environment_id = $1 AND version > $2 ORDER BY version, id",
            &[&env, &since],
        )
        .await
        .map_err(pg)?;
    rows.iter().map(message).collect()
}

/// A `messages` row.
fn message(r: &Row) -> Result<MessageRecord> {
    RawMessage {
        id: get(r, "id")?,
        agent_id: get(r, "agent_id")?,
        direction: get(r, "direction")?,
        from: get(r, "from_number")?,
        to: get(r, "to_number")?,
        sent_at: get(r, "sent_at")?,
    }
    .decode()
}

/// An environment's messages after id `after`, in id order.
pub async fn messages_after<C: GenericClient + Sync>(
    client: &C,
    env: EnvId,
    after: i64,
) -> Result<Vec<MessageRecord>> {
    let rows = client
        .query(
            "SELECT id, agent_id, direction, from_number, to_number, sent_at FROM messages \
             WHERE environment_id = $1 AND id > $2 ORDER BY id",
            &[&env, &after],
        )
        .await
        .map_err(pg)?;
    rows.iter().map(message).collect()
}

/// Where an environment stands: its version and the version its directory last changed at.
pub async fn versions<C: GenericClient + Sync>(
    client: &C,
    env: EnvId,
    lock: bool,
) -> Result<(i64, i64)> {
    let sql = if lock {
        "SELECT version, directory_version FROM environments WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT version, directory_version FROM environments WHERE id = $1"
    };
    let row = client
        .query_opt(sql, &[&env])
        .await
        .map_err(pg)?
        .ok_or_else(|| corrupt(format!("no environment {env}")))?;
    Ok((get(&row, "version")?, get(&row, "directory_version")?))
}

/// What was committed after `since`, up to `(version, directory_version)` (read in one
/// snapshot, or under the environment's lock, so nothing is half-seen).
pub async fn tail<C: GenericClient + Sync>(
    client: &C,
    env: EnvId,
    since: Version,
    (version, directory_version): (i64, i64),
) -> Result<Tail> {
    let since_i = i64::try_from(since).map_err(corrupt)?;
    let stored = u64::try_from(version).map_err(corrupt)?;
    if stored <= since {
        return Ok(Tail {
            version: stored,
            ..Tail::default()
        });
    }
    let directory = if directory_version > since_i {
        Some((agents(client, env).await?, numbers(client, env).await?))
    } else {
        None
    };
    let calls = calls(
        client,
        &format!(
            "SELECT {CALL_COLUMNS} FROM calls WHERE environment_id = $1 AND version > $2 \
             ORDER BY version, id"
        ),
        &[&env, &since_i],
    )
    .await?;
    Ok(Tail {
        version: stored,
        directory,
        calls,
        messages: messages(client, env, since_i).await?,
    })
}

/// A filter's argument as the driver takes it.
pub(super) fn sql_arg(
    arg: crate::store::filter::Arg,
) -> Box<dyn tokio_postgres::types::ToSql + Send + Sync> {
    match arg {
        crate::store::filter::Arg::Int(i) => Box::new(i),
        crate::store::filter::Arg::Text(t) => Box::new(t),
    }
}
