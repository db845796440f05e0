//! Callback stats: how many callbacks arrived in a date range, how many were answered, how many
//! matched no recent outbound call, and which source agents they are returns of.
//!
//! Our definitions (the seed's own example does not add up, see the README):
//! - a *callback* is an inbound call routed to a callback agent, matched or unmatched;
//! - `total_callbacks_received` = matched + `callbacks_unmatched`;
//! - `callbacks_by_source_agent` splits the matched ones, so its counts sum to matched;
//! - `callbacks_answered` counts callbacks whose status is `answered` or `completed`.

use serde::{Deserialize, Serialize};

use crate::agent::AgentId;
use crate::call::CallStatus;
use crate::callback::routing::RoutingDecision;
use crate::order::{self, Order};
use crate::slots::{self, AgentSlots};
use crate::time::{DateRange, TimeError, Timestamp};
use crate::usage::buckets::MAX_BUCKETS;
use chrono::NaiveDate;

/// One routed callback, as stats need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackRecord {
    /// When the inbound call arrived.
    pub at: Timestamp,
    /// The callback agent it went to.
    pub callback_agent_id: AgentId,
    /// The source agent a matched callback is attributed to; `None` if unmatched.
    pub source_agent_id: Option<AgentId>,
    /// Whether it was picked up (`answered` or `completed`).
    pub answered: bool,
}

impl CallbackRecord {
    /// The record for a routed inbound call, or `None` if it did not hit a callback agent.
    pub fn from_decision(
        decision: &RoutingDecision,
        at: Timestamp,
        status: CallStatus,
    ) -> Option<Self> {
        let callback_agent_id = match decision {
            RoutingDecision::Matched {
                callback_agent_id, ..
            }
            | RoutingDecision::Unmatched {
                callback_agent_id, ..
            } => *callback_agent_id,
            _ => return None,
        };
        Some(CallbackRecord {
            at,
            callback_agent_id,
            source_agent_id: decision.source_agent_id(),
            answered: status.is_answered(),
        })
    }
}

const UNMATCHED: u32 = slots::NONE;

/// Routed callbacks in columns (17 bytes each), kept in time order, so that aggregating a
/// date range is a tight loop over that range of three arrays, with no hashing.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "snapshot", derive(serde::Serialize, serde::Deserialize))]
pub struct CallbackLog {
    order: Order,
    at: Vec<i64>,
    source: Vec<u32>,
    answered: Vec<bool>,
    callback_agent: Vec<u32>,
    agents: AgentSlots,
}

/// Callback stats over a date range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackStats {
    /// The days covered.
    pub range: DateRange,
    /// Callbacks received: matched plus unmatched.
    pub received: u64,
    /// Of those, picked up.
    pub answered: u64,
    /// Of those, matching no recent outbound call.
    pub unmatched: u64,
    /// Matched callbacks per source agent, most first, then by id; sums to matched.
    pub by_source: Vec<(AgentId, u64)>,
}

/// Callbacks on one local day (`group_by=day`): the same definitions as [`CallbackStats`],
/// so that the days of a range add up to its totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackDay {
    /// The local date.
    pub date: NaiveDate,
    /// Callbacks received: matched plus unmatched.
    pub received: u64,
    /// Of those, picked up.
    pub answered: u64,
    /// Of those, matching no recent outbound call.
    pub unmatched: u64,
}

impl CallbackDay {
    /// Callbacks that matched a recent outbound call.
    pub fn matched(&self) -> u64 {
        self.received - self.unmatched
    }
}

/// Totals for one callback agent over all time (the callback-agent detail endpoint's `stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AgentCallbackTotals {
    /// Callbacks it received.
    pub received: u64,
    /// Of those, answered.
    pub answered: u64,
}

impl CallbackLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives back spare capacity (after a bulk load: the columns grew by doubling).
    pub fn shrink_to_fit(&mut self) {
        self.at.shrink_to_fit();
        self.source.shrink_to_fit();
        self.answered.shrink_to_fit();
        self.callback_agent.shrink_to_fit();
    }

    /// Adds one callback.
    pub fn push(&mut self, record: CallbackRecord) {
        let source = record
            .source_agent_id
            .map_or(UNMATCHED, |id| self.agents.slot(id));
        let callback_agent = self.agents.slot(record.callback_agent_id);
        self.at.push(record.at.unix_seconds());
        self.source.push(source);
        self.answered.push(record.answered);
        self.callback_agent.push(callback_agent);
        if self.order.appended(&self.at) {
            let perm = order::permutation(&self.at);
            order::apply(&mut self.at, &perm);
            order::apply(&mut self.source, &perm);
            order::apply(&mut self.answered, &perm);
            order::apply(&mut self.callback_agent, &perm);
            self.order.all_sorted(self.at.len());
        }
    }

    /// How many callbacks it holds.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// All-time totals for one callback agent.
    pub fn agent_totals(&self, agent: &AgentId) -> AgentCallbackTotals {
        let Some(slot) = self.agents.get(agent) else {
            return AgentCallbackTotals::default();
        };
        let mut totals = AgentCallbackTotals::default();
        for (a, answered) in self.callback_agent.iter().zip(&self.answered) {
            let hit = u64::from(*a == slot);
            totals.received += hit;
            totals.answered += hit & u64::from(*answered);
        }
        totals
    }

    /// Stats over `range`.
    pub fn stats(&self, range: &DateRange) -> CallbackStats {
        let (lo, hi) = range.bounds_secs();
        // counts[slot] per source agent; the last cell counts unmatched
        let mut counts = vec![0u64; self.agents.ids().len() + 1];
        let unmatched_cell = self.agents.ids().len();
        let mut answered = 0u64;
        for ((at, source), ans) in self.at.iter().zip(&self.source).zip(&self.answered) {
            let inside = (*at >= lo) & (*at < hi);
            if inside {
                let cell = if *source == UNMATCHED {
                    unmatched_cell
                } else {
                    *source as usize
                };
                if let Some(c) = counts.get_mut(cell) {
                    *c += 1;
                }
                answered += u64::from(*ans);
            }
        }
        let unmatched = counts.pop().unwrap_or(0);
        let mut by_source: Vec<(AgentId, u64)> = counts
            .iter()
            .zip(self.agents.ids())
            .filter(|(count, _)| **count > 0)
            .map(|(count, id)| (*id, *count))
            .collect();
        by_source.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let matched: u64 = counts.iter().sum();
        CallbackStats {
            range: *range,
            received: matched + unmatched,
            answered,
            unmatched,
            by_source,
        }
    }
}

impl CallbackLog {
    /// Callbacks on each local day of `range` (every day listed, zeros included), days
    /// starting at [`Zone::day_start`](crate::Zone::day_start), as usage's days do. A day the
    /// zone skipped entirely is listed and always empty. At most [`MAX_BUCKETS`] days.
    pub fn daily(&self, range: &DateRange) -> Result<Vec<CallbackDay>, TimeError> {
        if range.len_days() > MAX_BUCKETS {
            return Err(TimeError::InvalidDateRange {
                start: range.start().to_string(),
                end: range.end().to_string(),
                why: "asks for more than 3660 days",
            });
        }
        let zone = range.zone();
        let (lo, hi) = range.bounds_secs();
        let mut days: Vec<CallbackDay> = range
            .days()
            .map(|date| CallbackDay {
                date,
                received: 0,
                answered: 0,
                unmatched: 0,
            })
            .collect();
        // where each day ends: the next one's start, and the range's end for the last
        let mut ends: Vec<i64> = days
            .iter()
            .skip(1)
            .map(|d| zone.day_start_secs(d.date))
            .collect();
        ends.push(hi);
        // the range's slice of the sorted part, then the unsorted tail; each record's day is
        // the first whose end is after it
        let scan = self.order.scan(&self.at, lo, hi);
        let tail = (scan.tail..self.at.len())
            .filter(|&i| self.at.get(i).is_some_and(|at| (lo..hi).contains(at)));
        for i in (scan.sorted.0..scan.sorted.1).chain(tail) {
            let (Some(at), Some(source), Some(answered)) =
                (self.at.get(i), self.source.get(i), self.answered.get(i))
            else {
                continue;
            };
            let day = ends.partition_point(|end| *end <= *at);
            if let Some(cell) = days.get_mut(day) {
                cell.received += 1;
                cell.answered += u64::from(*answered);
                cell.unmatched += u64::from(*source == UNMATCHED);
            }
        }
        Ok(days)
    }
}

/// The name shown for a source agent that is no longer in the directory.
pub const UNKNOWN_AGENT: &str = "Unknown agent";

/// Stats over any collection of records: builds a [`CallbackLog`] and aggregates it. For
/// repeated queries over the same records, keep the log.
pub fn callback_stats<'r>(
    records: impl IntoIterator<Item = &'r CallbackRecord>,
    range: &DateRange,
) -> CallbackStats {
    let mut log = CallbackLog::new();
    for r in records {
        log.push(*r);
    }
    log.stats(range)
}
