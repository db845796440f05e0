//! Agents (Talkover side): the documented agent endpoints, and our `PATCH`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use dialback_core::wire::requests::agents::{
    parse_agent_patch, parse_calling_update, parse_knowledge_update, parse_new_agent,
};
use dialback_core::wire::requests::queries::parse_agent_list;
use dialback_core::wire::talkover::{AgentBody, CallingSettings, Envelope, MessageEnvelope, Page};

use super::super::blocking;
use super::super::error::TalkoverError;
use super::super::extract::{JsonBody, Params, PathId, TalkoverEnv, TalkoverWrite};
use super::{Reply, read};
use crate::app::App;
use crate::ops::OpError;
use crate::ops::agents::{self, AgentWithNumbers};

fn body(a: &AgentWithNumbers) -> AgentBody {
    AgentBody::new(&a.record, &a.numbers)
}

/// `POST /api/v1/agents`: Talkover's documented body (only `name` and `direction` required);
/// answers 200 with the new draft agent.
pub async fn create(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    JsonBody(json): JsonBody,
) -> Reply<MessageEnvelope<AgentBody>> {
    let new = parse_new_agent(&json).map_err(TalkoverError::request)?;
    let agent = blocking(app.budget(), move || agents::create_agent(&app, &env, new)).await?;
    Ok(Json(MessageEnvelope::ok(
        "Agent created successfully",
        body(&agent),
    )))
}

/// `GET /api/v1/agents?status=&direction=&search=&page=&per_page=`.
pub async fn list(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    Params(q): Params,
) -> Reply<Page<AgentBody>> {
    let query = parse_agent_list(&q).map_err(TalkoverError::request)?;
    let view = read(&app, &env).await?;
    let matching: Vec<&dialback_core::AgentRecord> = view
        .agents
        .all()
        .iter()
        .filter(|r| {
            let numbers = view
                .directory
                .get(&r.id)
                .map_or(&[][..], |a| &a.phone_numbers);
            query.filter.matches(
                &r.name,
                &r.profile.label,
                r.direction,
                r.status,
                numbers.iter().map(ToString::to_string),
            )
        })
        .collect();
    let (page, meta) = query.paging.page_of(matching.into_iter());
    let data = page
        .into_iter()
        .map(|r| AgentBody::new(r, &view.numbers_of(r.id)))
        .collect();
    Ok(Json(Page {
        success: true,
        data,
        meta,
    }))
}

/// `GET /api/v1/agents/{id}`.
pub async fn get(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    PathId(id): PathId,
) -> Reply<Envelope<AgentBody>> {
    let view = read(&app, &env).await?;
    let r = view
        .agent_by_path(&id)
        .ok_or_else(OpError::agent_not_found)?;
    Ok(Json(Envelope::ok(AgentBody::new(
        r,
        &view.numbers_of(r.id),
    ))))
}

/// `PATCH /api/v1/agents/{id}` (our extension): name, `current_status` (publish or
/// unpublish), the profile fields, and `phone_numbers`.
pub async fn patch(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    PathId(id): PathId,
    JsonBody(json): JsonBody,
) -> Reply<MessageEnvelope<AgentBody>> {
    let patch = parse_agent_patch(&json).map_err(TalkoverError::request)?;
    let agent = blocking(app.budget(), move || {
        agents::patch_agent(&app, &env, &id, patch)
    })
    .await?;
    Ok(Json(MessageEnvelope::ok(
        "Agent updated successfully",
        body(&agent),
    )))
}

/// `PUT /api/v1/agents/{id}/calling`: direction and numbers.
pub async fn calling(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    PathId(id): PathId,
    JsonBody(json): JsonBody,
) -> Reply<MessageEnvelope<CallingSettings>> {
    let update = parse_calling_update(&json).map_err(TalkoverError::request)?;
    let agent = blocking(app.budget(), move || {
        agents::update_calling(&app, &env, &id, update)
    })
    .await?;
    Ok(Json(MessageEnvelope::ok(
        "Agent calling settings updated successfully",
        CallingSettings::new(&agent.record, &agent.numbers),
    )))
}

/// `PUT /api/v1/agents/{id}/knowledge`: description, greeting and conversation settings.
pub async fn knowledge(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    PathId(id): PathId,
    JsonBody(json): JsonBody,
) -> Reply<MessageEnvelope<AgentBody>> {
    let update = parse_knowledge_update(&json).map_err(TalkoverError::request)?;
    let agent = blocking(app.budget(), move || {
        agents::update_knowledge(&app, &env, &id, update)
    })
    .await?;
    Ok(Json(MessageEnvelope::ok(
        "Agent knowledge updated successfully",
        body(&agent),
    )))
}
