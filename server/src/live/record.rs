//! The events a write stores in the log, beside what it writes: built by the core's rules
//! (`dialback_core::live::body`) from the records and the environment's view.

use dialback_core::live::body::{
    Built, of_changed_agent, of_recorded_call, of_recorded_message, of_unassigned_number,
};
use dialback_core::webhook::payload::Names;
use dialback_core::{AgentId, CallRecord, MessageRecord, NumberResource, Timestamp};

use crate::store::events::NewEvent;
use crate::view::View;

fn stored(b: Built, created_ms: i64) -> NewEvent {
    NewEvent {
        kind: b.kind,
        agents: b.agents,
        body: b.body,
        created_ms,
    }
}

/// The events of recorded calls and messages (names and numbers from `view`).
pub fn for_records(
    view: &View,
    calls: &[CallRecord],
    messages: &[MessageRecord],
    at: Timestamp,
    created_ms: i64,
) -> Vec<NewEvent> {
    let mut out = Vec::new();
    for c in calls {
        let names = Names {
            directory: &view.directory,
            number_id: None,
        };
        out.extend(
            of_recorded_call(c, &names, at)
                .into_iter()
                .map(|b| stored(b, created_ms)),
        );
    }
    for m in messages {
        let number = view.numbers.find(m.to).map(|n| n.id.to_string());
        let names = Names {
            directory: &view.directory,
            number_id: number,
        };
        out.extend(of_recorded_message(m, &names, at).map(|b| stored(b, created_ms)));
    }
    out
}

/// What a change of agents and numbers was about, taken before the view changes.
pub struct DirectoryChange {
    agents: Vec<AgentId>,
    released: Vec<(NumberResource, Option<AgentId>)>,
}

impl DirectoryChange {
    /// The agents written, and the numbers written with the agent each had before.
    pub fn before(view: &View, agents: &[AgentId], numbers: &[NumberResource]) -> DirectoryChange {
        let mut touched: Vec<AgentId> = agents.to_vec();
        let mut released = Vec::new();
        for n in numbers {
            let before = view.numbers.find(n.number).and_then(|o| o.agent);
            touched.extend(before);
            touched.extend(n.agent);
            if n.agent.is_none() {
                released.push((*n, before));
            }
        }
        touched.sort_unstable();
        touched.dedup();
        DirectoryChange {
            agents: touched,
            released,
        }
    }

    /// Its events, from the view after the change: each agent it touched as it now is, and
    /// each number left with no agent.
    pub fn events(&self, after: &View, at: Timestamp, created_ms: i64) -> Vec<NewEvent> {
        let mut out = Vec::new();
        for id in &self.agents {
            if let Some(agent) = after.agent(id) {
                out.push(stored(
                    of_changed_agent(agent, &after.numbers_of(*id), at),
                    created_ms,
                ));
            }
        }
        for (n, before) in &self.released {
            let by = before.and_then(|a| after.agent(&a));
            out.push(stored(of_unassigned_number(n, by, at), created_ms));
        }
        out
    }
}
