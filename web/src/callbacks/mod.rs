//! Callback routing: which inbound agent takes callbacks for which outbound agents, how far
//! back, and after which outcomes. The form is checked by `validate_callback_config`, the
//! function the server runs, on every change, so the codes and messages next to each field
//! are the server's own.

use dialback_core::wire::FieldError;
use dialback_core::wire::agents::DirectoryRead;
use dialback_core::wire::talkover::AgentBody;
use dialback_core::{AgentDirectory, CallStatus, validate_callback_config};
use leptos::prelude::*;
use leptos_router::hooks::query_signal;
use serde_json::{Map, Value, json};

use crate::api::Connection;
use crate::ui::{Status, Unchecked, loaded};

mod form;

use form::CallbackForm;

/// The Callback routing page; the chosen agent lives in the URL (`?agent=<id>`).
#[component]
pub fn Callbacks() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let agents = LocalResource::new(move || {
        let c = connection.get();
        async move { c.agents_and_directory().await }
    });
    let (agent_q, set_agent_q) = query_signal::<String>("agent");
    // what the last save or removal said: kept here, above the form, because a success
    // reloads the agents and so rebuilds the form from what the server now holds
    let saved = RwSignal::new(None::<String>);
    view! {
        <h1>"Callback routing"</h1>
        <p class="hint">
            "A callback agent answers contacts who call back after one of its source agents \
             called them. Only inbound agents can take callbacks: outbound agents place calls \
             and own no line to answer, so they are not offered."
        </p>
        {loaded(
            "agents",
            agents,
            move |(list, read): (Vec<AgentBody>, DirectoryRead)| {
                let selected = agent_q.get().unwrap_or_default();
                let current = list.iter().find(|a| a.id == selected).cloned();
                view! {
                    <Unchecked problems=read.problems.clone() />
                    <AgentPicker
                        agents=list.clone()
                        selected=selected.clone()
                        on_pick=move |id| {
                            saved.set(None);
                            set_agent_q.set((!id.is_empty()).then_some(id));
                        }
                    />
                    // one form per agent: choosing another builds it afresh from that agent
                    {current
                        .map(|agent| {
                            view! {
                                <CallbackForm
                                    agent=agent
                                    agents=list.clone()
                                    directory=read.directory.clone()
                                    on_saved=move |message| {
                                        saved.set(Some(message));
                                        agents.refetch();
                                    }
                                />
                            }
                        })}
                }
            },
        )}
        <Status status=Signal::derive(move || saved.get().map(Ok)) />
    }
}

/// The body the form sends: `lookback_days` as a number when it is one, as the typed text
/// otherwise (so the core names exactly what is wrong), and left out when blank; the trigger
/// statuses in Talkover's spelling, left out when none is ticked (every outcome counts).
pub fn callback_body(sources: &[String], lookback: &str, triggers: &[CallStatus]) -> Value {
    let mut body = Map::new();
    body.insert("source_agent_ids".into(), json!(sources));
    let lookback = lookback.trim();
    if !lookback.is_empty() {
        let days = lookback
            .parse::<i64>()
            .map_or_else(|_| Value::from(lookback), Value::from);
        body.insert("lookback_days".into(), days);
    }
    if !triggers.is_empty() {
        let spelled: Vec<&str> = triggers.iter().map(|s| s.as_trigger_str()).collect();
        body.insert("callback_trigger_statuses".into(), json!(spelled));
    }
    Value::Object(body)
}

/// The core's verdict on a callback configuration, as field errors.
pub fn check(agent_id: &str, body: &Value, directory: &AgentDirectory) -> Vec<FieldError> {
    match validate_callback_config(agent_id, body, directory) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(FieldError::from).collect(),
    }
}

#[component]
fn AgentPicker(
    agents: Vec<AgentBody>,
    selected: String,
    on_pick: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    let (inbound, outbound): (Vec<AgentBody>, Vec<AgentBody>) = agents
        .into_iter()
        .partition(|a| a.direction.can_take_callbacks());
    view! {
        <form class="panel wide" on:submit=|ev| ev.prevent_default()>
            <label for="cb-agent">"Callback agent (inbound)"</label>
            <select id="cb-agent" on:change=move |ev| on_pick(event_target_value(&ev))>
                <option value="" selected=selected.is_empty()>
                    "Choose an inbound agent…"
                </option>
                {inbound
                    .into_iter()
                    .map(|a| {
                        let mark = if a.callback_config.is_some() {
                            " (takes callbacks)"
                        } else {
                            ""
                        };
                        view! {
                            <option value=a.id.clone() selected=a.id == selected>
                                {format!("{}{mark}", a.name)}
                            </option>
                        }
                    })
                    .collect_view()}
                <optgroup label="Outbound agents cannot take callbacks">
                    {outbound
                        .into_iter()
                        .map(|a| {
                            view! {
                                <option value=a.id.clone() disabled selected=a.id == selected>
                                    {a.name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </optgroup>
            </select>
        </form>
    }
}
