//! Request extractors: the authenticated environment and JSON bodies, refusing what does not
//! fit with a coded error instead of axum's plain-text rejections.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use dialback_core::wire::agentphone::ValidationDetail;
use dialback_core::wire::requests::queries::Params as QueryParams;
use serde_json::Value;

use super::error::{AgentPhoneError, Refusal, TalkoverError};
use super::service::Authenticated;
use crate::app::{App, Env, Session};
use crate::auth::{self, Scope};
use crate::ops::OpError;

/// What the request's bearer token opens: `Ok(None)` without a valid token, an error when
/// storage cannot be asked.
async fn session_of(parts: &Parts, app: &App) -> Result<Option<Session>, OpError> {
    if let Some(Authenticated(session)) = parts.extensions.get::<Authenticated>() {
        return session.clone();
    }
    let Some(token) = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(auth::bearer)
    else {
        return Ok(None);
    };
    app.authenticate(token)
        .await
        .map_err(|e| OpError::storage(&e))
}

/// A Talkover-side session (401 in Talkover's dialect).
pub struct TalkoverSession(pub Session);

impl FromRequestParts<Arc<App>> for TalkoverSession {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        match session_of(parts, app).await {
            Ok(Some(session)) => Ok(TalkoverSession(session)),
            Ok(None) => Err(TalkoverError::unauthorized()),
            Err(e) => Err(TalkoverError::from(e).into_response()),
        }
    }
}

/// The environment of a Talkover-side read: any valid token.
pub struct TalkoverEnv(pub Arc<Env>);

impl FromRequestParts<Arc<App>> for TalkoverEnv {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let TalkoverSession(session) = TalkoverSession::from_request_parts(parts, app).await?;
        Ok(TalkoverEnv(session.env))
    }
}

/// The environment of a Talkover-side write: a token that may write (403 `UNAUTHORIZED`
/// for a read-only one).
pub struct TalkoverWrite(pub Arc<Env>);

impl FromRequestParts<Arc<App>> for TalkoverWrite {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let TalkoverSession(session) = TalkoverSession::from_request_parts(parts, app).await?;
        if session.grant.scope == Scope::Read {
            return Err(TalkoverError::read_only());
        }
        // a write starts from a view storage holds (one a failed write left stale is
        // rebuilt first, with no lock held while storage answers)
        app.ready_for_writing(&session.env)
            .await
            .map_err(|e| TalkoverError::from(OpError::storage(&e)).into_response())?;
        Ok(TalkoverWrite(session.env))
    }
}

/// The environment of an AgentPhone-side request (401 in AgentPhone's dialect). Every
/// AgentPhone endpoint Dialback serves reads.
pub struct AgentPhoneEnv(pub Arc<Env>);

impl FromRequestParts<Arc<App>> for AgentPhoneEnv {
    type Rejection = AgentPhoneError;
    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        match session_of(parts, app).await {
            Ok(Some(session)) => Ok(AgentPhoneEnv(session.env)),
            Ok(None) => Err(AgentPhoneError::unauthorized()),
            Err(e) => Err(AgentPhoneError::from(e)),
        }
    }
}

/// Whether the request says its body is JSON (`application/json` or `application/…+json`);
/// `None` when it names no type.
fn json_type(req: &Request) -> Option<bool> {
    let mime = req
        .headers()
        .get(CONTENT_TYPE)?
        .to_str()
        .ok()?
        .split(';')
        .next()?
        .trim()
        .to_ascii_lowercase();
    Some(
        mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json")),
    )
}

/// The environment of an AgentPhone-side write: a token that may write (403 in AgentPhone's
/// dialect for a read-only one).
pub struct AgentPhoneWrite(pub Arc<Env>);

impl FromRequestParts<Arc<App>> for AgentPhoneWrite {
    type Rejection = AgentPhoneError;
    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let session = match session_of(parts, app).await {
            Ok(Some(session)) => session,
            Ok(None) => return Err(AgentPhoneError::unauthorized()),
            Err(e) => return Err(AgentPhoneError::from(e)),
        };
        if session.grant.scope == Scope::Read {
            return Err(AgentPhoneError::Status {
                status: 403,
                message: "This token is read-only: it can read everything and change nothing."
                    .into(),
                code: "FORBIDDEN",
                kind: "permission_error",
            });
        }
        Ok(AgentPhoneWrite(session.env))
    }
}

/// An AgentPhone request body, as FastAPI reads one: JSON (an empty body counts as `{}`,
/// which is what clients send to the test endpoints), at most the body limit; anything else
/// is a 422 `json_invalid`.
pub struct AgentPhoneBody(pub Value);

/// An AgentPhone request body that must be sent (a model, as FastAPI declares one): an empty
/// body is 422 `missing` at `["body"]`, the rest as [`AgentPhoneBody`].
pub struct AgentPhoneModel(pub Value);

impl FromRequest<Arc<App>> for AgentPhoneModel {
    type Rejection = AgentPhoneError;
    async fn from_request(req: Request, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        agentphone_body(req, app, true).await.map(AgentPhoneModel)
    }
}

impl FromRequest<Arc<App>> for AgentPhoneBody {
    type Rejection = AgentPhoneError;
    async fn from_request(req: Request, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        agentphone_body(req, app, false).await.map(AgentPhoneBody)
    }
}

async fn agentphone_body(
    req: Request,
    app: &Arc<App>,
    required: bool,
) -> Result<Value, AgentPhoneError> {
    // as FastAPI: a body sent as something other than JSON is not read as JSON
    let json = json_type(&req).unwrap_or(true);
    let bytes = Bytes::from_request(req, app)
        .await
        .map_err(|e| AgentPhoneError::Status {
            status: e.status().as_u16(),
            message: format!("could not read the body: {e}"),
            code: "VALIDATION_ERROR",
            kind: "validation_error",
        })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        if required {
            return Err(AgentPhoneError::Invalid(vec![ValidationDetail {
                kind: "missing".into(),
                loc: vec![Value::from("body")],
                msg: "Field required".into(),
                input: None,
                ctx: None,
            }]));
        }
        return Ok(Value::Object(serde_json::Map::new()));
    }
    if !json {
        return Err(AgentPhoneError::Invalid(vec![ValidationDetail {
            kind: "model_attributes_type".into(),
            loc: vec![Value::from("body")],
            msg: "Input should be a valid dictionary or object to extract fields from \
                      (send it as Content-Type: application/json)"
                .into(),
            input: None,
            ctx: None,
        }]));
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        AgentPhoneError::Invalid(vec![ValidationDetail {
            kind: "json_invalid".into(),
            loc: vec![Value::from("body"), Value::from(e.column())],
            msg: "JSON decode error".into(),
            input: None,
            ctx: Some(serde_json::json!({ "error": e.to_string() })),
        }])
    })
}

/// A JSON body: `Content-Type: application/json` (else 415), at most the body limit (else
/// 413), well-formed (else 400). Its shape is checked by the core, field by field.
pub struct JsonBody(pub Value);

impl FromRequest<Arc<App>> for JsonBody {
    type Rejection = TalkoverError;
    async fn from_request(req: Request, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        let is_json = json_type(&req).unwrap_or(false);
        if !is_json {
            return Err(TalkoverError::new(
                Refusal::UnsupportedMediaType,
                "UNSUPPORTED_MEDIA_TYPE",
                "send the body as JSON with Content-Type: application/json",
                "content-type",
            ));
        }
        let bytes = Bytes::from_request(req, app).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                TalkoverError::new(
                    Refusal::TooLarge,
                    "PAYLOAD_TOO_LARGE",
                    format!("the body is larger than {} bytes", app.settings.body_limit),
                    "body",
                )
            } else {
                TalkoverError::new(
                    Refusal::BadRequest,
                    "INVALID_BODY",
                    format!("could not read the body: {e}"),
                    "body",
                )
            }
        })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            TalkoverError::new(
                Refusal::BadRequest,
                "INVALID_JSON",
                format!("the body is not valid JSON: {e}"),
                "body",
            )
        })
    }
}

/// The query string, by parameter name (the last value of a repeated name wins). A query
/// that is not valid URL encoding is refused with 400 in the dialect of the path's API.
pub struct Params(pub QueryParams);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        match serde_urlencoded::from_str::<Vec<(String, String)>>(query) {
            Ok(pairs) => Ok(Params(pairs.into_iter().collect())),
            Err(_) if parts.uri.path().starts_with("/v1/") => {
                Err(AgentPhoneError::Invalid(vec![ValidationDetail::query(
                    "query",
                    "value_error",
                    "the query string is not valid URL encoding",
                    None,
                )])
                .into_response())
            }
            Err(_) => Err(TalkoverError::new(
                Refusal::BadRequest,
                "INVALID_QUERY",
                "the query string is not valid URL encoding",
                "query",
            )
            .into_response()),
        }
    }
}

/// A path's `{id}`, any string. An id that is not valid UTF-8 once percent-decoded is refused
/// with 400 in the dialect of the path's API (axum's own rejection is plain text).
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(PathId(id)),
            Err(_) if parts.uri.path().starts_with("/v1/") => {
                Err(AgentPhoneError::Invalid(vec![ValidationDetail::path(
                    "id",
                    "value_error",
                    "the id in the path is not valid UTF-8 once percent-decoded",
                )])
                .into_response())
            }
            Err(_) => Err(TalkoverError::new(
                Refusal::BadRequest,
                "INVALID_PATH",
                "the id in the path is not valid UTF-8 once percent-decoded",
                "id",
            )
            .into_response()),
        }
    }
}
