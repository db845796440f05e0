//! One environment's in-memory view: the core's directory, outbound index and logs, rebuilt
//! from storage at start and kept in step with every committed write.
//!
//! Queries (stats, usage, routing simulation) run on the view, so they cost what the core
//! costs, not what a database scan costs. Storage stays the source of truth.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use dialback_core::{
    Activity, ActivityLog, ActivityRecord, AgentDirectory, AgentId, CallId, CallbackLog,
    CallbackRecord, Direction, OutboundCall, OutboundIndex, agent_side_number,
};

use crate::store::{AgentRow, CallRow, MessageRow, Snapshot};

/// See the module docs.
#[derive(Debug, Default)]
pub struct View {
    /// Agents in creation order, with their numbers' ids.
    pub agents: Vec<AgentRow>,
    /// The same agents, indexed for the rules.
    pub directory: AgentDirectory,
    /// Every outbound call, for routing.
    pub outbound: OutboundIndex,
    /// Every inbound call that hit a callback agent, for stats.
    pub callbacks: CallbackLog,
    /// Messages and calls, for usage.
    pub activity: ActivityLog,
    /// Hash of external id → call id (confirmed against storage on a hit).
    external: HashMap<u64, u64>,
}

/// Why a directory could not be rebuilt from agents (cannot happen from a consistent store).
pub type DirectoryError = dialback_core::DirectoryError;

impl View {
    /// Rebuilds a view from everything stored.
    pub fn from_snapshot(snapshot: Snapshot) -> Result<View, DirectoryError> {
        let mut view = View {
            agents: snapshot.agents,
            ..View::default()
        };
        view.refresh_directory()?;
        let outbound: Vec<OutboundCall> = snapshot.calls.iter().filter_map(outbound_of).collect();
        view.outbound = OutboundIndex::build(outbound);
        for call in &snapshot.calls {
            view.account_call(call);
        }
        for m in &snapshot.messages {
            view.account_message(m);
        }
        Ok(view)
    }

    /// Rebuilds the directory after agents changed.
    pub fn refresh_directory(&mut self) -> Result<(), DirectoryError> {
        self.directory = AgentDirectory::new(self.agents.iter().map(|r| r.agent.clone()))?;
        Ok(())
    }

    /// The agent row with this id.
    pub fn agent(&self, id: &AgentId) -> Option<&AgentRow> {
        self.agents.iter().find(|r| r.agent.id == *id)
    }

    /// Adds a stored call to stats and usage (and, if outbound, the index is updated by the
    /// caller: batches insert into the index as they route).
    pub fn account_call(&mut self, call: &CallRow) {
        if let Some(ext) = &call.external_id {
            self.external.insert(external_key(ext), call.id);
        }
        let agent = match (call.direction, &call.routing) {
            (Direction::Outbound, _) => call.agent_id,
            (Direction::Inbound, Some(decision)) => {
                if let Some(record) =
                    CallbackRecord::from_decision(decision, call.started_at, call.status)
                {
                    self.callbacks.push(record);
                }
                decision.routed_to()
            }
            (Direction::Inbound, None) => None,
        };
        let from = call
            .from
            .as_deref()
            .and_then(|f| dialback_core::PhoneNumber::parse(f).ok());
        self.activity.push(&ActivityRecord {
            agent_id: agent,
            number: agent_side_number(call.direction, from, Some(call.to)),
            at: call.started_at,
            activity: Activity::Call {
                status: call.status,
                duration_seconds: call.duration_seconds,
            },
        });
    }

    /// Adds a stored message to usage.
    pub fn account_message(&mut self, m: &MessageRow) {
        self.activity.push(&ActivityRecord {
            agent_id: m.agent_id,
            number: agent_side_number(m.direction, Some(m.from), Some(m.to)),
            at: m.sent_at,
            activity: Activity::Message,
        });
    }

    /// The id of a call recorded with this external id, if any (may be a hash collision:
    /// confirm against storage).
    pub fn external_candidate(&self, external_id: &str) -> Option<u64> {
        self.external.get(&external_key(external_id)).copied()
    }
}

/// The index entry for a stored outbound call.
pub fn outbound_of(call: &CallRow) -> Option<OutboundCall> {
    match (call.direction, call.agent_id) {
        (Direction::Outbound, Some(agent_id)) => Some(OutboundCall {
            id: CallId(call.id),
            agent_id,
            to: call.to,
            started_at: call.started_at,
            status: call.status,
        }),
        _ => None,
    }
}

fn external_key(external_id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    external_id.hash(&mut h);
    h.finish()
}
