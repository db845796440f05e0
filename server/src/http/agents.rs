//! Agents and their callback role (Talkover side).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use dialback_core::wire::requests::{parse_agent_patch, parse_new_agent};
use dialback_core::wire::talkover::{AgentBody, Envelope, MessageBody, Page, PageMeta};
use dialback_core::{AgentId, DateRange, Direction};
use serde::Serialize;

use super::blocking;
use super::error::ApiError;
use super::extract::{JsonBody, TalkoverEnv};
use crate::app::App;
use crate::ops::{self, clock};

type Reply<T> = Result<Json<T>, ApiError>;

/// `POST /api/v1/agents` → 201.
pub async fn create(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Envelope<AgentBody>>), ApiError> {
    let new = parse_new_agent(&body).map_err(ApiError::invalid)?;
    let row = blocking(move || ops::create_agent(&app, &env, new)).await?;
    Ok((
        StatusCode::CREATED,
        Json(Envelope::ok(AgentBody::from_agent(&row.agent))),
    ))
}

/// `GET /api/v1/agents?direction=&search=&page=&per_page=`.
pub async fn list(
    TalkoverEnv(env): TalkoverEnv,
    Query(q): Query<HashMap<String, String>>,
) -> Reply<Page<AgentBody>> {
    let direction = match q.get("direction").map(String::as_str) {
        None | Some("") => None,
        Some(d) => Some(Direction::parse(d).ok_or_else(|| {
            ApiError::new(
                422,
                "INVALID_DIRECTION",
                format!("direction must be inbound or outbound, got {d:?}"),
                "direction",
            )
        })?),
    };
    let page = positive(&q, "page", 1, u64::MAX)?;
    let per_page = positive(&q, "per_page", 20, 100)?;
    let search = q
        .get("search")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let view = env.view.read().await;
    let matching: Vec<&dialback_core::Agent> = view
        .agents
        .iter()
        .map(|r| &r.agent)
        .filter(|a| direction.is_none_or(|d| a.direction == d))
        .filter(|a| {
            search.as_ref().is_none_or(|s| {
                a.name.to_lowercase().contains(s)
                    || a.phone_numbers
                        .iter()
                        .any(|n| n.to_string().contains(s.as_str()))
            })
        })
        .collect();
    let total = matching.len() as u64;
    let skip =
        usize::try_from(page.saturating_sub(1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let data = matching
        .into_iter()
        .skip(skip)
        .take(per_page as usize)
        .map(AgentBody::from_agent)
        .collect();
    Ok(Json(Page {
        success: true,
        data,
        meta: PageMeta {
            current_page: page,
            per_page,
            total,
            last_page: total.div_ceil(per_page).max(1),
        },
    }))
}

fn positive(
    q: &HashMap<String, String>,
    name: &str,
    default: u64,
    max: u64,
) -> Result<u64, ApiError> {
    match q.get(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                ApiError::new(
                    422,
                    "INVALID_PAGINATION",
                    format!("{name} must be an integer from 1 to {max}, got {v:?}"),
                    name,
                )
            }),
    }
}

/// `GET /api/v1/agents/{id}`.
pub async fn get(
    TalkoverEnv(env): TalkoverEnv,
    Path(id): Path<String>,
) -> Reply<Envelope<AgentBody>> {
    let view = env.view.read().await;
    let agent = AgentId::parse(&id)
        .ok()
        .and_then(|a| view.agent(&a))
        .ok_or_else(|| not_found(&id))?;
    Ok(Json(Envelope::ok(AgentBody::from_agent(&agent.agent))))
}

/// `PATCH /api/v1/agents/{id}`.
pub async fn patch(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Reply<Envelope<AgentBody>> {
    let patch = parse_agent_patch(&body).map_err(ApiError::invalid)?;
    let row = blocking(move || ops::patch_agent(&app, &env, &id, patch)).await?;
    Ok(Json(Envelope::ok(AgentBody::from_agent(&row.agent))))
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        404,
        "AGENT_NOT_FOUND",
        format!("agent {id:?} not found"),
        "agent_id",
    )
}

/// `POST` and `PUT /api/v1/agents/{id}/callback`: the seed's response, the agent with its
/// `callback_config`.
pub async fn set_callback(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Reply<Envelope<AgentBody>> {
    let row = blocking(move || ops::set_callback(&app, &env, &id, &body)).await?;
    let mut agent = AgentBody::from_agent(&row.agent);
    agent.phone_numbers = None; // the seed's shape: id, name, direction, callback_config
    Ok(Json(Envelope::ok(agent)))
}

/// `DELETE /api/v1/agents/{id}/callback`.
pub async fn remove_callback(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    Path(id): Path<String>,
) -> Reply<MessageBody> {
    blocking(move || ops::remove_callback(&app, &env, &id)).await?;
    Ok(Json(MessageBody {
        success: true,
        message: "Callback role removed".into(),
    }))
}

/// `GET /api/v1/callback-agents`.
pub async fn list_callback_agents(
    TalkoverEnv(env): TalkoverEnv,
) -> Reply<Envelope<Vec<AgentBody>>> {
    let view = env.view.read().await;
    let data = view
        .agents
        .iter()
        .filter(|r| r.agent.callback_config.is_some())
        .map(|r| AgentBody {
            phone_numbers: None,
            ..AgentBody::from_agent(&r.agent)
        })
        .collect();
    Ok(Json(Envelope::ok(data)))
}

#[derive(Serialize)]
pub struct SourceAgent {
    id: String,
    name: String,
}

#[derive(Serialize)]
pub struct CallbackAgentDetail {
    agent: AgentBody,
    source_agents: Vec<SourceAgent>,
    stats: dialback_core::AgentCallbackTotals,
}

/// `GET /api/v1/callback-agents/{id}`.
pub async fn callback_agent(
    TalkoverEnv(env): TalkoverEnv,
    Path(id): Path<String>,
) -> Reply<Envelope<CallbackAgentDetail>> {
    let view = env.view.read().await;
    let row = AgentId::parse(&id)
        .ok()
        .and_then(|a| view.agent(&a))
        .ok_or_else(|| not_found(&id))?;
    let config = row.agent.callback_config.as_ref().ok_or_else(|| {
        ApiError::new(
            404,
            "CALLBACK_AGENT_NOT_FOUND",
            format!("agent {id:?} is not a callback agent"),
            "agent_id",
        )
    })?;
    let source_agents = config
        .source_agent_ids
        .iter()
        .map(|s| SourceAgent {
            id: s.to_string(),
            name: view.directory.get(s).map_or_else(
                || dialback_core::UNKNOWN_AGENT.to_owned(),
                |a| a.name.clone(),
            ),
        })
        .collect();
    Ok(Json(Envelope::ok(CallbackAgentDetail {
        agent: AgentBody::from_agent(&row.agent),
        source_agents,
        stats: view.callbacks.agent_totals(&row.agent.id),
    })))
}

#[derive(Serialize)]
pub struct CheckResult {
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback_config: Option<dialback_core::wire::talkover::CallbackConfigBody>,
    errors: Vec<dialback_core::wire::FieldError>,
}

/// `POST /api/v1/callback-agents/{id}/check-constraints`: validates a proposed configuration
/// without saving it. 404 if the agent does not exist; otherwise 200 with `valid` and every
/// problem the same request would get from `POST .../callback`.
pub async fn check_constraints(
    TalkoverEnv(env): TalkoverEnv,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Reply<Envelope<CheckResult>> {
    let view = env.view.read().await;
    match ops::check_callback(&view, &id, &body) {
        Ok(config) => Ok(Json(Envelope::ok(CheckResult {
            valid: true,
            callback_config: Some((&config).into()),
            errors: vec![],
        }))),
        Err(e) if e.status == 404 => Err(ApiError(e)),
        Err(e) => Ok(Json(Envelope::ok(CheckResult {
            valid: false,
            callback_config: None,
            errors: e.errors,
        }))),
    }
}

/// `GET /api/v1/callback-agents/stats?start_date=&end_date=&tz=`.
pub async fn stats(
    TalkoverEnv(env): TalkoverEnv,
    Query(q): Query<HashMap<String, String>>,
) -> Reply<Envelope<dialback_core::wire::talkover::CallbackStatsData>> {
    let get = |k: &str| q.get(k).map(String::as_str);
    let range = DateRange::parse(get("start_date"), get("end_date"), get("tz"), clock())
        .map_err(|errors| ApiError::invalid(errors.iter().map(Into::into).collect()))?;
    let view = env.view.read().await;
    Ok(Json(Envelope::ok(
        view.callbacks.stats(&range, &view.directory),
    )))
}
