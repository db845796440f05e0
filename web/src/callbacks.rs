//! Callback routing: which inbound agent takes callbacks for which outbound agents, how far
//! back, and after which outcomes. The form is checked by `validate_callback_config`, the
//! function the server runs, on every change, so the codes and messages next to each field
//! are the server's own.

use crate::access::{ReadOnlyNote, access};
use dialback_core::wire::FieldError;
use dialback_core::wire::agents::DirectoryRead;
use dialback_core::wire::talkover::{AgentBody, Envelope, MessageBody};
use dialback_core::{
    AgentDirectory, AgentQuery, CallStatus, LookbackDays, validate_callback_config,
};
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos_router::hooks::query_signal;
use serde_json::{Map, Value, json};

use crate::api::{ApiError, Connection};
use crate::ui::{FieldNote, Status, Unchecked, loaded, shown_errors, split_failure};

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

/// A write of the callback role: `POST` sets it, `PUT` replaces it (as documented), `DELETE`
/// removes it. The input's last part is the agent's name, for the answer's sentence.
type Write = Action<(Connection, Method, String, Option<Value>, String), Result<String, ApiError>>;

fn write() -> Write {
    Action::new_local(
        |(c, method, path, body, name): &(Connection, Method, String, Option<Value>, String)| {
            let (c, method, path, body, name) = (
                c.clone(),
                method.clone(),
                path.clone(),
                body.clone(),
                name.clone(),
            );
            async move {
                if method == Method::DELETE {
                    let m: MessageBody = c.talkover_send(method, &path, None).await?;
                    return Ok(m.message);
                }
                let saved: Envelope<Value> = c.talkover_send(method, &path, body.as_ref()).await?;
                let count = saved
                    .data
                    .pointer("/callback_config/source_agent_ids")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                Ok(format!(
                    "Saved: {name} now takes callbacks for {count} source agent(s)."
                ))
            }
        },
    )
}

#[component]
fn CallbackForm(
    agent: AgentBody,
    agents: Vec<AgentBody>,
    directory: AgentDirectory,
    on_saved: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let access = access();
    let config = agent.callback_config.clone();
    let has_role = config.is_some();
    let sources = RwSignal::new(
        config
            .as_ref()
            .map(|c| c.source_agent_ids.clone())
            .unwrap_or_default(),
    );
    let lookback = RwSignal::new(
        config
            .as_ref()
            .and_then(|c| c.lookback_days)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    // the configuration's trigger statuses are kept as they are unless the user changes them
    let triggers = RwSignal::new(
        config
            .as_ref()
            .and_then(|c| c.callback_trigger_statuses.clone())
            .unwrap_or_default()
            .iter()
            .filter_map(|s| CallStatus::parse(s))
            .collect::<Vec<_>>(),
    );
    let search = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let directory = StoredValue::new(directory);
    let id = agent.id.clone();
    let body = move || callback_body(&sources.get(), &lookback.get(), &triggers.get());
    let local = {
        let id = id.clone();
        Memo::new(move |_| directory.with_value(|d| check(&id, &body(), d)))
    };
    let action = write();
    let answer = action.value();
    let server = Memo::new(move |_| match answer.get() {
        Some(Err(e)) => split_failure(e).0,
        _ => Vec::new(),
    });
    // a save refused by the core in the browser: nothing was sent
    let blocked = RwSignal::new(false);
    let status = Signal::derive(move || {
        if blocked.get() && !local.get().is_empty() {
            return Some(Err("Fix the problems shown above first.".to_owned()));
        }
        match answer.get() {
            // said by the page, which outlives this form
            Some(Ok(_)) | None => None,
            Some(Err(e)) => split_failure(e).1.map(Err),
        }
    });
    let pending = Signal::derive(move || action.pending().get().then_some("Saving…"));
    let errors = Signal::derive(move || shown_errors(local.get(), server.get()));
    Effect::new(move |_| {
        if let Some(Ok(message)) = answer.get() {
            on_saved(message);
        }
    });
    let path = format!(
        "/api/v1/agents/{}/callback",
        js_sys::encode_uri_component(&id)
    );
    let name = agent.name.clone();
    let save = {
        let (path, name) = (path.clone(), name.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            blocked.set(!local.get_untracked().is_empty());
            if blocked.get_untracked() || action.pending().get_untracked() {
                return;
            }
            let method = if has_role { Method::PUT } else { Method::POST };
            let input = (
                connection.get_untracked(),
                method,
                path.clone(),
                Some(body()),
                name.clone(),
            );
            action.dispatch_local(input);
        }
    };
    let remove = {
        let name = name.clone();
        move |_| {
            confirming.set(false);
            let input = (
                connection.get_untracked(),
                Method::DELETE,
                path.clone(),
                None,
                name.clone(),
            );
            action.dispatch_local(input);
        }
    };

    let outbound: Vec<AgentBody> = agents
        .into_iter()
        .filter(|a| a.direction.can_be_callback_source())
        .collect();
    let outbound = StoredValue::new(outbound);
    // the Agents page's search: name, label, or digits of a number
    let visible_sources = move || {
        let query = AgentQuery::new(&search.get(), None, None);
        outbound.with_value(|o| crate::agents::filter(o, &query))
    };
    let toggle = move |id: String, on: bool| {
        sources.update(|list| {
            list.retain(|x| *x != id);
            if on {
                list.push(id);
            }
        });
    };
    let toggle_trigger = move |s: CallStatus, on: bool| {
        triggers.update(|list| {
            list.retain(|x| *x != s);
            if on {
                list.push(s);
            }
        });
    };

    view! {
        <form
            class="panel wide"
            novalidate
            on:submit=save
            aria-label=format!("Callback routing of {}", agent.name)
        >
            <ReadOnlyNote />
            <FieldNote id="cb-agent-errors" field="agent_id" errors=errors />
            <fieldset aria-describedby="cb-sources-errors">
                <legend>
                    {move || {
                        format!("Source agents (outbound) — {} selected", sources.get().len())
                    }}
                </legend>
                <label for="cb-search">"Filter sources"</label>
                <input
                    id="cb-search"
                    type="search"
                    placeholder="name, label or number"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
                <ul class="choices">
                    {move || {
                        let list = visible_sources();
                        if list.is_empty() {
                            return view! { <li class="empty">"No outbound agent matches."</li> }
                                .into_any();
                        }
                        list.into_iter()
                            .map(|a| {
                                let id = a.id.clone();
                                let checked_id = a.id.clone();
                                view! {
                                    <li>
                                        <label class="check">
                                            <input
                                                type="checkbox"
                                                prop:checked=move || sources.get().contains(&checked_id)
                                                on:change=move |ev| toggle(
                                                    id.clone(),
                                                    event_target_checked(&ev),
                                                )
                                            />
                                            {a.name.clone()}
                                        </label>
                                    </li>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </ul>
            </fieldset>
            <FieldNote id="cb-sources-errors" field="source_agent_ids" errors=errors />

            <label for="cb-lookback">"Lookback (days, optional)"</label>
            <input
                id="cb-lookback"
                inputmode="numeric"
                aria-describedby="cb-lookback-help cb-lookback-errors"
                placeholder=LookbackDays::DEFAULT.days().to_string()
                prop:value=move || lookback.get()
                on:input=move |ev| lookback.set(event_target_value(&ev))
            />
            <p id="cb-lookback-help" class="field-note">
                {format!(
                    "How long after an outbound call a callback still counts. Blank: {} days.",
                    LookbackDays::DEFAULT.days(),
                )}
            </p>
            <FieldNote id="cb-lookback-errors" field="lookback_days" errors=errors />

            <fieldset aria-describedby="cb-triggers-help cb-triggers-errors">
                <legend>"Only after these outcomes (optional)"</legend>
                <p id="cb-triggers-help" class="field-note">
                    "A contact's return counts as a callback only if the source agent's call ended \
                     in one of the ticked outcomes. None ticked: every outcome counts."
                </p>
                <ul class="choices inline">
                    {CallStatus::ALL
                        .into_iter()
                        .map(|s| {
                            view! {
                                <li>
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            prop:checked=move || triggers.get().contains(&s)
                                            on:change=move |ev| toggle_trigger(
                                                s,
                                                event_target_checked(&ev),
                                            )
                                        />
                                        {s.as_trigger_str().replace('_', " ")}
                                    </label>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </fieldset>
            <FieldNote id="cb-triggers-errors" field="callback_trigger_statuses" errors=errors />

            <div class="actions">
                <button type="submit" disabled=move || action.pending().get() || access.read_only()>
                    "Save callback routing"
                </button>
                {has_role
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="danger"
                                disabled=move || access.read_only()
                                on:click=move |_| confirming.set(true)
                            >
                                "Remove callback role"
                            </button>
                            {move || {
                                confirming
                                    .get()
                                    .then(|| {
                                        let name = name.clone();
                                        view! {
                                            <div
                                                class="confirm"
                                                role="alertdialog"
                                                aria-labelledby="confirm-text"
                                            >
                                                <p id="confirm-text">
                                                    {format!(
                                                        "Remove {name}'s callback role? Calls to \
                                                         its numbers will no longer be matched to \
                                                         outbound calls.",
                                                    )}
                                                </p>
                                                <button
                                                    type="button"
                                                    class="danger"
                                                    on:click=remove.clone()
                                                >
                                                    "Yes, remove"
                                                </button>
                                                <button
                                                    type="button"
                                                    class="secondary"
                                                    on:click=move |_| confirming.set(false)
                                                >
                                                    "Keep it"
                                                </button>
                                            </div>
                                        }
                                    })
                            }}
                        }
                    })}
            </div>
            <Status status=status pending=pending />
        </form>
    }
}
