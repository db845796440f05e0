//! A [`CallFilter`] made ready for the list's columns: status and direction as a mask on one
//! byte, the agent as its slot, numbers and digits as bitsets over the text dictionary, and
//! the calls a SID search found as a bitset over list positions. Counting runs over only the
//! columns the filter reads, as tight loops over slices: at 10M calls a count is a pass over
//! 10 MB (status), 50 MB (and agent) or 130 MB (numbers), which is where its time goes.

use super::texts::marked;
use super::{CallList, ListKey, OUTBOUND};
use crate::agent::Direction;
use crate::slots::NONE;
use crate::wire::requests::queries::{AgentFilter, CallFilter};

/// See the module docs.
pub(super) struct Test {
    meta_mask: u8,
    meta_value: u8,
    agent: Option<u32>,
    /// Texts that are the agent-side number asked for.
    number: Option<Vec<u64>>,
    /// Whether there is a search (then a call passes by its numbers' digits or its SID).
    searching: bool,
    /// Texts holding the search's digits (`None`: numbers are not searched).
    digits: Option<Vec<u64>>,
    /// The calls whose SID matched (`None`: SIDs are not searched).
    sids: Option<Sids>,
}

/// List positions, as a bitset (to test one) and in order (to visit only them).
struct Sids {
    bits: Vec<u64>,
    at: Vec<usize>,
}

fn slice(column: &[u32], a: usize, b: usize) -> &[u32] {
    column.get(a..b).unwrap_or_default()
}

fn bit(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

impl Test {
    /// `None` when nothing can pass. `sids` are the calls whose SID matched the search's
    /// text, found by the caller (storage holds SIDs, the list does not).
    pub(super) fn new(list: &CallList, f: &CallFilter, sids: &[ListKey]) -> Option<Test> {
        let (mut mask, mut value) = (0u8, 0u8);
        if let Some(s) = f.status {
            mask |= 0x0f;
            value |= s as u8;
        }
        if let Some(d) = f.direction {
            mask |= OUTBOUND;
            if d == Direction::Outbound {
                value |= OUTBOUND;
            }
        }
        let agent = match f.agent {
            AgentFilter::Any => None,
            AgentFilter::Agent(a) => Some(list.agents.get(&a)?),
            AgentFilter::Unknown => return None,
        };
        let number = f.number.map(|n| list.texts.being(n));
        let search = f.search.as_ref();
        let digits = search
            .and_then(|s| s.digits.as_ref())
            .map(|d| list.texts.holding(d.as_bytes()));
        let sids = search.and_then(|s| s.text.as_ref()).map(|_| {
            let at = list.positions(sids);
            let mut bits = vec![0u64; list.len().div_ceil(64)];
            for p in &at {
                if let Some(w) = bits.get_mut(p / 64) {
                    *w |= 1 << (p % 64);
                }
            }
            Sids { bits, at }
        });
        Some(Test {
            meta_mask: mask,
            meta_value: value,
            agent,
            number,
            searching: search.is_some(),
            digits,
            sids,
        })
    }

    /// Whether every call in the time range passes.
    pub(super) fn is_everything(&self) -> bool {
        self.meta_mask == 0 && self.agent.is_none() && self.number.is_none() && !self.searching
    }

    /// When only calls found by their SID can pass (a search that is not a number), their
    /// positions in `a..b`, in order: counting and paging then visit only them.
    pub(super) fn only_sids(&self, a: usize, b: usize) -> Option<&[usize]> {
        let sids = self.sids.as_ref().filter(|_| self.digits.is_none())?;
        let from = sids.at.partition_point(|p| *p < a);
        let to = sids.at.partition_point(|p| *p < b).max(from);
        sids.at.get(from..to)
    }

    /// Whether the call at list position `i` passes.
    pub(super) fn passes(&self, list: &CallList, i: usize) -> bool {
        let at = |column: &[u32]| column.get(i).copied().unwrap_or(NONE);
        self.row(
            i,
            list.meta.get(i).copied().unwrap_or(0xff),
            at(&list.agent),
            at(&list.from),
            at(&list.to),
        )
    }

    #[inline]
    fn row(&self, i: usize, meta: u8, agent: u32, from: u32, to: u32) -> bool {
        if meta & self.meta_mask != self.meta_value {
            return false;
        }
        if self.agent.is_some_and(|a| a != agent) {
            return false;
        }
        if let Some(number) = &self.number {
            let side = if meta & OUTBOUND != 0 { from } else { to };
            if !marked(number, side) {
                return false;
            }
        }
        !self.searching
            || self
                .digits
                .as_ref()
                .is_some_and(|d| marked(d, to) || marked(d, from))
            || self.sids.as_ref().is_some_and(|s| bit(&s.bits, i))
    }

    /// How many calls at positions `a..b` pass, reading only the columns the filter needs.
    pub(super) fn count(&self, list: &CallList, a: usize, b: usize) -> u64 {
        let meta = list.meta.get(a..b).unwrap_or_default();
        let (mask, value) = (self.meta_mask, self.meta_value);
        let n = if let Some(found) = self.only_sids(a, b) {
            found.iter().filter(|p| self.passes(list, **p)).count()
        } else if self.is_everything() {
            meta.len()
        } else if self.number.is_none() && !self.searching {
            match self.agent {
                None => meta.iter().filter(|m| *m & mask == value).count(),
                Some(agent) => meta
                    .iter()
                    .zip(slice(&list.agent, a, b))
                    .filter(|(m, g)| *m & mask == value && **g == agent)
                    .count(),
            }
        } else {
            meta.iter()
                .zip(slice(&list.agent, a, b))
                .zip(slice(&list.from, a, b).iter().zip(slice(&list.to, a, b)))
                .enumerate()
                .filter(|(k, ((m, g), (f, t)))| self.row(a + k, **m, **g, **f, **t))
                .count()
        };
        n as u64
    }
}
