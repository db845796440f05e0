//! The two error dialects, each faithful to its API.
//!
//! - Talkover (`/api/v1`): `{"success": false, "message", "code"}` for the first problem, as
//!   its pages show, plus Laravel's `errors` map (field → messages) and our `details` list
//!   (every problem, coded).
//! - AgentPhone (`/v1`): FastAPI's `{"detail": [...]}` for 422 and `{"detail": "..."}`
//!   otherwise, which both official clients read, with the error guide's `error` object
//!   beside it.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dialback_core::wire::FieldError;
use dialback_core::wire::agentphone::{ErrorEnvelope, ValidationDetail, ValidationErrorBody};
use dialback_core::wire::requests::{RequestError, field_errors};
use dialback_core::wire::talkover::ErrorBody;

use crate::ops::{Failure, OpError};

/// Why a request was refused, which decides its status: an operation's outcome, or what only
/// HTTP refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// An operation failed.
    Op(Failure),
    /// The request cannot be read: a body that is not JSON, a query or path that is not
    /// URL encoding (400).
    BadRequest,
    /// The path exists, the method does not (405).
    MethodNotAllowed,
    /// The body is larger than allowed (413).
    TooLarge,
    /// The body is not in a format the endpoint reads (415).
    UnsupportedMediaType,
    /// The token made more requests than `--rate-limit` allows, or holds its streams (429).
    RateLimited,
    /// The endpoint needs what Dialback does not have (501).
    NotImplemented,
}

impl From<Failure> for Refusal {
    fn from(f: Failure) -> Self {
        Refusal::Op(f)
    }
}

impl Refusal {
    /// The HTTP status, the same in both dialects.
    pub fn status(self) -> u16 {
        match self {
            Refusal::Op(Failure::NotFound) => 404,
            Refusal::Op(Failure::Conflict) => 409,
            Refusal::Op(Failure::Invalid) => 422,
            Refusal::Op(Failure::Storage) => 500,
            Refusal::Op(Failure::Unavailable) => 503,
            Refusal::BadRequest => 400,
            Refusal::MethodNotAllowed => 405,
            Refusal::TooLarge => 413,
            Refusal::UnsupportedMediaType => 415,
            Refusal::RateLimited => 429,
            Refusal::NotImplemented => 501,
        }
    }
}

/// An error answered in Talkover's dialect.
#[derive(Debug)]
pub struct TalkoverError {
    /// Why, which decides the status.
    pub refusal: Refusal,
    /// Every problem, the first one leading.
    pub errors: Vec<FieldError>,
}

impl TalkoverError {
    /// One problem.
    pub fn new(
        refusal: impl Into<Refusal>,
        code: &str,
        message: impl Into<String>,
        field: &str,
    ) -> Self {
        TalkoverError {
            refusal: refusal.into(),
            errors: vec![FieldError::new(code, message, field, None)],
        }
    }

    /// Validation problems (422).
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        OpError::invalid(errors).into()
    }

    /// A request's problems (422).
    pub fn request(errors: Vec<RequestError>) -> Self {
        OpError::invalid(field_errors(&errors)).into()
    }

    /// The token was missing or not one of ours.
    pub fn unauthorized() -> Response {
        let body = ErrorBody {
            success: false,
            message: "Unauthorized: send Authorization: Bearer talq_... with a valid token".into(),
            code: Some("INVALID_TOKEN".into()),
            errors: None,
            details: None,
        };
        (StatusCode::UNAUTHORIZED, Json(body)).into_response()
    }

    /// 403 for a write with a read-only token, with the code Talkover's pages list.
    pub fn read_only() -> Response {
        let body = ErrorBody {
            success: false,
            message: "This token is read-only: it can read everything and change nothing. \
                      Use a token made without --read-only to make changes."
                .into(),
            code: Some("UNAUTHORIZED".into()),
            errors: None,
            details: None,
        };
        (StatusCode::FORBIDDEN, Json(body)).into_response()
    }
}

impl From<OpError> for TalkoverError {
    fn from(e: OpError) -> Self {
        TalkoverError {
            refusal: Refusal::Op(e.failure),
            errors: e.errors,
        }
    }
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for TalkoverError {
    fn into_response(self) -> Response {
        let code = self.refusal.status();
        let body = ErrorBody::from_errors(self.errors).unwrap_or_else(|| ErrorBody {
            success: false,
            message: "request failed".into(),
            code: Some("INTERNAL_ERROR".into()),
            errors: None,
            details: None,
        });
        // the Laravel map is for validation problems only
        let body = if code == 422 {
            body
        } else {
            ErrorBody {
                errors: None,
                ..body
            }
        };
        (status(code), Json(body)).into_response()
    }
}

/// An error answered in AgentPhone's dialect.
#[derive(Debug)]
pub enum AgentPhoneError {
    /// 422 with every query problem.
    Invalid(Vec<ValidationDetail>),
    /// Any other status.
    Status {
        /// The HTTP status.
        status: u16,
        /// What went wrong, for people.
        message: String,
        /// The stable code (`NOT_FOUND`).
        code: &'static str,
        /// AgentPhone's category (`not_found`, `api_error`, …).
        kind: &'static str,
    },
}

impl AgentPhoneError {
    /// 401.
    pub fn unauthorized() -> Self {
        AgentPhoneError::Status {
            status: 401,
            message: "Missing or invalid bearer token".into(),
            code: "UNAUTHORIZED",
            kind: "authentication_error",
        }
    }

    /// 404.
    pub fn not_found(what: impl Into<String>) -> Self {
        AgentPhoneError::Status {
            status: 404,
            message: what.into(),
            code: "NOT_FOUND",
            kind: "not_found",
        }
    }
}

impl From<OpError> for AgentPhoneError {
    fn from(e: OpError) -> Self {
        let message = e
            .errors
            .first()
            .map_or_else(|| "request failed".to_owned(), |f| f.message.clone());
        let (code, kind) = match e.failure {
            Failure::NotFound => ("NOT_FOUND", "not_found"),
            Failure::Unavailable => ("SERVICE_UNAVAILABLE", "api_error"),
            Failure::Storage => ("INTERNAL_ERROR", "api_error"),
            Failure::Conflict | Failure::Invalid => ("VALIDATION_ERROR", "validation_error"),
        };
        AgentPhoneError::Status {
            status: Refusal::Op(e.failure).status(),
            message,
            code,
            kind,
        }
    }
}

impl IntoResponse for AgentPhoneError {
    fn into_response(self) -> Response {
        match self {
            AgentPhoneError::Invalid(detail) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(ValidationErrorBody::new(detail)),
            )
                .into_response(),
            AgentPhoneError::Status {
                status: http,
                message,
                code,
                kind,
            } => (status(http), Json(ErrorEnvelope::new(message, code, kind))).into_response(),
        }
    }
}
