//! Calls (Talkover side): the documented lists, and our extensions to record calls and
//! messages, export every call, and simulate routing.

use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use dialback_core::wire::requests::calls::{parse_new_call, parse_new_message};
use dialback_core::wire::requests::queries::{CallFilter, parse_call_list};
use dialback_core::wire::requests::simulation::parse_simulation;
use dialback_core::wire::talkover::{
    AgentRef, CallBody, CallItem, CallsPage, Envelope, MessageObject, Pagination, RoutingBody,
};
use dialback_core::{AgentId, CallRecord, InboundCall, UNKNOWN_AGENT};

use super::super::blocking;
use super::super::error::TalkoverError;
use super::super::extract::{JsonBody, Params, PathId, TalkoverEnv, TalkoverWrite};
use super::{Reply, read};
use crate::app::{App, Env};
use crate::ops::{self, Failure, OpError, Recorded};
use crate::store::Slice;
use crate::view::View;

/// A stored call as `GET /api/v1/calls` lists it.
pub fn item(c: &CallRecord, view: &View) -> CallItem {
    let agent = c.agent_id.map(|a| match view.agent(&a) {
        Some(r) => AgentRef::from(r),
        None => AgentRef {
            id: a.to_string(),
            name: UNKNOWN_AGENT.to_owned(),
            label: None,
        },
    });
    CallItem {
        call: CallBody::new(c, &view.directory),
        agent,
    }
}

/// `POST /api/v1/calls` → 201 with the stored call and, for inbound calls, the routing
/// decision; 200 with the stored call if this call was recorded before under its
/// `external_id`; 409 if another call was.
pub async fn record(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    JsonBody(json): JsonBody,
) -> Result<(StatusCode, Json<Envelope<CallItem>>), TalkoverError> {
    let call = parse_new_call(&json).map_err(TalkoverError::request)?;
    let (app2, env2) = (app.clone(), env.clone());
    let mut results = blocking(app.budget(), move || {
        ops::record_calls(&app2, &env2, vec![call], true)
    })
    .await?;
    let view = read(&app, &env).await?;
    match results.pop() {
        Some(Recorded::Created(row)) => {
            Ok((StatusCode::CREATED, Json(Envelope::ok(item(&row, &view)))))
        }
        Some(Recorded::Existing(row)) => {
            Ok((StatusCode::OK, Json(Envelope::ok(item(&row, &view)))))
        }
        Some(Recorded::Conflict(errors)) => Err(TalkoverError::from(OpError {
            failure: Failure::Conflict,
            errors,
        })),
        Some(Recorded::Rejected(errors)) => Err(TalkoverError::invalid(errors)),
        None => Err(TalkoverError::from(OpError::storage(
            &crate::store::StoreError::Internal("a call was neither stored nor refused".into()),
        ))),
    }
}

async fn page(
    app: &Arc<App>,
    env: &Arc<Env>,
    filter: CallFilter,
    paging: dialback_core::wire::requests::queries::Paging,
) -> Result<(Vec<CallRecord>, Pagination), TalkoverError> {
    let listed = app
        .list_calls(env, &filter, paging.offset(), paging.per_page())
        .await
        .map_err(|e| TalkoverError::from(OpError::storage(&e)))?;
    let (rows, total) = (listed.calls, listed.total);
    let pagination = paging.pagination(total, rows.len());
    Ok((rows, pagination))
}

/// `GET /api/v1/calls?status=&direction=&agent_id=&date_from=&date_to=&search=&page=&per_page=`:
/// newest first (by start, then id). `tz` (our extension) makes the dates local days.
pub async fn list(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    Params(q): Params,
) -> Reply<CallsPage<CallItem>> {
    let query = parse_call_list(&q, None).map_err(TalkoverError::request)?;
    let (rows, pagination) = page(&app, &env, query.filter, query.paging).await?;
    let view = read(&app, &env).await?;
    Ok(Json(CallsPage {
        success: true,
        data: rows.iter().map(|c| item(c, &view)).collect(),
        pagination,
    }))
}

/// `GET /api/v1/agents/{id}/calls`: one agent's calls (placed or taken), without `agent`.
pub async fn of_agent(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    PathId(id): PathId,
    Params(q): Params,
) -> Reply<CallsPage<CallBody>> {
    let agent: AgentId = {
        let view = read(&app, &env).await?;
        view.agent_by_path(&id)
            .map(|r| r.id)
            .ok_or_else(OpError::agent_not_found)?
    };
    let query = parse_call_list(&q, Some(agent)).map_err(TalkoverError::request)?;
    let (rows, pagination) = page(&app, &env, query.filter, query.paging).await?;
    let view = read(&app, &env).await?;
    Ok(Json(CallsPage {
        success: true,
        data: rows
            .iter()
            .map(|c| CallBody::new(c, &view.directory))
            .collect(),
        pagination,
    }))
}

/// Calls per page of an export.
const EXPORT_PAGE: u64 = 5_000;

/// `GET /api/v1/calls/export`: every call of the environment, newest first, one JSON object
/// per line in the shape of `GET /api/v1/calls`'s items. It is streamed a page at a time, so
/// a million calls never sit in memory as one body; it is what the npm package's
/// `CallLog.fromNdjson` reads.
pub async fn export(State(app): State<Arc<App>>, TalkoverEnv(env): TalkoverEnv) -> Response {
    let pages = futures_util::stream::unfold(Some(None), move |cursor| {
        let (app, env) = (app.clone(), env.clone());
        async move {
            let cursor = cursor?;
            let (app2, id) = (app.clone(), env.id);
            let slice = match cursor {
                None => Slice::Page {
                    offset: 0,
                    limit: EXPORT_PAGE,
                },
                Some(cursor) => Slice::After {
                    cursor,
                    limit: EXPORT_PAGE,
                },
            };
            let rows = blocking(app.budget(), move || {
                app2.store
                    .list_calls(id, &CallFilter::default(), slice)
                    .map_err(|e| OpError::storage(&e))
            })
            .await;
            let rows = match rows {
                Ok((rows, _)) => rows,
                Err(_) => {
                    // the status line is long gone: ending the stream early is all that is
                    // left, and a reader sees a truncated last line
                    return Some((Err(std::io::Error::other("export stopped")), None));
                }
            };
            let next = (rows.len() as u64 == EXPORT_PAGE)
                .then(|| rows.last().map(|r| (r.started_at, r.id.0)))
                .flatten();
            let Ok(view) = app.read(&env).await else {
                return Some((Err(std::io::Error::other("export stopped")), None));
            };
            let mut page = Vec::with_capacity(rows.len() * 400);
            for row in &rows {
                if serde_json::to_writer(&mut page, &item(row, &view)).is_ok() {
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

/// `POST /api/v1/messages` → 201.
pub async fn message(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    JsonBody(json): JsonBody,
) -> Result<(StatusCode, Json<Envelope<MessageObject>>), TalkoverError> {
    let m = parse_new_message(&json).map_err(TalkoverError::request)?;
    let mut rows = blocking(app.budget(), move || {
        ops::record_messages(&app, &env, vec![m])
    })
    .await?;
    let row = rows.pop().ok_or_else(|| {
        TalkoverError::from(OpError::storage(&crate::store::StoreError::Internal(
            "the message was not stored".into(),
        )))
    })?;
    Ok((StatusCode::CREATED, Json(Envelope::ok((&row).into()))))
}

/// `POST /api/v1/routing/simulate`: the decision for a hypothetical inbound call, against the
/// current configuration and calls; nothing is stored.
pub async fn simulate(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    JsonBody(json): JsonBody,
) -> Reply<Envelope<RoutingBody>> {
    let sim = parse_simulation(&json).map_err(TalkoverError::request)?;
    let view = read(&app, &env).await?;
    let call = InboundCall {
        from: sim.from,
        to: sim.to,
        at: sim.at.unwrap_or_else(|| app.now()),
    };
    let decision = view.routing.route(&call);
    Ok(Json(Envelope::ok(RoutingBody::new(
        decision,
        &view.directory,
    ))))
}
