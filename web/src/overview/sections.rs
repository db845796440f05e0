//! The Overview's other sections: usage this month with the top agents, the callback agents,
//! and the first steps for an environment with no agents yet.

use dialback_core::Inconsistency;
use dialback_core::callback::LookbackDays;
use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::talkover::AgentBody;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::format::duration;
use crate::ui::Warnings;

#[component]
pub(super) fn UsageSummary(
    body: UsageByAgentResponse,
    problems: Vec<Inconsistency>,
) -> impl IntoView {
    let totals = body.totals();
    let top: Vec<_> = body.top_agents(5).into_iter().cloned().collect();
    view! {
        <Warnings problems=problems />
        <div class="cards">
            <div class="card" data-card="calls">
                <span class="big">{totals.calls}</span>
                <span>"completed calls"</span>
            </div>
            <div class="card" data-card="call-time">
                <span class="big">{duration(totals.total_seconds)}</span>
                <span>"call time"</span>
            </div>
            <div class="card" data-card="messages">
                <span class="big">{totals.messages}</span>
                <span>"messages"</span>
            </div>
        </div>
        {if top.is_empty() {
            view! { <p class="empty">"No agent has activity this month yet."</p> }.into_any()
        } else {
            view! {
                <table class="top-agents">
                    <caption>"Top agents by call time"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Agent"</th>
                            <th scope="col">"Calls"</th>
                            <th scope="col">"Call time"</th>
                            <th scope="col">"Messages"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {top
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <tr>
                                        <th scope="row">{r.agent_name}</th>
                                        <td>{r.calls}</td>
                                        <td>{duration(r.total_seconds)}</td>
                                        <td>{r.messages}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
                .into_any()
        }}
        <p>
            <A href="/usage">"Usage by agent"</A>
        </p>
    }
}

#[component]
pub(super) fn CallbackAgents(agents: Vec<AgentBody>) -> impl IntoView {
    let name_of = |id: &str| {
        agents
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| format!("unknown agent {id}"), |a| a.name.clone())
    };
    let roles: Vec<_> = agents
        .iter()
        .filter_map(|a| a.callback_config.as_ref().map(|c| (a, c)))
        .map(|(a, c)| {
            let sources: Vec<String> = c.source_agent_ids.iter().map(|id| name_of(id)).collect();
            let lookback = c.lookback_days.unwrap_or(LookbackDays::DEFAULT.days());
            (a.id.clone(), a.name.clone(), sources.join(", "), lookback)
        })
        .collect();
    if roles.is_empty() {
        return view! {
            <p class="empty">
                "No callback agent yet. "<A href="/callbacks">"Set one up"</A>
                " so that contacts who call back reach the right agent."
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="roles">
            {roles
                .into_iter()
                .map(|(id, name, sources, lookback)| {
                    view! {
                        <li>
                            <strong>{name.clone()}</strong>
                            " takes callbacks for "
                            {sources}
                            {format!(" within {lookback} days. ")}
                            <A
                                href=format!("/callbacks?agent={id}")
                                attr:aria-label=format!("Edit {name}'s callback routing")
                            >
                                "Edit"
                            </A>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// What to do first, while the environment lacks agents or a callback agent.
#[component]
pub(super) fn GettingStarted(agents: Vec<AgentBody>) -> impl IntoView {
    let has_inbound = agents.iter().any(|a| a.direction.can_take_callbacks());
    let has_outbound = agents.iter().any(|a| a.direction.can_be_callback_source());
    let has_role = agents.iter().any(|a| a.callback_config.is_some());
    if has_inbound && has_outbound && has_role {
        return ().into_any();
    }
    let step = |done: bool, text: &'static str, href: &'static str, link: &'static str| {
        view! {
            <li class:done=done>
                {if done { "Done: " } else { "To do: " }}{text}" "<A href=href>{link}</A>
            </li>
        }
    };
    view! {
        <section class="panel wide getting-started" aria-labelledby="start-heading">
            <h2 id="start-heading">"Get started"</h2>
            <ol>
                {step(
                    has_outbound && has_inbound,
                    "Create an outbound agent (it places calls) and an inbound one (it answers a \
                     number).",
                    "/agents",
                    "Agents",
                )}
                {step(
                    has_role,
                    "Make the inbound agent the callback agent of the outbound ones.",
                    "/callbacks",
                    "Callback routing",
                )}
                <li>
                    "Then record calls as they happen ("<code>"POST /api/v1/calls"</code>
                    ") or import them ("<code>"POST /api/v1/calls/import"</code>"); the "
                    <A href="/api">"API reference"</A>" has both. Callbacks and usage appear here."
                </li>
            </ol>
        </section>
    }
    .into_any()
}
