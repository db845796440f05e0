//! Dense numbers for agent ids.
//!
//! Columnar logs and the outbound index store a `u32` per record instead of a 16-byte UUID,
//! and aggregations count into arrays indexed by it instead of hashing ids per record.

use crate::agent::AgentId;
use crate::hash::FastMap;

/// Reserved: never handed out, so logs can use it for "no agent".
pub(crate) const NONE: u32 = u32::MAX;

/// Agent ids numbered 0, 1, 2… in order of first appearance.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "snapshot", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct AgentSlots {
    ids: Vec<AgentId>,
    slots: FastMap<AgentId, u32>,
}

impl AgentSlots {
    /// The id's number, assigned on first sight. Past 4 billion distinct agents every new id
    /// shares the last number (unreachable in memory, but never a panic).
    pub(crate) fn slot(&mut self, id: AgentId) -> u32 {
        let next = u32::try_from(self.ids.len())
            .unwrap_or(NONE - 1)
            .min(NONE - 1);
        let ids = &mut self.ids;
        *self.slots.entry(id).or_insert_with(|| {
            ids.push(id);
            next
        })
    }

    /// The id's number, if it has one.
    pub(crate) fn get(&self, id: &AgentId) -> Option<u32> {
        self.slots.get(id).copied()
    }

    /// The id with this number.
    pub(crate) fn id(&self, slot: u32) -> Option<AgentId> {
        self.ids.get(slot as usize).copied()
    }

    /// How many ids are numbered.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Every id, by number.
    pub(crate) fn ids(&self) -> &[AgentId] {
        &self.ids
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        let item = std::mem::size_of::<(AgentId, u32)>() + 1;
        self.ids.capacity() * std::mem::size_of::<AgentId>()
            + self.slots.capacity().next_power_of_two() * 8 / 7 * item
    }
}

/// A set of agent numbers as a bitmap: membership is a shift and a mask, with no branch on
/// the answer (the router asks it for every call in a contact's history).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SlotSet {
    words: Vec<u64>,
}

impl SlotSet {
    /// Whether `slot` is in the set.
    #[inline]
    pub(crate) fn contains(&self, slot: u32) -> bool {
        let word = self.words.get((slot / 64) as usize).copied().unwrap_or(0);
        (word >> (slot % 64)) & 1 == 1
    }
}

impl FromIterator<u32> for SlotSet {
    fn from_iter<I: IntoIterator<Item = u32>>(slots: I) -> Self {
        let mut words: Vec<u64> = Vec::new();
        for slot in slots {
            let i = (slot / 64) as usize;
            if words.len() <= i {
                words.resize(i + 1, 0);
            }
            if let Some(word) = words.get_mut(i) {
                *word |= 1 << (slot % 64);
            }
        }
        SlotSet { words }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_set_holds_exactly_its_members() {
        let members = [0, 3, 63, 64, 200];
        let set: SlotSet = members.into_iter().collect();
        for slot in 0..300 {
            assert_eq!(set.contains(slot), members.contains(&slot), "slot {slot}");
        }
        assert!(!set.contains(u32::MAX));
        assert!(!SlotSet::default().contains(0));
    }
}
