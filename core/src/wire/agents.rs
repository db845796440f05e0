//! Reading an agent list received from an API (`GET /api/v1/agents`) back into a directory,
//! so a client can run the same rules the server ran: validate a callback configuration,
//! route a call, name agents in stats.

use serde::Deserialize;

use super::FieldError;
use super::talkover::{AgentBody, CallbackConfigBody};
use crate::agent::{Agent, AgentDirectory, AgentId};
use crate::call::CallStatus;
use crate::callback::{CallbackConfig, LookbackDays};
use crate::error::ErrorCode;
use crate::phone::PhoneNumber;

/// An agent as a server lists it, as far as the rules go: the documented agent object
/// ([`AgentBody`]) or just the fields rules read ([`AgentRules`]).
pub trait ListedAgent {
    /// Its id.
    fn id(&self) -> &str;
    /// Its name.
    fn name(&self) -> &str;
    /// Its direction.
    fn direction(&self) -> crate::agent::Direction;
    /// Its numbers, as written.
    fn numbers(&self) -> Vec<&str>;
    /// Its callback role.
    fn callback_config(&self) -> Option<&CallbackConfigBody>;
}

impl ListedAgent for AgentBody {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn direction(&self) -> crate::agent::Direction {
        self.direction
    }
    fn numbers(&self) -> Vec<&str> {
        AgentBody::numbers(self).collect()
    }
    fn callback_config(&self) -> Option<&CallbackConfigBody> {
        self.callback_config.as_ref()
    }
}

/// What the rules read of an agent object: a client that only routes or validates need not
/// read voice settings, trainings and actions.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AgentRules {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Direction.
    pub direction: crate::agent::Direction,
    /// Numbers.
    #[serde(default)]
    pub phone_numbers: Vec<NumberField>,
    /// Callback role.
    #[serde(default)]
    pub callback_config: Option<CallbackConfigBody>,
}

/// `{"number": ...}` of an agent's phone number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NumberField {
    /// E.164.
    pub number: String,
}

impl ListedAgent for AgentRules {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn direction(&self) -> crate::agent::Direction {
        self.direction
    }
    fn numbers(&self) -> Vec<&str> {
        self.phone_numbers
            .iter()
            .map(|n| n.number.as_str())
            .collect()
    }
    fn callback_config(&self) -> Option<&CallbackConfigBody> {
        self.callback_config.as_ref()
    }
}

/// The directory of agents read from an API, and what could not be read.
#[derive(Debug, Clone, Default)]
pub struct DirectoryRead {
    /// The agents that could be read.
    pub directory: AgentDirectory,
    /// Why each other agent was left out (its position in `index`, its field as a path,
    /// `agents[2].id`): a client shows these instead of silently dropping the agent.
    pub problems: Vec<FieldError>,
}

/// Reads the agents a server listed into a directory, leaving out (and reporting) any agent
/// the rules cannot use: an id that is not a UUID (the docs' own `agent-uuid-1`), a number
/// that is not E.164, a callback configuration that does not parse, or a number another agent
/// of the list already owns.
///
/// ```
/// use dialback_core::wire::{agents::directory_from_bodies, talkover::AgentBody};
///
/// let agents: Vec<AgentBody> = serde_json::from_str(r#"[{
///     "id": "5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c01", "name": "Sales Outbound",
///     "direction": "outbound", "phone_numbers": [{"id": "n1", "number": "+14155550100"}]
/// }, {"id": "agent-uuid-2", "name": "Survey Outbound", "direction": "outbound"}]"#).unwrap();
/// let read = directory_from_bodies(&agents);
/// assert_eq!(read.directory.len(), 1);
/// assert_eq!(read.problems[0].field, "agents[1].id");
/// ```
pub fn directory_from_bodies<A: ListedAgent>(bodies: &[A]) -> DirectoryRead {
    let mut read = DirectoryRead::default();
    for (i, body) in bodies.iter().enumerate() {
        let before = read.problems.len();
        let Some(agent) = agent_from_body(body, i, &mut read.problems) else {
            continue;
        };
        if read.problems.len() > before {
            continue;
        }
        if let Err(e) = read.directory.insert(agent) {
            read.problems.push(FieldError::new(
                e.code(),
                e.to_string(),
                &format!("agents[{i}].phone_numbers"),
                Some(i),
            ));
        }
    }
    read
}

fn agent_from_body<A: ListedAgent>(
    body: &A,
    i: usize,
    errors: &mut Vec<FieldError>,
) -> Option<Agent> {
    let before = errors.len();
    let mut fail = |code: &str, message: String, field: &str| {
        errors.push(FieldError::new(
            code,
            message,
            &format!("agents[{i}].{field}"),
            Some(i),
        ));
    };
    let id = AgentId::parse(body.id())
        .map_err(|e| fail(e.code(), e.to_string(), "id"))
        .ok();
    let mut phone_numbers = Vec::new();
    for n in body.numbers() {
        match PhoneNumber::parse(n) {
            Ok(n) => phone_numbers.push(n),
            Err(e) => fail(e.code(), e.to_string(), "phone_numbers"),
        }
    }
    let callback_config = body
        .callback_config()
        .and_then(|c| config_from_body(c, &mut fail));
    (errors.len() == before).then_some(())?;
    Some(Agent {
        id: id?,
        name: body.name().to_owned(),
        direction: body.direction(),
        phone_numbers,
        callback_config,
    })
}

fn config_from_body(
    body: &CallbackConfigBody,
    fail: &mut impl FnMut(&str, String, &str),
) -> Option<CallbackConfig> {
    let mut ok = true;
    let mut source_agent_ids = Vec::with_capacity(body.source_agent_ids.len());
    for id in &body.source_agent_ids {
        match AgentId::parse(id) {
            Ok(id) => source_agent_ids.push(id),
            Err(e) => {
                ok = false;
                fail(
                    "INVALID_SOURCE_AGENT_ID",
                    e.to_string(),
                    "callback_config.source_agent_ids",
                );
            }
        }
    }
    let lookback_days = match body.lookback_days.map(LookbackDays::try_from).transpose() {
        Ok(days) => days,
        Err(message) => {
            ok = false;
            fail(
                "INVALID_LOOKBACK_DAYS",
                message,
                "callback_config.lookback_days",
            );
            None
        }
    };
    let callback_trigger_statuses = body.callback_trigger_statuses.as_ref().map(|list| {
        list.iter()
            .filter_map(|s| {
                let status = CallStatus::parse(s);
                if status.is_none() {
                    ok = false;
                    fail(
                        "INVALID_CALL_STATUS",
                        format!("unknown call status {s:?}"),
                        "callback_config.callback_trigger_statuses",
                    );
                }
                status
            })
            .collect()
    });
    ok.then_some(CallbackConfig {
        source_agent_ids,
        lookback_days,
        callback_trigger_statuses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(json: &str, expected_codes: &[&str]) -> usize {
        let bodies: Vec<AgentBody> = serde_json::from_str(json).unwrap();
        let read = directory_from_bodies(&bodies);
        let codes: Vec<&str> = read.problems.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, expected_codes, "{:?}", read.problems);
        read.directory.len()
    }

    const OUT: &str = "5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c01";
    const IN: &str = "5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c02";

    #[test]
    fn reads_what_the_server_returns() {
        let json = format!(
            r#"[{{"id":"{OUT}","name":"Sales","direction":"outbound",
                 "phone_numbers":[{{"id":"a","number":"+14155550100"}}],"callback_config":null}},
               {{"id":"{IN}","name":"Callbacks","direction":"inbound",
                 "phone_numbers":[{{"id":"b","number":"+14155550199"}}],
                 "callback_config":{{"source_agent_ids":["{OUT}"],"lookback_days":7,
                   "callback_trigger_statuses":["no_answer"]}}}}]"#
        );
        assert_eq!(check(&json, &[]), 2);
    }

    #[test]
    fn leaves_out_and_reports_every_agent_it_cannot_use() {
        let n = check(
            &format!(
                r#"[{{"id":"agent-uuid-1","name":"A","direction":"inbound",
                 "phone_numbers":[{{"number":"555"}}],
                 "callback_config":{{"source_agent_ids":["x"],"lookback_days":0,
                   "callback_trigger_statuses":["maybe"]}}}},
                 {{"id":"{OUT}","name":"B","direction":"outbound"}}]"#
            ),
            &[
                "INVALID_AGENT_ID",
                "INVALID_PHONE_NUMBER",
                "INVALID_SOURCE_AGENT_ID",
                "INVALID_LOOKBACK_DAYS",
                "INVALID_CALL_STATUS",
            ],
        );
        assert_eq!(n, 1);
    }

    #[test]
    fn reports_a_number_owned_twice() {
        let n = check(
            &format!(
                r#"[{{"id":"{OUT}","name":"A","direction":"outbound",
                   "phone_numbers":[{{"number":"+14155550100"}}]}},
                   {{"id":"{IN}","name":"B","direction":"inbound",
                   "phone_numbers":[{{"number":"+14155550100"}}]}}]"#
            ),
            &["NUMBER_ALREADY_ASSIGNED"],
        );
        assert_eq!(n, 1);
    }
}
