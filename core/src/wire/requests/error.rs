//! [`RequestError`]: every problem a request can have, each with a stable code, the field it
//! is about and (in arrays) the index, and [`Expected`], what a value should have been.

use std::fmt;

use serde_json::Value;

use super::{MAX_DURATION_SECONDS, MAX_EXTERNAL_ID_CHARS, MAX_FROM_CHARS, MAX_NAME_CHARS};
use crate::agent::AgentId;
use crate::error::ErrorCode;
use crate::wire::FieldError;

/// What a value should have been, which also decides the problem's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `day`: how callback stats may be grouped.
    GroupBy,
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
            Expected::GroupBy => "INVALID_GROUP_BY",
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
                write!(f, "a string of 1 to {MAX_EXTERNAL_ID_CHARS} characters")
            }
            Expected::Caller => write!(f, "a string of at most {MAX_FROM_CHARS} characters"),
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
            Expected::GroupBy => f.write_str("day (the only grouping)"),
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
