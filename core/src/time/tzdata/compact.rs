//! The compact form of a zone table: offsets only, with zones that share a history (links
//! such as `US/Eastern`) stored once. The whole database is about 180 KB, 17 KB gzip, where
//! chrono-tz's tables were about 160 KB gzip: abbreviations and per-span records are left
//! out, and the table is laid out for gzip, which is how it travels (in the npm package's
//! `.wasm`, and from a server's `GET /tzdata`).
//!
//! Format `DBTZ2` (all integers LEB128 varints, signed ones zigzag-encoded):
//! 1. `DBTZ2`, the release (length + bytes), the zone count;
//! 2. the zones' names, each as the length of the prefix it shares with the previous name,
//!    then the rest (length + bytes);
//! 3. each zone's history: `0` for the next history not used yet, else `1 +` its index;
//! 4. the history count; then, each part for every history before the next part starts, so
//!    that like sits with like: the offsets (count, then signed seconds); the initial
//!    offset's index and the transition count; each transition's offset index; then, for
//!    each transition, its local day (in the offset in force before it) as days since the
//!    previous transition's local day (the first: since 1800-01-01), plus 3 (a day count can
//!    go back by at most three: offsets span 51 hours); its local time of day
//!    (`minutes << 1` when whole minutes, else `seconds << 1 | 1`).
//!
//! Laying it out by part rather than by history, local days apart from local times of day
//! (clocks change at 02:00 local in most of the world, whatever the UTC time), takes the
//! embedded table from 21.4 to 16.8 KB gzip.
//!
//! Tables arrive from outside (a server's `GET /tzdata`, a file an operator names), so the
//! reader trusts nothing: every count is checked against the bytes left before anything is
//! allocated, and the result is checked as a table built any other way is.

use super::{History, Tzdata, TzdataError, TzdataVersion};

const MAGIC: &[u8] = b"DBTZ2";

const TRUNCATED: TzdataError = TzdataError::Malformed("truncated or damaged");

/// 1800-01-01, the day the first transition of each history is counted from.
const FIRST_DAY: i64 = super::FROM / 86_400;

/// The release a compact table names, read from its header alone.
pub(super) fn version_of(bytes: &[u8]) -> Option<&str> {
    let mut r = Reader {
        bytes: bytes.strip_prefix(MAGIC)?,
        pos: 0,
    };
    r.str()
}

pub(super) fn decode(bytes: &[u8]) -> Result<Tzdata, TzdataError> {
    let Some(body) = bytes.strip_prefix(MAGIC) else {
        return Err(TzdataError::Malformed("not a Dialback zone table (DBTZ2)"));
    };
    let mut r = Reader {
        bytes: body,
        pos: 0,
    };
    let version = TzdataVersion::parse(r.str().ok_or(TRUNCATED)?)?;
    let (zones, histories) = r.parts().ok_or(TRUNCATED)?;
    if r.pos != body.len() {
        return Err(TzdataError::Malformed("bytes after the table"));
    }
    Tzdata::new(version, zones, histories)
}

pub(super) fn encode(table: &Tzdata) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    bytes(&mut out, table.version.as_str().as_bytes());
    uint(&mut out, table.zones.len() as u64);
    let mut previous: &[u8] = &[];
    for (name, _) in &table.zones {
        let name = name.as_bytes();
        let shared = name
            .iter()
            .zip(previous)
            .take_while(|(a, b)| a == b)
            .count();
        uint(&mut out, shared as u64);
        bytes(&mut out, name.get(shared..).unwrap_or_default());
        previous = name;
    }
    let mut next = 0;
    for (_, h) in &table.zones {
        if *h == next {
            uint(&mut out, 0);
            next += 1;
        } else {
            uint(&mut out, u64::from(*h) + 1);
        }
    }
    let histories = &table.histories;
    uint(&mut out, histories.len() as u64);
    let offsets: Vec<Vec<i32>> = histories
        .iter()
        .map(|h| {
            let mut offsets = vec![h.initial];
            for o in &h.offset {
                if !offsets.contains(o) {
                    offsets.push(*o);
                }
            }
            offsets
        })
        .collect();
    let slot = |offsets: &[i32], o: i32| offsets.iter().position(|x| *x == o).unwrap_or(0) as u64;
    for list in &offsets {
        uint(&mut out, list.len() as u64);
        for o in list {
            int(&mut out, i64::from(*o));
        }
    }
    for (h, list) in histories.iter().zip(&offsets) {
        uint(&mut out, slot(list, h.initial));
        uint(&mut out, h.at.len() as u64);
    }
    for (h, list) in histories.iter().zip(&offsets) {
        for o in &h.offset {
            uint(&mut out, slot(list, *o));
        }
    }
    // each transition's local time, in the offset in force before it; the first is counted
    // from 1800-01-01, before which no table has transitions
    let local = |h: &History, i: usize| {
        let before = i
            .checked_sub(1)
            .and_then(|j| h.offset.get(j))
            .copied()
            .unwrap_or(h.initial);
        h.at.get(i).copied().unwrap_or(0) + i64::from(before)
    };
    for h in histories {
        let mut previous = FIRST_DAY;
        for i in 0..h.at.len() {
            let day = local(h, i).div_euclid(86_400);
            uint(&mut out, u64::try_from(day - previous + 3).unwrap_or(0));
            previous = day;
        }
    }
    for h in histories {
        for i in 0..h.at.len() {
            let tod = local(h, i).rem_euclid(86_400).unsigned_abs();
            let v = if tod.is_multiple_of(60) {
                (tod / 60) << 1
            } else {
                (tod << 1) | 1
            };
            uint(&mut out, v);
        }
    }
    out
}

fn uint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn int(out: &mut Vec<u8>, v: i64) {
    uint(out, ((v << 1) ^ (v >> 63)) as u64);
}

fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    uint(out, b.len() as u64);
    out.extend_from_slice(b);
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
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

    /// A count of items still to read: each takes at least a byte, so a count larger than
    /// the bytes left is damage, refused before anything is allocated for it.
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.uint()?).ok()?;
        (n <= self.bytes.len().saturating_sub(self.pos)).then_some(n)
    }

    fn index(&mut self) -> Option<u32> {
        u32::try_from(self.uint()?).ok()
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = self.count()?;
        let s = self.bytes.get(self.pos..self.pos.checked_add(len)?)?;
        self.pos += len;
        std::str::from_utf8(s).ok()
    }

    /// Everything after the release: the zones with their history indices, the histories.
    #[allow(clippy::type_complexity)]
    fn parts(&mut self) -> Option<(Vec<(String, u32)>, Vec<History>)> {
        let count = self.count()?;
        let mut zones: Vec<(String, u32)> = Vec::with_capacity(count);
        let mut previous = String::new();
        for _ in 0..count {
            let mut name = previous.get(..self.count()?)?.to_owned();
            name.push_str(self.str()?);
            previous.clone_from(&name);
            zones.push((name, 0));
        }
        let mut next = 0;
        for (_, h) in &mut zones {
            *h = match self.index()? {
                0 => {
                    next += 1;
                    next - 1
                }
                i => i - 1,
            };
        }
        let count = self.count()?;
        let mut offsets = Vec::with_capacity(count);
        for _ in 0..count {
            let list = (0..self.count()?)
                .map(|_| self.int().and_then(|o| i32::try_from(o).ok()))
                .collect::<Option<Vec<i32>>>()?;
            offsets.push(list);
        }
        let mut histories = Vec::with_capacity(count);
        let mut lengths = Vec::with_capacity(count);
        for list in &offsets {
            let initial = *list.get(usize::try_from(self.uint()?).ok()?)?;
            let n = self.count()?;
            lengths.push(n);
            histories.push(History {
                initial,
                at: Vec::with_capacity(n),
                offset: Vec::with_capacity(n),
            });
        }
        for ((h, n), list) in histories.iter_mut().zip(&lengths).zip(&offsets) {
            for _ in 0..*n {
                let o = list.get(usize::try_from(self.uint()?).ok()?)?;
                h.offset.push(*o);
            }
        }
        // local days, then local times of day, each in the offset in force before it
        let mut days = Vec::new();
        for n in &lengths {
            let mut day = FIRST_DAY;
            for _ in 0..*n {
                day = day
                    .checked_add(i64::try_from(self.uint()?).ok()?)?
                    .checked_sub(3)?;
                days.push(day);
            }
        }
        let mut days = days.into_iter();
        for (h, n) in histories.iter_mut().zip(&lengths) {
            for i in 0..*n {
                let v = self.uint()?;
                let tod = if v & 1 == 0 {
                    (v >> 1).checked_mul(60)?
                } else {
                    v >> 1
                };
                let before = match i.checked_sub(1) {
                    Some(j) => *h.offset.get(j)?,
                    None => h.initial,
                };
                let t = days
                    .next()?
                    .checked_mul(86_400)?
                    .checked_add(i64::try_from(tod).ok()?)?
                    .checked_sub(i64::from(before))?;
                h.at.push(t);
            }
        }
        Some((zones, histories))
    }
}

#[cfg(test)]
mod tests {
    use super::super::EMBEDDED;
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn the_embedded_table_round_trips_byte_for_byte() {
        let t = decode(EMBEDDED).unwrap();
        assert_eq!(encode(&t), EMBEDDED);
    }

    #[test]
    fn a_damaged_table_is_refused_not_misread() {
        for cut in [0, 5, 100, EMBEDDED.len() / 2, EMBEDDED.len() - 1] {
            let err = decode(EMBEDDED.get(..cut).unwrap()).unwrap_err();
            assert_eq!(err.code(), "TZDATA_MALFORMED", "cut at {cut}");
        }
        let mut longer = EMBEDDED.to_vec();
        longer.push(0);
        assert_eq!(decode(&longer).unwrap_err().code(), "TZDATA_MALFORMED");
        // a huge count is refused before anything is allocated for it
        let mut huge = b"DBTZ2\x052026f".to_vec();
        huge.extend([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
        assert_eq!(decode(&huge).unwrap_err().code(), "TZDATA_MALFORMED");
        assert_eq!(
            decode(b"DBTZ2\x04nope").unwrap_err().code(),
            "TZDATA_VERSION_INVALID"
        );
    }

    /// Found by `cargo xtask fuzz` (target `read_tzdata`): a time of day so large that it
    /// overflowed when turned into seconds.
    #[test]
    fn a_time_of_day_past_any_day_is_refused() {
        let found = include_bytes!("../../../tests/fixtures/tzif/compact-tod-overflow.fuzz");
        assert_eq!(decode(found).unwrap_err().code(), "TZDATA_MALFORMED");
    }

    #[test]
    fn the_header_alone_gives_the_release() {
        assert_eq!(
            version_of(EMBEDDED),
            Some(decode(EMBEDDED).unwrap().version.as_str())
        );
        assert_eq!(version_of(b"TZif"), None);
    }
}
