//! [`Routes`]: what each dialed number leads to, resolved once from the directory.

use crate::agent::{AgentDirectory, AgentId};
use crate::call::StatusSet;
use crate::callback::config::LookbackDays;
use crate::callback::index::OutboundIndex;
use crate::hash::FastMap;
use crate::phone::PhoneNumber;
use crate::slots::SlotSet;

/// What routing needs to know about a dialed number's owner.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Plain(AgentId),
    Callback {
        agent: AgentId,
        /// The configured source agents, as the index numbers them.
        sources: SlotSet,
        /// The same agents by id, to number them again when the index meets new agents.
        source_ids: Vec<AgentId>,
        lookback: LookbackDays,
        triggers: StatusSet,
    },
}

/// Every owned number's agent and, for callback agents, their sources, window and trigger
/// statuses: the directory's part of routing, resolved once.
///
/// A `Routes` belongs to the index it was built with (and that index's later inserts): the
/// index numbers agents in its own order, and another index would read those numbers
/// differently. So it is only ever held beside its index, in
/// [`CallbackRouting`](crate::CallbackRouting) or inside a [`Router`](crate::Router).
/// Building routes is linear in the directory; a caller that rebuilt them per call was
/// quadratic in practice.
#[derive(Debug, Clone, Default)]
pub(crate) struct Routes {
    targets: Vec<Target>,
    by_number: FastMap<PhoneNumber, u32>,
    /// How many agents the index had numbered when sources were last resolved.
    agents_seen: usize,
}

impl Routes {
    /// Resolves every number's owner and callback configuration.
    pub(crate) fn new(directory: &AgentDirectory, index: &OutboundIndex) -> Routes {
        let mut targets = Vec::new();
        let mut by_number = FastMap::default();
        for agent in directory.iter() {
            let target = match &agent.callback_config {
                None => Target::Plain(agent.id),
                Some(config) => Target::Callback {
                    agent: agent.id,
                    sources: SlotSet::default(),
                    source_ids: config.source_agent_ids.clone(),
                    lookback: config.lookback(),
                    triggers: config.triggers(),
                },
            };
            let slot = u32::try_from(targets.len()).unwrap_or(u32::MAX);
            targets.push(target);
            for number in &agent.phone_numbers {
                by_number.insert(*number, slot);
            }
        }
        let mut routes = Routes {
            targets,
            by_number,
            agents_seen: 0,
        };
        routes.resolve_sources(index);
        routes
    }

    /// Follows inserts into `index` (the one these routes were built with): a source agent
    /// that placed its first call since is numbered now. The index only ever adds agents, so
    /// a count that has not changed means nothing new.
    pub(crate) fn follow(&mut self, index: &OutboundIndex) {
        if index.agents.len() != self.agents_seen {
            self.resolve_sources(index);
        }
    }

    /// The owner of a dialed number, if any agent owns it.
    #[inline]
    pub(crate) fn target(&self, number: &PhoneNumber) -> Option<&Target> {
        self.by_number
            .get(number)
            .and_then(|&slot| self.targets.get(slot as usize))
    }

    fn resolve_sources(&mut self, index: &OutboundIndex) {
        for target in &mut self.targets {
            if let Target::Callback {
                sources,
                source_ids,
                ..
            } = target
            {
                // a source with no calls has no number, and nothing to match
                *sources = source_ids
                    .iter()
                    .filter_map(|id| index.agents.get(id))
                    .collect();
            }
        }
        self.agents_seen = index.agents.len();
    }
}
