//! An agent's Talkover webhooks: listed with enable/disable, test, edit and delete; a form
//! for a new one or the one being edited, checked by the core's `parse_talkover_webhook`.

use dialback_core::wire::requests::webhooks::parse_talkover_webhook;
use dialback_core::wire::talkover::webhooks::{TestSentBody, WebhookBody, WebhookListBody};
use dialback_core::wire::talkover::{AgentBody, Envelope, MessageBody, MessageEnvelope};
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos_router::hooks::query_signal;
use serde_json::Value;

use super::draft::{Draft, Sender, WebhookForm, WebhookRow};
use crate::api::{ApiError, Connection};
use crate::ui::{Status, TableScroll, loaded, split_failure};

#[component]
pub(super) fn AgentWebhooks(
    changed: RwSignal<u32>,
    only: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
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
    let draft = Draft::new();
    let editing = draft.editing;
    let local =
        Memo::new(
            move |_| match parse_talkover_webhook(&draft.body(), editing.get().is_none()) {
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
    let send: Sender = Callback::new(move |(method, path, body)| {
        write.dispatch((connection.get_untracked(), method, path, body));
    });
    let submit = Callback::new(move |()| {
        if !local.get_untracked().is_empty() {
            return;
        }
        let id = agent.get_untracked();
        let (method, path) = match editing.get_untracked() {
            Some(w) => (Method::PUT, format!("/api/v1/agents/{id}/webhooks/{w}")),
            None => (Method::POST, format!("/api/v1/agents/{id}/webhooks")),
        };
        send.run((method, path, Some(draft.body())));
    });
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
                                                view! {
                                                    <WebhookRow w=w base=base draft=draft send=send only=only />
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </TableScroll>
                            <WebhookForm
                                draft=draft
                                catalogue=catalogue
                                errors=errors
                                submit=submit
                            />
                        }
                    })
                },
            )}
            <Status status=status />
        </section>
    }
}
