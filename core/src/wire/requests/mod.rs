//! Parsing requests (bodies and query strings) into domain values, reporting every problem
//! with its field: the same rules for the server, the console and npm users.
//!
//! - [`agents`]: creating, editing, publishing agents, their calling settings and knowledge;
//! - [`numbers`]: adding numbers;
//! - [`calls`]: recording calls and messages;
//! - [`callback`]: the check-constraints body;
//! - [`queries`]: the list endpoints' query strings;
//! - [`simulation`]: the routing simulator.
//!
//! Every problem is a [`RequestError`], whose `code()` is stable.

pub mod agents;
pub mod callback;
pub mod calls;
pub mod numbers;
pub mod queries;
pub mod simulation;
pub mod usage;

use std::fmt;

use serde_json::{Map, Value};

use super::FieldError;
use crate::agent::{AgentId, Direction};
use crate::error::ErrorCode;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

pub use agents::{AgentPatch, CallingUpdate, KnowledgeUpdate, NewAgent};
pub use calls::{NewCall, NewMessage, check_agent_reference};
pub use numbers::NewNumber;
pub use simulation::Simulation;

/// The longest name or label accepted, in characters (Talkover's documented limit).
pub const MAX_NAME_CHARS: usize = 255;
/// The longest `external_id` accepted, in bytes.
pub const MAX_EXTERNAL_ID_BYTES: usize = 200;
/// The longest inbound `from` accepted, in bytes (a SIP URI with parameters fits).
pub const MAX_FROM_BYTES: usize = 256;
/// The longest call accepted: one day.
pub const MAX_DURATION_SECONDS: u64 = 86_400;
/// The most numbers one agent may own.
pub const MAX_NUMBERS_PER_AGENT: usize = 1_000;
/// The longest free text (description, greeting, search) accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// What a value should have been, which also decides the problem's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `inbound` or `outbound`.
    Direction,
    /// `draft` or `published`.
    AgentStatus,
    /// E.164.
    PhoneNumber,
    /// A phone number resource's id.
    NumberId,
    /// RFC 3339.
    Timestamp,
    /// `YYYY-MM-DD`.
    Date,
    /// A UUID.
    AgentId,
    /// A call status.
    CallStatus,
    /// Seconds, 0 to a day.
    Duration,
    /// 1 to 200 bytes.
    ExternalId,
    /// The caller of an inbound call: at most 256 bytes.
    Caller,
    /// A name.
    Name,
    /// A label.
    Label,
    /// Free text of at most this many characters.
    Text(usize),
    /// One of the documented languages.
    Language,
    /// `low`, `medium` or `high`.
    Sensitivity,
    /// `agent` or `user`.
    WhoSpeaksFirst,
    /// A number in a range, written out (`0.1 to 3.0`).
    Number(&'static str),
    /// An integer in a range.
    Integer(u64, u64),
    /// `true` or `false`.
    Boolean,
    /// A page number or size: an integer from 1 to this.
    Page(u64),
    /// An array.
    Array,
    /// A string.
    String,
}

impl Expected {
    /// The code of a value that is not this.
    pub const fn code(self) -> &'static str {
        match self {
            Expected::Direction => "INVALID_DIRECTION",
            Expected::AgentStatus => "INVALID_STATUS",
            Expected::PhoneNumber => "INVALID_PHONE_NUMBER",
            Expected::NumberId => "INVALID_PHONE_NUMBER_ID",
            Expected::Timestamp => "INVALID_TIMESTAMP",
            Expected::Date => "INVALID_DATE",
            Expected::AgentId => "INVALID_AGENT_ID",
            Expected::CallStatus => "INVALID_CALL_STATUS",
            Expected::Duration => "INVALID_DURATION",
            Expected::ExternalId => "INVALID_EXTERNAL_ID",
            Expected::Caller => "INVALID_CALLER",
            Expected::Name => "INVALID_NAME",
            Expected::Label => "INVALID_LABEL",
            Expected::Text(_) => "INVALID_TEXT",
            Expected::Language => "INVALID_LANGUAGE",
            Expected::Sensitivity => "INVALID_INTERRUPT_SENSITIVITY",
            Expected::WhoSpeaksFirst => "INVALID_WHO_SPEAKS_FIRST",
            Expected::Number(_) | Expected::Integer(..) => "INVALID_NUMBER",
            Expected::Boolean => "INVALID_BOOLEAN",
            Expected::Page(_) => "INVALID_PAGINATION",
            Expected::Array | Expected::String => "INVALID_TYPE",
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Direction => f.write_str("inbound or outbound"),
            Expected::AgentStatus => f.write_str("draft or published"),
            Expected::PhoneNumber => {
                f.write_str("an E.164 number: '+' then 2 to 15 digits, the first not 0")
            }
            Expected::NumberId => f.write_str("a phone number id (a string of 1 to 100 bytes)"),
            Expected::Timestamp => f.write_str("an RFC 3339 instant such as 2024-06-01T04:00:00Z"),
            Expected::Date => f.write_str("a date as YYYY-MM-DD"),
            Expected::AgentId => f.write_str("an agent id (a UUID)"),
            Expected::CallStatus => f.write_str(
                "initiated, ringing, answered, completed, failed, busy, no-answer or voicemail",
            ),
            Expected::Duration => write!(f, "an integer from 0 to {MAX_DURATION_SECONDS}"),
            Expected::ExternalId => {
                write!(f, "a string of 1 to {MAX_EXTERNAL_ID_BYTES} bytes")
            }
            Expected::Caller => write!(f, "a string of at most {MAX_FROM_BYTES} bytes"),
            Expected::Name | Expected::Label => write!(
                f,
                "1 to {MAX_NAME_CHARS} characters, none of them control, invisible or \
                 direction-changing"
            ),
            Expected::Text(max) => write!(
                f,
                "text of at most {max} characters, none of them control (but line breaks), \
                 invisible or direction-changing"
            ),
            Expected::Language => {
                write!(f, "one of {}", crate::agent::profile::LANGUAGES.join(", "))
            }
            Expected::Sensitivity => f.write_str("low, medium or high"),
            Expected::WhoSpeaksFirst => f.write_str("agent or user"),
            Expected::Number(range) => write!(f, "a number from {range}"),
            Expected::Integer(lo, hi) => write!(f, "an integer from {lo} to {hi}"),
            Expected::Boolean => f.write_str("true or false"),
            Expected::Page(max) => write!(f, "an integer from 1 to {max}"),
            Expected::Array => f.write_str("an array"),
            Expected::String => f.write_str("a string"),
        }
    }
}

/// One problem with a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The body is not a JSON object.
    #[error("the request body must be a JSON object")]
    NotAnObject,
    /// A required field is missing (or `null`).
    #[error("{field} is required")]
    Required {
        /// The field.
        field: &'static str,
    },
    /// A field this request cannot change.
    #[error("{field} cannot be changed here")]
    NotEditable {
        /// The field as sent.
        field: String,
    },
    /// A value that is not what the field takes.
    #[error("{}: expected {expected}, got {got}", at(field, *index))]
    Invalid {
        /// The field.
        field: &'static str,
        /// The array position, for an entry.
        index: Option<usize>,
        /// What it takes.
        expected: Expected,
        /// What was sent, clipped.
        got: String,
    },
    /// An array entry repeats an earlier one.
    #[error("{}: {value} is already listed at index {first}", at(field, Some(*index)))]
    Duplicate {
        /// The field.
        field: &'static str,
        /// Where the repeat is.
        index: usize,
        /// Where it was first.
        first: usize,
        /// The value.
        value: String,
    },
    /// An array longer than allowed.
    #[error("{field} may list at most {max} entries, got {got}")]
    TooMany {
        /// The field.
        field: &'static str,
        /// The limit.
        max: usize,
        /// How many were sent.
        got: usize,
    },
    /// An agent id that names no agent here.
    #[error("Agent not found")]
    AgentNotFound {
        /// The field.
        field: &'static str,
        /// The id.
        id: AgentId,
    },
    /// An agent of the wrong direction for this use.
    #[error("{field}: agent {id} ({name}) must have direction={required} to {purpose}")]
    AgentDirection {
        /// The field.
        field: &'static str,
        /// The agent.
        id: AgentId,
        /// Its name.
        name: String,
        /// The direction required.
        required: &'static str,
        /// What for.
        purpose: &'static str,
    },
}

fn at(field: &str, index: Option<usize>) -> String {
    match index {
        Some(i) => format!("{field}[{i}]"),
        None => field.to_owned(),
    }
}

impl ErrorCode for RequestError {
    fn code(&self) -> &'static str {
        match self {
            RequestError::NotAnObject => "INVALID_BODY",
            RequestError::Required { .. } => "FIELD_REQUIRED",
            RequestError::NotEditable { .. } => "FIELD_NOT_EDITABLE",
            RequestError::Invalid { expected, .. } => expected.code(),
            RequestError::Duplicate { field, .. } => match *field {
                "phone_number_ids" => "DUPLICATE_PHONE_NUMBER_ID",
                _ => "DUPLICATE_PHONE_NUMBER",
            },
            RequestError::TooMany { .. } => "TOO_MANY_ITEMS",
            RequestError::AgentNotFound { .. } => "AGENT_NOT_FOUND",
            RequestError::AgentDirection { .. } => "INVALID_AGENT_DIRECTION",
        }
    }
}

impl RequestError {
    /// The field the problem is about (`body` for the body as a whole).
    pub fn field(&self) -> &str {
        match self {
            RequestError::NotAnObject => "body",
            RequestError::NotEditable { field } => field,
            RequestError::Required { field }
            | RequestError::Invalid { field, .. }
            | RequestError::Duplicate { field, .. }
            | RequestError::TooMany { field, .. }
            | RequestError::AgentNotFound { field, .. }
            | RequestError::AgentDirection { field, .. } => field,
        }
    }

    /// The array position, for a problem with one entry.
    pub fn index(&self) -> Option<usize> {
        match self {
            RequestError::Invalid { index, .. } => *index,
            RequestError::Duplicate { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// A value that is not what `field` takes.
    pub fn invalid(field: &'static str, expected: Expected, got: &Value) -> Self {
        RequestError::Invalid {
            field,
            index: None,
            expected,
            got: clip(got),
        }
    }
}

impl From<&RequestError> for FieldError {
    fn from(e: &RequestError) -> Self {
        FieldError::new(e.code(), e.to_string(), e.field(), e.index())
    }
}

/// Every problem of a request, as the wire carries them.
pub fn field_errors(errors: &[RequestError]) -> Vec<FieldError> {
    errors.iter().map(FieldError::from).collect()
}

/// A JSON value written compactly and cut to a readable length, for error messages.
pub fn clip(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{:?}", crate::time::clip(s)),
        other => crate::time::clip(&other.to_string()),
    }
}

/// Collects problems while reading one JSON object.
pub(crate) struct Reader<'a> {
    pub(crate) body: Option<&'a Map<String, Value>>,
    pub(crate) errors: Vec<RequestError>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(body: &'a Value) -> Self {
        let body = body.as_object();
        Reader {
            errors: if body.is_none() {
                vec![RequestError::NotAnObject]
            } else {
                Vec::new()
            },
            body,
        }
    }

    /// A field's value; `null` counts as absent.
    pub(crate) fn get(&self, field: &str) -> Option<&'a Value> {
        self.body?.get(field).filter(|v| !v.is_null())
    }

    pub(crate) fn fail(&mut self, field: &'static str, expected: Expected, got: &Value) {
        self.errors
            .push(RequestError::invalid(field, expected, got));
    }

    pub(crate) fn required(&mut self, field: &'static str) -> Option<&'a Value> {
        let v = self.get(field);
        if v.is_none() && self.body.is_some() {
            self.errors.push(RequestError::Required { field });
        }
        v
    }

    /// A string field, or a problem coded as `expected` if it is another type.
    pub(crate) fn string(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        expected: Expected,
    ) -> Option<&'a str> {
        let v = v?;
        let s = v.as_str();
        if s.is_none() {
            self.fail(field, expected, v);
        }
        s
    }

    /// A string parsed by `parse`, or a problem coded as `expected`.
    pub(crate) fn parsed<T>(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        expected: Expected,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let s = self.string(field, v, expected)?;
        let parsed = parse(s);
        if parsed.is_none() {
            self.fail(field, expected, v.unwrap_or(&Value::Null));
        }
        parsed
    }

    pub(crate) fn direction(&mut self, v: Option<&'a Value>) -> Option<Direction> {
        self.parsed("direction", v, Expected::Direction, Direction::parse)
    }

    pub(crate) fn number(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
    ) -> Option<PhoneNumber> {
        self.parsed(field, v, Expected::PhoneNumber, |s| {
            PhoneNumber::parse(s).ok()
        })
    }

    pub(crate) fn timestamp(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
    ) -> Option<Timestamp> {
        self.parsed(field, v, Expected::Timestamp, |s| Timestamp::parse(s).ok())
    }

    pub(crate) fn agent_id(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
    ) -> Option<AgentId> {
        self.parsed(field, v, Expected::AgentId, |s| AgentId::parse(s).ok())
    }

    /// A name or label: trimmed, 1 to 255 characters, none of them control, invisible or
    /// direction-changing (so that one name cannot be made to read as another).
    pub(crate) fn name(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        expected: Expected,
    ) -> Option<String> {
        let s = self.string(field, v, expected)?.trim();
        let chars = s.chars().count();
        if chars == 0
            || chars > MAX_NAME_CHARS
            || s.chars().any(|c| c.is_control() || is_invisible(c))
        {
            self.fail(field, expected, v.unwrap_or(&Value::Null));
            return None;
        }
        Some(s.to_owned())
    }

    /// Free text of at most `max` characters; line breaks and tabs are allowed, other
    /// control and invisible characters are not.
    pub(crate) fn text(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        max: usize,
    ) -> Option<String> {
        let expected = Expected::Text(max);
        let s = self.string(field, v, expected)?;
        let bad = |c: char| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_invisible(c);
        if s.chars().count() > max || s.chars().any(bad) {
            self.fail(field, expected, v.unwrap_or(&Value::Null));
            return None;
        }
        Some(s.to_owned())
    }

    pub(crate) fn boolean(&mut self, field: &'static str, v: Option<&'a Value>) -> Option<bool> {
        let v = v?;
        let b = v.as_bool();
        if b.is_none() {
            self.fail(field, Expected::Boolean, v);
        }
        b
    }

    /// An integer in `lo..=hi`.
    pub(crate) fn integer(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        lo: u64,
        hi: u64,
    ) -> Option<u64> {
        let v = v?;
        let n = v.as_u64().filter(|n| (lo..=hi).contains(n));
        if n.is_none() {
            self.fail(field, Expected::Integer(lo, hi), v);
        }
        n
    }

    /// A number in `lo..=hi` (`range` is how the message writes it).
    pub(crate) fn float(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        lo: f64,
        hi: f64,
        range: &'static str,
    ) -> Option<f64> {
        let v = v?;
        let n = v.as_f64().filter(|n| *n >= lo && *n <= hi);
        if n.is_none() {
            self.fail(field, Expected::Number(range), v);
        }
        n
    }

    /// An array of at most `max` entries.
    pub(crate) fn array(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        max: usize,
    ) -> Option<&'a Vec<Value>> {
        let v = v?;
        let Some(items) = v.as_array() else {
            self.fail(field, Expected::Array, v);
            return None;
        };
        if items.len() > max {
            self.errors.push(RequestError::TooMany {
                field,
                max,
                got: items.len(),
            });
            return None;
        }
        Some(items)
    }

    /// A list of phone numbers in E.164, without repeats.
    pub(crate) fn numbers(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
    ) -> Option<Vec<PhoneNumber>> {
        let items = self.array(field, v, MAX_NUMBERS_PER_AGENT)?;
        let mut out: Vec<PhoneNumber> = Vec::with_capacity(items.len());
        let mut first: crate::hash::FastMap<PhoneNumber, usize> = Default::default();
        let mut ok = true;
        for (index, item) in items.iter().enumerate() {
            match item.as_str().and_then(|s| PhoneNumber::parse(s).ok()) {
                Some(n) => match first.get(&n) {
                    Some(&f) => {
                        ok = false;
                        self.errors.push(RequestError::Duplicate {
                            field,
                            index,
                            first: f,
                            value: n.to_string(),
                        });
                    }
                    None => {
                        first.insert(n, index);
                        out.push(n);
                    }
                },
                None => {
                    ok = false;
                    self.errors.push(RequestError::Invalid {
                        field,
                        index: Some(index),
                        expected: Expected::PhoneNumber,
                        got: clip(item),
                    });
                }
            }
        }
        ok.then_some(out)
    }

    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, Vec<RequestError>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

/// Characters that show nothing or change the reading direction (Unicode's format
/// characters, category Cf): accepted in a name, they let one name be made to read as another.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}
