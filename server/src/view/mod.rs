//! One environment's in-memory view: the core's directory, outbound index and logs, rebuilt
//! from storage at start and kept in step with every committed write.
//!
//! Queries (stats, usage, routing simulation) run on the view, so they cost what the core
//! costs, not what a database scan costs. Storage stays the source of truth: a write changes
//! the view only once its transaction committed, and a write that fails after touching the
//! view marks it stale, so that nothing reads it until it has been rebuilt from storage.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use dialback_core::{
    ActivityLog, ActivityRecord, AgentDirectory, AgentId, AgentRecord, CallRecord, CallbackLog,
    CallbackRecord, CallbackRouting, MessageRecord, NumberId, NumberResource,
};

use crate::store::{Snapshot, Tail, Version};

mod records;

pub use records::{Agents, Numbers};

/// See the module docs.
#[derive(Debug, Default)]
pub struct View {
    /// Agents in creation order, by id.
    pub agents: Agents,
    /// Numbers, assigned or not, in the order they were added; by id, number and owner.
    pub numbers: Numbers,
    /// The agents and the numbers they own, indexed for the rules.
    pub directory: AgentDirectory,
    /// Every outbound call, and the routes the directory resolves against them.
    pub routing: CallbackRouting,
    /// Every inbound call that hit a callback agent, for stats.
    pub callbacks: CallbackLog,
    /// Messages and completed calls, for usage.
    pub activity: ActivityLog,
    /// Set when a write failed after changing the view: it must be rebuilt before use.
    pub stale: bool,
    /// The storage version the view reflects.
    pub version: Version,
    /// Hash of external id → call id (confirmed against storage on a hit).
    external: HashMap<u64, u64>,
    /// Calls accounted.
    calls: u64,
}

/// Why a directory could not be rebuilt from agents (cannot happen from a consistent store).
pub type DirectoryError = dialback_core::DirectoryError;

impl View {
    /// Rebuilds a view from everything stored.
    pub fn from_snapshot(snapshot: Snapshot) -> Result<View, DirectoryError> {
        let mut view = View {
            agents: Agents::new(snapshot.agents),
            numbers: Numbers::new(snapshot.numbers),
            version: snapshot.version,
            ..View::default()
        };
        view.directory = AgentDirectory::from_records(view.agents.all(), view.numbers.all())?;
        view.routing = CallbackRouting::new(
            &view.directory,
            snapshot.calls.iter().filter_map(CallRecord::outbound_entry),
        );
        for call in &snapshot.calls {
            view.account_call(call);
        }
        for m in &snapshot.messages {
            view.account_message(m);
        }
        Ok(view)
    }

    /// Applies what other servers committed since the view's version: their agents and
    /// numbers replace the view's, and their calls and messages are accounted as they were
    /// stored (routing decisions are stored with the calls and never made again).
    pub fn apply(&mut self, tail: Tail) -> Result<(), DirectoryError> {
        if tail.version == self.version {
            return Ok(());
        }
        if let Some((agents, numbers)) = tail.directory {
            self.agents = Agents::new(agents);
            self.numbers = Numbers::new(numbers);
            self.refresh_directory()?;
        }
        for call in &tail.calls {
            if let Some(o) = call.outbound_entry() {
                self.routing.insert_outbound(o);
            }
            self.account_call(call);
        }
        for m in &tail.messages {
            self.account_message(m);
        }
        self.version = tail.version;
        Ok(())
    }

    /// Rebuilds the directory, and the routes resolved from it, after agents or numbers
    /// changed.
    pub fn refresh_directory(&mut self) -> Result<(), DirectoryError> {
        self.directory = AgentDirectory::from_records(self.agents.all(), self.numbers.all())?;
        self.routing.set_directory(&self.directory);
        Ok(())
    }

    /// The agent with this id.
    pub fn agent(&self, id: &AgentId) -> Option<&AgentRecord> {
        self.agents.get(id)
    }

    /// The agent an id from a path names, if it is one of this environment's.
    pub fn agent_by_path(&self, id: &str) -> Option<&AgentRecord> {
        AgentId::parse(id).ok().and_then(|id| self.agent(&id))
    }

    /// An agent's numbers, in their order.
    pub fn numbers_of(&self, agent: AgentId) -> Vec<NumberResource> {
        self.numbers.of_agent(agent)
    }

    /// The number with this id (any string: one that is not ours names nothing).
    pub fn number(&self, id: &str) -> Option<&NumberResource> {
        self.numbers.get(NumberId::parse(id)?)
    }

    /// Replaces or adds an agent.
    pub fn put_agent(&mut self, record: AgentRecord) {
        self.agents.put(record);
    }

    /// Replaces or adds numbers.
    pub fn put_numbers(&mut self, numbers: &[NumberResource]) {
        for n in numbers {
            self.numbers.put(*n);
        }
    }

    /// Adds a stored call to stats and usage (an outbound call's index entry is inserted by
    /// whoever routes: an import routes each call against the ones before it).
    pub fn account_call(&mut self, call: &CallRecord) {
        self.calls += 1;
        if let Some(ext) = &call.external_id {
            self.external.insert(external_key(ext), call.id.0);
        }
        if let Some(record) = call
            .routing
            .as_ref()
            .and_then(|d| CallbackRecord::from_decision(d, call.started_at, call.status))
        {
            self.callbacks.push(record);
        }
        self.activity.push(&ActivityRecord::of_call(call));
    }

    /// How many calls the view holds.
    pub fn call_count(&self) -> u64 {
        self.calls
    }

    /// Adds a stored message to usage.
    pub fn account_message(&mut self, m: &MessageRecord) {
        self.activity.push(&ActivityRecord::of_message(m));
    }

    /// The id of a call recorded with this external id, if any (may be a hash collision:
    /// confirm against storage).
    pub fn external_candidate(&self, external_id: &str) -> Option<u64> {
        self.external.get(&external_key(external_id)).copied()
    }
}

fn external_key(external_id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    external_id.hash(&mut h);
    h.finish()
}
