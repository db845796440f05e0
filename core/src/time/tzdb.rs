//! The compiled-in time zone table: for every IANA zone, the UTC offset in force at every
//! instant, and nothing else.
//!
//! The table (`tzdata.bin`, written by `cargo xtask tzdata` from chrono-tz's copy of the same
//! tzdb release) is about 25 KB gzip where chrono-tz's own tables are about 160 KB: offsets
//! are all the rules here need, so abbreviations and per-span records are left out, times are
//! varint deltas and linked zones share one history. It is decoded once, on first use.
//! `tests/tzdb.rs` compares every zone with chrono-tz.

use std::sync::OnceLock;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

static TABLE: &[u8] = include_bytes!("tzdata.bin");

/// One zone history: the offset before the first transition, then each transition's instant
/// and the offset from then on.
#[derive(Debug, Default)]
pub(crate) struct History {
    initial: i32,
    at: Vec<i64>,
    offset: Vec<i32>,
}

#[derive(Debug, Default)]
pub(crate) struct Database {
    pub version: &'static str,
    /// In table order; zone 0 is UTC.
    pub names: Vec<&'static str>,
    /// Zone indices sorted by name, for pickers.
    pub sorted: Vec<u16>,
    /// Zone index by exact name (a hash lookup: zone names arrive with every period query).
    by_name: HashMap<&'static str, u16, BuildHasherDefault<NameHasher>>,
    history_of: Vec<u16>,
    histories: Vec<History>,
}

/// The decoded table. A table that fails to decode (it is checked in and tested, so only a
/// broken build could) yields an empty database in which only UTC works.
pub(crate) fn database() -> &'static Database {
    static DB: OnceLock<Database> = OnceLock::new();
    DB.get_or_init(|| decode(TABLE).unwrap_or_default())
}

impl Database {
    /// The zone called exactly `name`.
    pub fn find(&self, name: &str) -> Option<u16> {
        self.by_name.get(name).copied()
    }

    /// A zone's name.
    pub fn name(&self, zone: u16) -> &'static str {
        self.names.get(usize::from(zone)).copied().unwrap_or("UTC")
    }

    /// The offset, in seconds, in force at `t` (Unix seconds).
    pub fn offset_at(&self, zone: u16, t: i64) -> i32 {
        let Some(h) = self
            .history_of
            .get(usize::from(zone))
            .and_then(|h| self.histories.get(usize::from(*h)))
        else {
            return 0;
        };
        let n = h.at.partition_point(|x| *x <= t);
        match n.checked_sub(1) {
            None => h.initial,
            Some(i) => h.offset.get(i).copied().unwrap_or(h.initial),
        }
    }

    /// The earliest instant at which the zone's wall clock reads `local` (local seconds read
    /// as UTC), if it ever does. Every offset the zone is in within `margin` seconds of
    /// `local` gives a candidate instant, kept if the zone really is in that offset then;
    /// one binary search, then a walk over the few transitions near `local`.
    pub fn earliest_instant_at(&self, zone: u16, local: i64, margin: i64) -> Option<i64> {
        let h = self
            .history_of
            .get(usize::from(zone))
            .and_then(|h| self.histories.get(usize::from(*h)))?;
        let first = h.at.partition_point(|x| *x <= local - margin);
        // the offset in force at a time inside the window, walking from `first`
        let offset_from = |u: i64| {
            let mut i = first;
            while h.at.get(i).is_some_and(|x| *x <= u) {
                i += 1;
            }
            match i.checked_sub(1) {
                None => h.initial,
                Some(j) => h.offset.get(j).copied().unwrap_or(h.initial),
            }
        };
        let mut best: Option<i64> = None;
        let mut consider = |o: i32| {
            let u = local - i64::from(o);
            if offset_from(u) == o {
                best = Some(best.map_or(u, |b| b.min(u)));
            }
        };
        consider(offset_from(local - margin));
        let mut i = first;
        while let Some(&t) = h.at.get(i) {
            if t > local + margin {
                break;
            }
            consider(h.offset.get(i).copied().unwrap_or(h.initial));
            i += 1;
        }
        best
    }
}

/// Hashes zone names eight bytes at a time with 64-bit multiplies (the crate's `FastMap`
/// hasher multiplies in 128 bits, which wasm emulates; names arrive with every period query).
#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(chunk) {
                *w = *b;
            }
            self.0 = (self.0 ^ u64::from_le_bytes(word))
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .rotate_left(29);
        }
    }

    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0xff51_afd7_ed55_8ccd)
    }
}

struct Reader {
    bytes: &'static [u8],
    pos: usize,
}

impl Reader {
    fn uint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.pos)?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn int(&mut self) -> Option<i64> {
        let u = self.uint()?;
        Some(((u >> 1) as i64) ^ -((u & 1) as i64))
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }

    fn str(&mut self) -> Option<&'static str> {
        let len = self.count()?;
        let s = self.bytes.get(self.pos..self.pos.checked_add(len)?)?;
        self.pos += len;
        std::str::from_utf8(s).ok()
    }
}

fn decode(bytes: &'static [u8]) -> Option<Database> {
    let mut r = Reader {
        bytes: bytes.strip_prefix(b"DBTZ1")?,
        pos: 0,
    };
    let version = r.str()?;
    let zones = r.count()?;
    let mut names = Vec::with_capacity(zones);
    let mut history_of = Vec::with_capacity(zones);
    for _ in 0..zones {
        names.push(r.str()?);
    }
    for _ in 0..zones {
        history_of.push(u16::try_from(r.uint()?).ok()?);
    }
    let count = r.count()?;
    let mut histories = Vec::with_capacity(count);
    for _ in 0..count {
        let offsets = (0..r.count()?)
            .map(|_| r.int().and_then(|o| i32::try_from(o).ok()))
            .collect::<Option<Vec<i32>>>()?;
        let slot = |i: u64| {
            usize::try_from(i)
                .ok()
                .and_then(|i| offsets.get(i).copied())
        };
        let initial = slot(r.uint()?)?;
        let n = r.count()?;
        let (mut at, mut offset) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut prev: Option<i64> = None;
        for _ in 0..n {
            let t = match prev {
                None => r.int()?,
                Some(p) => {
                    let v = r.uint()?;
                    let gap = if v & 1 == 0 {
                        (v >> 1).checked_mul(60)?
                    } else {
                        v >> 1
                    };
                    p.checked_add(i64::try_from(gap).ok()?)?
                }
            };
            prev = Some(t);
            at.push(t);
        }
        for _ in 0..n {
            offset.push(slot(r.uint()?)?);
        }
        histories.push(History {
            initial,
            at,
            offset,
        });
    }
    if names.first() != Some(&"UTC") || history_of.iter().any(|h| usize::from(*h) >= count) {
        return None;
    }
    let mut sorted: Vec<u16> = (0..u16::try_from(zones).ok()?).collect();
    sorted.sort_by_key(|z| names.get(usize::from(*z)).copied().unwrap_or(""));
    let by_name = sorted
        .iter()
        .filter_map(|z| Some((*names.get(usize::from(*z))?, *z)))
        .collect();
    Some(Database {
        version,
        names,
        sorted,
        by_name,
        history_of,
        histories,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_decodes_whole() {
        let db = decode(TABLE).unwrap();
        assert!(db.names.len() > 590, "{}", db.names.len());
        assert_eq!(db.find("UTC"), Some(0));
        assert_eq!(
            db.name(db.find("America/New_York").unwrap()),
            "America/New_York"
        );
        assert_eq!(db.find("america/new_york"), None);
        assert!(db.version.starts_with("20"));
    }

    #[test]
    fn a_truncated_table_is_refused_not_misread() {
        for cut in [0, 5, 100, TABLE.len() / 2, TABLE.len() - 1] {
            let bytes: &'static [u8] = Box::leak(TABLE[..cut].to_vec().into_boxed_slice());
            assert!(decode(bytes).is_none(), "cut at {cut}");
        }
    }
}
