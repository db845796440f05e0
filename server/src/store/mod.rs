//! Durable storage: what the server must not lose, behind a small trait.
//!
//! The trait speaks in the core's records (agents, numbers, calls, messages), not SQL, so
//! another backend can be added without touching the HTTP handlers. Two implement it:
//! [`SqliteStore`] (one file, one server: the embedded default) and [`PgStore`] (PostgreSQL,
//! shared by any number of servers). Methods are synchronous; the server calls them only on
//! threads that may wait, each call under a deadline ([`threads`]).
//!
//! Agents, numbers, calls and messages are written through a [`Writes`] transaction, which
//! holds the environment's write lock across servers until it commits. Each commit advances
//! the environment's [`Version`], so a server whose view is behind can ask for exactly what
//! it lacks ([`Store::changes_since`]) before it applies a rule.

mod decode;
pub mod events;
pub mod filter;
pub mod outbox;
pub mod postgres;
pub mod sources;
pub mod sqlite;
pub mod threads;
pub mod tokens;

use dialback_core::wire::requests::queries::CallFilter;
use dialback_core::{AgentRecord, CallRecord, MessageRecord, NumberResource, Timestamp};

pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use threads::{LONGEST, on_storage_thread, with_deadline};

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
    /// The database refused or failed (its driver's words), whichever backend it is.
    #[error("database error: {0}")]
    Database(String),
    /// A file beside the database could not be read or written (a saved view, a backup): the
    /// message names the file and the system's reason, such as a full disk.
    #[error("file error: {0}")]
    Io(String),
    /// The server failed itself, not the data: no randomness, a worker thread that stopped.
    #[error("internal error: {0}")]
    Internal(String),
    /// The database cannot be reached now (down, restarting, or every connection busy past
    /// the wait): the request may succeed when retried, and nothing was written.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database did not answer by the deadline: what was asked may still be done (a
    /// write may commit), so the caller cannot say that nothing was written.
    #[error("no answer from the database: {0}")]
    NoAnswer(String),
    /// The backend does not do this (the message says what does).
    #[error("{0}")]
    NotSupported(&'static str),
    /// Two records claim one external id (only when servers race past the view's check).
    #[error("external id {0:?} already stored")]
    ExternalIdExists(String),
    /// Stored data could not be read back, or contradicts itself.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    /// The database was written by a newer release.
    #[error("{0}")]
    TooNew(String),
}

/// Storage results.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Where an environment's committed history stands: every committed [`Writes`] advances it
/// by one. A view remembers the version it reflects.
pub type Version = u64;

/// What other servers committed to an environment after a view's version.
#[derive(Debug, Default)]
pub struct Tail {
    /// The version the view reaches by applying this.
    pub version: Version,
    /// Every agent and number, when any changed (small beside the calls, and replaced whole so
    /// that the view cannot keep one the other server released).
    pub directory: Option<(Vec<AgentRecord>, Vec<NumberResource>)>,
    /// Calls stored since, in the order they were committed.
    pub calls: Vec<CallRecord>,
    /// Messages stored since, in the order they were committed.
    pub messages: Vec<MessageRecord>,
}

/// A write transaction on one environment. It holds the environment's write lock (in every
/// server sharing the database) until it commits or is dropped; dropped, it rolls back.
pub trait Writes {
    /// Writes an agent (created or changed) and numbers (added, assigned or released).
    fn write_agent(
        &mut self,
        agent: Option<&AgentRecord>,
        numbers: &[NumberResource],
    ) -> Result<()>;
    /// Stores calls and messages.
    fn insert_batch(&mut self, calls: &[CallRecord], messages: &[MessageRecord]) -> Result<()>;
    /// The environment's webhooks, as this transaction sees them (so the deliveries it
    /// stores follow the webhooks in force when it commits).
    fn webhooks(&mut self) -> Result<Vec<dialback_core::webhook::Webhook>>;
    /// Stores deliveries in this transaction: they are sent only if it commits.
    fn enqueue(&mut self, deliveries: &[outbox::NewDelivery]) -> Result<()>;
    /// Stores live events in this transaction: streams see them only if it commits.
    fn log_events(&mut self, events: &[events::NewEvent]) -> Result<()>;
    /// Records that a source's webhook delivery (its `X-Webhook-ID`, and the signature it came
    /// with) is stored by this transaction; if one was before, this transaction must not
    /// commit.
    fn receipt(
        &mut self,
        source: i64,
        delivery_id: &str,
        signature: &str,
        at: Timestamp,
    ) -> Result<sources::Seen>;
    /// Commits; returns the environment's new version.
    fn commit(self: Box<Self>) -> Result<Version>;
}

/// Commits announced by other servers (see [`Store::follow`]).
pub type Commits = tokio::sync::mpsc::UnboundedReceiver<(EnvId, Version)>;

/// Receives one environment's records as a full load reads them: millions of calls are
/// handed over a few thousand at a time (and on another thread than the one reading them),
/// never held all at once.
pub trait Sink: Send {
    /// Every agent (in creation order) and number (in the order they were added); first.
    fn directory(&mut self, agents: Vec<AgentRecord>, numbers: Vec<NumberResource>);
    /// The next calls, in id order.
    fn calls(&mut self, calls: Vec<CallRecord>);
    /// The next messages, in id order.
    fn messages(&mut self, messages: Vec<MessageRecord>);
}

/// Records on their way from the thread that reads them to the one that applies them.
pub(crate) enum Batch {
    Directory(Vec<AgentRecord>, Vec<NumberResource>),
    Calls(Vec<CallRecord>),
    Messages(Vec<MessageRecord>),
}

/// The smallest string above every string that starts with `prefix` (to bound an index range
/// scan): `prefix` followed by the largest code point.
pub(crate) fn past_prefix(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

/// How many records a [`Batch`] carries.
pub(crate) const LOAD_CHUNK: usize = 8_192;

/// Records gathered into batches of [`LOAD_CHUNK`].
pub(crate) struct Chunks<T>(Vec<T>);

impl<T> Chunks<T> {
    pub(crate) fn new() -> Self {
        Chunks(Vec::with_capacity(LOAD_CHUNK))
    }

    /// Adds a record; a full batch comes back to be sent.
    pub(crate) fn push(&mut self, record: T) -> Option<Vec<T>> {
        self.0.push(record);
        (self.0.len() >= LOAD_CHUNK)
            .then(|| std::mem::replace(&mut self.0, Vec::with_capacity(LOAD_CHUNK)))
    }

    /// What is left: the last batch.
    pub(crate) fn rest(self) -> Vec<T> {
        self.0
    }
}

impl Batch {
    pub(crate) fn apply(self, sink: &mut dyn Sink) {
        match self {
            Batch::Directory(agents, numbers) => sink.directory(agents, numbers),
            Batch::Calls(calls) => sink.calls(calls),
            Batch::Messages(messages) => sink.messages(messages),
        }
    }
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
    /// Webhooks and their deliveries.
    fn outbox(&self) -> &dyn outbox::Outbox;
    /// Sources and where their runs stand.
    fn sources(&self) -> &dyn sources::Sources;
    /// The live event log.
    fn events(&self) -> &dyn events::EventLog;
    /// Environments, their plans, and their tokens.
    fn tokens(&self) -> &dyn tokens::Tokens;
    /// Whether storage answers (the health check).
    fn ping(&self) -> Result<()>;
    /// Writes a consistent copy of everything to a new file at `to`, while the store serves
    /// and writes (SQLite's `VACUUM INTO`).
    fn backup(&self, to: &std::path::Path) -> Result<()>;
    /// One environment's agents and numbers, and its calls and messages after the ids in
    /// `after` (`(0, 0)`: all of them), streamed into `sink`; the version that reflects.
    fn load_into(&self, env: EnvId, after: (u64, u64), sink: &mut dyn Sink) -> Result<Version>;
    /// Keeps an environment's saved view (`view::saved`), replacing the previous one. A cache:
    /// losing it costs a slower start, nothing else.
    fn save_view(&self, env: EnvId, bytes: &[u8]) -> Result<()>;
    /// The environment's saved view, if one was kept.
    fn saved_view(&self, env: EnvId) -> Result<Option<Vec<u8>>>;
    /// Reserves `calls` call ids and `messages` message ids (unique across every server
    /// sharing the database; unused ones are skipped, never reused); the first of each.
    fn reserve_ids(&self, calls: u64, messages: u64) -> Result<(u64, u64)>;
    /// Starts a write on an environment whose view reflects `since`: waits for the
    /// environment's write lock, and returns what other servers committed after `since`, to
    /// be applied to the view before any rule runs.
    fn begin(&self, env: EnvId, since: Version) -> Result<(Box<dyn Writes + '_>, Tail)>;
    /// The environment's committed version, or `None` when this process is the only writer
    /// (its views can then never fall behind, and reads need not ask).
    fn version(&self, env: EnvId) -> Result<Option<Version>>;
    /// Whether other servers may write (so reads must ask [`Store::version`]): asked once per
    /// read, without storage, so a single server's reads never leave the async worker.
    fn shared(&self) -> bool {
        false
    }
    /// What was committed after `since` (for a read that found its view behind).
    fn changes_since(&self, env: EnvId, since: Version) -> Result<Tail>;
    /// Commits by other servers as they happen, `(environment, version)`, so that views can
    /// catch up before a request needs them (`None`: nobody else writes). A hint, not a
    /// guarantee: reads still check [`Store::version`]. Returned once.
    fn follow(&self) -> Option<Commits> {
        None
    }
    /// A call by id.
    fn call(&self, env: EnvId, id: u64) -> Result<Option<CallRecord>>;
    /// The calls stored with these external ids.
    fn calls_by_external_id(&self, env: EnvId, ids: &[&str]) -> Result<Vec<CallRecord>>;
    /// The calls with these ids, in no particular order (a page the view's list chose, read
    /// back whole).
    fn calls_by_ids(&self, env: EnvId, ids: &[u64]) -> Result<Vec<CallRecord>>;
    /// The calls whose external id starts with `prefix` (a search's SID part), found through
    /// an index, as where they sit in the view's call list; `None` when more than `cap` do.
    fn sids_starting_with(
        &self,
        env: EnvId,
        prefix: &str,
        cap: usize,
    ) -> Result<Option<Vec<dialback_core::ListKey>>>;
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
