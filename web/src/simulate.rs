//! The routing simulator: where would a call from this number to that number go, and why.
//! The form is read by the core's `parse_simulation` (the server's parser) as it is typed; the
//! question and its answer live in the URL (`?from=&to=&at=`), so an answer can be shared.

use dialback_core::wire::FieldError;
use dialback_core::wire::requests::simulation::parse_simulation;
use dialback_core::wire::requests::{Expected, RequestError, field_errors};
use dialback_core::wire::talkover::{AgentBody, Envelope, RoutingBody};
use dialback_core::{RoutingDecision, Timestamp};
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos_router::hooks::query_signal;
use serde_json::{Map, Value};

use crate::api::{ApiError, Connection};
use crate::ui::{Failed, FieldNote};

/// The simulator page.
#[component]
pub fn Simulate() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let (from_q, set_from_q) = query_signal::<String>("from");
    let (to_q, set_to_q) = query_signal::<String>("to");
    let (at_q, set_at_q) = query_signal::<String>("at");
    let from = RwSignal::new(from_q.get_untracked().unwrap_or_default());
    let to = RwSignal::new(to_q.get_untracked().unwrap_or_default());
    let at = RwSignal::new(at_q.get_untracked().unwrap_or_default());
    let touched = RwSignal::new(false);

    let body = move || simulation_body(&from.get(), &to.get(), &at.get());
    let local = Memo::new(move |_| match body() {
        Ok(b) => parse_simulation(&b)
            .err()
            .map(|e| field_errors(&e))
            .unwrap_or_default(),
        Err(e) => vec![e],
    });
    let errors = Signal::derive(move || {
        if touched.get() {
            local.get()
        } else {
            Vec::new()
        }
    });

    // the question in the URL is the one answered
    let answer = LocalResource::new(move || {
        let c = connection.get();
        let question = (from_q.get(), to_q.get(), at_q.get());
        async move {
            let (from, Some(to), at) = question else {
                return None;
            };
            let body =
                simulation_body(&from.unwrap_or_default(), &to, &at.unwrap_or_default()).ok()?;
            let result: Result<Envelope<RoutingBody>, ApiError> = c
                .talkover_send(Method::POST, "/api/v1/routing/simulate", Some(&body))
                .await;
            Some(result.map(|e| e.data))
        }
    });
    let numbers = LocalResource::new(move || {
        let c = connection.get();
        async move { c.all_agents().await.unwrap_or_default() }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if !local.get_untracked().is_empty() {
            return;
        }
        let some = |s: String| (!s.trim().is_empty()).then_some(s);
        set_from_q.set(some(from.get_untracked()));
        set_to_q.set(some(to.get_untracked()));
        set_at_q.set(some(at.get_untracked()));
        answer.refetch();
    };

    view! {
        <h1>"Routing simulator"</h1>
        <p class="hint">
            "Ask where an inbound call would be routed right now (or at another time), without \
             recording anything."
        </p>
        <form class="panel" novalidate on:submit=submit>
            <label for="sim-from">"Caller number"</label>
            <input
                id="sim-from"
                type="tel"
                placeholder="+14155550100 (blank: withheld)"
                aria-describedby="sim-from-errors"
                prop:value=move || from.get()
                on:input=move |ev| from.set(event_target_value(&ev))
            />
            <FieldNote id="sim-from-errors" field="from" errors=errors />
            <label for="sim-to">"Dialed number"</label>
            <input
                id="sim-to"
                type="tel"
                list="owned-numbers"
                placeholder="a number an inbound agent owns"
                aria-describedby="sim-to-errors"
                prop:value=move || to.get()
                on:input=move |ev| to.set(event_target_value(&ev))
            />
            <datalist id="owned-numbers">
                {move || {
                    numbers
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|a: &AgentBody| a.direction.can_take_callbacks())
                        .flat_map(|a| {
                            a.phone_numbers
                                .into_iter()
                                .map(move |n| {
                                    view! {
                                        <option value=n
                                            .number
                                            .clone()>{format!("{} ({})", n.number, a.name)}</option>
                                    }
                                })
                        })
                        .collect_view()
                }}
            </datalist>
            <FieldNote id="sim-to-errors" field="to" errors=errors />
            <label for="sim-at">"Time (your browser's time zone; blank: now)"</label>
            <input
                id="sim-at"
                type="datetime-local"
                step="1"
                aria-describedby="sim-at-errors"
                prop:value=move || at.get()
                on:input=move |ev| at.set(event_target_value(&ev))
            />
            <FieldNote id="sim-at-errors" field="at" errors=errors />
            <button type="submit">"Simulate"</button>
        </form>
        <section aria-live="polite">
            {move || match answer.get() {
                None => {
                    to_q.get()
                        .is_some()
                        .then(|| {
                            view! {
                                <p class="loading" role="status">
                                    "Simulating…"
                                </p>
                            }
                                .into_any()
                        })
                }
                Some(None) => None,
                Some(Some(Err(e))) => {
                    Some(view! { <Failed error=e retry=move || answer.refetch() /> }.into_any())
                }
                Some(Some(Ok(r))) => Some(view! { <Decision routing=r /> }.into_any()),
            }}
        </section>
    }
}

/// The simulation request for what the form holds. `at` comes from a `datetime-local` input
/// (wall-clock time in the browser's zone) and is sent as a UTC instant.
pub fn simulation_body(from: &str, to: &str, at: &str) -> Result<Value, FieldError> {
    let mut body = Map::new();
    body.insert("to".into(), Value::from(to.trim()));
    if !from.trim().is_empty() {
        body.insert("from".into(), Value::from(from.trim()));
    }
    if !at.trim().is_empty() {
        let ms = js_sys::Date::new(&at.trim().into()).get_time();
        let t = Timestamp::from_unix_millis_f64(ms).ok_or_else(|| {
            // the core's error for a timestamp it cannot read, as the server would give it
            let at = Value::from(at.trim());
            FieldError::from(&RequestError::invalid("at", Expected::Timestamp, &at))
        })?;
        body.insert("at".into(), Value::from(t.to_string()));
    }
    Ok(Value::Object(body))
}

/// A decision as a headline, the sentence that explains it, and its code.
#[component]
fn Decision(routing: RoutingBody) -> impl IntoView {
    let (headline, class) = match routing.decision {
        RoutingDecision::Matched { .. } => ("Routed as a callback", "ok"),
        RoutingDecision::Unmatched { .. } => {
            ("Callback agent, but no matching outbound call", "warn")
        }
        RoutingDecision::NotCallbackAgent { .. } => ("Ordinary inbound call", "muted"),
        RoutingDecision::NumberNotOwned { .. } => ("Not routed", "error"),
    };
    view! {
        <div class=format!("decision {class}") role="status">
            <h2>{headline}</h2>
            <p class="explanation">{routing.explanation}</p>
            <p class="field-note">"Reason code: "<code>{routing.reason_code}</code></p>
        </div>
    }
}
