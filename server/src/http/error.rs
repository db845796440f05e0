//! The two error dialects, each faithful to its API.
//!
//! - Talkover (`/api/v1`): `{"success": false, "message": ..., "code": ...}` for the first
//!   problem, plus our `errors` array with all of them.
//! - AgentPhone (`/v1`): FastAPI's `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}` for
//!   422, `{"detail": "..."}` otherwise.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dialback_core::wire::FieldError;
use dialback_core::wire::agentphone::{ValidationDetail, ValidationErrorBody};
use dialback_core::wire::talkover::ErrorBody;

use crate::ops::OpError;

/// An error answered in Talkover's dialect.
#[derive(Debug)]
pub struct ApiError(pub OpError);

impl ApiError {
    /// One problem.
    pub fn new(status: u16, code: &str, message: impl Into<String>, field: &str) -> Self {
        ApiError(OpError::one(status, code, message, field))
    }

    /// Validation problems (422).
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        ApiError(OpError::invalid(errors))
    }
}

impl From<OpError> for ApiError {
    fn from(e: OpError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody::from_errors(self.0.errors).unwrap_or_else(|| ErrorBody {
            success: false,
            message: "request failed".into(),
            code: "INTERNAL_ERROR".into(),
            errors: None,
        });
        (status, Json(body)).into_response()
    }
}

/// An error answered in AgentPhone's dialect.
#[derive(Debug)]
pub enum UsageError {
    /// 422 with every query problem.
    Invalid(ValidationErrorBody),
    /// Any other status, with a message.
    Status(u16, String),
}

impl UsageError {
    /// One query parameter problem.
    pub fn query(param: &str, msg: impl Into<String>, kind: &str) -> ValidationDetail {
        ValidationDetail {
            loc: vec!["query".into(), param.into()],
            msg: msg.into(),
            kind: kind.into(),
        }
    }
}

impl IntoResponse for UsageError {
    fn into_response(self) -> Response {
        match self {
            UsageError::Invalid(body) => {
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
            }
            UsageError::Status(status, detail) => {
                let status =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                (status, Json(serde_json::json!({ "detail": detail }))).into_response()
            }
        }
    }
}
