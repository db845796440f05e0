//! Callback config validation, pinned case by case.

use serde_json::{Value, json};

use crate::agent::{Agent, AgentDirectory, AgentId, Direction};
use crate::call::CallStatus;
use crate::callback::config::{ConfigError, LookbackDays, validate_callback_config};
use crate::error::ErrorCode;

const HANDLER: &str = "00000000-0000-0000-0000-000000000001";
const SALES: &str = "00000000-0000-0000-0000-000000000002";
const SURVEY: &str = "00000000-0000-0000-0000-000000000003";
const SUPPORT: &str = "00000000-0000-0000-0000-000000000004"; // another inbound agent
const UNKNOWN: &str = "00000000-0000-0000-0000-0000000000ff";

fn agent(id: &str, name: &str, direction: Direction) -> Agent {
    Agent {
        id: id.parse().unwrap(),
        name: name.into(),
        direction,
        phone_numbers: vec![],
        callback_config: None,
    }
}

fn directory() -> AgentDirectory {
    AgentDirectory::new([
        agent(HANDLER, "Callback Handler", Direction::Inbound),
        agent(SALES, "Sales Outbound", Direction::Outbound),
        agent(SURVEY, "Survey Outbound", Direction::Outbound),
        agent(SUPPORT, "Support Line", Direction::Inbound),
    ])
    .unwrap()
}

/// Validates and returns the error codes with their field and index, or "ok".
fn check(target: &str, body: Value, expected: &[(&str, &str, Option<usize>)]) {
    let got: Vec<(&str, &str, Option<usize>)> =
        match validate_callback_config(target, &body, &directory()) {
            Ok(_) => vec![],
            Err(errors) => errors
                .iter()
                .map(|e| (e.code(), e.field(), e.index()))
                .collect(),
        };
    assert_eq!(got, expected, "target {target} body {body}");
}

#[test]
fn seed_request_is_valid() {
    let config = validate_callback_config(
        HANDLER,
        &json!({"source_agent_ids": [SALES, SURVEY]}),
        &directory(),
    )
    .unwrap();
    let ids: Vec<String> = config
        .source_agent_ids
        .iter()
        .map(AgentId::to_string)
        .collect();
    assert_eq!(ids, [SALES, SURVEY]);
    assert_eq!(config.lookback_days, None);
    assert_eq!(config.lookback(), LookbackDays::DEFAULT);
    assert_eq!(config.callback_trigger_statuses, None);
    assert!(CallStatus::ALL.iter().all(|s| config.triggers_on(*s)));
}

#[test]
fn target_agent() {
    check(
        UNKNOWN,
        json!({"source_agent_ids": [SALES]}),
        &[("AGENT_NOT_FOUND", "agent_id", None)],
    );
    check(
        "agent-uuid-1",
        json!({"source_agent_ids": [SALES]}),
        &[("AGENT_NOT_FOUND", "agent_id", None)],
    );
    check(
        SALES,
        json!({"source_agent_ids": [SURVEY]}),
        &[("INVALID_AGENT_DIRECTION", "agent_id", None)],
    );
}

#[test]
fn wrong_direction_message_is_the_seeds() {
    let errs =
        validate_callback_config(SALES, &json!({"source_agent_ids": [SURVEY]}), &directory())
            .unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "Agent must have direction=inbound to serve as a callback"
    );
    assert!(!errs[0].is_not_found());
}

#[test]
fn source_list_required() {
    let required = [("SOURCE_AGENT_IDS_REQUIRED", "source_agent_ids", None)];
    check(HANDLER, json!({}), &required);
    check(HANDLER, json!({"source_agent_ids": null}), &required);
    check(HANDLER, json!({"source_agent_ids": []}), &required);
    check(HANDLER, json!({"source_agent_ids": SALES}), &required);
    check(HANDLER, json!([SALES]), &required);
    check(HANDLER, json!("body"), &required);
}

#[test]
fn each_bad_entry_is_reported_at_its_index() {
    check(
        HANDLER,
        json!({"source_agent_ids": [SALES, "agent-uuid-2", 7, UNKNOWN, SUPPORT, SALES, HANDLER]}),
        &[
            ("INVALID_SOURCE_AGENT_ID", "source_agent_ids", Some(1)),
            ("INVALID_SOURCE_AGENT_ID", "source_agent_ids", Some(2)),
            ("SOURCE_AGENT_NOT_FOUND", "source_agent_ids", Some(3)),
            (
                "INVALID_SOURCE_AGENT_DIRECTION",
                "source_agent_ids",
                Some(4),
            ),
            ("DUPLICATE_SOURCE_AGENT_ID", "source_agent_ids", Some(5)),
            (
                "INVALID_SOURCE_AGENT_DIRECTION",
                "source_agent_ids",
                Some(6),
            ),
        ],
    );
}

#[test]
fn duplicates_compare_uuids_not_spellings() {
    let upper = SALES.to_uppercase();
    check(
        HANDLER,
        json!({"source_agent_ids": [SALES, upper]}),
        &[("DUPLICATE_SOURCE_AGENT_ID", "source_agent_ids", Some(1))],
    );
}

#[test]
fn lookback_days() {
    let ok = |v: Value| {
        check(
            HANDLER,
            json!({"source_agent_ids": [SALES], "lookback_days": v}),
            &[],
        )
    };
    ok(json!(1));
    ok(json!(365));
    ok(json!(null));
    for bad in [
        json!(0),
        json!(366),
        json!(-1),
        json!(30.5),
        json!("30"),
        json!(1e10),
        json!(70000),
    ] {
        check(
            HANDLER,
            json!({"source_agent_ids": [SALES], "lookback_days": bad}),
            &[("INVALID_LOOKBACK_DAYS", "lookback_days", None)],
        );
    }
    let c = validate_callback_config(
        HANDLER,
        &json!({"source_agent_ids": [SALES], "lookback_days": 7}),
        &directory(),
    )
    .unwrap();
    assert_eq!(c.lookback().seconds(), 7 * 86_400);
}

#[test]
fn trigger_statuses() {
    let body = json!({"source_agent_ids": [SALES],
        "callback_trigger_statuses": ["no_answer", "voicemail", "busy", "no-answer"]});
    let c = validate_callback_config(HANDLER, &body, &directory()).unwrap();
    assert_eq!(
        c.callback_trigger_statuses,
        Some(vec![
            CallStatus::NoAnswer,
            CallStatus::Voicemail,
            CallStatus::Busy
        ])
    );
    assert!(c.triggers_on(CallStatus::NoAnswer));
    assert!(!c.triggers_on(CallStatus::Completed));
    check(
        HANDLER,
        json!({"source_agent_ids": [SALES], "callback_trigger_statuses": ["busy", "hung_up", 3]}),
        &[
            ("INVALID_CALL_STATUS", "callback_trigger_statuses", Some(1)),
            ("INVALID_CALL_STATUS", "callback_trigger_statuses", Some(2)),
        ],
    );
    for bad in [json!([]), json!("busy"), json!({})] {
        check(
            HANDLER,
            json!({"source_agent_ids": [SALES], "callback_trigger_statuses": bad}),
            &[("INVALID_CALL_STATUS", "callback_trigger_statuses", None)],
        );
    }
}

#[test]
fn every_problem_at_once_target_first() {
    check(
        SALES,
        json!({"source_agent_ids": ["x"], "lookback_days": 0,
            "callback_trigger_statuses": ["nope"]}),
        &[
            ("INVALID_AGENT_DIRECTION", "agent_id", None),
            ("INVALID_SOURCE_AGENT_ID", "source_agent_ids", Some(0)),
            ("INVALID_LOOKBACK_DAYS", "lookback_days", None),
            ("INVALID_CALL_STATUS", "callback_trigger_statuses", Some(0)),
        ],
    );
}

#[test]
fn config_serialises_only_what_was_set() {
    let c = validate_callback_config(HANDLER, &json!({"source_agent_ids": [SALES]}), &directory())
        .unwrap();
    assert_eq!(
        serde_json::to_value(&c).unwrap(),
        json!({"source_agent_ids": [SALES]})
    );
    let c = validate_callback_config(
        HANDLER,
        &json!({"source_agent_ids": [SALES], "lookback_days": 14,
            "callback_trigger_statuses": ["no_answer"]}),
        &directory(),
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&c).unwrap(),
        json!({"source_agent_ids": [SALES], "lookback_days": 14,
            "callback_trigger_statuses": ["no-answer"]})
    );
}

#[test]
fn every_code_names_its_field() {
    let id: AgentId = SALES.parse().unwrap();
    let every = [
        ConfigError::AgentNotFound("x".into()),
        ConfigError::InvalidAgentDirection,
        ConfigError::SourceAgentIdsRequired,
        ConfigError::InvalidSourceAgentId {
            index: 0,
            value: "1".into(),
        },
        ConfigError::SourceAgentNotFound { index: 0, id },
        ConfigError::InvalidSourceAgentDirection {
            index: 0,
            id,
            name: "n".into(),
        },
        ConfigError::DuplicateSourceAgentId {
            index: 1,
            first: 0,
            id,
        },
        ConfigError::InvalidLookbackDays("0".into()),
        ConfigError::InvalidCallStatus {
            index: None,
            value: "1".into(),
        },
    ];
    for e in &every {
        assert_eq!(
            ConfigError::field_of_code(e.code()),
            Some(e.field()),
            "{e:?}"
        );
    }
    assert_eq!(ConfigError::field_of_code("NOT_A_CODE"), None);
}
