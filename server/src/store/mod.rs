//! Durable storage: what the server must not lose, behind a small trait.
//!
//! The trait speaks in the core's records (agents, numbers, calls, messages), not SQL, so
//! another backend can be added without touching the HTTP handlers. Methods are synchronous;
//! the server calls them on blocking threads. Each write method is one transaction: it
//! happens entirely or not at all.

pub mod migrate;
pub mod sqlite;

use dialback_core::wire::requests::queries::CallFilter;
use dialback_core::{AgentRecord, CallRecord, MessageRecord, NumberResource, Plan, Timestamp};

pub use sqlite::SqliteStore;

use crate::auth::{Grant, NewToken, TokenInfo};

/// An environment (tenant) id.
pub type EnvId = i64;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An environment with that name exists.
    #[error("environment {0:?} already exists")]
    EnvironmentExists(String),
    /// A number is already one of the environment's numbers.
    #[error("number {0} already exists")]
    NumberExists(String),
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// Stored data could not be read back.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// The database was written by a newer release.
    #[error("{0}")]
    TooNew(String),
}

/// Storage results.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Everything of one environment, to rebuild its in-memory view at start.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Agents in creation order.
    pub agents: Vec<AgentRecord>,
    /// Numbers, assigned or not.
    pub numbers: Vec<NumberResource>,
    /// Calls in id order.
    pub calls: Vec<CallRecord>,
    /// Messages in id order.
    pub messages: Vec<MessageRecord>,
}

/// Where a call list starts: a page, or (our extension) after a cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slice {
    /// Skip this many, take that many.
    Page {
        /// How many come before.
        offset: u64,
        /// How many to take.
        limit: u64,
    },
    /// Calls strictly older than `(started_at, id)`, newest first.
    After {
        /// The last call of the previous page.
        cursor: (Timestamp, u64),
        /// How many to take.
        limit: u64,
    },
}

/// The durable operations the server needs.
pub trait Store: Send + Sync + 'static {
    /// All environments.
    fn environments(&self) -> Result<Vec<(EnvId, String)>>;
    /// Creates an environment.
    fn create_environment(&self, name: &str) -> Result<EnvId>;
    /// An environment's plan (the default plan when none was set).
    fn plan(&self, env: EnvId) -> Result<Plan>;
    /// Sets an environment's plan.
    fn set_plan(&self, env: EnvId, plan: &Plan) -> Result<()>;
    /// Adds a token (stored as its SHA-256) and returns its id; with `replace`, first revokes
    /// the environment's tokens with the same label.
    fn add_token(
        &self,
        env: EnvId,
        hash: &[u8; 32],
        token: &NewToken,
        replace: bool,
    ) -> Result<i64>;
    /// What a token (by its SHA-256) grants, unless it is unknown or revoked (expiry is the
    /// caller's to check, against its clock). Asked on every request, so a token created or
    /// revoked by another process counts at once: a point look-up that never waits behind
    /// long reads.
    fn token(&self, hash: &[u8; 32]) -> Result<Option<Grant>>;
    /// An environment's tokens, oldest first.
    fn tokens_of(&self, env: EnvId) -> Result<Vec<TokenInfo>>;
    /// Revokes a token by id; `false` if there is none (or it was revoked before).
    fn revoke_token(&self, id: i64, at: Timestamp) -> Result<bool>;
    /// Records when tokens were last used (batched by the server).
    fn touch_tokens(&self, used: &[(i64, Timestamp)]) -> Result<()>;
    /// Whether storage answers (the health check).
    fn ping(&self) -> Result<()>;
    /// Writes a consistent copy of everything to a new file at `to`, while the store serves
    /// and writes (SQLite's `VACUUM INTO`).
    fn backup(&self, to: &std::path::Path) -> Result<()>;
    /// One environment's data.
    fn load(&self, env: EnvId) -> Result<Snapshot>;
    /// The largest call and message ids in use (ids are assigned by the server).
    fn max_ids(&self) -> Result<(u64, u64)>;
    /// Writes an agent (created or changed) and numbers (added, assigned or released) in one
    /// transaction.
    fn write_agent(
        &self,
        env: EnvId,
        agent: Option<&AgentRecord>,
        numbers: &[NumberResource],
    ) -> Result<()>;
    /// Stores calls and messages in one transaction.
    fn insert_batch(
        &self,
        env: EnvId,
        calls: &[CallRecord],
        messages: &[MessageRecord],
    ) -> Result<()>;
    /// A call by id.
    fn call(&self, env: EnvId, id: u64) -> Result<Option<CallRecord>>;
    /// The calls stored with these external ids.
    fn calls_by_external_id(&self, env: EnvId, ids: &[&str]) -> Result<Vec<CallRecord>>;
    /// The calls passing `filter`, newest first (by start, then id), sliced; for a page, with
    /// the number of calls passing it (a cursor's caller does not need it, and counting every
    /// page of a long export would make it quadratic).
    fn list_calls(
        &self,
        env: EnvId,
        filter: &CallFilter,
        slice: Slice,
    ) -> Result<(Vec<CallRecord>, Option<u64>)>;
}
