//! Usage by agent for a period: AgentPhone's `GET /v1/usage/by-agent`.

use crate::agent::{AgentDirectory, AgentId};
use crate::usage::activity::ActivityLog;
use crate::usage::period::PeriodBounds;
use crate::usage::summary::Window;

/// The name of the row that collects activity with no agent, or with an agent not in the
/// directory.
pub const UNASSIGNED: &str = "Unassigned";

/// Usage by agent over one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentUsage {
    /// The period.
    pub bounds: PeriodBounds,
    /// Rows in order, Unassigned (`agent: None`) last.
    pub rows: Vec<AgentUsageLine>,
}

/// One agent's usage, or the Unassigned row's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentUsageLine {
    /// The agent; `None` for Unassigned.
    pub agent: Option<AgentId>,
    /// Its name, or [`UNASSIGNED`].
    pub name: String,
    /// Its usage.
    pub usage: Window,
}

impl ActivityLog {
    /// Usage per agent in the period: one row per directory agent with activity, plus one
    /// Unassigned row (`agentId: null`, `isOrphan: true`) if any activity has no agent or an
    /// agent the directory does not know. Rows are sorted by `totalSeconds`, `calls`,
    /// `messages` (all descending), then name and id; Unassigned comes last.
    pub fn by_agent(&self, bounds: &PeriodBounds, names: &AgentDirectory) -> AgentUsage {
        let cells = self.per_slot(bounds.period_start, bounds.end_exclusive());
        let mut unassigned = cells.last().copied().unwrap_or_default();
        let mut rows = Vec::new();
        for (counts, id) in cells.iter().zip(self.agents.ids()) {
            if counts.is_empty() {
                continue;
            }
            match names.get(id) {
                Some(agent) => rows.push(AgentUsageLine {
                    agent: Some(*id),
                    name: agent.name.clone(),
                    usage: (*counts).into(),
                }),
                None => unassigned.merge(counts),
            }
        }
        rows.sort_by(|a, b| {
            let key = |r: &AgentUsageLine| (r.usage.total_seconds, r.usage.calls, r.usage.messages);
            key(b)
                .cmp(&key(a))
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.agent.cmp(&b.agent))
        });
        if !unassigned.is_empty() {
            rows.push(AgentUsageLine {
                agent: None,
                name: UNASSIGNED.to_owned(),
                usage: unassigned.into(),
            });
        }
        AgentUsage {
            bounds: *bounds,
            rows,
        }
    }
}
