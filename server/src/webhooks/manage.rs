//! What both APIs' webhook endpoints do, in one place: list, save (after the receiver rule),
//! delete, test, and read the delivery log. Handlers only translate to and from each dialect.

use std::sync::Arc;

use dialback_core::Timestamp;
use dialback_core::webhook::address::Refusal;
use dialback_core::webhook::delivery::{AttemptResult, Delivery, DeliveryStatus, Stats};
use dialback_core::webhook::{Api, EventKind, Webhook};

use super::send::{attempt, check_resolves};
use super::{delivery_id, now_ms};
use crate::app::App;
use crate::ops::{Failure, OpError};
use crate::store::EnvId;
use crate::store::outbox::{Finished, NewDelivery, Scope};

fn storage(e: &crate::store::StoreError) -> OpError {
    OpError::storage(e)
}

/// An environment's webhooks, oldest first.
pub async fn list(app: &App, env: EnvId) -> Result<Vec<Webhook>, OpError> {
    app.storage(move |s| s.outbox().webhooks_of(env))
        .await
        .map_err(|e| storage(&e))
}

/// Why a receiver URL is refused (422 `WEBHOOK_URL_NOT_PUBLIC`), checked where its name
/// resolves now.
pub async fn check_receiver(app: &App, url: &str, field: &str) -> Result<(), OpError> {
    check_resolves(url, app.webhooks.settings.allow_private)
        .await
        .map_err(|why| OpError::one(Failure::Invalid, Refusal::CODE, why, field))
}

/// Stores a webhook (created or changed).
pub async fn save(app: &App, env: EnvId, hook: Webhook) -> Result<Webhook, OpError> {
    let stored = hook.clone();
    app.storage(move |s| s.outbox().put_webhook(env, &stored))
        .await
        .map_err(|e| storage(&e))?;
    app.webhooks.wake();
    Ok(hook)
}

/// Deletes a webhook; `false` when there was none.
pub async fn delete(app: &App, env: EnvId, id: String) -> Result<bool, OpError> {
    let at = now_ms(app);
    app.storage(move |s| s.outbox().delete_webhook(env, &id, at))
        .await
        .map_err(|e| storage(&e))
}

/// Sends `body` to `hook` now, once, and keeps the attempt in the log as a test delivery.
pub async fn test(
    app: &Arc<App>,
    env: EnvId,
    hook: &Webhook,
    body: Vec<u8>,
) -> Result<Delivery, OpError> {
    let id = delivery_id();
    let created_ms = now_ms(app);
    let done = attempt(
        app.webhooks.client(),
        hook,
        &id,
        body.clone(),
        app.now().unix_seconds(),
        app.webhooks.settings.allow_private,
    )
    .await;
    let delivered = matches!(done.result, AttemptResult::Answered(200..=299));
    let http_status = match done.result {
        AttemptResult::Answered(s) => Some(s),
        AttemptResult::NoAnswer => None,
    };
    let event = match hook.api {
        Api::AgentPhone => EventKind::Test.agentphone_name(),
        Api::Talkover => EventKind::Test.talkover_name(),
    };
    let delivery = NewDelivery {
        id: id.clone(),
        webhook_id: hook.id.clone(),
        event: event.to_owned(),
        channel: (hook.api == Api::AgentPhone).then(|| EventKind::Test.channel().to_owned()),
        message_id: None,
        body,
        attempts: 1,
        created_ms,
        test: true,
    };
    let status = if delivered {
        DeliveryStatus::Delivered
    } else {
        DeliveryStatus::Failed
    };
    let response_ms = u64::try_from(done.elapsed.as_millis()).unwrap_or(u64::MAX);
    let finished = Finished {
        status,
        next_ms: None,
        http_status,
        error: done.error.clone(),
        response_body: done.body.clone(),
        response_ms,
        at_ms: now_ms(app),
    };
    app.storage(move |s| s.outbox().record_test(env, &delivery, &finished))
        .await
        .map_err(|e| storage(&e))?;
    let at = Timestamp::from_unix_seconds(created_ms.div_euclid(1000)).unwrap_or(Timestamp::EPOCH);
    Ok(Delivery {
        id,
        webhook_id: hook.id.clone(),
        event: event.to_owned(),
        channel: None,
        message_id: None,
        status,
        attempts: 1,
        http_status,
        error: done.error,
        response_body: done.body,
        last_attempt_at: Some(at),
        next_attempt_at: None,
        created_at: at,
        response_ms: Some(response_ms),
        test: true,
    })
}

/// A page of the delivery log and the scope's total.
pub async fn deliveries(
    app: &App,
    env: EnvId,
    scope: Scope,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Delivery>, u64), OpError> {
    app.storage(move |s| s.outbox().deliveries(env, &scope, offset, limit))
        .await
        .map_err(|e| storage(&e))
}

/// The scope's deliveries counted.
pub async fn stats(app: &App, env: EnvId, scope: Scope) -> Result<Stats, OpError> {
    let groups = app
        .storage(move |s| s.outbox().delivery_counts(env, &scope))
        .await
        .map_err(|e| storage(&e))?;
    let mut stats = Stats::default();
    for (event, hour, status, n) in groups {
        stats.add(&event, hour, status, n);
    }
    Ok(stats)
}
