//! The list query parsers, pinned case by case.

use super::*;
use crate::call::CallId;
use crate::error::ErrorCode;

fn q(pairs: &[(&str, &str)]) -> Params {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn call(at: &str, from: Option<&str>, sid: Option<&str>) -> CallRecord {
    CallRecord {
        id: CallId(1),
        external_id: sid.map(str::to_owned),
        direction: Direction::Inbound,
        agent_id: None,
        from: from.map(str::to_owned),
        to: PhoneNumber::parse("+14155550199").unwrap(),
        started_at: Timestamp::parse(at).unwrap(),
        status: CallStatus::Completed,
        duration_seconds: 0,
        routing: None,
    }
}

#[test]
fn bad_parameters_are_all_reported() {
    let codes: Vec<_> = parse_call_list(
        &q(&[
            ("status", "done"),
            ("direction", "up"),
            ("date_from", "2024-13-01"),
            ("per_page", "101"),
            ("page", "0"),
        ]),
        None,
    )
    .unwrap_err()
    .iter()
    .map(|e| (e.code(), e.field().to_owned()))
    .collect();
    assert_eq!(
        codes,
        [
            ("INVALID_CALL_STATUS", "status".to_owned()),
            ("INVALID_DIRECTION", "direction".to_owned()),
            ("INVALID_DATE", "date_from".to_owned()),
            ("INVALID_PAGINATION", "page".to_owned()),
            ("INVALID_PAGINATION", "per_page".to_owned()),
        ]
    );
}

#[test]
fn dates_are_inclusive_local_days() {
    let query = parse_call_list(
        &q(&[
            ("date_from", "2024-01-04"),
            ("date_to", "2024-01-04"),
            ("tz", "America/New_York"),
        ]),
        None,
    )
    .unwrap();
    let f = &query.filter;
    assert!(!f.matches(&call("2024-01-04T04:59:59Z", None, None)));
    assert!(f.matches(&call("2024-01-04T05:00:00Z", None, None)));
    assert!(f.matches(&call("2024-01-05T04:59:59Z", None, None)));
    assert!(!f.matches(&call("2024-01-05T05:00:00Z", None, None)));
}

#[test]
fn search_finds_sids_and_numbers_in_any_formatting() {
    let f = |s: &str| parse_call_list(&q(&[("search", s)]), None).unwrap().filter;
    let c = call(
        "2024-01-04T05:00:00Z",
        Some("+1 415 555 1002"),
        Some("CA9f00"),
    );
    assert!(f("CA9f").matches(&c));
    assert!(f("(415) 555-10").matches(&c));
    assert!(f("0199").matches(&c));
    assert!(!f("ca9f").matches(&c));
    assert!(!f("Sales 5").matches(&c));
}

#[test]
fn an_unknown_agent_id_matches_nothing() {
    let f = parse_call_list(&q(&[("agent_id", "agent-uuid-1")]), None)
        .unwrap()
        .filter;
    assert_eq!(f.agent, AgentFilter::Unknown);
    assert!(!f.matches(&call("2024-01-04T05:00:00Z", None, None)));
}

#[test]
fn agent_lists() {
    let l = parse_agent_list(&q(&[("status", "published"), ("per_page", "10")])).unwrap();
    assert_eq!((l.paging.page(), l.paging.per_page()), (1, 10));
    // the page of a list and its metadata: the 11th to 20th of 25
    let (page, meta) = parse_agent_list(&q(&[("page", "2"), ("per_page", "10")]))
        .unwrap()
        .paging
        .page_of(1..26);
    assert_eq!(page, (11..21).collect::<Vec<_>>());
    assert_eq!((meta.current_page, meta.last_page, meta.total), (2, 3, 25));
    // past the end: an empty page, and the metadata still says where the end is
    let (page, meta) = parse_agent_list(&q(&[("page", "9")]))
        .unwrap()
        .paging
        .page_of(std::iter::empty::<u8>());
    assert!(page.is_empty());
    assert_eq!((meta.current_page, meta.last_page), (9, 1));
    assert!(parse_agent_list(&q(&[("status", "live")])).is_err());
}

#[test]
fn an_import_sends_webhooks_only_when_asked_with_true() {
    assert_eq!(parse_import(&q(&[])), Ok(false));
    assert_eq!(parse_import(&q(&[("webhooks", "true")])), Ok(true));
    assert_eq!(parse_import(&q(&[("webhooks", "false")])), Ok(false));
    let errors = parse_import(&q(&[("webhooks", "yes")])).unwrap_err();
    let got: Vec<_> = errors.iter().map(|e| (e.code(), e.field())).collect();
    assert_eq!(got, [("INVALID_BOOLEAN", "webhooks")]);
}
