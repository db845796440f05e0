//! What the API does, independent of HTTP: each operation locks one environment's view,
//! applies the core's rules, commits to storage, and only then changes the view. If a commit
//! fails, the view is rebuilt from storage, so memory never holds what the database does not.
//!
//! These functions block (storage is synchronous): handlers run them on blocking threads.

use dialback_core::wire::FieldError;
use dialback_core::wire::requests::{
    AgentPatch, NewAgent, NewCall, NewMessage, check_agent_reference,
};
use dialback_core::{
    Agent, AgentId, CallbackConfig, InboundCall, Routes, Timestamp, validate_callback_config,
};
use serde_json::Value;

use crate::app::{App, Env};
use crate::store::{AgentRow, CallRow, MessageRow, StoreError, internal};
use crate::view::{View, outbound_of};

/// A failed operation: the HTTP status and every problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError {
    /// HTTP status.
    pub status: u16,
    /// Problems, the first one leading.
    pub errors: Vec<FieldError>,
}

impl OpError {
    /// One problem.
    pub fn one(status: u16, code: &str, message: impl Into<String>, field: &str) -> Self {
        OpError {
            status,
            errors: vec![FieldError::new(code, message, field, None)],
        }
    }

    /// Validation problems (422).
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        OpError {
            status: 422,
            errors,
        }
    }

    fn storage(e: &StoreError) -> Self {
        tracing::error!(error = %e, "storage failed");
        OpError {
            status: 500,
            errors: vec![internal(e)],
        }
    }

    fn agent_not_found(id: &str) -> Self {
        OpError::one(
            404,
            "AGENT_NOT_FOUND",
            format!("agent {id:?} not found"),
            "agent_id",
        )
    }
}

/// Takes an environment's view for writing, from a blocking thread.
fn write(env: &Env) -> tokio::sync::RwLockWriteGuard<'_, View> {
    env.view.blocking_write()
}

/// After a failed commit: make the view what storage holds again.
fn resync(app: &App, env: &Env, view: &mut View) {
    match app
        .store
        .load(env.id)
        .map_err(|e| e.to_string())
        .and_then(|s| View::from_snapshot(s).map_err(|e| e.to_string()))
    {
        Ok(fresh) => *view = fresh,
        Err(e) => {
            tracing::error!(env = env.id, error = %e, "could not rebuild the view after a failed write")
        }
    }
}

fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    Timestamp::from_unix_seconds(secs).unwrap_or(Timestamp::EPOCH)
}

/// The current time, as the core needs it.
pub fn clock() -> Timestamp {
    now()
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Numbers already owned by another agent: 409 `NUMBER_ALREADY_ASSIGNED`.
fn check_numbers(
    view: &View,
    numbers: &[dialback_core::PhoneNumber],
    except: Option<AgentId>,
) -> Result<(), OpError> {
    let taken: Vec<FieldError> = numbers
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let owner = view
                .directory
                .owner_of(*n)
                .filter(|a| Some(a.id) != except)?;
            Some(FieldError::new(
                "NUMBER_ALREADY_ASSIGNED",
                format!(
                    "{n} is already assigned to agent {} ({})",
                    owner.id, owner.name
                ),
                "phone_numbers",
                Some(i),
            ))
        })
        .collect();
    if taken.is_empty() {
        Ok(())
    } else {
        Err(OpError {
            status: 409,
            errors: taken,
        })
    }
}

/// `POST /api/v1/agents`.
pub fn create_agent(app: &App, env: &Env, new: NewAgent) -> Result<AgentRow, OpError> {
    let mut view = write(env);
    check_numbers(&view, &new.phone_numbers, None)?;
    let row = AgentRow {
        number_ids: new.phone_numbers.iter().map(|_| new_id()).collect(),
        agent: Agent {
            id: AgentId::from_uuid(uuid::Uuid::new_v4()),
            name: new.name,
            direction: new.direction,
            phone_numbers: new.phone_numbers,
            callback_config: None,
        },
        created_at: now(),
    };
    app.store
        .insert_agent(env.id, &row)
        .map_err(|e| OpError::storage(&e))?;
    view.agents.push(row.clone());
    if view.refresh_directory().is_err() {
        resync(app, env, &mut view);
    }
    Ok(row)
}

/// `PATCH /api/v1/agents/{id}`.
pub fn patch_agent(app: &App, env: &Env, id: &str, patch: AgentPatch) -> Result<AgentRow, OpError> {
    let mut view = write(env);
    let agent_id = AgentId::parse(id).map_err(|_| OpError::agent_not_found(id))?;
    let mut row = view
        .agent(&agent_id)
        .cloned()
        .ok_or_else(|| OpError::agent_not_found(id))?;
    if let Some(name) = patch.name {
        row.agent.name = name;
    }
    if let Some(numbers) = patch.phone_numbers {
        check_numbers(&view, &numbers, Some(agent_id))?;
        let old: Vec<(dialback_core::PhoneNumber, String)> = row
            .agent
            .phone_numbers
            .iter()
            .copied()
            .zip(row.number_ids.iter().cloned())
            .collect();
        row.number_ids = numbers
            .iter()
            .map(|n| {
                old.iter()
                    .find(|(o, _)| o == n)
                    .map_or_else(new_id, |(_, nid)| nid.clone())
            })
            .collect();
        row.agent.phone_numbers = numbers;
    }
    app.store
        .update_agent(env.id, &row)
        .map_err(|e| OpError::storage(&e))?;
    if let Some(slot) = view.agents.iter_mut().find(|r| r.agent.id == agent_id) {
        *slot = row.clone();
    }
    if view.refresh_directory().is_err() {
        resync(app, env, &mut view);
    }
    Ok(row)
}

/// Validates a callback configuration for `target` against the current agents.
pub fn check_callback(view: &View, target: &str, body: &Value) -> Result<CallbackConfig, OpError> {
    validate(view, target, body)
}

fn validate(view: &View, target: &str, body: &Value) -> Result<CallbackConfig, OpError> {
    validate_callback_config(target, body, &view.directory).map_err(|errors| OpError {
        status: errors.first().map_or(422, |e| e.http_status()),
        errors: errors.iter().map(FieldError::from).collect(),
    })
}

/// `POST` / `PUT /api/v1/agents/{id}/callback`: sets (or replaces) the callback role.
pub fn set_callback(app: &App, env: &Env, target: &str, body: &Value) -> Result<AgentRow, OpError> {
    let mut view = write(env);
    let config = validate(&view, target, body)?;
    let agent_id = AgentId::parse(target).map_err(|_| OpError::agent_not_found(target))?;
    app.store
        .set_callback_config(env.id, agent_id, Some(&config))
        .map_err(|e| OpError::storage(&e))?;
    let mut updated = None;
    if let Some(row) = view.agents.iter_mut().find(|r| r.agent.id == agent_id) {
        row.agent.callback_config = Some(config);
        updated = Some(row.clone());
    }
    if view.refresh_directory().is_err() {
        resync(app, env, &mut view);
    }
    updated.ok_or_else(|| OpError::agent_not_found(target))
}

/// `DELETE /api/v1/agents/{id}/callback`: removes the role (idempotent).
pub fn remove_callback(app: &App, env: &Env, target: &str) -> Result<(), OpError> {
    let mut view = write(env);
    let agent_id = AgentId::parse(target).map_err(|_| OpError::agent_not_found(target))?;
    if view.agent(&agent_id).is_none() {
        return Err(OpError::agent_not_found(target));
    }
    app.store
        .set_callback_config(env.id, agent_id, None)
        .map_err(|e| OpError::storage(&e))?;
    if let Some(row) = view.agents.iter_mut().find(|r| r.agent.id == agent_id) {
        row.agent.callback_config = None;
    }
    if view.refresh_directory().is_err() {
        resync(app, env, &mut view);
    }
    Ok(())
}

/// What recording one call did.
#[derive(Debug, Clone)]
pub enum Recorded {
    /// Stored now.
    Created(CallRow),
    /// Its `external_id` was already stored: the stored call, unchanged.
    Existing(CallRow),
    /// Refused; nothing stored.
    Rejected(Vec<FieldError>),
}

/// Records calls in order, in one transaction. Inbound calls are routed by the core as they
/// arrive, against the configuration and outbound calls in force at that moment (including
/// outbound calls earlier in the same batch). A call whose `external_id` is already stored
/// comes back unchanged and counts nothing twice; a call naming an unknown agent is rejected
/// alone.
pub fn record_calls(app: &App, env: &Env, calls: Vec<NewCall>) -> Result<Vec<Recorded>, OpError> {
    let mut view = write(env);
    let (mut next_id, _) = app.reserve_ids(calls.len() as u64, 0);
    let mut out = Vec::with_capacity(calls.len());
    let mut rows: Vec<CallRow> = Vec::with_capacity(calls.len());
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // the directory does not change during the batch; the index does (outbound calls)
    let mut routes = Routes::new(&view.directory, &view.outbound);
    for call in calls {
        if let Some(ext) = &call.external_id {
            if let Some(&i) = seen.get(ext) {
                out.push(match rows.get(i) {
                    Some(row) => Recorded::Existing(row.clone()),
                    None => Recorded::Rejected(vec![]),
                });
                continue;
            }
            if let Some(existing) = stored_with_external_id(app, env, &view, ext)? {
                out.push(Recorded::Existing(existing));
                continue;
            }
        }
        let outbound = call.direction == dialback_core::Direction::Outbound;
        if let Err(e) = check_agent_reference(call.agent_id, outbound, &view.directory) {
            out.push(Recorded::Rejected(vec![e]));
            continue;
        }
        let routing = (!outbound).then(|| {
            routes.router(&view.outbound).route(&InboundCall {
                from: call.caller(),
                to: call.to,
                at: call.started_at,
            })
        });
        let row = CallRow {
            id: next_id,
            external_id: call.external_id,
            direction: call.direction,
            agent_id: call.agent_id,
            from: call.from_raw,
            to: call.to,
            started_at: call.started_at,
            status: call.status,
            duration_seconds: call.duration_seconds,
            routing,
        };
        next_id += 1;
        if let Some(o) = outbound_of(&row) {
            view.outbound.insert(o);
        }
        if let Some(ext) = &row.external_id {
            seen.insert(ext.clone(), rows.len());
        }
        out.push(Recorded::Created(row.clone()));
        rows.push(row);
    }
    if let Err(e) = app.store.insert_batch(env.id, &rows, &[]) {
        resync(app, env, &mut view);
        return Err(OpError::storage(&e));
    }
    for row in &rows {
        view.account_call(row);
    }
    Ok(out)
}

fn stored_with_external_id(
    app: &App,
    env: &Env,
    view: &View,
    ext: &str,
) -> Result<Option<CallRow>, OpError> {
    let Some(id) = view.external_candidate(ext) else {
        return Ok(None);
    };
    let row = app
        .store
        .call(env.id, id)
        .map_err(|e| OpError::storage(&e))?;
    Ok(row.filter(|r| r.external_id.as_deref() == Some(ext)))
}

/// `POST /api/v1/messages` (and bulk loads): stores messages in one transaction.
pub fn record_messages(
    app: &App,
    env: &Env,
    messages: Vec<NewMessage>,
) -> Result<Vec<MessageRow>, OpError> {
    let mut view = write(env);
    for m in &messages {
        check_agent_reference(m.agent_id, false, &view.directory)
            .map_err(|e| OpError::invalid(vec![e]))?;
    }
    let (_, first) = app.reserve_ids(0, messages.len() as u64);
    let rows: Vec<MessageRow> = messages
        .into_iter()
        .zip(first..)
        .map(|(m, id)| MessageRow {
            id,
            agent_id: m.agent_id,
            direction: m.direction,
            from: m.from,
            to: m.to,
            sent_at: m.sent_at,
        })
        .collect();
    if let Err(e) = app.store.insert_batch(env.id, &[], &rows) {
        resync(app, env, &mut view);
        return Err(OpError::storage(&e));
    }
    for row in &rows {
        view.account_message(row);
    }
    Ok(rows)
}
