//! The bindings in a real JavaScript engine: Node by default, Chromium or Firefox with
//! `WASM_BINDGEN_USE_BROWSER=1` (`cargo xtask ci` runs all three). Every bad input must come
//! back as a thrown `Error` with a `code`, and the module must keep working afterwards: a
//! panic would trap and poison the instance for every later call.

#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use js_sys::{Array, JSON, Reflect, Uint8Array};
use tsify::Ts;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

use dialback_wasm::*;

fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn text(v: &JsValue, key: &str) -> String {
    get(v, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} of {v:?}"))
}

fn code(e: JsValue) -> String {
    assert!(e.is_instance_of::<js_sys::Error>(), "{e:?}");
    text(&e, "code")
}

fn period(p: &str, tz: &str, now: &str) -> Result<JsValue, JsValue> {
    usage_period(&p.into(), &tz.into(), &now.into()).map(|b| b.js_value())
}

fn still_works() {
    let june = period("month", "America/New_York", "2024-06-15T12:00:00Z").unwrap();
    assert_eq!(text(&june, "periodStart"), "2024-06-01T04:00:00Z");
    assert_eq!(text(&june, "periodEnd"), "2024-07-01T03:59:59Z");
    assert_eq!(text(&june, "period"), "month");
}

#[wasm_bindgen_test]
fn usage_period_follows_the_dst_rule() {
    still_works();
    let week = period("week", "Pacific/Apia", "2011-12-31T12:00:00Z").unwrap();
    // Apia skipped 2011-12-30 (UTC-10 to UTC+14): its last week of 2011 still started on
    // Monday the 26th at local midnight, 10:00Z, and ended (one day short) at local
    // midnight of 2 January, 10:00Z on the 1st
    assert_eq!(text(&week, "periodStart"), "2011-12-26T10:00:00Z");
    assert_eq!(text(&week, "periodEnd"), "2012-01-01T09:59:59Z");
    assert!(zone_names().length() > 590);
    assert!(tzdata_version().starts_with("20"));
}

/// The zones whose rules changed between tzdata 2025b and 2026f, every period from 2026-09
/// through 2028, against Python's zoneinfo with tzdata 2026f (the core checks the same file).
#[wasm_bindgen_test]
fn the_zones_that_changed_in_2026_follow_2026f() {
    let csv = include_str!("../../tests/fixtures/tz_changed_periods.csv");
    let mut rows = 0;
    for line in csv.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (zone, p, start, end) = (f[0], f[1], f[2], f[3]);
        let secs = |t: &str| js_sys::Date::parse(t) / 1000.0;
        let middle = js_sys::Date::new(&JsValue::from(
            (secs(start) + secs(end)).div_euclid(2.0) * 1000.0,
        ))
        .to_iso_string()
        .as_string()
        .unwrap()
        .replace(".000Z", "Z");
        for at in [start, middle.as_str(), end] {
            let b = period(p, zone, at).unwrap();
            assert_eq!(
                (text(&b, "periodStart"), text(&b, "periodEnd")),
                (start.to_owned(), end.to_owned()),
                "{zone} {p} at {at}"
            );
        }
        rows += 1;
    }
    assert!(rows > 2000, "{rows}");
}

/// A table loaded at run time answers at once; a bad or older one is refused with a code and
/// the table in force stays. Restores the compiled-in table before it ends: the table in
/// force belongs to the whole module.
#[wasm_bindgen_test]
fn a_loaded_table_answers_at_once_and_a_bad_one_changes_nothing() {
    let embedded = include_bytes!("../../core/src/time/tzdata.bin");
    let old = include_bytes!("../../tests/fixtures/zoneinfo-2025b.bin");
    let december = || {
        text(
            &period("month", "America/Vancouver", "2026-12-05T12:00:00Z").unwrap(),
            "periodStart",
        )
    };
    let bytes = |b: &[u8]| JsValue::from(Uint8Array::from(b));
    let release = tzdata_version();
    assert_eq!(december(), "2026-12-01T07:00:00Z");
    let refused: [(JsValue, JsValue, &str); 5] = [
        (bytes(old), JsValue::UNDEFINED, "TZDATA_OLDER"),
        (
            bytes(b"DBTZ2 not really"),
            JsValue::UNDEFINED,
            "TZDATA_MALFORMED",
        ),
        (
            bytes(&embedded[..embedded.len() / 2]),
            JsValue::UNDEFINED,
            "TZDATA_MALFORMED",
        ),
        (JsValue::from(12), JsValue::UNDEFINED, "INVALID_ARGUMENT"),
        (
            bytes(old),
            js(r#"{"allowOlder":"yes"}"#),
            "INVALID_ARGUMENT",
        ),
    ];
    for (table, options, expected) in refused {
        assert_eq!(code(load_tzdata(&table, &options).unwrap_err()), expected);
        assert_eq!(tzdata_version(), release);
        assert_eq!(december(), "2026-12-01T07:00:00Z");
        still_works();
    }
    let loaded = load_tzdata(&bytes(old), &js(r#"{"allowOlder":true}"#)).unwrap();
    assert_eq!(text(&loaded, "version"), "2025b");
    assert_eq!(get(&loaded, "zones").as_f64(), Some(5.0));
    assert_eq!(tzdata_version(), "2025b");
    assert_eq!(december(), "2026-12-01T08:00:00Z");
    still_works();
    let back = load_tzdata(&bytes(embedded), &JsValue::UNDEFINED).unwrap();
    assert_eq!(text(&back, "version"), release);
    assert_eq!(december(), "2026-12-01T07:00:00Z");
}

#[wasm_bindgen_test]
fn bad_period_arguments_throw_their_codes_and_the_module_survives() {
    let cases: [(JsValue, JsValue, JsValue, &str); 7] = [
        (
            "fortnight".into(),
            "UTC".into(),
            "2024-01-01T00:00:00Z".into(),
            "INVALID_PERIOD",
        ),
        (
            JsValue::from(3),
            "UTC".into(),
            "2024-01-01T00:00:00Z".into(),
            "INVALID_PERIOD",
        ),
        (
            "week".into(),
            "Mars/Olympus".into(),
            "2024-01-01T00:00:00Z".into(),
            "INVALID_TIMEZONE",
        ),
        (
            "week".into(),
            JsValue::NULL,
            "2024-01-01T00:00:00Z".into(),
            "INVALID_TIMEZONE",
        ),
        // a lone surrogate: invalid UTF-16
        (
            "week".into(),
            js(r#""\ud800""#),
            "2024-01-01T00:00:00Z".into(),
            "INVALID_TIMEZONE",
        ),
        (
            "week".into(),
            "UTC".into(),
            JsValue::from(f64::NAN),
            "INVALID_TIMESTAMP",
        ),
        (
            "week".into(),
            "UTC".into(),
            "2024-02-30T00:00:00Z".into(),
            "INVALID_TIMESTAMP",
        ),
    ];
    for (p, tz, now, expected) in cases {
        let e = usage_period(&p, &tz, &now).map(|_| ()).unwrap_err();
        assert_eq!(code(e), expected);
        still_works();
    }
    let long = "x".repeat(100_000);
    assert_eq!(
        code(period("week", &long, "2024-01-01T00:00:00Z").unwrap_err()),
        "INVALID_TIMEZONE"
    );
    still_works();
}

const OUT: &str = "00000000-0000-4000-8000-000000000101";
const HANDLER: &str = "00000000-0000-4000-8000-000000000201";

fn agents() -> JsValue {
    js(&format!(
        r#"[{{"id":"{OUT}","name":"Sales Outbound","direction":"outbound",
             "phone_numbers":[{{"id":"n1","number":"+14155551000"}}]}},
           {{"id":"{HANDLER}","name":"Callbacks","direction":"inbound",
             "phone_numbers":[{{"id":"n2","number":"+14155552000"}}],
             "callback_config":{{"source_agent_ids":["{OUT}"]}}}}]"#
    ))
}

#[wasm_bindgen_test]
fn callback_config_is_checked_as_the_server_would() {
    let ok = validate_callback_config(
        HANDLER.into(),
        Ts::new_unchecked(js(&format!(
            r#"{{"source_agent_ids":["{OUT}"],"lookback_days":7}}"#
        ))),
        Ts::new_unchecked(agents()),
    )
    .unwrap()
    .js_value();
    assert_eq!(get(&ok, "ok"), JsValue::TRUE);
    assert_eq!(get(&get(&ok, "config"), "lookback_days"), JsValue::from(7));

    let bad = validate_callback_config(
        OUT.into(),
        Ts::new_unchecked(js(r#"{"source_agent_ids":[],"lookback_days":"soon"}"#)),
        Ts::new_unchecked(agents()),
    )
    .unwrap()
    .js_value();
    assert_eq!(get(&bad, "ok"), JsValue::FALSE);
    let errors: Array = get(&bad, "errors").dyn_into().unwrap();
    let codes: Vec<String> = errors.iter().map(|e| text(&e, "code")).collect();
    assert!(
        codes.contains(&"INVALID_AGENT_DIRECTION".to_owned()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"SOURCE_AGENT_IDS_REQUIRED".to_owned()),
        "{codes:?}"
    );
    assert_eq!(text(&errors.get(0), "field"), "agent_id");

    // wrong types, a sparse million-element array, NaN: errors with codes, never a trap
    let huge = Array::new_with_length(1_000_000);
    for (agents, expected) in [
        (JsValue::from(5), "INVALID_AGENTS"),
        (huge.into(), "INVALID_AGENTS"),
        (
            js(r#"[{"id":"agent-uuid-1","name":"x","direction":"inbound"}]"#),
            "INVALID_AGENT_ID",
        ),
    ] {
        let e = validate_callback_config(
            HANDLER.into(),
            Ts::new_unchecked(js("{}")),
            Ts::new_unchecked(agents),
        )
        .map(|_| ())
        .unwrap_err();
        assert_eq!(code(e), expected);
    }
    let nan = js(r#"{"source_agent_ids":["x"]}"#);
    Reflect::set(&nan, &"lookback_days".into(), &JsValue::from(f64::NAN)).unwrap();
    let check = validate_callback_config(
        HANDLER.into(),
        Ts::new_unchecked(nan),
        Ts::new_unchecked(agents()),
    )
    .unwrap()
    .js_value();
    assert_eq!(get(&check, "ok"), JsValue::FALSE);
    still_works();
}

fn ndjson() -> String {
    // one line each: NDJSON
    let outbound = format!(
        concat!(
            r#"{{"id":"1","sid":null,"direction":"outbound","#,
            r#""agent":{{"id":"{OUT}","name":"Sales Outbound","label":null}},"#,
            r#""from":"+14155551000","to":"+442079460001","created_at":"2024-06-02T10:00:00Z","#,
            r#""status":"no-answer","duration":0}}"#
        ),
        OUT = OUT
    );
    let callback = format!(
        concat!(
            r#"{{"id":"2","sid":null,"direction":"inbound","#,
            r#""agent":{{"id":"{HANDLER}","name":"Callbacks","label":null}},"#,
            r#""from":"+442079460001","to":"+14155552000","created_at":"2024-06-03T10:00:00Z","#,
            r#""status":"completed","duration":95,"#,
            r#""routing":{{"outcome":"matched","callback_agent_id":"{HANDLER}","#,
            r#""last_call":{{"source_agent_id":"{OUT}","outbound_call_id":1,"#,
            r#""started_at":"2024-06-02T10:00:00Z","status":"no-answer","age_seconds":86400}},"#,
            r#""lookback_days":30,"reason_code":"MATCHED","#,
            r#""explanation":"matched: Sales Outbound called this contact 1 day ago"}}}}"#
        ),
        OUT = OUT,
        HANDLER = HANDLER
    );
    format!("{outbound}\n{callback}\n")
}

#[wasm_bindgen_test]
fn call_log_counts_callbacks_and_usage_from_bytes() {
    let bytes = Uint8Array::from(ndjson().as_bytes());
    let log = CallLog::from_ndjson(
        Ts::new_unchecked(bytes.into()),
        Some(Ts::new_unchecked(agents())),
    )
    .unwrap();
    assert_eq!(log.length(), 2.0);
    let range = js(r#"{"startDate":"2024-06-01","endDate":"2024-06-30","tz":"America/New_York"}"#);
    let stats = log
        .callback_stats(
            Some(Ts::new_unchecked(range)),
            Ts::new_unchecked("2024-06-30T12:00:00Z".into()),
        )
        .unwrap()
        .js_value();
    assert_eq!(get(&stats, "total_callbacks_received"), JsValue::from(1));
    assert_eq!(get(&stats, "callbacks_answered"), JsValue::from(1));
    let usage = log
        .usage_by_agent(
            Ts::new_unchecked("month".into()),
            Ts::new_unchecked("Europe/London".into()),
            Ts::new_unchecked("2024-06-30T12:00:00Z".into()),
        )
        .unwrap()
        .js_value();
    let rows: Array = get(&usage, "data").dyn_into().unwrap();
    assert_eq!(rows.length(), 1);
    assert_eq!(text(&rows.get(0), "agentName"), "Callbacks");
    assert!(
        validate_usage_by_agent(Ts::new_unchecked(usage), "Europe/London".into())
            .unwrap()
            .js_value()
            .dyn_into::<Array>()
            .unwrap()
            .length()
            == 0
    );

    for (input, expected) in [
        (JsValue::from("{\"direction\":\n"), "INVALID_JSON"),
        (JsValue::from(42), "INVALID_ARGUMENT"),
        (
            Uint8Array::from(&[0xff, 0xfe, b'\n'][..]).into(),
            "INVALID_JSON",
        ),
    ] {
        let e = CallLog::from_ndjson(Ts::new_unchecked(input), None)
            .map(|_| ())
            .unwrap_err();
        assert_eq!(code(e), expected);
    }
    still_works();
}

#[wasm_bindgen_test]
fn router_explains_each_decision() {
    let calls = js(&format!("[{}]", ndjson().lines().next().unwrap()));
    let router =
        CallbackRouter::new(Ts::new_unchecked(agents()), Ts::new_unchecked(calls)).unwrap();
    assert_eq!(router.size(), 1);
    let decision = router
        .route(Ts::new_unchecked(js(
            r#"{"from":"+442079460001","to":"+14155552000","at":"2024-06-05T10:00:00Z"}"#,
        )))
        .unwrap()
        .js_value();
    assert_eq!(text(&decision, "outcome"), "matched");
    assert_eq!(text(&decision, "reason_code"), "MATCHED");
    assert!(text(&decision, "explanation").contains("Sales Outbound"));
    let e = router
        .route(Ts::new_unchecked(js(
            r#"{"from":null,"to":"not a number","at":"2024-06-05T10:00:00Z"}"#,
        )))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(code(e), "INVALID_CALL");
    still_works();
}

#[wasm_bindgen_test]
fn response_validators_flag_the_seed_example() {
    let seed = js(include_str!(
        "../../tests/fixtures/seeds/talkover_callback_stats_response.json"
    ));
    let found: Array = validate_callback_stats(seed)
        .unwrap()
        .js_value()
        .dyn_into()
        .unwrap();
    let codes: Vec<String> = found.iter().map(|i| text(&i, "code")).collect();
    assert!(codes.contains(&"TOTALS_MISMATCH".to_owned()), "{codes:?}");
    assert_eq!(
        code(
            validate_callback_stats(js("[1,2]"))
                .map(|_| ())
                .unwrap_err()
        ),
        "INVALID_RESPONSE"
    );
}
