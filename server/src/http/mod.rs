//! The HTTP shell: routes, layers, fallbacks. Handlers parse, authorise, call `ops` or the
//! core on the environment's view, and answer in their API's dialect.

mod agentphone;
mod error;
mod extract;
mod hooks;
pub mod openapi;
mod service;
mod talkover;

use std::any::Any;
use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, OriginalUri};
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Router, middleware};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use error::{AgentPhoneError, Refusal, TalkoverError};

use crate::app::{App, Settings};
use crate::ops::{Failure, OpError};

/// Runs an operation that uses storage off the async workers, waiting for it at most
/// `budget` (the request's remaining storage budget, `App::budget`). Its failure is the
/// operation's, for either dialect to answer.
pub(crate) async fn blocking<T: Send + 'static>(
    budget: std::time::Duration,
    f: impl FnOnce() -> Result<T, OpError> + Send + 'static,
) -> Result<T, OpError> {
    match crate::storage::off_worker(budget, f).await {
        Ok(result) => result,
        Err(waited @ crate::storage::Waited::TimedOut(_)) => Err(OpError::timed_out(&waited)),
        Err(crate::storage::Waited::Stopped(e)) => {
            tracing::error!(error = %e, "a blocking operation stopped");
            Err(OpError::one(
                Failure::Storage,
                "INTERNAL_ERROR",
                "the operation stopped unexpectedly; the server log has the details",
                "",
            ))
        }
    }
}

/// The routes of the table that also writes the OpenAPI document (`openapi::operations`):
/// Talkover's and AgentPhone's, each relative to its prefix, and the rest. A route is added
/// there, once, with its description.
fn routes(settings: &Settings) -> [Router<Arc<App>>; 3] {
    let [mut talkover, mut agentphone, mut plain] = [Router::new(), Router::new(), Router::new()];
    // a path refused for every method is answered once, whatever methods it is documented with
    let mut every_method = HashSet::new();
    for op in openapi::operations(&mut openapi::Schemas::new()) {
        let Some(served) = op.served else { continue };
        if op.when.is_some_and(|served_here| !served_here(settings))
            || (served.any && !every_method.insert(op.path))
        {
            continue;
        }
        let (router, path) = if let Some(p) = op.path.strip_prefix("/api/v1") {
            (&mut talkover, p)
        } else if let Some(p) = op.path.strip_prefix("/v1") {
            (&mut agentphone, p)
        } else {
            (&mut plain, op.path)
        };
        *router = std::mem::take(router).route(path, served.serve);
    }
    [
        talkover
            .fallback(talkover_not_found)
            .method_not_allowed_fallback(talkover_method_not_allowed),
        agentphone
            .fallback(agentphone_not_found)
            .method_not_allowed_fallback(agentphone_method_not_allowed),
        plain,
    ]
}

/// The whole HTTP application.
pub fn router(app: Arc<App>) -> Router {
    let console = match &app.settings.static_dir {
        Some(dir) if dir.join("index.html").is_file() => Router::new().fallback_service(
            ServeDir::new(dir)
                .precompressed_gzip()
                .fallback(ServeFile::new(dir.join("index.html")).precompressed_gzip()),
        ),
        _ => Router::new().fallback(console_not_built),
    };
    let console = console
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONSOLE_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // The console's files keep their names from one release to the next, and its split-off
        // page modules only work with the main module they were cut from: a browser must
        // revalidate each file (a 304 when unchanged) rather than reuse a stale one.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));
    let [talkover, agentphone, plain] = routes(&app.settings);
    let mut apis = Router::new()
        .nest("/api/v1", talkover)
        .nest("/v1", agentphone);
    if let Some(cors) = app.settings.allowed_origins.layer() {
        apis = apis.layer(cors);
    }
    let routes = apis.merge(plain);
    let routes = routes
        .merge(console)
        // no response is to be read as another type than it says, and no address (the
        // console's carries a token in its fragment once) leaks to another site
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ));
    layers(routes, &app).with_state(app)
}

/// The console's Content-Security-Policy: its own scripts (and compiling its own wasm), its
/// own styles, no plugins, no inline code, never inside a frame. `connect-src` allows any
/// http(s) origin because the console can be pointed at other Talkover/AgentPhone servers.
pub const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' http: https:; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The layers every route gets: body limit and body timeout, panics turned into a 500 (the server
/// keeps running), request tracing (method, path and status; never headers, so never tokens).
pub fn layers(routes: Router<Arc<App>>, app: &Arc<App>) -> Router<Arc<App>> {
    routes
        .layer(DefaultBodyLimit::max(app.settings.body_limit))
        .layer(RequestBodyTimeoutLayer::new(app.settings.body_timeout))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            service::authenticate,
        ))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            service::storage_budget,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            service::observe,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    let id = req
                        .headers()
                        .get(&service::REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(),
                        request_id = %id)
                })
                // one line per answer at info (shown with DIALBACK_LOG=info); errors are
                // logged where they happen, with what went wrong
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO))
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::new(service::REQUEST_ID))
        .layer(SetRequestIdLayer::new(service::REQUEST_ID, MakeRequestUuid))
        .layer(middleware::from_fn(service::sanitize_request_id))
}

/// The metrics endpoint alone, for `--metrics-listen`.
pub fn metrics_router(app: Arc<App>) -> Router {
    Router::new()
        .route("/metrics", get(service::metrics))
        .with_state(app)
}

async fn talkover_not_found(OriginalUri(uri): OriginalUri) -> TalkoverError {
    TalkoverError::new(
        Failure::NotFound,
        "NOT_FOUND",
        format!("no such endpoint: {}", uri.path()),
        "path",
    )
}

async fn talkover_method_not_allowed(OriginalUri(uri): OriginalUri) -> TalkoverError {
    TalkoverError::new(
        Refusal::MethodNotAllowed,
        "METHOD_NOT_ALLOWED",
        format!("{} does not support this method", uri.path()),
        "method",
    )
}

async fn agentphone_not_found() -> AgentPhoneError {
    AgentPhoneError::not_found("Not Found")
}

/// AgentPhone's call endpoints that need telephony, recordings or transcripts.
async fn agentphone_unsupported() -> AgentPhoneError {
    AgentPhoneError::Status {
        status: 501,
        message: "placing, ending, recording and transcribing \
        calls needs telephony, which Dialback does not have: record calls your telephony made with \
        POST /api/v1/calls"
            .into(),
        code: "NOT_SUPPORTED",
        kind: "api_error",
    }
}

async fn agentphone_method_not_allowed() -> AgentPhoneError {
    AgentPhoneError::Status {
        status: 405,
        message: "Method Not Allowed".into(),
        code: "METHOD_NOT_ALLOWED",
        kind: "invalid_request_error",
    }
}

async fn console_not_built(uri: Uri) -> impl IntoResponse {
    if uri.path() != "/" && uri.path() != "/index.html" {
        return TalkoverError::new(
            Failure::NotFound,
            "NOT_FOUND",
            format!("no such page: {}", uri.path()),
            "path",
        )
        .into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><html lang=en><meta charset=utf-8><title>Dialback</title><body \
         style=\"font-family:system-ui;max-width:40rem;margin:3rem auto\"><h1>Dialback</h1><p>The \
         API is running at <code>/api/v1</code> (Talkover) and <code>/v1</code> \
         (AgentPhone).</p><p>The admin console is not built into this server \
         yet.</p></body></html>",
    )
        .into_response()
}

fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response<axum::body::Body> {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned());
    tracing::error!(panic = what.as_deref().unwrap_or("?"), "handler panicked");
    let mut response = TalkoverError::new(
        Failure::Storage,
        "INTERNAL_ERROR",
        "the server hit an unexpected error while handling this request",
        "body",
    )
    .into_response();
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}
