//! Usage by agent for this week, month or year in a chosen zone: the period's bounds come
//! from the core (shown in the zone and in UTC), the rows from the AgentPhone API, and the
//! core's validator says whether they add up.

use chrono::Timelike;
use dialback_core::wire::agentphone::{AgentUsageRow, UsageByAgentResponse};
use dialback_core::{
    Inconsistency, Period, Timestamp, Zone, usage_period, validate_usage_by_agent,
};
use leptos::prelude::*;
use leptos_router::hooks::query_signal;

use crate::api::{ApiError, Connection};

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

    let data = LocalResource::new(move || {
        let c = connection.get();
        let p = period.get();
        let z = zone.get();
        async move {
            let z = z.map_err(|e| ApiError::BadResponse(e.to_string()))?;
            let tz = js_sys::encode_uri_component(z.name());
            let body: UsageByAgentResponse = c
                .agentphone(&format!("/v1/usage/by-agent?period={}&tz={tz}", p.as_str()))
                .await?;
            let problems = validate_usage_by_agent(&body, Some(z));
            Ok::<_, ApiError>((body, problems))
        }
    });

    let zones: Vec<&'static str> = Zone::all_names().collect();
    view! {
        <h1>"Usage by agent"</h1>
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <label for="period">"Period"</label>
            <select id="period" on:change=move |ev| set_period.set(Some(event_target_value(&ev)))>
                {[Period::Week, Period::Month, Period::Year].map(|p| view! {
                    <option value=p.as_str() selected=move || period.get() == p>{label(p)}</option>
                })}
            </select>
            <label for="tz">"Time zone"</label>
            <input id="tz" list="zones" autocomplete="off" spellcheck="false"
                prop:value=move || tz_text.get()
                on:change=move |ev| set_tz.set(Some(event_target_value(&ev)))/>
            <datalist id="zones">
                {zones.into_iter().map(|z| view! { <option value=z/> }).collect_view()}
            </datalist>
            <p class="field-note" role="status">
                {move || zone.get().err().map(|e| e.to_string())}
            </p>
        </form>
        {move || zone.get().ok().map(|z| view! { <Bounds period=period.get() zone=z/> })}
        <section aria-live="polite">
            {move || match data.get() {
                None => view! { <p class="loading">"Loading usage…"</p> }.into_any(),
                Some(Err(e)) => view! {
                    <div class="error" role="alert">
                        <p>{e.to_string()}</p>
                        <button on:click=move |_| data.refetch()>"Retry"</button>
                    </div>
                }.into_any(),
                Some(Ok((body, problems))) => view! {
                    <Warnings problems=problems/>
                    <UsageTable rows=body.data sort=sort/>
                }.into_any(),
            }}
        </section>
    }
}

fn label(p: Period) -> &'static str {
    match p {
        Period::Week => "This week",
        Period::Month => "This month",
        Period::Year => "This year",
    }
}

/// The zone the browser runs in, from `Intl`; UTC if it cannot say.
fn browser_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "UTC".to_owned())
}

fn now() -> Timestamp {
    Timestamp::from_unix_millis_f64(js_sys::Date::now()).unwrap_or(Timestamp::EPOCH)
}

/// The period's first and last instant, in the zone and in UTC, computed by the core.
#[component]
fn Bounds(period: Period, zone: Zone) -> impl IntoView {
    let b = usage_period(period, zone, now());
    let local = |t: Timestamp| {
        let l = zone.local(t);
        format!(
            "{} {:02}:{:02}:{:02}",
            l.date(),
            l.hour(),
            l.minute(),
            l.second()
        )
    };
    view! {
        <dl class="bounds">
            <dt>{format!("Starts ({})", zone.name())}</dt><dd>{local(b.period_start)}</dd>
            <dt>{format!("Ends ({})", zone.name())}</dt><dd>{local(b.period_end)}</dd>
            <dt>"Starts (UTC)"</dt><dd><code>{b.period_start.to_string()}</code></dd>
            <dt>"Ends (UTC)"</dt><dd><code>{b.period_end.to_string()}</code></dd>
        </dl>
    }
}

#[component]
fn Warnings(problems: Vec<Inconsistency>) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        view! {
            <div class="warning" role="alert">
                <p>"This response does not add up:"</p>
                <ul>
                    {problems.into_iter().map(|p| view! {
                        <li><code>{p.code}</code>" "{p.message}</li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Name,
    Messages,
    Calls,
    Seconds,
}

#[component]
fn UsageTable(rows: Vec<AgentUsageRow>, sort: RwSignal<Sort>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No activity in this period."</p> }.into_any();
    }
    let totals = rows.iter().fold((0, 0, 0), |(m, c, s), r| {
        (m + r.messages, c + r.calls, s + r.total_seconds)
    });
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
                <button type="button" on:click=move |_| sort.set(s)>{text}</button>
            </th>
        }
    };
    view! {
        <table>
            <thead><tr>
                {header(Sort::Name, "Agent")}
                {header(Sort::Messages, "Messages")}
                {header(Sort::Calls, "Completed calls")}
                {header(Sort::Seconds, "Call time")}
            </tr></thead>
            <tbody>
                {move || sorted().into_iter().map(|r| view! {
                    <tr class:orphan=r.is_orphan>
                        <th scope="row">{r.agent_name}{r.is_orphan.then_some(" (no agent)")}</th>
                        <td>{r.messages}</td>
                        <td>{r.calls}</td>
                        <td>{duration(r.total_seconds)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot><tr>
                <th scope="row">"Total"</th>
                <td>{totals.0}</td><td>{totals.1}</td><td>{duration(totals.2)}</td>
            </tr></tfoot>
        </table>
    }
    .into_any()
}

/// `1 h 02 min 05 s`, for call time.
pub fn duration(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h} h {m:02} min {s:02} s")
    } else if m > 0 {
        format!("{m} min {s:02} s")
    } else {
        format!("{s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn call_time_reads_naturally() {
        for (secs, text) in [
            (0, "0 s"),
            (59, "59 s"),
            (60, "1 min 00 s"),
            (3_599, "59 min 59 s"),
            (3_600, "1 h 00 min 00 s"),
            (152_856, "42 h 27 min 36 s"),
        ] {
            assert_eq!(duration(secs), text);
        }
    }
}
