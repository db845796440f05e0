//! `POST /api/v1/calls/import`: NDJSON, one call per line, streamed.
//!
//! The body is read as it arrives; each byte is looked at once (a long line without a line
//! break is not rescanned as more of it arrives), no line longer than the line limit is kept
//! or parsed, and lines are committed 5,000 to a transaction. The report lists the first
//! refused lines, by their line number in the file.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};

use dialback_core::error::ErrorCode;
use dialback_core::wire::FieldError;
use dialback_core::wire::lines::{LineTooLong, NdjsonLines};
use dialback_core::wire::requests::calls::parse_new_call;
use dialback_core::wire::requests::queries::{Params, parse_import};
use dialback_core::wire::requests::{NewCall, field_errors};
use dialback_core::wire::talkover::calls::Rejection;
use dialback_core::wire::talkover::{Envelope, ImportReport};
use http_body_util::BodyExt;

use super::super::blocking;
use super::super::error::{Refusal, TalkoverError};
use super::super::extract::TalkoverWrite;
use crate::app::{App, Env};
use crate::ops::{self, Failure, Recorded};

/// How many lines go into one transaction.
const IMPORT_BATCH: usize = 5_000;
/// How many refused lines the report lists (all are counted).
pub const MAX_LISTED_REJECTIONS: usize = 100;
/// How many problems a listed line shows.
const MAX_ERRORS_PER_LINE: usize = 10;

/// `POST /api/v1/calls/import` with NDJSON (`application/x-ndjson`): one call per line, in
/// time order. A refused line is reported with its number and errors and stores nothing.
/// An import sends no webhook events unless asked with `?webhooks=true` (a backfill is
/// history, not news).
pub async fn import(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    req: Request,
) -> Result<Json<Envelope<ImportReport>>, TalkoverError> {
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
        return Err(TalkoverError::new(
            Refusal::UnsupportedMediaType,
            "UNSUPPORTED_MEDIA_TYPE",
            "send NDJSON with Content-Type: application/x-ndjson",
            "content-type",
        ));
    }
    // a query that is not URL encoding at all asks for nothing, as before
    let query: Params =
        serde_urlencoded::from_str(req.uri().query().unwrap_or("")).unwrap_or_default();
    let events = parse_import(&query).map_err(TalkoverError::request)?;
    let limit = app.settings.import_limit;
    let too_large = || {
        TalkoverError::new(
            Refusal::TooLarge,
            "PAYLOAD_TOO_LARGE",
            format!("imports are limited to {limit} bytes"),
            "body",
        )
    };
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body: Body = req.into_body();
    let mut report = ImportReport::default();
    let mut lines = NdjsonLines::with_limit(app.settings.import_line_limit);
    let mut batch: Vec<(u64, NewCall)> = Vec::with_capacity(IMPORT_BATCH);
    let mut storing = None;
    let mut read_bytes = 0usize;
    loop {
        let frame = match body.frame().await {
            None => break,
            Some(Ok(frame)) => frame,
            Some(Err(e)) => {
                return Err(TalkoverError::new(
                    Refusal::BadRequest,
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
        let _: Result<(), Infallible> = lines.push(&chunk, |number, line| {
            take_line(number, line, &mut report, &mut batch);
            Ok(())
        });
        report.lines = lines.lines();
        // a chunk may complete more lines than a batch holds: each transaction takes
        // IMPORT_BATCH of them
        while batch.len() >= IMPORT_BATCH {
            let rest = batch.split_off(IMPORT_BATCH);
            flush(&app, &env, &mut batch, &mut report, &mut storing, events).await?;
            batch = rest;
        }
    }
    if !report.truncated {
        let _: Result<(), Infallible> = lines.finish(|number, line| {
            take_line(number, line, &mut report, &mut batch);
            Ok(())
        });
        report.lines = lines.lines();
    }
    flush(&app, &env, &mut batch, &mut report, &mut storing, events).await?;
    settle(&mut storing, &mut report).await?;
    app.metrics.import_lines("created", report.created);
    app.metrics.import_lines("existing", report.existing);
    app.metrics.import_lines("rejected", report.rejected);
    if report.truncated {
        return Err(TalkoverError::new(
            Refusal::TooLarge,
            "PAYLOAD_TOO_LARGE",
            format!(
                "imports are limited to {limit} bytes; the first {} lines were processed ({} \
                 created)",
                report.lines, report.created
            ),
            "body",
        ));
    }
    Ok(Json(Envelope::ok(report)))
}

/// Parses one line into the batch, or refuses it into the report.
fn take_line(
    number: u64,
    line: Result<&[u8], LineTooLong>,
    report: &mut ImportReport,
    batch: &mut Vec<(u64, NewCall)>,
) {
    let text = match line {
        Ok(text) => text,
        Err(too_long) => {
            let error = FieldError::new(too_long.code(), too_long.to_string(), "body", None);
            reject(report, number, vec![error]);
            return;
        }
    };
    let parsed = serde_json::from_slice::<serde_json::Value>(text)
        .map_err(|e| {
            vec![FieldError::new(
                "INVALID_JSON",
                format!("not valid JSON: {e}"),
                "body",
                None,
            )]
        })
        .and_then(|v| parse_new_call(&v).map_err(|errors| field_errors(&errors)));
    match parsed {
        Ok(call) => batch.push((number, call)),
        Err(errors) => reject(report, number, errors),
    }
}

/// Counts a refused line, and lists it if it is among the first refused lines of the file
/// (by line number: a line refused when its batch is stored comes after lines refused while
/// reading, but is listed in its place).
fn reject(report: &mut ImportReport, line: u64, mut errors: Vec<FieldError>) {
    report.rejected += 1;
    let at = report.rejections.partition_point(|r| r.line < line);
    if at < MAX_LISTED_REJECTIONS {
        errors.truncate(MAX_ERRORS_PER_LINE);
        report.rejections.insert(at, Rejection { line, errors });
        report.rejections.truncate(MAX_LISTED_REJECTIONS);
    }
}

/// A batch being stored (routed and committed) on a blocking thread, while the request task
/// reads and parses the next one: with storage on another core (PostgreSQL) or another
/// thread (SQLite), an import keeps both busy. One at a time, so batches commit in order.
struct Storing {
    lines: Vec<u64>,
    task: tokio::task::JoinHandle<Result<Vec<Recorded>, TalkoverError>>,
}

/// Waits for the batch being stored, and counts what it did.
async fn settle(
    storing: &mut Option<Storing>,
    report: &mut ImportReport,
) -> Result<(), TalkoverError> {
    let Some(Storing { lines, task }) = storing.take() else {
        return Ok(());
    };
    let results = task.await.map_err(|e| {
        tracing::error!(error = %e, "an import batch stopped");
        TalkoverError::new(
            Failure::Storage,
            "INTERNAL_ERROR",
            "the operation stopped unexpectedly; the server log has the details",
            "",
        )
    })??;
    for (line, result) in lines.into_iter().zip(results) {
        match result {
            Recorded::Created(_) => report.created += 1,
            Recorded::Existing(_) => report.existing += 1,
            Recorded::Conflict(errors) | Recorded::Rejected(errors) => reject(report, line, errors),
        }
    }
    Ok(())
}

/// Waits for the previous batch, then starts storing this one.
async fn flush(
    app: &Arc<App>,
    env: &Arc<Env>,
    batch: &mut Vec<(u64, NewCall)>,
    report: &mut ImportReport,
    storing: &mut Option<Storing>,
    events: bool,
) -> Result<(), TalkoverError> {
    settle(storing, report).await?;
    if batch.is_empty() {
        return Ok(());
    }
    let (lines, calls): (Vec<u64>, Vec<NewCall>) = std::mem::take(batch).into_iter().unzip();
    let (app, env) = (app.clone(), env.clone());
    // an import is long by nature: each batch gets a storage budget of its own
    let budget = app.settings.storage_timeout;
    let task = tokio::spawn(async move {
        blocking(budget, move || ops::record_calls(&app, &env, calls, events))
            .await
            .map_err(TalkoverError::from)
    });
    *storing = Some(Storing { lines, task });
    Ok(())
}
