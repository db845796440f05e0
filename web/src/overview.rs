//! Overview: where a connected console lands. Callbacks over the last N local days (default
//! 30, in the browser's zone; both in the URL) against the N days before, their daily trend,
//! usage this month with the top agents, and the callback agents. Every number is the API's
//! answer checked by the core's validators, or computed by the core from it
//! (`callback_figures`, `DateRange::previous`, `UsageByAgentResponse::totals`).

use std::cmp::Reverse;

use dialback_core::callback::LookbackDays;
use dialback_core::callback::trend::{Figure, callback_figures};
use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::talkover::{AgentBody, CallbackStatsData, Envelope};
use dialback_core::{
    DateRange, Inconsistency, Zone, validate_callback_stats_for, validate_usage_by_agent,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::query_signal;

use crate::api::{ApiError, Connection};
use crate::charts::{Kind, Point, Series, TimeChart};
use crate::connect::Connect;
use crate::format::duration;
use crate::live::{Live, LivePanel};
use crate::ui::{Warnings, ZoneInput, browser_zone, kept, loaded, now};

/// `/`: the overview once a token is set, Connect before.
#[component]
pub fn Home() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    move || {
        if connection.with(|c| c.token.is_some()) {
            view! { <Overview /> }.into_any()
        } else {
            view! { <Connect /> }.into_any()
        }
    }
}

/// The periods offered, in days.
const PERIODS: [u32; 3] = [7, 30, 90];

/// One period's stats, checked, with whether the server gave the daily breakdown.
#[derive(Clone, PartialEq)]
struct Callbacks {
    /// The period's length in days, as asked for.
    days: u32,
    now: CallbackStatsData,
    before: Option<CallbackStatsData>,
    problems: Vec<Inconsistency>,
}

async fn callbacks(c: Connection, range: DateRange, days: u32) -> Result<Callbacks, ApiError> {
    let path = |r: &DateRange, by_day: bool| {
        format!(
            "/api/v1/callback-agents/stats?start_date={}&end_date={}&tz={}{}",
            r.start(),
            r.end(),
            js_sys::encode_uri_component(r.zone().name()),
            if by_day { "&group_by=day" } else { "" }
        )
    };
    let now: Envelope<CallbackStatsData> = c.talkover(&path(&range, true)).await?;
    let mut problems = validate_callback_stats_for(&now.data, &range);
    // the period before: a comparison, so the page still shows this period without it
    let before = match range.previous() {
        Some(prev) => match c
            .talkover::<Envelope<CallbackStatsData>>(&path(&prev, false))
            .await
        {
            Ok(b) => {
                problems.extend(validate_callback_stats_for(&b.data, &prev));
                Some(b.data)
            }
            Err(_) => None,
        },
        None => None,
    };
    Ok(Callbacks {
        days,
        now: now.data,
        before,
        problems,
    })
}

/// The Overview page.
#[component]
pub fn Overview() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let (days_q, set_days) = query_signal::<u32>("days");
    let (tz_q, set_tz) = query_signal::<String>("tz");
    let days = Memo::new(move |_| days_q.get().filter(|d| PERIODS.contains(d)).unwrap_or(30));
    let tz = Memo::new(move |_| tz_q.get().unwrap_or_else(browser_zone));
    let range = Memo::new(move |_| {
        let zone = Zone::parse(&tz.get()).map_err(|e| e.to_string())?;
        DateRange::last_days(zone, now(), days.get()).map_err(|e| e.to_string())
    });
    // events say the figures moved: each is asked for again (the figures are the API's)
    let live = Live::get();
    let stats = LocalResource::new(move || {
        live.calls.track();
        let (c, range, days) = (connection.get(), range.get(), days.get());
        async move { callbacks(c, range.map_err(ApiError::Input)?, days).await }
    });
    let usage = LocalResource::new(move || {
        live.calls.track();
        let (c, zone) = (connection.get(), Zone::parse(&tz.get()));
        async move {
            let zone = zone.map_err(|e| ApiError::Input(e.to_string()))?;
            let tz = js_sys::encode_uri_component(zone.name());
            let body: UsageByAgentResponse = c
                .agentphone(&format!("/v1/usage/by-agent?period=month&tz={tz}"))
                .await?;
            let problems = validate_usage_by_agent(&body, Some(zone));
            Ok::<_, ApiError>((body, problems))
        }
    });
    let agents = LocalResource::new(move || {
        live.directory.track();
        let c = connection.get();
        async move { c.agents_and_directory().await.map(|(agents, _)| agents) }
    });

    view! {
        <h1>"Overview"</h1>
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <label for="days">"Period"</label>
            <select
                id="days"
                on:change=move |ev| set_days.set(event_target_value(&ev).parse().ok())
            >
                {PERIODS
                    .map(|d| {
                        view! {
                            <option value=d.to_string() selected=move || days.get() == d>
                                {format!("Last {d} days")}
                            </option>
                        }
                    })}
            </select>
            <ZoneInput value=tz on_change=move |v| set_tz.set(Some(v)) />
        </form>
        {move || loaded("agents", agents, |agents| view! { <GettingStarted agents=agents /> })}
        <section aria-labelledby="callbacks-heading" aria-live="polite">
            <h2 id="callbacks-heading">"Callbacks"</h2>
            {kept("callback stats", stats, |c| view! { <CallbackSummary c=c /> })}
        </section>
        <LivePanel names=Signal::derive(move || {
            agents
                .get()
                .and_then(Result::ok)
                .unwrap_or_default()
                .into_iter()
                .map(|a| (a.id, a.name))
                .collect()
        }) />
        <section aria-labelledby="usage-heading" aria-live="polite">
            <h2 id="usage-heading">"Usage this month"</h2>
            {move || loaded(
                "usage",
                usage,
                |(body, problems)| view! { <UsageSummary body=body problems=problems /> },
            )}
        </section>
        <section aria-labelledby="roles-heading">
            <h2 id="roles-heading">"Callback agents"</h2>
            {move || loaded(
                "callback agents",
                agents,
                |agents| view! { <CallbackAgents agents=agents /> },
            )}
        </section>
    }
}

/// What a count is, and how it compares: `75% of received · +3 (+12%) against the previous 30
/// days`.
fn compared(f: &Figure, share: bool, days: u32) -> String {
    let mut parts = Vec::new();
    if let (true, Some(p)) = (share, f.percent_of_received(0)) {
        parts.push(format!("{p} of received"));
    }
    match (f.delta(), f.change_text()) {
        (Some(0), _) => parts.push(format!("same as the previous {days} days")),
        (Some(d), Some(pct)) => {
            parts.push(format!("{d:+} ({pct}) against the previous {days} days"));
        }
        (Some(d), None) => parts.push(format!(
            "{d:+} against the previous {days} days (none then)"
        )),
        (None, _) => parts.push("no previous period to compare with".to_owned()),
    }
    parts.join(" · ")
}

#[component]
fn CallbackSummary(c: Memo<Callbacks>) -> impl IntoView {
    let figures = move || c.with(|c| callback_figures(&c.now, c.before.as_ref()));
    let card = move |key: &'static str,
                     what: &'static str,
                     pick: fn([Figure; 3]) -> Figure,
                     share: bool| {
        view! {
            <div class="card" data-card=key>
                <span class="big">{move || pick(figures()).value}</span>
                <span>{what}</span>
                <span class="compare">
                    {move || compared(&pick(figures()), share, c.with(|c| c.days))}
                </span>
            </div>
        }
    };
    let period = move || c.with(|c| format!("{} to {}", c.now.period.start, c.now.period.end));
    let points = move || {
        c.with(|c| {
            c.now
                .days
                .iter()
                .flatten()
                .map(|d| {
                    let matched = d.matched();
                    Point {
                        label: d.date.clone(),
                        values: vec![
                            matched as f64,
                            d.callbacks_unmatched as f64,
                            d.callbacks_answered as f64,
                        ],
                        text: format!(
                            "{}: {} received ({matched} matched, {} unmatched), {} answered",
                            d.date,
                            d.total_callbacks_received,
                            d.callbacks_unmatched,
                            d.callbacks_answered
                        ),
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let summary = move || {
        c.with(|c| {
            let busiest = c
                .now
                .days
                .iter()
                .flatten()
                .max_by_key(|d| (d.total_callbacks_received, Reverse(d.date.clone())));
            match busiest {
                Some(b) if b.total_callbacks_received > 0 => format!(
                    "Callbacks per day from {}: {} in all; the busiest day was {} with {}.",
                    period(),
                    c.now.total_callbacks_received,
                    b.date,
                    b.total_callbacks_received
                ),
                _ => format!("Callbacks per day from {}: none.", period()),
            }
        })
    };
    // a server that answers totals only has no chart; the chart itself follows the numbers
    let daily = Memo::new(move |_| c.with(|c| c.now.days.is_some()));
    let chart = move || {
        if daily.get() {
            let series = vec![
                Series {
                    name: "Matched".into(),
                    kind: Kind::Stacked,
                },
                Series {
                    name: "Unmatched".into(),
                    kind: Kind::Stacked,
                },
                Series {
                    name: "Answered".into(),
                    kind: Kind::Line,
                },
            ];
            view! {
                <TimeChart
                    title="Callbacks per day".to_owned()
                    summary=Signal::derive(summary)
                    series=series
                    points=Signal::derive(points)
                    axis=|v| format!("{v:.0}")
                    whole=true
                />
            }
            .into_any()
        } else {
            view! {
                <p class="warning" role="note" data-fallback="totals">
                    "This server answers callback stats as totals only (it has no "
                    <code>"group_by=day"</code>
                    "), so there is no daily chart: the numbers above are for the whole period."
                </p>
            }
            .into_any()
        }
    };
    view! {
        <p class="field-note">{move || format!("From {}, both included.", period())}</p>
        {move || view! { <Warnings problems=c.with(|c| c.problems.clone()) /> }}
        <div class="cards">
            {card("received", "callbacks received", |[r, _, _]| r, false)}
            {card("answered", "answered", |[_, a, _]| a, true)}
            {card("unmatched", "unmatched", |[_, _, u]| u, true)}
        </div>
        {chart}
        <p>
            <A href="/stats">"Callback stats by source agent"</A>
        </p>
    }
}

#[component]
fn UsageSummary(body: UsageByAgentResponse, problems: Vec<Inconsistency>) -> impl IntoView {
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
fn CallbackAgents(agents: Vec<AgentBody>) -> impl IntoView {
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
fn GettingStarted(agents: Vec<AgentBody>) -> impl IntoView {
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
