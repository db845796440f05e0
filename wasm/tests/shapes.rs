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

use dialback_core::wire::talkover::{
    AgentBody, AgentRef, CallBody, CallItem, CallbackConfigBody, RoutingBody,
};
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

fn doc(name: &str) -> Value {
    let path = format!(
        "{}/../tests/fixtures/docs/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
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
        let call = CallBody {
            id: "9".into(),
            sid: Some("x".into()),
            to: to.into(),
            to_formatted: Some("(415) 555-0100".into()),
            from: from.map(str::to_owned),
            from_formatted: None,
            is_testing: false,
            direction: Direction::Inbound,
            status: CallStatus::Completed,
            duration: 60,
            created_at: t("2024-06-03T10:00:00Z"),
            updated_at: Some(t("2024-06-03T10:01:00Z")),
            external_id: Some("x".into()),
            routing: Some(body),
        };
        same_shape::<types::CallBody>(&call);
        for agent in [
            None,
            Some(AgentRef {
                id: HANDLER.to_string(),
                name: "Callbacks".into(),
                label: Some("Callbacks".into()),
            }),
        ] {
            same_shape::<types::CallBody>(&CallItem {
                call: call.clone(),
                agent,
            });
        }
    }
    assert_eq!(seen.len(), 9, "{seen:?}");
}

#[test]
fn agents_configs_and_requests() {
    for agent in directory().iter() {
        if let Some(c) = &agent.callback_config {
            same_shape::<types::CallbackConfigBody>(&CallbackConfigBody::from(c));
        }
    }
    // the documented agent object, and ours for an agent with numbers and a callback role
    for a in doc("talkover_list_agents_response.json")["data"]
        .as_array()
        .unwrap()
    {
        same_shape::<types::AgentBody>(a);
    }
    let record = dialback_core::AgentRecord {
        id: HANDLER,
        name: "Callbacks".into(),
        direction: Direction::Inbound,
        callback_config: directory().get(&HANDLER).unwrap().callback_config.clone(),
        status: dialback_core::AgentStatus::Published,
        profile: dialback_core::AgentProfile::for_name("Callbacks"),
        created_at: t("2024-06-01T00:00:00Z"),
        updated_at: t("2024-06-01T00:00:00Z"),
    };
    let number = dialback_core::NumberResource {
        id: dialback_core::NumberId::from_u128(7),
        number: n("+14155550100"),
        agent: Some(HANDLER),
        position: 0,
        created_at: t("2024-06-01T00:00:00Z"),
        updated_at: t("2024-06-01T00:00:00Z"),
    };
    same_shape::<types::AgentBody>(&AgentBody::new(&record, &[number]));
    same_shape::<types::SetCallbackRequest>(&fixture("talkover_set_callback_request.json"));
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
    // with the group_by=day extension
    let day = dialback_core::CallbackDay {
        date: dialback_core::DateRange::parse(
            Some("2024-01-01"),
            Some("2024-01-01"),
            None,
            t("2024-06-01T00:00:00Z"),
        )
        .unwrap()
        .start(),
        received: 3,
        answered: 2,
        unmatched: 1,
    };
    same_shape::<types::CallbackStatsData>(
        &serde_json::to_value(body.clone().with_days(&[day])).unwrap(),
    );
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
