//! Callback stats over a range of local days: cards, a chart by source agent, the table behind
//! it and a CSV of it. The range is read by the core's `DateRange::parse` (the server's rule)
//! and the answer checked by `validate_callback_stats_for` (sums, and that it covers the days
//! asked for).

use dialback_core::wire::talkover::{CallbackStatsData, Envelope};
use dialback_core::{DateRange, ErrorCode, Inconsistency, Zone, validate_callback_stats_for};
use leptos::prelude::*;
use leptos_router::hooks::query_signal;

use crate::api::{ApiError, Connection};
use crate::format::{Cell, Preset, csv, percent_or_dash};
use crate::ui::{Bar, BarChart, CsvLink, Warnings, ZoneInput, browser_zone, loaded, now};

/// The stats page; range and zone live in the URL (`?range=30d&tz=` or
/// `?range=custom&start=2026-11-01&end=2026-11-15&tz=`).
#[component]
pub fn Stats() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let (range_q, set_range_q) = query_signal::<String>("range");
    let (start_q, set_start_q) = query_signal::<String>("start");
    let (end_q, set_end_q) = query_signal::<String>("end");
    let (tz_q, set_tz_q) = query_signal::<String>("tz");
    let preset = Memo::new(move |_| Preset::from_key(&range_q.get().unwrap_or_default()));
    let tz = Memo::new(move |_| tz_q.get().unwrap_or_else(browser_zone));
    // the days asked for, as text: the preset's in the chosen zone, or the URL's
    let days = Memo::new(move |_| {
        let zone = Zone::parse(&tz.get()).unwrap_or(Zone::UTC);
        match preset.get().range(zone, now()) {
            Some(r) => (r.start().to_string(), r.end().to_string()),
            None => (
                start_q.get().unwrap_or_default(),
                end_q.get().unwrap_or_default(),
            ),
        }
    });
    let range = Memo::new(move |_| {
        let (s, e) = days.get();
        DateRange::parse(Some(&s), Some(&e), Some(&tz.get()), now()).map_err(|errors| {
            errors
                .iter()
                .map(|e| format!("{e} ({})", e.code()))
                .collect::<Vec<_>>()
        })
    });

    // recorded calls move the stats: asked for again (debounced by the live link)
    let calls = crate::live::Live::get().calls;
    let stats = LocalResource::new(move || {
        calls.track();
        let c = connection.get();
        let range = range.get();
        async move {
            let range = range.map_err(|e| ApiError::Input(e.join("; ")))?;
            let path = format!(
                "/api/v1/callback-agents/stats?start_date={}&end_date={}&tz={}",
                range.start(),
                range.end(),
                js_sys::encode_uri_component(range.zone().name())
            );
            let body: Envelope<CallbackStatsData> = c.talkover(&path).await?;
            let problems = validate_callback_stats_for(&body.data, &range);
            Ok::<_, ApiError>((body.data, problems))
        }
    });

    let pick_day = move |set: SignalSetter<Option<String>>, value: String| {
        if preset.get_untracked() != Preset::Custom {
            let (s, e) = days.get_untracked();
            set_start_q.set(Some(s));
            set_end_q.set(Some(e));
            set_range_q.set(Some(Preset::Custom.key().to_owned()));
        }
        set.set(Some(value));
    };

    view! {
        <h1>"Callback stats"</h1>
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <label for="range">"Range"</label>
            <select id="range" on:change=move |ev| set_range_q.set(Some(event_target_value(&ev)))>
                {Preset::ALL
                    .map(|p| {
                        view! {
                            <option value=p.key() selected=move || preset.get() == p>
                                {p.label()}
                            </option>
                        }
                    })}
            </select>
            <label for="start">"From"</label>
            <input
                id="start"
                type="date"
                prop:value=move || days.get().0
                on:change=move |ev| pick_day(set_start_q, event_target_value(&ev))
            />
            <label for="end">"To"</label>
            <input
                id="end"
                type="date"
                prop:value=move || days.get().1
                on:change=move |ev| pick_day(set_end_q, event_target_value(&ev))
            />
            <ZoneInput value=tz on_change=move |v| set_tz_q.set(Some(v)) />
            <div class="field-note error" aria-live="polite">
                {move || {
                    range
                        .get()
                        .err()
                        .map(|e| e.into_iter().map(|m| view! { <p>{m}</p> }).collect_view())
                }}
            </div>
        </form>
        <section aria-live="polite">
            {move || {
                range
                    .get()
                    .is_ok()
                    .then(|| loaded(
                        "callback stats",
                        stats,
                        |(data, problems)| view! { <StatsView data=data problems=problems /> },
                    ))
            }}
        </section>
    }
}

#[component]
fn StatsView(data: CallbackStatsData, problems: Vec<Inconsistency>) -> impl IntoView {
    let received = data.total_callbacks_received;
    let matched = crate::format::total(data.callbacks_by_source_agent.iter().map(|r| r.count));
    let bars: Vec<Bar> = data
        .callbacks_by_source_agent
        .iter()
        .map(|r| Bar {
            label: r.name.clone(),
            value: r.count as f64,
            shown: r.count.to_string(),
        })
        .collect();
    let document = csv(
        &["source_agent_id", "source_agent_name", "callbacks"],
        &data
            .callbacks_by_source_agent
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.source_agent_id.clone()),
                    Cell::Text(r.name.clone()),
                    Cell::Int(r.count),
                ]
            })
            .collect::<Vec<_>>(),
    );
    let filename = format!("callbacks-{}-{}.csv", data.period.start, data.period.end);
    view! {
        <p class="field-note">
            {format!("From {} to {}, both included.", data.period.start, data.period.end)}
        </p>
        <Warnings problems=problems />
        <div class="cards">
            <div class="card" data-card="received">
                <span class="big">{received}</span>
                <span>"callbacks received"</span>
            </div>
            <div class="card" data-card="answered">
                <span class="big">{data.callbacks_answered}</span>
                <span>
                    {format!("answered ({})", percent_or_dash(data.callbacks_answered, received))}
                </span>
            </div>
            <div class="card" data-card="unmatched">
                <span class="big">{data.callbacks_unmatched}</span>
                <span>
                    {format!("unmatched ({})", percent_or_dash(data.callbacks_unmatched, received))}
                </span>
            </div>
        </div>
        {if bars.is_empty() {
            view! { <p class="empty">"No matched callbacks in this range."</p> }.into_any()
        } else {
            view! {
                <BarChart title="Matched callbacks by source agent".to_owned() bars=bars />
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Source agent"</th>
                            <th scope="col">"Callbacks"</th>
                            <th scope="col">"Share"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {data
                            .callbacks_by_source_agent
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <tr>
                                        <th scope="row">{r.name}</th>
                                        <td>{r.count}</td>
                                        <td>{percent_or_dash(r.count, matched)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <CsvLink filename=filename document=document />
            }
                .into_any()
        }}
    }
}
