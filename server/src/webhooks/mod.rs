//! Sending webhooks. The rules are the core's (`dialback_core::webhook`); here are the parts
//! with I/O: deliveries built from what a write stored (`events`), stored in that write's
//! transaction (`store::outbox`), and sent by one dispatcher per server (`dispatch`), one
//! attempt at a time (`send`).

mod dispatch;
pub mod events;
pub mod inbox;
pub mod manage;
pub mod send;

use std::time::Duration;

use dialback_core::webhook::retry::FIRST_WAIT_MS;

pub use dispatch::run;

/// How webhooks are sent.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Receivers on loopback, private and link-local addresses are allowed
    /// (`--webhook-allow-private`): for the demo, tests, and networks where receivers are
    /// inside by design.
    pub allow_private: bool,
    /// The wait after a first failure, milliseconds (`--webhook-first-retry-ms`; 5000 by
    /// default, which gives the published schedule).
    pub first_wait_ms: u64,
    /// Attempts in flight at once, over every receiver.
    pub concurrency: usize,
    /// Attempts in flight at once to one webhook: a slow receiver holds at most this many
    /// of the slots above.
    pub per_webhook: usize,
    /// How often the dispatcher looks for due deliveries when nothing woke it (retries, and
    /// deliveries other servers stored).
    pub poll: Duration,
    /// Whether `/demo/webhooks` receives (`serve --demo`).
    pub demo_receiver: bool,
    /// Whether this server sends at all (`--no-webhook-delivery`: replicas that only answer
    /// requests; events are still stored for the others to send).
    pub deliver: bool,
}

impl WebhookSettings {
    /// Attempts in flight at once by default (`--webhook-concurrency`).
    pub const CONCURRENCY: usize = 64;
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            allow_private: false,
            first_wait_ms: FIRST_WAIT_MS,
            concurrency: Self::CONCURRENCY,
            per_webhook: 8,
            poll: Duration::from_millis(500),
            deliver: true,
            demo_receiver: false,
        }
    }
}

/// The webhook sender a server holds.
pub struct Webhooks {
    /// How it sends.
    pub settings: WebhookSettings,
    client: reqwest::Client,
    /// Rung after a write stores deliveries, and when an attempt ends (a slot is free).
    wake: tokio::sync::Notify,
    /// What the demo's receiver got (`serve --demo`).
    pub inbox: inbox::Inbox,
}

impl Webhooks {
    /// A sender with these settings.
    pub fn new(settings: WebhookSettings) -> Self {
        let client = send::client(settings.allow_private).unwrap_or_else(|e| {
            // building a client fails only without a TLS backend, which is compiled in
            tracing::error!(error = %e, "the webhook client could not be built");
            reqwest::Client::new()
        });
        Webhooks {
            settings,
            client,
            wake: tokio::sync::Notify::new(),
            inbox: inbox::Inbox::default(),
        }
    }

    /// Tells the dispatcher that deliveries may be due now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// The client attempts go through.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

/// Unix milliseconds now, from the server's clock for seconds (so a test's moved clock moves
/// schedules too) and the system's for the fraction.
pub fn now_ms(app: &crate::app::App) -> i64 {
    let secs = app.now().unix_seconds();
    let frac = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::from(d.subsec_millis()));
    secs.saturating_mul(1000).saturating_add(frac)
}

/// A new delivery id: `whd_` and 32 hex digits (128 random bits).
pub fn delivery_id() -> String {
    format!("whd_{}", uuid::Uuid::new_v4().simple())
}

/// A new AgentPhone webhook id.
pub fn webhook_id() -> String {
    format!("wh_{}", uuid::Uuid::new_v4().simple())
}

/// A new AgentPhone secret: `whsec_` and 256 random bits in hex.
pub fn secret() -> String {
    format!(
        "whsec_{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}
