//! A delivery: one event sent to one webhook, with every retry inside it. What an attempt's
//! result means for it, and what the delivery log adds up to.
//!
//! Counting (the usage counters and the stats): one delivery counts once however many
//! attempts it takes; it is `pending` until it succeeds (`delivered`) or runs out of
//! attempts (`failed`), so `total = success + failed + pending`. Test sends are deliveries of
//! their own, listed in the log, and not counted in usage (they are not events).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::retry::RetryPolicy;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Not yet delivered, attempts left.
    Pending,
    /// A receiver answered 2xx.
    Delivered,
    /// Every attempt failed.
    Failed,
}

impl DeliveryStatus {
    /// As stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    /// From storage.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(DeliveryStatus::Pending),
            "delivered" => Some(DeliveryStatus::Delivered),
            "failed" => Some(DeliveryStatus::Failed),
            _ => None,
        }
    }
}

/// What one attempt got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptResult {
    /// The receiver answered with this status.
    Answered(u16),
    /// No answer: refused, unreachable, timed out, or the address was not allowed.
    NoAnswer,
}

/// What follows an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Done: the receiver took it.
    Delivered,
    /// Try again after this many milliseconds.
    RetryAfter(u64),
    /// No attempts left.
    Failed,
}

/// After attempt number `attempt` (1-based) of a delivery got `result`: any 2xx is
/// delivered; anything else (3xx too: redirects are not followed) is retried while attempts
/// remain.
pub fn after_attempt(
    result: &AttemptResult,
    attempt: u8,
    policy: &RetryPolicy,
    jitter: u64,
) -> Next {
    if matches!(result, AttemptResult::Answered(200..=299)) {
        return Next::Delivered;
    }
    match policy.wait_after(attempt, jitter) {
        Some(wait) => Next::RetryAfter(wait),
        None => Next::Failed,
    }
}

/// A delivery as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Its id (`whd_…`), sent as `X-Webhook-ID` on every attempt.
    pub id: String,
    /// The webhook it goes to.
    pub webhook_id: String,
    /// The event's name in that webhook's dialect.
    pub event: String,
    /// AgentPhone's channel (`voice`, `sms`).
    pub channel: Option<String>,
    /// The message it is about (`msg_…`), for message events.
    pub message_id: Option<String>,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: u8,
    /// The last answer's HTTP status.
    pub http_status: Option<u16>,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The last answer's body, clipped to [`RESPONSE_BODY_BYTES`].
    pub response_body: Option<String>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<crate::time::Timestamp>,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_at: Option<crate::time::Timestamp>,
    /// When the event was stored.
    pub created_at: crate::time::Timestamp,
    /// How long the last attempt took, in milliseconds.
    pub response_ms: Option<u64>,
    /// A test send.
    pub test: bool,
}

/// The longest part of a receiver's answer that is kept (bytes; the rest is not read).
pub const RESPONSE_BODY_BYTES: usize = 1024;

/// Deliveries counted by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Every delivery.
    pub total: u64,
    /// Delivered.
    pub success: u64,
    /// Failed.
    pub failed: u64,
    /// Still trying.
    pub pending: u64,
}

impl Counts {
    /// Adds `n` deliveries in `status`.
    pub fn add(&mut self, status: DeliveryStatus, n: u64) {
        self.total += n;
        match status {
            DeliveryStatus::Delivered => self.success += n,
            DeliveryStatus::Failed => self.failed += n,
            DeliveryStatus::Pending => self.pending += n,
        }
    }

    /// Delivered as a percentage of those that finished or not (0 when there are none),
    /// rounded to one decimal.
    pub fn success_rate(&self) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        (self.success as f64 * 1000.0 / self.total as f64).round() / 10.0
    }
}

/// The stats of a window: counts, by event name, and by hour (Unix hour → counts).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Everything.
    pub all: Counts,
    /// By event name.
    pub by_event: BTreeMap<String, Counts>,
    /// By the hour it was created in (Unix seconds of the hour's start).
    pub by_hour: BTreeMap<i64, Counts>,
}

impl Stats {
    /// Adds a group of `n` deliveries (storage counts them grouped).
    pub fn add(&mut self, event: &str, hour_start: i64, status: DeliveryStatus, n: u64) {
        self.all.add(status, n);
        self.by_event
            .entry(event.to_owned())
            .or_default()
            .add(status, n);
        self.by_hour.entry(hour_start).or_default().add(status, n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        attempts: 3,
        first_wait_ms: 1000,
    };

    #[test]
    fn a_2xx_delivers_anything_else_retries_until_the_last_attempt() {
        assert_eq!(
            after_attempt(&AttemptResult::Answered(204), 1, &POLICY, 205),
            Next::Delivered
        );
        assert_eq!(
            after_attempt(&AttemptResult::Answered(302), 1, &POLICY, 205),
            Next::RetryAfter(1000)
        );
        assert_eq!(
            after_attempt(&AttemptResult::NoAnswer, 2, &POLICY, 205),
            Next::RetryAfter(6000)
        );
        assert_eq!(
            after_attempt(&AttemptResult::Answered(500), 3, &POLICY, 205),
            Next::Failed
        );
        assert_eq!(
            after_attempt(&AttemptResult::Answered(299), 3, &POLICY, 205),
            Next::Delivered
        );
    }

    #[test]
    fn counts_add_up_and_the_rate_is_a_percentage() {
        let mut s = Stats::default();
        s.add("agent.call_ended", 0, DeliveryStatus::Delivered, 2);
        s.add("agent.call_ended", 3600, DeliveryStatus::Failed, 1);
        s.add("agent.message", 3600, DeliveryStatus::Pending, 0);
        assert_eq!(
            s.all,
            Counts {
                total: 3,
                success: 2,
                failed: 1,
                pending: 0
            }
        );
        assert_eq!(s.all.success_rate(), 66.7);
        assert_eq!(s.by_hour.len(), 2);
        assert_eq!(Counts::default().success_rate(), 0.0);
    }
}
