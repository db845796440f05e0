//! The console's validation and formatting pieces in a real browser (headless Chromium under
//! `wasm-bindgen-test-runner`; `cargo xtask ci` runs them): what the forms send and what the
//! core says about it, how refusals from either API land on fields, and components mounted
//! into the page, where API text must stay text.

#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use dialback_core::usage::period::days_begun;
use dialback_core::wire::FieldError;
use dialback_core::wire::agents::directory_from_bodies;
use dialback_core::wire::talkover::{AgentBody, CallbackStatsData, Envelope};
use dialback_core::{
    AgentQuery, CallStatus, Direction, Period, Timestamp, Zone, validate_callback_stats,
};
use dialback_web::ui::{Bar, BarChart, FieldNote, Warnings};
use dialback_web::*;
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const HANDLER: &str = "00000000-0000-0000-0000-000000000001";
const SALES: &str = "00000000-0000-0000-0000-000000000002";
const SUPPORT: &str = "00000000-0000-0000-0000-000000000004";

fn agents() -> Vec<AgentBody> {
    let agent = |id: &str, name: &str, direction: Direction| -> AgentBody {
        serde_json::from_value(json!({"id": id, "name": name, "direction": direction.as_str()}))
            .unwrap()
    };
    vec![
        agent(HANDLER, "Callback Handler", Direction::Inbound),
        agent(SALES, "Sales <Outbound>", Direction::Outbound),
        agent(SUPPORT, "Support Line", Direction::Inbound),
    ]
}

fn codes(errors: &[FieldError]) -> Vec<(&str, &str)> {
    errors
        .iter()
        .map(|e| (e.code.as_str(), e.field.as_str()))
        .collect()
}

#[wasm_bindgen_test]
fn callback_form_gets_the_servers_codes_on_the_right_fields() {
    let read = directory_from_bodies(&agents());
    assert!(read.problems.is_empty());
    let directory = read.directory;
    let sales = vec![SALES.to_owned()];
    assert!(check_callback(HANDLER, &callback_body(&sales, "", &[]), &directory).is_empty());
    assert!(check_callback(HANDLER, &callback_body(&sales, " 14 ", &[]), &directory).is_empty());
    let body = callback_body(&sales, "", &[CallStatus::NoAnswer, CallStatus::Busy]);
    assert_eq!(
        body["callback_trigger_statuses"],
        json!(["no_answer", "busy"])
    );
    assert!(check_callback(HANDLER, &body, &directory).is_empty());
    assert_eq!(
        codes(&check_callback(
            SALES,
            &callback_body(&sales, "", &[]),
            &directory
        )),
        [("INVALID_AGENT_DIRECTION", "agent_id")]
    );
    assert_eq!(
        codes(&check_callback(
            HANDLER,
            &callback_body(&[SUPPORT.to_owned()], "abc", &[]),
            &directory
        )),
        [
            ("INVALID_SOURCE_AGENT_DIRECTION", "source_agent_ids"),
            ("INVALID_LOOKBACK_DAYS", "lookback_days")
        ]
    );
    assert_eq!(
        codes(&check_callback(
            HANDLER,
            &callback_body(&[], "0", &[]),
            &directory
        )),
        [
            ("SOURCE_AGENT_IDS_REQUIRED", "source_agent_ids"),
            ("INVALID_LOOKBACK_DAYS", "lookback_days")
        ]
    );
}

#[wasm_bindgen_test]
fn refusals_from_either_api_land_on_fields() {
    // our server: every problem with its field
    let ours = json!({"success": false, "message": "m", "code": "NUMBER_ALREADY_ASSIGNED",
        "errors": {"phone_numbers.0": ["m"]},
        "details": [{"code": "NUMBER_ALREADY_ASSIGNED", "message": "m", "field": "phone_numbers",
            "index": 0}]});
    let (fields, message) = split_failure(refusal(409, &ours).unwrap());
    assert_eq!(
        codes(&fields),
        [("NUMBER_ALREADY_ASSIGNED", "phone_numbers")]
    );
    assert_eq!(message, None);
    // the seed's shape: only a code, which still names its field
    let seed: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/fixtures/seeds/talkover_set_callback_422.json"
    ))
    .unwrap();
    let (fields, _) = split_failure(refusal(422, &seed).unwrap());
    assert_eq!(codes(&fields), [("INVALID_AGENT_DIRECTION", "agent_id")]);
    // Laravel's validation body, as Talkover's webhook page shows it
    let laravel = json!({"message": "The given data was invalid.",
        "errors": {"webhook_url": ["The webhook url field is required."], "events.0": ["bad"]}});
    let (fields, _) = split_failure(refusal(422, &laravel).unwrap());
    assert_eq!(
        codes(&fields),
        [
            ("VALIDATION_ERROR", "events"),
            ("VALIDATION_ERROR", "webhook_url")
        ]
    );
    assert_eq!(fields[0].index, Some(0));
    // AgentPhone's 422
    let detail =
        json!({"detail": [{"loc": ["query", "tz"], "msg": "unknown zone", "type": "value_error"}]});
    let (fields, _) = split_failure(refusal(422, &detail).unwrap());
    assert_eq!(codes(&fields), [("value_error", "tz")]);
    // not a refusal: a plain message for the whole form
    assert!(refusal(500, &ours).is_none());
    let (fields, message) = split_failure(ApiError::Unauthorized);
    assert!(fields.is_empty());
    assert!(message.unwrap().contains("401"));
}

#[wasm_bindgen_test]
fn simulation_times_are_the_browsers_wall_clock_sent_as_utc() {
    let body = simulation_body(" +14155550123 ", "+14155550100", "2026-03-08T02:30:00").unwrap();
    let expected = js_sys::Date::new(&"2026-03-08T02:30:00".into()).get_time();
    let sent = Timestamp::parse(body["at"].as_str().unwrap()).unwrap();
    assert_eq!(Some(sent), Timestamp::from_unix_millis_f64(expected));
    assert_eq!(body["from"], "+14155550123");
    // a withheld caller sends no `from`; no time means "now" on the server
    let body = simulation_body("", "+14155550100", "").unwrap();
    assert_eq!(body, json!({"to": "+14155550100"}));
    assert_eq!(
        simulation_body("", "+1", "not a time").unwrap_err().code,
        "INVALID_TIMESTAMP"
    );
}

#[wasm_bindgen_test]
fn the_daily_chart_asks_for_the_days_of_the_period_so_far() {
    let zone = Zone::parse("Asia/Kathmandu").unwrap();
    let now = Timestamp::parse("2026-11-22T18:15:00Z").unwrap(); // Monday 00:00 there
    assert_eq!(days_begun(Period::Week, zone, now), 1);
    assert_eq!(days_begun(Period::Month, zone, now), 23);
    let leap_eve = Timestamp::parse("2024-12-31T12:00:00Z").unwrap();
    assert_eq!(days_begun(Period::Year, Zone::UTC, leap_eve), 366);
}

#[wasm_bindgen_test]
fn agent_search_is_the_cores_rule() {
    let mut list = agents();
    list[2].phone_numbers =
        serde_json::from_value(json!([{"id": "n", "number": "+14155550100"}])).unwrap();
    list[1].phone_numbers =
        serde_json::from_value(json!([{"id": "m", "number": "+14155550122"}])).unwrap();
    let names = |q: &str, d: Option<Direction>| {
        filter_agents(&list, &AgentQuery::new(q, d, None))
            .into_iter()
            .map(|a| a.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names("SUPP", None), ["Support Line"]);
    assert_eq!(names("+1 415 555 0100", None), ["Support Line"]);
    assert_eq!(names("Sales 2", None), Vec::<String>::new());
    assert_eq!(names("", Some(Direction::Outbound)), ["Sales <Outbound>"]);
}

/// Mounts a view into a fresh element and returns it.
fn mount(view: impl FnOnce() -> AnyView + 'static) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), view).forget();
    host
}

/// Lets the reactive system run its effects (they are scheduled, not synchronous).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn field_notes_follow_the_errors_and_keep_api_text_as_text() {
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let host = mount(move || view! { <FieldNote id="n" field="name" errors=errors/> }.into_any());
    settle().await;
    assert_eq!(host.text_content().unwrap(), "");
    errors.set(vec![
        FieldError::new("INVALID_NAME", "<img src=x onerror=alert(1)>", "name", None),
        FieldError::new("INVALID_DIRECTION", "elsewhere", "direction", None),
    ]);
    settle().await;
    assert_eq!(
        host.text_content().unwrap(),
        "<img src=x onerror=alert(1)> (INVALID_NAME)"
    );
    assert!(host.query_selector("img").unwrap().is_none());
    errors.set(Vec::new());
    settle().await;
    assert_eq!(host.text_content().unwrap(), "");
}

#[wasm_bindgen_test]
async fn the_seeds_stats_example_shows_what_does_not_add_up() {
    let seed: Envelope<CallbackStatsData> = serde_json::from_str(include_str!(
        "../../tests/fixtures/seeds/talkover_callback_stats_response.json"
    ))
    .unwrap();
    let problems = validate_callback_stats(&seed.data);
    assert!(!problems.is_empty());
    let expected: Vec<String> = problems.iter().map(|p| p.code.clone()).collect();
    let host = mount(move || view! { <Warnings problems=problems/> }.into_any());
    settle().await;
    let text = host.text_content().unwrap();
    assert!(text.contains("does not add up"), "{text}");
    for code in expected {
        assert!(text.contains(&code), "{code} missing from {text}");
    }
    assert!(host.query_selector("[role=alert]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn bar_charts_draw_one_labelled_bar_per_row_scaled_to_the_largest() {
    let bars = vec![
        Bar {
            label: "Sales <b>East</b>".into(),
            value: 110.0,
            shown: "110".into(),
        },
        Bar {
            label: "Survey".into(),
            value: 0.0,
            shown: "0".into(),
        },
    ];
    let host =
        mount(move || view! { <BarChart title="By source".to_owned() bars=bars/> }.into_any());
    settle().await;
    let caption = host.query_selector("figcaption").unwrap().unwrap();
    assert_eq!(caption.text_content().unwrap(), "By source");
    let fills = host.query_selector_all(".fill").unwrap();
    let widths: Vec<String> = (0..fills.length())
        .map(|i| {
            let fill: web_sys::Element = fills.item(i).unwrap().unchecked_into();
            fill.get_attribute("style").unwrap()
        })
        .collect();
    // set through the CSSOM (allowed by the console's CSP), as the browser normalises it
    assert_eq!(widths, ["width: 100%;", "width: 0%;"]);
    assert!(host.query_selector("b").unwrap().is_none());
    assert!(
        host.text_content()
            .unwrap()
            .contains("Sales <b>East</b>110")
    );
}

#[wasm_bindgen_test]
fn a_panic_leaves_a_readable_message_on_the_page() {
    dialback_web::panic::show("index out of bounds: the len is 0 but the index is 3");
    let document = web_sys::window().unwrap().document().unwrap();
    let alert = document.get_element_by_id("console-stopped").unwrap();
    assert_eq!(alert.get_attribute("role").as_deref(), Some("alert"));
    let text = alert.text_content().unwrap();
    assert!(text.starts_with("The console stopped"), "{text}");
    assert!(text.contains("Reload the page"), "{text}");
    assert!(text.ends_with("the index is 3"), "{text}");
    alert.remove();
}

/// The zones whose rules changed between tzdata 2025b and 2026f: the Usage page's bounds for
/// every week, month and year from 2026-09 through 2028, at each period's first second, middle
/// and last second, against Python's zoneinfo with tzdata 2026f (the server and the npm
/// package check the same file).
#[wasm_bindgen_test]
fn usage_bounds_follow_tzdata_2026f_where_rules_changed() {
    use dialback_web::usage::Bounds;
    let csv = include_str!("../../tests/fixtures/tz_changed_periods.csv");
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains(&format!("tzdata {} ", Zone::database_version()))
    );
    let mut checked = 0;
    for line in csv.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let zone = Zone::parse(f[0]).unwrap();
        let period = Period::parse(f[1]).unwrap();
        let (start, end) = (
            Timestamp::parse(f[2]).unwrap(),
            Timestamp::parse(f[3]).unwrap(),
        );
        let middle =
            Timestamp::from_unix_seconds((start.unix_seconds() + end.unix_seconds()) / 2).unwrap();
        for now in [start, middle, end] {
            let host = mount(move || view! { <Bounds period zone now/> }.into_any());
            let shown = |which: &str| {
                host.query_selector(&format!("[data-bound={which}]"))
                    .unwrap()
                    .unwrap()
                    .text_content()
                    .unwrap()
            };
            assert_eq!(
                (shown("utc-start"), shown("utc-end")),
                (f[2].to_owned(), f[3].to_owned()),
                "{} {} at {now}",
                f[0],
                f[1]
            );
            host.remove();
            checked += 1;
        }
    }
    assert!(checked > 6000, "{checked}");
}
