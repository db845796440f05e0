//! The callback routing form: an inbound agent's sources, lookback and trigger outcomes,
//! checked against the directory as the server would before it is saved, and its removal.

use dialback_core::wire::talkover::{AgentBody, Envelope, MessageBody};
use dialback_core::{AgentDirectory, AgentQuery, CallStatus, LookbackDays};
use gloo_net::http::Method;
use leptos::prelude::*;
use serde_json::Value;

use super::{callback_body, check};
use crate::access::{ReadOnlyNote, access};
use crate::api::{ApiError, Connection};
use crate::ui::{FieldNote, Status, shown_errors, split_failure};

/// A write of the callback role: `POST` sets it, `PUT` replaces it (as documented), `DELETE`
/// removes it. The input's last part is the agent's name, for the answer's sentence.
type Write = Action<(Connection, Method, String, Option<Value>, String), Result<String, ApiError>>;

pub(super) fn write() -> Write {
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
pub(super) fn CallbackForm(
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
