//! The HTTP shell: routes, layers, fallbacks. Handlers parse, authorise, call `ops` or the
//! core on the environment's view, and answer in their API's dialect.

mod agents;
mod calls;
mod error;
mod extract;
mod usage;

use std::any::Any;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Response, StatusCode, Uri, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

pub use error::{ApiError, UsageError};

use crate::app::App;
use crate::ops::OpError;

/// Runs a blocking operation (storage) off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, OpError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(e) => Err(ApiError::new(
            500,
            "INTERNAL_ERROR",
            format!("the operation failed: {e}"),
            "body",
        )),
    }
}

/// The whole HTTP application.
pub fn router(app: Arc<App>) -> Router {
    let talkover = Router::new()
        .route("/agents", get(agents::list).post(agents::create))
        .route("/agents/{id}", get(agents::get).patch(agents::patch))
        .route(
            "/agents/{id}/callback",
            post(agents::set_callback)
                .put(agents::set_callback)
                .delete(agents::remove_callback),
        )
        .route("/callback-agents", get(agents::list_callback_agents))
        .route("/callback-agents/stats", get(agents::stats))
        .route("/callback-agents/{id}", get(agents::callback_agent))
        .route(
            "/callback-agents/{id}/check-constraints",
            post(agents::check_constraints),
        )
        .route("/calls", get(calls::list).post(calls::record))
        .route("/calls/export", get(calls::export))
        .route(
            "/calls/import",
            post(calls::import).layer(DefaultBodyLimit::disable()),
        )
        .route("/messages", post(calls::message))
        .route("/routing/simulate", post(calls::simulate))
        .fallback(talkover_not_found)
        .method_not_allowed_fallback(talkover_method_not_allowed);
    let agentphone = Router::new()
        .route("/usage", get(usage::totals))
        .route("/usage/by-agent", get(usage::by_agent))
        .route("/usage/daily", get(usage::daily))
        .route("/usage/monthly", get(usage::monthly))
        .route("/usage/by-number", get(usage::by_number))
        .fallback(agentphone_not_found)
        .method_not_allowed_fallback(agentphone_method_not_allowed);
    let console = match &app.settings.static_dir {
        Some(dir) if dir.join("index.html").is_file() => Router::new().fallback_service(
            ServeDir::new(dir)
                .precompressed_gzip()
                .fallback(ServeFile::new(dir.join("index.html")).precompressed_gzip()),
        ),
        _ => Router::new().fallback(console_not_built),
    };
    let mut apis = Router::new()
        .nest("/api/v1", talkover)
        .nest("/v1", agentphone);
    if let Some(cors) = app.settings.allowed_origins.layer() {
        apis = apis.layer(cors);
    }
    let routes = apis
        .route("/healthz", get(|| async { "ok" }))
        .merge(console);
    layers(routes, &app).with_state(app)
}

/// The layers every route gets: body limit, panics turned into a 500 (the server keeps
/// running), request tracing (method, path and status; never headers, so never tokens).
pub fn layers(routes: Router<Arc<App>>, app: &App) -> Router<Arc<App>> {
    routes
        .layer(DefaultBodyLimit::max(app.settings.body_limit))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http())
}

async fn talkover_not_found(uri: Uri) -> ApiError {
    ApiError::new(
        404,
        "NOT_FOUND",
        format!("no such endpoint: {}", uri.path()),
        "path",
    )
}

async fn talkover_method_not_allowed(uri: Uri) -> ApiError {
    ApiError::new(
        405,
        "METHOD_NOT_ALLOWED",
        format!("{} does not support this method", uri.path()),
        "method",
    )
}

async fn agentphone_not_found() -> UsageError {
    UsageError::Status(404, "Not Found".into())
}

async fn agentphone_method_not_allowed() -> UsageError {
    UsageError::Status(405, "Method Not Allowed".into())
}

async fn console_not_built(uri: Uri) -> impl IntoResponse {
    if uri.path() != "/" && uri.path() != "/index.html" {
        return ApiError::new(
            404,
            "NOT_FOUND",
            format!("no such page: {}", uri.path()),
            "path",
        )
        .into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><html lang=en><meta charset=utf-8><title>Dialback</title>\
         <body style=\"font-family:system-ui;max-width:40rem;margin:3rem auto\"><h1>Dialback</h1>\
         <p>The API is running at <code>/api/v1</code> (Talkover) and <code>/v1</code> (AgentPhone).</p>\
         <p>The admin console is not built into this server yet.</p></body></html>",
    )
        .into_response()
}

fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response<axum::body::Body> {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned());
    tracing::error!(panic = what.as_deref().unwrap_or("?"), "handler panicked");
    let mut response = ApiError::new(
        500,
        "INTERNAL_ERROR",
        "the server hit an unexpected error while handling this request",
        "body",
    )
    .into_response();
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}
