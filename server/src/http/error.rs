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

/// An error answered in Talkover's dialect.
#[derive(Debug)]
pub struct TalkoverError(pub OpError);

impl TalkoverError {
    /// One problem.
    pub fn new(failure: Failure, code: &str, message: impl Into<String>, field: &str) -> Self {
        TalkoverError(OpError::one(failure, code, message, field))
    }

    /// Validation problems (422).
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        TalkoverError(OpError::invalid(errors))
    }

    /// A request's problems (422).
    pub fn request(errors: Vec<RequestError>) -> Self {
        TalkoverError(OpError::invalid(field_errors(&errors)))
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
        TalkoverError(e)
    }
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for TalkoverError {
    fn into_response(self) -> Response {
        let code = self.0.status();
        let body = ErrorBody::from_errors(self.0.errors).unwrap_or_else(|| ErrorBody {
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
            Failure::RateLimited => ("RATE_LIMIT_EXCEEDED", "rate_limit_error"),
            Failure::Storage => ("INTERNAL_ERROR", "api_error"),
            Failure::NotImplemented => ("NOT_IMPLEMENTED", "api_error"),
            Failure::MethodNotAllowed => ("METHOD_NOT_ALLOWED", "invalid_request_error"),
            Failure::BadRequest
            | Failure::Conflict
            | Failure::Invalid
            | Failure::TooLarge
            | Failure::UnsupportedMediaType => ("VALIDATION_ERROR", "validation_error"),
        };
        AgentPhoneError::Status {
            status: e.status(),
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
