//! `POST /api/v1/callback-agents/{id}/check-constraints`: Talkover's dry-run body,
//! `{is_callback_agent, callback_source_agents, callback_trigger_statuses}`, validated by the
//! same rule as setting a configuration.

use serde_json::{Map, Value};

use crate::agent::{AgentDirectory, AgentId};
use crate::callback::{CallbackConfig, ConfigError, validate_callback_config};
use crate::error::ErrorCode;
use crate::wire::FieldError;

/// Where the documented body lists the source agents (ours, `source_agent_ids`, is read in
/// its place; sending both is refused).
pub const SOURCES_FIELD: &str = "callback_source_agents";

/// Validates a proposed configuration for `target` without saving anything. `Ok(None)`: the
/// proposal is to not be a callback agent (`is_callback_agent: false`), which any existing
/// agent may be. `Ok(Some(config))`: the configuration that setting it would store. None of
/// the fields is required by the docs: an absent `is_callback_agent` means `true`.
pub fn check_constraints(
    target: &str,
    body: &Value,
    directory: &AgentDirectory,
) -> Result<Option<CallbackConfig>, Vec<ConfigError>> {
    let wants_role = match body.get("is_callback_agent") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(vec![ConfigError::InvalidIsCallbackAgent(super::clip(
                other,
            ))]);
        }
    };
    if !wants_role {
        let exists = AgentId::parse(target)
            .ok()
            .and_then(|id| directory.get(&id))
            .is_some();
        return if exists {
            Ok(None)
        } else {
            Err(vec![ConfigError::AgentNotFound(crate::time::clip(target))])
        };
    }
    let mut proposal = Map::new();
    let given = |key: &str| body.get(key).filter(|v| !v.is_null());
    let sources = match (given(SOURCES_FIELD), given("source_agent_ids")) {
        (Some(_), Some(_)) => return Err(vec![ConfigError::BothSourceFields]),
        (documented, ours) => documented.or(ours),
    };
    for (key, value) in [
        ("source_agent_ids", sources),
        ("lookback_days", body.get("lookback_days")),
        (
            "callback_trigger_statuses",
            body.get("callback_trigger_statuses"),
        ),
    ] {
        if let Some(v) = value {
            proposal.insert(key.to_owned(), v.clone());
        }
    }
    validate_callback_config(target, &Value::Object(proposal), directory).map(Some)
}

/// The problems of a check, with the documented body's field names.
pub fn check_constraint_errors(errors: &[ConfigError]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|e| {
            let field = match e.field() {
                "source_agent_ids" => SOURCES_FIELD,
                other => other,
            };
            FieldError::new(
                e.code(),
                e.to_string().replace("source_agent_ids", SOURCES_FIELD),
                field,
                e.index(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::{Agent, Direction};
    use serde_json::json;

    const IN: &str = "5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c01";
    const OUT: &str = "5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c02";

    fn dir() -> AgentDirectory {
        let agent = |id: &str, direction| Agent {
            id: AgentId::parse(id).unwrap(),
            name: id.to_owned(),
            direction,
            phone_numbers: vec![],
            callback_config: None,
        };
        AgentDirectory::new([
            agent(IN, Direction::Inbound),
            agent(OUT, Direction::Outbound),
        ])
        .unwrap()
    }

    fn codes(r: Result<Option<CallbackConfig>, Vec<ConfigError>>) -> Vec<(String, String)> {
        check_constraint_errors(&r.unwrap_err())
            .into_iter()
            .map(|e| (e.code, e.field))
            .collect()
    }

    #[test]
    fn the_documented_body_is_checked_like_a_configuration() {
        let ok = check_constraints(
            IN,
            &json!({"is_callback_agent": true, "callback_source_agents": [OUT],
                "callback_trigger_statuses": ["no_answer", "voicemail", "busy"]}),
            &dir(),
        );
        assert_eq!(ok.unwrap().unwrap().source_agent_ids.len(), 1);
        assert_eq!(
            codes(check_constraints(
                IN,
                &json!({"callback_source_agents": [IN], "callback_trigger_statuses": ["maybe"]}),
                &dir()
            )),
            [
                (
                    "INVALID_SOURCE_AGENT_DIRECTION".to_owned(),
                    SOURCES_FIELD.to_owned()
                ),
                (
                    "INVALID_CALL_STATUS".to_owned(),
                    "callback_trigger_statuses".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn not_being_a_callback_agent_is_always_valid_for_an_agent_that_exists() {
        assert_eq!(
            check_constraints(OUT, &json!({"is_callback_agent": false}), &dir()),
            Ok(None)
        );
        let missing =
            check_constraints("nope", &json!({"is_callback_agent": false}), &dir()).unwrap_err();
        assert!(missing[0].is_not_found());
        assert_eq!(
            codes(check_constraints(
                IN,
                &json!({"is_callback_agent": "yes"}),
                &dir()
            )),
            [("INVALID_BOOLEAN".to_owned(), "is_callback_agent".to_owned())]
        );
    }
}
