//! AgentPhone's error bodies.
//!
//! Its sources disagree: the OpenAPI description answers 422 with FastAPI's
//! `{"detail": [{"loc", "msg", "type"}]}`, the error-handling guide shows
//! `{"error": {"message", "code", "type", "details"}}`, and both official clients read
//! `detail` (then `message`). Dialback sends both in one body, so every reader finds what it
//! looks for: `detail` (a list for 422, a string otherwise) and the guide's `error` object.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One entry of a 422 `detail`, as FastAPI (pydantic v2) writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ValidationDetail {
    /// pydantic's error type: `missing`, `int_parsing`, `greater_than_equal`,
    /// `less_than_equal`, `enum`, `value_error`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Where: e.g. `["query", "days"]`.
    pub loc: Vec<Value>,
    /// What is wrong.
    pub msg: String,
    /// The value given, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// The constraint, e.g. `{"le": 365}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctx: Option<Value>,
}

impl ValidationDetail {
    /// A problem with query parameter `param`.
    pub fn query(param: &str, kind: &str, msg: impl Into<String>, input: Option<&str>) -> Self {
        ValidationDetail {
            kind: kind.to_owned(),
            loc: vec![Value::from("query"), Value::from(param)],
            msg: msg.into(),
            input: input.map(|i| Value::from(crate::time::clip(i))),
            ctx: None,
        }
    }

    /// A problem with body field `field` (FastAPI's `["body", field]`).
    pub fn body(field: &str, kind: &str, msg: impl Into<String>, input: Option<Value>) -> Self {
        ValidationDetail {
            kind: kind.to_owned(),
            loc: vec![Value::from("body"), Value::from(field)],
            msg: msg.into(),
            input,
            ctx: None,
        }
    }

    /// A problem with path parameter `param` (FastAPI's `["path", param]`).
    pub fn path(param: &str, kind: &str, msg: impl Into<String>) -> Self {
        ValidationDetail {
            kind: kind.to_owned(),
            loc: vec![Value::from("path"), Value::from(param)],
            msg: msg.into(),
            input: None,
            ctx: None,
        }
    }

    /// With pydantic's `ctx`.
    pub fn with_ctx(mut self, ctx: Value) -> Self {
        self.ctx = Some(ctx);
        self
    }

    /// The field it is about (the last element of `loc`).
    pub fn field(&self) -> String {
        match self.loc.last() {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    }
}

/// The guide's `error` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorInfo {
    /// Human-readable.
    pub message: String,
    /// Machine-readable, e.g. `VALIDATION_ERROR`.
    pub code: String,
    /// Category, e.g. `validation_error`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Field-level problems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<ErrorInfoDetail>>,
}

/// One field-level problem of the guide's `error.details`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorInfoDetail {
    /// The field.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// pydantic's error type.
    #[serde(rename = "type")]
    pub kind: String,
}

/// 422: every problem, in both dialects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ValidationErrorBody {
    /// FastAPI's list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detail: Vec<ValidationDetail>,
    /// The guide's object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
}

impl ValidationErrorBody {
    /// The body for these problems.
    pub fn new(detail: Vec<ValidationDetail>) -> Self {
        let details = detail
            .iter()
            .map(|d| ErrorInfoDetail {
                field: d.field(),
                message: d.msg.clone(),
                kind: d.kind.clone(),
            })
            .collect();
        ValidationErrorBody {
            error: Some(ErrorInfo {
                message: "Validation error".to_owned(),
                code: "VALIDATION_ERROR".to_owned(),
                kind: "validation_error".to_owned(),
                details: Some(details),
            }),
            detail,
        }
    }
}

/// Any other error (401, 404, 405, 429, 5xx): the message as `detail`, and the guide's object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorEnvelope {
    /// The message (what both official clients show).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The guide's object.
    pub error: ErrorInfo,
}

impl ErrorEnvelope {
    /// An error with a code and category.
    pub fn new(message: impl Into<String>, code: &str, kind: &str) -> Self {
        let message = message.into();
        ErrorEnvelope {
            detail: Some(message.clone()),
            error: ErrorInfo {
                message,
                code: code.to_owned(),
                kind: kind.to_owned(),
                details: None,
            },
        }
    }
}
