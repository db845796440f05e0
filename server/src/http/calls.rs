//! Calls, bulk import, messages and the routing simulator (Talkover side).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use dialback_core::wire::FieldError;
use dialback_core::wire::requests::{NewCall, parse_new_call, parse_new_message, parse_simulation};
use dialback_core::wire::talkover::{CallBody, Envelope, RoutingBody};
use dialback_core::{AgentDirectory, InboundCall, Router, Timestamp};
use http_body_util::BodyExt;
use serde::Serialize;

use super::blocking;
use super::error::ApiError;
use super::extract::{JsonBody, TalkoverEnv};
use crate::app::App;
use crate::ops::{self, Recorded, clock};
use crate::store::{CallRow, MessageRow};

/// The wire form of a stored call, its routing decision explained with current names.
fn call_body(row: CallRow, names: &AgentDirectory) -> CallBody {
    CallBody {
        id: row.id,
        external_id: row.external_id,
        direction: row.direction,
        agent_id: row.agent_id.map(|a| a.to_string()),
        from: row.from,
        to: row.to.to_string(),
        started_at: row.started_at,
        status: row.status,
        duration_seconds: row.duration_seconds,
        routing: row.routing.map(|d| RoutingBody::new(d, names)),
    }
}

/// `POST /api/v1/calls` → 201 with the stored call and, for inbound calls, the routing
/// decision; 200 with the stored call if its `external_id` was recorded before.
pub async fn record(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Envelope<CallBody>>), ApiError> {
    let call = parse_new_call(&body).map_err(ApiError::invalid)?;
    let env2 = env.clone();
    let mut results = blocking(move || ops::record_calls(&app, &env2, vec![call])).await?;
    let view = env.view.read().await;
    match results.pop() {
        Some(Recorded::Created(row)) => Ok((
            StatusCode::CREATED,
            Json(Envelope::ok(call_body(row, &view.directory))),
        )),
        Some(Recorded::Existing(row)) => Ok((
            StatusCode::OK,
            Json(Envelope::ok(call_body(row, &view.directory))),
        )),
        Some(Recorded::Rejected(errors)) => Err(ApiError::invalid(errors)),
        None => Err(ApiError::new(
            500,
            "INTERNAL_ERROR",
            "the call was neither stored nor refused",
            "body",
        )),
    }
}

#[derive(Serialize)]
pub struct CallPage {
    success: bool,
    data: Vec<CallBody>,
    meta: CursorMeta,
}

#[derive(Serialize)]
pub struct CursorMeta {
    per_page: usize,
    /// Pass as `cursor` for the next (older) page; `null` on the last page.
    next_cursor: Option<String>,
}

/// `GET /api/v1/calls?cursor=&per_page=`: newest first (by start, then id).
pub async fn list(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<CallPage>, ApiError> {
    let per_page = match q.get("per_page") {
        None => 20,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| {
                ApiError::new(
                    422,
                    "INVALID_PAGINATION",
                    format!("per_page must be an integer from 1 to 100, got {v:?}"),
                    "per_page",
                )
            })?,
    };
    let cursor = match q.get("cursor").filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(parse_cursor(c).ok_or_else(|| {
            ApiError::new(
                422,
                "INVALID_CURSOR",
                "cursor is not one this server gave out",
                "cursor",
            )
        })?),
    };
    let id = env.id;
    let rows = blocking(move || {
        app.store
            .list_calls(id, cursor, per_page + 1)
            .map_err(|e| ops::OpError::one(500, "INTERNAL_ERROR", e.to_string(), "body"))
    })
    .await?;
    let more = rows.len() > per_page;
    let rows: Vec<CallRow> = rows.into_iter().take(per_page).collect();
    let next_cursor = rows
        .last()
        .filter(|_| more)
        .map(|r| format!("{}.{}", r.started_at.unix_seconds(), r.id));
    let view = env.view.read().await;
    let data = rows
        .into_iter()
        .map(|r| call_body(r, &view.directory))
        .collect();
    Ok(Json(CallPage {
        success: true,
        data,
        meta: CursorMeta {
            per_page,
            next_cursor,
        },
    }))
}

/// Calls per page of an export.
const EXPORT_PAGE: usize = 5_000;

/// `GET /api/v1/calls/export`: every call of the environment, newest first, one JSON object
/// per line in the shape of `GET /api/v1/calls`'s items (routing decisions included). It is
/// streamed a page at a time, so a million calls never sit in memory as one body; it is what
/// the npm package's `CallLog.fromNdjson` reads.
pub async fn export(State(app): State<Arc<App>>, TalkoverEnv(env): TalkoverEnv) -> Response {
    let pages = futures_util::stream::unfold(Some(None), move |cursor| {
        let (app, env) = (app.clone(), env.clone());
        async move {
            let cursor = cursor?;
            let id = env.id;
            let store = app.clone();
            let rows = blocking(move || {
                store
                    .store
                    .list_calls(id, cursor, EXPORT_PAGE)
                    .map_err(|e| ops::OpError::one(500, "INTERNAL_ERROR", e.to_string(), "body"))
            })
            .await;
            let rows = match rows {
                Ok(rows) => rows,
                Err(e) => {
                    // the status line is long gone: ending the stream early is all that is
                    // left, and a reader sees a truncated last line
                    tracing::error!(error = ?e, "export stopped");
                    return Some((Err(std::io::Error::other("export stopped")), None));
                }
            };
            let next = (rows.len() == EXPORT_PAGE)
                .then(|| rows.last().map(|r| (r.started_at, r.id)))
                .flatten();
            let view = env.view.read().await;
            let mut page = Vec::with_capacity(rows.len() * 320);
            for row in rows {
                if serde_json::to_writer(&mut page, &call_body(row, &view.directory)).is_ok() {
                    page.push(b'\n');
                }
            }
            Some((Ok(Bytes::from(page)), next.map(Some)))
        }
    });
    (
        [(CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(pages),
    )
        .into_response()
}

fn parse_cursor(c: &str) -> Option<(Timestamp, u64)> {
    let (at, id) = c.split_once('.')?;
    Some((
        Timestamp::from_unix_seconds(at.parse().ok()?)?,
        id.parse().ok()?,
    ))
}

/// How many lines go into one transaction.
const IMPORT_BATCH: usize = 5_000;
/// How many rejected lines the response lists (all are counted).
const MAX_LISTED_REJECTIONS: usize = 1_000;

#[derive(Serialize, Default)]
pub struct ImportReport {
    lines: u64,
    created: u64,
    existing: u64,
    rejected: u64,
    rejections: Vec<Rejection>,
    /// `true` if the body was cut short by the size limit: lines before were processed.
    truncated: bool,
}

#[derive(Serialize)]
pub struct Rejection {
    line: u64,
    errors: Vec<FieldError>,
}

/// `POST /api/v1/calls/import` with NDJSON (`application/x-ndjson`): one call per line, in
/// time order. Lines are committed in batches of 5,000, one transaction each; a rejected line
/// is reported with its number and errors and stores nothing.
pub async fn import(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    req: Request,
) -> Result<Json<Envelope<ImportReport>>, ApiError> {
    let mime = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !matches!(
        mime.as_str(),
        "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines"
    ) {
        return Err(ApiError::new(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "send NDJSON with Content-Type: application/x-ndjson",
            "content-type",
        ));
    }
    let limit = app.settings.import_limit;
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::new(
            413,
            "PAYLOAD_TOO_LARGE",
            format!("imports are limited to {limit} bytes"),
            "body",
        ));
    }
    let mut body: Body = req.into_body();
    let mut report = ImportReport::default();
    let mut pending: Vec<u8> = Vec::new();
    let mut batch: Vec<(u64, NewCall)> = Vec::with_capacity(IMPORT_BATCH);
    let mut read_bytes = 0usize;
    loop {
        let frame = match body.frame().await {
            None => break,
            Some(Ok(frame)) => frame,
            Some(Err(e)) => {
                return Err(ApiError::new(
                    400,
                    "INVALID_BODY",
                    format!("could not read the body: {e}"),
                    "body",
                ));
            }
        };
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        read_bytes += chunk.len();
        if read_bytes > limit {
            report.truncated = true;
            break;
        }
        pending.extend_from_slice(&chunk);
        let mut start = 0;
        while let Some(nl) = pending
            .get(start..)
            .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
        {
            let line = pending.get(start..start + nl).unwrap_or(&[]).to_vec();
            start += nl + 1;
            take_line(&line, &mut report, &mut batch);
            if batch.len() >= IMPORT_BATCH {
                flush(&app, &env, &mut batch, &mut report).await?;
            }
        }
        pending.drain(..start);
    }
    if !report.truncated && !pending.is_empty() {
        let line = std::mem::take(&mut pending);
        take_line(&line, &mut report, &mut batch);
    }
    flush(&app, &env, &mut batch, &mut report).await?;
    if report.truncated {
        return Err(ApiError::new(
            413,
            "PAYLOAD_TOO_LARGE",
            format!(
                "imports are limited to {limit} bytes; the first {} lines were processed ({} created)",
                report.lines, report.created
            ),
            "body",
        ));
    }
    Ok(Json(Envelope::ok(report)))
}

fn take_line(line: &[u8], report: &mut ImportReport, batch: &mut Vec<(u64, NewCall)>) {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    report.lines += 1;
    if line.iter().all(u8::is_ascii_whitespace) {
        report.lines -= 1; // blank lines are not lines
        return;
    }
    let parsed = serde_json::from_slice::<serde_json::Value>(line)
        .map_err(|e| {
            vec![FieldError::new(
                "INVALID_JSON",
                format!("not valid JSON: {e}"),
                "body",
                None,
            )]
        })
        .and_then(|v| parse_new_call(&v));
    match parsed {
        Ok(call) => batch.push((report.lines, call)),
        Err(errors) => reject(report, report.lines, errors),
    }
}

fn reject(report: &mut ImportReport, line: u64, errors: Vec<FieldError>) {
    report.rejected += 1;
    if report.rejections.len() < MAX_LISTED_REJECTIONS {
        report.rejections.push(Rejection { line, errors });
    }
}

async fn flush(
    app: &Arc<App>,
    env: &Arc<crate::app::Env>,
    batch: &mut Vec<(u64, NewCall)>,
    report: &mut ImportReport,
) -> Result<(), ApiError> {
    if batch.is_empty() {
        return Ok(());
    }
    let (lines, calls): (Vec<u64>, Vec<NewCall>) = std::mem::take(batch).into_iter().unzip();
    let (app, env) = (app.clone(), env.clone());
    let results = blocking(move || ops::record_calls(&app, &env, calls)).await?;
    for (line, result) in lines.into_iter().zip(results) {
        match result {
            Recorded::Created(_) => report.created += 1,
            Recorded::Existing(_) => report.existing += 1,
            Recorded::Rejected(errors) => reject(report, line, errors),
        }
    }
    Ok(())
}

#[derive(Serialize)]
pub struct MessageBodyOut {
    id: u64,
    agent_id: Option<String>,
    direction: dialback_core::Direction,
    from: String,
    to: String,
    sent_at: Timestamp,
}

impl From<MessageRow> for MessageBodyOut {
    fn from(m: MessageRow) -> Self {
        MessageBodyOut {
            id: m.id,
            agent_id: m.agent_id.map(|a| a.to_string()),
            direction: m.direction,
            from: m.from.to_string(),
            to: m.to.to_string(),
            sent_at: m.sent_at,
        }
    }
}

/// `POST /api/v1/messages` → 201.
pub async fn message(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Envelope<MessageBodyOut>>), ApiError> {
    let m = parse_new_message(&body).map_err(ApiError::invalid)?;
    let mut rows = blocking(move || ops::record_messages(&app, &env, vec![m])).await?;
    let row = rows.pop().ok_or_else(|| {
        ApiError::new(500, "INTERNAL_ERROR", "the message was not stored", "body")
    })?;
    Ok((StatusCode::CREATED, Json(Envelope::ok(row.into()))))
}

/// `POST /api/v1/routing/simulate`: the decision for a hypothetical inbound call, against the
/// current configuration and calls; nothing is stored.
pub async fn simulate(
    TalkoverEnv(env): TalkoverEnv,
    JsonBody(body): JsonBody,
) -> Result<Json<Envelope<RoutingBody>>, ApiError> {
    let sim = parse_simulation(&body).map_err(ApiError::invalid)?;
    let view = env.view.read().await;
    let call = InboundCall {
        from: sim.from,
        to: sim.to,
        at: sim.at.unwrap_or_else(clock),
    };
    let decision = Router::new(&view.directory, &view.outbound).route(&call);
    Ok(Json(Envelope::ok(RoutingBody::new(
        decision,
        &view.directory,
    ))))
}
