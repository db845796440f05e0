//! The Live panel: the latest routing decisions as they are made, filterable.

use leptos::prelude::*;

use super::{LinkBadge, Live};

/// The latest routing decisions, as they are made.
#[component]
pub fn LivePanel(
    /// Agent names by id (the overview's agent list).
    names: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let live = Live::get();
    let only_unmatched = RwSignal::new(false);
    let name = move |id: &str| {
        names
            .with(|n| {
                n.iter()
                    .find(|(i, _)| i == id)
                    .map(|(_, name)| name.clone())
            })
            .unwrap_or_else(|| id.to_owned())
    };
    let rows = move || {
        live.decisions
            .get()
            .into_iter()
            .filter(|d| !only_unmatched.get() || !d.matched)
            .collect::<Vec<_>>()
    };
    view! {
        <section class="live" aria-labelledby="live-heading">
            <h2 id="live-heading">"Live routing decisions " <LinkBadge /></h2>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || only_unmatched.get()
                    on:change=move |ev| only_unmatched.set(event_target_checked(&ev))
                />
                " Only unmatched"
            </label>
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    view! {
                        <p class="empty">
                            "No routing decision since this page opened. Inbound calls to a \
                             callback agent appear here as they are recorded."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <table class="live-decisions">
                            <caption>"Latest first"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Call started"</th>
                                    <th scope="col">"Caller"</th>
                                    <th scope="col">"Callback agent"</th>
                                    <th scope="col">"Source agent"</th>
                                    <th scope="col">"Reason"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|d| {
                                        let source = d
                                            .source_agent
                                            .as_deref()
                                            .map(name)
                                            .unwrap_or_else(|| "—".into());
                                        view! {
                                            <tr data-event=d.id.clone() data-code=d.code.clone()>
                                                <td data-label="Call started">{d.at.clone()}</td>
                                                <td data-label="Caller">{d.caller.clone()}</td>
                                                <td data-label="Callback agent">
                                                    {d.callback_agent.clone()}
                                                </td>
                                                <td data-label="Source agent">{source}</td>
                                                <td data-label="Reason">
                                                    <code>{d.code.clone()}</code>
                                                    " "
                                                    {d.explanation.clone()}
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
            }}
        </section>
    }
}
