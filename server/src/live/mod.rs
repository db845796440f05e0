//! The live stream (`GET /api/v1/events`): the event log's new entries, as they are
//! committed, to every open stream of their environment.
//!
//! One pump per environment with streams open reads the log after the last id it sent on
//! and broadcasts each event, framed once, to that environment's streams. It is woken by
//! this server's commits (`wake`) and by other servers' (`LISTEN`, through `follow`), and
//! reads anyway every [`POLL`] so a lost notification delays an event, never loses it. A
//! stream that falls behind the broadcast (a slow reader) reads the log itself from its last
//! id, so a slow client costs storage reads, not memory, and never drops an event.
//!
//! - [`record`]: the events a write stores, built by the core's rules;
//! - [`stream`]: one stream: replay after `Last-Event-ID`, then the broadcast, heartbeats,
//!   and the end at shutdown.

pub mod record;
pub mod stream;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use dialback_core::AgentId;
use dialback_core::live::EventType;
use dialback_core::live::sse::frame;
use tokio::sync::{Notify, broadcast, watch};

use crate::app::App;
use crate::store::events::StoredEvent;
use crate::store::{self, EnvId};

/// How long the log keeps events by default (`serve --event-retention`): a day of
/// disconnection, far more than any reconnect needs, and little storage.
pub const RETENTION_HOURS: u64 = 24;
/// How often a pump reads the log with no wake-up.
pub const POLL: Duration = Duration::from_secs(2);
/// Events read from the log at once.
pub const PAGE: usize = 500;
/// The longest a read of the log may take.
pub const READ_DEADLINE: Duration = Duration::from_secs(10);
/// Events a stream may fall behind the broadcast before it reads the log instead.
const BROADCAST: usize = 1024;

/// How streams are limited (see the README's "Live events").
#[derive(Debug, Clone)]
pub struct LiveSettings {
    /// Streams one token may hold open at once.
    pub per_token: usize,
    /// Streams open at once on this server.
    pub max_streams: usize,
    /// A comment after this long with nothing else sent.
    pub heartbeat: Duration,
    /// How long events are kept for resuming.
    pub retention: Duration,
}

impl Default for LiveSettings {
    fn default() -> Self {
        LiveSettings {
            per_token: 16,
            max_streams: 2048,
            heartbeat: Duration::from_secs(15),
            retention: Duration::from_secs(RETENTION_HOURS * 3600),
        }
    }
}

/// An event, framed once for every stream.
#[derive(Debug)]
pub struct Frame {
    /// Its id.
    pub seq: u64,
    /// Its type.
    pub kind: EventType,
    /// The agents it involves.
    pub agents: Box<[AgentId]>,
    /// `id:`, `event:` and `data:`, as sent.
    pub text: Bytes,
}

impl Frame {
    /// An event from the log, framed.
    pub fn of(e: StoredEvent) -> Frame {
        let text = frame(e.seq, e.kind, &String::from_utf8_lossy(&e.body));
        Frame {
            seq: e.seq,
            kind: e.kind,
            agents: e.agents.into(),
            text: Bytes::from(text),
        }
    }
}

/// One environment's broadcast.
struct Channel {
    tx: broadcast::Sender<Arc<Frame>>,
    wake: Notify,
}

/// Why a stream could not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The token holds `per_token` streams already.
    TokenLimit(usize),
    /// The server holds `max_streams`.
    ServerLimit(usize),
    /// The server is shutting down.
    Closing,
}

/// The live streams of this server.
pub struct Live {
    /// The limits.
    pub settings: LiveSettings,
    channels: Mutex<HashMap<EnvId, Arc<Channel>>>,
    open: Mutex<(usize, HashMap<i64, usize>)>,
    closing: watch::Sender<bool>,
    /// Streams opened since start (for `/metrics` and the benchmark).
    pub opened: AtomicU64,
}

/// A stream's place in the limits, given back when it ends.
pub struct Slot {
    app: Arc<App>,
    token: i64,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .app
            .live
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        open.0 = open.0.saturating_sub(1);
        self.app
            .metrics
            .event_streams
            .set(i64::try_from(open.0).unwrap_or(i64::MAX));
        if let Some(n) = open.1.get_mut(&self.token) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.1.remove(&self.token);
            }
        }
    }
}

impl Live {
    /// No streams yet.
    pub fn new(settings: LiveSettings) -> Live {
        Live {
            settings,
            channels: Mutex::new(HashMap::new()),
            open: Mutex::new((0, HashMap::new())),
            closing: watch::channel(false).0,
            opened: AtomicU64::new(0),
        }
    }

    /// Streams open now.
    pub fn open_streams(&self) -> usize {
        self.open.lock().unwrap_or_else(PoisonError::into_inner).0
    }

    /// Takes a place for a stream of `token`, within the limits.
    pub fn admit(app: &Arc<App>, token: i64) -> Result<Slot, Refused> {
        let live = &app.live;
        if *live.closing.borrow() {
            return Err(Refused::Closing);
        }
        let mut open = live.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.0 >= live.settings.max_streams {
            return Err(Refused::ServerLimit(live.settings.max_streams));
        }
        let mine = open.1.entry(token).or_default();
        if *mine >= live.settings.per_token {
            return Err(Refused::TokenLimit(live.settings.per_token));
        }
        *mine += 1;
        open.0 += 1;
        app.metrics
            .event_streams
            .set(i64::try_from(open.0).unwrap_or(i64::MAX));
        live.opened.fetch_add(1, Ordering::Relaxed);
        Ok(Slot {
            app: app.clone(),
            token,
        })
    }

    /// Says that `env`'s log may have grown (a commit here, or another server's).
    pub fn wake(&self, env: EnvId) {
        let channel = self
            .channels
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&env)
            .cloned();
        if let Some(c) = channel {
            c.wake.notify_one();
        }
    }

    /// Ends every stream (shutdown): their responses finish, so connections can close.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves when streams must end.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// A receiver of `env`'s events from now on, starting its pump if none runs. `head` is
    /// where the log stood when read before this call: a new pump sends what comes after it.
    /// The caller reads the log's bounds again after subscribing; every event past those is
    /// then broadcast after it subscribed.
    pub fn subscribe(app: &Arc<App>, env: EnvId, head: u64) -> broadcast::Receiver<Arc<Frame>> {
        let mut channels = app
            .live
            .channels
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = channels.get(&env) {
            return c.tx.subscribe();
        }
        let (tx, rx) = broadcast::channel(BROADCAST);
        let channel = Arc::new(Channel {
            tx,
            wake: Notify::new(),
        });
        channels.insert(env, channel.clone());
        tokio::spawn(pump(app.clone(), env, channel, head));
        rx
    }
}

/// Reads `env`'s log after `head` whenever woken (or every [`POLL`]) and broadcasts what it
/// finds, until no stream listens.
async fn pump(app: Arc<App>, env: EnvId, channel: Arc<Channel>, mut head: u64) {
    let mut failures = 0u32;
    loop {
        let _ = tokio::time::timeout(POLL, channel.wake.notified()).await;
        if channel.tx.receiver_count() == 0 {
            let mut channels = app
                .live
                .channels
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // a stream may have subscribed since the count was read
            if channel.tx.receiver_count() == 0 {
                channels.remove(&env);
                return;
            }
        }
        loop {
            let app2 = app.clone();
            let read = crate::storage::off_worker(READ_DEADLINE, move || {
                app2.store.events().events_after(env, head, PAGE)
            })
            .await;
            match read {
                Ok(Ok(events)) => {
                    failures = 0;
                    let full = events.len() == PAGE;
                    for e in events {
                        head = e.seq;
                        // no receiver: the next round ends the pump
                        let _ = channel.tx.send(Arc::new(Frame::of(e)));
                    }
                    if !full {
                        break;
                    }
                }
                Ok(Err(e)) => {
                    failures += 1;
                    tracing::warn!(environment = env, error = %e, "cannot read the event log");
                    tokio::time::sleep(POLL.min(Duration::from_millis(100) * failures)).await;
                    break;
                }
                Err(waited) => {
                    failures += 1;
                    tracing::warn!(environment = env, %waited, "the event log did not answer");
                    break;
                }
            }
        }
    }
}

/// Removes events older than the retention window, every few minutes.
pub async fn prune_every(app: Arc<App>) {
    let mut every = tokio::time::interval(Duration::from_secs(300));
    loop {
        every.tick().await;
        let keep_ms = i64::try_from(app.live.settings.retention.as_millis()).unwrap_or(i64::MAX);
        let before = crate::webhooks::now_ms(&app).saturating_sub(keep_ms);
        let app2 = app.clone();
        match crate::storage::off_worker(store::LONGEST, move || {
            app2.store.events().prune_events(before)
        })
        .await
        {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(removed = n, "pruned the event log"),
            Ok(Err(e)) => tracing::warn!(error = %e, "cannot prune the event log"),
            Err(waited) => tracing::warn!(%waited, "pruning the event log did not finish"),
        }
    }
}
