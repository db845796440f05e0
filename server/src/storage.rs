//! Storage as the async server uses it: every call on a thread that may wait, every wait
//! under a deadline.
//!
//! The store is synchronous (see `store::threads`). The server's few async workers must
//! never wait for it, or one silent database would stall health checks, static files and
//! every other request those workers serve. So each storage call goes to the blocking pool,
//! and its caller waits at most the request's remaining **storage budget** (`--storage-timeout`,
//! 5 s by default, shared by every storage wait of one request: the token look-up, the
//! version check, the handler's reads and writes). Past it the request is answered 503
//! `STORAGE_UNAVAILABLE`; PostgreSQL abandons the statement at the same deadline, so the
//! blocking thread is freed too.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::store::{on_storage_thread, with_deadline};

tokio::task_local! {
    /// When the current request's storage budget runs out.
    static BUDGET_ENDS: Instant;
}

/// How much sooner than its caller the store gives up, so that PostgreSQL's error (which
/// says what did not answer) comes back before the caller's own deadline passes.
const GRACE: Duration = Duration::from_millis(250);

/// Runs `f` (a request, or one batch of an import) with a storage budget of `budget` from now.
pub async fn within_budget<F: Future>(budget: Duration, f: F) -> F::Output {
    BUDGET_ENDS.scope(Instant::now() + budget, f).await
}

/// What is left of the current request's storage budget; `fallback` outside a request
/// (background work sets its own).
pub fn remaining(fallback: Duration) -> Duration {
    BUDGET_ENDS
        .try_with(|ends| ends.saturating_duration_since(Instant::now()))
        .unwrap_or(fallback)
}

/// Why work sent to a storage thread came back without its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Waited {
    /// The deadline passed first (the work may still finish, and may have taken effect).
    TimedOut(Duration),
    /// The work panicked or was cancelled.
    Stopped(String),
}

impl std::fmt::Display for Waited {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Waited::TimedOut(d) => {
                write!(f, "storage did not answer within {:.1} s", d.as_secs_f64())
            }
            Waited::Stopped(why) => write!(f, "the storage work stopped: {why}"),
        }
    }
}

/// Runs `f` on the blocking pool, as a thread that may wait for storage, and waits for it at
/// most `deadline`. Storage calls inside are bounded a little sooner (by a quarter of the
/// deadline, at most [`GRACE`]), so they usually end first with an error that says why.
pub async fn off_worker<T: Send + 'static>(
    deadline: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Waited> {
    if deadline.is_zero() {
        return Err(Waited::TimedOut(deadline));
    }
    let inner = deadline - GRACE.min(deadline / 4);
    let task = tokio::task::spawn_blocking(move || on_storage_thread(|| with_deadline(inner, f)));
    match tokio::time::timeout(deadline, task).await {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(Waited::Stopped(e.to_string())),
        Err(_) => Err(Waited::TimedOut(deadline)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_past_its_deadline_is_left_behind_not_waited_for() {
        let started = Instant::now();
        let waited = off_worker(Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(2));
        })
        .await;
        assert_eq!(waited, Err(Waited::TimedOut(Duration::from_millis(100))));
        assert!(started.elapsed() < Duration::from_secs(1));
        // the store's own deadline is the caller's, and storage may be called there
        let inside = off_worker(Duration::from_secs(3), || {
            crate::store::threads::assert_storage_thread("test");
            crate::store::threads::deadline()
        })
        .await;
        assert_eq!(inside, Ok(Duration::from_millis(2750)));
    }

    #[tokio::test]
    async fn a_request_shares_one_budget() {
        assert_eq!(remaining(Duration::from_secs(7)), Duration::from_secs(7));
        within_budget(Duration::from_secs(5), async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let left = remaining(Duration::from_secs(7));
            assert!(left < Duration::from_secs(5) && left > Duration::from_secs(4));
        })
        .await;
        within_budget(Duration::ZERO, async {
            let waited = off_worker(remaining(Duration::from_secs(7)), || ()).await;
            assert_eq!(waited, Err(Waited::TimedOut(Duration::ZERO)));
        })
        .await;
    }
}
