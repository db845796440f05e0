//! The TypeScript declarations come from the mirror types in `src/types.rs`; these tests keep
//! the mirrors honest. Real core values are serialised, read back through each mirror (with
//! unknown fields denied where serde allows it) and serialised again: a field the core
//! renames, adds or drops makes the two JSON texts differ.

#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use dialback_core::wire::talkover::{AgentBody, CallBody, CallbackConfigBody, RoutingBody};
use dialback_core::{
    Agent, AgentDirectory, AgentId, CallId, CallStatus, CallbackConfig, Caller, Direction,
    InboundCall, LookbackDays, OutboundCall, OutboundIndex, Period, PhoneNumber, Router, Timestamp,
    Zone, usage_period,
};
use dialback_wasm::types;

#[track_caller]
fn same_shape<Mirror: DeserializeOwned + Serialize>(core: &impl Serialize) {
    let json = serde_json::to_value(core).unwrap();
    let mirror: Mirror = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("{e}: the mirror does not read {json}"));
    assert_eq!(serde_json::to_value(&mirror).unwrap(), json);
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../tests/fixtures/seeds/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const SALES: AgentId = AgentId::from_u128(1);
const HANDLER: AgentId = AgentId::from_u128(2);
const SUPPORT: AgentId = AgentId::from_u128(3);

fn n(s: &str) -> PhoneNumber {
    PhoneNumber::parse(s).unwrap()
}

fn t(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn directory() -> AgentDirectory {
    let agent = |id, name: &str, direction, number: &str, config| Agent {
        id,
        name: name.into(),
        direction,
        phone_numbers: vec![n(number)],
        callback_config: config,
    };
    AgentDirectory::new([
        agent(SALES, "Sales", Direction::Outbound, "+14155550001", None),
        agent(
            HANDLER,
            "Callbacks",
            Direction::Inbound,
            "+14155550100",
            Some(CallbackConfig {
                source_agent_ids: vec![SALES],
                lookback_days: LookbackDays::new(3),
                callback_trigger_statuses: Some(vec![CallStatus::NoAnswer]),
            }),
        ),
        agent(SUPPORT, "Support", Direction::Inbound, "+14155550200", None),
    ])
    .unwrap()
}

#[test]
fn every_routing_decision_and_reason() {
    let dir = directory();
    let out = |id, to: &str, at: &str, status| OutboundCall {
        id: CallId(id),
        agent_id: SALES,
        to: n(to),
        started_at: t(at),
        status,
    };
    let index = OutboundIndex::build([
        out(
            1,
            "+442079460001",
            "2024-06-01T10:00:00Z",
            CallStatus::NoAnswer,
        ),
        out(
            2,
            "+442079460002",
            "2024-06-02T10:00:00Z",
            CallStatus::Completed,
        ),
        out(
            3,
            "+442079460003",
            "2024-05-01T10:00:00Z",
            CallStatus::NoAnswer,
        ),
    ]);
    let router = Router::new(&dir, &index);
    let mut seen = std::collections::BTreeSet::new();
    for (from, to) in [
        (Some("+442079460001"), "+14155550100"),
        (Some("+442079460002"), "+14155550100"),
        (Some("+442079460003"), "+14155550100"),
        (Some("+442079460009"), "+14155550100"),
        (None, "+14155550100"),
        (Some("anonymous"), "+14155550100"),
        (Some("not a number"), "+14155550100"),
        (Some("+442079460001"), "+14155550200"),
        (Some("+442079460001"), "+14155559999"),
    ] {
        let decision = router.route(&InboundCall {
            from: Caller::parse(from),
            to: n(to),
            at: t("2024-06-03T10:00:00Z"),
        });
        let body = RoutingBody::new(decision, &dir);
        seen.insert(body.reason_code.clone());
        same_shape::<types::RoutingBody>(&body);
        same_shape::<types::CallBody>(&CallBody {
            id: 9,
            external_id: Some("x".into()),
            direction: Direction::Inbound,
            agent_id: None,
            from: from.map(str::to_owned),
            to: to.into(),
            started_at: t("2024-06-03T10:00:00Z"),
            status: CallStatus::Completed,
            duration_seconds: 60,
            routing: Some(body),
        });
    }
    assert_eq!(seen.len(), 9, "{seen:?}");
}

#[test]
fn agents_configs_and_requests() {
    for agent in directory().iter() {
        same_shape::<types::AgentBody>(&AgentBody::from_agent(agent));
        if let Some(c) = &agent.callback_config {
            same_shape::<types::CallbackConfigBody>(&CallbackConfigBody::from(c));
        }
    }
    same_shape::<types::SetCallbackRequest>(&fixture("talkover_set_callback_request.json"));
    let response = fixture("talkover_set_callback_response.json");
    same_shape::<types::AgentBody>(&response["data"]);
}

#[test]
fn stats_usage_periods_and_problems() {
    let stats = fixture("talkover_callback_stats_response.json");
    same_shape::<types::CallbackStatsResponse>(&stats);
    same_shape::<types::CallbackStatsData>(&stats["data"]);
    same_shape::<types::UsageByAgentResponse>(&fixture("agentphone_usage_by_agent_response.json"));
    for p in [Period::Week, Period::Month, Period::Year] {
        let bounds = usage_period(
            p,
            Zone::parse("Asia/Kathmandu").unwrap(),
            t("2024-06-15T12:00:00Z"),
        );
        same_shape::<types::PeriodBounds>(&bounds);
    }
    let body: dialback_core::wire::talkover::CallbackStatsData =
        serde_json::from_value(stats["data"].clone()).unwrap();
    for problem in dialback_core::validate_callback_stats(&body) {
        same_shape::<types::Inconsistency>(&problem);
    }
    let errors = dialback_core::validate_callback_config("x", &serde_json::json!({}), &directory())
        .unwrap_err();
    for e in &errors {
        same_shape::<types::FieldError>(&dialback_core::wire::FieldError::from(e));
    }
    let log = dialback_core::ActivityLog::new();
    let range =
        dialback_core::DateRange::parse(None, None, None, t("2024-06-15T12:00:00Z")).unwrap();
    for day in log.daily(&range).unwrap() {
        same_shape::<types::DayUsage>(&day);
    }
}
