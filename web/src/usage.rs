//! Usage by agent for this week, month or year in a chosen zone: the period's bounds come
//! from the core (shown in the zone and in UTC), the rows from the AgentPhone API, and the
//! core's validator says whether they add up.

use dialback_core::usage::period::{days_begun, months_begun};
use dialback_core::wire::agentphone::{
    AgentUsageRow, DailyUsageResponse, MonthlyUsageResponse, UsageByAgentResponse,
};
use dialback_core::{Period, Zone, usage_period, validate_usage_by_agent};
use leptos::prelude::*;
use leptos_router::hooks::query_signal;

use crate::api::{ApiError, Connection};
use crate::charts::{Kind, Point, Series, TimeChart};
use crate::format::{Cell, csv, duration, local_time};
use crate::ui::{Bar, BarChart, CsvLink, Warnings, ZoneInput, browser_zone, loaded, now};

/// The Usage page; its period and zone live in the URL (`?period=week&tz=Asia/Kathmandu`).
#[component]
pub fn Usage() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let (period_q, set_period) = query_signal::<String>("period");
    let (tz_q, set_tz) = query_signal::<String>("tz");
    let period = Memo::new(move |_| {
        period_q
            .get()
            .and_then(|p| Period::parse(&p).ok())
            .unwrap_or(Period::Month)
    });
    let tz_text = Memo::new(move |_| tz_q.get().unwrap_or_else(browser_zone));
    let zone = Memo::new(move |_| Zone::parse(&tz_text.get()));
    let sort = RwSignal::new(Sort::Seconds);

    // recorded calls and messages move usage: asked for again (debounced by the live link)
    let calls = crate::live::Live::get().calls;
    let data = LocalResource::new(move || {
        calls.track();
        let c = connection.get();
        let p = period.get();
        let z = zone.get();
        async move {
            let z = z.map_err(|e| ApiError::Input(e.to_string()))?;
            let tz = js_sys::encode_uri_component(z.name());
            let body: UsageByAgentResponse = c
                .agentphone(&format!("/v1/usage/by-agent?period={}&tz={tz}", p.as_str()))
                .await?;
            let problems = validate_usage_by_agent(&body, Some(z));
            Ok::<_, ApiError>((body, problems))
        }
    });
    // a week or a month day by day; a year month by month (a year has more days than
    // AgentPhone's daily usage serves, and 366 bars read as noise)
    let over_time = LocalResource::new(move || {
        calls.track();
        let c = connection.get();
        let p = period.get();
        let z = zone.get();
        async move {
            let z = z.map_err(|e| ApiError::Input(e.to_string()))?;
            let tz = js_sys::encode_uri_component(z.name());
            let points = if p == Period::Year {
                let months = months_begun(z, now());
                let body: MonthlyUsageResponse = c
                    .agentphone(&format!("/v1/usage/monthly?months={months}&tz={tz}"))
                    .await?;
                body.data
                    .iter()
                    .map(|m| point(m.month.clone(), m.total_seconds, m.calls, m.messages))
                    .collect()
            } else {
                let days = days_begun(p, z, now());
                let body: DailyUsageResponse = c
                    .agentphone(&format!("/v1/usage/daily?days={days}&tz={tz}"))
                    .await?;
                body.data
                    .iter()
                    .map(|d| point(d.date.clone(), d.total_seconds, d.calls, d.messages))
                    .collect()
            };
            Ok::<Vec<Point>, ApiError>(points)
        }
    });

    view! {
        <h1>"Usage by agent"</h1>
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <label for="period">"Period"</label>
            <select id="period" on:change=move |ev| set_period.set(Some(event_target_value(&ev)))>
                {[Period::Week, Period::Month, Period::Year]
                    .map(|p| {
                        view! {
                            <option value=p.as_str() selected=move || period.get() == p>
                                {label(p)}
                            </option>
                        }
                    })}
            </select>
            <ZoneInput value=tz_text on_change=move |v| set_tz.set(Some(v)) />
        </form>
        {move || zone.get().ok().map(|z| view! { <Bounds period=period.get() zone=z now=now() /> })}
        <section aria-live="polite">
            {loaded(
                "usage",
                data,
                move |(body, problems)| {
                    let file = format!(
                        "usage-{}-{}.csv",
                        body.period,
                        tz_text.get_untracked().replace('/', "-"),
                    );
                    view! {
                        <Warnings problems=problems />
                        <UsageTable rows=body.data sort=sort file=file />
                    }
                },
            )}
        </section>
        <section aria-live="polite">
            <h2>
                {move || if period.get() == Period::Year { "Month by month" } else { "Day by day" }}
            </h2>
            {loaded(
                "usage over time",
                over_time,
                move |points: Vec<Point>| {
                    let year = period.get_untracked() == Period::Year;
                    let title = if year { "Call time per month" } else { "Call time per day" };
                    let total: f64 = points.iter().filter_map(|p| p.values.first()).sum();
                    let summary = format!(
                        "{title}, {} {}: {} in all.",
                        points.len(),
                        if year { "months" } else { "days" },
                        duration(total as i64),
                    );
                    let series = vec![
                        Series {
                            name: "Call time".to_owned(),
                            kind: Kind::Stacked,
                        },
                    ];
                    view! {
                        <TimeChart
                            title=title.to_owned()
                            summary=summary
                            series=series
                            points=points
                            axis=duration_tick
                        />
                    }
                },
            )}
        </section>
    }
}

/// One point of the chart over time.
fn point(label: String, seconds: Option<u64>, calls: u64, messages: u64) -> Point {
    let seconds = seconds.unwrap_or(0);
    Point {
        text: format!(
            "{label}: {} of calls, {calls} calls, {messages} messages",
            duration(i64::try_from(seconds).unwrap_or(i64::MAX))
        ),
        label,
        values: vec![seconds as f64],
    }
}

/// A call-time axis tick: `45 s`, `20 min`, `3 h`.
fn duration_tick(seconds: f64) -> String {
    let s = seconds.round() as i64;
    match s {
        0 => "0".to_owned(),
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s => format!("{:.1} h", s as f64 / 3600.0),
    }
}

fn label(p: Period) -> &'static str {
    match p {
        Period::Week => "This week",
        Period::Month => "This month",
        Period::Year => "This year",
    }
}

/// The period containing `now`: its first and last instant, in the zone and in UTC, computed
/// by the core with the zone rules in force (again when they change).
#[component]
pub fn Bounds(
    /// Which period.
    period: Period,
    /// In which zone.
    zone: Zone,
    /// The instant it contains.
    now: dialback_core::Timestamp,
) -> impl IntoView {
    move || {
        let _rules = crate::tzdata::Release::get();
        bounds_list(period, zone, now)
    }
}

fn bounds_list(period: Period, zone: Zone, now: dialback_core::Timestamp) -> impl IntoView {
    let b = usage_period(period, zone, now);
    view! {
        <dl class="bounds">
            <dt>{format!("Starts ({})", zone.name())}</dt>
            <dd data-bound="local-start">{local_time(zone, b.period_start)}</dd>
            <dt>{format!("Ends ({})", zone.name())}</dt>
            <dd data-bound="local-end">{local_time(zone, b.period_end)}</dd>
            <dt>"Starts (UTC)"</dt>
            <dd data-bound="utc-start">
                <code>{b.period_start.to_string()}</code>
            </dd>
            <dt>"Ends (UTC)"</dt>
            <dd data-bound="utc-end">
                <code>{b.period_end.to_string()}</code>
            </dd>
        </dl>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Name,
    Messages,
    Calls,
    Seconds,
}

#[component]
fn UsageTable(rows: Vec<AgentUsageRow>, sort: RwSignal<Sort>, file: String) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No activity in this period."</p> }.into_any();
    }
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: r.agent_name.clone(),
            value: r.total_seconds as f64,
            shown: duration(r.total_seconds),
        })
        .collect();
    let document = csv(
        &[
            "agent_id",
            "agent_name",
            "messages",
            "calls",
            "total_seconds",
        ],
        &rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.agent_id.clone().unwrap_or_default()),
                    Cell::Text(r.agent_name.clone()),
                    Cell::Int(r.messages),
                    Cell::Int(r.calls),
                    Cell::Int(r.total_seconds),
                ]
            })
            .collect::<Vec<_>>(),
    );
    let totals = (
        crate::format::total(rows.iter().map(|r| r.messages)),
        crate::format::total(rows.iter().map(|r| r.calls)),
        crate::format::total(rows.iter().map(|r| r.total_seconds)),
    );
    let sorted = move || {
        let mut rows = rows.clone();
        match sort.get() {
            Sort::Name => rows.sort_by(|a, b| a.agent_name.cmp(&b.agent_name)),
            Sort::Messages => rows.sort_by_key(|r| std::cmp::Reverse(r.messages)),
            Sort::Calls => rows.sort_by_key(|r| std::cmp::Reverse(r.calls)),
            Sort::Seconds => rows.sort_by_key(|r| std::cmp::Reverse(r.total_seconds)),
        }
        rows
    };
    let header = move |s: Sort, text: &'static str| {
        view! {
            <th scope="col" aria-sort=move || if sort.get() == s { "descending" } else { "none" }>
                <button type="button" on:click=move |_| sort.set(s)>
                    {text}
                </button>
            </th>
        }
    };
    view! {
        <BarChart title="Call time per agent".to_owned() bars=bars />
        <table class="usage">
            <thead>
                <tr>
                    {header(Sort::Name, "Agent")} {header(Sort::Messages, "Messages")}
                    {header(Sort::Calls, "Completed calls")} {header(Sort::Seconds, "Call time")}
                </tr>
            </thead>
            <tbody>
                {move || {
                    sorted()
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr class:orphan=r.is_orphan>
                                    <th scope="row">
                                        {r.agent_name}{r.is_orphan.then_some(" (no agent)")}
                                    </th>
                                    <td>{r.messages}</td>
                                    <td>{r.calls}</td>
                                    <td>{duration(r.total_seconds)}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row">"Total"</th>
                    <td>{totals.0}</td>
                    <td>{totals.1}</td>
                    <td>{duration(totals.2)}</td>
                </tr>
            </tfoot>
        </table>
        <CsvLink filename=file document=document />
    }
    .into_any()
}
