//! The sync's readers on the platforms' documented examples: every documented list page is
//! understood, and what is read is what the example says.

use dialback_core::source::calls::Progress;
use dialback_core::source::{Platform, agentphone, identity, talkover};
use dialback_core::*;

use crate::support::shared_fixture;

fn bytes(path: &str) -> Vec<u8> {
    std::fs::read(shared_fixture(path)).unwrap()
}

#[test]
fn talkover_documented_agent_list_is_read() {
    let page = talkover::agents_page(&bytes("docs/talkover_list_agents_response.json")).unwrap();
    assert_eq!(page.last_page, 3);
    let a = &page.items[0];
    assert_eq!(a.id, "550e8400-e29b-41d4-a716-446655440000");
    assert_eq!(a.direction, Some(Direction::Inbound));
    assert_eq!(a.status, Some(AgentStatus::Published));
    assert_eq!(a.numbers[0].number.to_string(), "+1234567890");
    assert_eq!(
        identity::local_agent_id(Platform::Talkover, &a.id).to_string(),
        a.id,
        "a UUID is kept"
    );
}

#[test]
fn talkover_documented_number_and_callback_lists_are_read() {
    // the English page's example has a trailing comma (invalid JSON as published): the
    // fixture is the Portuguese page's valid copy
    let numbers = talkover::numbers_page(&bytes("docs/talkover_list_phone_numbers_response.json"));
    assert_eq!(numbers.unwrap().len(), 2);
    let roles =
        talkover::callback_agents_page(&bytes("docs/talkover_list_callback_agents_response.json"))
            .unwrap();
    assert_eq!(roles[0].agent, "agent-uuid-1");
    assert_eq!(roles[0].config["source_agent_ids"][1], "agent-uuid-3");
}

#[test]
fn talkover_documented_call_list_is_read_and_a_call_in_progress_waits() {
    let page = talkover::calls_page(&bytes("docs/talkover_list_calls_response.json")).unwrap();
    assert_eq!(page.last_page, 5);
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        page.items[0].progress,
        Progress::Ended(CallStatus::Completed)
    );
    assert_eq!(page.items[0].agent.as_deref(), Some("agent-uuid-1"));
    // `answered`: picked up, not over
    assert_eq!(page.items[1].progress, Progress::InProgress);
}

#[test]
fn agentphone_documented_call_list_is_read() {
    // the example's values are placeholders ("string"): only the shape is documented
    let err = agentphone::calls_page(&bytes("docs/agentphone_list_agent_calls.json")).unwrap_err();
    assert_eq!(err.field, "data[0].status");
    let real = br#"{"data": [{"id": "call_1", "agentId": "agt_1", "fromNumber": "+14155550100",
        "toNumber": "+14155550199", "status": "completed", "startedAt": "2024-01-15T09:30:00Z",
        "endedAt": "2024-01-15T09:31:00Z", "durationSeconds": 60}], "hasMore": false, "total": 1}"#;
    let list = agentphone::calls_page(real).unwrap();
    assert!(!list.has_more);
    assert_eq!(list.items[0].direction, None);
    assert_eq!(list.items[0].duration_seconds, 60);
}

#[test]
fn a_page_that_cannot_be_understood_names_the_field() {
    let e = talkover::calls_page(br#"{"data": [], "pagination": {"last_page": "x"}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "pagination.last_page: not a whole number of at least 0"
    );
    let e = agentphone::numbers_page(
        br#"{"data": [{"id": "n", "phoneNumber": "555"}], "hasMore": false, "total": 1}"#,
    )
    .unwrap_err();
    assert_eq!(e.field, "data[0].phoneNumber");
    assert_eq!(e.code(), "SOURCE_PAGE_UNREADABLE");
}
