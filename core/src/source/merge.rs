//! What to write so that an environment's agents and numbers match a platform's: the agents
//! it lists (found again by their [`identity`](super::identity)), the numbers it lists
//! (matched by their E.164 form, so a number the environment already had is not added
//! twice), who owns which, and, from Talkover, the callback roles.
//!
//! The platform is the truth about what it lists, and only that: an agent made in Dialback is
//! never touched; an AgentPhone agent keeps the callback role and direction set here (the
//! platform has neither); a number the platform gives to one of its agents but that a
//! Dialback-made agent owns here stops the sync, rather than being taken silently.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::Value;

use super::{Origin, Platform, identity};
use crate::agent::{AgentDirectory, AgentId, AgentProfile, AgentRecord, AgentStatus, Direction};
use crate::callback::validate_callback_config;
use crate::error::ErrorCode;
use crate::phone::{NumberResource, PhoneNumber};
use crate::time::Timestamp;

/// An agent as a platform lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformAgent {
    /// Its id there.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Which way, when the platform says (AgentPhone does not).
    pub direction: Option<Direction>,
    /// Draft or published, when the platform says.
    pub status: Option<AgentStatus>,
    /// Display label.
    pub label: Option<String>,
    /// Purpose.
    pub description: Option<String>,
    /// Spoken language.
    pub language: Option<String>,
    /// Its numbers, in order.
    pub numbers: Vec<PlatformNumber>,
}

/// A number as a platform lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformNumber {
    /// Its id there, if listed.
    pub id: Option<String>,
    /// The number.
    pub number: PhoneNumber,
    /// Its agent's id there (AgentPhone's number list says; Talkover's agents list theirs).
    pub agent: Option<String>,
}

/// A callback role as Talkover lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformCallback {
    /// The callback agent's id there.
    pub agent: String,
    /// Its `callback_config`, as listed.
    pub config: Value,
}

/// Everything a platform lists about its agents.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Which platform.
    pub platform: Platform,
    /// Its agents.
    pub agents: Vec<PlatformAgent>,
    /// Its numbers, assigned or not.
    pub numbers: Vec<PlatformNumber>,
    /// Its callback roles, if it has them (Talkover); `None` keeps the roles set here.
    pub callbacks: Option<Vec<PlatformCallback>>,
}

/// The records to write: changed or new agents, then changed or new numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Agents, created or changed.
    pub agents: Vec<AgentRecord>,
    /// Numbers, added, assigned or released.
    pub numbers: Vec<NumberResource>,
}

impl Changes {
    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty() && self.numbers.is_empty()
    }
}

/// Why a platform's agents cannot be merged; nothing is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// The platform lists one number under two of its agents.
    NumberTwice {
        /// The number.
        number: PhoneNumber,
        /// The agents, by their platform ids.
        agents: (String, String),
    },
    /// The platform gives a number to one of its agents that an agent made here owns.
    NumberTaken {
        /// The number.
        number: PhoneNumber,
        /// The platform's agent.
        platform_agent: String,
        /// The agent here that owns it.
        owner: String,
    },
    /// A callback role that does not hold once merged.
    Callback {
        /// The callback agent, by its name.
        agent: String,
        /// What the core's validation said.
        problems: Vec<String>,
    },
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::NumberTwice { number, agents } => write!(
                f,
                "the platform lists {number} under two agents, {} and {}",
                agents.0, agents.1
            ),
            MergeError::NumberTaken {
                number,
                platform_agent,
                owner,
            } => write!(
                f,
                "the platform gives {number} to its agent {platform_agent}, but {owner:?}, an \
                 agent made here, owns it; release it here first"
            ),
            MergeError::Callback { agent, problems } => write!(
                f,
                "the callback role of {agent:?} does not hold here: {}",
                problems.join("; ")
            ),
        }
    }
}

impl std::error::Error for MergeError {}

impl ErrorCode for MergeError {
    fn code(&self) -> &'static str {
        match self {
            MergeError::NumberTwice { .. } => "SOURCE_NUMBER_LISTED_TWICE",
            MergeError::NumberTaken { .. } => "SOURCE_NUMBER_TAKEN",
            MergeError::Callback { .. } => "SOURCE_CALLBACK_INVALID",
        }
    }
}

/// The agent a platform's agent becomes, from the one stored (if any).
fn merged_agent(
    platform: Platform,
    listed: &PlatformAgent,
    stored: Option<&AgentRecord>,
    now: Timestamp,
) -> AgentRecord {
    let id = identity::local_agent_id(platform, &listed.id);
    let mut record = stored.cloned().unwrap_or_else(|| AgentRecord {
        id,
        name: listed.name.clone(),
        direction: listed.direction.unwrap_or(Direction::Inbound),
        callback_config: None,
        status: AgentStatus::Published,
        profile: AgentProfile::for_name(&listed.name),
        created_at: now,
        updated_at: now,
    });
    record.name.clone_from(&listed.name);
    if let Some(d) = listed.direction {
        record.direction = d;
    }
    if let Some(s) = listed.status {
        record.status = s;
    }
    let p = &mut record.profile;
    if let Some(label) = &listed.label {
        p.label.clone_from(label);
    }
    if listed.description.is_some() {
        p.description.clone_from(&listed.description);
    }
    if let Some(language) = &listed.language {
        p.language.clone_from(language);
    }
    p.origin = Some(Origin {
        platform,
        id: listed.id.clone(),
    });
    record
}

/// The callback configuration as stored: the platform's ids in it mapped to ours.
fn mapped_config(platform: Platform, config: &Value) -> Value {
    let mut config = config.clone();
    if let Some(Value::Array(ids)) = config.get_mut("source_agent_ids") {
        for id in ids.iter_mut() {
            if let Value::String(s) = id {
                *s = identity::local_agent_id(platform, s).to_string();
            }
        }
    }
    config
}

/// What to write so the environment (`agents`, `numbers`) matches `snapshot`; `now` stamps
/// what changes. Every problem is returned, and then nothing is to be written.
pub fn merge_snapshot(
    snapshot: &Snapshot,
    agents: &[AgentRecord],
    numbers: &[NumberResource],
    now: Timestamp,
) -> Result<Changes, Vec<MergeError>> {
    let platform = snapshot.platform;
    let mut errors = Vec::new();
    let mut all: Vec<AgentRecord> = agents.to_vec();
    let index: HashMap<AgentId, usize> = all.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let mut synced: Vec<AgentId> = Vec::with_capacity(snapshot.agents.len());
    let mut platform_ids: HashMap<AgentId, &str> = HashMap::new();
    for listed in &snapshot.agents {
        let id = identity::local_agent_id(platform, &listed.id);
        let stored = index.get(&id).and_then(|&i| all.get(i));
        let record = merged_agent(platform, listed, stored, now);
        match index.get(&id).and_then(|&i| all.get_mut(i)) {
            Some(slot) => *slot = record,
            None => all.push(record),
        }
        synced.push(id);
        platform_ids.insert(id, &listed.id);
    }
    let synced_set: HashSet<AgentId> = synced.iter().copied().collect();

    // who owns which number, by the platform: agents' own lists first, in their order, then
    // the number list's owners
    let listed_numbers = snapshot
        .agents
        .iter()
        .zip(&synced)
        .flat_map(|(listed, id)| listed.numbers.iter().map(move |n| (n, Some(*id))))
        .chain(snapshot.numbers.iter().map(|n| {
            let owner = n
                .agent
                .as_deref()
                .map(|a| identity::local_agent_id(platform, a));
            (n, owner.filter(|o| synced_set.contains(o)))
        }));
    let mut wanted: Vec<(PhoneNumber, Option<AgentId>, Option<&str>)> = Vec::new();
    let mut seen: HashMap<PhoneNumber, usize> = HashMap::new();
    for (n, owner) in listed_numbers {
        match seen.get(&n.number).and_then(|&i| wanted.get_mut(i)) {
            Some(entry) => match (entry.1, owner) {
                (Some(a), Some(b)) if a != b => errors.push(MergeError::NumberTwice {
                    number: n.number,
                    agents: (
                        platform_ids.get(&a).copied().unwrap_or_default().to_owned(),
                        platform_ids.get(&b).copied().unwrap_or_default().to_owned(),
                    ),
                }),
                (None, Some(b)) => entry.1 = Some(b),
                _ => {}
            },
            None => {
                seen.insert(n.number, wanted.len());
                wanted.push((n.number, owner, n.id.as_deref()));
            }
        }
    }

    let mut all_numbers: Vec<NumberResource> = numbers.to_vec();
    let by_number: HashMap<PhoneNumber, usize> = all_numbers
        .iter()
        .enumerate()
        .map(|(i, n)| (n.number, i))
        .collect();
    let mut changed_numbers: Vec<usize> = Vec::new();
    let mut positions: HashMap<AgentId, u32> = HashMap::new();
    let mut kept: HashSet<PhoneNumber> = HashSet::new();
    for (number, owner, pid) in &wanted {
        let position = match owner {
            Some(o) => {
                let p = positions.entry(*o).or_insert(0);
                *p += 1;
                *p - 1
            }
            None => 0,
        };
        kept.insert(*number);
        match by_number.get(number).copied() {
            Some(i) => {
                let Some(n) = all_numbers.get_mut(i) else {
                    continue;
                };
                let local_owner = n.agent.filter(|a| !synced_set.contains(a));
                match (owner, local_owner) {
                    (Some(o), Some(local)) => errors.push(MergeError::NumberTaken {
                        number: *number,
                        platform_agent: platform_ids.get(o).copied().unwrap_or_default().to_owned(),
                        owner: all
                            .iter()
                            .find(|a| a.id == local)
                            .map_or_else(|| local.to_string(), |a| a.name.clone()),
                    }),
                    // unassigned on the platform, a Dialback-made agent's here: theirs
                    (None, Some(_)) => {}
                    _ if n.agent == *owner && n.position == position => {}
                    _ => {
                        n.agent = *owner;
                        n.position = position;
                        n.updated_at = now;
                        changed_numbers.push(i);
                    }
                }
            }
            None => {
                let id = identity::local_number_id(
                    platform,
                    pid.map_or_else(|| number.to_string(), str::to_owned)
                        .as_str(),
                );
                changed_numbers.push(all_numbers.len());
                all_numbers.push(NumberResource {
                    id,
                    number: *number,
                    agent: *owner,
                    position,
                    created_at: now,
                    updated_at: now,
                });
            }
        }
    }
    // numbers the platform's agents no longer list are released
    for (i, n) in all_numbers.iter_mut().enumerate() {
        if n.agent.is_some_and(|a| synced_set.contains(&a)) && !kept.contains(&n.number) {
            n.agent = None;
            n.position = 0;
            n.updated_at = now;
            changed_numbers.push(i);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // callback roles: Talkover's replace those of its agents; every role must hold after
    let directory = match AgentDirectory::from_records(&all, &all_numbers) {
        Ok(d) => d,
        Err(e) => {
            return Err(vec![MergeError::Callback {
                agent: String::new(),
                problems: vec![e.to_string()],
            }]);
        }
    };
    let listed_roles: HashMap<AgentId, Value> = snapshot
        .callbacks
        .iter()
        .flatten()
        .map(|c| {
            (
                identity::local_agent_id(platform, &c.agent),
                mapped_config(platform, &c.config),
            )
        })
        .collect();
    for record in &mut all {
        let body = match (&snapshot.callbacks, listed_roles.get(&record.id)) {
            (Some(_), Some(body)) => body.clone(),
            (Some(_), None) if synced_set.contains(&record.id) => {
                record.callback_config = None;
                continue;
            }
            _ => match &record.callback_config {
                Some(config) => serde_json::to_value(config).unwrap_or(Value::Null),
                None => continue,
            },
        };
        match validate_callback_config(&record.id.to_string(), &body, &directory) {
            Ok(config) => record.callback_config = Some(config),
            Err(problems) => errors.push(MergeError::Callback {
                agent: record.name.clone(),
                problems: problems.iter().map(ToString::to_string).collect(),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let stored: HashMap<AgentId, &AgentRecord> = agents.iter().map(|a| (a.id, a)).collect();
    let mut changes = Changes::default();
    for mut record in all {
        match stored.get(&record.id) {
            Some(old) if same_agent(old, &record) => {}
            Some(_) => {
                record.updated_at = now;
                changes.agents.push(record);
            }
            None => changes.agents.push(record),
        }
    }
    changed_numbers.sort_unstable();
    changed_numbers.dedup();
    changes.numbers = changed_numbers
        .into_iter()
        .filter_map(|i| all_numbers.get(i).copied())
        .collect();
    Ok(changes)
}

fn same_agent(a: &AgentRecord, b: &AgentRecord) -> bool {
    AgentRecord {
        updated_at: b.updated_at,
        ..a.clone()
    } == *b
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
