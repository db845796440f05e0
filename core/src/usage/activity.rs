//! Activity records (messages and calls attributed to agents) and the columnar log that usage
//! aggregations run over.

use serde::{Deserialize, Serialize};

use crate::agent::{AgentId, Direction};
use crate::call::CallStatus;
use crate::call::{CallRecord, MessageRecord};
use crate::order::{self, Order};
use crate::phone::PhoneNumber;
use crate::slots::AgentSlots;
use crate::time::Timestamp;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Activity {
    /// A message sent or received.
    Message,
    /// A call, with how it ended and how long it lasted.
    Call {
        /// How it ended; usage counts `completed` calls only.
        status: CallStatus,
        /// Its length in seconds.
        duration_seconds: u32,
    },
}

/// One message or call, attributed to an agent (or to none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityRecord {
    /// The agent it belongs to (see [`call_agent`](crate::call::call_agent)); `None` is
    /// Unassigned.
    pub agent_id: Option<AgentId>,
    /// The agent-side number it used (see [`agent_side_number`]), for usage by number.
    #[serde(default)]
    pub number: Option<PhoneNumber>,
    /// When it happened (a call's start, a message's send time).
    pub at: Timestamp,
    /// Message or call.
    pub activity: Activity,
}

/// The number on the agent's side of a call or message: the dialed number of an inbound one,
/// the calling number of an outbound one. Generic so a bulk reader can pick the side before
/// parsing anything.
pub fn agent_side_number<N>(direction: Direction, from: N, to: N) -> N {
    match direction {
        Direction::Inbound => to,
        Direction::Outbound => from,
    }
}

impl ActivityRecord {
    /// The usage a stored call makes.
    pub fn of_call(call: &CallRecord) -> Self {
        let from = call
            .from
            .as_deref()
            .and_then(|f| PhoneNumber::parse(f).ok());
        ActivityRecord {
            agent_id: call.agent_id,
            number: agent_side_number(call.direction, from, Some(call.to)),
            at: call.started_at,
            activity: Activity::Call {
                status: call.status,
                duration_seconds: call.duration_seconds,
            },
        }
    }

    /// The usage a stored message makes.
    pub fn of_message(m: &MessageRecord) -> Self {
        ActivityRecord {
            agent_id: m.agent_id,
            number: agent_side_number(m.direction, Some(m.from), Some(m.to)),
            at: m.sent_at,
            activity: Activity::Message,
        }
    }
}

pub(crate) const NO_AGENT: u32 = crate::slots::NONE;

/// Activity in columns (17 bytes a record), keeping only what usage counts (messages and
/// completed calls), in time order. Aggregations are then one pass over the period's slice
/// of plain arrays, with its bounds converted to UTC once, never per record.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "snapshot", derive(serde::Serialize, serde::Deserialize))]
pub struct ActivityLog {
    order: Order,
    pub(crate) at: Vec<i64>,
    pub(crate) agent: Vec<u32>,
    pub(crate) seconds: Vec<u32>,
    pub(crate) is_call: Vec<bool>,
    /// Agent-side number as [`PhoneNumber::as_u64`], 0 when unknown.
    pub(crate) number: Vec<u64>,
    pub(crate) agents: AgentSlots,
}

impl ActivityLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives back spare capacity (after a bulk load: the columns grew by doubling).
    pub fn shrink_to_fit(&mut self) {
        self.at.shrink_to_fit();
        self.agent.shrink_to_fit();
        self.seconds.shrink_to_fit();
        self.is_call.shrink_to_fit();
        self.number.shrink_to_fit();
    }

    /// A log of these records.
    pub fn from_records<'r>(records: impl IntoIterator<Item = &'r ActivityRecord>) -> Self {
        let mut log = Self::new();
        for r in records {
            log.push(r);
        }
        log
    }

    /// Adds one record; calls that did not complete are not usage and are dropped.
    pub fn push(&mut self, record: &ActivityRecord) {
        let (is_call, seconds) = match record.activity {
            Activity::Message => (false, 0),
            Activity::Call {
                status,
                duration_seconds,
            } if status.is_completed() => (true, duration_seconds),
            Activity::Call { .. } => return,
        };
        let agent = record.agent_id.map_or(NO_AGENT, |id| self.agents.slot(id));
        self.at.push(record.at.unix_seconds());
        self.agent.push(agent);
        self.seconds.push(seconds);
        self.is_call.push(is_call);
        self.number
            .push(record.number.map_or(0, PhoneNumber::as_u64));
        if self.order.appended(&self.at) {
            let perm = order::permutation(&self.at);
            order::apply(&mut self.at, &perm);
            order::apply(&mut self.agent, &perm);
            order::apply(&mut self.seconds, &perm);
            order::apply(&mut self.is_call, &perm);
            order::apply(&mut self.number, &perm);
            self.order.all_sorted(self.at.len());
        }
    }

    /// Calls `f(index)` for every record in `[lo, hi)`: the sorted slice, then the tail.
    #[inline]
    pub(crate) fn each_in(&self, lo: i64, hi: i64, mut f: impl FnMut(usize)) {
        let scan = self.order.scan(&self.at, lo, hi);
        (scan.sorted.0..scan.sorted.1).for_each(&mut f);
        for (i, at) in self.at.iter().enumerate().skip(scan.tail) {
            if *at >= lo && *at < hi {
                f(i);
            }
        }
    }

    /// How many records it holds (messages and completed calls).
    pub fn len(&self) -> usize {
        self.at.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Per-agent-slot counters over `[lo, hi)`: `(messages, calls, seconds)`; the last cell is
    /// activity with no agent.
    pub(crate) fn per_slot(&self, lo: Timestamp, hi: Timestamp) -> Vec<Counts> {
        let (lo, hi) = (lo.unix_seconds(), hi.unix_seconds());
        let none_cell = self.agents.ids().len();
        let mut cells = vec![Counts::default(); none_cell + 1];
        let rows = self
            .at
            .iter()
            .zip(&self.agent)
            .zip(&self.seconds)
            .zip(&self.is_call);
        for (((at, agent), seconds), is_call) in rows {
            if *at >= lo && *at < hi {
                let cell = if *agent == NO_AGENT {
                    none_cell
                } else {
                    *agent as usize
                };
                if let Some(c) = cells.get_mut(cell) {
                    c.add(*is_call, *seconds);
                }
            }
        }
        cells
    }
}

/// Messages, completed calls and their seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub messages: u64,
    pub calls: u64,
    pub seconds: u64,
}

impl Counts {
    #[inline]
    pub(crate) fn add(&mut self, is_call: bool, seconds: u32) {
        let call = u64::from(is_call);
        self.messages += 1 - call;
        self.calls += call;
        self.seconds += u64::from(seconds);
    }

    pub(crate) fn merge(&mut self, o: &Counts) {
        self.messages += o.messages;
        self.calls += o.calls;
        self.seconds += o.seconds;
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.messages == 0 && self.calls == 0
    }
}
