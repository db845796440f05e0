//! Small components every page uses: loading / error / empty states, the "does not add up"
//! warning, the note under a field, the zone picker, bar charts and the CSV link.
//!
//! Everything from an API or a user is put into the page as text nodes or attribute values,
//! never as HTML.

use dialback_core::wire::FieldError;
use dialback_core::{Inconsistency, Timestamp, Zone};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::format::{csv_data_url, messages_for};

/// What a page shows for a request: a loading line, an error with a retry button, or `ok`.
pub fn loaded<T: Clone + Send + Sync + 'static, V: IntoView + 'static>(
    what: &'static str,
    data: LocalResource<Result<T, ApiError>>,
    ok: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || match data.get() {
        None => not_yet(what, data, None),
        Some(Err(e)) => not_yet(what, data, Some(e)),
        Some(Ok(value)) => ok(value).into_any(),
    }
}

/// [`loaded`] for data asked for again while it is shown (the Overview's, on live events):
/// `ok` is built once, when the first answer arrives, and follows later answers through its
/// memo. A refresh then changes numbers in place instead of rebuilding the section under the
/// reader, who keeps the focus, the chart's point being read and an open table. A failure
/// still replaces it (with a retry), and a later answer builds it again.
pub fn kept<T: Clone + PartialEq + Send + Sync + 'static, V: IntoView + 'static>(
    what: &'static str,
    data: LocalResource<Result<T, ApiError>>,
    ok: impl Fn(Memo<T>) -> V + Send + Sync + 'static,
) -> impl IntoView {
    // what is shown: loading (None), an answer (Some(None)) or a failure; not the answer itself
    let state = Memo::new(move |_| data.get().map(Result::err));
    move || match state.get() {
        None => not_yet(what, data, None),
        Some(Some(e)) => not_yet(what, data, Some(e)),
        Some(None) => match data.get_untracked() {
            Some(Ok(first)) => {
                let value = Memo::new(move |before: Option<&T>| match data.get() {
                    Some(Ok(now)) => now,
                    // leaving for a failure: this view is about to go, keep what it shows
                    _ => before.cloned().unwrap_or_else(|| first.clone()),
                });
                ok(value).into_any()
            }
            _ => ().into_any(),
        },
    }
}

/// Loading (no error yet) or failed: the line or the error box [`loaded`] and [`kept`] show.
fn not_yet<T: 'static>(
    what: &'static str,
    data: LocalResource<Result<T, ApiError>>,
    error: Option<ApiError>,
) -> AnyView {
    match error {
        None => view! {
            <p class="loading" role="status">
                {format!("Loading {what}…")}
            </p>
        }
        .into_any(),
        // the input is wrong, not the server: the field says so, and retrying would not help
        Some(ApiError::Input(why)) => view! {
            <p class="hint" role="status">
                {format!("Nothing was asked yet: {why}")}
            </p>
        }
        .into_any(),
        Some(e) => view! { <Failed error=e retry=move || data.refetch() /> }.into_any(),
    }
}

/// A wide table in a box that scrolls sideways on a narrow screen: a focusable region named
/// for what it holds, so that a keyboard can scroll it too.
#[component]
pub fn TableScroll(
    /// What the region holds, for assistive technology (`"Sources, scrollable"`).
    label: &'static str,
    /// The table.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=label>
            {children()}
        </div>
    }
}

/// An error in plain words, with a button to try again.
#[component]
pub fn Failed(
    /// What went wrong.
    error: ApiError,
    /// Runs the request again.
    retry: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="error-box" role="alert">
            <p>{error.to_string()}</p>
            <button type="button" on:click=move |_| retry()>
                "Retry"
            </button>
        </div>
    }
}

/// What a page outside the first download shows when its module could not be fetched: the
/// network failed, or the server was upgraded since this tab loaded (a page's module only fits
/// the main module it was built with). Reloading fetches a matching set.
#[component]
pub fn PageUnavailable() -> impl IntoView {
    let reload = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <div class="error-box" role="alert">
            <p>
                "This page's code could not be downloaded from the server. Check the \
                 connection, then reload; nothing saved on the server is lost."
            </p>
            <button type="button" on:click=reload>
                "Reload"
            </button>
        </div>
    }
}

/// The core's verdict on a response that does not add up, in a visible box.
#[component]
pub fn Warnings(
    /// The core validator's findings (nothing is shown when there are none).
    problems: Vec<Inconsistency>,
) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        view! {
            <div class="warning" role="alert">
                <p>
                    <strong>"This response does not add up:"</strong>
                </p>
                <ul>
                    {problems
                        .into_iter()
                        .map(|p| {
                            view! {
                                <li>
                                    <code>{p.code}</code>
                                    " "
                                    {p.message}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// The problems about one field, under its input (`id` is what the input's
/// `aria-describedby` points at).
#[component]
pub fn FieldNote(
    /// The element id.
    id: &'static str,
    /// The request field whose problems to show.
    field: &'static str,
    /// Every problem of the form.
    #[prop(into)]
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    view! {
        <div id=id class="field-errors" aria-live="polite">
            {move || {
                messages_for(&errors.get(), field)
                    .into_iter()
                    .map(|m| view! { <p class="error">{m}</p> })
                    .collect_view()
            }}
        </div>
    }
}

/// A text input with every zone the core knows as suggestions; the core says if the text is
/// not one of them.
#[component]
pub fn ZoneInput(
    /// The zone name shown.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new text when the user commits it.
    on_change: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    let problem = move || Zone::parse(&value.get()).err().map(|e| e.to_string());
    view! {
        <label for="tz">"Time zone"</label>
        <input
            id="tz"
            list="zones"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="tz-note"
            prop:value=move || value.get()
            on:change=move |ev| on_change(event_target_value(&ev))
        />
        <datalist id="zones">
            {Zone::all_names().map(|z| view! { <option value=z /> }).collect_view()}
        </datalist>
        <p id="tz-note" class="field-note error" aria-live="polite">
            {problem}
        </p>
        <p class="hint" data-tzdata="">
            {move || format!("Time zone rules: IANA tzdata {}", crate::tzdata::Release::get())}
        </p>
    }
}

/// One bar of a chart: its label, its value, and the value as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What it is (an agent, a day).
    pub label: String,
    /// How much (drawn).
    pub value: f64,
    /// How much (written).
    pub shown: String,
}

/// Horizontal bars, one per row, drawn with CSS so the text keeps the page's size at any
/// width. Screen readers get a plain list of labels and values; the bars are decoration.
#[component]
pub fn BarChart(
    /// The caption.
    title: String,
    /// One per row.
    bars: Vec<Bar>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    view! {
        <figure class="chart bars">
            <figcaption>{title}</figcaption>
            <ul>
                {bars
                    .into_iter()
                    .map(|b| {
                        let share = if max > 0.0 { 100.0 * b.value / max } else { 0.0 };
                        view! {
                            <li>
                                <span class="label">{b.label}</span>
                                <span class="track" aria-hidden="true">
                                    <span class="fill" style:width=format!("{share:.1}%")></span>
                                </span>
                                <span class="value">{b.shown}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </figure>
    }
}

/// A link that downloads `document` as `filename`.
#[component]
pub fn CsvLink(
    /// The name the download gets.
    filename: String,
    /// The CSV text.
    document: String,
) -> impl IntoView {
    view! {
        <a class="button" href=csv_data_url(&document) download=filename>
            "Export CSV"
        </a>
    }
}

/// Field errors to show: the core's while the input is wrong, else the server's last answer.
pub fn shown_errors(local: Vec<FieldError>, server: Vec<FieldError>) -> Vec<FieldError> {
    if local.is_empty() { server } else { local }
}

/// What a failed write means for a form: field problems go next to fields, anything else is
/// one message.
pub fn split_failure(e: ApiError) -> (Vec<FieldError>, Option<String>) {
    match e {
        ApiError::Rejected(_, errors) if errors.iter().any(|e| !e.field.is_empty()) => {
            (errors, None)
        }
        other => (Vec::new(), Some(other.to_string())),
    }
}

/// The outcome line of a form: what is happening while a write is pending, then its result.
#[component]
pub fn Status(
    /// The last result.
    #[prop(into)]
    status: Signal<Option<Result<String, String>>>,
    /// Whether a write is in flight, and what it is doing.
    #[prop(into, optional)]
    pending: Option<Signal<Option<&'static str>>>,
) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite">
            {move || match pending.and_then(|p| p.get()) {
                Some(doing) => view! { <p class="loading">{doing}</p> }.into_any(),
                None => {
                    status
                        .get()
                        .map(|s| match s {
                            Ok(text) => view! { <p class="ok">{text}</p> }.into_any(),
                            Err(text) => view! { <p class="error">{text}</p> }.into_any(),
                        })
                        .into_any()
                }
            }}
        </div>
    }
}

/// The agents a server listed that the console cannot check rules against (an id that is
/// not a UUID, a number that is not E.164...): they are still shown; this says which and why.
#[component]
pub fn Unchecked(
    /// The problems, from `directory_from_bodies`.
    problems: Vec<FieldError>,
) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        view! {
            <div class="warning" role="note">
                <p>
                    <strong>"Some agents cannot be checked here"</strong>
                    " (they are listed, but the console cannot run the routing rules on them):"
                </p>
                <ul>
                    {problems
                        .into_iter()
                        .map(|p| {
                            view! {
                                <li>
                                    <code>{p.field}</code>
                                    ": "
                                    {p.message}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// The zone the browser runs in, from `Intl`; UTC if it cannot say.
pub fn browser_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "UTC".to_owned())
}

/// The browser's clock.
pub fn now() -> Timestamp {
    Timestamp::from_unix_millis_f64(js_sys::Date::now()).unwrap_or(Timestamp::EPOCH)
}
