//! AgentPhone's call lists, read-only: every call Dialback recorded, in AgentPhone's call
//! object (the official SDK parses it as its `Call`).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use dialback_core::wire::agentphone::calls::{CallList, CallObject};
use dialback_core::wire::requests::queries::AgentFilter;
use dialback_core::wire::requests::usage::parse_agentphone_calls;
use dialback_core::{CallRecord, agent_side_number};

use super::super::blocking;
use super::super::error::AgentPhoneError;
use super::super::extract::{AgentPhoneEnv, Params, PathId};
use super::read;
use crate::app::{App, Env};
use crate::ops::OpError;
use crate::view::View;

type Reply<T> = Result<Json<T>, AgentPhoneError>;

fn object(c: &CallRecord, view: &View) -> CallObject {
    let side = agent_side_number(
        c.direction,
        c.from
            .as_deref()
            .and_then(|f| dialback_core::PhoneNumber::parse(f).ok()),
        Some(c.to),
    );
    let number_id = side
        .and_then(|n| view.numbers.find(n))
        .map(|r| r.id.to_string());
    let agent_name = c
        .agent_id
        .and_then(|a| view.agent(&a))
        .map(|r| r.name.clone());
    CallObject::new(c, number_id, agent_name)
}

async fn list(
    app: Arc<App>,
    env: Arc<Env>,
    q: &dialback_core::wire::requests::queries::Params,
    narrow: impl FnOnce(
        &View,
        &mut dialback_core::wire::requests::queries::CallFilter,
    ) -> Result<(), AgentPhoneError>,
) -> Reply<CallList> {
    let mut query = parse_agentphone_calls(q).map_err(AgentPhoneError::Invalid)?;
    {
        let view = read(&app, &env).await?;
        narrow(&view, &mut query.filter)?;
    }
    let listed = app
        .list_calls(&env, &query.filter, query.offset, query.limit)
        .await
        .map_err(|e| AgentPhoneError::from(OpError::storage(&e)))?;
    let (rows, total) = (listed.calls, listed.total);
    let view = read(&app, &env).await?;
    Ok(Json(CallList {
        has_more: query.offset + (rows.len() as u64) < total,
        data: rows.iter().map(|c| object(c, &view)).collect(),
        total,
    }))
}

/// `GET /v1/calls?limit=&offset=&status=&direction=&type=&search=`.
pub async fn all(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<CallList> {
    list(app, env, &q, |_, _| Ok(())).await
}

/// `GET /v1/agents/{id}/calls`.
pub async fn of_agent(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    PathId(id): PathId,
    Params(q): Params,
) -> Reply<CallList> {
    list(app, env, &q, |view, filter| {
        let agent = view
            .agent_by_path(&id)
            .ok_or_else(|| AgentPhoneError::not_found("Agent not found"))?;
        if filter.agent != AgentFilter::Unknown {
            filter.agent = AgentFilter::Agent(agent.id);
        }
        Ok(())
    })
    .await
}

/// `GET /v1/numbers/{id}/calls`: the calls whose agent-side number is this number.
pub async fn of_number(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    PathId(id): PathId,
    Params(q): Params,
) -> Reply<CallList> {
    list(app, env, &q, |view, filter| {
        let number = view
            .number(&id)
            .ok_or_else(|| AgentPhoneError::not_found("Phone number not found"))?;
        filter.number = Some(number.number);
        Ok(())
    })
    .await
}

/// `GET /v1/calls/{id}`: one call, with (empty) transcripts.
pub async fn one(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    PathId(id): PathId,
) -> Reply<CallObject> {
    let not_found = || AgentPhoneError::not_found("Call not found");
    let call_id: u64 = id.parse().map_err(|_| not_found())?;
    let (app2, env_id) = (app.clone(), env.id);
    let call = blocking(app.budget(), move || {
        app2.store
            .call(env_id, call_id)
            .map_err(|e| OpError::storage(&e))
    })
    .await
    .map_err(AgentPhoneError::from)?
    .ok_or_else(not_found)?;
    let view = read(&app, &env).await?;
    Ok(Json(object(&call, &view).detailed()))
}
