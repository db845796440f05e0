//! Agents: the list (direction, numbers, callback role), creating one, renaming one and
//! changing its numbers. What the user types is read by the core's request parsers, the same
//! ones the server runs, on every keystroke.

use dialback_core::Direction;
use dialback_core::wire::FieldError;
use dialback_core::wire::requests::{parse_agent_patch, parse_new_agent};
use dialback_core::wire::talkover::{AgentBody, Envelope};
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::query_signal;
use serde_json::{Value, json};

use crate::api::{ApiError, Connection};
use crate::format::number_list;
use crate::ui::{FieldNote, loaded};

/// The Agents page; its search and direction filter live in the URL (`?q=&direction=`).
#[component]
pub fn Agents() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let (q, set_q) = query_signal::<String>("q");
    let (direction, set_direction) = query_signal::<String>("direction");
    let editing = RwSignal::new(None::<AgentBody>);
    let agents = LocalResource::new(move || {
        let c = connection.get();
        async move { c.all_agents().await }
    });
    let refresh = move || agents.refetch();

    view! {
        <h1>"Agents"</h1>
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="agent-search">"Search agents"</label>
            <input id="agent-search" type="search" placeholder="name or number"
                prop:value=move || q.get().unwrap_or_default()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    set_q.set((!v.is_empty()).then_some(v));
                }/>
            <label for="agent-direction">"Show"</label>
            <select id="agent-direction"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set_direction.set((!v.is_empty()).then_some(v));
                }>
                <option value="" selected=move || direction.get().is_none()>"All agents"</option>
                <option value="inbound" selected=move || direction.get().as_deref() == Some("inbound")>"Inbound only"</option>
                <option value="outbound" selected=move || direction.get().as_deref() == Some("outbound")>"Outbound only"</option>
            </select>
        </form>
        <section aria-live="polite">
            {loaded("agents", agents, move |list: Vec<AgentBody>| {
                let shown = filter(&list, &q.get().unwrap_or_default(), direction.get().as_deref());
                view! { <AgentTable all=list shown=shown editing=editing/> }
            })}
        </section>
        {move || editing.get().map(|agent| view! {
            <EditAgent agent=agent on_done=move |changed| {
                editing.set(None);
                if changed { refresh(); }
            }/>
        })}
        <NewAgentForm on_created=refresh/>
    }
}

/// The agents whose name or a number contains `text` (any case), in one direction or both.
pub fn filter(agents: &[AgentBody], text: &str, direction: Option<&str>) -> Vec<AgentBody> {
    let text = text.trim().to_lowercase();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    agents
        .iter()
        .filter(|a| direction.is_none_or(|d| a.direction.as_str() == d))
        .filter(|a| {
            text.is_empty()
                || a.name.to_lowercase().contains(&text)
                || (!digits.is_empty()
                    && a.phone_numbers
                        .iter()
                        .flatten()
                        .any(|n| n.contains(&digits)))
        })
        .cloned()
        .collect()
}

fn name_of(all: &[AgentBody], id: &str) -> String {
    all.iter()
        .find(|a| a.id == id)
        .map_or_else(|| format!("unknown agent {id}"), |a| a.name.clone())
}

#[component]
fn AgentTable(
    all: Vec<AgentBody>,
    shown: Vec<AgentBody>,
    editing: RwSignal<Option<AgentBody>>,
) -> impl IntoView {
    if all.is_empty() {
        return view! { <p class="empty">"No agents yet. Create the first one below."</p> }
            .into_any();
    }
    if shown.is_empty() {
        return view! { <p class="empty">"No agent matches this search."</p> }.into_any();
    }
    let role = move |a: &AgentBody| -> String {
        match (&a.callback_config, a.direction) {
            (Some(c), _) => {
                let names: Vec<String> = c
                    .source_agent_ids
                    .iter()
                    .map(|id| name_of(&all, id))
                    .collect();
                let window = c
                    .lookback_days
                    .map_or_else(String::new, |d| format!(" within {d} days"));
                format!("Takes callbacks for {}{window}", names.join(", "))
            }
            (None, Direction::Outbound) => {
                let takers: Vec<&str> = all
                    .iter()
                    .filter(|b| {
                        b.callback_config
                            .as_ref()
                            .is_some_and(|c| c.source_agent_ids.contains(&a.id))
                    })
                    .map(|b| b.name.as_str())
                    .collect();
                if takers.is_empty() {
                    "Callbacks not routed".to_owned()
                } else {
                    format!("Callbacks go to {}", takers.join(", "))
                }
            }
            (None, Direction::Inbound) => "Not a callback agent".to_owned(),
        }
    };
    view! {
        <table class="agents">
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Direction"</th>
                <th scope="col">"Numbers"</th><th scope="col">"Callbacks"</th>
                <th scope="col"><span class="sr-only">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {shown.into_iter().map(|a| {
                    let text = role(&a);
                    let numbers = a.phone_numbers.clone().unwrap_or_default();
                    let edit = a.clone();
                    let label = format!("Edit {}", a.name);
                    view! {
                        <tr>
                            <th scope="row">{a.name.clone()}</th>
                            <td data-label="Direction">{a.direction.as_str()}</td>
                            <td class="numbers" data-label="Numbers">
                                {if numbers.is_empty() { "–".to_owned() } else { numbers.join(", ") }}
                            </td>
                            <td class="role" data-label="Callbacks">{text}</td>
                            <td><button type="button" class="secondary" aria-label=label
                                on:click=move |_| editing.set(Some(edit.clone()))>"Edit"</button></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Field errors to show: the core's while the input is wrong, else the server's last answer.
pub fn shown_errors(local: Vec<FieldError>, server: Vec<FieldError>) -> Vec<FieldError> {
    if local.is_empty() { server } else { local }
}

/// What a failed write means for a form: field problems go next to fields, anything else is
/// one message.
pub fn split_failure(e: ApiError) -> (Vec<FieldError>, Option<String>) {
    match e {
        ApiError::Rejected(_, errors) if errors.iter().any(|e| !e.field.is_empty()) => {
            (errors, None)
        }
        other => (Vec::new(), Some(other.to_string())),
    }
}

#[component]
fn NewAgentForm(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let name = RwSignal::new(String::new());
    let direction = RwSignal::new("outbound".to_owned());
    let numbers = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let server = RwSignal::new(Vec::<FieldError>::new());
    let status = RwSignal::new(None::<Result<String, String>>);
    let body = move || {
        json!({"name": name.get(), "direction": direction.get(),
               "phone_numbers": number_list(&numbers.get())})
    };
    let local = Memo::new(move |_| parse_new_agent(&body()).err().unwrap_or_default());
    let errors = Signal::derive(move || {
        if touched.get() {
            shown_errors(local.get(), server.get())
        } else {
            Vec::new()
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        server.set(Vec::new());
        if !local.get_untracked().is_empty() {
            return;
        }
        let (c, body) = (connection.get_untracked(), body());
        status.set(Some(Ok("Creating…".into())));
        spawn_local(async move {
            let result: Result<Envelope<AgentBody>, ApiError> = c
                .talkover_send(Method::POST, "/api/v1/agents", Some(&body))
                .await;
            match result {
                Ok(created) => {
                    status.set(Some(Ok(format!("Created {}.", created.data.name))));
                    name.set(String::new());
                    numbers.set(String::new());
                    touched.set(false);
                    on_created();
                }
                Err(e) => {
                    let (fields, message) = split_failure(e);
                    server.set(fields);
                    status.set(message.map(Err));
                }
            }
        });
    };
    let touch = move || {
        touched.set(true);
        server.set(Vec::new());
    };
    view! {
        <h2 id="new-agent">"New agent"</h2>
        <form class="panel" aria-labelledby="new-agent" novalidate on:submit=submit>
            <label for="new-name">"Name"</label>
            <input id="new-name" aria-describedby="new-name-errors" prop:value=move || name.get()
                on:input=move |ev| { name.set(event_target_value(&ev)); touch(); }/>
            <FieldNote id="new-name-errors" field="name" errors=errors/>
            <label for="new-direction">"Direction"</label>
            <select id="new-direction" aria-describedby="new-direction-errors"
                on:change=move |ev| { direction.set(event_target_value(&ev)); touch(); }>
                <option value="outbound" selected=move || direction.get() == "outbound">"Outbound (places calls)"</option>
                <option value="inbound" selected=move || direction.get() == "inbound">"Inbound (answers a number)"</option>
            </select>
            <FieldNote id="new-direction-errors" field="direction" errors=errors/>
            <label for="new-numbers">"Phone numbers (E.164, one per line or comma-separated)"</label>
            <textarea id="new-numbers" rows="2" aria-describedby="new-numbers-errors"
                prop:value=move || numbers.get()
                on:input=move |ev| { numbers.set(event_target_value(&ev)); touch(); }></textarea>
            <FieldNote id="new-numbers-errors" field="phone_numbers" errors=errors/>
            <button type="submit">"Create agent"</button>
            <Status status=status/>
        </form>
    }
}

#[component]
fn EditAgent(
    agent: AgentBody,
    on_done: impl Fn(bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let name = RwSignal::new(agent.name.clone());
    let numbers = RwSignal::new(agent.phone_numbers.clone().unwrap_or_default().join("\n"));
    let server = RwSignal::new(Vec::<FieldError>::new());
    let status = RwSignal::new(None::<Result<String, String>>);
    let body = move || json!({"name": name.get(), "phone_numbers": number_list(&numbers.get())});
    let local = Memo::new(move |_| parse_agent_patch(&body()).err().unwrap_or_default());
    let errors = Signal::derive(move || shown_errors(local.get(), server.get()));
    let id = agent.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        server.set(Vec::new());
        if !local.get_untracked().is_empty() {
            return;
        }
        let (c, body): (Connection, Value) = (connection.get_untracked(), body());
        let path = format!("/api/v1/agents/{}", js_sys::encode_uri_component(&id));
        status.set(Some(Ok("Saving…".into())));
        spawn_local(async move {
            let result: Result<Envelope<AgentBody>, ApiError> =
                c.talkover_send(Method::PATCH, &path, Some(&body)).await;
            match result {
                Ok(_) => on_done(true),
                Err(e) => {
                    let (fields, message) = split_failure(e);
                    server.set(fields);
                    status.set(message.map(Err));
                }
            }
        });
    };
    view! {
        <h2 id="edit-agent">{format!("Edit {}", agent.name)}</h2>
        <form class="panel" aria-labelledby="edit-agent" novalidate on:submit=submit>
            <label for="edit-name">"Name"</label>
            <input id="edit-name" aria-describedby="edit-name-errors" prop:value=move || name.get()
                on:input=move |ev| { name.set(event_target_value(&ev)); server.set(Vec::new()); }/>
            <FieldNote id="edit-name-errors" field="name" errors=errors/>
            <label for="edit-numbers">"Phone numbers (replace the current ones)"</label>
            <textarea id="edit-numbers" rows="3" aria-describedby="edit-numbers-errors"
                prop:value=move || numbers.get()
                on:input=move |ev| { numbers.set(event_target_value(&ev)); server.set(Vec::new()); }></textarea>
            <FieldNote id="edit-numbers-errors" field="phone_numbers" errors=errors/>
            <div class="actions">
                <button type="submit">"Save changes"</button>
                <button type="button" class="secondary" on:click=move |_| on_done(false)>"Cancel"</button>
            </div>
            <Status status=status/>
        </form>
    }
}

/// The outcome line of a form.
#[component]
pub fn Status(status: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite">
            {move || status.get().map(|s| match s {
                Ok(text) => view! { <p class="ok">{text}</p> }.into_any(),
                Err(text) => view! { <p class="error">{text}</p> }.into_any(),
            })}
        </div>
    }
}
