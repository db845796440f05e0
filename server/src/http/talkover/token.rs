//! `GET /api/v1/token` (our extension): what the connected token is and may do, so that the
//! console can show its scope and disable writes for a read-only one. Never the secret.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use dialback_core::wire::talkover::{Envelope, TokenBody};

use super::super::blocking;
use super::super::extract::TalkoverSession;
use super::Reply;
use crate::app::App;
use crate::ops::OpError;

/// `GET /api/v1/token`.
pub async fn current(
    State(app): State<Arc<App>>,
    TalkoverSession(session): TalkoverSession,
) -> Reply<Envelope<TokenBody>> {
    let grant = session.grant;
    let body = blocking(app.budget(), move || {
        let store = &app.store;
        let info = store
            .tokens()
            .tokens_of(grant.env)
            .map_err(|e| OpError::storage(&e))?
            .into_iter()
            .find(|t| t.id == grant.token_id);
        let environment = store
            .tokens()
            .environments()
            .map_err(|e| OpError::storage(&e))?
            .into_iter()
            .find_map(|(id, name)| (id == grant.env).then_some(name))
            .unwrap_or_default();
        Ok(TokenBody {
            id: grant.token_id,
            label: info.as_ref().map(|t| t.label.clone()).unwrap_or_default(),
            scope: grant.scope,
            environment,
            created_at: info.map(|t| t.created_at.to_string()).unwrap_or_default(),
            expires_at: grant.expires_at.map(|t| t.to_string()),
        })
    })
    .await?;
    Ok(Json(Envelope::ok(body)))
}
