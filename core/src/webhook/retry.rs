//! When a failed delivery is tried again: exponential backoff with jitter, published so
//! receivers can plan for it.
//!
//! The wait after attempt `n` is `first × 6^(n−1)`, at most 10 hours, each stretched or
//! shrunk by up to 20% (jitter, so a receiver that comes back is not hit by every backlogged
//! delivery in the same second). With the default first wait of 5 s: 5 s, 30 s, 3 min,
//! 18 min, 1 h 48 min, then 10 h. AgentPhone's webhooks make 6 attempts (the documented
//! "5 retries"), so a delivery is marked failed about 2 h 10 min after its first attempt;
//! Talkover's make `1 + max_retries` (0 to 10 retries). Svix (5 s, 5 min, 30 min, 2 h, 5 h,
//! 10 h) and Stripe (up to 3 days) are the anchors; ours is shorter than both so that the
//! documented attempt count ends the same day.

/// The default first wait, in milliseconds.
pub const FIRST_WAIT_MS: u64 = 5_000;

/// The longest wait between two attempts, in milliseconds.
pub const LONGEST_WAIT_MS: u64 = 10 * 3_600_000;

/// The attempts AgentPhone documents (one, then five retries).
pub const AGENTPHONE_ATTEMPTS: u8 = 6;

/// How many times one delivery is tried, and how long the first wait is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Every attempt, the first included (at least 1).
    pub attempts: u8,
    /// The wait after the first failure, in milliseconds (`FIRST_WAIT_MS`; shorter only in
    /// tests and demos, through `--webhook-first-retry-ms`).
    pub first_wait_ms: u64,
}

impl RetryPolicy {
    /// The wait after attempt `attempt` (1-based) failed, in milliseconds, or `None` when it
    /// was the last. `jitter` is any 64-bit value fixed for the delivery and attempt (a hash of
    /// them): the same inputs give the same wait, so the schedule can be tested and shown.
    pub fn wait_after(&self, attempt: u8, jitter: u64) -> Option<u64> {
        if attempt == 0 || attempt >= self.attempts {
            return None;
        }
        let mut wait = self.first_wait_ms.max(1);
        for _ in 1..attempt {
            wait = wait.saturating_mul(6).min(LONGEST_WAIT_MS);
        }
        let wait = wait.min(LONGEST_WAIT_MS);
        // 80% to 120%, in steps of 1/1024
        let step = jitter % 411; // 0..=410 → −20.0% … +20.1%
        Some(wait.saturating_mul(819 + step) / 1024)
    }

    /// The waits of a delivery that fails every attempt, without jitter (for the docs and
    /// the console).
    pub fn schedule(&self) -> Vec<u64> {
        (1..self.attempts)
            .filter_map(|a| self.wait_after(a, 205))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agentphone_waits_grow_sixfold_and_end_after_six_attempts() {
        let p = RetryPolicy {
            attempts: AGENTPHONE_ATTEMPTS,
            first_wait_ms: FIRST_WAIT_MS,
        };
        let secs: Vec<u64> = p.schedule().iter().map(|ms| ms / 1000).collect();
        assert_eq!(secs, [5, 30, 180, 1080, 6480]);
        assert_eq!(p.wait_after(6, 0), None);
        assert_eq!(p.wait_after(0, 0), None);
    }

    #[test]
    fn jitter_stays_within_a_fifth_and_the_longest_wait_is_capped() {
        let p = RetryPolicy {
            attempts: 11,
            first_wait_ms: FIRST_WAIT_MS,
        };
        for attempt in 1..11 {
            let base = p.wait_after(attempt, 205).unwrap_or(0);
            for jitter in [0, 1, 410, 411, u64::MAX] {
                let w = p.wait_after(attempt, jitter).unwrap_or(0);
                assert!(
                    w >= base * 819 / 1024 && w <= base * 1230 / 1024,
                    "{attempt} {w} {base}"
                );
            }
        }
        assert!(p.wait_after(10, u64::MAX).unwrap_or(0) <= LONGEST_WAIT_MS * 6 / 5);
    }

    #[test]
    fn one_attempt_means_no_retry() {
        let p = RetryPolicy {
            attempts: 1,
            first_wait_ms: FIRST_WAIT_MS,
        };
        assert_eq!(p.wait_after(1, 0), None);
        assert!(p.schedule().is_empty());
    }
}
