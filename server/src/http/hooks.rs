//! `POST /hooks/agentphone/{source_id}`: AgentPhone's webhooks, taken as they happen. The
//! delivery is verified exactly as the official SDK's `verify_webhook` does (HMAC-SHA256 over
//! `"{X-Webhook-Timestamp}.{raw body}"` with the source's `whsec_` secret, at most 300 s
//! off); a call is recorded and routed on arrival, as `POST /api/v1/calls` does (and sends
//! Dialback's own webhooks); a message is recorded. Its `X-Webhook-ID` is stored in the
//! same transaction, so a delivery sent again stores nothing twice: a retry (signed anew) is
//! acknowledged as a duplicate so the platform stops, a replay of the very same request is
//! refused (409). Nothing is stored from a delivery that fails verification: the answer is
//! 401 with the reason.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use dialback_core::error::ErrorCode;
use dialback_core::source::calls::new_call;
use dialback_core::source::delivery::{Delivered, read_delivery};
use dialback_core::source::{Platform, identity};
use dialback_core::webhook::signature::{SignatureError, verify};
use dialback_core::wire::requests::NewMessage;
use serde_json::{Value, json};

use super::error::AgentPhoneError;
use crate::app::App;
use crate::ops::Recorded;
use crate::ops::calls::{Once, Receipt, record_calls_once, record_messages_once};
use crate::store::sources::Seen;

fn refused(status: u16, code: &'static str, message: impl Into<String>) -> AgentPhoneError {
    let kind = match status {
        401 => "authentication_error",
        404 => "not_found",
        503 => "api_error",
        _ => "invalid_request_error",
    };
    AgentPhoneError::Status {
        status,
        message: message.into(),
        code,
        kind,
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h str, AgentPhoneError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            let missing = SignatureError::Missing(name);
            refused(401, missing.code(), missing.to_string())
        })
}

/// Takes one delivery.
pub async fn agentphone(
    State(app): State<Arc<App>>,
    Path(source_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, AgentPhoneError> {
    let not_found = || {
        refused(
            404,
            "NOT_FOUND",
            format!("no source {source_id:?} takes webhooks here"),
        )
    };
    let id: i64 = source_id.parse().map_err(|_| not_found())?;
    let sources = app
        .storage(|s| s.sources().sources())
        .await
        .map_err(|e| refused(503, "SERVICE_UNAVAILABLE", e.to_string()))?;
    let source = sources
        .into_iter()
        .find(|s| s.id == id && s.platform == Platform::Agentphone)
        .ok_or_else(not_found)?;
    let secret_ref = source.webhook_secret.as_ref().ok_or_else(not_found)?;
    let secret = secret_ref.read().map_err(|e| {
        tracing::error!(source = id, error = %e, "the source's webhook secret cannot be read");
        refused(
            503,
            "SERVICE_UNAVAILABLE",
            "this source's webhook secret is not available",
        )
    })?;
    let signature = header(&headers, "x-webhook-signature")?;
    let timestamp = header(&headers, "x-webhook-timestamp")?;
    let delivery_id = header(&headers, "x-webhook-id")?.to_owned();
    verify(
        &secret,
        timestamp,
        &body,
        signature,
        app.now().unix_seconds(),
    )
    .map_err(|e| refused(401, e.code(), e.to_string()))?;

    let delivered = read_delivery(&body)
        .map_err(|e| refused(400, e.code(), format!("the delivery cannot be read: {e}")))?;
    let env = app.env(source.env).ok_or_else(not_found)?;
    app.ready_for_writing(&env)
        .await
        .map_err(|e| refused(503, "SERVICE_UNAVAILABLE", e.to_string()))?;
    let receipt = Receipt {
        source: id,
        delivery_id,
        signature: signature.to_owned(),
    };
    let directory = env.view.read().await.directory.clone();
    let stored = match delivered {
        Delivered::Ignored(why) => {
            return Ok(Json(
                json!({"received": true, "stored": null, "reason": why}),
            ));
        }
        Delivered::Call(call) => {
            let call = new_call(Platform::Agentphone, &call, &directory)
                .map_err(|e| refused(400, e.code(), e.to_string()))?
                .into_iter()
                .collect();
            let (app2, env2) = (app.clone(), env.clone());
            let recorded = super::blocking(app.budget(), move || {
                record_calls_once(&app2, &env2, call, true, Some(&receipt))
            })
            .await
            .map_err(AgentPhoneError::from)?;
            match recorded {
                Once::Before(seen) => Err(seen),
                Once::Done(rows) => Ok(match rows.as_slice() {
                    [Recorded::Created(c)] => json!({"call": c.id.to_string()}),
                    [Recorded::Existing(c)] => json!({"call": c.id.to_string(), "existing": true}),
                    [Recorded::Rejected(errors) | Recorded::Conflict(errors)] => {
                        let why = errors
                            .first()
                            .map_or_else(String::new, |e| e.message.clone());
                        json!({"call": null, "refused": why})
                    }
                    _ => json!({"call": null}),
                }),
            }
        }
        Delivered::Message {
            agent,
            direction,
            from,
            to,
            at,
        } => {
            let agent_id = agent
                .map(|a| identity::local_agent_id(Platform::Agentphone, &a))
                .filter(|a| directory.get(a).is_some());
            let message = NewMessage {
                agent_id,
                direction,
                from,
                to,
                sent_at: at,
            };
            let (app2, env2) = (app.clone(), env.clone());
            let recorded = super::blocking(app.budget(), move || {
                record_messages_once(&app2, &env2, vec![message], Some(&receipt))
            })
            .await
            .map_err(AgentPhoneError::from)?;
            match recorded {
                Once::Before(seen) => Err(seen),
                Once::Done(rows) => Ok(json!({"message": rows.first().map(|m| m.id)})),
            }
        }
    };
    match stored {
        Ok(what) => Ok(Json(json!({"received": true, "stored": what}))),
        // the platform sending it again, signed anew: it missed our answer; stop it retrying
        Err(Seen::Retried | Seen::New) => Ok(Json(json!({"received": true, "duplicate": true}))),
        Err(Seen::Replayed) => Err(refused(
            409,
            SignatureError::Replayed.code(),
            SignatureError::Replayed.to_string(),
        )),
    }
}
