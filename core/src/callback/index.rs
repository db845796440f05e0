//! [`OutboundIndex`]: every outbound call, grouped by contact and sorted by time.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::agent::AgentId;
use crate::call::{CallId, CallStatus};
use crate::hash::FastMap;
use crate::phone::PhoneNumber;
use crate::slots::AgentSlots;
use crate::time::Timestamp;

/// An outbound call as the index needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundCall {
    /// Its id (larger = more recent, for calls started in the same second).
    pub id: CallId,
    /// The outbound agent that placed it.
    pub agent_id: AgentId,
    /// The contact's number.
    pub to: PhoneNumber,
    /// When it started.
    pub started_at: Timestamp,
    /// How it ended.
    pub status: CallStatus,
}

/// 24 bytes per outbound call.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "snapshot", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct Entry {
    pub at: i64,
    pub id: u64,
    pub agent: u32,
    #[cfg_attr(feature = "snapshot", serde(with = "crate::call::status_code"))]
    pub status: CallStatus,
}

/// One contact in the open-addressing table: its number and where its calls are. Key 0 marks
/// an empty slot (no phone number is 0).
#[derive(Debug, Clone, Copy, Default)]
#[cfg_attr(feature = "snapshot", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct Slot {
    pub(crate) key: u64,
    start: u32,
    len: u32,
}

/// Every outbound call, grouped by contact and sorted by (start, id) within a contact: 24
/// bytes per call in one array, plus a table of 16-byte slots (at most half full) that finds
/// a contact's calls in **one** memory access.
///
/// That single access matters: a look-up is a cache miss, and a chain of two (as with a
/// general hash map: control bytes, then bucket) doubles the latency no batching can hide.
/// Built once from a batch ([`OutboundIndex::build`]) and queried many times; calls recorded
/// later go through [`OutboundIndex::insert`] into a small side table that is folded into the
/// arrays when it grows past a quarter of them, so inserts stay amortised O(log n).
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "snapshot", derive(serde::Serialize, serde::Deserialize))]
pub struct OutboundIndex {
    table: Vec<Slot>,
    contacts: usize,
    pub(crate) entries: Vec<Entry>,
    pub(crate) recent: FastMap<PhoneNumber, Vec<Entry>>,
    recent_len: usize,
    pub(crate) agents: AgentSlots,
}

impl OutboundIndex {
    /// Gives back spare capacity (after a bulk load).
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
        self.recent.shrink_to_fit();
    }

    /// Indexes a batch of outbound calls.
    pub fn build(calls: impl IntoIterator<Item = OutboundCall>) -> Self {
        let mut index = OutboundIndex::default();
        let mut rows: Vec<(u64, Entry)> = calls
            .into_iter()
            .map(|c| (c.to.as_u64(), index.entry(&c)))
            .collect();
        index.rebuild(&mut rows);
        index
    }

    /// Adds one outbound call.
    pub fn insert(&mut self, call: OutboundCall) {
        let entry = self.entry(&call);
        let list = self.recent.entry(call.to).or_default();
        let pos = list.partition_point(|e| (e.at, e.id) <= (entry.at, entry.id));
        list.insert(pos, entry);
        self.recent_len += 1;
        if self.recent_len > 1024.max(self.entries.len() / 4) {
            self.compact();
        }
    }

    /// How many calls are indexed.
    pub fn len(&self) -> usize {
        self.entries.len() + self.recent_len
    }

    /// Whether no call is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Heap bytes held (capacity, not length), for memory budgets.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let map = |cap: usize, item: usize| cap.next_power_of_two() * 8 / 7 * (item + 1);
        self.entries.capacity() * size_of::<Entry>()
            + self.table.capacity() * size_of::<Slot>()
            + self.agents.heap_bytes()
            + map(
                self.recent.capacity(),
                size_of::<(PhoneNumber, Vec<Entry>)>(),
            )
            + self
                .recent
                .values()
                .map(|v| v.capacity() * size_of::<Entry>())
                .sum::<usize>()
    }

    fn entry(&mut self, call: &OutboundCall) -> Entry {
        let agent = self.agents.slot(call.agent_id);
        Entry {
            at: call.started_at.unix_seconds(),
            id: call.id.0,
            agent,
            status: call.status,
        }
    }

    fn compact(&mut self) {
        let mut rows: Vec<(u64, Entry)> = Vec::with_capacity(self.len());
        for slot in self.table.iter().filter(|s| s.key != 0) {
            rows.extend(self.history(*slot).iter().map(|e| (slot.key, *e)));
        }
        for (number, list) in self.recent.drain() {
            rows.extend(list.into_iter().map(|e| (number.as_u64(), e)));
        }
        self.recent_len = 0;
        self.rebuild(&mut rows);
    }

    fn rebuild(&mut self, rows: &mut [(u64, Entry)]) {
        rows.sort_unstable_by_key(|(n, e)| (*n, e.at, e.id));
        self.entries = rows.iter().map(|(_, e)| *e).collect();
        let groups = rows.chunk_by(|a, b| a.0 == b.0);
        self.contacts = groups.clone().count();
        // at most half full, so a probe almost always ends at its first slot
        self.table = vec![Slot::default(); (self.contacts * 2).next_power_of_two().max(16)];
        let mask = self.table.len() - 1;
        let mut start = 0usize;
        for group in groups {
            let (Some((key, _)), Ok(s), Ok(len)) = (
                group.first(),
                u32::try_from(start),
                u32::try_from(group.len()),
            ) else {
                continue; // beyond 4 billion calls the index could not be in memory anyway
            };
            let mut i = bucket(*key) & mask;
            while self.table.get(i).is_some_and(|slot| slot.key != 0) {
                i = (i + 1) & mask;
            }
            if let Some(slot) = self.table.get_mut(i) {
                *slot = Slot {
                    key: *key,
                    start: s,
                    len,
                };
            }
            start += group.len();
        }
    }

    /// The contact's slot (one memory access in the common case).
    #[inline]
    pub(crate) fn slot(&self, number: PhoneNumber) -> Option<Slot> {
        self.resolve(number, self.first_slot(number))
    }

    /// The slot a look-up for `number` reads first.
    #[inline]
    pub(crate) fn first_slot(&self, number: PhoneNumber) -> (usize, Slot) {
        let i = bucket(number.as_u64()) & self.table.len().saturating_sub(1);
        (i, self.table.get(i).copied().unwrap_or_default())
    }

    /// Asks the CPU to start loading the slot a look-up for `number` reads first, and
    /// returns where it is, for [`OutboundIndex::slot_from`].
    #[inline]
    pub(crate) fn prefetch_slot(&self, number: PhoneNumber) -> usize {
        let i = bucket(number.as_u64()) & self.table.len().saturating_sub(1);
        if let Some(slot) = self.table.get(i) {
            crate::prefetch::prefetch(slot);
        }
        i
    }

    /// [`OutboundIndex::slot`], starting from the position [`OutboundIndex::prefetch_slot`]
    /// returned for the same number.
    #[inline]
    pub(crate) fn slot_from(&self, number: PhoneNumber, i: usize) -> Option<Slot> {
        self.resolve(number, (i, self.table.get(i).copied().unwrap_or_default()))
    }

    /// Asks the CPU to start loading a contact's calls.
    #[inline]
    pub(crate) fn prefetch_history(&self, history: &[Entry]) {
        if let (Some(first), Some(last)) = (history.first(), history.last()) {
            crate::prefetch::prefetch(first);
            crate::prefetch::prefetch(last);
        }
    }

    /// Finishes a look-up begun by [`OutboundIndex::first_slot`].
    #[inline]
    pub(crate) fn resolve(
        &self,
        number: PhoneNumber,
        (mut i, mut slot): (usize, Slot),
    ) -> Option<Slot> {
        let key = number.as_u64();
        let mask = self.table.len().checked_sub(1)?;
        loop {
            if slot.key == key {
                return Some(slot);
            }
            if slot.key == 0 {
                return None;
            }
            i = (i + 1) & mask;
            slot = *self.table.get(i)?;
        }
    }

    /// A contact's calls in the main arrays.
    #[inline]
    pub(crate) fn history(&self, slot: Slot) -> &[Entry] {
        let start = slot.start as usize;
        self.entries
            .get(start..start + slot.len as usize)
            .unwrap_or(&[])
    }

    /// The contact's calls in (start, id) order, main arrays and side table merged.
    pub(crate) fn calls_to(&self, number: PhoneNumber) -> Cow<'_, [Entry]> {
        let base = self.slot(number).map_or(&[][..], |s| self.history(s));
        match self.recent.get(&number) {
            None => Cow::Borrowed(base),
            Some(extra) => {
                let mut all: Vec<Entry> = base.iter().chain(extra).copied().collect();
                all.sort_unstable_by_key(|e| (e.at, e.id));
                Cow::Owned(all)
            }
        }
    }
}

/// The table position for a key: a folded multiply, high bits first.
#[inline]
fn bucket(key: u64) -> usize {
    let full = u128::from(key ^ 0x243f_6a88_85a3_08d3) * 0x9e37_79b9_7f4a_7c15;
    ((full >> 64) as u64 ^ full as u64) as usize
}
