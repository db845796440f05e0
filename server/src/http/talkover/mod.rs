//! Talkover's side (`/api/v1`, snake_case, `{"success": ...}`): the documented endpoints for
//! agents, numbers, callbacks and calls, our extensions beside them, and a clear refusal for
//! the documented endpoints that need telephony or voice.

pub mod agents;
pub mod callbacks;
pub mod calls;
pub mod events;
pub mod import;
pub mod numbers;
pub mod sources;
pub mod token;
pub mod unsupported;
pub mod webhooks;

use std::sync::Arc;

use axum::Json;
use tokio::sync::RwLockReadGuard;

use super::error::TalkoverError;
use crate::app::{App, Env};
use crate::ops::{Failure, OpError};
use crate::view::View;

/// A Talkover answer.
pub type Reply<T> = Result<Json<T>, TalkoverError>;

/// An environment's view for reading, or the Talkover error for storage being unavailable.
pub async fn read<'e>(
    app: &App,
    env: &'e Arc<Env>,
) -> Result<RwLockReadGuard<'e, View>, TalkoverError> {
    app.read(env).await.map_err(|e| {
        tracing::error!(error = %e, "could not rebuild a stale view");
        TalkoverError::from(OpError::one(
            Failure::Unavailable,
            "STORAGE_UNAVAILABLE",
            "storage cannot be read right now; try again shortly",
            "",
        ))
    })
}
