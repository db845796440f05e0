//! AgentPhone's agents and numbers, read-only, over the environment's own: the agent that
//! `/api/v1/agents/{id}` changes is the one `/v1/agents/{id}` shows, at once (both read the
//! same view).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use dialback_core::wire::agentphone::directory::{
    AgentListResponse, AgentObject, NumberListResponse, NumberObject,
};
use dialback_core::wire::requests::usage::parse_agentphone_page;

use super::super::error::UsageError;
use super::super::extract::{AgentPhoneEnv, Params, PathId};
use super::read;
use crate::app::App;
use crate::view::View;

type Reply<T> = Result<Json<T>, UsageError>;

fn agent(view: &View, a: &dialback_core::AgentRecord) -> AgentObject {
    AgentObject::new(a, &view.numbers_of(a.id))
}

/// `GET /v1/agents?limit=&offset=`: the environment's agents, in the order they were created.
pub async fn agents(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<AgentListResponse> {
    let page = parse_agentphone_page(&q).map_err(UsageError::Invalid)?;
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
        .ok_or_else(|| UsageError::not_found("Agent not found"))?;
    Ok(Json(agent(&view, a)))
}

/// `GET /v1/numbers?limit=&offset=`: the environment's numbers, assigned or not, in the
/// order they were added.
pub async fn numbers(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<NumberListResponse> {
    let page = parse_agentphone_page(&q).map_err(UsageError::Invalid)?;
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
        .ok_or_else(|| UsageError::not_found("Phone number not found"))?;
    Ok(Json(NumberObject::from(n)))
}
