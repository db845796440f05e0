//! The delivery log of the environment's AgentPhone webhooks: each delivery's event, status,
//! attempts, the receiver's answer, and when the next attempt is due.

use dialback_core::wire::agentphone::webhooks::{DeliveryObject, DeliveryPage};
use leptos::prelude::*;

use crate::api::Connection;
use crate::ui::{TableScroll, loaded};

#[component]
pub(super) fn DeliveryLog(
    changed: RwSignal<u32>,
    only: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let refresh = RwSignal::new(0u32);
    let log = LocalResource::new(move || {
        let c = connection.get();
        changed.track();
        refresh.track();
        let path = match only.get() {
            Some((id, _)) => format!(
                "/v1/webhooks/deliveries?limit=50&webhookId={}",
                js_sys::encode_uri_component(&id)
            ),
            None => "/v1/webhooks/deliveries?limit=50".to_owned(),
        };
        async move { c.agentphone::<DeliveryPage>(&path).await }
    });
    view! {
        <section class="panel wide" aria-labelledby="log-h">
            <h2 id="log-h">
                {move || match only.get() {
                    Some((_, name)) => format!("Deliveries to {name}"),
                    None => "Deliveries to the project's and agents' AgentPhone webhooks".to_owned(),
                }}
            </h2>
            <div class="actions">
                <button type="button" on:click=move |_| refresh.update(|n| *n += 1)>
                    "Refresh"
                </button>
                {move || {
                    only.get()
                        .map(|_| {
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    on:click=move |_| only.set(None)
                                >
                                    "Show every AgentPhone webhook's"
                                </button>
                            }
                        })
                }}
            </div>
            {loaded(
                "deliveries",
                log,
                |page: DeliveryPage| {
                    view! {
                        <p class="hint">
                            {format!("The newest {} of {}.", page.items.len(), page.total)}
                        </p>
                        <TableScroll label="The delivery log, scrollable">
                            <table class="deliveries">
                                <caption>"Delivery log"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Event"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Attempts"</th>
                                        <th scope="col">"HTTP"</th>
                                        <th scope="col">"Error"</th>
                                        <th scope="col">"Next retry"</th>
                                        <th scope="col">"Stored"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page
                                        .items
                                        .into_iter()
                                        .map(|d: DeliveryObject| {
                                            view! {
                                                <tr data-delivery=d.id.clone()>
                                                    <th scope="row">
                                                        {format!(
                                                            "{}{}",
                                                            d.event_type.clone().unwrap_or_default(),
                                                            if d.test { " (test)" } else { "" },
                                                        )}
                                                    </th>
                                                    <td class=format!(
                                                        "status-{}",
                                                        d.status,
                                                    )>{d.status.clone()}</td>
                                                    <td>{d.attempt_count}</td>
                                                    <td>
                                                        {d
                                                            .http_status
                                                            .map(|s| s.to_string())
                                                            .unwrap_or_else(|| "—".into())}
                                                    </td>
                                                    <td>{d.error_message.clone().unwrap_or_default()}</td>
                                                    <td>
                                                        {d.next_retry_at.clone().unwrap_or_else(|| "—".into())}
                                                    </td>
                                                    <td>{d.created_at.clone()}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </TableScroll>
                    }
                },
            )}
        </section>
    }
}
