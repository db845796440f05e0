//! Agents: the list (direction, status, numbers, callback role), creating one, editing one.
//! What the user types is read by the core's request parsers, the same ones the server runs,
//! on every keystroke; the list is filtered by the core's agent search rule.

use crate::access::{ReadOnlyNote, access};
use dialback_core::wire::FieldError;
use dialback_core::wire::agents::DirectoryRead;
use dialback_core::wire::requests::agents::{parse_agent_patch, parse_new_agent};
use dialback_core::wire::requests::field_errors;
use dialback_core::wire::talkover::{AgentBody, MessageEnvelope};
use dialback_core::{AgentId, AgentQuery, AgentStatus, Direction};
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos_router::hooks::query_signal;
use serde_json::{Value, json};

use crate::api::{ApiError, Connection};
use crate::format::number_list;
use crate::ui::{FieldNote, Status, Unchecked, loaded, shown_errors, split_failure};

/// The Agents page; its search and filters live in the URL (`?q=&direction=&status=`).
#[component]
pub fn Agents() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let (q, set_q) = query_signal::<String>("q");
    let (direction, set_direction) = query_signal::<String>("direction");
    let (status, set_status) = query_signal::<String>("status");
    let editing = RwSignal::new(None::<AgentBody>);
    let agents = LocalResource::new(move || {
        let c = connection.get();
        async move { c.agents_and_directory().await }
    });
    let refresh = move || agents.refetch();
    let choose = |set: SignalSetter<Option<String>>| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set.set((!v.is_empty()).then_some(v));
        }
    };

    view! {
        <h1>"Agents"</h1>
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="agent-search">"Search agents"</label>
            <input
                id="agent-search"
                type="search"
                placeholder="name, label or number"
                prop:value=move || q.get().unwrap_or_default()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    set_q.set((!v.is_empty()).then_some(v));
                }
            />
            <label for="agent-direction">"Show"</label>
            <select id="agent-direction" on:change=choose(set_direction)>
                <option value="" selected=move || direction.get().is_none()>
                    "All directions"
                </option>
                <option
                    value="inbound"
                    selected=move || direction.get().as_deref() == Some("inbound")
                >
                    "Inbound only"
                </option>
                <option
                    value="outbound"
                    selected=move || direction.get().as_deref() == Some("outbound")
                >
                    "Outbound only"
                </option>
            </select>
            <label for="agent-status">"Status"</label>
            <select id="agent-status" on:change=choose(set_status)>
                <option value="" selected=move || status.get().is_none()>
                    "Any status"
                </option>
                <option
                    value="published"
                    selected=move || status.get().as_deref() == Some("published")
                >
                    "Published"
                </option>
                <option value="draft" selected=move || status.get().as_deref() == Some("draft")>
                    "Draft"
                </option>
            </select>
        </form>
        <section aria-live="polite">
            {loaded(
                "agents",
                agents,
                move |(list, read): (Vec<AgentBody>, DirectoryRead)| {
                    let query = AgentQuery::new(
                        &q.get().unwrap_or_default(),
                        direction.get().as_deref().and_then(Direction::parse),
                        status.get().as_deref().and_then(AgentStatus::parse),
                    );
                    let shown = filter(&list, &query);
                    view! {
                        <Unchecked problems=read.problems.clone() />
                        <AgentTable all=list shown=shown read=read editing=editing />
                    }
                },
            )}
        </section>
        {move || {
            editing
                .get()
                .map(|agent| {
                    view! {
                        <EditAgent
                            agent=agent
                            on_done=move |changed| {
                                editing.set(None);
                                if changed {
                                    refresh();
                                }
                            }
                        />
                    }
                })
        }}
        <NewAgentForm on_created=refresh />
    }
}

/// The agents a query matches, by the core's search rule.
pub fn filter(agents: &[AgentBody], query: &AgentQuery) -> Vec<AgentBody> {
    agents
        .iter()
        .filter(|a| {
            query.matches(
                &a.name,
                a.display_label(),
                a.direction,
                a.current_status,
                a.numbers(),
            )
        })
        .cloned()
        .collect()
}

/// What an agent does with callbacks, in words: the callback agents it feeds ("callbacks go
/// to ...", the directory's reverse look-up), or the sources it takes callbacks for.
fn role(a: &AgentBody, all: &[AgentBody], read: &DirectoryRead) -> String {
    let name_of = |id: &str| {
        all.iter()
            .find(|b| b.id == id)
            .map_or_else(|| format!("unknown agent {id}"), |b| b.name.clone())
    };
    match (&a.callback_config, a.direction) {
        (Some(c), _) => {
            let names: Vec<String> = c.source_agent_ids.iter().map(|id| name_of(id)).collect();
            let window = c
                .lookback_days
                .map_or_else(String::new, |d| format!(" within {d} days"));
            format!("Takes callbacks for {}{window}", names.join(", "))
        }
        (None, Direction::Outbound) => {
            let Some(id) = AgentId::parse(&a.id).ok() else {
                return "–".to_owned();
            };
            let takers: Vec<&str> = read
                .directory
                .callback_agents_of(id)
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
}

#[component]
fn AgentTable(
    all: Vec<AgentBody>,
    shown: Vec<AgentBody>,
    read: DirectoryRead,
    editing: RwSignal<Option<AgentBody>>,
) -> impl IntoView {
    if all.is_empty() {
        return view! { <p class="empty">"No agents yet. Create the first one below."</p> }
            .into_any();
    }
    if shown.is_empty() {
        return view! { <p class="empty">"No agent matches this search."</p> }.into_any();
    }
    view! {
        <table class="agents">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Label"</th>
                    <th scope="col">"Direction"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Numbers"</th>
                    <th scope="col">"Callbacks"</th>
                    <th scope="col">
                        <span class="sr-only">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {shown
                    .into_iter()
                    .map(|a| {
                        let text = role(&a, &all, &read);
                        let numbers: Vec<String> = a
                            .phone_numbers
                            .iter()
                            .map(|n| {
                                if n.formatted_number.is_empty() {
                                    n.number.clone()
                                } else {
                                    format!("{} · {}", n.number, n.formatted_number)
                                }
                            })
                            .collect();
                        let label = a.display_label().to_owned();
                        let edit = a.clone();
                        let aria = format!("Edit {}", a.name);
                        view! {
                            <tr>
                                <th scope="row">
                                    {a.name.clone()}
                                    {a
                                        .origin
                                        .as_ref()
                                        .map(|o| {
                                            view! {
                                                <span class="origin" data-origin=o.platform.as_str()>
                                                    {format!("from {} · {}", o.platform, o.id)}
                                                </span>
                                            }
                                        })}
                                </th>
                                <td data-label="Label">{label}</td>
                                <td data-label="Direction">{a.direction.as_str()}</td>
                                <td data-label="Status">{a.current_status.as_str()}</td>
                                <td class="numbers" data-label="Numbers">
                                    {if numbers.is_empty() {
                                        "–".to_owned()
                                    } else {
                                        numbers.join(", ")
                                    }}
                                </td>
                                <td class="role" data-label="Callbacks">
                                    {text}
                                </td>
                                <td>
                                    <button
                                        type="button"
                                        class="secondary"
                                        aria-label=aria
                                        on:click=move |_| editing.set(Some(edit.clone()))
                                    >
                                        "Edit"
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A write that answers the documented `{success, message, data: agent}`.
fn agent_write(
    method: Method,
) -> Action<(Connection, String, Value), Result<MessageEnvelope<AgentBody>, ApiError>> {
    Action::new_local(move |(c, path, body): &(Connection, String, Value)| {
        let (c, path, body, method) = (c.clone(), path.clone(), body.clone(), method.clone());
        async move { c.talkover_send(method, &path, Some(&body)).await }
    })
}

#[component]
fn NewAgentForm(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
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
fn EditAgent(
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
