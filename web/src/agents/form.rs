//! The Agents page's forms: a new agent (name, direction, numbers) and an agent's edit, each
//! checked by the core's request rules before it is sent, the server's refusals on the field.

use dialback_core::AgentStatus;
use dialback_core::wire::FieldError;
use dialback_core::wire::requests::agents::{parse_agent_patch, parse_new_agent};
use dialback_core::wire::requests::field_errors;
use dialback_core::wire::talkover::{AgentBody, MessageEnvelope};
use gloo_net::http::Method;
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::access::{ReadOnlyNote, access};
use crate::api::{ApiError, Connection};
use crate::format::number_list;
use crate::ui::{FieldNote, Status, shown_errors, split_failure};

/// A write that answers the documented `{success, message, data: agent}`.
pub(super) fn agent_write(
    method: Method,
) -> Action<(Connection, String, Value), Result<MessageEnvelope<AgentBody>, ApiError>> {
    Action::new_local(move |(c, path, body): &(Connection, String, Value)| {
        let (c, path, body, method) = (c.clone(), path.clone(), body.clone(), method.clone());
        async move { c.talkover_send(method, &path, Some(&body)).await }
    })
}

#[component]
pub(super) fn NewAgentForm(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let access = access();
    let name = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let direction = RwSignal::new("outbound".to_owned());
    let numbers = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let body = move || {
        let label = Some(label.get()).filter(|l| !l.trim().is_empty());
        let mut b = json!({"name": name.get(), "direction": direction.get(),
                           "phone_numbers": number_list(&numbers.get())});
        if let (Some(map), Some(label)) = (b.as_object_mut(), label) {
            map.insert("label".to_owned(), Value::from(label));
        }
        b
    };
    let local = Memo::new(move |_| {
        parse_new_agent(&body())
            .err()
            .map(|e| field_errors(&e))
            .unwrap_or_default()
    });
    let create = agent_write(Method::POST);
    let answer = create.value();
    let server = Memo::new(move |_| match answer.get() {
        Some(Err(e)) => split_failure(e).0,
        _ => Vec::new(),
    });
    let status = Signal::derive(move || match answer.get() {
        Some(Ok(created)) => Some(Ok(format!("Created {}.", created.data.name))),
        Some(Err(e)) => split_failure(e).1.map(Err),
        None => None,
    });
    let pending = Signal::derive(move || create.pending().get().then_some("Creating…"));
    let errors = Signal::derive(move || {
        if touched.get() {
            shown_errors(local.get(), server.get())
        } else {
            Vec::new()
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = answer.get() {
            name.set(String::new());
            label.set(String::new());
            numbers.set(String::new());
            touched.set(false);
            on_created();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if !local.get_untracked().is_empty() || create.pending().get_untracked() {
            return;
        }
        create.dispatch_local((connection.get_untracked(), "/api/v1/agents".into(), body()));
    };
    view! {
        <h2 id="new-agent">"New agent"</h2>
        <form class="panel" aria-labelledby="new-agent" novalidate on:submit=submit>
            <ReadOnlyNote />
            <label for="new-name">"Name"</label>
            <input
                id="new-name"
                aria-describedby="new-name-errors"
                prop:value=move || name.get()
                on:input=move |ev| {
                    name.set(event_target_value(&ev));
                    touched.set(true);
                }
            />
            <FieldNote id="new-name-errors" field="name" errors=errors />
            <label for="new-label">"Label (optional; the name when blank)"</label>
            <input
                id="new-label"
                aria-describedby="new-label-errors"
                prop:value=move || label.get()
                on:input=move |ev| {
                    label.set(event_target_value(&ev));
                    touched.set(true);
                }
            />
            <FieldNote id="new-label-errors" field="label" errors=errors />
            <label for="new-direction">"Direction"</label>
            <select
                id="new-direction"
                aria-describedby="new-direction-errors"
                on:change=move |ev| {
                    direction.set(event_target_value(&ev));
                    touched.set(true);
                }
            >
                <option value="outbound" selected=move || direction.get() == "outbound">
                    "Outbound (places calls)"
                </option>
                <option value="inbound" selected=move || direction.get() == "inbound">
                    "Inbound (answers a number)"
                </option>
            </select>
            <FieldNote id="new-direction-errors" field="direction" errors=errors />
            <label for="new-numbers">
                "Phone numbers (E.164, one per line or comma-separated)"
            </label>
            <textarea
                id="new-numbers"
                rows="2"
                aria-describedby="new-numbers-errors"
                prop:value=move || numbers.get()
                on:input=move |ev| {
                    numbers.set(event_target_value(&ev));
                    touched.set(true);
                }
            ></textarea>
            <FieldNote id="new-numbers-errors" field="phone_numbers" errors=errors />
            <button type="submit" disabled=move || create.pending().get() || access.read_only()>
                "Create agent"
            </button>
            <Status status=status pending=pending />
        </form>
    }
}

#[component]
pub(super) fn EditAgent(
    agent: AgentBody,
    on_done: impl Fn(bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let access = access();
    let name = RwSignal::new(agent.name.clone());
    let label = RwSignal::new(agent.display_label().to_owned());
    let published = RwSignal::new(agent.current_status == AgentStatus::Published);
    let numbers = RwSignal::new(agent.numbers().collect::<Vec<_>>().join("\n"));
    let body = move || {
        json!({"name": name.get(), "label": label.get(),
               "current_status": if published.get() { "published" } else { "draft" },
               "phone_numbers": number_list(&numbers.get())})
    };
    let local = Memo::new(move |_| {
        parse_agent_patch(&body())
            .err()
            .map(|e| field_errors(&e))
            .unwrap_or_default()
    });
    let save = agent_write(Method::PATCH);
    let answer = save.value();
    let server = Memo::new(move |_| match answer.get() {
        Some(Err(e)) => split_failure(e).0,
        _ => Vec::<FieldError>::new(),
    });
    let status = Signal::derive(move || match answer.get() {
        Some(Err(e)) => split_failure(e).1.map(Err),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = answer.get() {
            on_done(true);
        }
    });
    let errors = Signal::derive(move || shown_errors(local.get(), server.get()));
    let path = format!("/api/v1/agents/{}", js_sys::encode_uri_component(&agent.id));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !local.get_untracked().is_empty() || save.pending().get_untracked() {
            return;
        }
        save.dispatch_local((connection.get_untracked(), path.clone(), body()));
    };
    let pending = Signal::derive(move || save.pending().get().then_some("Saving…"));
    view! {
        <h2 id="edit-agent">{format!("Edit {}", agent.name)}</h2>
        <form class="panel" aria-labelledby="edit-agent" novalidate on:submit=submit>
            <ReadOnlyNote />
            <label for="edit-name">"Name"</label>
            <input
                id="edit-name"
                aria-describedby="edit-name-errors"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            <FieldNote id="edit-name-errors" field="name" errors=errors />
            <label for="edit-label">"Label"</label>
            <input
                id="edit-label"
                aria-describedby="edit-label-errors"
                prop:value=move || label.get()
                on:input=move |ev| label.set(event_target_value(&ev))
            />
            <FieldNote id="edit-label-errors" field="label" errors=errors />
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || published.get()
                    on:change=move |ev| published.set(event_target_checked(&ev))
                />
                "Published (recorded and shown; Dialback routes calls whatever the status)"
            </label>
            <label for="edit-numbers">"Phone numbers (replace the current ones)"</label>
            <textarea
                id="edit-numbers"
                rows="3"
                aria-describedby="edit-numbers-errors"
                prop:value=move || numbers.get()
                on:input=move |ev| numbers.set(event_target_value(&ev))
            ></textarea>
            <FieldNote id="edit-numbers-errors" field="phone_numbers" errors=errors />
            <div class="actions">
                <button type="submit" disabled=move || save.pending().get() || access.read_only()>
                    "Save changes"
                </button>
                <button type="button" class="secondary" on:click=move |_| on_done(false)>
                    "Cancel"
                </button>
            </div>
            <Status status=status pending=pending />
        </form>
    }
}
