//! Sources: the platforms this environment syncs from (added by the operator with
//! `dialback source add`), where each one's runs stand, and "Sync now". While a run goes on,
//! the list reads itself again every two seconds until it is over.

use dialback_core::wire::talkover::sources::SourceBody;
use dialback_core::wire::talkover::{Envelope, MessageEnvelope};
use gloo_net::http::Method;
use leptos::prelude::*;

use crate::access::{ReadOnlyNote, access};
use crate::api::{ApiError, Connection};
use crate::ui::{Status, TableScroll, loaded, split_failure};

/// The Sources page.
#[component]
pub fn Sources() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let refresh = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let c = connection.get();
        refresh.track();
        async move {
            c.talkover::<Envelope<Vec<SourceBody>>>("/api/v1/sources")
                .await
                .map(|e| e.data)
        }
    });
    // while one is syncing, read again shortly
    Effect::new(move |_| {
        if let Some(Ok(sources)) = list.get()
            && sources.iter().any(|s| s.syncing)
        {
            set_timeout(
                move || refresh.update(|n| *n += 1),
                std::time::Duration::from_secs(2),
            );
        }
    });
    let status = RwSignal::new(None::<Result<String, String>>);
    let sync = Action::new_local(move |(c, id): &(Connection, i64)| {
        let (c, id) = (c.clone(), *id);
        async move {
            let started: MessageEnvelope<SourceBody> = c
                .talkover_send(Method::POST, &format!("/api/v1/sources/{id}/sync"), None)
                .await?;
            Ok::<_, ApiError>(format!("Syncing {} now.", started.data.base_url))
        }
    });
    Effect::new(move |_| {
        if let Some(r) = sync.value().get() {
            status.set(Some(r.map_err(|e| {
                split_failure(e)
                    .1
                    .unwrap_or_else(|| "the server refused it".into())
            })));
            refresh.update(|n| *n += 1);
        }
    });
    let read_only = move || access().read_only();
    view! {
        <h1>"Sources"</h1>
        <p class="hint">
            "The platforms this environment syncs from: their agents, numbers, callback roles \
             and ended calls, read through their documented APIs. An operator adds one with "
            <code>"dialback source add"</code> "; a server started with "<code>"--sync-every"</code>
            " runs them on a schedule. \
            An AgentPhone source with a webhook secret also takes the platform's webhooks at \
            its webhook path."
        </p>
        <ReadOnlyNote />
        <section class="panel wide sources" aria-labelledby="sources-h">
            <h2 id="sources-h">"Sources"</h2>
            <div class="actions">
                <button type="button" on:click=move |_| refresh.update(|n| *n += 1)>
                    "Refresh"
                </button>
            </div>
            {loaded(
                "the sources",
                list,
                move |sources: Vec<SourceBody>| {
                    if sources.is_empty() {
                        return view! {
                            <p class="empty">
                                "No sources yet: "
                                <code>
                                    "dialback source add talkover --env NAME --base URL \
                                     --token-env VAR"
                                </code>
                            </p>
                        }
                            .into_any();
                    }
                    view! {
                        <TableScroll label="Sources, scrollable">
                            <table class="sources">
                                <caption>"Sources"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Platform"</th>
                                        <th scope="col">"Last sync"</th>
                                        <th scope="col">"Agents"</th>
                                        <th scope="col">"Numbers"</th>
                                        <th scope="col">"Calls"</th>
                                        <th scope="col">"Last error"</th>
                                        <th scope="col">"Webhook path"</th>
                                        <th scope="col">
                                            <span class="sr-only">"Actions"</span>
                                        </th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {sources
                                        .into_iter()
                                        .map(|s| {
                                            let id = s.id;
                                            let aria = format!("Sync now: {}", s.base_url);
                                            let last = match (s.syncing, s.last_ok_at) {
                                                (true, _) => "syncing…".to_owned(),
                                                (false, Some(at)) => at.to_string(),
                                                (false, None) => "never".to_owned(),
                                            };
                                            view! {
                                                <tr data-source=id>
                                                    <th scope="row">
                                                        {s.platform.as_str()}
                                                        <span class="origin">{s.base_url.clone()}</span>
                                                    </th>
                                                    <td data-label="Last sync">{last}</td>
                                                    <td data-label="Agents">{s.agents}</td>
                                                    <td data-label="Numbers">{s.numbers}</td>
                                                    <td data-label="Calls">{s.calls}</td>
                                                    <td data-label="Last error" class="error-text">
                                                        {s.last_error.clone().unwrap_or_else(|| "–".into())}
                                                    </td>
                                                    <td data-label="Webhooks">
                                                        {s.webhook_path.clone().unwrap_or_else(|| "–".into())}
                                                    </td>
                                                    <td>
                                                        <button
                                                            type="button"
                                                            aria-label=aria
                                                            disabled=move || read_only() || s.syncing
                                                            on:click=move |_| {
                                                                sync.dispatch((connection.get_untracked(), id));
                                                            }
                                                        >
                                                            "Sync now"
                                                        </button>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </TableScroll>
                    }
                        .into_any()
                },
            )}
            <Status status=status />
        </section>
    }
}
