//! Routing decisions, pinned case by case.

use crate::agent::{Agent, AgentDirectory, AgentId, Direction};
use crate::call::{CallId, CallStatus};
use crate::callback::config::{CallbackConfig, LookbackDays};
use crate::callback::{
    Caller, InboundCall, OutboundCall, OutboundIndex, Reason, Router, RoutingDecision,
};
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

const HANDLER: AgentId = AgentId::from_u128(1);
const SALES: AgentId = AgentId::from_u128(2);
const SURVEY: AgentId = AgentId::from_u128(3);
const OTHER: AgentId = AgentId::from_u128(4); // outbound, not a source
const SUPPORT: AgentId = AgentId::from_u128(5); // inbound, not a callback agent

fn n(s: &str) -> PhoneNumber {
    PhoneNumber::parse(s).unwrap()
}

fn t(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

const LINE: &str = "+14155550100";
const SUPPORT_LINE: &str = "+14155550199";
const CONTACT: &str = "+442079460958";

fn directory(config: CallbackConfig) -> AgentDirectory {
    let a = |id, name: &str, direction, numbers: Vec<PhoneNumber>, config| Agent {
        id,
        name: name.into(),
        direction,
        phone_numbers: numbers,
        callback_config: config,
    };
    AgentDirectory::new([
        a(
            HANDLER,
            "Callback Handler",
            Direction::Inbound,
            vec![n(LINE)],
            Some(config),
        ),
        a(SALES, "Sales Outbound", Direction::Outbound, vec![], None),
        a(SURVEY, "Survey Outbound", Direction::Outbound, vec![], None),
        a(OTHER, "Other Outbound", Direction::Outbound, vec![], None),
        a(
            SUPPORT,
            "Support Line",
            Direction::Inbound,
            vec![n(SUPPORT_LINE)],
            None,
        ),
    ])
    .unwrap()
}

fn config(lookback: Option<u16>, triggers: Option<Vec<CallStatus>>) -> CallbackConfig {
    CallbackConfig {
        source_agent_ids: vec![SALES, SURVEY],
        lookback_days: lookback.and_then(LookbackDays::new),
        callback_trigger_statuses: triggers,
    }
}

fn out(id: u64, agent: AgentId, to: &str, at: &str, status: CallStatus) -> OutboundCall {
    OutboundCall {
        id: CallId(id),
        agent_id: agent,
        to: n(to),
        started_at: t(at),
        status,
    }
}

fn route(
    dir: &AgentDirectory,
    calls: &[OutboundCall],
    from: Option<&str>,
    to: &str,
    at: &str,
) -> RoutingDecision {
    let index = OutboundIndex::build(calls.iter().copied());
    Router::new(dir, &index).route(&InboundCall {
        from: Caller::parse(from),
        to: n(to),
        at: t(at),
    })
}

/// Routes and checks the reason code, the source call (if any) and the explanation.
fn check(
    calls: &[OutboundCall],
    cfg: CallbackConfig,
    from: Option<&str>,
    at: &str,
    code: &str,
    call: Option<u64>,
    text: &str,
) {
    let dir = directory(cfg);
    let d = route(&dir, calls, from, LINE, at);
    assert_eq!(d.reason_code(), code, "{d:?}");
    let about = match &d {
        RoutingDecision::Matched { last_call, .. } => Some(last_call.outbound_call_id.0),
        RoutingDecision::Unmatched {
            reason: Reason::OutsideLookback { last_call, .. },
            ..
        }
        | RoutingDecision::Unmatched {
            reason: Reason::StatusNotTrigger { last_call, .. },
            ..
        } => Some(last_call.outbound_call_id.0),
        _ => None,
    };
    assert_eq!(about, call, "{d:?}");
    assert_eq!(d.explain(&dir), text);
}

#[test]
fn most_recent_source_call_wins() {
    let calls = [
        out(
            1,
            SALES,
            CONTACT,
            "2024-01-01T10:00:00Z",
            CallStatus::NoAnswer,
        ),
        out(
            2,
            SURVEY,
            CONTACT,
            "2024-01-03T10:00:00Z",
            CallStatus::Completed,
        ),
        out(
            3,
            OTHER,
            CONTACT,
            "2024-01-04T10:00:00Z",
            CallStatus::NoAnswer,
        ), // not a source
        out(4, SALES, CONTACT, "2024-01-09T10:00:00Z", CallStatus::Busy), // after the callback
    ];
    check(
        &calls,
        config(None, None),
        Some(CONTACT),
        "2024-01-05T10:00:00Z",
        "MATCHED",
        Some(2),
        "matched: Survey Outbound called this contact 2 days ago (within the 30-day window)",
    );
}

#[test]
fn same_second_tie_goes_to_the_larger_id() {
    let calls = [
        out(
            10,
            SALES,
            CONTACT,
            "2024-01-01T10:00:00Z",
            CallStatus::NoAnswer,
        ),
        out(
            12,
            SURVEY,
            CONTACT,
            "2024-01-01T10:00:00Z",
            CallStatus::NoAnswer,
        ),
        out(
            11,
            SALES,
            CONTACT,
            "2024-01-01T10:00:00Z",
            CallStatus::NoAnswer,
        ),
    ];
    check(
        &calls,
        config(None, None),
        Some("+44 20 7946 0958"),
        "2024-01-01T10:00:00Z",
        "MATCHED",
        Some(12),
        "matched: Survey Outbound called this contact less than a minute ago (within the 30-day \
         window)",
    );
}

#[test]
fn window_edges() {
    let calls = [out(
        1,
        SALES,
        CONTACT,
        "2024-01-01T10:00:00Z",
        CallStatus::NoAnswer,
    )];
    // exactly 30 days later: still inside
    check(
        &calls,
        config(None, None),
        Some(CONTACT),
        "2024-01-31T10:00:00Z",
        "MATCHED",
        Some(1),
        "matched: Sales Outbound called this contact 30 days ago (within the 30-day window)",
    );
    // one second more: outside
    check(
        &calls,
        config(None, None),
        Some(CONTACT),
        "2024-01-31T10:00:01Z",
        "OUTSIDE_LOOKBACK",
        Some(1),
        "unmatched: the last call from Sales Outbound to this contact was 30 days ago, outside the \
         30-day window",
    );
    check(
        &calls,
        config(None, None),
        Some(CONTACT),
        "2024-02-11T10:00:00Z",
        "OUTSIDE_LOOKBACK",
        Some(1),
        "unmatched: the last call from Sales Outbound to this contact was 41 days ago, outside the \
         30-day window",
    );
    check(
        &calls,
        config(Some(60), None),
        Some(CONTACT),
        "2024-02-11T10:00:00Z",
        "MATCHED",
        Some(1),
        "matched: Sales Outbound called this contact 41 days ago (within the 60-day window)",
    );
    // an outbound call after the inbound one does not count
    check(
        &calls,
        config(None, None),
        Some(CONTACT),
        "2024-01-01T09:59:59Z",
        "NO_OUTBOUND_CALL",
        None,
        "unmatched: none of Callback Handler's source agents has called this contact before",
    );
}

#[test]
fn trigger_statuses_filter_source_calls() {
    let triggers = Some(vec![
        CallStatus::NoAnswer,
        CallStatus::Voicemail,
        CallStatus::Busy,
    ]);
    let calls = [
        out(
            1,
            SALES,
            CONTACT,
            "2024-01-01T10:00:00Z",
            CallStatus::Voicemail,
        ),
        out(
            2,
            SALES,
            CONTACT,
            "2024-01-02T10:00:00Z",
            CallStatus::Completed,
        ),
    ];
    // the completed call is newer but does not trigger; the voicemail one does
    check(
        &calls,
        config(None, triggers.clone()),
        Some(CONTACT),
        "2024-01-03T10:00:00Z",
        "MATCHED",
        Some(1),
        "matched: Sales Outbound called this contact 2 days ago (within the 30-day window)",
    );
    let calls = [out(
        2,
        SALES,
        CONTACT,
        "2024-01-02T10:00:00Z",
        CallStatus::Completed,
    )];
    check(
        &calls,
        config(None, triggers.clone()),
        Some(CONTACT),
        "2024-01-03T10:00:00Z",
        "STATUS_NOT_TRIGGER",
        Some(2),
        "unmatched: the last call from Sales Outbound to this contact (24 hours ago) ended \
         completed, and only calls that ended busy, no-answer, voicemail trigger callbacks",
    );
    // a triggering call outside the window behind a non-triggering one inside it
    let calls = [
        out(1, SALES, CONTACT, "2023-11-01T10:00:00Z", CallStatus::Busy),
        out(
            2,
            SALES,
            CONTACT,
            "2024-01-02T10:00:00Z",
            CallStatus::Completed,
        ),
    ];
    check(
        &calls,
        config(None, triggers),
        Some(CONTACT),
        "2024-01-03T10:00:00Z",
        "STATUS_NOT_TRIGGER",
        Some(2),
        "unmatched: the last call from Sales Outbound to this contact (24 hours ago) ended \
         completed, and only calls that ended busy, no-answer, voicemail trigger callbacks",
    );
}

#[test]
fn callers_without_a_number() {
    let calls = [out(
        1,
        SALES,
        CONTACT,
        "2024-01-01T10:00:00Z",
        CallStatus::NoAnswer,
    )];
    let at = "2024-01-02T10:00:00Z";
    for withheld in [
        None,
        Some(""),
        Some("withheld"),
        Some("Private"),
        Some("restricted"),
        Some("unknown"),
    ] {
        check(
            &calls,
            config(None, None),
            withheld,
            at,
            "CALLER_WITHHELD",
            None,
            "unmatched: the caller withheld their number",
        );
    }
    for anon in [
        Some("anonymous"),
        Some("Anonymous"),
        Some("sip:anonymous@anonymous.invalid"),
    ] {
        check(
            &calls,
            config(None, None),
            anon,
            at,
            "CALLER_ANONYMOUS",
            None,
            "unmatched: the caller is anonymous",
        );
    }
    check(
        &calls,
        config(None, None),
        Some("0207 946 0958"),
        at,
        "CALLER_INVALID",
        None,
        "unmatched: the caller's number is not a valid phone number",
    );
}

#[test]
fn other_contacts_and_non_callback_numbers() {
    let calls = [out(
        1,
        SALES,
        "+442079460000",
        "2024-01-01T10:00:00Z",
        CallStatus::NoAnswer,
    )];
    check(
        &calls,
        config(None, None),
        Some(CONTACT),
        "2024-01-02T10:00:00Z",
        "NO_OUTBOUND_CALL",
        None,
        "unmatched: none of Callback Handler's source agents has called this contact before",
    );
    let dir = directory(config(None, None));
    let d = route(
        &dir,
        &calls,
        Some(CONTACT),
        SUPPORT_LINE,
        "2024-01-02T10:00:00Z",
    );
    assert_eq!(d, RoutingDecision::NotCallbackAgent { agent_id: SUPPORT });
    assert_eq!(
        d.explain(&dir),
        "not a callback: Support Line owns this number but is not a callback agent"
    );
    let d = route(
        &dir,
        &calls,
        Some(CONTACT),
        "+15550000000",
        "2024-01-02T10:00:00Z",
    );
    assert_eq!(d.reason_code(), "NUMBER_NOT_OWNED");
    assert_eq!(d.explain(&dir), "not routed: no agent owns +15550000000");
    assert_eq!(d.routed_to(), None);
}

#[test]
fn a_source_removed_before_the_call_no_longer_matches() {
    let calls = [out(
        1,
        SALES,
        CONTACT,
        "2024-01-01T10:00:00Z",
        CallStatus::NoAnswer,
    )];
    let only_survey = CallbackConfig {
        source_agent_ids: vec![SURVEY],
        lookback_days: None,
        callback_trigger_statuses: None,
    };
    check(
        &calls,
        only_survey,
        Some(CONTACT),
        "2024-01-02T10:00:00Z",
        "NO_OUTBOUND_CALL",
        None,
        "unmatched: none of Callback Handler's source agents has called this contact before",
    );
}

#[test]
fn inserts_after_build_are_seen() {
    let dir = directory(config(None, None));
    let mut index = OutboundIndex::build([out(
        1,
        SALES,
        CONTACT,
        "2024-01-01T10:00:00Z",
        CallStatus::NoAnswer,
    )]);
    // enough inserts to force several compactions, to a mix of contacts
    for i in 0..5_000u64 {
        let to = format!("+4420794{:05}", i % 1_700);
        index.insert(out(
            100 + i,
            OTHER,
            &to,
            "2024-01-01T12:00:00Z",
            CallStatus::Busy,
        ));
    }
    index.insert(out(
        99_999,
        SURVEY,
        CONTACT,
        "2024-01-01T11:00:00Z",
        CallStatus::NoAnswer,
    ));
    assert_eq!(index.len(), 5_002);
    let d = Router::new(&dir, &index).route(&InboundCall {
        from: Caller::Number(n(CONTACT)),
        to: n(LINE),
        at: t("2024-01-02T10:00:00Z"),
    });
    assert_eq!(d.source_agent_id(), Some(SURVEY));
}

#[test]
fn decision_wire_shape() {
    let calls = [out(
        1,
        SALES,
        CONTACT,
        "2024-01-01T10:00:00Z",
        CallStatus::NoAnswer,
    )];
    let dir = directory(config(None, None));
    let d = route(&dir, &calls, Some(CONTACT), LINE, "2024-02-11T10:00:00Z");
    let json = serde_json::to_value(d).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "outcome": "unmatched",
            "callback_agent_id": HANDLER.to_string(),
            "reason": {
                "code": "OUTSIDE_LOOKBACK",
                "last_call": {
                    "source_agent_id": SALES.to_string(),
                    "outbound_call_id": 1,
                    "started_at": "2024-01-01T10:00:00Z",
                    "status": "no-answer",
                    "age_seconds": 41 * 86_400
                },
                "lookback_days": 30
            }
        })
    );
    let back: RoutingDecision = serde_json::from_value(json).unwrap();
    assert_eq!(back, d);
}
