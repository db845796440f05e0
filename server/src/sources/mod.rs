//! Sources: pulling a platform's agents, numbers, callback roles and calls into an
//! environment, through the platform's documented endpoints only (`fetch`, `run`). Its
//! webhooks, taken as they happen, are `crate::http::hooks`.
//!
//! The rules (what a page says, which ids records get, how agents and numbers merge, which
//! calls are recorded, where the next run starts) are the core's (`dialback_core::source`);
//! this is HTTP, storage and scheduling.

pub mod fetch;
pub mod run;

use std::sync::{Arc, PoisonError};
use std::time::Duration;

use dialback_core::error::ErrorCode;
use dialback_core::source::SyncStop;
use dialback_core::source::merge::MergeError;
use dialback_core::source::page::PageError;

use crate::app::App;

pub use run::{Progress, Report, Silent, run};

/// Why a run stopped. Nothing it had not finished is half-written: agents and numbers are one
/// transaction, calls are idempotent, and the cursor moves only after its calls are stored.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The platform refused a page (other than `429`, which is waited out).
    #[error("{page}: the platform answered {status}: {why}")]
    Refused {
        /// The page, as path and query.
        page: String,
        /// The answer's status.
        status: u16,
        /// Its body, clipped.
        why: String,
    },
    /// A page did not arrive after every retry.
    #[error("{page}: {why}")]
    Unreachable {
        /// The page.
        page: String,
        /// What happened last.
        why: String,
    },
    /// A page that cannot be understood.
    #[error("{page}: {error}")]
    Page {
        /// The page.
        page: String,
        /// The field and its problem.
        error: PageError,
    },
    /// The platform's agents and numbers do not merge into the environment's.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Merge(Vec<MergeError>),
    /// Storage failed or refused.
    #[error("storage: {0}")]
    Storage(String),
    /// The source cannot run as configured (a missing secret, a removed environment).
    #[error("{0}")]
    Setup(String),
    /// A run of this source is already going on in this server.
    #[error("source {0} is already syncing")]
    Busy(i64),
}

impl ErrorCode for SyncError {
    fn code(&self) -> &'static str {
        match self {
            SyncError::Refused { .. } => SyncStop::Refused.code(),
            SyncError::Unreachable { .. } => SyncStop::Unreachable.code(),
            SyncError::Page { error, .. } => error.code(),
            SyncError::Merge(errors) => errors
                .first()
                .map_or(SyncStop::MergeFailed.code(), |e| e.code()),
            SyncError::Storage(_) => "STORAGE_UNAVAILABLE",
            SyncError::Setup(_) => SyncStop::Misconfigured.code(),
            SyncError::Busy(_) => SyncStop::Busy.code(),
        }
    }
}

/// Marks a source as running in a server until dropped.
pub(crate) struct Running<'a> {
    app: &'a App,
    id: i64,
}

impl<'a> Running<'a> {
    pub(crate) fn claim(app: &'a App, id: i64) -> Result<Self, SyncError> {
        let mut running = app.syncing.lock().unwrap_or_else(PoisonError::into_inner);
        match running.insert(id) {
            true => Ok(Running { app, id }),
            false => Err(SyncError::Busy(id)),
        }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let mut running = self
            .app
            .syncing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        running.remove(&self.id);
    }
}

/// Runs every source of every environment now, one after another, then again `every` after
/// each round ends, until the process ends. A failed run is recorded in the source's state and
/// logged; the next round tries again.
pub fn schedule(app: Arc<App>, every: Duration) {
    tokio::spawn(async move {
        loop {
            round(&app).await;
            tokio::time::sleep(every).await;
        }
    });
}

async fn round(app: &Arc<App>) {
    let sources = match app.storage(|s| s.sources().sources()).await {
        Ok(sources) => sources,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the sources; trying next round");
            return;
        }
    };
    for source in sources {
        match run(app, &source, &Silent).await {
            Ok(report) => tracing::info!(
                source = source.id,
                platform = %source.platform,
                calls = report.calls_created,
                pages = report.pages,
                "synced"
            ),
            Err(SyncError::Busy(_)) => {}
            Err(e) => tracing::warn!(source = source.id, error = %e, "sync failed"),
        }
    }
}
