//! The demo's receiver (`serve --demo` only): `POST /demo/webhooks` takes deliveries the way
//! a user's receiver would, checking each signature with the core's verifier against the
//! environment's webhook secrets, prints one line per delivery, and keeps the last 50 for
//! `GET /demo/webhooks`. A newcomer records a call and sees its signed events arrive.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use dialback_core::webhook::signature::verify;
use serde_json::{Value, json};

use crate::app::App;
use crate::webhooks::manage;

/// How many deliveries the demo inbox keeps.
const KEEP: usize = 50;

/// The last deliveries the demo receiver got, newest first.
#[derive(Default)]
pub struct Inbox(Mutex<VecDeque<Value>>);

impl Inbox {
    fn push(&self, entry: Value) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.push_front(entry);
        kept.truncate(KEEP);
    }

    fn all(&self) -> Vec<Value> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// `POST /demo/webhooks`.
pub async fn receive(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Json<Value> {
    let (ts, sig, id) = (
        header(&headers, "x-webhook-timestamp"),
        header(&headers, "x-webhook-signature"),
        header(&headers, "x-webhook-id"),
    );
    let now = app.now().unix_seconds();
    let mut verified = false;
    for env in app.environments() {
        if let Ok(hooks) = manage::list(&app, env.id).await {
            verified |= hooks
                .iter()
                .filter_map(|h| h.secret.as_deref())
                .any(|secret| verify(secret, ts, &body, sig, now).is_ok());
        }
    }
    let event: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let name = event
        .get("event")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned();
    println!(
        "  demo receiver: {name} ({id}), signature {}",
        if verified { "verified" } else { "NOT verified" }
    );
    app.webhooks.inbox.push(json!({
        "id": id,
        "event": name,
        "signatureVerified": verified,
        "timestamp": ts,
        "body": event,
    }));
    Json(json!({"received": true}))
}

/// `GET /demo/webhooks`: what the demo receiver got, newest first.
pub async fn list(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!({"deliveries": app.webhooks.inbox.all()}))
}
