//! Serving HTTP/1.1 to clients that may be slow, idle, numerous or hostile.
//!
//! Everything here is hyper's own machinery, configured: its header-read timer (which also
//! closes a keep-alive connection that stays idle that long), its per-connection graceful
//! shutdown, and tokio's semaphore for the connection cap. What Dialback adds is policy:
//!
//! - **A cap on open connections**, below the open-file limit, so the server always has file
//!   descriptors for its database and for accepting. At the cap, a new connection makes the
//!   *oldest* one close gracefully, as nginx reuses keep-alive connections when it runs out: an
//!   idle connection closes at once, a busy one after its response. A flood of idle sockets
//!   therefore cannot lock out a real client, and no request in flight is cut.
//! - **Shutdown with a deadline.** On the signal the listener closes, every connection is asked
//!   to close after its current response (idle and half-sent ones close at once), and after
//!   the deadline whatever remains is dropped.
//!
//! The body timeout (time allowed between two chunks of a request body, so a large import
//! still streams) is a tower layer in [`crate::http::layers`].

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::Request;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};
use tower::ServiceExt;

/// File descriptors kept back from the connection cap: the database and its journal, the
/// listener, the runtime's own, logs.
pub const RESERVED_FILES: u64 = 64;

/// How the listener treats connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time to send a request's headers, and the longest a keep-alive connection may idle.
    pub header_timeout: Duration,
    /// Open connections at most.
    pub max_connections: usize,
    /// After the shutdown signal, how long requests in flight may take to finish.
    pub shutdown_timeout: Duration,
}

impl Limits {
    /// The defaults, with the cap derived from the open-file limit.
    pub fn for_open_files(open_files: u64) -> Self {
        Limits {
            header_timeout: Duration::from_secs(20),
            max_connections: default_max_connections(open_files),
            shutdown_timeout: Duration::from_secs(30),
        }
    }
}

/// The connection cap for an open-file limit: what the reserve leaves, at least 16 and at most
/// 65,536.
pub fn default_max_connections(open_files: u64) -> usize {
    let usable = open_files.saturating_sub(RESERVED_FILES).clamp(16, 65_536);
    usize::try_from(usable).unwrap_or(65_536)
}

/// Raises this process's soft open-file limit to its hard limit where the system allows it,
/// and returns the soft limit in force (`None` where it cannot be read).
pub fn raise_open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        if let (Some(current), Some(maximum)) = (limit.current, limit.maximum)
            && current < maximum
        {
            let raised = Rlimit {
                current: Some(maximum),
                maximum: Some(maximum),
            };
            if setrlimit(Resource::Nofile, raised).is_ok() {
                return Some(maximum);
            }
        }
        limit.current.or(Some(u64::MAX))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The open connections, oldest first, each with the bell that asks it to close.
#[derive(Default)]
struct Connections {
    next: u64,
    open: BTreeMap<u64, Arc<Notify>>,
}

fn connections(c: &Mutex<Connections>) -> std::sync::MutexGuard<'_, Connections> {
    c.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Asks the oldest connection to close (after its response, if it is busy).
fn close_oldest(c: &Mutex<Connections>) {
    if let Some((_, bell)) = connections(c).open.pop_first() {
        bell.notify_one();
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then closes as described above.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let open = Arc::new(Mutex::new(Connections::default()));
    let (stop, stopping) = watch::channel(false);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, _peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // out of file descriptors (another part of the process used more than
                    // the reserve), or a connection reset before it was accepted
                    tracing::warn!(error = %e, "accept failed");
                    close_oldest(&open);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let permit = match slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                close_oldest(&open);
                tokio::select! {
                    () = &mut shutdown => break,
                    permit = slots.clone().acquire_owned() => match permit {
                        Ok(permit) => permit,
                        Err(_) => break,
                    },
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let bell = Arc::new(Notify::new());
        let id = {
            let mut c = connections(&open);
            let id = c.next;
            c.next += 1;
            c.open.insert(id, bell.clone());
            id
        };
        let busy = Arc::new(AtomicUsize::new(0));
        let service = {
            let (router, busy) = (router.clone(), busy.clone());
            service_fn(move |request: Request<Incoming>| {
                let serving = Serving::start(&busy);
                let answer = router.clone().oneshot(request);
                async move {
                    let response = answer.await?;
                    // the request counts as in flight until its body is written (or dropped)
                    Ok::<_, Infallible>(response.map(|body| Body::new(Tracked { body, serving })))
                }
            })
        };
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let (open, mut stopping) = (open.clone(), stopping.clone());
        tokio::spawn(async move {
            tokio::pin!(connection);
            let ended = tokio::select! {
                result = connection.as_mut() => Some(result),
                () = bell.notified() => None,
                _ = stopping.changed() => None,
            };
            // asked to close: with no request in flight (idle, or headers still coming) at
            // once; otherwise after its response, through hyper's graceful shutdown
            let result = match ended {
                Some(result) => result,
                None if busy.load(Ordering::Acquire) == 0 => Ok(()),
                None => {
                    connection.as_mut().graceful_shutdown();
                    connection.as_mut().await
                }
            };
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection ended");
            }
            connections(&open).open.remove(&id);
            drop(permit);
        });
    }
    drop(listener);
    stop.send_replace(true);
    let everyone = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let drained = tokio::time::timeout(limits.shutdown_timeout, slots.acquire_many(everyone)).await;
    if drained.is_err() {
        let left = connections(&open).open.len();
        tracing::warn!(
            connections = left,
            "shutdown deadline reached; closing the connections still open"
        );
    }
}

/// One request in flight on a connection, from the call to the end of its response body.
struct Serving(Arc<AtomicUsize>);

impl Serving {
    fn start(busy: &Arc<AtomicUsize>) -> Self {
        busy.fetch_add(1, Ordering::AcqRel);
        Serving(busy.clone())
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its request counted as in flight while it is written.
struct Tracked {
    body: Body,
    /// Held, not read: dropping it ends the request's time in flight.
    #[allow(dead_code)]
    serving: Serving,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_the_reserve_and_stays_in_bounds() {
        assert_eq!(default_max_connections(256), 192);
        assert_eq!(default_max_connections(1024), 960);
        assert_eq!(default_max_connections(10), 16);
        assert_eq!(default_max_connections(u64::MAX), 65_536);
    }
}
