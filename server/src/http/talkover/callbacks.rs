//! The callback endpoints: an agent's callback role, the callback agents, the dry-run check
//! and the stats.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use dialback_core::wire::requests::stats::parse_stats_query;
use dialback_core::wire::talkover::{
    CallbackAgentCreated, CallbackAgentDetail, CallbackAgentItem, CallbackAgentSummary,
    CallbackAgentTotals, CallbackAgentUpdated, CallbackConfigBody, CallbackStatsData, Envelope,
    MessageBody, SourceAgent,
};
use dialback_core::{ConfigError, ErrorCode, UNKNOWN_AGENT};

use super::super::blocking;
use super::super::error::TalkoverError;
use super::super::extract::{JsonBody, Params, PathId, TalkoverEnv, TalkoverWrite};
use super::{Reply, read};
use crate::app::App;
use crate::ops::Failure;
use crate::ops::agents;

fn config_of(r: &dialback_core::AgentRecord) -> CallbackConfigBody {
    r.callback_config
        .as_ref()
        .map(CallbackConfigBody::from)
        .unwrap_or(CallbackConfigBody {
            source_agent_ids: Vec::new(),
            lookback_days: None,
            callback_trigger_statuses: None,
        })
}

/// `POST /api/v1/agents/{id}/callback`: the seed's answer, the agent with its configuration.
pub async fn set(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    PathId(id): PathId,
    JsonBody(json): JsonBody,
) -> Reply<Envelope<CallbackAgentCreated>> {
    let r = blocking(app.budget(), move || {
        agents::set_callback(&app, &env, &id, &json)
    })
    .await?;
    Ok(Json(Envelope::ok(CallbackAgentCreated {
        id: r.id.to_string(),
        name: r.name.clone(),
        direction: r.direction,
        callback_config: config_of(&r),
    })))
}

/// `PUT /api/v1/agents/{id}/callback`: replaces the sources; answers only the id and the
/// configuration, as documented.
pub async fn replace(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    PathId(id): PathId,
    JsonBody(json): JsonBody,
) -> Reply<Envelope<CallbackAgentUpdated>> {
    let r = blocking(app.budget(), move || {
        agents::set_callback(&app, &env, &id, &json)
    })
    .await?;
    Ok(Json(Envelope::ok(CallbackAgentUpdated {
        id: r.id.to_string(),
        callback_config: config_of(&r),
    })))
}

/// `DELETE /api/v1/agents/{id}/callback`.
pub async fn remove(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    PathId(id): PathId,
) -> Reply<MessageBody> {
    blocking(app.budget(), move || {
        agents::remove_callback(&app, &env, &id)
    })
    .await?;
    Ok(Json(MessageBody::ok("Callback role removed")))
}

/// `GET /api/v1/callback-agents`.
pub async fn list(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
) -> Reply<Envelope<Vec<CallbackAgentItem>>> {
    let view = read(&app, &env).await?;
    let data = view
        .agents
        .all()
        .iter()
        .filter(|r| r.callback_config.is_some())
        .map(|r| CallbackAgentItem {
            id: r.id.to_string(),
            name: r.name.clone(),
            label: Some(r.profile.label.clone()),
            direction: r.direction,
            current_status: r.status,
            callback_config: config_of(r),
        })
        .collect();
    Ok(Json(Envelope::ok(data)))
}

/// `GET /api/v1/callback-agents/{id}`: 404 "Agent is not configured as a callback agent" for
/// an agent without the role, and for an id that names no agent.
pub async fn get(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    PathId(id): PathId,
) -> Reply<Envelope<CallbackAgentDetail>> {
    let view = read(&app, &env).await?;
    let r = view
        .agent_by_path(&id)
        .filter(|r| r.callback_config.is_some())
        .ok_or_else(|| {
            let e = ConfigError::NotACallbackAgent;
            TalkoverError::new(Failure::NotFound, e.code(), e.to_string(), "agent_id")
        })?;
    let config = config_of(r);
    let source_agents = r
        .callback_config
        .iter()
        .flat_map(|c| &c.source_agent_ids)
        .map(|s| SourceAgent {
            id: s.to_string(),
            name: view
                .directory
                .get(s)
                .map_or_else(|| UNKNOWN_AGENT.to_owned(), |a| a.name.clone()),
        })
        .collect();
    let totals = view.callbacks.agent_totals(&r.id);
    Ok(Json(Envelope::ok(CallbackAgentDetail {
        agent: CallbackAgentSummary {
            id: r.id.to_string(),
            name: r.name.clone(),
            direction: r.direction,
            current_status: r.status,
        },
        source_agents,
        stats: CallbackAgentTotals {
            total_callbacks_received: totals.received,
            callbacks_answered: totals.answered,
        },
        callback_config: Some(config),
    })))
}

/// `POST /api/v1/callback-agents/{id}/check-constraints`: validates Talkover's documented
/// body (`is_callback_agent`, `callback_source_agents`, `callback_trigger_statuses`) and
/// saves nothing. Valid: 200 "Configuration is valid"; invalid: 422 with every problem; an
/// unknown agent: 404.
pub async fn check(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    PathId(id): PathId,
    JsonBody(json): JsonBody,
) -> Reply<MessageBody> {
    let view = read(&app, &env).await?;
    agents::check_callback(&view, &id, &json)?;
    Ok(Json(MessageBody::ok("Configuration is valid")))
}

/// `GET /api/v1/callback-agents/stats?start_date=&end_date=&tz=&group_by=day`: the totals,
/// and with `group_by=day` (our extension) each local day's counts beside them.
pub async fn stats(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    Params(q): Params,
) -> Reply<Envelope<CallbackStatsData>> {
    let query = parse_stats_query(&q, app.now()).map_err(TalkoverError::invalid)?;
    let view = read(&app, &env).await?;
    let mut data = CallbackStatsData::new(&view.callbacks.stats(&query.range), &view.directory);
    if query.by_day {
        let days = view
            .callbacks
            .daily(&query.range)
            .map_err(|e| TalkoverError::invalid(vec![(&e).into()]))?;
        data = data.with_days(&days);
    }
    Ok(Json(Envelope::ok(data)))
}
