//! Callback stats from routed calls: our definitions, pinned.

use dialback_core::wire::talkover::CallbackStatsData;
use dialback_core::*;

use crate::support::{agent, t};

const HANDLER: u128 = 1;
const SALES: u128 = 2;
const SURVEY: u128 = 3;

fn names() -> AgentDirectory {
    AgentDirectory::new([
        agent(HANDLER, "Callback Handler", Direction::Inbound),
        agent(SALES, "Sales Outbound", Direction::Outbound),
        agent(SURVEY, "Survey Outbound", Direction::Outbound),
    ])
    .unwrap()
}

fn rec(at: &str, source: Option<u128>, answered: bool) -> CallbackRecord {
    CallbackRecord {
        at: t(at),
        callback_agent_id: AgentId::from_u128(HANDLER),
        source_agent_id: source.map(AgentId::from_u128),
        answered,
    }
}

fn range(start: &str, end: &str, tz: &str) -> DateRange {
    DateRange::parse(Some(start), Some(end), Some(tz), t("2024-02-01T00:00:00Z")).unwrap()
}

fn stats(records: &[CallbackRecord], range: &DateRange) -> CallbackStatsData {
    CallbackStatsData::new(&callback_stats(records, range), &names())
}

#[test]
fn totals_split_into_matched_by_source_and_unmatched() {
    let records = [
        rec("2024-01-02T10:00:00Z", Some(SALES), true),
        rec("2024-01-03T10:00:00Z", Some(SALES), false),
        rec("2024-01-04T10:00:00Z", Some(SURVEY), true),
        rec("2024-01-05T10:00:00Z", None, true), // unmatched but answered
        rec("2024-01-06T10:00:00Z", None, false),
        rec("2024-02-01T10:00:00Z", Some(SURVEY), true), // after the range
    ];
    let s = stats(&records, &range("2024-01-01", "2024-01-31", "UTC"));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "period": {"start": "2024-01-01", "end": "2024-01-31"},
            "total_callbacks_received": 5,
            "callbacks_answered": 3,
            "callbacks_unmatched": 2,
            "callbacks_by_source_agent": [
                {"source_agent_id": AgentId::from_u128(SALES).to_string(), "name": "Sales \
                    Outbound", "count": 2},
                {"source_agent_id": AgentId::from_u128(SURVEY).to_string(), "name": "Survey \
                    Outbound", "count": 1},
            ]
        })
    );
    assert!(validate_callback_stats(&s).is_empty());
}

#[test]
fn days_are_local_to_the_zone() {
    // 2024-01-01T03:00Z is still Dec 31 in New York; 2024-02-01T03:00Z is still Jan 31.
    let records = [
        rec("2024-01-01T03:00:00Z", Some(SALES), true),
        rec("2024-02-01T03:00:00Z", Some(SALES), true),
    ];
    let utc = stats(&records, &range("2024-01-01", "2024-01-31", "UTC"));
    let ny = stats(
        &records,
        &range("2024-01-01", "2024-01-31", "America/New_York"),
    );
    assert_eq!(utc.total_callbacks_received, 1);
    assert_eq!(ny.total_callbacks_received, 1);
    let ny_records = stats(
        &records[1..],
        &range("2024-01-01", "2024-01-31", "America/New_York"),
    );
    assert_eq!(ny_records.total_callbacks_received, 1);
    let utc_records = stats(&records[1..], &range("2024-01-01", "2024-01-31", "UTC"));
    assert_eq!(utc_records.total_callbacks_received, 0);
}

#[test]
fn ties_in_count_sort_by_id_and_unknown_sources_keep_their_id() {
    let gone = 99;
    let records = [
        rec("2024-01-02T10:00:00Z", Some(SURVEY), true),
        rec("2024-01-02T10:00:00Z", Some(SALES), true),
        rec("2024-01-02T10:00:00Z", Some(gone), true),
        rec("2024-01-02T10:00:00Z", Some(gone), true),
    ];
    let s = stats(&records, &range("2024-01-01", "2024-01-31", "UTC"));
    let order: Vec<(&str, i64)> = s
        .callbacks_by_source_agent
        .iter()
        .map(|r| (r.name.as_str(), r.count))
        .collect();
    assert_eq!(
        order,
        [
            (UNKNOWN_AGENT, 2),
            ("Sales Outbound", 1),
            ("Survey Outbound", 1)
        ]
    );
}

#[test]
fn records_come_from_routing_decisions() {
    let handler = AgentId::from_u128(HANDLER);
    let unmatched = RoutingDecision::Unmatched {
        callback_agent_id: handler,
        reason: Reason::CallerWithheld,
    };
    let r =
        CallbackRecord::from_decision(&unmatched, t("2024-01-01T00:00:00Z"), CallStatus::Completed)
            .unwrap();
    assert!(r.answered && r.source_agent_id.is_none());
    let plain = RoutingDecision::NotCallbackAgent { agent_id: handler };
    assert!(
        CallbackRecord::from_decision(&plain, t("2024-01-01T00:00:00Z"), CallStatus::Completed)
            .is_none()
    );
    for (status, answered) in [
        (CallStatus::Answered, true),
        (CallStatus::NoAnswer, false),
        (CallStatus::Busy, false),
    ] {
        let r =
            CallbackRecord::from_decision(&unmatched, t("2024-01-01T00:00:00Z"), status).unwrap();
        assert_eq!(r.answered, answered, "{status}");
    }
}

#[test]
fn per_agent_totals() {
    let mut log = CallbackLog::new();
    log.push(rec("2024-01-02T10:00:00Z", Some(SALES), true));
    log.push(rec("2024-01-03T10:00:00Z", None, false));
    let totals = log.agent_totals(&AgentId::from_u128(HANDLER));
    assert_eq!((totals.received, totals.answered), (2, 1));
    assert_eq!(
        log.agent_totals(&AgentId::from_u128(SALES)),
        AgentCallbackTotals::default()
    );
}
