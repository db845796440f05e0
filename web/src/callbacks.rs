//! Callback routing: which inbound agent takes callbacks for which outbound agents. The form
//! is checked by `validate_callback_config`, the function the server runs, on every change,
//! so the codes and messages next to each field are the server's own.

use dialback_core::wire::FieldError;
use dialback_core::wire::agents::directory_from_bodies;
use dialback_core::wire::talkover::{AgentBody, Envelope, MessageBody};
use dialback_core::{AgentDirectory, Direction, LookbackDays, validate_callback_config};
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::query_signal;
use serde_json::{Map, Value, json};

use crate::agents::{Status, shown_errors, split_failure};
use crate::api::{ApiError, Connection};
use crate::ui::{FieldNote, loaded};

/// The Callback routing page; the chosen agent lives in the URL (`?agent=<id>`).
#[component]
pub fn Callbacks() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    // outlives the form, which is rebuilt when the agents are reloaded after a change
    let status = RwSignal::new(None::<Result<String, String>>);
    let agents = LocalResource::new(move || {
        let c = connection.get();
        async move {
            let list = c.all_agents().await?;
            let directory = directory_from_bodies(&list).map_err(|errors| {
                ApiError::BadResponse(
                    errors
                        .iter()
                        .map(|e| format!("{}: {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })?;
            Ok((list, directory))
        }
    });
    view! {
        <h1>"Callback routing"</h1>
        <p class="hint">
            "A callback agent answers contacts who call back after one of its source agents \
             called them. Only inbound agents can take callbacks: outbound agents place calls \
             and own no line to answer, so they are not offered."
        </p>
        {loaded("agents", agents, move |(list, directory)| view! {
            <CallbackForm agents=list directory=directory status=status
                on_saved=move || agents.refetch()/>
        })}
    }
}

/// The body the form sends: `lookback_days` as a number when it is one, as the typed text
/// otherwise (so the core names exactly what is wrong), and left out when blank.
pub fn callback_body(sources: &[String], lookback: &str) -> Value {
    let mut body = Map::new();
    body.insert("source_agent_ids".into(), json!(sources));
    let lookback = lookback.trim();
    if !lookback.is_empty() {
        let days = lookback
            .parse::<i64>()
            .map_or_else(|_| Value::from(lookback), Value::from);
        body.insert("lookback_days".into(), days);
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
fn CallbackForm(
    agents: Vec<AgentBody>,
    directory: AgentDirectory,
    status: RwSignal<Option<Result<String, String>>>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let (agent_q, set_agent_q) = query_signal::<String>("agent");
    let agents = StoredValue::new(agents);
    let directory = StoredValue::new(directory);
    let sources = RwSignal::new(Vec::<String>::new());
    let lookback = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let server = RwSignal::new(Vec::<FieldError>::new());
    let confirming = RwSignal::new(false);
    let selected = Memo::new(move |_| agent_q.get().unwrap_or_default());
    let current = move || {
        let id = selected.get();
        agents.with_value(|a| a.iter().find(|a| a.id == id).cloned())
    };

    // choosing an agent loads its current configuration into the form
    Effect::new(move |_| {
        let config = current().and_then(|a| a.callback_config);
        sources.set(
            config
                .as_ref()
                .map(|c| c.source_agent_ids.clone())
                .unwrap_or_default(),
        );
        lookback.set(
            config
                .and_then(|c| c.lookback_days)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        server.set(Vec::new());
        confirming.set(false);
    });

    let body = move || callback_body(&sources.get(), &lookback.get());
    let local = Memo::new(move |_| {
        let id = selected.get();
        if id.is_empty() {
            return Vec::new();
        }
        directory.with_value(|d| check(&id, &body(), d))
    });
    let errors = Signal::derive(move || shown_errors(local.get(), server.get()));

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        server.set(Vec::new());
        let id = selected.get_untracked();
        if id.is_empty() || !local.get_untracked().is_empty() {
            status.set(Some(Err("Fix the problems shown above first.".into())));
            return;
        }
        let (c, body) = (connection.get_untracked(), body());
        let path = format!(
            "/api/v1/agents/{}/callback",
            js_sys::encode_uri_component(&id)
        );
        status.set(Some(Ok("Saving…".into())));
        spawn_local(async move {
            let result: Result<Envelope<AgentBody>, ApiError> =
                c.talkover_send(Method::POST, &path, Some(&body)).await;
            match result {
                Ok(saved) => {
                    status.set(Some(Ok(format!(
                        "Saved: {} now takes callbacks for {} source agent(s).",
                        saved.data.name,
                        saved
                            .data
                            .callback_config
                            .map_or(0, |c| c.source_agent_ids.len())
                    ))));
                    on_saved();
                }
                Err(e) => {
                    let (fields, message) = split_failure(e);
                    server.set(fields);
                    status.set(message.map(Err));
                }
            }
        });
    };
    let remove = move |_| {
        let (c, id) = (connection.get_untracked(), selected.get_untracked());
        let path = format!(
            "/api/v1/agents/{}/callback",
            js_sys::encode_uri_component(&id)
        );
        confirming.set(false);
        spawn_local(async move {
            let result: Result<MessageBody, ApiError> =
                c.talkover_send(Method::DELETE, &path, None).await;
            match result {
                Ok(m) => {
                    status.set(Some(Ok(m.message)));
                    on_saved();
                }
                Err(e) => status.set(Some(Err(e.to_string()))),
            }
        });
    };

    let (inbound, outbound): (Vec<AgentBody>, Vec<AgentBody>) = agents
        .get_value()
        .into_iter()
        .partition(|a| a.direction == Direction::Inbound);
    let outbound = StoredValue::new(outbound);
    let visible_sources = move || {
        let s = search.get().trim().to_lowercase();
        outbound.with_value(|o| {
            o.iter()
                .filter(|a| s.is_empty() || a.name.to_lowercase().contains(&s))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let toggle = move |id: String, on: bool| {
        sources.update(|list| {
            list.retain(|x| *x != id);
            if on {
                list.push(id);
            }
        });
        server.set(Vec::new());
    };

    view! {
        <form class="panel wide" novalidate on:submit=save>
            <label for="cb-agent">"Callback agent (inbound)"</label>
            <select id="cb-agent" aria-describedby="cb-agent-errors"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    status.set(None);
                    set_agent_q.set((!v.is_empty()).then_some(v));
                }>
                <option value="" selected=move || selected.get().is_empty()>"Choose an inbound agent…"</option>
                {inbound.into_iter().map(|a| {
                    let id = a.id.clone();
                    let mark = if a.callback_config.is_some() { " (takes callbacks)" } else { "" };
                    view! { <option value=a.id.clone() selected=move || selected.get() == id>{format!("{}{mark}", a.name)}</option> }
                }).collect_view()}
                <optgroup label="Outbound agents cannot take callbacks">
                    {outbound.get_value().into_iter().map(|a| {
                        let id = a.id.clone();
                        view! { <option value=a.id.clone() disabled selected=move || selected.get() == id>{a.name.clone()}</option> }
                    }).collect_view()}
                </optgroup>
            </select>
            <FieldNote id="cb-agent-errors" field="agent_id" errors=errors/>

            <fieldset aria-describedby="cb-sources-errors">
                <legend>{move || format!("Source agents (outbound) — {} selected", sources.get().len())}</legend>
                <label for="cb-search">"Filter sources"</label>
                <input id="cb-search" type="search" placeholder="name"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))/>
                <ul class="choices">
                    {move || {
                        let list = visible_sources();
                        if list.is_empty() {
                            return view! { <li class="empty">"No outbound agent matches."</li> }.into_any();
                        }
                        list.into_iter().map(|a| {
                            let id = a.id.clone();
                            let checked_id = a.id.clone();
                            view! {
                                <li><label class="check">
                                    <input type="checkbox"
                                        prop:checked=move || sources.get().contains(&checked_id)
                                        on:change=move |ev| toggle(id.clone(), event_target_checked(&ev))/>
                                    {a.name.clone()}
                                </label></li>
                            }
                        }).collect_view().into_any()
                    }}
                </ul>
            </fieldset>
            <FieldNote id="cb-sources-errors" field="source_agent_ids" errors=errors/>

            <label for="cb-lookback">"Lookback (days, optional)"</label>
            <input id="cb-lookback" inputmode="numeric" aria-describedby="cb-lookback-help cb-lookback-errors"
                placeholder=LookbackDays::DEFAULT.days().to_string()
                prop:value=move || lookback.get()
                on:input=move |ev| { lookback.set(event_target_value(&ev)); server.set(Vec::new()); }/>
            <p id="cb-lookback-help" class="field-note">
                {format!("How long after an outbound call a callback still counts. Blank: {} days.", LookbackDays::DEFAULT.days())}
            </p>
            <FieldNote id="cb-lookback-errors" field="lookback_days" errors=errors/>

            <div class="actions">
                <button type="submit" disabled=move || selected.get().is_empty()>"Save callback routing"</button>
                {move || current().and_then(|a| a.callback_config.map(|_| a.name)).map(|name| view! {
                    <button type="button" class="danger" on:click=move |_| confirming.set(true)>"Remove callback role"</button>
                    {move || confirming.get().then(|| view! {
                        <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                            <p id="confirm-text">{format!("Remove {name}'s callback role? Calls to its numbers will no longer be matched to outbound calls.")}</p>
                            <button type="button" class="danger" on:click=remove>"Yes, remove"</button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                        </div>
                    })}
                })}
            </div>
            <Status status=status/>
        </form>
    }
}
