//! AgentPhone's webhooks: the project's (`/v1/webhooks…`) and each agent's
//! (`/v1/agents/{id}/webhook…`). An agent's own webhook replaces the project's for that
//! agent's events. The project's delivery log and stats cover every AgentPhone webhook of the
//! environment (the project's and the agents'); an agent's covers its own.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use dialback_core::AgentId;
use dialback_core::webhook::payload::test_body;
use dialback_core::webhook::{Api, Webhook};
use dialback_core::wire::agentphone::ValidationDetail;
use dialback_core::wire::agentphone::webhooks::{
    AllTimeObject, Deleted, DeliveryObject, DeliveryPage, DeliveryStatsObject, TestResultObject,
    WebhookObject,
};
use dialback_core::wire::requests::webhooks::{
    parse_agentphone_webhook, parse_delivery_query, parse_stats_hours, parse_test_sample,
};
use serde_json::Value;

use super::super::error::AgentPhoneError;
use super::super::extract::{AgentPhoneBody, AgentPhoneEnv, AgentPhoneWrite, Params, PathId};
use super::read;
use crate::app::{App, Env};
use crate::store::outbox::Scope;
use crate::webhooks::{manage, secret, webhook_id};

type Reply<T> = Result<Json<T>, AgentPhoneError>;

/// The agent a path names (404 in AgentPhone's words).
async fn agent_of(
    app: &App,
    env: &Arc<Env>,
    id: &str,
) -> Result<(AgentId, String), AgentPhoneError> {
    let view = read(app, env).await?;
    view.agent_by_path(id)
        .map(|a| (a.id, a.name.clone()))
        .ok_or_else(|| AgentPhoneError::not_found("Agent not found"))
}

/// The AgentPhone webhook of `agent` (`None`: the project's).
async fn find(
    app: &App,
    env: &Env,
    agent: Option<AgentId>,
) -> Result<Option<Webhook>, AgentPhoneError> {
    Ok(manage::list(app, env.id)
        .await?
        .into_iter()
        .find(|w| w.api == Api::AgentPhone && w.agent == agent))
}

/// `null` or the webhook object.
fn maybe(w: Option<Webhook>) -> Response {
    match w {
        Some(w) => Json(WebhookObject::from(&w)).into_response(),
        None => Json(Value::Null).into_response(),
    }
}

async fn set(app: &App, env: &Env, agent: Option<AgentId>, body: &Value) -> Reply<WebhookObject> {
    let input = parse_agentphone_webhook(body).map_err(AgentPhoneError::Invalid)?;
    manage::check_receiver(app, &input.url, "url")
        .await
        .map_err(|e| {
            let msg = e
                .errors
                .first()
                .map(|f| f.message.clone())
                .unwrap_or_default();
            AgentPhoneError::Invalid(vec![ValidationDetail::body(
                "url",
                "value_error",
                format!("Value error, {msg}"),
                Some(Value::from(input.url.clone())),
            )])
        })?;
    let previous = find(app, env, agent).await?;
    let hook = input.webhook(webhook_id(), agent, secret(), previous.as_ref(), app.now());
    let hook = manage::save(app, env.id, hook).await?;
    Ok(Json(WebhookObject::from(&hook)))
}

async fn remove(app: &App, env: &Env, agent: Option<AgentId>) -> Reply<Deleted> {
    if let Some(w) = find(app, env, agent).await? {
        manage::delete(app, env.id, w.id).await?;
    }
    Ok(Json(Deleted { success: true }))
}

/// Sends a test to the webhook of `owner` (`None`: the project's), its payload naming
/// `agent`.
async fn test(
    app: &Arc<App>,
    env: &Arc<Env>,
    owner: Option<AgentId>,
    agent: Option<(AgentId, String)>,
    body: &Value,
) -> Reply<TestResultObject> {
    let sample = parse_test_sample(body).map_err(AgentPhoneError::Invalid)?;
    let hook = find(app, env, owner)
        .await?
        .ok_or_else(|| AgentPhoneError::not_found("No webhook configured"))?;
    let payload = test_body(
        &hook,
        agent.as_ref().map(|(id, name)| (*id, name.as_str())),
        &sample,
        app.now(),
    );
    let delivery = manage::test(app, env.id, &hook, payload).await?;
    Ok(Json(TestResultObject::from(&delivery)))
}

/// `GET /v1/webhooks`: the project webhook, or `null`.
pub async fn project_get(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
) -> Result<Response, AgentPhoneError> {
    Ok(maybe(find(&app, &env, None).await?))
}

/// `POST /v1/webhooks`: creates or replaces the project webhook, with a new secret.
pub async fn project_set(
    State(app): State<Arc<App>>,
    AgentPhoneWrite(env): AgentPhoneWrite,
    AgentPhoneBody(body): AgentPhoneBody,
) -> Reply<WebhookObject> {
    set(&app, &env, None, &body).await
}

/// `DELETE /v1/webhooks`.
pub async fn project_delete(
    State(app): State<Arc<App>>,
    AgentPhoneWrite(env): AgentPhoneWrite,
) -> Reply<Deleted> {
    remove(&app, &env, None).await
}

/// `POST /v1/webhooks/test[?agentId=]`: a sample `agent.message` marked `"test": true`, sent
/// now to the project webhook.
pub async fn project_test(
    State(app): State<Arc<App>>,
    AgentPhoneWrite(env): AgentPhoneWrite,
    Params(q): Params,
    AgentPhoneBody(body): AgentPhoneBody,
) -> Reply<TestResultObject> {
    let agent = match q.get("agentId") {
        Some(id) => Some(agent_of(&app, &env, id).await?),
        None => None,
    };
    test(&app, &env, None, agent, &body).await
}

/// Every AgentPhone webhook's id (the project log's scope).
async fn agentphone_ids(app: &App, env: &Env) -> Result<Vec<String>, AgentPhoneError> {
    Ok(manage::list(app, env.id)
        .await?
        .into_iter()
        .filter(|w| w.api == Api::AgentPhone)
        .map(|w| w.id)
        .collect())
}

fn since(app: &App, hours: Option<u32>) -> Option<i64> {
    hours.map(|h| app.now().unix_seconds() - i64::from(h) * 3600)
}

/// `GET /v1/webhooks/deliveries?limit=&offset=&hours=[&webhookId=]` (`webhookId`, ours: one
/// webhook's deliveries, a Talkover one's too).
pub async fn project_deliveries(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<DeliveryPage> {
    let query = parse_delivery_query(&q).map_err(AgentPhoneError::Invalid)?;
    let webhooks = match query.webhook.clone() {
        Some(id) => vec![id],
        None => agentphone_ids(&app, &env).await?,
    };
    let scope = Scope {
        webhooks: Some(webhooks),
        since: since(&app, query.hours),
        tests: true,
    };
    let (page, total) = manage::deliveries(&app, env.id, scope, query.offset, query.limit).await?;
    let items: Vec<DeliveryObject> = page.iter().map(DeliveryObject::from).collect();
    Ok(Json(DeliveryPage {
        data: items.clone(),
        items,
        total,
        offset: query.offset,
        limit: query.limit,
    }))
}

/// `GET /v1/webhooks/deliveries/stats?hours=` (default 24).
pub async fn project_stats(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<DeliveryStatsObject> {
    let hours = parse_stats_hours(&q).map_err(AgentPhoneError::Invalid)?;
    let scope = Scope {
        webhooks: Some(agentphone_ids(&app, &env).await?),
        since: since(&app, Some(hours)),
        tests: false,
    };
    let stats = manage::stats(&app, env.id, scope).await?;
    Ok(Json(DeliveryStatsObject::new(&stats, hours)))
}

/// `GET /v1/webhooks/deliveries/all-time`.
pub async fn project_all_time(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
) -> Reply<AllTimeObject> {
    let scope = Scope {
        webhooks: Some(agentphone_ids(&app, &env).await?),
        since: None,
        tests: false,
    };
    let stats = manage::stats(&app, env.id, scope).await?;
    Ok(Json(AllTimeObject::from(&stats.all)))
}

/// `GET /v1/agents/{id}/webhook`: the agent's own webhook, or `null`.
pub async fn agent_get(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    PathId(id): PathId,
) -> Result<Response, AgentPhoneError> {
    let (agent, _) = agent_of(&app, &env, &id).await?;
    Ok(maybe(find(&app, &env, Some(agent)).await?))
}

/// `POST /v1/agents/{id}/webhook`.
pub async fn agent_set(
    State(app): State<Arc<App>>,
    AgentPhoneWrite(env): AgentPhoneWrite,
    PathId(id): PathId,
    AgentPhoneBody(body): AgentPhoneBody,
) -> Reply<WebhookObject> {
    let (agent, _) = agent_of(&app, &env, &id).await?;
    set(&app, &env, Some(agent), &body).await
}

/// `DELETE /v1/agents/{id}/webhook`: the agent's events go to the project webhook again.
pub async fn agent_delete(
    State(app): State<Arc<App>>,
    AgentPhoneWrite(env): AgentPhoneWrite,
    PathId(id): PathId,
) -> Reply<Deleted> {
    let (agent, _) = agent_of(&app, &env, &id).await?;
    remove(&app, &env, Some(agent)).await
}

/// `POST /v1/agents/{id}/webhook/test`.
pub async fn agent_test(
    State(app): State<Arc<App>>,
    AgentPhoneWrite(env): AgentPhoneWrite,
    PathId(id): PathId,
    AgentPhoneBody(body): AgentPhoneBody,
) -> Reply<TestResultObject> {
    let agent = agent_of(&app, &env, &id).await?;
    test(&app, &env, Some(agent.0), Some(agent), &body).await
}

/// `GET /v1/agents/{id}/webhook/deliveries?limit=`: a bare array, as documented.
pub async fn agent_deliveries(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    PathId(id): PathId,
    Params(q): Params,
) -> Reply<Vec<DeliveryObject>> {
    let (agent, _) = agent_of(&app, &env, &id).await?;
    let query = parse_delivery_query(&q).map_err(AgentPhoneError::Invalid)?;
    let Some(hook) = find(&app, &env, Some(agent)).await? else {
        return Ok(Json(Vec::new()));
    };
    let scope = Scope {
        webhooks: Some(vec![hook.id]),
        since: since(&app, query.hours),
        tests: true,
    };
    let (page, _) = manage::deliveries(&app, env.id, scope, query.offset, query.limit).await?;
    Ok(Json(page.iter().map(DeliveryObject::from).collect()))
}
