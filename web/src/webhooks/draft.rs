//! The Talkover webhook being written: the form's fields ([`Draft`]), the form, and the table
//! row whose Edit button loads a webhook into it.

use dialback_core::wire::FieldError;
use dialback_core::wire::talkover::webhooks::WebhookBody;
use gloo_net::http::Method;
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::access::access;
use crate::ui::FieldNote;

/// A request to send: method, path and body.
pub(super) type Sender = Callback<(Method, String, Option<Value>)>;

/// The form's fields: a new webhook, or the one being edited (its id in `editing`).
#[derive(Clone, Copy)]
pub(super) struct Draft {
    pub editing: RwSignal<Option<String>>,
    name: RwSignal<String>,
    url: RwSignal<String>,
    secret: RwSignal<String>,
    retries: RwSignal<String>,
    events: RwSignal<Vec<String>>,
}

impl Draft {
    /// An empty form: three retries, and the two events Dialback sends.
    pub fn new() -> Self {
        Draft {
            editing: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            url: RwSignal::new(String::new()),
            secret: RwSignal::new(String::new()),
            retries: RwSignal::new("3".to_owned()),
            events: RwSignal::new(vec![
                "event_phone_call_ended".to_owned(),
                "event_callback_routed".to_owned(),
            ]),
        }
    }

    /// Puts a webhook in the form to edit it; its secret is never shown, so it starts empty
    /// (empty keeps the stored one).
    fn edit(self, w: &WebhookBody) {
        self.editing.set(Some(w.id.clone()));
        self.name.set(w.name.clone());
        self.url.set(w.webhook_url.clone());
        self.events.set(w.events.clone());
        self.retries.set(w.max_retries.to_string());
        self.secret.set(String::new());
    }

    /// The Talkover body the form sends.
    pub fn body(self) -> Value {
        let mut body = serde_json::Map::new();
        body.insert("name".into(), Value::from(self.name.get().trim()));
        body.insert("webhook_url".into(), Value::from(self.url.get().trim()));
        body.insert("events".into(), json!(self.events.get()));
        let secret = self.secret.get();
        if !secret.is_empty() {
            body.insert("webhook_secret".into(), Value::from(secret));
        }
        let retries = self.retries.get();
        let retries = retries.trim();
        if !retries.is_empty() {
            let n = retries
                .parse::<i64>()
                .map_or_else(|_| Value::from(retries), Value::from);
            body.insert("max_retries".into(), n);
        }
        Value::Object(body)
    }
}

/// One webhook of the agent, with its actions.
#[component]
pub(super) fn WebhookRow(
    /// The webhook.
    w: WebhookBody,
    /// Its path (`/api/v1/agents/{id}/webhooks/{webhook_id}`).
    base: String,
    /// The form its Edit button fills.
    draft: Draft,
    /// Sends its toggle, test and delete.
    send: Sender,
    /// The delivery log's filter, set by its Deliveries button.
    only: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let read_only = move || access().read_only();
    let (b1, b2, b3) = (base.clone(), base.clone(), base);
    let logged = (w.id.clone(), w.name.clone());
    let toggle = if w.enabled { "Disable" } else { "Enable" };
    let edit = w.clone();
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
                    on:click=move |_| send.run((Method::PATCH, format!("{b1}/toggle"), None))
                >
                    {toggle}
                </button>
                <button
                    type="button"
                    disabled=read_only
                    on:click=move |_| send.run((Method::POST, format!("{b2}/test"), None))
                >
                    "Test"
                </button>
                <button type="button" disabled=read_only on:click=move |_| draft.edit(&edit)>
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
                    on:click=move |_| send.run((Method::DELETE, b3.clone(), None))
                >
                    "Delete"
                </button>
            </td>
        </tr>
    }
}

/// The form for a new webhook, or the one being edited.
#[component]
pub(super) fn WebhookForm(
    /// Its fields.
    draft: Draft,
    /// The events the server offers.
    catalogue: Vec<String>,
    /// The problems to show by their fields (the core's, else the server's).
    errors: Signal<Vec<FieldError>>,
    /// Sends it.
    submit: Callback<()>,
) -> impl IntoView {
    let read_only = move || access().read_only();
    let Draft {
        editing,
        name,
        url,
        secret,
        retries,
        events,
    } = draft;
    view! {
        <form
            class="stack"
            on:submit=move |ev| {
                ev.prevent_default();
                submit.run(());
            }
        >
            <h3>
                {move || if editing.get().is_some() { "Edit the webhook" } else { "New webhook" }}
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
            <label for="wh-secret">"Signing secret (optional; never shown again)"</label>
            <input
                id="wh-secret"
                type="password"
                autocomplete="new-password"
                prop:value=secret
                on:input=move |ev| secret.set(event_target_value(&ev))
                aria-describedby="wh-secret-note"
            />
            <FieldNote id="wh-secret-note" field="webhook_secret" errors=errors />
            <label for="wh-retries">"Retries after the first attempt (0 to 10)"</label>
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
                {move || if editing.get().is_some() { "Save changes" } else { "Create webhook" }}
            </button>
        </form>
    }
}
