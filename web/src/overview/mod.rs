//! Overview: where a connected console lands. Callbacks over the last N local days (default
//! 30, in the browser's zone; both in the URL) against the N days before, their daily trend,
//! usage this month with the top agents, and the callback agents. Every number is the API's
//! answer checked by the core's validators, or computed by the core from it
//! (`callback_figures`, `DateRange::previous`, `UsageByAgentResponse::totals`).

use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::talkover::{CallbackStatsData, Envelope};
use dialback_core::{
    DateRange, Inconsistency, Zone, validate_callback_stats_for, validate_usage_by_agent,
};
use leptos::prelude::*;
use leptos_router::hooks::query_signal;

use crate::api::{ApiError, Connection};
use crate::connect::Connect;
use crate::live::{Live, LivePanel};
use crate::ui::{ZoneInput, browser_zone, kept, loaded, now};

mod sections;
mod summary;

use sections::{CallbackAgents, GettingStarted, UsageSummary};
use summary::CallbackSummary;

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
