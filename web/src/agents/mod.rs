//! Agents: the list (direction, status, numbers, callback role), creating one, editing one.
//! What the user types is read by the core's request parsers, the same ones the server runs,
//! on every keystroke; the list is filtered by the core's agent search rule.

use dialback_core::wire::agents::DirectoryRead;
use dialback_core::wire::talkover::AgentBody;
use dialback_core::{AgentId, AgentQuery, AgentStatus, Direction};
use leptos::prelude::*;
use leptos_router::hooks::query_signal;

use crate::api::Connection;
use crate::ui::{Unchecked, loaded};

mod form;

use form::{EditAgent, NewAgentForm};

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
