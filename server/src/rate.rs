//! Requests per minute per token (`--rate-limit N`, off by default): a token bucket of N
//! requests that refills at N per minute, so a client may burst up to N and then goes at the
//! steady rate. One request counts once, however long: an import of a million calls is one.
//!
//! Buckets live in this process. Behind a load balancer each replica limits on its own, so a
//! token may make up to N requests a minute per replica; the README says so.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// Buckets kept before idle (full) ones are dropped.
const MAX_BUCKETS: usize = 100_000;

/// The limit and every token's bucket.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<i64, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// What the limiter said about one request, and what the headers report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Whether it may go ahead.
    pub allowed: bool,
    /// Requests per minute (`X-RateLimit-Limit`).
    pub limit: u32,
    /// Requests left now (`X-RateLimit-Remaining`).
    pub remaining: u32,
    /// Seconds until the bucket is full again (`X-RateLimit-Reset`).
    pub reset: u64,
    /// Seconds until one more request is allowed (`Retry-After`, when refused).
    pub retry_after: u64,
}

impl RateLimiter {
    /// A limiter of `per_minute` requests per minute per token.
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute: per_minute.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request of the token whose id is `key`.
    pub fn check(&self, key: i64, now: Instant) -> Decision {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= MAX_BUCKETS {
            buckets.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_second < capacity
            });
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.at = now;
        let allowed = bucket.tokens >= 1.0;
        if allowed {
            bucket.tokens -= 1.0;
        }
        let seconds = |missing: f64| (missing.max(0.0) / per_second).ceil() as u64;
        Decision {
            allowed,
            limit: self.per_minute,
            remaining: bucket.tokens.floor() as u32,
            reset: seconds(capacity - bucket.tokens),
            retry_after: if allowed {
                0
            } else {
                seconds(1.0 - bucket.tokens).max(1)
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_up_to_the_limit_then_the_steady_rate() {
        let limiter = RateLimiter::new(60);
        let t0 = Instant::now();
        let key = 7;
        for i in 0..60 {
            let d = limiter.check(key, t0);
            assert!(d.allowed, "request {i}");
            assert_eq!(d.remaining, 59 - i);
        }
        let refused = limiter.check(key, t0);
        assert!(!refused.allowed);
        assert_eq!((refused.retry_after, refused.reset), (1, 60));
        // one request a second afterwards
        assert!(limiter.check(key, t0 + Duration::from_millis(1000)).allowed);
        assert!(!limiter.check(key, t0 + Duration::from_millis(1100)).allowed);
        // another token has its own bucket
        assert!(limiter.check(8, t0).allowed);
    }

    #[test]
    fn idle_buckets_are_dropped_when_there_are_too_many() {
        let limiter = RateLimiter::new(10);
        let t0 = Instant::now();
        for i in 0..MAX_BUCKETS as u32 {
            limiter.check(i64::from(i), t0);
        }
        limiter.check(-1, t0 + Duration::from_secs(61));
        let kept = limiter
            .buckets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        assert_eq!(kept, 1, "the full ones went");
    }
}
