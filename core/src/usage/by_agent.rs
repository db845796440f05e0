//! Usage by agent for a period: AgentPhone's `GET /v1/usage/by-agent`.

use crate::agent::AgentDirectory;
use crate::usage::activity::{ActivityLog, Counts};
use crate::usage::period::PeriodBounds;
use crate::wire::agentphone::{AgentUsageRow, UsageByAgentResponse};

/// The name of the row that collects activity with no agent, or with an agent not in the
/// directory.
pub const UNASSIGNED: &str = "Unassigned";

impl ActivityLog {
    /// Usage per agent in the period: one row per directory agent with activity, plus one
    /// Unassigned row (`agentId: null`, `isOrphan: true`) if any activity has no agent or an
    /// agent the directory does not know. Rows are sorted by `totalSeconds`, `calls`,
    /// `messages` (all descending), then name and id; Unassigned comes last.
    pub fn by_agent(&self, bounds: &PeriodBounds, names: &AgentDirectory) -> UsageByAgentResponse {
        let cells = self.per_slot(bounds.period_start, bounds.end_exclusive());
        let mut unassigned = cells.last().copied().unwrap_or_default();
        let mut rows = Vec::new();
        for (counts, id) in cells.iter().zip(self.agents.ids()) {
            if counts.is_empty() {
                continue;
            }
            match names.get(id) {
                Some(agent) => {
                    rows.push(row(Some(id.to_string()), agent.name.clone(), counts, false))
                }
                None => unassigned.merge(counts),
            }
        }
        rows.sort_by(|a, b| {
            (b.total_seconds, b.calls, b.messages)
                .cmp(&(a.total_seconds, a.calls, a.messages))
                .then_with(|| a.agent_name.cmp(&b.agent_name))
                .then_with(|| a.agent_id.cmp(&b.agent_id))
        });
        if !unassigned.is_empty() {
            rows.push(row(None, UNASSIGNED.to_owned(), &unassigned, true));
        }
        UsageByAgentResponse {
            data: rows,
            period: bounds.period.as_str().to_owned(),
            period_start: bounds.period_start.to_string(),
            period_end: bounds.period_end.to_string(),
        }
    }
}

fn row(agent_id: Option<String>, agent_name: String, c: &Counts, is_orphan: bool) -> AgentUsageRow {
    AgentUsageRow {
        agent_id,
        agent_name,
        messages: c.messages as i64,
        calls: c.calls as i64,
        total_seconds: c.seconds as i64,
        is_orphan,
    }
}
