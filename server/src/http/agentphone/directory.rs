//! AgentPhone's agents and numbers over the environment's own: the agent that
//! `/api/v1/agents/{id}` changes is the one `/v1/agents/{id}` shows, at once (both read the
//! same view), and an agent made or changed here (`POST`/`PATCH /v1/agents`, attaching and
//! detaching numbers) goes through the same operations and rules as Talkover's.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use dialback_core::wire::agentphone::ValidationDetail;
use dialback_core::wire::agentphone::directory::{
    AgentListResponse, AgentObject, NumberListResponse, NumberObject,
};
use dialback_core::wire::requests::agentphone_agents::{
    parse_agentphone_agent_patch, parse_agentphone_new_agent, parse_attach_number,
};
use dialback_core::wire::requests::usage::parse_agentphone_page;

use super::super::blocking;
use super::super::error::AgentPhoneError;
use super::super::extract::{AgentPhoneEnv, AgentPhoneModel, AgentPhoneWrite, Params, PathId};
use super::read;
use crate::app::App;
use crate::ops::agents::{self, NumberChange};
use crate::view::View;

type Reply<T> = Result<Json<T>, AgentPhoneError>;

fn agent(view: &View, a: &dialback_core::AgentRecord) -> AgentObject {
    AgentObject::new(a, &view.numbers_of(a.id))
}

/// `GET /v1/agents?limit=&offset=`: the environment's agents, in the order they were created.
pub async fn agents(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<AgentListResponse> {
    let page = parse_agentphone_page(&q).map_err(AgentPhoneError::Invalid)?;
    let view = read(&app, &env).await?;
    let (rows, has_more, total) = page.of(view.agents.all());
    Ok(Json(AgentListResponse {
        data: rows.iter().map(|a| agent(&view, a)).collect(),
        has_more,
        total,
    }))
}

/// `GET /v1/agents/{id}`.
pub async fn one_agent(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    PathId(id): PathId,
) -> Reply<AgentObject> {
    let view = read(&app, &env).await?;
    let a = view
        .agent_by_path(&id)
        .ok_or_else(|| AgentPhoneError::not_found("Agent not found"))?;
    Ok(Json(agent(&view, a)))
}

/// `GET /v1/numbers?limit=&offset=`: the environment's numbers, assigned or not, in the
/// order they were added.
pub async fn numbers(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<NumberListResponse> {
    let page = parse_agentphone_page(&q).map_err(AgentPhoneError::Invalid)?;
    let view = read(&app, &env).await?;
    let (rows, has_more, total) = page.of(view.numbers.all());
    Ok(Json(NumberListResponse {
        data: rows.iter().map(NumberObject::from).collect(),
        has_more,
        total,
    }))
}

/// `GET /v1/numbers/{id}`.
pub async fn one_number(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    PathId(id): PathId,
) -> Reply<NumberObject> {
    let view = read(&app, &env).await?;
    let n = view
        .number(&id)
        .ok_or_else(|| AgentPhoneError::not_found("Phone number not found"))?;
    Ok(Json(NumberObject::from(n)))
}

/// Runs an agent operation on a storage thread; the agent as it is after, or the failure in
/// AgentPhone's dialect.
async fn agent_op(
    app: &App,
    f: impl FnOnce() -> Result<agents::AgentWithNumbers, crate::ops::OpError> + Send + 'static,
) -> Reply<AgentObject> {
    let done = blocking(app.budget(), f).await.map_err(|e| match e {
        // a body naming what is not here is 422 in FastAPI's shape, as every body problem is
        crate::ops::OpError {
            failure: crate::ops::Failure::Invalid,
            errors,
        } => AgentPhoneError::Invalid(
            errors
                .iter()
                .map(|f| ValidationDetail::body(&f.field, "value_error", f.message.clone(), None))
                .collect(),
        ),
        other => AgentPhoneError::from(other),
    })?;
    Ok(Json(AgentObject::new(&done.record, &done.numbers)))
}

/// `POST /v1/agents`: a Dialback agent (inbound unless `direction` says otherwise), published
/// at once, as AgentPhone's agents are live when made.
pub async fn create_agent(
    State(app): State<Arc<App>>,
    AgentPhoneWrite(env): AgentPhoneWrite,
    AgentPhoneModel(body): AgentPhoneModel,
) -> Reply<AgentObject> {
    let new = parse_agentphone_new_agent(&body).map_err(AgentPhoneError::Invalid)?;
    let app2 = app.clone();
    agent_op(&app, move || {
        agents::create_published_agent(&app2, &env, new)
    })
    .await
}

/// `PATCH /v1/agents/{id}`: its name, description, first words or language.
pub async fn update_agent(
    State(app): State<Arc<App>>,
    AgentPhoneWrite(env): AgentPhoneWrite,
    PathId(id): PathId,
    AgentPhoneModel(body): AgentPhoneModel,
) -> Reply<AgentObject> {
    let patch = parse_agentphone_agent_patch(&body).map_err(AgentPhoneError::Invalid)?;
    let app2 = app.clone();
    agent_op(&app, move || agents::patch_agent(&app2, &env, &id, patch)).await
}

/// `POST /v1/agents/{id}/numbers` `{"numberId": ...}`: the number assigned to the agent.
pub async fn attach_number(
    State(app): State<Arc<App>>,
    AgentPhoneWrite(env): AgentPhoneWrite,
    PathId(id): PathId,
    AgentPhoneModel(body): AgentPhoneModel,
) -> Reply<AgentObject> {
    let number = parse_attach_number(&body).map_err(AgentPhoneError::Invalid)?;
    let app2 = app.clone();
    agent_op(&app, move || {
        agents::change_number(&app2, &env, &id, &number, NumberChange::Attach)
    })
    .await
}

/// `DELETE /v1/agents/{id}/numbers/{number_id}`: the number released.
pub async fn detach_number(
    State(app): State<Arc<App>>,
    AgentPhoneWrite(env): AgentPhoneWrite,
    Path((id, number)): Path<(String, String)>,
) -> Reply<AgentObject> {
    let app2 = app.clone();
    agent_op(&app, move || {
        agents::change_number(&app2, &env, &id, &number, NumberChange::Detach)
    })
    .await
}
