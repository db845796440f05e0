//! [`AgentDirectory`]: every agent of one environment, looked up by id or by a number it owns,
//! and the rules that keep it consistent when agents change.

use std::collections::HashMap;

use super::{Agent, AgentId, AgentRecord, Direction};
use crate::error::ErrorCode;
use crate::hash::FastMap;
use crate::phone::{NumberResource, PhoneNumber};

/// Why a set of agents cannot form a directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    /// Two agents share an id.
    #[error("agent id {0} appears twice")]
    DuplicateAgentId(AgentId),
    /// A number is owned by two agents.
    #[error("number {number} is already assigned to agent {first}")]
    NumberAlreadyAssigned {
        /// The number.
        number: PhoneNumber,
        /// The agent that has it.
        first: AgentId,
        /// The agent that claimed it too.
        second: AgentId,
    },
    /// A callback agent cannot become outbound: only inbound agents take callbacks.
    #[error("agent {0} is a callback agent: remove its callback role before making it outbound")]
    CallbackAgentMustBeInbound(AgentId),
    /// A callback source cannot become inbound: only outbound agents are sources.
    #[error(
        "agent {agent} is a callback source of agent {callback_agent}: remove it from that \
         callback configuration before making it inbound"
    )]
    CallbackSourceMustBeOutbound {
        /// The source agent.
        agent: AgentId,
        /// A callback agent that lists it.
        callback_agent: AgentId,
    },
}

impl ErrorCode for DirectoryError {
    fn code(&self) -> &'static str {
        match self {
            DirectoryError::DuplicateAgentId(_) => "DUPLICATE_AGENT_ID",
            DirectoryError::NumberAlreadyAssigned { .. } => "NUMBER_ALREADY_ASSIGNED",
            DirectoryError::CallbackAgentMustBeInbound(_) => "CALLBACK_AGENT_MUST_BE_INBOUND",
            DirectoryError::CallbackSourceMustBeOutbound { .. } => {
                "CALLBACK_SOURCE_MUST_BE_OUTBOUND"
            }
        }
    }
}

/// Every agent of one environment, looked up by id or by a number it owns.
///
/// Building it checks the two facts every rule relies on: ids are unique and a number belongs to
/// at most one agent.
#[derive(Debug, Clone, Default)]
pub struct AgentDirectory {
    agents: Vec<Agent>,
    by_id: HashMap<AgentId, usize>,
    owners: FastMap<PhoneNumber, usize>,
}

impl AgentDirectory {
    /// Builds a directory, refusing duplicate ids and numbers owned twice.
    pub fn new(agents: impl IntoIterator<Item = Agent>) -> Result<Self, DirectoryError> {
        let mut dir = AgentDirectory::default();
        for agent in agents {
            dir.insert(agent)?;
        }
        Ok(dir)
    }

    /// The directory of stored agents and numbers: each agent owns the numbers assigned to
    /// it, in their `position` order.
    pub fn from_records(
        records: &[AgentRecord],
        numbers: &[NumberResource],
    ) -> Result<Self, DirectoryError> {
        let mut owned: FastMap<AgentId, Vec<(u32, PhoneNumber)>> = FastMap::default();
        for n in numbers {
            if let Some(agent) = n.agent {
                owned.entry(agent).or_default().push((n.position, n.number));
            }
        }
        let mut dir = AgentDirectory::default();
        for r in records {
            let mut mine = owned.remove(&r.id).unwrap_or_default();
            mine.sort_unstable_by_key(|(position, _)| *position);
            dir.insert(r.agent(mine.into_iter().map(|(_, n)| n).collect()))?;
        }
        Ok(dir)
    }

    /// Adds one agent; on error the directory is unchanged.
    pub fn insert(&mut self, agent: Agent) -> Result<(), DirectoryError> {
        if self.by_id.contains_key(&agent.id) {
            return Err(DirectoryError::DuplicateAgentId(agent.id));
        }
        let slot = self.agents.len();
        // a set, not a list: an agent may own many numbers, and checking each against a
        // list of the ones before it would be quadratic
        let mut seen: FastMap<PhoneNumber, ()> = FastMap::default();
        for number in &agent.phone_numbers {
            let owner = self.owners.get(number).and_then(|&i| self.agents.get(i));
            if let Some(first) = owner {
                return Err(DirectoryError::NumberAlreadyAssigned {
                    number: *number,
                    first: first.id,
                    second: agent.id,
                });
            }
            seen.insert(*number, ()); // listing one's own number twice is harmless
        }
        for number in seen.into_keys() {
            self.owners.insert(number, slot);
        }
        self.by_id.insert(agent.id, slot);
        self.agents.push(agent);
        Ok(())
    }

    /// The agent with this id.
    pub fn get(&self, id: &AgentId) -> Option<&Agent> {
        self.by_id.get(id).and_then(|&i| self.agents.get(i))
    }

    /// The agent that owns this number.
    pub fn owner_of(&self, number: PhoneNumber) -> Option<&Agent> {
        self.owners.get(&number).and_then(|&i| self.agents.get(i))
    }

    /// All agents, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Agent> {
        self.agents.iter()
    }

    /// How many agents there are.
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }

    /// The numbers among `numbers` that an agent other than `agent` owns, each with its
    /// position in `numbers`: giving them to `agent` would break "one owner per number".
    pub fn numbers_taken(
        &self,
        agent: AgentId,
        numbers: &[PhoneNumber],
    ) -> Vec<(usize, DirectoryError)> {
        numbers
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let owner = self.owner_of(*n).filter(|o| o.id != agent)?;
                Some((
                    i,
                    DirectoryError::NumberAlreadyAssigned {
                        number: *n,
                        first: owner.id,
                        second: agent,
                    },
                ))
            })
            .collect()
    }

    /// Whether `agent` may take `direction`: a callback agent must stay inbound and a
    /// callback source outbound, or the configurations naming them would break.
    pub fn check_direction(
        &self,
        agent: AgentId,
        direction: Direction,
    ) -> Result<(), DirectoryError> {
        let Some(current) = self.get(&agent) else {
            return Ok(());
        };
        if current.direction == direction {
            return Ok(());
        }
        if current.callback_config.is_some() {
            return Err(DirectoryError::CallbackAgentMustBeInbound(agent));
        }
        match self.callback_agents_of(agent).next() {
            Some(callback_agent) => Err(DirectoryError::CallbackSourceMustBeOutbound {
                agent,
                callback_agent: callback_agent.id,
            }),
            None => Ok(()),
        }
    }

    /// The callback agents that take `source`'s callbacks: "callbacks go to ...".
    pub fn callback_agents_of(&self, source: AgentId) -> impl Iterator<Item = &Agent> {
        self.agents.iter().filter(move |a| {
            a.callback_config
                .as_ref()
                .is_some_and(|c| c.source_agent_ids.contains(&source))
        })
    }
}
