//! The dictionary of calling and called texts.

use hashbrown::HashTable;

use crate::phone::PhoneNumber;
use crate::slots::NONE;
use crate::wire::requests::queries::CallSearch;

/// The distinct calling and called texts, each as the search compares it: without the
/// formatting people type (`CallSearch::FORMATTING`), with the number it parses as.
///
/// About 21 bytes a distinct text at 10M: the text (12 for a North American number), its end
/// (4), and its place in the interning table (4 and a control byte: the table holds only text
/// numbers, and finds a text by hashing the bytes it points at, where a map from hash to
/// number would hold 16 and a control byte). No number is kept beside a text: without its
/// formatting, a text that parses as a number (`PhoneNumber::parse_bytes`) is written exactly
/// `+` and its digits, so a number's texts are found by that writing.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "snapshot", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct Texts {
    bytes: Vec<u8>,
    ends: Vec<u32>,
    /// Text numbers, by the hash of their text, for interning; rebuilt after a saved list is
    /// read back.
    #[cfg_attr(feature = "snapshot", serde(skip))]
    lookup: HashTable<u32>,
}

fn text_hash(text: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::FoldHasher::default();
    h.write(text);
    h.write_u64(text.len() as u64);
    h.finish()
}

/// Text `id` of `bytes` ending at `ends`.
fn text<'a>(bytes: &'a [u8], ends: &[u32], id: u32) -> &'a [u8] {
    let i = id as usize;
    let start = i
        .checked_sub(1)
        .and_then(|j| ends.get(j))
        .map_or(0, |e| *e as usize);
    let end = ends.get(i).map_or(start, |e| *e as usize);
    bytes.get(start..end).unwrap_or_default()
}

/// A number's writing, as a text is held: `+` and its digits.
fn canonical(number: PhoneNumber) -> Vec<u8> {
    format!("+{}", number.as_u64()).into_bytes()
}

impl Texts {
    #[cfg(test)]
    fn get(&self, id: u32) -> &[u8] {
        text(&self.bytes, &self.ends, id)
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    fn rebuild_lookup(&mut self) {
        let (bytes, ends) = (&self.bytes, &self.ends);
        let hash = |id: &u32| text_hash(text(bytes, ends, *id));
        self.lookup = HashTable::with_capacity(ends.len());
        for id in 0..u32::try_from(ends.len()).unwrap_or(u32::MAX) {
            self.lookup.insert_unique(hash(&id), id, hash);
        }
    }

    /// The number of `text` (normalized), assigned on first sight.
    pub(super) fn intern(&mut self, text_as_given: &str) -> u32 {
        let normalized: Vec<u8> = text_as_given
            .bytes()
            .filter(|b| !CallSearch::FORMATTING.contains(&char::from(*b)))
            .collect();
        if self.lookup.len() != self.ends.len() {
            self.rebuild_lookup();
        }
        let h = text_hash(&normalized);
        let (bytes, ends) = (&self.bytes, &self.ends);
        if let Some(&id) = self
            .lookup
            .find(h, |id| text(bytes, ends, *id) == normalized.as_slice())
        {
            return id;
        }
        let id = u32::try_from(self.ends.len()).unwrap_or(NONE - 1);
        self.bytes.extend_from_slice(&normalized);
        self.ends
            .push(u32::try_from(self.bytes.len()).unwrap_or(u32::MAX));
        let (bytes, ends) = (&self.bytes, &self.ends);
        self.lookup
            .insert_unique(h, id, |id| text_hash(text(bytes, ends, *id)));
        id
    }

    /// Which texts hold `needle`, as a bitset by text number. One search through all the
    /// texts' bytes at once (memchr's vectorized substring search, at gigabytes a second),
    /// where a search per text would pay a call and a set-up for each of millions: a match is
    /// the text it starts in, unless it runs past that text's end (the next text then
    /// searched from its own start), and the rest of a matched text is skipped.
    pub(super) fn holding(&self, needle: &[u8]) -> Vec<u64> {
        let mut bits = vec![0u64; self.len().div_ceil(64)];
        let mut mark = |id: usize| {
            if let Some(word) = bits.get_mut(id / 64) {
                *word |= 1 << (id % 64);
            }
        };
        if needle.is_empty() {
            (0..self.len()).for_each(&mut mark);
            return bits;
        }
        let finder = memchr::memmem::Finder::new(needle);
        let (mut from, mut id) = (0usize, 0usize);
        while let Some(found) = self.bytes.get(from..).and_then(|rest| finder.find(rest)) {
            let at = from + found;
            // the text the match starts in: the first whose end is past it
            while self.ends.get(id).is_some_and(|end| *end as usize <= at) {
                id += 1;
            }
            let Some(end) = self.ends.get(id).map(|e| *e as usize) else {
                break;
            };
            if at + needle.len() <= end {
                mark(id);
            }
            from = end;
            id += 1;
        }
        bits
    }

    /// Which texts are `number`, as a bitset by text number: its one writing, found by its
    /// hash.
    pub(super) fn being(&self, number: PhoneNumber) -> Vec<u64> {
        let mut bits = vec![0u64; self.len().div_ceil(64)];
        let mut mark = |id: u32| {
            if let Some(word) = bits.get_mut(id as usize / 64) {
                *word |= 1 << (id % 64);
            }
        };
        let written = canonical(number);
        let (bytes, ends) = (&self.bytes, &self.ends);
        if self.lookup.len() == self.ends.len() {
            let found = self.lookup.find(text_hash(&written), |id| {
                text(bytes, ends, *id) == written.as_slice()
            });
            found.copied().into_iter().for_each(&mut mark);
        } else {
            // not yet ready for interning (a read-back list before `shrink_to_fit`): look
            (0..u32::try_from(ends.len()).unwrap_or(u32::MAX))
                .filter(|id| text(bytes, ends, *id) == written.as_slice())
                .for_each(&mut mark);
        }
        bits
    }

    /// Gives back spare capacity, and builds the interning table if a saved list's
    /// read-back left it empty (so that the first call recorded after a restart does not
    /// pay for it).
    pub(super) fn shrink_to_fit(&mut self) {
        if self.lookup.len() != self.ends.len() {
            self.rebuild_lookup();
        }
        self.lookup.shrink_to(self.ends.len(), |id| {
            text_hash(text(&self.bytes, &self.ends, *id))
        });
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4 + self.lookup.capacity() * 5
    }
}

/// Whether text `id` is in `bits` (from [`Texts::holding`] or [`Texts::being`]).
pub(super) fn marked(bits: &[u64], id: u32) -> bool {
    id != NONE
        && bits
            .get(id as usize / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_interned_once_as_the_search_sees_them() {
        let mut t = Texts::default();
        let a = t.intern("+1 (415) 555-0100");
        assert_eq!(t.intern("+14155550100"), a);
        assert_eq!(t.get(a), b"+14155550100");
        let number = PhoneNumber::parse("+14155550100").unwrap();
        assert_eq!(t.being(number), vec![1]);
        let b = t.intern("anonymous");
        assert_ne!(a, b);
        // every text that parses as a number, once normalized, is that number's one writing
        let mut others = Texts::default();
        for written in [
            "+1 (415) 555-0100",
            "+44 20.7946.0958",
            "+ 33 1 23",
            "(+1) 415",
        ] {
            let id = others.intern(written);
            if let Some(n) = PhoneNumber::parse_bytes(others.get(id)) {
                assert_eq!(others.get(id), canonical(n).as_slice(), "{written}");
            }
        }
        // read back without its lookup, interning still finds each text once
        let mut again = t.clone();
        again.lookup = HashTable::new();
        assert_eq!(again.intern("anonymous"), b);
        assert_eq!(again.len(), 2);
    }
}
