//! Webhooks: the project webhook (AgentPhone's, which receives every event of agents without
//! one of their own), an agent's Talkover webhooks, and the delivery log. What a user types is
//! checked by the core's parsers (`parse_talkover_webhook`, `check_url`), the rules the server
//! runs, so the problems shown before sending are the server's own. A new AgentPhone secret is
//! shown once, right after it is made, with a copy button.

use dialback_core::error::ErrorCode;
use dialback_core::webhook::endpoint::limits;
use dialback_core::webhook::url::check_url;
use dialback_core::wire::FieldError;
use dialback_core::wire::agentphone::webhooks::{TestResultObject, WebhookObject};
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

mod agent;
mod draft;
mod log;

use agent::AgentWebhooks;
use log::DeliveryLog;

use crate::access::{ReadOnlyNote, access};
use crate::api::{ApiError, Connection};
use crate::ui::{FieldNote, Status, loaded, split_failure};

/// The Webhooks page; the agent whose webhooks are shown lives in the URL (`?agent=<id>`).
#[component]
pub fn Webhooks() -> impl IntoView {
    // bumped after every change, so the log and the lists read what the server now holds
    let changed = RwSignal::new(0u32);
    // the log's filter: one webhook (its id and name), or every AgentPhone webhook
    let only = RwSignal::new(None::<(String, String)>);
    view! {
        <h1>"Webhooks"</h1>
        <p class="hint">
            "Dialback posts what happens (a call ended, a callback was routed, a message \
             arrived) to your receivers, signed: X-Webhook-Signature is sha256= and the \
             HMAC-SHA256 of the X-Webhook-Timestamp header, a dot and the body, keyed with the \
             webhook's secret. Failed deliveries are retried after 5 s, 30 s, 3 min, 18 min and \
             1 h 48 min."
        </p>
        <ReadOnlyNote />
        <ProjectWebhook changed=changed />
        <AgentWebhooks changed=changed only=only />
        <DeliveryLog changed=changed only=only />
    }
}

/// The copy button's words, by state.
fn copy(text: String, done: RwSignal<&'static str>) {
    let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
        done.set("Copy it by hand");
        return;
    };
    spawn_local(async move {
        let written = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await;
        done.set(if written.is_ok() {
            "Copied"
        } else {
            "Copy it by hand"
        });
    });
}

#[component]
fn Secret(secret: String) -> impl IntoView {
    let label = RwSignal::new("Copy secret");
    let text = secret.clone();
    view! {
        <div class="secret" role="group" aria-label="New webhook secret">
            <p>
                "The new secret, shown this once: store it where your receiver verifies signatures."
            </p>
            <code data-secret="">{secret}</code>
            <button type="button" on:click=move |_| copy(text.clone(), label)>
                {move || label.get()}
            </button>
        </div>
    }
}

type Reply = Result<String, ApiError>;

#[component]
fn ProjectWebhook(changed: RwSignal<u32>) -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let read_only = move || access().read_only();
    let current = LocalResource::new(move || {
        let c = connection.get();
        changed.track();
        async move { c.agentphone::<Option<WebhookObject>>("/v1/webhooks").await }
    });
    let url = RwSignal::new(String::new());
    let timeout = RwSignal::new("30".to_owned());
    let secret = RwSignal::new(None::<String>);
    // nothing to say about an empty field until it is sent (the button waits for a URL)
    let local = Memo::new(move |_| {
        let typed = url.get();
        match check_url(typed.trim(), limits::AGENTPHONE_URL_CHARS) {
            Err(e) if !typed.trim().is_empty() => {
                vec![FieldError::new(e.code(), e.to_string(), "url", None)]
            }
            _ => Vec::new(),
        }
    });
    let save = Action::new_local(move |(c, body): &(Connection, Value)| {
        let (c, body) = (c.clone(), body.clone());
        async move {
            let hook: WebhookObject = c
                .agentphone_send(Method::POST, "/v1/webhooks", Some(&body))
                .await?;
            secret.set(Some(hook.secret.clone()));
            Ok::<_, ApiError>(format!(
                "Saved: every event now goes to {} (agents with a webhook of their own aside).",
                hook.url
            ))
        }
    });
    let act = Action::new_local(move |(c, test): &(Connection, bool)| {
        let (c, test) = (c.clone(), *test);
        async move {
            if test {
                let r: TestResultObject = c
                    .agentphone_send(Method::POST, "/v1/webhooks/test", None)
                    .await?;
                return Ok::<_, ApiError>(match (r.success, r.http_status, r.error_message) {
                    (true, Some(code), _) => {
                        format!("Test delivered: the receiver answered {code}.")
                    }
                    (_, _, Some(why)) => format!("Test not delivered: {why}."),
                    _ => "Test not delivered.".to_owned(),
                });
            }
            let _: Value = c
                .agentphone_send(Method::DELETE, "/v1/webhooks", None)
                .await?;
            secret.set(None);
            Ok(
                "Deleted: events of agents without a webhook of their own go nowhere now."
                    .to_owned(),
            )
        }
    });
    let status = RwSignal::new(None::<Result<String, String>>);
    let done = move |r: Option<Reply>| {
        if let Some(r) = r {
            status.set(Some(r.map_err(|e| {
                split_failure(e)
                    .1
                    .unwrap_or_else(|| "the server refused it".into())
            })));
            changed.update(|n| *n += 1);
        }
    };
    Effect::new(move |_| done(save.value().get()));
    Effect::new(move |_| done(act.value().get()));
    let server = Memo::new(move |_| match save.value().get() {
        Some(Err(e)) => split_failure(e).0,
        _ => Vec::new(),
    });
    let errors = Signal::derive(move || {
        if local.get().is_empty() {
            server.get()
        } else {
            local.get()
        }
    });
    view! {
        <section class="panel wide" aria-labelledby="project-h">
            <h2 id="project-h">"Project webhook"</h2>
            {loaded(
                "the project webhook",
                current,
                move |hook: Option<WebhookObject>| match hook {
                    None => {
                        view! {
                            <p class="hint">
                                "None set: events of agents without a webhook of their own are not \
                                 sent."
                            </p>
                        }
                            .into_any()
                    }
                    Some(h) => {
                        view! {
                            <dl class="facts">
                                <dt>"Receiver"</dt>
                                <dd data-field="project-url">{h.url.clone()}</dd>
                                <dt>"Status"</dt>
                                <dd>{h.status.clone()}</dd>
                                <dt>"Timeout"</dt>
                                <dd>{format!("{} s", h.timeout)}</dd>
                                <dt>"Created"</dt>
                                <dd>{h.created_at.clone()}</dd>
                            </dl>
                            <div class="actions">
                                <button
                                    type="button"
                                    disabled=read_only
                                    on:click=move |_| {
                                        act.dispatch((connection.get_untracked(), true));
                                    }
                                >
                                    "Send a test"
                                </button>
                                <button
                                    type="button"
                                    class="danger"
                                    disabled=read_only
                                    on:click=move |_| {
                                        act.dispatch((connection.get_untracked(), false));
                                    }
                                >
                                    "Delete"
                                </button>
                            </div>
                        }
                            .into_any()
                    }
                },
            )}
            <form
                class="stack"
                on:submit=move |ev| {
                    ev.prevent_default();
                    if local.get_untracked().is_empty() {
                        let t = timeout
                            .get_untracked()
                            .trim()
                            .parse::<i64>()
                            .map_or_else(|_| json!(timeout.get_untracked()), Value::from);
                        save.dispatch((
                            connection.get_untracked(),
                            json!({"url": url.get_untracked().trim(), "timeout": t}),
                        ));
                    }
                }
            >
                <label for="project-url-input">"Receiver URL"</label>
                <input
                    id="project-url-input"
                    type="url"
                    placeholder="https://example.com/webhooks"
                    prop:value=url
                    on:input=move |ev| url.set(event_target_value(&ev))
                    aria-describedby="project-url-input-note"
                />
                <FieldNote id="project-url-input-note" field="url" errors=errors />
                <label for="project-timeout">"Timeout (seconds, 5 to 120)"</label>
                <input
                    id="project-timeout"
                    type="number"
                    min="5"
                    max="120"
                    prop:value=timeout
                    on:input=move |ev| timeout.set(event_target_value(&ev))
                    aria-describedby="project-timeout-note"
                />
                <FieldNote id="project-timeout-note" field="timeout" errors=errors />
                <button type="submit" disabled=move || read_only() || url.get().trim().is_empty()>
                    "Save (makes a new secret)"
                </button>
            </form>
            {move || secret.get().map(|s| view! { <Secret secret=s /> })}
            <Status status=status />
        </section>
    }
}
