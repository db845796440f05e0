//! The console's live link: one stream of the environment's events (`GET /api/v1/events`)
//! for the whole console, read as it arrives with the core's SSE reader and checked by the
//! core (`read_message`). Events say that something changed; pages then ask the API again and
//! show its answer (the figures are the API's, never counted here).
//!
//! The link reconnects with backoff, resuming after the last event id it read, so nothing is
//! missed across a server restart; it pauses while the tab is hidden (the stream is closed,
//! and resumed by id when the tab shows again).

use std::cell::RefCell;
use std::rc::Rc;

use dialback_core::live::check::EventData;
use dialback_core::live::{EventType, LiveEvent, SseDecoder, StreamItem, read_message};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::api::{ApiError, Connection};

mod panel;

pub use panel::LivePanel;

/// Where the link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Opening the stream.
    Connecting,
    /// Open: changes show as they happen.
    Live,
    /// Lost; trying again.
    Reconnecting,
    /// The tab is hidden: closed until it shows again.
    Paused,
    /// No token, or the server refused it.
    Off,
}

impl Link {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Link::Connecting => "Connecting…",
            Link::Live => "Live",
            Link::Reconnecting => "Reconnecting…",
            Link::Paused => "Paused while this tab is hidden",
            Link::Off => "Not live",
        }
    }

    /// For styles and tests.
    pub fn key(self) -> &'static str {
        match self {
            Link::Connecting => "connecting",
            Link::Live => "live",
            Link::Reconnecting => "reconnecting",
            Link::Paused => "paused",
            Link::Off => "off",
        }
    }
}

/// A routing decision as the Live panel lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The event id.
    pub id: String,
    /// When the call started.
    pub at: String,
    /// The caller, formatted.
    pub caller: String,
    /// The callback agent's name.
    pub callback_agent: String,
    /// The source agent's id, when matched.
    pub source_agent: Option<String>,
    /// `MATCHED`, `OUTSIDE_LOOKBACK`, …
    pub code: String,
    /// Whether it found the source call.
    pub matched: bool,
    /// The reason in words, with names.
    pub explanation: String,
}

impl Decision {
    fn of(e: &LiveEvent) -> Option<Decision> {
        let EventData::Call(call) = &e.data else {
            return None;
        };
        let routing = call.routing.as_ref()?;
        Some(Decision {
            id: e.id.clone(),
            at: call.created_at.to_string(),
            caller: call
                .from_formatted
                .clone()
                .or_else(|| call.from.clone())
                .unwrap_or_else(|| "withheld".into()),
            callback_agent: e.agent_name.clone().unwrap_or_default(),
            source_agent: routing.decision.source_agent_id().map(|a| a.to_string()),
            code: routing.reason_code.clone(),
            matched: routing.decision.source_agent_id().is_some(),
            explanation: routing.explanation.clone(),
        })
    }
}

/// How many decisions the panel keeps.
const KEPT: usize = 50;
/// Events in a burst are answered with one refresh.
const SETTLE_MS: u64 = 150;

/// The live link's state, shared by every page.
#[derive(Clone, Copy)]
pub struct Live {
    /// Where the link stands.
    pub link: RwSignal<Link>,
    /// The latest routing decisions, newest first.
    pub decisions: RwSignal<Vec<Decision>>,
    /// Moves when calls or messages were recorded (figures change): pages that show them
    /// read it, so they ask again.
    pub calls: RwSignal<u64>,
    /// Moves when agents or numbers changed.
    pub directory: RwSignal<u64>,
}

impl Live {
    /// The link from context (`Live::provide` runs once, in `App`).
    pub fn get() -> Live {
        expect_context::<Live>()
    }

    /// Starts the link for the console's connection.
    pub fn provide(connection: RwSignal<Connection>) {
        let live = Live {
            link: RwSignal::new(Link::Connecting),
            decisions: RwSignal::new(Vec::new()),
            calls: RwSignal::new(0),
            directory: RwSignal::new(0),
        };
        provide_context(live);
        let current: Rc<RefCell<Option<web_sys::AbortController>>> = Rc::default();
        // a hidden tab closes the stream at once; showing it again wakes the loop
        let on_visibility = {
            let current = current.clone();
            Closure::<dyn Fn()>::new(move || {
                if hidden()
                    && let Some(c) = current.borrow_mut().take()
                {
                    c.abort();
                }
            })
        };
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            let _ = doc.add_event_listener_with_callback(
                "visibilitychange",
                on_visibility.as_ref().unchecked_ref(),
            );
        }
        on_visibility.forget();
        // another token or server: the stream is opened again for it
        Effect::new({
            let current = current.clone();
            move |_| {
                connection.track();
                if let Some(c) = current.borrow_mut().take() {
                    c.abort();
                }
            }
        });
        wasm_bindgen_futures::spawn_local(run(live, connection, current));
    }

    fn changed(self, counter: RwSignal<u64>, pending: &Rc<RefCell<bool>>) {
        if pending.replace(true) {
            return;
        }
        let pending = pending.clone();
        set_timeout(
            move || {
                *pending.borrow_mut() = false;
                counter.update(|n| *n += 1);
            },
            std::time::Duration::from_millis(SETTLE_MS),
        );
    }
}

fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}

async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The link's loop: open, read, and on any end wait and open again after the last id.
async fn run(
    live: Live,
    connection: RwSignal<Connection>,
    current: Rc<RefCell<Option<web_sys::AbortController>>>,
) {
    let mut last_id: Option<String> = None;
    let mut failures: u32 = 0;
    let mut retry_ms: u32 = 1000;
    let calls_pending = Rc::new(RefCell::new(false));
    let directory_pending = Rc::new(RefCell::new(false));
    let mut token_seen = None;
    loop {
        if hidden() {
            live.link.set(Link::Paused);
            sleep(250).await;
            continue;
        }
        let c = connection.get_untracked();
        if c.token.is_none() {
            live.link.set(Link::Off);
            sleep(1000).await;
            continue;
        }
        // a new token is another environment: start from now
        if token_seen.as_ref() != c.token.as_ref() {
            token_seen = c.token.clone();
            last_id = None;
            live.decisions.set(Vec::new());
        }
        let Ok(controller) = web_sys::AbortController::new() else {
            return;
        };
        *current.borrow_mut() = Some(controller.clone());
        if live.link.get_untracked() != Link::Reconnecting {
            live.link.set(Link::Connecting);
        }
        match c.events(last_id.as_deref(), &controller.signal()).await {
            Ok(stream) => {
                let mut decoder = SseDecoder::new();
                let mut opened = false;
                while let Some(chunk) = stream.next_chunk().await {
                    if !opened {
                        opened = true;
                        failures = 0;
                        live.link.set(Link::Live);
                        // what was missed while away arrives now; figures may have moved too
                        live.changed(live.calls, &calls_pending);
                    }
                    for message in decoder.push(&chunk) {
                        match read_message(&message) {
                            Ok(item) => handle(live, item, &calls_pending, &directory_pending),
                            Err(e) => web_sys::console::warn_1(&format!("live: {e}").into()),
                        }
                    }
                    if let Some(id) = &decoder.last_id {
                        last_id = Some(id.clone());
                    }
                    if let Some(ms) = decoder.retry_ms {
                        retry_ms = ms.clamp(250, 30_000);
                    }
                }
            }
            Err(ApiError::Unauthorized | ApiError::NotConnected) => {
                live.link.set(Link::Off);
                sleep(5000).await;
                continue;
            }
            // a server without the stream (Talkover's own, an older Dialback), or one that
            // refuses it (this token holds its limit): asked again in a minute
            Err(ApiError::Status(400..=499, _) | ApiError::Rejected(..)) => {
                live.link.set(Link::Off);
                sleep(60_000).await;
                continue;
            }
            Err(_) => {}
        }
        current.borrow_mut().take();
        if hidden() {
            continue;
        }
        live.link.set(Link::Reconnecting);
        failures = failures.saturating_add(1);
        let wait = retry_ms
            .saturating_mul(1 << failures.min(4).saturating_sub(1))
            .min(15_000);
        sleep(wait).await;
    }
}

fn handle(live: Live, item: StreamItem, calls: &Rc<RefCell<bool>>, directory: &Rc<RefCell<bool>>) {
    match item {
        StreamItem::Event(e) => match e.event {
            EventType::CallEnded | EventType::MessageReceived => live.changed(live.calls, calls),
            EventType::CallbackRouted => {
                if let Some(d) = Decision::of(&e) {
                    live.decisions.update(|list| {
                        list.insert(0, d);
                        list.truncate(KEPT);
                    });
                }
                live.changed(live.calls, calls);
            }
            EventType::AgentChanged | EventType::NumberChanged => {
                live.changed(live.directory, directory)
            }
        },
        // what was missed is gone: everything shown is asked for again
        StreamItem::Reset(_) => {
            live.changed(live.calls, calls);
            live.changed(live.directory, directory);
        }
        StreamItem::Other { .. } => {}
    }
}

/// The link's state, for the header and the Live panel.
#[component]
pub fn LinkBadge() -> impl IntoView {
    let live = Live::get();
    view! {
        <span class="link-state" role="status" data-link=move || live.link.get().key()>
            {move || live.link.get().label()}
        </span>
    }
}
