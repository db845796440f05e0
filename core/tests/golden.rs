//! Every JSON example of the seed docs reads into our wire types and writes back unchanged.

use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::talkover::{
    AgentBody, CallbackStatsData, Envelope, ErrorBody, SetCallbackRequest,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::support::{read_json, shared_fixture};

fn round_trip<T: DeserializeOwned + Serialize>(name: &str) {
    let original = read_json(shared_fixture(&format!("seeds/{name}")));
    let typed: T =
        serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let written = serde_json::to_value(&typed).unwrap();
    assert_eq!(written, original, "{name} does not round-trip");
}

#[test]
fn talkover_set_callback_request() {
    round_trip::<SetCallbackRequest>("talkover_set_callback_request.json");
}

#[test]
fn talkover_set_callback_response() {
    round_trip::<Envelope<AgentBody>>("talkover_set_callback_response.json");
}

#[test]
fn talkover_set_callback_422() {
    round_trip::<ErrorBody>("talkover_set_callback_422.json");
}

#[test]
fn talkover_callback_stats_response() {
    round_trip::<Envelope<CallbackStatsData>>("talkover_callback_stats_response.json");
}

#[test]
fn agentphone_usage_by_agent_response() {
    round_trip::<UsageByAgentResponse>("agentphone_usage_by_agent_response.json");
}

#[test]
fn every_seed_fixture_is_covered() {
    let mut names: Vec<String> = std::fs::read_dir(shared_fixture("seeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "agentphone_usage_by_agent_response.json",
            "talkover_callback_stats_response.json",
            "talkover_set_callback_422.json",
            "talkover_set_callback_request.json",
            "talkover_set_callback_response.json",
        ],
        "a seed fixture was added or removed: give it a round-trip test above"
    );
}

#[test]
fn wrong_direction_error_matches_the_seed_byte_for_byte() {
    use dialback_core::{ErrorCode, wire::FieldError};
    let dir = dialback_core::AgentDirectory::new([crate::support::agent(
        1,
        "Sales",
        dialback_core::Direction::Outbound,
    )])
    .unwrap();
    let target = dialback_core::AgentId::from_u128(1).to_string();
    let errors = dialback_core::validate_callback_config(
        &target,
        &serde_json::json!({"source_agent_ids": []}),
        &dir,
    )
    .unwrap_err();
    assert_eq!(errors[0].code(), "INVALID_AGENT_DIRECTION");
    let mut body = ErrorBody::from_errors(errors.iter().map(FieldError::from).collect()).unwrap();
    body.errors = None; // the seed shows the first error only
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        read_json(shared_fixture("seeds/talkover_set_callback_422.json"))
    );
}
