//! One stream: what was missed after `Last-Event-ID` (read from the log), then the
//! environment's broadcast, filtered; a heartbeat when nothing else was sent for a while; the
//! end when the server shuts down or the token expires.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::Bytes;
use dialback_core::live::sse::{HEARTBEAT, reset_frame, retry_frame};
use dialback_core::live::{EventFilter, Resume, resume};
use tokio::sync::{broadcast, watch};
use tokio::time::{Instant, Interval, MissedTickBehavior};

use super::{Frame, PAGE, READ_DEADLINE, Slot};
use crate::app::App;
use crate::auth::Grant;
use crate::store::EnvId;
use crate::store::events::Bounds;

/// How long a client waits before reconnecting (`retry:`), in milliseconds.
pub const RETRY_MS: u32 = 1000;

/// Where a stream starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// After the newest event stored: only what happens from now on.
    Now,
    /// After this event (`Last-Event-ID`).
    After(u64),
}

/// A stream's state between chunks.
pub struct Stream {
    app: Arc<App>,
    env: EnvId,
    grant: Grant,
    filter: EventFilter,
    /// The newest event id passed on (sent or filtered out).
    last: u64,
    /// Reading the log until it has no more after `last`.
    replaying: bool,
    rx: broadcast::Receiver<Arc<Frame>>,
    queue: VecDeque<Bytes>,
    heartbeat: Interval,
    closing: watch::Receiver<bool>,
    ended: bool,
    _slot: Slot,
}

impl Stream {
    /// Opens a stream at `start`: `rx` is the environment's broadcast (see
    /// [`Live::subscribe`]), `bounds` where the log stood when read after subscribing, so
    /// nothing committed between the two is missed.
    #[allow(clippy::too_many_arguments)]
    pub fn open(
        app: Arc<App>,
        env: EnvId,
        grant: Grant,
        filter: EventFilter,
        start: Start,
        rx: broadcast::Receiver<Arc<Frame>>,
        bounds: Bounds,
        slot: Slot,
    ) -> Stream {
        let mut queue = VecDeque::from([Bytes::from(retry_frame(RETRY_MS))]);
        let last = match start {
            Start::Now => None,
            Start::After(id) => Some(id),
        };
        let (last, replaying) = match resume(last, bounds.pruned_through, bounds.head) {
            Resume::Now => (bounds.head, false),
            Resume::After(id) => (id, true),
            Resume::Reset(gap) => {
                queue.push_back(Bytes::from(reset_frame(
                    bounds.head,
                    gap.code(),
                    gap.message(),
                )));
                (bounds.head, false)
            }
        };
        let every = app.live.settings.heartbeat;
        let mut heartbeat = tokio::time::interval_at(Instant::now() + every, every);
        heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let closing = app.live.closing();
        Stream {
            app,
            env,
            grant,
            filter,
            last,
            replaying,
            rx,
            queue,
            heartbeat,
            closing,
            ended: false,
            _slot: slot,
        }
    }

    /// The next chunk to send; `None` ends the stream.
    pub async fn next(&mut self) -> Option<Bytes> {
        loop {
            if self.ended {
                return None;
            }
            if let Some(chunk) = self.queue.pop_front() {
                return Some(chunk);
            }
            if self.replaying {
                self.read_log().await;
                continue;
            }
            tokio::select! {
                biased;
                _ = self.closing.changed() => return None,
                received = self.rx.recv() => match received {
                    Ok(frame) => {
                        if frame.seq <= self.last {
                            continue;
                        }
                        self.last = frame.seq;
                        if self.filter.matches(frame.kind, &frame.agents) {
                            self.heartbeat.reset();
                            return Some(frame.text.clone());
                        }
                    }
                    // fell behind the broadcast: read the log from where this stream is
                    Err(broadcast::error::RecvError::Lagged(_)) => self.replaying = true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = self.heartbeat.tick() => {
                    if self.grant.expires_at.is_some_and(|at| at <= self.app.now()) {
                        return None;
                    }
                    return Some(Bytes::from_static(HEARTBEAT.as_bytes()));
                }
            }
        }
    }

    /// Reads a page of the log after `last` into the queue; with less than a page, the
    /// stream is caught up and follows the broadcast. A log that cannot be read ends the
    /// stream: the client resumes from its last id.
    async fn read_log(&mut self) {
        let (app, env, after) = (self.app.clone(), self.env, self.last);
        let read = crate::storage::off_worker(READ_DEADLINE, move || {
            app.store.events().events_after(env, after, PAGE)
        })
        .await;
        match read {
            Ok(Ok(events)) => {
                self.replaying = events.len() == PAGE;
                for e in events {
                    self.last = e.seq;
                    if self.filter.matches(e.kind, &e.agents) {
                        self.queue.push_back(Frame::of(e).text);
                    }
                }
            }
            Ok(Err(e)) => {
                tracing::warn!(environment = env, error = %e, "a stream cannot read the event log");
                self.ended = true;
            }
            Err(waited) => {
                tracing::warn!(environment = env, %waited,
                    "a stream's read of the event log timed out");
                self.ended = true;
            }
        }
    }
}
