//! What the native core answers on the shared cases of `tests/fixtures/pkg/`, pinned in
//! `expected.json`. The Node tests of the npm package compare the package's answers with the
//! same file, so wasm and native cannot drift apart. `UPDATE_GOLDEN=1` rewrites it.

#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::{Value, json};

use dialback_core::wire::FieldError;
use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::agents::directory_from_bodies;
use dialback_core::wire::feed::CallFeed;
use dialback_core::wire::talkover::{AgentBody, CallbackConfigBody, CallbackStatsData};
use dialback_core::{DateRange, Period, Timestamp, Zone, usage_period};

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap()
}

fn answers() -> Value {
    let cases: Value = serde_json::from_str(&read("pkg/cases.json")).unwrap();
    let bodies: Vec<AgentBody> = serde_json::from_str(&read("pkg/agents.json")).unwrap();
    let agents = directory_from_bodies(&bodies);
    assert!(agents.problems.is_empty(), "{:?}", agents.problems);
    let directory = agents.directory;
    let feed = CallFeed::from_ndjson(read("pkg/calls.ndjson").as_bytes()).unwrap();
    let now = Timestamp::parse(cases["now"].as_str().unwrap()).unwrap();
    let s = |v: &Value| v.as_str().unwrap().to_owned();

    let mut periods = vec![];
    let mut usage = vec![];
    for case in cases["periods"].as_array().unwrap() {
        let (p, tz, at) = (s(&case[0]), s(&case[1]), s(&case[2]));
        let bounds = usage_period(
            Period::parse(&p).unwrap(),
            Zone::parse(&tz).unwrap(),
            Timestamp::parse(&at).unwrap(),
        );
        periods.push(serde_json::to_value(bounds).unwrap());
        let bounds = usage_period(Period::parse(&p).unwrap(), Zone::parse(&tz).unwrap(), now);
        usage.push(
            serde_json::to_value(UsageByAgentResponse::from(
                &feed.activity.by_agent(&bounds, &directory),
            ))
            .unwrap(),
        );
    }
    let mut stats = vec![];
    let mut daily = vec![];
    for r in cases["ranges"].as_array().unwrap() {
        let field = |k: &str| r.get(k).and_then(Value::as_str);
        let range =
            DateRange::parse(field("startDate"), field("endDate"), field("tz"), now).unwrap();
        stats.push(
            serde_json::to_value(CallbackStatsData::new(
                &feed.callbacks.stats(&range),
                &directory,
            ))
            .unwrap(),
        );
        daily.push(serde_json::to_value(feed.activity.daily(&range).unwrap()).unwrap());
    }
    let mut configs = vec![];
    for case in cases["configs"].as_array().unwrap() {
        configs.push(
            match dialback_core::validate_callback_config(&s(&case[0]), &case[1], &directory) {
                Ok(c) => json!({ "ok": true, "config": CallbackConfigBody::from(&c) }),
                Err(errors) => {
                    let errors: Vec<FieldError> = errors.iter().map(FieldError::from).collect();
                    json!({ "ok": false, "errors": errors })
                }
            },
        );
    }
    let seed_stats: Value =
        serde_json::from_str(&read("seeds/talkover_callback_stats_response.json")).unwrap();
    let seed_stats: CallbackStatsData = serde_json::from_value(seed_stats["data"].clone()).unwrap();
    let seed_usage: UsageByAgentResponse =
        serde_json::from_str(&read("seeds/agentphone_usage_by_agent_response.json")).unwrap();
    json!({
        "calls": feed.calls,
        "periods": periods,
        "usage": usage,
        "stats": stats,
        "daily": daily,
        "configs": configs,
        "seedStatsProblems": dialback_core::validate_callback_stats(&seed_stats),
        "seedUsageProblems": dialback_core::validate_usage_by_agent(
            &seed_usage,
            Some(Zone::parse("America/New_York").unwrap()),
        ),
    })
}

#[test]
fn native_answers_match_the_shared_expectations() {
    let path = dir().join("pkg/expected.json");
    let ours = serde_json::to_string_pretty(&answers()).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &ours).unwrap();
    }
    let pinned = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        ours == pinned,
        "{} differs from the native core's answers; rerun with UPDATE_GOLDEN=1 if the change is \
         intended",
        path.display()
    );
}
