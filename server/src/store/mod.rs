//! Durable storage: what the server must not lose, behind a small trait.
//!
//! The trait speaks in domain values, not SQL, so another backend (PostgreSQL) can be added
//! without touching the HTTP handlers. Methods are synchronous; the server calls them on
//! blocking threads. Each write method is one transaction: it happens entirely or not at all.

mod schema;
pub mod sqlite;

use dialback_core::wire::FieldError;
use dialback_core::{
    Agent, AgentId, CallStatus, CallbackConfig, Direction, PhoneNumber, RoutingDecision, Timestamp,
};
use serde::{Deserialize, Serialize};

pub use sqlite::SqliteStore;

/// An environment (tenant) id.
pub type EnvId = i64;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An environment with that name exists.
    #[error("environment {0:?} already exists")]
    EnvironmentExists(String),
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// Stored data could not be read back.
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

/// Storage results.
pub type Result<T> = std::result::Result<T, StoreError>;

/// An agent with its numbers' ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRow {
    /// The agent (numbers and callback config included).
    pub agent: Agent,
    /// Each number's resource id, in the agent's order.
    pub number_ids: Vec<String>,
    /// Creation time.
    pub created_at: Timestamp,
}

/// A stored call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRow {
    /// Server-assigned id, increasing.
    pub id: u64,
    /// Caller-supplied idempotency key.
    pub external_id: Option<String>,
    /// Which way.
    pub direction: Direction,
    /// Outbound: the agent that placed it.
    pub agent_id: Option<AgentId>,
    /// The caller as presented.
    pub from: Option<String>,
    /// The dialed number.
    pub to: PhoneNumber,
    /// When it started.
    pub started_at: Timestamp,
    /// How it went.
    pub status: CallStatus,
    /// How long.
    pub duration_seconds: u32,
    /// Inbound: the routing decision made when it was recorded.
    pub routing: Option<RoutingDecision>,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    /// Server-assigned id.
    pub id: u64,
    /// The agent, if any.
    pub agent_id: Option<AgentId>,
    /// Which way.
    pub direction: Direction,
    /// Sender.
    pub from: PhoneNumber,
    /// Recipient.
    pub to: PhoneNumber,
    /// When.
    pub sent_at: Timestamp,
}

/// Everything of one environment, to rebuild its in-memory view at start.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Agents in creation order.
    pub agents: Vec<AgentRow>,
    /// Calls in id order.
    pub calls: Vec<CallRow>,
    /// Messages in id order.
    pub messages: Vec<MessageRow>,
}

/// The durable operations the server needs.
pub trait Store: Send + Sync + 'static {
    /// All environments.
    fn environments(&self) -> Result<Vec<(EnvId, String)>>;
    /// Creates an environment.
    fn create_environment(&self, name: &str) -> Result<EnvId>;
    /// Adds a token (stored as its SHA-256); with `replace`, first removes the environment's
    /// tokens with the same label.
    fn add_token(&self, env: EnvId, hash: &[u8; 32], label: &str, replace: bool) -> Result<()>;
    /// Every token hash with its environment.
    fn tokens(&self) -> Result<Vec<([u8; 32], EnvId)>>;
    /// One environment's data.
    fn load(&self, env: EnvId) -> Result<Snapshot>;
    /// The largest call and message ids in use (ids are assigned by the server).
    fn max_ids(&self) -> Result<(u64, u64)>;
    /// Creates an agent with its numbers.
    fn insert_agent(&self, env: EnvId, row: &AgentRow) -> Result<()>;
    /// Replaces an agent's name and numbers.
    fn update_agent(&self, env: EnvId, row: &AgentRow) -> Result<()>;
    /// Sets or removes an agent's callback configuration.
    fn set_callback_config(
        &self,
        env: EnvId,
        agent: AgentId,
        config: Option<&CallbackConfig>,
    ) -> Result<()>;
    /// Stores calls and messages in one transaction.
    fn insert_batch(&self, env: EnvId, calls: &[CallRow], messages: &[MessageRow]) -> Result<()>;
    /// A call by id.
    fn call(&self, env: EnvId, id: u64) -> Result<Option<CallRow>>;
    /// Calls newest first (by start, then id), strictly after `cursor` in that order.
    fn list_calls(
        &self,
        env: EnvId,
        cursor: Option<(Timestamp, u64)>,
        limit: usize,
    ) -> Result<Vec<CallRow>>;
}

/// Turns a storage error into the field-error list the HTTP layer reports.
pub fn internal(e: &StoreError) -> FieldError {
    FieldError::new(
        "INTERNAL_ERROR",
        format!("storage failed: {e}"),
        "body",
        None,
    )
}
