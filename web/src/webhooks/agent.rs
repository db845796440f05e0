//! An agent's Talkover webhooks: listed with enable/disable, test, edit and delete; a form
//! for a new one or the one being edited, checked by the core's `parse_talkover_webhook`.

use dialback_core::wire::requests::webhooks::parse_talkover_webhook;
use dialback_core::wire::talkover::webhooks::{TestSentBody, WebhookBody, WebhookListBody};
use dialback_core::wire::talkover::{AgentBody, Envelope, MessageBody, MessageEnvelope};
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos_router::hooks::query_signal;
use serde_json::{Value, json};

use crate::access::access;
use crate::api::{ApiError, Connection};
use crate::ui::{FieldNote, Status, TableScroll, loaded, split_failure};

/// The Talkover body the agent form sends.
fn talkover_body(name: &str, url: &str, events: &[String], secret: &str, retries: &str) -> Value {
    let mut body = serde_json::Map::new();
    body.insert("name".into(), Value::from(name.trim()));
    body.insert("webhook_url".into(), Value::from(url.trim()));
    body.insert("events".into(), json!(events));
    if !secret.is_empty() {
        body.insert("webhook_secret".into(), Value::from(secret));
    }
    let retries = retries.trim();
    if !retries.is_empty() {
        let n = retries
            .parse::<i64>()
            .map_or_else(|_| Value::from(retries), Value::from);
        body.insert("max_retries".into(), n);
    }
    Value::Object(body)
}

#[component]
pub(super) fn AgentWebhooks(
    changed: RwSignal<u32>,
    only: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let read_only = move || access().read_only();
    let agents = LocalResource::new(move || {
        let c = connection.get();
        async move { c.all_agents().await }
    });
    let (agent_q, set_agent_q) = query_signal::<String>("agent");
    let agent = Memo::new(move |_| agent_q.get().unwrap_or_default());
    let hooks = LocalResource::new(move || {
        let (c, id) = (connection.get(), agent.get());
        changed.track();
        async move {
            if id.is_empty() {
                return Ok(None);
            }
            let list: Envelope<WebhookListBody> =
                c.talkover(&format!("/api/v1/agents/{id}/webhooks")).await?;
            Ok::<_, ApiError>(Some(list.data))
        }
    });
    let status = RwSignal::new(None::<Result<String, String>>);
    // the form: a new webhook, or the one being edited
    let editing = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let retries = RwSignal::new("3".to_owned());
    let events = RwSignal::new(vec![
        "event_phone_call_ended".to_owned(),
        "event_callback_routed".to_owned(),
    ]);
    let body = move || {
        talkover_body(
            &name.get(),
            &url.get(),
            &events.get(),
            &secret.get(),
            &retries.get(),
        )
    };
    let local =
        Memo::new(
            move |_| match parse_talkover_webhook(&body(), editing.get().is_none()) {
                Ok(_) => Vec::new(),
                Err(problems) => problems,
            },
        );
    let write = Action::new_local(
        move |(c, method, path, body): &(Connection, Method, String, Option<Value>)| {
            let (c, method, path, body) = (c.clone(), method.clone(), path.clone(), body.clone());
            async move {
                if path.ends_with("/test") {
                    let r: MessageEnvelope<TestSentBody> =
                        c.talkover_send(method, &path, None).await?;
                    return Ok::<_, ApiError>(r.message);
                }
                if method == Method::DELETE {
                    let r: MessageBody = c.talkover_send(method, &path, None).await?;
                    return Ok(r.message);
                }
                let r: MessageEnvelope<WebhookBody> =
                    c.talkover_send(method, &path, body.as_ref()).await?;
                Ok(format!(
                    "{}: {} ({}).",
                    r.message, r.data.name, r.data.status
                ))
            }
        },
    );
    let server = Memo::new(move |_| match write.value().get() {
        Some(Err(e)) => split_failure(e).0,
        _ => Vec::new(),
    });
    Effect::new(move |_| {
        if let Some(r) = write.value().get() {
            let ok = r.is_ok();
            status.set(Some(r.map_err(|e| {
                split_failure(e)
                    .1
                    .unwrap_or_else(|| "the server refused it; see the fields".into())
            })));
            if ok {
                editing.set(None);
            }
            changed.update(|n| *n += 1);
        }
    });
    let errors = Signal::derive(move || {
        if local.get().is_empty() {
            server.get()
        } else {
            local.get()
        }
    });
    let send = move |method: Method, path: String, body: Option<Value>| {
        write.dispatch((connection.get_untracked(), method, path, body));
    };
    view! {
        <section class="panel wide" aria-labelledby="agent-h">
            <h2 id="agent-h">"An agent's webhooks"</h2>
            {loaded(
                "agents",
                agents,
                move |list: Vec<AgentBody>| {
                    view! {
                        <label for="wh-agent">"Agent"</label>
                        <select
                            id="wh-agent"
                            on:change=move |ev| {
                                let id = event_target_value(&ev);
                                editing.set(None);
                                set_agent_q.set((!id.is_empty()).then_some(id));
                            }
                        >
                            <option value="" selected=move || agent.get().is_empty()>
                                "Choose an agent…"
                            </option>
                            {list
                                .into_iter()
                                .map(|a| {
                                    let id = a.id.clone();
                                    view! {
                                        <option
                                            value=a.id.clone()
                                            selected=move || agent.get() == id
                                        >
                                            {a.name.clone()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    }
                },
            )}
            {loaded(
                "its webhooks",
                hooks,
                move |data: Option<WebhookListBody>| {
                    data.map(|data| {
                        let catalogue: Vec<String> = data
                            .available_events
                            .keys()
                            .cloned()
                            .collect();
                        let id = agent.get_untracked();
                        view! {
                            <TableScroll label="The agent's webhooks, scrollable">
                                <table class="webhooks">
                                    <caption>"Its webhooks"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Name"</th>
                                            <th scope="col">"Receiver"</th>
                                            <th scope="col">"Events"</th>
                                            <th scope="col">"Status"</th>
                                            <th scope="col">"Actions"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {data
                                            .webhooks
                                            .into_iter()
                                            .map(|w| {
                                                let base = format!("/api/v1/agents/{id}/webhooks/{}", w.id);
                                                let (b1, b2, b3) = (base.clone(), base.clone(), base);
                                                let edit = w.clone();
                                                let logged = (w.id.clone(), w.name.clone());
                                                let toggle = if w.enabled { "Disable" } else { "Enable" };
                                                view! {
                                                    <tr>
                                                        <th scope="row">{w.name.clone()}</th>
                                                        <td class="url">{w.webhook_url.clone()}</td>
                                                        <td>{w.events.join(", ")}</td>
                                                        <td>{w.status.clone()}</td>
                                                        <td class="actions">
                                                            <button
                                                                type="button"
                                                                disabled=read_only
                                                                on:click=move |_| send(
                                                                    Method::PATCH,
                                                                    format!("{b1}/toggle"),
                                                                    None,
                                                                )
                                                            >
                                                                {toggle}
                                                            </button>
                                                            <button
                                                                type="button"
                                                                disabled=read_only
                                                                on:click=move |_| send(
                                                                    Method::POST,
                                                                    format!("{b2}/test"),
                                                                    None,
                                                                )
                                                            >
                                                                "Test"
                                                            </button>
                                                            <button
                                                                type="button"
                                                                disabled=read_only
                                                                on:click=move |_| {
                                                                    editing.set(Some(edit.id.clone()));
                                                                    name.set(edit.name.clone());
                                                                    url.set(edit.webhook_url.clone());
                                                                    events.set(edit.events.clone());
                                                                    retries.set(edit.max_retries.to_string());
                                                                    secret.set(String::new());
                                                                }
                                                            >
                                                                "Edit"
                                                            </button>
                                                            <button
                                                                type="button"
                                                                class="secondary"
                                                                on:click=move |_| only.set(Some(logged.clone()))
                                                            >
                                                                "Deliveries"
                                                            </button>
                                                            <button
                                                                type="button"
                                                                class="danger"
                                                                disabled=read_only
                                                                on:click=move |_| send(Method::DELETE, b3.clone(), None)
                                                            >
                                                                "Delete"
                                                            </button>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </TableScroll>
                            <form
                                class="stack"
                                on:submit=move |ev| {
                                    ev.prevent_default();
                                    if !local.get_untracked().is_empty() {
                                        return;
                                    }
                                    let id = agent.get_untracked();
                                    match editing.get_untracked() {
                                        Some(w) => {
                                            send(
                                                Method::PUT,
                                                format!("/api/v1/agents/{id}/webhooks/{w}"),
                                                Some(body()),
                                            )
                                        }
                                        None => {
                                            send(
                                                Method::POST,
                                                format!("/api/v1/agents/{id}/webhooks"),
                                                Some(body()),
                                            )
                                        }
                                    }
                                }
                            >
                                <h3>
                                    {move || {
                                        if editing.get().is_some() {
                                            "Edit the webhook"
                                        } else {
                                            "New webhook"
                                        }
                                    }}
                                </h3>
                                <label for="wh-name">"Name"</label>
                                <input
                                    id="wh-name"
                                    prop:value=name
                                    on:input=move |ev| name.set(event_target_value(&ev))
                                    aria-describedby="wh-name-note"
                                />
                                <FieldNote id="wh-name-note" field="name" errors=errors />
                                <label for="wh-url">"Receiver URL"</label>
                                <input
                                    id="wh-url"
                                    type="url"
                                    prop:value=url
                                    on:input=move |ev| url.set(event_target_value(&ev))
                                    aria-describedby="wh-url-note"
                                />
                                <FieldNote id="wh-url-note" field="webhook_url" errors=errors />
                                <fieldset class="events">
                                    <legend>"Events"</legend>
                                    {catalogue
                                        .into_iter()
                                        .map(|e| {
                                            let (e1, e2) = (e.clone(), e.clone());
                                            view! {
                                                <label class="check">
                                                    <input
                                                        type="checkbox"
                                                        prop:checked=move || events.get().contains(&e1)
                                                        on:change=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            events
                                                                .update(|list| {
                                                                    list.retain(|x| *x != e2);
                                                                    if on {
                                                                        list.push(e2.clone());
                                                                    }
                                                                });
                                                        }
                                                    />
                                                    {e}
                                                </label>
                                            }
                                        })
                                        .collect_view()}
                                </fieldset>
                                <FieldNote id="wh-events-note" field="events" errors=errors />
                                <label for="wh-secret">
                                    "Signing secret (optional; never shown again)"
                                </label>
                                <input
                                    id="wh-secret"
                                    type="password"
                                    autocomplete="new-password"
                                    prop:value=secret
                                    on:input=move |ev| secret.set(event_target_value(&ev))
                                    aria-describedby="wh-secret-note"
                                />
                                <FieldNote
                                    id="wh-secret-note"
                                    field="webhook_secret"
                                    errors=errors
                                />
                                <label for="wh-retries">
                                    "Retries after the first attempt (0 to 10)"
                                </label>
                                <input
                                    id="wh-retries"
                                    type="number"
                                    min="0"
                                    max="10"
                                    prop:value=retries
                                    on:input=move |ev| retries.set(event_target_value(&ev))
                                    aria-describedby="wh-retries-note"
                                />
                                <FieldNote id="wh-retries-note" field="max_retries" errors=errors />
                                <button type="submit" disabled=read_only>
                                    {move || {
                                        if editing.get().is_some() {
                                            "Save changes"
                                        } else {
                                            "Create webhook"
                                        }
                                    }}
                                </button>
                            </form>
                        }
                    })
                },
            )}
            <Status status=status />
        </section>
    }
}
