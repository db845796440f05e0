//! What every request goes through besides its handler (request id, metrics, the rate limit),
//! and the operator's endpoints: health and metrics.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dialback_core::wire::talkover::{Envelope, Health, HealthStatus};

use super::error::{AgentPhoneError, Refusal, TalkoverError};
use crate::app::{App, Session};
use crate::auth;
use crate::metrics::{RequestLabels, RouteLabels};
use crate::ops::OpError;

/// The request id header, set on every request and echoed on every response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A client's own request id is kept if it is a plain token of at most 64 characters (it goes
/// into logs); anything else is dropped and the server makes one.
pub async fn sanitize_request_id(mut req: Request, next: Next) -> Response {
    let keep = req.headers().get(&REQUEST_ID).is_some_and(|v| {
        v.as_bytes().len() <= 64
            && v.as_bytes()
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    });
    if !keep {
        req.headers_mut().remove(&REQUEST_ID);
    }
    next.run(req).await
}

/// Counts the request and times it, by route template.
pub async fn observe(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    // `/api/v1/agents/:id`: the router's template, with the path id written as most
    // dashboards and line-based scrapers expect it (no braces inside a label value)
    let route = req.extensions().get::<MatchedPath>().map_or_else(
        || "unmatched".to_owned(),
        |m| m.as_str().replace("{id}", ":id"),
    );
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(req).await;
    let metrics = &app.metrics;
    metrics
        .latency
        .get_or_create(&RouteLabels {
            route: route.clone(),
            method: method.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route,
            method,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// Gives the request its storage budget (`--storage-timeout`): every storage wait of the
/// request, the token look-up included, comes out of it (see `crate::storage`).
pub async fn storage_budget(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    crate::storage::within_budget(app.settings.storage_timeout, next.run(req)).await
}

/// What a request's token opened, resolved once by [`authenticate`] for the extractors and
/// the rate limit: a session, none (no valid token), or the storage failure that kept it
/// from being known (answered in the route's dialect by its extractor, never asked again).
#[derive(Clone)]
pub struct Authenticated(pub Result<Option<Session>, OpError>);

/// Resolves the bearer token once per request, then applies `--rate-limit N`: N requests a
/// minute per token, refused with 429 in the API's dialect, and the `X-RateLimit-*` headers on
/// every answer to an authenticated request. Only tokens that authenticate get a bucket, so
/// made-up tokens cannot crowd out real ones; they get their 401 from the handler's extractor.
pub async fn authenticate(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(auth::bearer)
        .map(str::to_owned);
    let Some(token) = token else {
        return next.run(req).await;
    };
    // a storage error is left to the extractor, which answers it in the route's dialect
    let session = app
        .authenticate(&token)
        .await
        .map_err(|e| OpError::storage(&e));
    let token_id = session
        .as_ref()
        .ok()
        .and_then(|s| s.as_ref().map(|s| s.grant.token_id));
    req.extensions_mut().insert(Authenticated(session));
    let (Some(limiter), Some(token_id)) = (&app.limiter, token_id) else {
        return next.run(req).await;
    };
    let decision = limiter.check(token_id, Instant::now());
    let mut response = if decision.allowed {
        next.run(req).await
    } else {
        app.metrics.rate_limited.inc();
        let message = format!(
            "Rate limit exceeded. Limit: {} requests per 60s",
            decision.limit
        );
        let mut refused = if req.uri().path().starts_with("/v1/") {
            AgentPhoneError::Status {
                status: Refusal::RateLimited.status(),
                message,
                code: "RATE_LIMIT_EXCEEDED",
                kind: "rate_limit_error",
            }
            .into_response()
        } else {
            TalkoverError::new(Refusal::RateLimited, "RATE_LIMIT_EXCEEDED", message, "")
                .into_response()
        };
        refused
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(decision.retry_after));
        refused
    };
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(decision.limit));
    headers.insert(
        "x-ratelimit-remaining",
        HeaderValue::from(decision.remaining),
    );
    headers.insert("x-ratelimit-reset", HeaderValue::from(decision.reset));
    response
}

/// Whether storage answers, asked off the async workers within `--health-timeout` (1 s): a
/// database that does not answer makes the health check say so, not wait.
async fn health_of(app: Arc<App>) -> Health {
    let store = app.store.clone();
    let answered =
        crate::storage::off_worker(app.settings.health_timeout, move || store.ping()).await;
    let answers = match answered {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: storage does not answer");
            false
        }
        Err(e) => {
            tracing::warn!(error = %e, "health check: storage does not answer");
            false
        }
    };
    Health::of(
        answers,
        env!("CARGO_PKG_VERSION"),
        dialback_core::Zone::database_version(),
    )
}

fn status_of(health: &Health) -> StatusCode {
    match health.status {
        HealthStatus::Ok => StatusCode::OK,
        HealthStatus::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// `GET /healthz`: 200 when storage answers, 503 when it does not; no token needed.
pub async fn healthz(State(app): State<Arc<App>>) -> Response {
    let health = health_of(app).await;
    (status_of(&health), Json(health)).into_response()
}

/// `GET /api/v1/health`: the same in Talkover's envelope. Talkover's auth page probes it with
/// a token; Dialback needs none and ignores one.
pub async fn talkover_health(State(app): State<Arc<App>>) -> Response {
    let health = health_of(app).await;
    let status = status_of(&health);
    let envelope = Envelope {
        success: status == StatusCode::OK,
        data: health,
    };
    (status, Json(envelope)).into_response()
}

/// `GET /metrics`: the Prometheus text format. View sizes are read at scrape time.
pub async fn metrics(State(app): State<Arc<App>>) -> Response {
    for env in app.environments() {
        if let Ok(view) = env.view.try_read() {
            let label = crate::metrics::Environment {
                environment: env.id.to_string(),
            };
            app.metrics
                .view_calls
                .get_or_create(&label)
                .set(i64::try_from(view.call_count()).unwrap_or(i64::MAX));
            app.metrics
                .view_agents
                .get_or_create(&label)
                .set(i64::try_from(view.agents.all().len()).unwrap_or(i64::MAX));
        }
    }
    (
        [(
            CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        app.metrics.encode(),
    )
        .into_response()
}
