//! Agents, their numbers and their callback role.

use dialback_core::error::ErrorCode;
use dialback_core::source::merge::{MergeError, merge_snapshot};
use dialback_core::wire::FieldError;
use dialback_core::wire::requests::callback::{check_constraint_errors, check_constraints};
use dialback_core::wire::requests::{
    AgentPatch, CallingUpdate, KnowledgeUpdate, NewAgent, NewNumber,
};
use dialback_core::{
    AgentId, AgentRecord, AgentStatus, ConfigError, NumberError, NumberId, NumberResource,
    PhoneNumber, validate_callback_config,
};
use serde_json::Value;

use super::{Failure, OpError, Write, new_uuid, refresh, write};
use crate::app::{App, Env};
use crate::live::record::DirectoryChange;
use crate::store::StoreError;
use crate::view::View;

/// An agent with its numbers, in their order: what the agent endpoints answer with.
#[derive(Debug, Clone)]
pub struct AgentWithNumbers {
    /// The agent.
    pub record: AgentRecord,
    /// Its numbers.
    pub numbers: Vec<NumberResource>,
}

fn agent_of(view: &View, id: &str) -> Result<AgentRecord, OpError> {
    view.agent_by_path(id)
        .cloned()
        .ok_or_else(OpError::agent_not_found)
}

/// Stores an agent and changed numbers, then updates the view.
fn commit(
    app: &App,
    env: &Env,
    mut w: Write<'_>,
    record: AgentRecord,
    numbers: Vec<NumberResource>,
) -> Result<AgentWithNumbers, OpError> {
    if let Err(e) = w.tx.write_agent(Some(&record), &numbers) {
        return Err(match e {
            StoreError::NumberExists(n) => {
                let e = NumberError::AlreadyExists(n);
                OpError::one(Failure::Conflict, e.code(), e.to_string(), "phone_numbers")
            }
            e => w.fail(app, env, &e),
        });
    }
    let id = record.id;
    let change = DirectoryChange::before(&w.view, &[id], &numbers);
    let mut w = w;
    w.view.put_agent(record.clone());
    w.view.put_numbers(&numbers);
    if let Err(e) = w.log_directory(app, &change) {
        return Err(w.fail(app, env, &e));
    }
    let mut view = w.commit(app, env)?;
    refresh(app, env, &mut view);
    app.live.wake(env.id);
    Ok(AgentWithNumbers {
        record,
        numbers: view.numbers_of(id),
    })
}

/// The number resources to write so that `agent` owns exactly `wanted`, in that order (the
/// core's [`assignment`](dialback_core::phone::assignment)). A number another agent owns is
/// refused (409), each with its position in `field`.
fn assign(
    app: &App,
    view: &View,
    agent: AgentId,
    wanted: &[PhoneNumber],
    field: &str,
) -> Result<Vec<NumberResource>, OpError> {
    let taken = view.directory.numbers_taken(agent, wanted);
    if !taken.is_empty() {
        return Err(OpError {
            failure: Failure::Conflict,
            errors: taken
                .iter()
                .map(|(i, e)| FieldError::new(e.code(), e.to_string(), field, Some(*i)))
                .collect(),
        });
    }
    Ok(dialback_core::phone::assignment(
        agent,
        wanted,
        |n| view.numbers.find(n).copied(),
        &view.numbers.of_agent(agent),
        app.now(),
        || NumberId::from_uuid(new_uuid()),
    ))
}

/// `POST /api/v1/agents`: a draft agent, its numbers (our extension) added and assigned.
pub fn create_agent(app: &App, env: &Env, new: NewAgent) -> Result<AgentWithNumbers, OpError> {
    create_as(app, env, new, AgentStatus::Draft)
}

/// `POST /v1/agents`: as [`create_agent`], published at once (AgentPhone's agents are live
/// when made), in the same transaction.
pub fn create_published_agent(
    app: &App,
    env: &Env,
    new: NewAgent,
) -> Result<AgentWithNumbers, OpError> {
    create_as(app, env, new, AgentStatus::Published)
}

fn create_as(
    app: &App,
    env: &Env,
    new: NewAgent,
    status: AgentStatus,
) -> Result<AgentWithNumbers, OpError> {
    let w = write(app, env)?;
    let now = app.now();
    let record = AgentRecord {
        id: AgentId::from_uuid(new_uuid()),
        name: new.name,
        direction: new.direction,
        callback_config: None,
        status,
        profile: new.profile,
        created_at: now,
        updated_at: now,
    };
    let numbers = assign(app, &w.view, record.id, &new.phone_numbers, "phone_numbers")?;
    commit(app, env, w, record, numbers)
}

/// `PATCH /api/v1/agents/{id}`: name, status, profile and numbers.
pub fn patch_agent(
    app: &App,
    env: &Env,
    id: &str,
    patch: AgentPatch,
) -> Result<AgentWithNumbers, OpError> {
    let w = write(app, env)?;
    let mut record = agent_of(&w.view, id)?;
    if let Some(name) = &patch.name {
        record.name = name.clone();
    }
    if let Some(status) = patch.status {
        record.status = status;
    }
    record.profile = patch.apply(&record.profile);
    record.updated_at = app.now();
    let numbers = match &patch.phone_numbers {
        Some(wanted) => assign(app, &w.view, record.id, wanted, "phone_numbers")?,
        None => Vec::new(),
    };
    commit(app, env, w, record, numbers)
}

/// `PUT /api/v1/agents/{id}/calling`: direction, and the numbers it owns (replacing the old
/// ones). A callback agent stays inbound and a callback source outbound.
pub fn update_calling(
    app: &App,
    env: &Env,
    id: &str,
    update: CallingUpdate,
) -> Result<AgentWithNumbers, OpError> {
    let w = write(app, env)?;
    let mut record = agent_of(&w.view, id)?;
    w.view
        .directory
        .check_direction(record.id, update.direction)
        .map_err(|e| OpError::one(Failure::Invalid, e.code(), e.to_string(), "direction"))?;
    let numbers = match &update.phone_number_ids {
        None => Vec::new(),
        Some(ids) => {
            let mut wanted = Vec::with_capacity(ids.len());
            let mut missing = Vec::new();
            for (i, nid) in ids.iter().enumerate() {
                match w.view.number(nid) {
                    Some(n) => wanted.push(n.number),
                    None => {
                        let e = NumberError::not_found(nid);
                        missing.push(FieldError::new(
                            e.code(),
                            format!("phone_number_ids[{i}]: {e}"),
                            "phone_number_ids",
                            Some(i),
                        ));
                    }
                }
            }
            if !missing.is_empty() {
                return Err(OpError::invalid(missing));
            }
            assign(app, &w.view, record.id, &wanted, "phone_number_ids")?
        }
    };
    record.direction = update.direction;
    record.updated_at = app.now();
    commit(app, env, w, record, numbers)
}

/// `PUT /api/v1/agents/{id}/knowledge`: what the agent knows and says; like Talkover, this
/// takes the agent back to draft.
pub fn update_knowledge(
    app: &App,
    env: &Env,
    id: &str,
    update: KnowledgeUpdate,
) -> Result<AgentWithNumbers, OpError> {
    let w = write(app, env)?;
    let record = update.apply_to(&agent_of(&w.view, id)?, app.now());
    commit(app, env, w, record, Vec::new())
}

/// `POST /api/v1/phone-numbers` (our extension): a number added to the environment,
/// unassigned.
pub fn create_number(app: &App, env: &Env, new: NewNumber) -> Result<NumberResource, OpError> {
    let w = write(app, env)?;
    if w.view.numbers.find(new.number).is_some() {
        let e = NumberError::AlreadyExists(new.number.to_string());
        return Err(OpError::one(
            Failure::Conflict,
            e.code(),
            e.to_string(),
            "number",
        ));
    }
    let number = NumberResource::unassigned(NumberId::from_uuid(new_uuid()), new.number, app.now());
    let mut w = w;
    if let Err(e) = w.tx.write_agent(None, &[number]) {
        return Err(w.fail(app, env, &e));
    }
    let change = DirectoryChange::before(&w.view, &[], &[number]);
    w.view.put_numbers(&[number]);
    if let Err(e) = w.log_directory(app, &change) {
        return Err(w.fail(app, env, &e));
    }
    drop(w.commit(app, env)?);
    app.live.wake(env.id);
    Ok(number)
}

/// The failure for configuration problems: not found if the target agent does not exist,
/// invalid otherwise.
fn config_failure(errors: &[ConfigError], fields: Vec<FieldError>) -> OpError {
    OpError {
        failure: if errors.first().is_some_and(ConfigError::is_not_found) {
            Failure::NotFound
        } else {
            Failure::Invalid
        },
        errors: fields,
    }
}

/// `POST /api/v1/callback-agents/{id}/check-constraints`: validates a proposal (Talkover's
/// body) without saving it.
pub fn check_callback(view: &View, target: &str, body: &Value) -> Result<(), OpError> {
    check_constraints(target, body, &view.directory)
        .map(|_| ())
        .map_err(|errors| config_failure(&errors, check_constraint_errors(&errors)))
}

/// `POST` / `PUT /api/v1/agents/{id}/callback`: sets (or replaces) the callback role.
pub fn set_callback(
    app: &App,
    env: &Env,
    target: &str,
    body: &Value,
) -> Result<AgentRecord, OpError> {
    let w = write(app, env)?;
    let config = validate_callback_config(target, body, &w.view.directory).map_err(|errors| {
        let fields = errors.iter().map(FieldError::from).collect();
        config_failure(&errors, fields)
    })?;
    let mut record = agent_of(&w.view, target)?;
    record.callback_config = Some(config);
    record.updated_at = app.now();
    Ok(commit(app, env, w, record, Vec::new())?.record)
}

/// `DELETE /api/v1/agents/{id}/callback`: removes the role (idempotent).
pub fn remove_callback(app: &App, env: &Env, target: &str) -> Result<(), OpError> {
    let w = write(app, env)?;
    let mut record = agent_of(&w.view, target)?;
    if record.callback_config.is_none() {
        return Ok(());
    }
    record.callback_config = None;
    record.updated_at = app.now();
    commit(app, env, w, record, Vec::new()).map(|_| ())
}

/// A sync's agents and numbers: the core's merge of a platform's `snapshot` into the records
/// as they stand under the write lock, written in one transaction. The outer error is
/// storage's; the inner one what the merge refused (then nothing is written).
pub fn sync_directory(
    app: &App,
    env: &Env,
    snapshot: &dialback_core::source::merge::Snapshot,
) -> Result<Result<dialback_core::source::merge::Changes, Vec<MergeError>>, OpError> {
    let mut w = write(app, env)?;
    let changes = match merge_snapshot(
        snapshot,
        w.view.agents.all(),
        w.view.numbers.all(),
        app.now(),
    ) {
        Ok(changes) => changes,
        Err(errors) => return Ok(Err(errors)),
    };
    if changes.is_empty() {
        return Ok(Ok(changes));
    }
    for agent in &changes.agents {
        if let Err(e) = w.tx.write_agent(Some(agent), &[]) {
            return Err(w.fail(app, env, &e));
        }
    }
    if let Err(e) = w.tx.write_agent(None, &changes.numbers) {
        return Err(w.fail(app, env, &e));
    }
    let ids: Vec<AgentId> = changes.agents.iter().map(|a| a.id).collect();
    let change = DirectoryChange::before(&w.view, &ids, &changes.numbers);
    for agent in &changes.agents {
        w.view.put_agent(agent.clone());
    }
    w.view.put_numbers(&changes.numbers);
    if let Err(e) = w.log_directory(app, &change) {
        return Err(w.fail(app, env, &e));
    }
    let mut view = w.commit(app, env)?;
    refresh(app, env, &mut view);
    app.live.wake(env.id);
    Ok(Ok(changes))
}

/// What AgentPhone's number endpoints do to an agent's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberChange {
    /// `POST /v1/agents/{id}/numbers`: assigned after the ones it has (already its own,
    /// nothing changes); a number id that names none of the environment's is 422.
    Attach,
    /// `DELETE /v1/agents/{id}/numbers/{number_id}`: released; one it does not own is 404.
    Detach,
}

/// Attaches or detaches one number, found by its id, through the same assignment rule as
/// every other change of an agent's numbers.
pub fn change_number(
    app: &App,
    env: &Env,
    id: &str,
    number_id: &str,
    change: NumberChange,
) -> Result<AgentWithNumbers, OpError> {
    let w = write(app, env)?;
    let record = agent_of(&w.view, id)?;
    let field = match change {
        NumberChange::Attach => "numberId",
        NumberChange::Detach => "number_id",
    };
    // a number named in the body that is not here is a problem with the body (422, as for
    // the calling settings' `phone_number_ids`); one in the path is not found (404)
    let number = w
        .view
        .number(number_id)
        .copied()
        .filter(|n| change == NumberChange::Attach || n.agent == Some(record.id))
        .ok_or_else(|| {
            let mut e = number_not_found(number_id, field);
            if change == NumberChange::Attach {
                e.failure = Failure::Invalid;
            }
            e
        })?;
    let mut wanted: Vec<PhoneNumber> = w
        .view
        .numbers_of(record.id)
        .iter()
        .map(|n| n.number)
        .filter(|n| *n != number.number)
        .collect();
    if change == NumberChange::Attach {
        let at = w
            .view
            .numbers_of(record.id)
            .iter()
            .position(|n| n.number == number.number)
            .unwrap_or(wanted.len());
        wanted.insert(at.min(wanted.len()), number.number);
    }
    let numbers = assign(app, &w.view, record.id, &wanted, field)?;
    commit(app, env, w, record, numbers)
}

fn number_not_found(id: &str, field: &str) -> OpError {
    let e = NumberError::not_found(id);
    OpError::one(Failure::NotFound, e.code(), e.to_string(), field)
}
