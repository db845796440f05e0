//! Which threads may wait for storage, and for how long.
//!
//! The [`Store`](super::Store) is synchronous: a call waits for the database. On one of the
//! async runtime's few worker threads that wait would stall every request the worker serves,
//! health checks and static files included, for as long as the database does not answer. So
//! storage is only ever called on threads meant for waiting: the blocking pool (through
//! [`on_storage_thread`], which `App::storage` and the HTTP shell's `blocking` use), or a
//! thread outside any runtime (the command line). Each backend checks it on every call
//! ([`assert_storage_thread`]): in debug builds, which every test runs, a call from an async
//! worker panics at once, naming the call.
//!
//! Every call also has a deadline: the caller's ([`with_deadline`]), or [`LONGEST`] for work
//! that is allowed to be long (loading a view, the command line). PostgreSQL gives up on a
//! statement that is not answered by then, whatever the network or the database is doing.

use std::cell::Cell;
use std::time::Duration;

/// The deadline of storage calls that set none: loads of large views, saves, the command
/// line.
pub const LONGEST: Duration = Duration::from_secs(120);

thread_local! {
    static ALLOWED: Cell<bool> = const { Cell::new(false) };
    static DEADLINE: Cell<Option<Duration>> = const { Cell::new(None) };
}

/// Runs `f` on this thread as a thread that may wait for storage: a blocking-pool thread, or
/// a test's own thread where blocking is what it means to do.
pub fn on_storage_thread<T>(f: impl FnOnce() -> T) -> T {
    let before = ALLOWED.replace(true);
    let out = f();
    ALLOWED.set(before);
    out
}

/// Runs `f` with storage calls on this thread bounded by `deadline`.
pub fn with_deadline<T>(deadline: Duration, f: impl FnOnce() -> T) -> T {
    let before = DEADLINE.replace(Some(deadline));
    let out = f();
    DEADLINE.set(before);
    out
}

/// The deadline of a storage call made now on this thread.
pub fn deadline() -> Duration {
    DEADLINE.get().unwrap_or(LONGEST)
}

/// Panics (debug builds) when storage is called from an async worker: on a thread inside a
/// tokio runtime that [`on_storage_thread`] did not mark.
#[track_caller]
#[allow(
    clippy::panic,
    reason = "the guard's purpose: a regression fails every test at once"
)]
pub fn assert_storage_thread(call: &str) {
    if cfg!(debug_assertions) && !ALLOWED.get() && tokio::runtime::Handle::try_current().is_ok() {
        panic!(
            "storage call `{call}` on an async worker: run it through App::storage or \
             http::blocking (a thread that may wait), never on a runtime worker"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_a_runtime_storage_may_be_called() {
        assert_storage_thread("ping");
    }

    /// Architecture Invariant: no storage call runs on an async worker (the guard itself).
    #[tokio::test]
    async fn on_an_async_worker_a_storage_call_panics() {
        let caught = std::panic::catch_unwind(|| assert_storage_thread("token"));
        let message = caught.unwrap_err();
        let text = message
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(
            text.contains("storage call `token` on an async worker"),
            "{text}"
        );
        // marked, the same call is allowed, and the mark does not outlive the closure
        on_storage_thread(|| assert_storage_thread("token"));
        assert!(std::panic::catch_unwind(|| assert_storage_thread("token")).is_err());
        let inside = tokio::task::spawn_blocking(|| {
            on_storage_thread(|| {
                assert_storage_thread("token");
                with_deadline(Duration::from_secs(1), deadline)
            })
        })
        .await
        .unwrap();
        assert_eq!(inside, Duration::from_secs(1));
        assert_eq!(deadline(), LONGEST);
    }
}
