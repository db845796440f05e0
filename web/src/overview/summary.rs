//! The Overview's callbacks section: the period's figures against the period before, and the
//! daily chart, which follows live refreshes in place.

use std::cmp::Reverse;

use dialback_core::callback::trend::{Figure, callback_figures};
use leptos::prelude::*;
use leptos_router::components::A;

use super::Callbacks;
use crate::charts::{Kind, Point, Series, TimeChart};
use crate::ui::Warnings;

/// What a count is, and how it compares: `75% of received · +3 (+12%) against the previous 30
/// days`.
pub(super) fn compared(f: &Figure, share: bool, days: u32) -> String {
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
pub(super) fn CallbackSummary(c: Memo<Callbacks>) -> impl IntoView {
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
