//! Extension: the environment's sources (`GET /api/v1/sources`), and "Sync now"
//! (`POST /api/v1/sources/{id}/sync`). Sources are added and removed with `dialback source`,
//! by the operator: their base URLs and credential references are the server's configuration,
//! not something a token holder may point elsewhere.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dialback_core::source::SyncStop;
use dialback_core::wire::talkover::sources::SourceBody;
use dialback_core::wire::talkover::{Envelope, MessageEnvelope};

use super::super::error::TalkoverError;
use super::super::extract::{TalkoverEnv, TalkoverWrite};
use super::Reply;
use crate::app::App;
use crate::ops::{Failure, OpError};
use crate::sources::{self, Silent};
use crate::store::sources::Source;

fn body(app: &App, s: &Source) -> SourceBody {
    let st = &s.state;
    let syncing = app
        .syncing
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .contains(&s.id);
    SourceBody {
        id: s.id,
        platform: s.platform,
        base_url: s.base_url.clone(),
        token: s.token.to_string(),
        webhook_path: s
            .webhook_secret
            .as_ref()
            .map(|_| format!("/hooks/agentphone/{}", s.id)),
        created_at: s.created_at,
        cursor: st.cursor,
        last_run_at: st.last_run_at,
        last_ok_at: st.last_ok_at,
        last_error: st.last_error.clone(),
        agents: st.agents,
        numbers: st.numbers,
        calls: st.calls,
        syncing,
    }
}

async fn of_env(app: &App, env: i64) -> Result<Vec<Source>, TalkoverError> {
    let all = app
        .storage(|s| s.sources().sources())
        .await
        .map_err(|e| TalkoverError::from(OpError::storage(&e)))?;
    Ok(all.into_iter().filter(|s| s.env == env).collect())
}

/// `GET /api/v1/sources`: the environment's sources, oldest first.
pub async fn list(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
) -> Reply<Envelope<Vec<SourceBody>>> {
    let sources = of_env(&app, env.id).await?;
    Ok(Json(Envelope::ok(
        sources.iter().map(|s| body(&app, s)).collect(),
    )))
}

/// `POST /api/v1/sources/{id}/sync`: starts a run now (202); its outcome shows in the list.
/// A source already syncing is 409 `SOURCE_BUSY`.
pub async fn sync_now(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<MessageEnvelope<SourceBody>>), TalkoverError> {
    let not_found = || {
        TalkoverError::from(OpError::one(
            Failure::NotFound,
            SyncStop::NotFound.code(),
            format!("no source {id:?} in this environment"),
            "id",
        ))
    };
    let wanted: i64 = id.parse().map_err(|_| not_found())?;
    let source = of_env(&app, env.id)
        .await?
        .into_iter()
        .find(|s| s.id == wanted)
        .ok_or_else(not_found)?;
    if app
        .syncing
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .contains(&source.id)
    {
        return Err(TalkoverError::from(OpError::one(
            Failure::Conflict,
            SyncStop::Busy.code(),
            format!("source {wanted} is already syncing"),
            "id",
        )));
    }
    let (app2, run) = (app.clone(), source.clone());
    tokio::spawn(async move {
        // a run is long by nature: outside the request, with a storage budget per step
        match sources::run(&app2, &run, &Silent).await {
            Ok(report) => tracing::info!(source = run.id, calls = report.calls_created, "synced"),
            Err(e) => tracing::warn!(source = run.id, error = %e, "sync failed"),
        }
    });
    let mut shown = body(&app, &source);
    shown.syncing = true;
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageEnvelope {
            success: true,
            message: "Sync started".to_owned(),
            data: shown,
        }),
    ))
}
