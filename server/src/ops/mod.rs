//! What the API does, independent of HTTP: each write locks one environment's view, begins a
//! storage transaction (which takes the environment's write lock in every server sharing the
//! database), applies what other servers committed meanwhile, applies the core's rules,
//! commits, and only then changes the view. If a commit fails after the view was touched, the
//! view is marked stale and rebuilt from storage before anyone reads it again, so memory never
//! shows what the database does not hold.
//!
//! - [`agents`]: agents, their numbers, calling settings, knowledge and callback role;
//! - [`calls`]: recording calls (routed once, idempotent by `external_id`) and messages.
//!
//! These functions block (storage is synchronous): handlers run them on blocking threads.

pub mod agents;
pub mod calls;

use dialback_core::wire::FieldError;
use dialback_core::wire::requests::{RequestError, field_errors};
use tokio::sync::RwLockWriteGuard;

use crate::app::{App, Env};
use crate::store::{StoreError, Writes};
use crate::view::View;

pub use calls::{Recorded, record_calls, record_messages};

/// How an operation failed. Each API's shell answers it with its own status and body
/// (`http::error`); what only HTTP can refuse (an unreadable request, a method or feature not
/// served, a limit) is not an operation's outcome and is not here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// What it names does not exist here.
    NotFound,
    /// It contradicts what is stored.
    Conflict,
    /// It is well-formed but breaks a rule.
    Invalid,
    /// Storage failed; details are in the log, not the answer.
    Storage,
    /// Storage cannot be reached now, or did not answer in time.
    Unavailable,
}

/// A failed operation: what kind of failure, and every problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError {
    /// The kind.
    pub failure: Failure,
    /// Problems, the first one leading.
    pub errors: Vec<FieldError>,
}

impl OpError {
    /// One problem.
    pub fn one(failure: Failure, code: &str, message: impl Into<String>, field: &str) -> Self {
        OpError {
            failure,
            errors: vec![FieldError::new(code, message, field, None)],
        }
    }

    /// Validation problems (422).
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        OpError {
            failure: Failure::Invalid,
            errors,
        }
    }

    /// A request's problems (422).
    pub fn request(errors: &[RequestError]) -> Self {
        OpError::invalid(field_errors(errors))
    }

    /// Storage failed: logged in full, answered without its details (which may name tables,
    /// paths or values).
    pub fn storage(e: &StoreError) -> Self {
        if let StoreError::Unavailable(why) = e {
            tracing::warn!(error = %why, "storage unavailable");
            return OpError::unavailable();
        }
        if let StoreError::NoAnswer(why) = e {
            return OpError::timed_out(why);
        }
        tracing::error!(error = %e, "storage failed");
        OpError::one(
            Failure::Storage,
            "INTERNAL_ERROR",
            "storage failed; the server log has the details",
            "",
        )
    }

    /// Storage did not answer within the request's budget (503): unlike
    /// [`OpError::unavailable`], a write may still have taken effect.
    pub fn timed_out(waited: &dyn std::fmt::Display) -> Self {
        tracing::warn!(error = %waited, "storage did not answer in time");
        OpError::one(
            Failure::Unavailable,
            "STORAGE_UNAVAILABLE",
            format!(
                "{waited}; a write may or may not have taken effect: retrying with the same \
                 external_id (calls) or reading back is safe"
            ),
            "",
        )
    }

    /// Storage cannot be reached now (503): nothing was written, and a retry may succeed.
    pub fn unavailable() -> Self {
        OpError::one(
            Failure::Unavailable,
            "STORAGE_UNAVAILABLE",
            "storage cannot be reached right now; nothing was written; try again shortly",
            "",
        )
    }

    /// No agent with this id here: the core's `AGENT_NOT_FOUND`, so every place that says it
    /// says it the same way.
    pub fn agent_not_found() -> Self {
        let error = dialback_core::ConfigError::AgentNotFound(String::new());
        OpError {
            failure: Failure::NotFound,
            errors: vec![FieldError::from(&error)],
        }
    }
}

/// A write in progress: the environment's view, locked and brought up to date with what
/// every server committed, and the storage transaction that holds the environment's write
/// lock until it commits.
struct Write<'a> {
    view: RwLockWriteGuard<'a, View>,
    tx: Box<dyn Writes + 'a>,
}

/// Begins a write, from a storage thread. A stale view (a failed write left it) is not
/// rebuilt here, under the lock, within a request's deadline: the HTTP shell asks
/// `App::ready_for_writing` first, which rebuilds it with no lock held; a view that went stale
/// since is refused as unavailable.
fn write<'a>(app: &'a App, env: &'a Env) -> Result<Write<'a>, OpError> {
    let mut view = env.view.blocking_write();
    if view.stale {
        return Err(OpError::unavailable());
    }
    let (tx, tail) = app
        .store
        .begin(env.id, view.version)
        .map_err(|e| OpError::storage(&e))?;
    if let Err(e) = view.apply(tail) {
        drop(tx);
        view.stale = true;
        tracing::error!(env = env.id, error = %e, "could not apply another server's changes");
        return Err(OpError::unavailable());
    }
    Ok(Write { view, tx })
}

impl<'a> Write<'a> {
    /// Commits, and records the version the view now reflects; the caller then applies what
    /// it wrote to the view.
    fn commit(self, app: &App, env: &Env) -> Result<RwLockWriteGuard<'a, View>, OpError> {
        let Write { mut view, tx } = self;
        match tx.commit() {
            Ok(version) => {
                view.version = version;
                Ok(view)
            }
            Err(e) => Err(failed(app, env, &mut view, &e)),
        }
    }

    /// Stores the events of a change of agents and numbers, from the view as it now is (the
    /// caller applied the change to it; a failure here or at commit leaves it stale).
    fn log_directory(
        &mut self,
        app: &App,
        change: &crate::live::record::DirectoryChange,
    ) -> Result<(), StoreError> {
        let events = change.events(&self.view, app.now(), crate::webhooks::now_ms(app));
        self.tx.log_events(&events)
    }

    /// Gives up (rolling back) after a store error.
    fn fail(self, app: &App, env: &Env, e: &StoreError) -> OpError {
        let Write { mut view, tx } = self;
        drop(tx);
        failed(app, env, &mut view, e)
    }
}

/// After a failed write: the view may hold what was not stored, so it is stale, and read by
/// no one, until the next request rebuilds it (`App::repair`, with no lock held while
/// storage answers).
fn failed(_app: &App, env: &Env, view: &mut View, e: &StoreError) -> OpError {
    view.stale = true;
    tracing::warn!(
        env = env.id,
        "the view is stale until storage gives it back"
    );
    OpError::storage(e)
}

/// After a committed change to agents or numbers: the directory follows, or (if stored data
/// breaks a directory rule, which the checks before the commit make impossible) the view is
/// stale until it is rebuilt from storage.
fn refresh(_app: &App, env: &Env, view: &mut View) {
    if view.refresh_directory().is_err() {
        view.stale = true;
        tracing::error!(
            env = env.id,
            "stored agents break a directory rule; rebuilding"
        );
    }
}

fn new_uuid() -> uuid::Uuid {
    uuid::Uuid::new_v4()
}
