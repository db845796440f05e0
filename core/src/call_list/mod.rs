//! [`CallList`]: an environment's calls in list order (newest first: by start, then id), in
//! compact columns, so that the call lists' filters, totals, deep pages and number search
//! answer from memory in milliseconds at millions of calls, by the same rule as
//! [`CallFilter::matches`].
//!
//! About 21 bytes a call: its start and id (4 bytes each while an environment's calls span
//! less than 136 years and ids stay below four billion, 8 past that), status and direction in
//! one byte, the agent as a dense number, and the calling and called text as numbers into a
//! dictionary of the distinct values (contacts repeat; an agent's own numbers repeat on every
//! call). What lists show (the texts as given, SIDs, routing) stays in storage: a page is a
//! list of ids, read back by id.
//!
//! SIDs are not held here (they would cost more than everything else); a search's SID part
//! is the caller's to answer, as the calls it found ([`CallList::page`]).

mod filter;
mod packed;
mod texts;

use crate::agent::Direction;
use crate::call::{CallId, CallRecord};
use crate::slots::{AgentSlots, NONE};
use crate::wire::requests::queries::CallFilter;
use filter::Test;
use packed::Packed;
use texts::Texts;

const OUTBOUND: u8 = 1 << 4;

/// See the module docs.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "snapshot", derive(serde::Serialize, serde::Deserialize))]
pub struct CallList {
    /// Entries `0..sorted` are in list order (ascending by start, then id); the rest arrived
    /// out of order and wait in arrival order until the list is re-sorted.
    sorted: usize,
    at: Packed,
    id: Packed,
    /// The status's code, and [`OUTBOUND`].
    meta: Vec<u8>,
    agent: Vec<u32>,
    from: Vec<u32>,
    to: Vec<u32>,
    agents: AgentSlots,
    texts: Texts,
}

/// One page of a list, and how many calls pass its filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    /// The page's calls, newest first (by start, then id).
    pub ids: Vec<CallId>,
    /// Every call passing the filter.
    pub total: u64,
}

impl CallList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many calls it holds.
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    fn key(&self, i: usize) -> (i64, i64) {
        (self.at.get(i), self.id.get(i))
    }

    /// Adds a stored call.
    pub fn push(&mut self, call: &CallRecord) {
        let len = self.len();
        let key = (
            call.started_at.unix_seconds(),
            i64::try_from(call.id.0).unwrap_or(i64::MAX),
        );
        let in_order = self.sorted == len && len.checked_sub(1).is_none_or(|j| self.key(j) <= key);
        self.at.push(key.0);
        self.id.push(key.1);
        let outbound = if call.direction == Direction::Outbound {
            OUTBOUND
        } else {
            0
        };
        self.meta.push(call.status as u8 | outbound);
        self.agent
            .push(call.agent_id.map_or(NONE, |a| self.agents.slot(a)));
        let from = call.from.as_deref().map_or(NONE, |f| self.texts.intern(f));
        self.from.push(from);
        let to = self.texts.intern(&call.to.to_string());
        self.to.push(to);
        if in_order {
            self.sorted = len + 1;
        } else if len + 1 - self.sorted > self.sorted.max(4_096) / 8 {
            self.sort();
        }
    }

    /// Puts every entry in list order (after a load, or when the out-of-order tail grew).
    pub fn sort(&mut self) {
        let len = self.len();
        if self.sorted == len {
            return;
        }
        let mut perm: Vec<u32> = (0..u32::try_from(len).unwrap_or(u32::MAX)).collect();
        perm.sort_by_key(|&i| self.key(i as usize));
        self.at.reorder(&perm);
        self.id.reorder(&perm);
        crate::order::apply(&mut self.meta, &perm);
        crate::order::apply(&mut self.agent, &perm);
        crate::order::apply(&mut self.from, &perm);
        crate::order::apply(&mut self.to, &perm);
        self.sorted = len;
    }

    /// Gives back spare capacity, sorts, and readies the text dictionary for new calls (after
    /// a bulk load, or a saved list's read-back).
    pub fn shrink_to_fit(&mut self) {
        self.sort();
        self.at.shrink_to_fit();
        self.id.shrink_to_fit();
        self.meta.shrink_to_fit();
        self.agent.shrink_to_fit();
        self.from.shrink_to_fit();
        self.to.shrink_to_fit();
        self.texts.shrink_to_fit();
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.at.heap_bytes()
            + self.id.heap_bytes()
            + self.meta.capacity()
            + (self.agent.capacity() + self.from.capacity() + self.to.capacity()) * 4
            + self.agents.heap_bytes()
            + self.texts.heap_bytes()
    }

    /// The id at list position `i`.
    fn id_at(&self, i: usize) -> CallId {
        CallId(u64::try_from(self.id.get(i)).unwrap_or(0))
    }

    /// The list positions of `keys`, in order: by binary search in the sorted part, and by
    /// one pass over the out-of-order tail for keys not found there.
    fn positions(&self, keys: &[ListKey]) -> Vec<usize> {
        let sorted = self.sorted.min(self.len());
        let mut at = Vec::with_capacity(keys.len());
        let mut elsewhere = crate::hash::FastSet::default();
        for k in keys {
            let key = (k.started_at, i64::try_from(k.id.0).unwrap_or(i64::MAX));
            let i = partition(sorted, |i| self.key(i) < key);
            if i < sorted && self.key(i) == key {
                at.push(i);
            } else {
                elsewhere.insert(key.1);
            }
        }
        if !elsewhere.is_empty() {
            at.extend((sorted..self.len()).filter(|i| elsewhere.contains(&self.id.get(*i))));
        }
        at.sort_unstable();
        at.dedup();
        at
    }

    /// The page `offset..offset + limit` of the calls passing `filter`, newest first, and how
    /// many pass it, by [`CallFilter::matches`]'s rule on these columns. A search's SID part
    /// (`filter.search.text`) is the caller's to answer: `sids` are the calls whose SID
    /// matched (storage holds SIDs; this list does not).
    ///
    /// The total is a count over the time range's entries, in tight loops over the columns
    /// the filter reads; the page is then found from the newest end, stopping at its last
    /// entry, or by position alone when every call in the range passes.
    pub fn page(&self, filter: &CallFilter, sids: &[ListKey], offset: u64, limit: u64) -> ListPage {
        let Some(test) = Test::new(self, filter, sids) else {
            return ListPage {
                ids: Vec::new(),
                total: 0,
            };
        };
        // the sorted part's slice of the time range
        let (lo, hi) = (
            filter.since.map_or(i64::MIN, |t| t.unix_seconds()),
            filter.until.unwrap_or(i64::MAX),
        );
        let sorted = self.sorted.min(self.len());
        let a = partition(sorted, |i| self.at.get(i) < lo);
        let b = partition(sorted, |i| self.at.get(i) < hi).max(a);
        // the tail's passing entries, newest first
        let mut tail: Vec<usize> = (sorted..self.len())
            .filter(|&i| (lo..hi).contains(&self.at.get(i)) && test.passes(self, i))
            .collect();
        tail.sort_by_key(|&i| std::cmp::Reverse(self.key(i)));
        let total = test.count(self, a, b) + tail.len() as u64;
        let (first, end) = (offset.min(total), offset.saturating_add(limit).min(total));
        let ids = if tail.is_empty() && test.is_everything() {
            // position p from the newest end is entry b - 1 - p
            (first..end)
                .filter_map(|p| usize::try_from(p).ok())
                .map(|p| self.id_at(b - 1 - p))
                .collect()
        } else if let Some(found) = test.only_sids(a, b) {
            self.walk(&test, found.iter().rev().copied(), tail, (first, end))
        } else {
            self.walk(&test, (a..b).rev(), tail, (first, end))
        };
        ListPage { ids, total }
    }

    /// The passing entries at positions `first..end` among `candidates` (sorted entries,
    /// newest first) merged with `tail` (passing, newest first).
    fn walk(
        &self,
        test: &Test,
        candidates: impl Iterator<Item = usize>,
        tail: Vec<usize>,
        (first, end): (u64, u64),
    ) -> Vec<CallId> {
        let mut ids = Vec::new();
        let mut position = 0u64;
        let mut take = |i: usize, position: &mut u64| {
            if (first..end).contains(position) {
                ids.push(self.id_at(i));
            }
            *position += 1;
        };
        let mut tail = tail.into_iter().peekable();
        for i in candidates {
            if position >= end {
                break;
            }
            if !test.passes(self, i) {
                continue;
            }
            let key = self.key(i);
            while let Some(&t) = tail.peek().filter(|&&t| self.key(t) > key) {
                take(t, &mut position);
                tail.next();
            }
            take(i, &mut position);
        }
        for t in tail {
            if position >= end {
                break;
            }
            take(t, &mut position);
        }
        ids
    }
}

/// Where a call sits in a list: its start (Unix seconds) and id, the list's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListKey {
    /// When the call started, in Unix seconds.
    pub started_at: i64,
    /// The call.
    pub id: CallId,
}

/// The first index in `0..n` where `before` stops holding.
fn partition(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The agent a slot stands for (for tests and diagnostics).
#[cfg(test)]
impl CallList {
    fn agent_of(&self, i: usize) -> Option<crate::AgentId> {
        self.agent.get(i).and_then(|s| self.agents.id(*s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AgentId, CallStatus, PhoneNumber, Timestamp};

    fn call(id: u64, at: i64, direction: Direction, from: Option<&str>, to: &str) -> CallRecord {
        CallRecord {
            id: CallId(id),
            external_id: Some(format!("CA{id:04}")),
            direction,
            agent_id: Some(AgentId::from_u128(u128::from(id % 3) + 1)),
            from: from.map(str::to_owned),
            to: PhoneNumber::parse(to).unwrap(),
            started_at: Timestamp::from_unix_seconds(at).unwrap(),
            status: CallStatus::ALL[(id % 8) as usize],
            duration_seconds: 0,
            routing: None,
        }
    }

    #[test]
    fn pages_come_newest_first_with_the_out_of_order_tail_in_its_place() {
        let mut list = CallList::new();
        // in order, then two late ones, then in order again
        for (id, at) in [(1, 100), (2, 200), (3, 300), (4, 150), (5, 50), (6, 400)] {
            list.push(&call(id, at, Direction::Outbound, None, "+14155550100"));
        }
        assert!(list.sorted < list.len());
        let all = list.page(&CallFilter::default(), &[], 0, 10);
        let ids: Vec<u64> = all.ids.iter().map(|c| c.0).collect();
        assert_eq!((ids, all.total), (vec![6, 3, 2, 4, 1, 5], 6));
        let second = list.page(&CallFilter::default(), &[], 2, 2);
        assert_eq!(second.ids, [CallId(2), CallId(4)]);
        list.sort();
        assert_eq!(list.sorted, list.len());
        assert_eq!(list.page(&CallFilter::default(), &[], 0, 10), all);
        assert_eq!(list.agent_of(0), Some(AgentId::from_u128(3)));
    }
}
