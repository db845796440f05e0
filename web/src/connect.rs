//! Connect: where the APIs are and the token, checked by the core before any request.

use dialback_core::token::Scope;
use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::talkover::{AgentBody, Page, TokenBody};
use dialback_core::{ApiToken, ErrorCode};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::access::{ReadOnlyNote, access};
use crate::api::{ApiError, Connection};

/// The Connect page.
#[component]
pub fn Connect() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let access = access();
    let current = connection.get_untracked();
    let talkover = RwSignal::new(current.talkover.clone());
    let agentphone = RwSignal::new(current.agentphone.clone());
    let token_text = RwSignal::new(
        current
            .token
            .as_ref()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
    );
    let remember = RwSignal::new(false);
    // one line per API: (answered, what happened)
    let status = RwSignal::new(None::<Vec<(bool, String)>>);
    let parsed = Memo::new(move |_| ApiToken::parse(&token_text.get()));

    let save = move || {
        let next = Connection {
            talkover: talkover.get_untracked().trim().to_owned(),
            agentphone: agentphone.get_untracked().trim().to_owned(),
            token: parsed.get_untracked().ok(),
        };
        next.save(remember.get_untracked());
        connection.set(next.clone());
        next
    };
    let test = move |_| {
        let next = save();
        status.set(Some(vec![(true, "Testing the connection…".to_owned())]));
        spawn_local(async move {
            // the list's meta counts every agent; one item per page keeps the answer small
            let talkover = next
                .talkover::<Page<AgentBody>>("/api/v1/agents?per_page=1")
                .await
                .map(|page| format!("connected; it lists {} agents.", page.meta.total));
            let agentphone = next
                .agentphone::<UsageByAgentResponse>("/v1/usage/by-agent?period=week")
                .await
                .map(|_| "connected; it answers usage by agent.".to_owned());
            let line = |api: &str, base: &str, result: Result<String, ApiError>| {
                let at = if base.is_empty() { "this server" } else { base };
                match result {
                    Ok(text) => (true, format!("{api} API ({at}): {text}")),
                    Err(e) => (false, format!("{api} API ({at}): {e}")),
                }
            };
            status.set(Some(vec![
                line("Talkover", &next.talkover, talkover),
                line("AgentPhone", &next.agentphone, agentphone),
            ]));
        });
    };

    view! {
        <h1>"Connect"</h1>
        <p class="hint">
            "Both APIs default to this page's own server. The token is kept for this tab only \
             unless you tick “remember”."
        </p>
        <form
            class="panel"
            on:submit=move |ev| {
                ev.prevent_default();
                test(());
            }
        >
            <label for="token">"API token"</label>
            <input
                id="token"
                type="password"
                autocomplete="off"
                spellcheck="false"
                placeholder="talq_…"
                aria-describedby="token-help"
                prop:value=move || token_text.get()
                on:input=move |ev| token_text.set(event_target_value(&ev))
            />
            <p id="token-help" class="field-note" role="status">
                {move || match parsed.get() {
                    Ok(_) => "Looks like a token.".to_owned(),
                    Err(e) => format!("{} ({})", e, e.code()),
                }}
            </p>
            <label for="talkover">"Talkover API base URL"</label>
            <input
                id="talkover"
                type="url"
                placeholder="(this server)"
                prop:value=move || talkover.get()
                on:input=move |ev| talkover.set(event_target_value(&ev))
            />
            <label for="agentphone">"AgentPhone API base URL"</label>
            <input
                id="agentphone"
                type="url"
                placeholder="(this server)"
                prop:value=move || agentphone.get()
                on:input=move |ev| agentphone.set(event_target_value(&ev))
            />
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || remember.get()
                    on:change=move |ev| remember.set(event_target_checked(&ev))
                />
                "Remember on this device"
            </label>
            <button type="submit" disabled=move || parsed.get().is_err()>
                "Save and test connection"
            </button>
        </form>
        <div role="status" aria-live="polite">
            {move || {
                status
                    .get()
                    .map(|lines| {
                        lines
                            .into_iter()
                            .map(|(ok, text)| {
                                view! { <p class=if ok { "ok" } else { "error" }>{text}</p> }
                            })
                            .collect_view()
                    })
            }}
            {move || access.0.get().map(|t| view! { <p class="ok">{token_line(&t)}</p> })}
        </div>
        <ReadOnlyNote />
    }
}

/// What the server says about the connected token (never the token).
fn token_line(t: &TokenBody) -> String {
    let scope = match t.scope {
        Scope::Read => "read-only",
        Scope::Write => "read-write",
    };
    let expiry = t
        .expires_at
        .as_deref()
        .map_or_else(|| "no expiry".to_owned(), |at| format!("expires {at}"));
    format!(
        "Token “{}” (id {}): {scope}, environment “{}”, {expiry}.",
        t.label, t.id, t.environment
    )
}
