//! The webhook outbox: webhooks, and deliveries stored in the same transaction as the write
//! that caused them (so an acknowledged write never loses its events, `kill -9` or not), then
//! claimed, sent and finished by the dispatcher (`crate::webhooks`).
//!
//! A pending delivery's `next_attempt_ms` is when it is due. Claiming one moves that time past
//! the attempt's deadline (a lease) and counts the attempt, in one statement: a server killed
//! mid-send leaves a delivery that comes due again when the lease ends, for any server to
//! send; a late finish of an attempt that was claimed again since is ignored (it names the
//! attempt it finishes).

use dialback_core::webhook::Webhook;
use dialback_core::webhook::delivery::{Delivery, DeliveryStatus};

use super::{EnvId, Result};

/// A delivery to store.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    /// `whd_…`.
    pub id: String,
    /// The webhook.
    pub webhook_id: String,
    /// The event's name in the webhook's dialect.
    pub event: String,
    /// AgentPhone's channel.
    pub channel: Option<String>,
    /// The message it is about.
    pub message_id: Option<String>,
    /// The exact bytes to send.
    pub body: Vec<u8>,
    /// Every attempt it may take.
    pub attempts: u8,
    /// When it was made, Unix milliseconds.
    pub created_ms: i64,
    /// A test send.
    pub test: bool,
}

/// A delivery claimed for one attempt.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// Its row.
    pub seq: i64,
    /// The environment.
    pub env: EnvId,
    /// `whd_…`.
    pub id: String,
    /// The webhook.
    pub webhook_id: String,
    /// What to send.
    pub body: Vec<u8>,
    /// This attempt's number (1-based).
    pub attempt: u8,
    /// When it was stored, Unix milliseconds.
    pub created_ms: i64,
}

/// What an attempt came to.
#[derive(Debug, Clone)]
pub struct Finished {
    /// Where the delivery stands now.
    pub status: DeliveryStatus,
    /// When the next attempt is due (pending only).
    pub next_ms: Option<i64>,
    /// The answer's status.
    pub http_status: Option<u16>,
    /// Why it failed.
    pub error: Option<String>,
    /// The answer's body, clipped.
    pub response_body: Option<String>,
    /// How long the attempt took.
    pub response_ms: u64,
    /// When it ended, Unix milliseconds.
    pub at_ms: i64,
}

/// Which deliveries a list or count covers.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Only these webhooks' (`None`: every webhook of the environment).
    pub webhooks: Option<Vec<String>>,
    /// Only those created at or after this, Unix seconds.
    pub since: Option<i64>,
    /// Test sends too.
    pub tests: bool,
}

/// Deliveries counted: `(event, hour start, status, how many)`.
pub type Grouped = Vec<(String, i64, DeliveryStatus, u64)>;

/// The durable side of webhooks.
pub trait Outbox: Send + Sync {
    /// An environment's webhooks, oldest first.
    fn webhooks_of(&self, env: EnvId) -> Result<Vec<Webhook>>;
    /// Every enabled webhook with its environment (the dispatcher's round).
    fn enabled_webhooks(&self) -> Result<Vec<(EnvId, Webhook)>>;
    /// Creates or replaces a webhook.
    fn put_webhook(&self, env: EnvId, webhook: &Webhook) -> Result<()>;
    /// Deletes a webhook; its pending deliveries fail ("the webhook was deleted"). `false`
    /// when there was none.
    fn delete_webhook(&self, env: EnvId, id: &str, at_ms: i64) -> Result<bool>;
    /// Claims up to `max` of a webhook's due deliveries, oldest due first, each until
    /// `lease_until_ms`.
    fn claim(
        &self,
        webhook_id: &str,
        now_ms: i64,
        lease_until_ms: i64,
        max: usize,
    ) -> Result<Vec<Claimed>>;
    /// Records an attempt's end (ignored if the delivery was claimed again since).
    fn finish(&self, seq: i64, attempt: u8, result: &Finished) -> Result<()>;
    /// Stores a test send and its one attempt.
    fn record_test(&self, env: EnvId, delivery: &NewDelivery, result: &Finished) -> Result<()>;
    /// A page of deliveries, newest first, with how many the scope holds.
    fn deliveries(
        &self,
        env: EnvId,
        scope: &Scope,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Delivery>, u64)>;
    /// Deliveries counted by event, hour and status.
    fn delivery_counts(&self, env: EnvId, scope: &Scope) -> Result<Grouped>;
    /// Non-test deliveries created in `[from, to)` (Unix seconds), counted by the quarter hour
    /// they were created in (every zone's offset is a whole number of quarter hours, so the
    /// quarters fall into local days exactly).
    fn delivery_quarters(&self, env: EnvId, from: i64, to: i64) -> Result<Vec<(i64, u64)>>;
    /// Pending deliveries across every environment (the queue depth).
    fn pending(&self) -> Result<u64>;
}
