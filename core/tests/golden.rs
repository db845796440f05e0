//! Every JSON example of the source docs (`tests/fixtures/seeds` and `tests/fixtures/docs`):
//! responses read into our wire types and write back unchanged; requests are accepted by the
//! request parsers the server runs.

use dialback_core::wire::agentphone::ByNumberResponse;
use dialback_core::wire::agentphone::calls::CallList;
use dialback_core::wire::agentphone::{
    DailyUsageResponse, ErrorEnvelope, MonthlyUsageResponse, UsageByAgentResponse, UsageResponse,
    ValidationErrorBody,
};
use dialback_core::wire::requests::agents::{
    parse_calling_update, parse_knowledge_update, parse_new_agent,
};
use dialback_core::wire::talkover::{
    AgentBody, CallBody, CallItem, CallbackAgentCreated, CallbackAgentDetail, CallbackAgentItem,
    CallbackAgentUpdated, CallbackStatsData, CallingSettings, CallsPage, CheckConstraintsRequest,
    Envelope, ErrorBody, MessageBody, MessageEnvelope, Page, PhoneNumberBody, SetCallbackRequest,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::support::{read_json, shared_fixture};

fn round_trip<T: DeserializeOwned + Serialize>(path: &str) {
    let original = read_json(shared_fixture(path));
    let typed: T =
        serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{path}: {e}"));
    let written = serde_json::to_value(&typed).unwrap();
    assert_eq!(written, original, "{path} does not round-trip");
}

/// How a fixture is checked, given its path.
type Check = fn(&str);

/// Each fixture, with the check it gets.
const FIXTURES: &[(&str, Check)] = &[
    (
        "seeds/talkover_set_callback_request.json",
        round_trip::<SetCallbackRequest>,
    ),
    (
        "seeds/talkover_set_callback_response.json",
        round_trip::<Envelope<CallbackAgentCreated>>,
    ),
    (
        "seeds/talkover_set_callback_422.json",
        round_trip::<ErrorBody>,
    ),
    (
        "seeds/talkover_callback_stats_response.json",
        round_trip::<Envelope<CallbackStatsData>>,
    ),
    (
        "seeds/agentphone_usage_by_agent_response.json",
        round_trip::<UsageByAgentResponse>,
    ),
    (
        "docs/talkover_unauthorized_401.json",
        round_trip::<ErrorBody>,
    ),
    (
        "docs/talkover_update_callback_sources_request.json",
        round_trip::<SetCallbackRequest>,
    ),
    (
        "docs/talkover_update_callback_sources_response.json",
        round_trip::<Envelope<CallbackAgentUpdated>>,
    ),
    (
        "docs/talkover_remove_callback_role_response.json",
        round_trip::<MessageBody>,
    ),
    (
        "docs/talkover_list_callback_agents_response.json",
        round_trip::<Envelope<Vec<CallbackAgentItem>>>,
    ),
    (
        "docs/talkover_get_callback_agent_response.json",
        round_trip::<Envelope<CallbackAgentDetail>>,
    ),
    (
        "docs/talkover_get_callback_agent_404.json",
        round_trip::<ErrorBody>,
    ),
    (
        "docs/talkover_check_constraints_request.json",
        round_trip::<CheckConstraintsRequest>,
    ),
    (
        "docs/talkover_check_constraints_valid_response.json",
        round_trip::<MessageBody>,
    ),
    (
        "docs/talkover_list_agents_response.json",
        round_trip::<Page<AgentBody>>,
    ),
    ("docs/talkover_create_agent_request.json", |p| {
        accepted(p, parse_new_agent)
    }),
    (
        "docs/talkover_create_agent_response.json",
        round_trip::<MessageEnvelope<AgentBody>>,
    ),
    ("docs/talkover_update_agent_calling_request.json", |p| {
        accepted(p, parse_calling_update)
    }),
    (
        "docs/talkover_update_agent_calling_response.json",
        round_trip::<MessageEnvelope<CallingSettings>>,
    ),
    ("docs/talkover_update_agent_knowledge_request.json", |p| {
        accepted(p, parse_knowledge_update)
    }),
    (
        "docs/talkover_list_calls_response.json",
        round_trip::<CallsPage<CallItem>>,
    ),
    (
        "docs/talkover_get_agent_calls_response.json",
        round_trip::<CallsPage<CallBody>>,
    ),
    (
        "docs/talkover_list_phone_numbers_response.json",
        round_trip::<Envelope<Vec<PhoneNumberBody>>>,
    ),
    (
        "docs/agentphone_usage_reference.json",
        round_trip::<UsageResponse>,
    ),
    (
        "docs/agentphone_usage_guide.json",
        round_trip::<UsageResponse>,
    ),
    (
        "docs/agentphone_usage_daily_reference.json",
        round_trip::<DailyUsageResponse>,
    ),
    (
        "docs/agentphone_usage_daily_guide.json",
        round_trip::<DailyUsageResponse>,
    ),
    (
        "docs/agentphone_usage_monthly_reference.json",
        round_trip::<MonthlyUsageResponse>,
    ),
    (
        "docs/agentphone_usage_by_number.json",
        round_trip::<ByNumberResponse>,
    ),
    (
        "docs/agentphone_list_agent_calls.json",
        round_trip::<CallList>,
    ),
    (
        "docs/agentphone_error_envelope.json",
        round_trip::<ErrorEnvelope>,
    ),
    (
        "docs/agentphone_validation_error.json",
        round_trip::<ValidationErrorBody>,
    ),
    (
        "docs/agentphone_rate_limit_error.json",
        round_trip::<ErrorEnvelope>,
    ),
];

/// A request the docs show is accepted by the parser the server runs on it.
fn accepted<T: std::fmt::Debug, E: std::fmt::Debug>(
    path: &str,
    parse: fn(&serde_json::Value) -> Result<T, E>,
) {
    let body = read_json(shared_fixture(path));
    if let Err(e) = parse(&body) {
        panic!("{path} is refused: {e:?}");
    }
}

#[test]
fn every_fixture_reads_and_writes_back() {
    for (path, check) in FIXTURES {
        check(path);
    }
}

#[test]
fn documented_placeholder_ids_are_read_as_ids() {
    let body = |name: &str| read_json(shared_fixture(&format!("docs/{name}")));
    let calling =
        parse_calling_update(&body("talkover_update_agent_calling_request.json")).unwrap();
    assert_eq!(
        calling.phone_number_ids.as_deref(),
        Some(&["phone-uuid-1".to_owned(), "phone-uuid-2".to_owned()][..])
    );
}

#[test]
fn every_fixture_is_covered() {
    let mut names: Vec<String> = ["seeds", "docs"]
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(shared_fixture(dir))
                .unwrap()
                .map(move |e| format!("{dir}/{}", e.unwrap().file_name().into_string().unwrap()))
        })
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut covered: Vec<String> = FIXTURES.iter().map(|(p, _)| p.to_string()).collect();
    covered.sort();
    assert_eq!(names, covered);
}
