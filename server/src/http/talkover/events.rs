//! Extension: `GET /api/v1/events`, the environment's live events as Server-Sent Events
//! (see `crate::live`). Any token of the environment may read it, with the bearer header
//! (browsers read it with `fetch`; `EventSource` cannot send the header).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dialback_core::ErrorCode;
use dialback_core::live::{EventFilter, LiveError};
use dialback_core::wire::FieldError;

use super::super::error::{Refusal, TalkoverError};
use super::super::extract::{Params, TalkoverSession};
use crate::app::App;
use crate::live::stream::{Start, Stream};
use crate::live::{Live, READ_DEADLINE, Refused};
use crate::ops::{Failure, OpError};
use crate::store::events::Bounds;

fn invalid(errors: &[LiveError]) -> Response {
    TalkoverError::invalid(
        errors
            .iter()
            .map(|e| FieldError::new(e.code(), e.to_string(), e.field(), None))
            .collect(),
    )
    .into_response()
}

/// `Last-Event-ID`: absent (or empty, as the standard's reader sends after a reset to
/// nothing) starts from now.
fn start(headers: &HeaderMap) -> Result<Start, LiveError> {
    let Some(value) = headers.get("last-event-id") else {
        return Ok(Start::Now);
    };
    let text = value.to_str().unwrap_or("\u{fffd}").trim();
    if text.is_empty() {
        return Ok(Start::Now);
    }
    match text.parse::<u64>() {
        Ok(id) if text.bytes().all(|b| b.is_ascii_digit()) => Ok(Start::After(id)),
        _ => Err(LiveError::LastEventId(dialback_core::time::clip(text))),
    }
}

async fn bounds(app: &Arc<App>, env: crate::store::EnvId) -> Result<Bounds, Response> {
    let app2 = app.clone();
    super::super::blocking(READ_DEADLINE, move || {
        app2.store
            .events()
            .event_bounds(env)
            .map_err(|e| OpError::storage(&e))
    })
    .await
    .map_err(|e| TalkoverError::from(e).into_response())
}

/// `GET /api/v1/events?types=&agent_id=`, resumed with `Last-Event-ID`.
pub async fn stream(
    State(app): State<Arc<App>>,
    TalkoverSession(session): TalkoverSession,
    Params(q): Params,
    headers: HeaderMap,
) -> Response {
    let filter = EventFilter::parse(
        q.get("types").map(String::as_str),
        q.get("agent_id").map(String::as_str),
    );
    let (filter, start) = match (filter, start(&headers)) {
        (Ok(f), Ok(s)) => (f, s),
        (f, s) => {
            let mut errors = f.err().unwrap_or_default();
            errors.extend(s.err());
            return invalid(&errors);
        }
    };
    let slot = match Live::admit(&app, session.grant.token_id) {
        Ok(slot) => slot,
        Err(refused) => {
            let (failure, code, message) = match refused {
                Refused::TokenLimit(n) => (
                    Refusal::RateLimited,
                    "TOO_MANY_STREAMS",
                    format!("this token holds {n} streams already; close one first"),
                ),
                Refused::ServerLimit(n) => (
                    Refusal::Op(Failure::Unavailable),
                    "TOO_MANY_STREAMS",
                    format!(
                        "this server holds {n} streams, its limit; try again later or another \
                         replica"
                    ),
                ),
                Refused::Closing => (
                    Refusal::Op(Failure::Unavailable),
                    "SHUTTING_DOWN",
                    "this server is shutting down; reconnect".to_owned(),
                ),
            };
            let mut response = TalkoverError::new(failure, code, message, "").into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            return response;
        }
    };
    let env = session.env.id;
    // read, subscribe, read again: see `Live::subscribe`
    let before = match bounds(&app, env).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let rx = Live::subscribe(&app, env, before.head);
    let after = match bounds(&app, env).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let stream = Stream::open(app, env, session.grant, filter, start, rx, after, slot);
    let body = futures_util::stream::unfold(stream, |mut s| async move {
        s.next()
            .await
            .map(|chunk| (Ok::<_, std::convert::Infallible>(chunk), s))
    });
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::HeaderName::from_static("x-accel-buffering"),
                HeaderValue::from_static("no"),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
