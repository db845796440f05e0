//! AgentPhone's webhook objects: the webhook, its deliveries, their stats and a test send's
//! answer. Where its clients disagree, both key sets are sent: the official MCP server reads
//! `data`, `event`, `statusCode`, `success`, `deliveredAt` and `responseMs` where the
//! documentation and the SDKs read `items`, `eventType`, `httpStatus`, `status` and
//! `lastAttemptAt`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::webhook::Webhook;
use crate::webhook::delivery::{Counts, Delivery, DeliveryStatus, Stats};

/// The webhook object (every key the vendor's OpenAPI requires).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookObject {
    /// `wh_…`.
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// `whsec_…`: the signing key (new on every create and update).
    pub secret: String,
    /// `active`.
    pub status: String,
    /// How many recent messages `agent.message` events carry.
    pub context_limit: u8,
    /// Seconds one attempt may take.
    pub timeout: u32,
    /// When it was created.
    pub created_at: String,
    /// Extension: the agent it belongs to (`null` for the project's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

impl From<&Webhook> for WebhookObject {
    fn from(w: &Webhook) -> Self {
        WebhookObject {
            id: w.id.clone(),
            url: w.url.clone(),
            secret: w.secret.clone().unwrap_or_default(),
            status: w.status().to_owned(),
            context_limit: w.context_limit,
            timeout: w.timeout_seconds,
            created_at: w.created_at.to_string(),
            agent_id: w.agent.map(|a| a.to_string()),
        }
    }
}

/// A delivery, with the MCP server's keys beside the documented ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeliveryObject {
    /// `whd_…`, the `X-Webhook-ID` of every attempt.
    pub id: String,
    /// The message it is about, for message events.
    pub message_id: Option<String>,
    /// The event.
    pub event_type: Option<String>,
    /// `voice` or `sms`.
    pub channel: Option<String>,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// The last answer's status.
    pub http_status: Option<u16>,
    /// Why the last attempt failed.
    pub error_message: Option<String>,
    /// The last answer's body, clipped.
    pub response_body: Option<String>,
    /// Attempts made.
    pub attempt_count: u8,
    /// When the last attempt was made.
    pub last_attempt_at: Option<String>,
    /// When the next attempt is due.
    pub next_retry_at: Option<String>,
    /// When the event was stored.
    pub created_at: String,
    /// The MCP server's `event`.
    pub event: Option<String>,
    /// The MCP server's `statusCode`.
    pub status_code: Option<u16>,
    /// The MCP server's `success`.
    pub success: bool,
    /// The MCP server's `deliveredAt`.
    pub delivered_at: Option<String>,
    /// The MCP server's `responseMs`.
    pub response_ms: Option<u64>,
    /// Extension: the webhook it went to.
    pub webhook_id: String,
    /// Extension: a test send.
    pub test: bool,
}

impl From<&Delivery> for DeliveryObject {
    fn from(d: &Delivery) -> Self {
        let delivered = d.status == DeliveryStatus::Delivered;
        DeliveryObject {
            id: d.id.clone(),
            message_id: d.message_id.clone(),
            event_type: Some(d.event.clone()),
            channel: d.channel.clone(),
            status: d.status.as_str().to_owned(),
            http_status: d.http_status,
            error_message: d.error.clone(),
            response_body: d.response_body.clone(),
            attempt_count: d.attempts,
            last_attempt_at: d.last_attempt_at.map(|t| t.to_string()),
            next_retry_at: d.next_attempt_at.map(|t| t.to_string()),
            created_at: d.created_at.to_string(),
            event: Some(d.event.clone()),
            status_code: d.http_status,
            success: delivered,
            delivered_at: delivered
                .then_some(d.last_attempt_at)
                .flatten()
                .map(|t| t.to_string()),
            response_ms: d.response_ms,
            webhook_id: d.webhook_id.clone(),
            test: d.test,
        }
    }
}

/// `GET /v1/webhooks/deliveries`: the documented page, with the MCP server's `data` beside
/// `items`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeliveryPage {
    /// This page, newest first.
    pub items: Vec<DeliveryObject>,
    /// The same page, for the MCP server.
    pub data: Vec<DeliveryObject>,
    /// Deliveries in the window.
    pub total: u64,
    /// How many were skipped.
    pub offset: u64,
    /// The page size.
    pub limit: u64,
}

/// Counts by outcome, with the success rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CountsObject {
    /// Every delivery.
    pub total: u64,
    /// Delivered.
    pub success: u64,
    /// Failed after every attempt.
    pub failed: u64,
    /// Still being tried.
    pub pending: u64,
    /// `success` as a percentage of `total`.
    pub success_rate: f64,
}

impl From<&Counts> for CountsObject {
    fn from(c: &Counts) -> Self {
        CountsObject {
            total: c.total,
            success: c.success,
            failed: c.failed,
            pending: c.pending,
            success_rate: c.success_rate(),
        }
    }
}

/// One hour of `byHour`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HourObject {
    /// The hour's start, RFC 3339 UTC.
    pub hour: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: CountsObject,
}

/// `GET /v1/webhooks/deliveries/stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeliveryStatsObject {
    /// The window's counts.
    #[serde(flatten)]
    pub counts: CountsObject,
    /// By event name.
    pub by_event_type: BTreeMap<String, CountsObject>,
    /// By hour, oldest first (hours with deliveries only).
    pub by_hour: Vec<HourObject>,
    /// The window, in hours.
    pub hours: u32,
}

impl DeliveryStatsObject {
    /// The object for a window's stats.
    pub fn new(stats: &Stats, hours: u32) -> Self {
        DeliveryStatsObject {
            counts: CountsObject::from(&stats.all),
            by_event_type: stats
                .by_event
                .iter()
                .map(|(e, c)| (e.clone(), CountsObject::from(c)))
                .collect(),
            by_hour: stats
                .by_hour
                .iter()
                .map(|(h, c)| HourObject {
                    hour: crate::time::Timestamp::from_unix_seconds(*h)
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                    counts: CountsObject::from(c),
                })
                .collect(),
            hours,
        }
    }
}

/// `GET /v1/webhooks/deliveries/all-time`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AllTimeObject {
    /// Every delivery.
    pub total: u64,
    /// Delivered.
    pub success: u64,
    /// Failed.
    pub failed: u64,
    /// `success` as a percentage of `total`.
    pub success_rate: f64,
}

impl From<&Counts> for AllTimeObject {
    fn from(c: &Counts) -> Self {
        AllTimeObject {
            total: c.total,
            success: c.success,
            failed: c.failed,
            success_rate: c.success_rate(),
        }
    }
}

/// `POST /v1/webhooks/test`: the documented keys and the MCP server's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TestResultObject {
    /// Whether the receiver answered 2xx.
    pub success: bool,
    /// Its status, if it answered.
    pub http_status: Option<u16>,
    /// Why not, if it did not.
    pub error_message: Option<String>,
    /// The MCP server's `statusCode`.
    pub status_code: Option<u16>,
    /// The MCP server's `responseMs`.
    pub response_ms: Option<u64>,
    /// The MCP server's `error`.
    pub error: Option<String>,
    /// Extension: the test delivery's id, listed in the log.
    pub delivery_id: String,
}

impl From<&Delivery> for TestResultObject {
    fn from(d: &Delivery) -> Self {
        let success = d.status == DeliveryStatus::Delivered;
        TestResultObject {
            success,
            http_status: d.http_status,
            error_message: d.error.clone(),
            status_code: d.http_status,
            response_ms: d.response_ms,
            error: d.error.clone(),
            delivery_id: d.id.clone(),
        }
    }
}

/// `DELETE /v1/webhooks`: `{"success": true}`, what the MCP server expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Deleted {
    /// Always `true`.
    pub success: bool,
}
