//! Talkover's agent webhooks: the webhook object (`webhook_secret` and the authorization
//! credential are never echoed), the list with `available_events`, and a test send's answer.
//! Its webhook timestamps carry microseconds (`2025-09-03T23:19:51.000000Z`), as documented.

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;
use crate::webhook::Webhook;
use crate::webhook::event::TALKOVER_EVENTS;

/// One of `custom_headers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct HeaderBody {
    /// The header's name.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// The webhook object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct WebhookBody {
    /// A UUID.
    pub id: String,
    /// The agent whose events it receives.
    pub agent_id: String,
    /// Its name.
    pub name: String,
    /// Where deliveries go.
    pub webhook_url: String,
    /// The events it receives.
    pub events: Vec<String>,
    /// Seconds one attempt may take.
    pub timeout: u32,
    /// Retries after the first attempt.
    pub max_retries: u8,
    /// Whether deliveries are made.
    pub enabled: bool,
    /// `POST`, `PUT` or `PATCH`.
    pub http_method: String,
    /// `none`, `bearer`, `basic`, `api_key` or `custom`.
    pub authorization_scheme: String,
    /// Headers sent with every delivery.
    pub custom_headers: Vec<HeaderBody>,
    /// When it was created.
    pub created_at: String,
    /// When it was last changed.
    pub updated_at: String,
    /// `events.len()`.
    pub events_count: usize,
    /// `active` or `disabled`.
    pub status: String,
    /// Extension: whether deliveries are signed (a `webhook_secret` was given).
    #[serde(default)]
    pub signed: bool,
}

/// `2025-09-03T23:19:51.000000Z`.
pub fn micros(at: Timestamp) -> String {
    let s = at.to_string();
    match s.strip_suffix('Z') {
        Some(head) => format!("{head}.000000Z"),
        None => s,
    }
}

impl From<&Webhook> for WebhookBody {
    fn from(w: &Webhook) -> Self {
        WebhookBody {
            id: w.id.clone(),
            agent_id: w.agent.map(|a| a.to_string()).unwrap_or_default(),
            name: w.name.clone(),
            webhook_url: w.url.clone(),
            events: w.events.clone(),
            timeout: w.timeout_seconds,
            max_retries: w.attempts.saturating_sub(1),
            enabled: w.enabled,
            http_method: w.method.as_str().to_owned(),
            authorization_scheme: w.auth_scheme.as_str().to_owned(),
            custom_headers: w
                .headers
                .iter()
                .map(|(key, value)| HeaderBody {
                    key: key.clone(),
                    value: value.clone(),
                })
                .collect(),
            created_at: micros(w.created_at),
            updated_at: micros(w.updated_at),
            events_count: w.events.len(),
            status: w.status().to_owned(),
            signed: w.secret.is_some(),
        }
    }
}

/// `GET /api/v1/agents/{id}/webhooks`'s `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct WebhookListBody {
    /// The agent's webhooks, oldest first.
    pub webhooks: Vec<WebhookBody>,
    /// Every event name a webhook may subscribe to, with what it means.
    pub available_events: serde_json::Map<String, serde_json::Value>,
}

impl WebhookListBody {
    /// The list, with the event catalogue.
    pub fn new(webhooks: &[&Webhook]) -> Self {
        WebhookListBody {
            webhooks: webhooks.iter().map(|w| WebhookBody::from(*w)).collect(),
            available_events: TALKOVER_EVENTS
                .iter()
                .map(|(n, d)| ((*n).to_owned(), serde_json::Value::from(*d)))
                .collect(),
        }
    }
}

/// A test send's `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TestSentBody {
    /// The receiver's status (`null` when it did not answer).
    pub status_code: Option<u16>,
    /// Milliseconds until it answered.
    pub response_time: Option<u64>,
    /// Extension: why it failed, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Extension: the test delivery's id.
    pub delivery_id: String,
}
