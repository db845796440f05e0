//! Time-series charts, drawn as SVG from numbers the core produced: a date axis, a value axis
//! with ticks, stacked columns and lines with a legend, the values of a day on hover and on
//! keyboard focus (arrow keys move between days), and the table behind the chart for screen
//! readers. Drawn at the width it is given, so text keeps its size from 375 px up.
//!
//! The pure pieces (ticks, which dates get a label, short labels, the layout) are plain
//! functions in [`axis`], tested natively.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A column segment, stacked on the series before it.
    Stacked,
    /// A line through each point, over the columns.
    Line,
}

/// One series: its name (the legend's) and how it is drawn. Its colour is its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend's name.
    pub name: String,
    /// Columns or a line.
    pub kind: Kind,
}

/// One point in time: its label (`YYYY-MM-DD` or `YYYY-MM`), one value per series, and what
/// the point says in words (the tooltip, the live region and the table's row).
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The date or month.
    pub label: String,
    /// One per series.
    pub values: Vec<f64>,
    /// The point in words.
    pub text: String,
}

mod axis;

use axis::{HEIGHT, Layout, label_indices, nice_ticks, peak, short_label};

/// A time series. `summary` is the chart's text alternative; `axis` writes a tick's value.
#[component]
pub fn TimeChart(
    /// The caption.
    title: String,
    /// One sentence that says what the chart shows (its accessible name).
    #[prop(into)]
    summary: Signal<String>,
    /// The series, in legend and stacking order.
    series: Vec<Series>,
    /// The points, oldest first. A signal, so that new numbers (a live refresh) redraw the
    /// chart in place: a reader keeps the focus, the point being read and the open table.
    #[prop(into)]
    points: Signal<Vec<Point>>,
    /// Writes a value of the axis.
    axis: fn(f64) -> String,
    /// Whether the values are counts (whole ticks).
    #[prop(optional)]
    whole: bool,
) -> impl IntoView {
    let frame = NodeRef::<html::Div>::new();
    let width = RwSignal::new(640.0);
    let measure = move || {
        if let Some(el) = frame.get_untracked() {
            let w = f64::from(el.client_width());
            if w > 0.0 {
                width.set(w);
            }
        }
    };
    Effect::new(move |_| {
        if frame.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let active = RwSignal::new(None::<usize>);
    let series = StoredValue::new(series);
    let keys = move |ev: ev::KeyboardEvent| {
        let last = points.with_untracked(Vec::len).saturating_sub(1);
        let next = match (
            ev.key().as_str(),
            active.get_untracked().map(|i| i.min(last)),
        ) {
            ("ArrowLeft", Some(i)) => Some(i.saturating_sub(1)),
            ("ArrowRight", Some(i)) => Some((i + 1).min(last)),
            ("ArrowLeft" | "ArrowRight" | "End", None) | ("End", _) => Some(last),
            ("Home", _) => Some(0),
            ("Escape", _) => None,
            _ => return,
        };
        ev.prevent_default();
        active.set(next);
    };

    let drawing = move || {
        let w = width.get();
        let (pts, ser) = (points.get(), series.get_value());
        let n = pts.len();
        let ticks = nice_ticks(peak(&ser, &pts), whole);
        let top_tick = ticks.last().copied().unwrap_or(1.0);
        let l = Layout::new(w, n);
        let room = (l.width / 64.0).floor() as usize;
        let grid = ticks
            .iter()
            .map(|t| {
                let y = l.y(*t, top_tick);
                view! {
                    <line class="grid" x1=l.left x2=l.left + l.width y1=y y2=y />
                    <text class="tick" x=l.left - 6.0 y=y + 4.0 text-anchor="end">
                        {axis(*t)}
                    </text>
                }
            })
            .collect_view();
        let columns = pts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut base = 0.0;
                ser.iter()
                    .zip(&p.values)
                    .enumerate()
                    .filter(|(_, (s, _))| s.kind == Kind::Stacked)
                    .map(|(k, (_, v))| {
                        let (y0, y1) = (l.y(base, top_tick), l.y(base + v, top_tick));
                        base += v;
                        view! {
                            <rect
                                class=format!("s{}", k + 1)
                                x=l.x(i) - l.column / 2.0
                                y=y1
                                width=l.column
                                height=(y0 - y1).max(0.0)
                            />
                        }
                    })
                    .collect_view()
            })
            .collect_view();
        let lines = ser
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == Kind::Line)
            .map(|(k, _)| {
                let path: Vec<String> = pts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let v = p.values.get(k).copied().unwrap_or(0.0);
                        format!("{:.1},{:.1}", l.x(i), l.y(v, top_tick))
                    })
                    .collect();
                let dots = (n <= 62).then(|| {
                    pts.iter()
                        .enumerate()
                        .map(|(i, p)| {
                            let v = p.values.get(k).copied().unwrap_or(0.0);
                            view! { <circle class=format!("s{} dot", k + 1) cx=l.x(i) cy=l.y(v, top_tick) r="3" /> }
                        })
                        .collect_view()
                });
                view! {
                    <polyline class=format!("s{} line", k + 1) points=path.join(" ") />
                    {dots}
                }
            })
            .collect_view();
        let labels = label_indices(n, room)
            .into_iter()
            .filter_map(|i| pts.get(i).map(|p| (i, short_label(&p.label))))
            .map(|(i, text)| {
                view! {
                    <text class="tick" x=l.x(i) y=HEIGHT - 10.0 text-anchor="middle">
                        {text}
                    </text>
                }
            })
            .collect_view();
        let hits = (0..n)
            .map(|i| {
                view! {
                    <rect
                        class="hit"
                        class:active=move || active.get() == Some(i)
                        x=l.left + l.band * i as f64
                        y=l.top
                        width=l.band
                        height=l.height
                        on:mouseenter=move |_| active.set(Some(i))
                    />
                }
            })
            .collect_view();
        view! {
            <svg width=w height=HEIGHT viewBox=format!("0 0 {w} {HEIGHT}")>
                {grid}
                <line
                    class="axis-line"
                    x1=l.left
                    x2=l.left + l.width
                    y1=l.top + l.height
                    y2=l.top + l.height
                />
                {hits}
                {columns}
                {lines}
                {labels}
            </svg>
        }
    };
    let tip = move || {
        active.get().and_then(|i| {
            let l = Layout::new(width.get(), points.with(Vec::len));
            points
                .with(|p| p.get(i).map(|p| p.text.clone()))
                .map(|text| {
                    // as far across the tip as the point is across the chart: the first day's
                    // starts at the left edge, the last day's ends at the right one, and no tip
                    // reaches past the frame on a narrow screen
                    let across = (l.x(i) / width.get() * 100.0).clamp(0.0, 100.0);
                    view! {
                        <div
                            class="tip"
                            style:left=format!("{across:.1}%")
                            style:transform=format!("translateX(-{across:.1}%)")
                        >
                            {text}
                        </div>
                    }
                })
        })
    };
    let names: Vec<String> = series.with_value(|s| s.iter().map(|s| s.name.clone()).collect());
    let legend = series.with_value(|s| {
        s.iter()
            .enumerate()
            .map(|(k, s)| {
                let class = match s.kind {
                    Kind::Stacked => format!("swatch s{}", k + 1),
                    Kind::Line => format!("swatch line s{}", k + 1),
                };
                view! {
                    <li>
                        <span class=class aria-hidden="true"></span>
                        {s.name.clone()}
                    </li>
                }
            })
            .collect_view()
    });
    let rows = move || {
        points.with(|p| {
            p.iter()
                .map(|p| {
                    view! {
                        <tr>
                            <th scope="row">{p.label.clone()}</th>
                            {p.values.iter().map(|v| view! { <td>{axis(*v)}</td> }).collect_view()}
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <figure class="chart timechart">
            <figcaption>{title}</figcaption>
            <ul class="legend">{legend}</ul>
            <div
                class="frame"
                node_ref=frame
                role="img"
                tabindex="0"
                aria-label=move || format!("{} Arrow keys read each point.", summary.get())
                on:keydown=keys
                on:focus=move |_| {
                    if active.get_untracked().is_none() {
                        active.set(points.with_untracked(Vec::len).checked_sub(1))
                    }
                }
                on:mouseleave=move |_| active.set(None)
            >
                {drawing}
                {tip}
            </div>
            <p class="sr-only" aria-live="polite">
                {move || {
                    active.get().and_then(|i| points.with(|p| p.get(i).map(|p| p.text.clone())))
                }}
            </p>
            <details class="chart-data">
                <summary>"The numbers behind the chart"</summary>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Date"</th>
                            {names
                                .into_iter()
                                .map(|n| view! { <th scope="col">{n}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}
