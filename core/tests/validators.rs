//! Response validators on the seed examples and on broken responses.

use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::talkover::{CallbackStatsData, Envelope};
use dialback_core::*;

use crate::support::{read_json, shared_fixture};

fn codes(list: &[Inconsistency]) -> Vec<&str> {
    list.iter().map(|i| i.code.as_str()).collect()
}

fn seed_stats() -> CallbackStatsData {
    let e: Envelope<CallbackStatsData> = serde_json::from_value(read_json(shared_fixture(
        "seeds/talkover_callback_stats_response.json",
    )))
    .unwrap();
    e.data
}

fn seed_usage() -> UsageByAgentResponse {
    serde_json::from_value(read_json(shared_fixture(
        "seeds/agentphone_usage_by_agent_response.json",
    )))
    .unwrap()
}

#[test]
fn the_seed_stats_example_is_inconsistent() {
    let found = validate_callback_stats(&seed_stats());
    assert_eq!(codes(&found), ["TOTALS_MISMATCH"]);
    assert_eq!(
        found[0].message,
        "matched callbacks by source agent (184) plus callbacks_unmatched (12) make 196, but \
         total_callbacks_received is 184"
    );
}

#[test]
fn broken_stats() {
    let mut s = seed_stats();
    s.total_callbacks_received = 196;
    assert!(validate_callback_stats(&s).is_empty());
    s.callbacks_answered = 500;
    s.callbacks_by_source_agent[1].count = -74;
    s.callbacks_by_source_agent[1].source_agent_id =
        s.callbacks_by_source_agent[0].source_agent_id.clone();
    s.period.start = "2024-02-01".into();
    assert_eq!(
        codes(&validate_callback_stats(&s)),
        [
            "PERIOD_REVERSED",
            "NEGATIVE_COUNT",
            "DUPLICATE_SOURCE_AGENT",
            "ANSWERED_EXCEEDS_TOTAL",
            "TOTALS_MISMATCH"
        ]
    );
    s.period.end = "31/01/2024".into();
    assert!(codes(&validate_callback_stats(&s)).contains(&"INVALID_DATE"));
}

#[test]
fn the_seed_usage_example_is_fine_in_utc_but_not_in_new_york() {
    let u = seed_usage();
    assert!(validate_usage_by_agent(&u, None).is_empty());
    assert!(validate_usage_by_agent(&u, Some(Zone::UTC)).is_empty());
    let found = validate_usage_by_agent(&u, Some(Zone::parse("America/New_York").unwrap()));
    assert_eq!(codes(&found), ["PERIOD_BOUNDS_MISMATCH"]);
    assert_eq!(
        found[0].message,
        "in America/New_York that month runs from 2024-06-01T04:00:00Z to 2024-07-01T03:59:59Z, \
         but the response says 2024-06-01T00:00:00Z to 2024-06-30T23:59:59Z"
    );
}

#[test]
fn broken_usage() {
    let mut u = seed_usage();
    u.period = "fortnight".into();
    u.data[0].calls = -1;
    u.data[1].calls = 0;
    u.data[2].agent_id = Some("x".into());
    u.data.push(u.data[0].clone());
    assert_eq!(
        codes(&validate_usage_by_agent(&u, None)),
        [
            "INVALID_PERIOD",
            "NEGATIVE_COUNT",
            "SECONDS_WITHOUT_CALLS",
            "ORPHAN_ROW_MISMATCH",
            "NEGATIVE_COUNT",
            "DUPLICATE_AGENT"
        ]
    );
    let mut u = seed_usage();
    u.period_end = "2024-05-30T23:59:59Z".into();
    assert_eq!(
        codes(&validate_usage_by_agent(&u, None)),
        ["PERIOD_REVERSED"]
    );
    u.period_end = "2024-06-03T23:59:59Z".into();
    assert_eq!(codes(&validate_usage_by_agent(&u, None)), ["PERIOD_LENGTH"]);
    u.period_end = "yesterday".into();
    assert_eq!(
        codes(&validate_usage_by_agent(&u, None)),
        ["INVALID_TIMESTAMP"]
    );
}

#[test]
fn stats_must_answer_the_range_asked_for() {
    let mut s = seed_stats();
    s.total_callbacks_received = 196;
    let asked = |start: &str, end: &str| {
        dialback_core::DateRange::parse(
            Some(start),
            Some(end),
            None,
            dialback_core::Timestamp::EPOCH,
        )
        .unwrap()
    };
    assert!(validate_callback_stats_for(&s, &asked("2024-01-01", "2024-01-31")).is_empty());
    let found = validate_callback_stats_for(&s, &asked("2024-01-01", "2024-01-30"));
    assert_eq!(codes(&found), ["PERIOD_MISMATCH"]);
    assert_eq!(
        found[0].message,
        "the answer covers 2024-01-01 to 2024-01-31, but 2024-01-01 to 2024-01-30 was asked for"
    );
}

#[test]
fn a_daily_breakdown_must_list_every_day_and_add_up() {
    let mut s = seed_stats();
    s.total_callbacks_received = 196;
    let asked = dialback_core::DateRange::parse(
        Some("2024-01-01"),
        Some("2024-01-31"),
        None,
        dialback_core::Timestamp::EPOCH,
    )
    .unwrap();
    let day = |date: String, received: i64| dialback_core::wire::talkover::CallbackStatsDay {
        date,
        total_callbacks_received: received,
        callbacks_answered: 0,
        callbacks_unmatched: 0,
    };
    let mut days: Vec<_> = asked.days().map(|d| day(d.to_string(), 0)).collect();
    days[0] = dialback_core::wire::talkover::CallbackStatsDay {
        callbacks_answered: s.callbacks_answered,
        callbacks_unmatched: s.callbacks_unmatched,
        ..day("2024-01-01".into(), 196)
    };
    s.days = Some(days.clone());
    assert!(validate_callback_stats_for(&s, &asked).is_empty());
    // a day short, and the rest no longer adds up
    days.pop();
    days[1].total_callbacks_received = 5;
    s.days = Some(days);
    assert_eq!(
        codes(&validate_callback_stats_for(&s, &asked)),
        ["DAYS_MISMATCH", "DAYS_DO_NOT_ADD_UP"]
    );
}
