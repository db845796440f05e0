//! The live event log: every event a write causes, stored in that write's transaction (so a
//! stream that resumes by `Last-Event-ID` misses nothing that was acknowledged), read in
//! order after an id, and pruned after the retention window.
//!
//! An event's id is its row's sequence number, shared by every environment. Within one
//! environment ids grow in commit order: events are only inserted by a write, which holds
//! the environment's write lock (in every server sharing the database) until it commits, so
//! once a reader sees an environment's event `n`, every earlier one of that environment is
//! committed too. Pruning records the newest id it removed (`event_horizon`), which tells a
//! resume that asks for what is gone.

use dialback_core::AgentId;
use dialback_core::live::EventType;

use super::{EnvId, Result, StoreError};

/// An event to store.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// Its type.
    pub kind: EventType,
    /// The agents it involves.
    pub agents: Vec<AgentId>,
    /// Its body.
    pub body: Vec<u8>,
    /// When it was stored, Unix milliseconds.
    pub created_ms: i64,
}

/// A stored event.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// Its id.
    pub seq: u64,
    /// Its type.
    pub kind: EventType,
    /// The agents it involves.
    pub agents: Vec<AgentId>,
    /// Its body.
    pub body: Vec<u8>,
}

/// Where an environment's log stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds {
    /// The newest id pruning removed (0: none removed): a resume from before it may have
    /// lost events.
    pub pruned_through: u64,
    /// The newest id stored (or `pruned_through`, if none is left).
    pub head: u64,
}

/// The durable side of the live stream.
pub trait EventLog: Send + Sync {
    /// Up to `max` of an environment's events after `after`, oldest first.
    fn events_after(&self, env: EnvId, after: u64, max: usize) -> Result<Vec<StoredEvent>>;
    /// Where the environment's log stands.
    fn event_bounds(&self, env: EnvId) -> Result<Bounds>;
    /// Removes the events stored before `before_ms`; how many.
    fn prune_events(&self, before_ms: i64) -> Result<u64>;
}

/// The agents column: ids separated by spaces.
pub(super) fn agents_text(agents: &[AgentId]) -> String {
    agents
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A stored row back into an event.
pub(super) fn decode(seq: i64, kind: &str, agents: &str, body: Vec<u8>) -> Result<StoredEvent> {
    let corrupt = |what: String| StoreError::Corrupt(format!("event {seq}: {what}"));
    Ok(StoredEvent {
        seq: u64::try_from(seq).map_err(|_| corrupt("negative id".into()))?,
        kind: EventType::parse(kind).ok_or_else(|| corrupt(format!("type {kind:?}")))?,
        agents: agents
            .split_ascii_whitespace()
            .map(|a| AgentId::parse(a).map_err(|_| corrupt(format!("agent {a:?}"))))
            .collect::<Result<_>>()?,
        body,
    })
}
