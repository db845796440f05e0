//! AgentPhone's side (`/v1`, camelCase, FastAPI's errors): the five usage endpoints, its call
//! lists, and its agents and numbers, read-only (Dialback places no calls and buys no
//! numbers); every other documented path answers why it is not served (`not_served`).

pub mod calls;
pub mod directory;
pub mod not_served;
pub mod usage;
pub mod webhooks;

use std::sync::Arc;

use tokio::sync::RwLockReadGuard;

use super::error::AgentPhoneError;
use crate::app::{App, Env};
use crate::view::View;

/// An environment's view for reading, or AgentPhone's 503.
pub async fn read<'e>(
    app: &App,
    env: &'e Arc<Env>,
) -> Result<RwLockReadGuard<'e, View>, AgentPhoneError> {
    app.read(env).await.map_err(|e| {
        tracing::error!(error = %e, "could not rebuild a stale view");
        AgentPhoneError::Status {
            status: 503,
            message: "storage cannot be read right now; try again shortly".into(),
            code: "SERVICE_UNAVAILABLE",
            kind: "api_error",
        }
    })
}
