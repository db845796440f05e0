//! Recording calls and messages: `POST /api/v1/calls`, each line of an import, and
//! `POST /api/v1/messages` (Dialback's extensions: Talkover places calls itself).

use serde_json::Value;

use super::{
    Expected, MAX_DURATION_SECONDS, MAX_EXTERNAL_ID_CHARS, MAX_FROM_CHARS, Reader, RequestError,
};
use crate::agent::{AgentDirectory, AgentId, Direction};
use crate::call::CallStatus;
use crate::callback::Caller;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

/// `POST /api/v1/calls` (and each line of an import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCall {
    /// Caller-supplied idempotency key.
    pub external_id: Option<String>,
    /// Which way.
    pub direction: Direction,
    /// The outbound agent (outbound calls only).
    pub agent_id: Option<AgentId>,
    /// The caller, as presented (inbound: may be withheld or invalid).
    pub from_raw: Option<String>,
    /// The dialed number.
    pub to: PhoneNumber,
    /// When it started.
    pub started_at: Timestamp,
    /// How it went.
    pub status: CallStatus,
    /// How long it lasted.
    pub duration_seconds: u32,
}

impl NewCall {
    /// The caller, classified for routing.
    pub fn caller(&self) -> Caller {
        Caller::parse(self.from_raw.as_deref())
    }

    /// Checks this call against the one stored under its `external_id`: the same call sent
    /// again is a retry (the stored call is the answer), a different one a conflict.
    pub fn retry_of(&self, stored: &crate::call::CallRecord) -> Result<(), ExternalIdConflict> {
        if self.same_as(stored) {
            return Ok(());
        }
        Err(ExternalIdConflict {
            external_id: crate::time::clip(stored.external_id.as_deref().unwrap_or_default()),
            stored: stored.id,
        })
    }

    /// Whether a stored call is this same call, sent again: the same content under the same
    /// `external_id` is a retry; different content is a client bug that must not pass
    /// silently.
    pub fn same_as(&self, stored: &crate::call::CallRecord) -> bool {
        let placed_by = match self.direction {
            Direction::Outbound => self.agent_id,
            Direction::Inbound => None,
        };
        let stored_placer = match stored.direction {
            Direction::Outbound => stored.agent_id,
            Direction::Inbound => None,
        };
        self.direction == stored.direction
            && placed_by == stored_placer
            && self.from_raw == stored.from
            && self.to == stored.to
            && self.started_at == stored.started_at
            && self.status == stored.status
            && self.duration_seconds == stored.duration_seconds
    }
}

/// `POST /api/v1/messages`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// The agent, or none.
    pub agent_id: Option<AgentId>,
    /// Which way.
    pub direction: Direction,
    /// Sender.
    pub from: PhoneNumber,
    /// Recipient.
    pub to: PhoneNumber,
    /// When.
    pub sent_at: Timestamp,
}

/// Parses a call: outbound `{direction, agent_id, to, from?, started_at, status,
/// duration_seconds?, external_id?}` or inbound `{direction, from, to, started_at, status,
/// duration_seconds?, external_id?}`. An inbound `from` may be anything up to 256 characters
/// (withheld, anonymous, a SIP URI): routing classifies it. `sid` is read as `external_id`.
pub fn parse_new_call(body: &Value) -> Result<NewCall, Vec<RequestError>> {
    let mut r = Reader::new(body);
    let direction = r.required("direction");
    let direction = r.direction(direction);
    let agent_id = match direction {
        Some(Direction::Outbound) => {
            let v = r.required("agent_id");
            r.agent_id("agent_id", v)
        }
        _ => {
            if let Some(v) = r.get("agent_id") {
                // an inbound call belongs to the owner of the dialed number
                r.fail("agent_id", Expected::AgentId, v);
            }
            None
        }
    };
    let from_value = r.get("from");
    let from_raw = match direction {
        Some(Direction::Inbound) => {
            let raw = r.string("from", from_value, Expected::Caller);
            match raw {
                Some(s) if s.chars().count() > MAX_FROM_CHARS => {
                    r.fail("from", Expected::Caller, from_value.unwrap_or(&Value::Null));
                    None
                }
                other => other.map(str::to_owned),
            }
        }
        _ => r.number("from", from_value).map(|n| n.to_string()),
    };
    let to = r.required("to");
    let to = r.number("to", to);
    let started_at = r.required("started_at");
    let started_at = r.timestamp("started_at", started_at);
    let status = r.required("status");
    let status = r.parsed("status", status, Expected::CallStatus, CallStatus::parse);
    let duration_seconds = match r.get("duration_seconds") {
        None => Some(0),
        Some(v) => {
            let d = super::whole_number(v)
                .filter(|d| *d <= MAX_DURATION_SECONDS)
                .and_then(|d| u32::try_from(d).ok());
            if d.is_none() {
                r.fail("duration_seconds", Expected::Duration, v);
            }
            d
        }
    };
    let key = if r.get("external_id").is_some() {
        "external_id"
    } else {
        "sid"
    };
    let external_id = match r.get(key) {
        None => Some(None),
        Some(v) => match v.as_str() {
            Some(s) if !s.is_empty() && s.chars().count() <= MAX_EXTERNAL_ID_CHARS => {
                Some(Some(s.to_owned()))
            }
            _ => {
                r.fail("external_id", Expected::ExternalId, v);
                None
            }
        },
    };
    let value = match (
        direction,
        to,
        started_at,
        status,
        duration_seconds,
        external_id,
    ) {
        (
            Some(direction),
            Some(to),
            Some(started_at),
            Some(status),
            Some(duration_seconds),
            Some(external_id),
        ) if direction == Direction::Inbound || agent_id.is_some() => Some(NewCall {
            external_id,
            direction,
            agent_id,
            from_raw,
            to,
            started_at,
            status,
            duration_seconds,
        }),
        _ => None,
    };
    r.finish(value)
}

/// Checks the agent a call or message names against the directory: it must exist, and an
/// outbound call's agent must be outbound.
pub fn check_agent_reference(
    agent_id: Option<AgentId>,
    outbound_call: bool,
    directory: &AgentDirectory,
) -> Result<(), RequestError> {
    let Some(id) = agent_id else { return Ok(()) };
    match directory.get(&id) {
        None => Err(RequestError::AgentNotFound {
            field: "agent_id",
            id,
        }),
        Some(a) if outbound_call && a.direction != Direction::Outbound => {
            Err(RequestError::AgentDirection {
                field: "agent_id",
                id,
                name: a.name.clone(),
                required: "outbound",
                purpose: "place outbound calls",
            })
        }
        Some(_) => Ok(()),
    }
}

/// Parses `POST /api/v1/messages`: `{agent_id | null, direction, from, to, sent_at}`.
pub fn parse_new_message(body: &Value) -> Result<NewMessage, Vec<RequestError>> {
    let mut r = Reader::new(body);
    let agent = r.get("agent_id");
    let agent_id = match agent {
        Some(_) => r.agent_id("agent_id", agent).map(Some),
        None => Some(None),
    };
    let direction = r.required("direction");
    let direction = r.direction(direction);
    let from = r.required("from");
    let from = r.number("from", from);
    let to = r.required("to");
    let to = r.number("to", to);
    let sent_at = r.required("sent_at");
    let sent_at = r.timestamp("sent_at", sent_at);
    let value = match (agent_id, direction, from, to, sent_at) {
        (Some(agent_id), Some(direction), Some(from), Some(to), Some(sent_at)) => {
            Some(NewMessage {
                agent_id,
                direction,
                from,
                to,
                sent_at,
            })
        }
        _ => None,
    };
    r.finish(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::requests::test_support::{codes, pairs};
    use serde_json::json;

    #[test]
    fn the_same_call_again_is_a_retry_and_another_a_conflict_with_its_code() {
        let body = json!({"direction": "inbound", "from": "+14155551001", "to": "+14155550100",
            "started_at": "2024-01-01T00:00:00Z", "status": "completed", "duration_seconds": 30,
            "external_id": "CA1"});
        let call = parse_new_call(&body).unwrap();
        let stored = crate::call::CallRecord {
            id: crate::call::CallId(7),
            external_id: Some("CA1".into()),
            direction: Direction::Inbound,
            agent_id: None,
            from: call.from_raw.clone(),
            to: call.to,
            started_at: call.started_at,
            status: call.status,
            duration_seconds: 30,
            routing: None,
        };
        assert_eq!(call.retry_of(&stored), Ok(()));
        let mut other = body.clone();
        other["duration_seconds"] = json!(31);
        let longer = parse_new_call(&other).unwrap();
        let e = longer.retry_of(&stored).unwrap_err();
        assert_eq!(crate::error::ErrorCode::code(&e), "EXTERNAL_ID_CONFLICT");
        assert!(e.to_string().contains("(call 7)"), "{e}");
    }

    #[test]
    fn calls() {
        let c = parse_new_call(&json!({"direction": "inbound", "from": "anonymous",
            "to": "+14155550100", "started_at": "2024-01-01T00:00:00Z", "status": "no_answer",
            "sid": "CA1"}))
        .unwrap();
        assert_eq!(
            (
                c.caller(),
                c.status,
                c.duration_seconds,
                c.external_id.as_deref()
            ),
            (Caller::Anonymous, CallStatus::NoAnswer, 0, Some("CA1"))
        );
        assert_eq!(
            codes(parse_new_call(
                &json!({"direction": "outbound", "to": "x", "started_at": "yesterday",
                    "status": "done", "duration_seconds": -1, "external_id": ""})
            )),
            pairs(&[
                ("FIELD_REQUIRED", "agent_id"),
                ("INVALID_PHONE_NUMBER", "to"),
                ("INVALID_TIMESTAMP", "started_at"),
                ("INVALID_CALL_STATUS", "status"),
                ("INVALID_DURATION", "duration_seconds"),
                ("INVALID_EXTERNAL_ID", "external_id"),
            ])
        );
        assert_eq!(
            codes(parse_new_call(
                &json!({"direction": "inbound", "agent_id": "x", "from": "+1", "to": "+14155550100",
                    "started_at": "2024-01-01T00:00:00Z", "status": "completed"})
            )),
            pairs(&[("INVALID_AGENT_ID", "agent_id")])
        );
    }

    #[test]
    fn an_inbound_caller_is_bounded() {
        let long = "9".repeat(MAX_FROM_CHARS + 1);
        assert_eq!(
            codes(parse_new_call(
                &json!({"direction": "inbound", "from": long, "to": "+14155550100",
                    "started_at": "2024-01-01T00:00:00Z", "status": "completed"})
            )),
            pairs(&[("INVALID_CALLER", "from")])
        );
    }

    #[test]
    fn messages() {
        let m = parse_new_message(&json!({"agent_id": null, "direction": "inbound",
            "from": "+14155550100", "to": "+14155550101",
            "sent_at": "2024-01-01T00:00:00Z"}))
        .unwrap();
        assert_eq!(m.agent_id, None);
        assert_eq!(
            codes(parse_new_message(&json!({"direction": "inbound"}))),
            pairs(&[
                ("FIELD_REQUIRED", "from"),
                ("FIELD_REQUIRED", "to"),
                ("FIELD_REQUIRED", "sent_at")
            ])
        );
    }
}

/// A call sent under an `external_id` that was stored before with different content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "external_id {external_id:?} was recorded before (call {stored}) with different content; \
     send the same call to retry it, or another external_id for another call"
)]
pub struct ExternalIdConflict {
    /// The `external_id`, clipped.
    pub external_id: String,
    /// The call stored under it.
    pub stored: crate::call::CallId,
}

impl crate::error::ErrorCode for ExternalIdConflict {
    fn code(&self) -> &'static str {
        "EXTERNAL_ID_CONFLICT"
    }
}
