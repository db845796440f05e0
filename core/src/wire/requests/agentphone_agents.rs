//! AgentPhone's agent writes (`POST /v1/agents`, `PATCH /v1/agents/{id}`,
//! `POST /v1/agents/{id}/numbers`), read as the Talkover bodies Dialback already checks, so
//! one agent follows one set of rules whichever API changes it. The keys that map onto
//! Dialback's agent are `name`, `description`, `beginMessage` (the first utterance) and
//! `language`, with `direction` as an extension (`inbound` by default: AgentPhone's agent
//! has none); the voice runtime's settings (`voiceMode`, `voice`, `systemPrompt`, ...) are
//! kept with the agent's settings on create, and ignored on update: Dialback runs no voice.

use serde_json::{Map, Value};

use super::RequestError;
use super::agents::{AgentPatch, NewAgent, parse_agent_patch, parse_new_agent};
use crate::error::ErrorCode;
use crate::wire::agentphone::ValidationDetail;

/// AgentPhone's key for each Talkover key it maps onto.
const KEYS: [(&str, &str); 5] = [
    ("name", "name"),
    ("description", "description"),
    ("beginMessage", "initial_message"),
    ("language", "language"),
    ("direction", "direction"),
];

fn agentphone_key(talkover: &str) -> &str {
    KEYS.iter()
        .find_map(|(a, t)| (*t == talkover).then_some(*a))
        .unwrap_or(talkover)
}

fn details(errors: &[RequestError]) -> Vec<ValidationDetail> {
    errors
        .iter()
        .map(|e| {
            let kind = match e.code() {
                "FIELD_REQUIRED" => "missing",
                _ => "value_error",
            };
            ValidationDetail::body(agentphone_key(e.field()), kind, e.to_string(), None)
        })
        .collect()
}

/// The body as Talkover's, and the keys that do not map.
fn translate(
    body: &Value,
    creating: bool,
) -> Result<(Value, Map<String, Value>), Vec<ValidationDetail>> {
    let Some(map) = body.as_object() else {
        return Err(vec![ValidationDetail::body(
            "body",
            "model_attributes_type",
            "Input should be a valid dictionary or object to extract fields from",
            None,
        )]);
    };
    let mut talkover = Map::new();
    let mut rest = Map::new();
    for (key, value) in map {
        match KEYS.iter().find(|(a, _)| a == key) {
            // `null` clears an optional text, as AgentPhone's nullable fields do
            Some((_, t)) if !(value.is_null() && *t == "name") => {
                talkover.insert((*t).to_owned(), value.clone());
            }
            Some(_) => {}
            None => {
                rest.insert(key.clone(), value.clone());
            }
        }
    }
    if creating && !talkover.contains_key("direction") {
        talkover.insert("direction".into(), Value::from("inbound"));
    }
    Ok((Value::Object(talkover), rest))
}

/// `POST /v1/agents`.
pub fn parse_agentphone_new_agent(body: &Value) -> Result<NewAgent, Vec<ValidationDetail>> {
    let (talkover, rest) = translate(body, true)?;
    let mut agent = parse_new_agent(&talkover).map_err(|e| details(&e))?;
    agent.profile.settings.extend(rest);
    Ok(agent)
}

/// `PATCH /v1/agents/{id}`: the keys that map; `direction` is changed through Talkover's
/// `PUT /api/v1/agents/{id}/calling`, which checks the callback roles.
pub fn parse_agentphone_agent_patch(body: &Value) -> Result<AgentPatch, Vec<ValidationDetail>> {
    let (mut talkover, _) = translate(body, false)?;
    if let Some(map) = talkover.as_object_mut()
        && map.remove("direction").is_some()
    {
        return Err(vec![ValidationDetail::body(
            "direction",
            "value_error",
            "direction is changed with PUT /api/v1/agents/{id}/calling, which checks the agent's \
             callback roles",
            None,
        )]);
    }
    parse_agent_patch(&talkover).map_err(|e| details(&e))
}

/// `POST /v1/agents/{id}/numbers`: `{"numberId": ...}`.
pub fn parse_attach_number(body: &Value) -> Result<String, Vec<ValidationDetail>> {
    match body.get("numberId") {
        Some(Value::String(id)) if !id.trim().is_empty() && id.len() <= 100 => {
            Ok(id.trim().to_owned())
        }
        Some(v) => Err(vec![ValidationDetail::body(
            "numberId",
            "string_type",
            "numberId must be the id of one of this environment's numbers",
            Some(v.clone()),
        )]),
        None => Err(vec![ValidationDetail::body(
            "numberId",
            "missing",
            "Field required",
            None,
        )]),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::agent::Direction;

    #[test]
    fn agentphone_keys_map_onto_the_agent_and_problems_keep_their_names() {
        let agent = parse_agentphone_new_agent(
            &json!({"name": " Front desk ", "beginMessage": "Hello there",
                "voiceMode": "hosted", "language": "en-US"}),
        )
        .unwrap();
        assert_eq!(agent.name, "Front desk");
        assert_eq!(agent.direction, Direction::Inbound);
        assert_eq!(
            agent.profile.initial_message.as_deref(),
            Some("Hello there")
        );
        assert_eq!(agent.profile.settings["voiceMode"], "hosted");
        let errors = parse_agentphone_new_agent(&json!({"beginMessage": 5})).unwrap_err();
        let locs: Vec<_> = errors.iter().map(|d| d.loc[1].clone()).collect();
        assert!(locs.contains(&json!("name")), "{locs:?}");
        assert!(locs.contains(&json!("beginMessage")), "{locs:?}");
        assert!(parse_agentphone_agent_patch(&json!({"direction": "outbound"})).is_err());
        assert_eq!(
            parse_attach_number(&json!({"numberId": "n1"})).unwrap(),
            "n1"
        );
        assert!(parse_attach_number(&json!({})).is_err());
    }
}
