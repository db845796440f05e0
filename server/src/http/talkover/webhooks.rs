//! Talkover's agent webhooks: list (with `available_events`), create, get, update, toggle,
//! test and delete. The secret (`webhook_secret`) and the authorization credential are
//! stored and never echoed.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dialback_core::AgentId;
use dialback_core::error::ErrorCode;
use dialback_core::webhook::event::TestSample;
use dialback_core::webhook::payload::test_body;
use dialback_core::webhook::{Api, Webhook, WebhookNotFound};
use dialback_core::wire::requests::webhooks::parse_talkover_webhook;
use dialback_core::wire::talkover::webhooks::{TestSentBody, WebhookBody, WebhookListBody};
use dialback_core::wire::talkover::{Envelope, MessageBody, MessageEnvelope};

use super::super::error::TalkoverError;
use super::super::extract::{JsonBody, PathId, TalkoverEnv, TalkoverWrite};
use super::{Reply, read};
use crate::app::{App, Env};
use crate::ops::Failure;
use crate::webhooks::manage;

/// The core's `AGENT_NOT_FOUND`, in the words Talkover's webhook page uses.
fn agent_missing() -> TalkoverError {
    let mut e = crate::ops::OpError::agent_not_found();
    for f in &mut e.errors {
        "Agent not found in this environment.".clone_into(&mut f.message);
    }
    TalkoverError::from(e)
}

fn webhook_missing() -> TalkoverError {
    TalkoverError::new(
        Failure::NotFound,
        WebhookNotFound.code(),
        WebhookNotFound.to_string(),
        "webhook_id",
    )
}

async fn agent_of(app: &App, env: &Arc<Env>, id: &str) -> Result<(AgentId, String), TalkoverError> {
    let view = read(app, env).await?;
    view.agent_by_path(id)
        .map(|a| (a.id, a.name.clone()))
        .ok_or_else(agent_missing)
}

/// The agent's Talkover webhooks.
async fn hooks_of(app: &App, env: &Env, agent: AgentId) -> Result<Vec<Webhook>, TalkoverError> {
    Ok(manage::list(app, env.id)
        .await?
        .into_iter()
        .filter(|w| w.api == Api::Talkover && w.agent == Some(agent))
        .collect())
}

async fn one(app: &App, env: &Arc<Env>, agent: &str, id: &str) -> Result<Webhook, TalkoverError> {
    let (agent, _) = agent_of(app, env, agent).await?;
    hooks_of(app, env, agent)
        .await?
        .into_iter()
        .find(|w| w.id == id)
        .ok_or_else(webhook_missing)
}

/// `GET /api/v1/agents/{id}/webhooks`.
pub async fn list(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    PathId(id): PathId,
) -> Reply<Envelope<WebhookListBody>> {
    let (agent, _) = agent_of(&app, &env, &id).await?;
    let hooks = hooks_of(&app, &env, agent).await?;
    let refs: Vec<&Webhook> = hooks.iter().collect();
    Ok(Json(Envelope::ok(WebhookListBody::new(&refs))))
}

/// `POST /api/v1/agents/{id}/webhooks` → 201.
pub async fn create(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    PathId(id): PathId,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<MessageEnvelope<WebhookBody>>), TalkoverError> {
    let (agent, _) = agent_of(&app, &env, &id).await?;
    let patch = parse_talkover_webhook(&body, true).map_err(TalkoverError::invalid)?;
    let hook = patch.create(uuid::Uuid::new_v4().to_string(), agent, app.now());
    manage::check_receiver(&app, &hook.url, "webhook_url").await?;
    let hook = manage::save(&app, env.id, hook).await?;
    Ok((
        StatusCode::CREATED,
        Json(MessageEnvelope::ok(
            "Webhook created successfully",
            WebhookBody::from(&hook),
        )),
    ))
}

/// `GET /api/v1/agents/{id}/webhooks/{webhook_id}`.
pub async fn get(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    Path((agent, id)): Path<(String, String)>,
) -> Reply<Envelope<WebhookBody>> {
    let hook = one(&app, &env, &agent, &id).await?;
    Ok(Json(Envelope::ok(WebhookBody::from(&hook))))
}

/// `PUT /api/v1/agents/{id}/webhooks/{webhook_id}`: every field optional.
pub async fn update(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    Path((agent, id)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Reply<MessageEnvelope<WebhookBody>> {
    let mut hook = one(&app, &env, &agent, &id).await?;
    let patch = parse_talkover_webhook(&body, false).map_err(TalkoverError::invalid)?;
    let url_changed = patch.url.is_some();
    patch.apply(&mut hook, app.now());
    if url_changed {
        manage::check_receiver(&app, &hook.url, "webhook_url").await?;
    }
    let hook = manage::save(&app, env.id, hook).await?;
    Ok(Json(MessageEnvelope::ok(
        "Webhook updated successfully",
        WebhookBody::from(&hook),
    )))
}

/// `PATCH /api/v1/agents/{id}/webhooks/{webhook_id}/toggle`.
pub async fn toggle(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    Path((agent, id)): Path<(String, String)>,
) -> Reply<MessageEnvelope<WebhookBody>> {
    let mut hook = one(&app, &env, &agent, &id).await?;
    hook.enabled = !hook.enabled;
    hook.updated_at = app.now();
    let hook = manage::save(&app, env.id, hook).await?;
    let message = if hook.enabled {
        "Webhook enabled"
    } else {
        "Webhook disabled"
    };
    Ok(Json(MessageEnvelope::ok(message, WebhookBody::from(&hook))))
}

/// `POST /api/v1/agents/{id}/webhooks/{webhook_id}/test`: the documented `webhook.test`
/// body, sent now (a disabled webhook too: testing is how one is checked before enabling).
pub async fn test(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    Path((agent, id)): Path<(String, String)>,
) -> Reply<MessageEnvelope<TestSentBody>> {
    let (agent_id, name) = agent_of(&app, &env, &agent).await?;
    let hook = one(&app, &env, &agent, &id).await?;
    let payload = test_body(
        &hook,
        Some((agent_id, &name)),
        &TestSample::default(),
        app.now(),
    );
    let d = manage::test(&app, env.id, &hook, payload).await?;
    let ok = d.error.is_none();
    let body = MessageEnvelope {
        success: ok,
        message: if ok {
            "Test webhook sent successfully".to_owned()
        } else {
            format!(
                "Test webhook failed: {}",
                d.error.clone().unwrap_or_default()
            )
        },
        data: TestSentBody {
            status_code: d.http_status,
            response_time: d.response_ms,
            error: d.error.clone(),
            delivery_id: d.id.clone(),
        },
    };
    Ok(Json(body))
}

/// `DELETE /api/v1/agents/{id}/webhooks/{webhook_id}`: its pending deliveries fail.
pub async fn delete(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    Path((agent, id)): Path<(String, String)>,
) -> Reply<MessageBody> {
    let hook = one(&app, &env, &agent, &id).await?;
    manage::delete(&app, env.id, hook.id).await?;
    Ok(Json(MessageBody::ok("Webhook deleted successfully")))
}
