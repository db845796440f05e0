//! The agent request parsers, pinned case by case.

use super::*;
use crate::wire::requests::test_support::{codes, pairs};
use serde_json::json;

#[test]
fn the_documented_create_body_is_read_whole() {
    let body = json!({
        "label": "Customer Support Agent", "description": "Handles customer inquiries and support \
            requests",
        "name": "SupportBot", "language": "en-US", "initial_message": "Hello, how can I help you \
            today?",
        "interrupt_sensitivity": "medium", "endpointing_sensitivity": "auto",
            "ivr_navigation_mode": "off",
        "conversation_speed": 1.0, "initial_message_delay": 0,
            "ask_if_human_present_on_idle": false,
        "idle_time_seconds": 5, "llm_temperature": 0.7, "enable_recording": true,
        "direction": "inbound", "who_speaks_first": "agent"
    });
    let a = parse_new_agent(&body).unwrap();
    assert_eq!(
        (a.name.as_str(), a.direction),
        ("SupportBot", Direction::Inbound)
    );
    assert_eq!(a.profile.label, "Customer Support Agent");
    assert_eq!(a.profile.settings.get("llm_temperature"), Some(&json!(0.7)));
    assert_eq!(a.profile.settings.len(), 5);
}

#[test]
fn only_name_and_direction_are_required_and_label_defaults_to_the_name() {
    let a = parse_new_agent(
        &json!({"name": " Sales ", "direction": "outbound", "phone_numbers": ["+14155550100"]}),
    )
    .unwrap();
    assert_eq!(
        (a.name.as_str(), a.profile.label.as_str()),
        ("Sales", "Sales")
    );
    assert_eq!(a.phone_numbers[0].to_string(), "+14155550100");
    assert_eq!(
        codes(parse_new_agent(&json!({}))),
        pairs(&[("FIELD_REQUIRED", "name"), ("FIELD_REQUIRED", "direction")])
    );
}

#[test]
fn every_bad_field_is_reported() {
    assert_eq!(
        codes(parse_new_agent(&json!({
            "name": "", "direction": "sideways", "language": "xx", "conversation_speed": 9,
            "initial_message_delay": -1, "who_speaks_first": "nobody", "llm_temperature": "hot",
            "phone_numbers": ["+0415", "+1 415 555 0100", "+14155550100", "+14155550100"]
        }))),
        pairs(&[
            ("INVALID_NAME", "name"),
            ("INVALID_DIRECTION", "direction"),
            ("INVALID_LANGUAGE", "language"),
            ("INVALID_NUMBER", "conversation_speed"),
            ("INVALID_NUMBER", "initial_message_delay"),
            ("INVALID_WHO_SPEAKS_FIRST", "who_speaks_first"),
            ("INVALID_NUMBER", "llm_temperature"),
            ("INVALID_PHONE_NUMBER", "phone_numbers"),
            // in a list, a number is written plainly: one spelling, so a repeat is a repeat
            ("INVALID_PHONE_NUMBER", "phone_numbers"),
            ("DUPLICATE_PHONE_NUMBER", "phone_numbers"),
        ])
    );
    assert_eq!(
        codes(parse_new_agent(&json!([1]))),
        pairs(&[("INVALID_BODY", "body")])
    );
}

#[test]
fn names_refuse_invisible_and_direction_changing_characters() {
    for name in [
        "Sales\u{202E}tuO",
        "Sa\u{200B}les",
        "\u{2066}Sales",
        "Sales\u{7}",
    ] {
        assert_eq!(
            codes(parse_new_agent(
                &json!({"name": name, "direction": "inbound"})
            )),
            pairs(&[("INVALID_NAME", "name")]),
            "{name:?}"
        );
    }
    let accented = json!({"name": "Ventes – Île-de-France", "direction": "inbound"});
    assert!(parse_new_agent(&accented).is_ok());
}

#[test]
fn patches_change_what_they_name() {
    assert_eq!(
        codes(parse_agent_patch(
            &json!({"direction": "inbound", "id": "x"})
        )),
        pairs(&[
            ("FIELD_NOT_EDITABLE", "direction"),
            ("FIELD_NOT_EDITABLE", "id")
        ])
    );
    let p =
        parse_agent_patch(&json!({"name": "New", "label": "Shown", "current_status": "published"}))
            .unwrap();
    assert_eq!(
        (p.name.as_deref(), p.status),
        (Some("New"), Some(AgentStatus::Published))
    );
    assert_eq!(p.apply(&AgentProfile::for_name("Old")).label, "Shown");
    assert_eq!(
        codes(parse_agent_patch(&json!({"current_status": "live"}))),
        pairs(&[("INVALID_STATUS", "current_status")])
    );
}

#[test]
fn calling_updates() {
    let id = "5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c01";
    let c =
        parse_calling_update(&json!({"direction": "outbound", "phone_number_ids": [id]})).unwrap();
    assert_eq!(c.phone_number_ids.unwrap().len(), 1);
    assert_eq!(
        parse_calling_update(&json!({"direction": "inbound"}))
            .unwrap()
            .phone_number_ids,
        None
    );
    assert_eq!(
        codes(parse_calling_update(
            &json!({"phone_number_ids": [id, id, 7]})
        )),
        pairs(&[
            ("FIELD_REQUIRED", "direction"),
            ("DUPLICATE_PHONE_NUMBER_ID", "phone_number_ids"),
            ("INVALID_PHONE_NUMBER_ID", "phone_number_ids"),
        ])
    );
}

#[test]
fn knowledge_updates_follow_the_documented_constraints() {
    let k = parse_knowledge_update(&json!({
        "description": "Updated agent description with more details",
        "initial_message": "Hello! Welcome to our support line. How may I assist you today?",
        "interrupt_sensitivity": "high", "ask_if_human_present_on_idle": true,
        "llm_temperature": 0.8, "initial_message_delay": 2
    }))
    .unwrap();
    assert_eq!(k.initial_message_delay, 2);
    assert_eq!(
        codes(parse_knowledge_update(
            &json!({"description": "hi", "initial_message": "yo"})
        )),
        pairs(&[
            ("INVALID_TEXT", "description"),
            ("INVALID_TEXT", "initial_message"),
            ("FIELD_REQUIRED", "interrupt_sensitivity"),
            ("FIELD_REQUIRED", "ask_if_human_present_on_idle"),
            ("FIELD_REQUIRED", "llm_temperature"),
            ("FIELD_REQUIRED", "initial_message_delay"),
        ])
    );
}

#[test]
fn new_knowledge_takes_a_published_agent_back_to_draft() {
    let k = parse_knowledge_update(&json!({
        "description": "Updated agent description with more details",
        "interrupt_sensitivity": "high", "ask_if_human_present_on_idle": true,
        "llm_temperature": 0.8, "initial_message_delay": 2
    }))
    .unwrap();
    let created = crate::time::Timestamp::parse("2024-01-01T00:00:00Z").unwrap();
    let at = crate::time::Timestamp::parse("2024-02-01T00:00:00Z").unwrap();
    let agent = crate::agent::AgentRecord {
        id: crate::agent::AgentId::from_u128(1),
        name: "Support".into(),
        direction: Direction::Inbound,
        callback_config: None,
        status: crate::agent::AgentStatus::Published,
        profile: crate::agent::AgentProfile::for_name("Support"),
        created_at: created,
        updated_at: created,
    };
    let changed = k.apply_to(&agent, at);
    assert_eq!(changed.status, crate::agent::AgentStatus::Draft);
    assert_eq!(
        (
            changed.name.as_str(),
            changed.updated_at,
            changed.created_at
        ),
        ("Support", at, created)
    );
    assert_eq!(
        changed.profile.description.as_deref(),
        Some("Updated agent description with more details")
    );
}
