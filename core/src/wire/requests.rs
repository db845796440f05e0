//! Parsing the server's write requests (agents, calls, messages, routing simulation) into
//! domain values, reporting every problem with its field — the same rules for the server, the
//! console and npm users.

use serde_json::{Map, Value};

use super::FieldError;
use crate::agent::{AgentId, Direction};
use crate::call::CallStatus;
use crate::callback::Caller;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

/// The longest agent name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest `external_id` accepted, in bytes.
pub const MAX_EXTERNAL_ID_BYTES: usize = 200;
/// The longest call accepted: one day.
pub const MAX_DURATION_SECONDS: u64 = 86_400;

/// `POST /api/v1/agents`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgent {
    /// Display name, trimmed, 1–200 characters.
    pub name: String,
    /// Inbound or outbound.
    pub direction: Direction,
    /// Numbers in E.164, without repeats.
    pub phone_numbers: Vec<PhoneNumber>,
}

/// `PATCH /api/v1/agents/{id}`: what to change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgentPatch {
    /// New name.
    pub name: Option<String>,
    /// New set of numbers (replaces the old one).
    pub phone_numbers: Option<Vec<PhoneNumber>>,
}

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
    /// The caller as a number, when it is one.
    pub from: Option<PhoneNumber>,
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

/// `POST /api/v1/routing/simulate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    /// The caller.
    pub from: Caller,
    /// The dialed number.
    pub to: PhoneNumber,
    /// When (default: now).
    pub at: Option<Timestamp>,
}

/// Collects problems while reading one JSON object.
struct Reader<'a> {
    body: Option<&'a Map<String, Value>>,
    errors: Vec<FieldError>,
}

impl<'a> Reader<'a> {
    fn new(body: &'a Value) -> Self {
        let mut errors = Vec::new();
        let body = body.as_object();
        if body.is_none() {
            errors.push(FieldError::new(
                "INVALID_BODY",
                "the request body must be a JSON object",
                "body",
                None,
            ));
        }
        Reader { body, errors }
    }

    fn get(&self, field: &str) -> Option<&'a Value> {
        self.body?.get(field).filter(|v| !v.is_null())
    }

    fn fail(&mut self, code: &str, field: &str, message: String) {
        self.errors
            .push(FieldError::new(code, message, field, None));
    }

    fn required(&mut self, field: &str) -> Option<&'a Value> {
        let v = self.get(field);
        if v.is_none() && self.body.is_some() {
            self.fail("FIELD_REQUIRED", field, format!("{field} is required"));
        }
        v
    }

    fn string(&mut self, field: &str, v: Option<&'a Value>, code: &str) -> Option<&'a str> {
        let v = v?;
        let s = v.as_str();
        if s.is_none() {
            self.fail(
                code,
                field,
                format!("{field} must be a string, got {}", clip(v)),
            );
        }
        s
    }

    fn direction(&mut self, v: Option<&'a Value>) -> Option<Direction> {
        let s = self.string("direction", v, "INVALID_DIRECTION")?;
        let d = Direction::parse(s);
        if d.is_none() {
            self.fail(
                "INVALID_DIRECTION",
                "direction",
                format!("direction must be inbound or outbound, got {s:?}"),
            );
        }
        d
    }

    fn number(&mut self, field: &str, v: Option<&'a Value>) -> Option<PhoneNumber> {
        let s = self.string(field, v, "INVALID_PHONE_NUMBER")?;
        match PhoneNumber::parse(s) {
            Ok(n) => Some(n),
            Err(e) => {
                self.fail("INVALID_PHONE_NUMBER", field, format!("{field}: {e}"));
                None
            }
        }
    }

    fn timestamp(&mut self, field: &str, v: Option<&'a Value>) -> Option<Timestamp> {
        let s = self.string(field, v, "INVALID_TIMESTAMP")?;
        match Timestamp::parse(s) {
            Ok(t) => Some(t),
            Err(e) => {
                self.fail("INVALID_TIMESTAMP", field, format!("{field}: {e}"));
                None
            }
        }
    }

    fn agent_id(&mut self, field: &str, v: Option<&'a Value>) -> Option<AgentId> {
        let s = self.string(field, v, "INVALID_AGENT_ID")?;
        match AgentId::parse(s) {
            Ok(id) => Some(id),
            Err(e) => {
                self.fail("INVALID_AGENT_ID", field, format!("{field}: {e}"));
                None
            }
        }
    }

    fn name(&mut self, v: Option<&'a Value>) -> Option<String> {
        let s = self.string("name", v, "INVALID_NAME")?.trim();
        let chars = s.chars().count();
        if chars == 0 || chars > MAX_NAME_CHARS || s.chars().any(char::is_control) {
            self.fail(
                "INVALID_NAME",
                "name",
                format!("name must be 1 to {MAX_NAME_CHARS} characters with no control characters, got {chars}"),
            );
            return None;
        }
        Some(s.to_owned())
    }

    fn numbers(&mut self, v: Option<&'a Value>) -> Option<Vec<PhoneNumber>> {
        let v = v?;
        let Some(items) = v.as_array() else {
            self.fail(
                "INVALID_PHONE_NUMBER",
                "phone_numbers",
                format!("phone_numbers must be an array, got {}", clip(v)),
            );
            return None;
        };
        let mut out: Vec<PhoneNumber> = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let parsed = item.as_str().map(PhoneNumber::parse);
            match parsed {
                Some(Ok(n)) if out.contains(&n) => {
                    ok = false;
                    self.errors.push(FieldError::new(
                        "DUPLICATE_PHONE_NUMBER",
                        format!("phone_numbers[{i}]: {n} is listed twice"),
                        "phone_numbers",
                        Some(i),
                    ));
                }
                Some(Ok(n)) => out.push(n),
                Some(Err(e)) => {
                    ok = false;
                    self.errors.push(FieldError::new(
                        "INVALID_PHONE_NUMBER",
                        format!("phone_numbers[{i}]: {e}"),
                        "phone_numbers",
                        Some(i),
                    ));
                }
                None => {
                    ok = false;
                    self.errors.push(FieldError::new(
                        "INVALID_PHONE_NUMBER",
                        format!("phone_numbers[{i}] must be a string, got {}", clip(item)),
                        "phone_numbers",
                        Some(i),
                    ));
                }
            }
        }
        ok.then_some(out)
    }

    fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

fn clip(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 64 {
        format!("{}…", s.chars().take(64).collect::<String>())
    } else {
        s
    }
}

/// Parses `POST /api/v1/agents`: `{name, direction, phone_numbers?}`.
pub fn parse_new_agent(body: &Value) -> Result<NewAgent, Vec<FieldError>> {
    let mut r = Reader::new(body);
    let name = r.required("name");
    let name = r.name(name);
    let direction = r.required("direction");
    let direction = r.direction(direction);
    let numbers = r.get("phone_numbers");
    let phone_numbers = if numbers.is_some() {
        r.numbers(numbers)
    } else {
        Some(Vec::new())
    };
    let value = match (name, direction, phone_numbers) {
        (Some(name), Some(direction), Some(phone_numbers)) => Some(NewAgent {
            name,
            direction,
            phone_numbers,
        }),
        _ => None,
    };
    r.finish(value)
}

/// Parses `PATCH /api/v1/agents/{id}`: `{name?, phone_numbers?}`; anything else is refused.
pub fn parse_agent_patch(body: &Value) -> Result<AgentPatch, Vec<FieldError>> {
    let mut r = Reader::new(body);
    if let Some(map) = r.body {
        for key in map
            .keys()
            .filter(|k| !matches!(k.as_str(), "name" | "phone_numbers"))
        {
            let message = format!("{key} cannot be changed; send name and/or phone_numbers");
            r.errors
                .push(FieldError::new("FIELD_NOT_EDITABLE", message, key, None));
        }
    }
    let name = r.get("name");
    let name = if name.is_some() {
        r.name(name).map(Some)
    } else {
        Some(None)
    };
    let numbers = r.get("phone_numbers");
    let phone_numbers = if numbers.is_some() {
        r.numbers(numbers).map(Some)
    } else {
        Some(None)
    };
    let value = match (name, phone_numbers) {
        (Some(name), Some(phone_numbers)) => Some(AgentPatch {
            name,
            phone_numbers,
        }),
        _ => None,
    };
    r.finish(value)
}

/// Parses a call: outbound `{direction, agent_id, to, from?, started_at, status,
/// duration_seconds?, external_id?}` or inbound `{direction, from, to, started_at, status,
/// duration_seconds?, external_id?}`. An inbound `from` may be anything (withheld, anonymous,
/// invalid): routing classifies it.
pub fn parse_new_call(body: &Value) -> Result<NewCall, Vec<FieldError>> {
    let mut r = Reader::new(body);
    let direction = r.required("direction");
    let direction = r.direction(direction);
    let agent_id = match direction {
        Some(Direction::Outbound) => {
            let v = r.required("agent_id");
            r.agent_id("agent_id", v)
        }
        _ => {
            let v = r.get("agent_id");
            if v.is_some() {
                r.fail("INVALID_AGENT_ID", "agent_id", "agent_id is only for outbound calls: an inbound call belongs to the owner of the dialed number".into());
            }
            None
        }
    };
    let from_value = r.get("from");
    let (from_raw, from) = match direction {
        Some(Direction::Inbound) => {
            let raw = r
                .string("from", from_value, "INVALID_PHONE_NUMBER")
                .map(str::to_owned);
            let number = raw.as_deref().and_then(|s| PhoneNumber::parse(s).ok());
            (raw, number)
        }
        _ => {
            let n = r.number("from", from_value);
            (n.map(|n| n.to_string()), n)
        }
    };
    let to = r.required("to");
    let to = r.number("to", to);
    let started_at = r.required("started_at");
    let started_at = r.timestamp("started_at", started_at);
    let status_value = r.required("status");
    let status = r.string("status", status_value, "INVALID_CALL_STATUS").and_then(|s| {
        let st = CallStatus::parse(s);
        if st.is_none() {
            r.fail("INVALID_CALL_STATUS", "status", format!("unknown call status {s:?}; expected initiated, ringing, answered, completed, failed, busy, no-answer or voicemail"));
        }
        st
    });
    let duration_seconds = match r.get("duration_seconds") {
        None => Some(0),
        Some(v) => {
            let d = v
                .as_u64()
                .filter(|d| *d <= MAX_DURATION_SECONDS)
                .and_then(|d| u32::try_from(d).ok());
            if d.is_none() {
                r.fail("INVALID_DURATION", "duration_seconds", format!("duration_seconds must be an integer from 0 to {MAX_DURATION_SECONDS}, got {}", clip(v)));
            }
            d
        }
    };
    let external_id = match r.get("external_id") {
        None => Some(None),
        Some(v) => match v.as_str() {
            Some(s) if !s.is_empty() && s.len() <= MAX_EXTERNAL_ID_BYTES => {
                Some(Some(s.to_owned()))
            }
            _ => {
                r.fail("INVALID_EXTERNAL_ID", "external_id", format!("external_id must be a string of 1 to {MAX_EXTERNAL_ID_BYTES} bytes, got {}", clip(v)));
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
            from,
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
    directory: &crate::agent::AgentDirectory,
) -> Result<(), FieldError> {
    let Some(id) = agent_id else { return Ok(()) };
    match directory.get(&id) {
        None => Err(FieldError::new(
            "AGENT_NOT_FOUND",
            format!("agent {id} not found"),
            "agent_id",
            None,
        )),
        Some(a) if outbound_call && a.direction != Direction::Outbound => Err(FieldError::new(
            "INVALID_AGENT_DIRECTION",
            format!(
                "agent {id} ({}) must have direction=outbound to place outbound calls",
                a.name
            ),
            "agent_id",
            None,
        )),
        Some(_) => Ok(()),
    }
}

/// Parses `POST /api/v1/messages`: `{agent_id | null, direction, from, to, sent_at}`.
pub fn parse_new_message(body: &Value) -> Result<NewMessage, Vec<FieldError>> {
    let mut r = Reader::new(body);
    let agent = r.get("agent_id");
    let agent_id = if agent.is_some() {
        r.agent_id("agent_id", agent).map(Some)
    } else {
        Some(None)
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

/// Parses `POST /api/v1/routing/simulate`: `{from, to, at?}`.
pub fn parse_simulation(body: &Value) -> Result<Simulation, Vec<FieldError>> {
    let mut r = Reader::new(body);
    let from = r.get("from");
    let from = r
        .string("from", from, "INVALID_PHONE_NUMBER")
        .map(Some)
        .unwrap_or(None);
    let to = r.required("to");
    let to = r.number("to", to);
    let at = r.get("at");
    let at = if at.is_some() {
        r.timestamp("at", at).map(Some)
    } else {
        Some(None)
    };
    let value = match (to, at) {
        (Some(to), Some(at)) => Some(Simulation {
            from: Caller::parse(from),
            to,
            at,
        }),
        _ => None,
    };
    r.finish(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes<T: std::fmt::Debug>(r: Result<T, Vec<FieldError>>) -> Vec<(String, String)> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.code, e.field))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn agents() {
        let a = parse_new_agent(&json!({"name": " Sales ", "direction": "outbound", "phone_numbers": ["+1 415 555 0100"]})).unwrap();
        assert_eq!(
            (a.name.as_str(), a.phone_numbers[0].to_string().as_str()),
            ("Sales", "+14155550100")
        );
        assert_eq!(
            codes(parse_new_agent(&json!({}))),
            pairs(&[("FIELD_REQUIRED", "name"), ("FIELD_REQUIRED", "direction")])
        );
        assert_eq!(
            codes(parse_new_agent(
                &json!({"name": "", "direction": "sideways", "phone_numbers": ["+0415", "+1 415 555 0100", "+14155550100"]})
            )),
            pairs(&[
                ("INVALID_NAME", "name"),
                ("INVALID_DIRECTION", "direction"),
                ("INVALID_PHONE_NUMBER", "phone_numbers"),
                ("DUPLICATE_PHONE_NUMBER", "phone_numbers")
            ])
        );
        assert_eq!(
            codes(parse_new_agent(&json!([1]))),
            pairs(&[("INVALID_BODY", "body")])
        );
        assert_eq!(
            codes(parse_agent_patch(&json!({"direction": "inbound"}))),
            pairs(&[("FIELD_NOT_EDITABLE", "direction")])
        );
        assert_eq!(
            parse_agent_patch(&json!({"name": "New"}))
                .unwrap()
                .name
                .as_deref(),
            Some("New")
        );
    }

    #[test]
    fn calls() {
        let c = parse_new_call(&json!({"direction": "inbound", "from": "anonymous", "to": "+14155550100", "started_at": "2024-01-01T00:00:00Z", "status": "no_answer"})).unwrap();
        assert_eq!(
            (c.caller(), c.status, c.duration_seconds),
            (Caller::Anonymous, CallStatus::NoAnswer, 0)
        );
        assert_eq!(
            codes(parse_new_call(
                &json!({"direction": "outbound", "to": "x", "started_at": "yesterday", "status": "done", "duration_seconds": -1, "external_id": ""})
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
                &json!({"direction": "inbound", "agent_id": "x", "from": "+1", "to": "+14155550100", "started_at": "2024-01-01T00:00:00Z", "status": "completed"})
            )),
            pairs(&[("INVALID_AGENT_ID", "agent_id")])
        );
    }

    #[test]
    fn messages_and_simulation() {
        let m = parse_new_message(&json!({"agent_id": null, "direction": "inbound", "from": "+14155550100", "to": "+14155550101", "sent_at": "2024-01-01T00:00:00Z"})).unwrap();
        assert_eq!(m.agent_id, None);
        assert_eq!(
            codes(parse_new_message(&json!({"direction": "inbound"}))),
            pairs(&[
                ("FIELD_REQUIRED", "from"),
                ("FIELD_REQUIRED", "to"),
                ("FIELD_REQUIRED", "sent_at")
            ])
        );
        let s = parse_simulation(&json!({"to": "+14155550100"})).unwrap();
        assert_eq!((s.from, s.at), (Caller::Withheld, None));
    }
}
