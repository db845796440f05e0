//! `cargo xtask tzdata`: writes `core/src/time/tzdata.bin`, the compact time zone table the
//! core compiles in.
//!
//! chrono-tz stores every zone as an array of 24-byte spans (instant, offsets, abbreviation
//! pointer), about 160 KB gzip for the whole database: most of the npm package's budget. The
//! core only needs, per zone, the UTC offset in force at each instant, so this task reads
//! that out of chrono-tz (the same tzdb release) and writes it as varint deltas, with zones
//! that share a history (links such as `US/Eastern`) stored once. The core's tests compare
//! the table with chrono-tz, zone by zone.
//!
//! Format (all integers LEB128 varints, signed ones zigzag-encoded):
//! `DBTZ1`, version (length + bytes), zone count, the zones' names (length + bytes; UTC
//! first), the zones' history indices; history count, then per history: offset count,
//! offsets (signed seconds), initial offset index, transition count, then for each
//! transition the time since the previous one (the first: signed seconds since the epoch;
//! the others `minutes << 1` when whole minutes, else `seconds << 1 | 1`), then for each
//! transition the index of the offset in force from then on. Like data sits together, so
//! it compresses well.

use std::collections::HashMap;
use std::fs;

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::{TZ_VARIANTS, Tz};

use crate::{Result, root};

/// Scanned range: every transition chrono-tz knows lies between these years.
const FROM: i64 = -5_364_662_400; // 1800-01-01
const TO: i64 = 4_102_444_800; // 2100-01-01
const STEP: i64 = 86_400 / 4;

pub fn tzdata() -> Result {
    let mut histories: Vec<History> = Vec::new();
    let mut index: HashMap<History, usize> = HashMap::new();
    let mut zones = Vec::new();
    // UTC first: the core's `Zone::UTC` is zone 0
    let utc = TZ_VARIANTS.iter().filter(|tz| tz.name() == "UTC");
    for tz in utc.chain(TZ_VARIANTS.iter().filter(|tz| tz.name() != "UTC")) {
        let history = history(tz);
        let next = histories.len();
        let at = *index.entry(history.clone()).or_insert(next);
        if at == next {
            histories.push(history);
        }
        zones.push((tz.name(), at));
    }
    let mut out = b"DBTZ1".to_vec();
    bytes(&mut out, chrono_tz::IANA_TZDB_VERSION.as_bytes());
    uint(&mut out, zones.len() as u64);
    for (name, _) in &zones {
        bytes(&mut out, name.as_bytes());
    }
    for (_, at) in &zones {
        uint(&mut out, *at as u64);
    }
    uint(&mut out, histories.len() as u64);
    let transitions: usize = histories.iter().map(|h| h.transitions.len()).sum();
    for h in &histories {
        let mut offsets: Vec<i32> = vec![h.initial];
        for (_, o) in &h.transitions {
            if !offsets.contains(o) {
                offsets.push(*o);
            }
        }
        let slot = |o: i32| offsets.iter().position(|x| *x == o).unwrap_or(0) as u64;
        uint(&mut out, offsets.len() as u64);
        for o in &offsets {
            int(&mut out, i64::from(*o));
        }
        uint(&mut out, slot(h.initial));
        uint(&mut out, h.transitions.len() as u64);
        // instants first, then offsets: like with like compresses better
        let mut prev = None;
        for (at, _) in &h.transitions {
            match prev {
                None => int(&mut out, *at),
                Some(p) => uint(&mut out, minutes_or_seconds((*at - p) as u64)),
            }
            prev = Some(*at);
        }
        for (_, o) in &h.transitions {
            uint(&mut out, slot(*o));
        }
    }
    let path = root().join("core/src/time/tzdata.bin");
    fs::write(&path, &out).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!(
        "{}: {} zones, {} distinct histories, {transitions} transitions, {} bytes (tzdb {})",
        path.display(),
        zones.len(),
        histories.len(),
        out.len(),
        chrono_tz::IANA_TZDB_VERSION
    );
    Ok(())
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct History {
    initial: i32,
    transitions: Vec<(i64, i32)>,
}

fn offset(tz: &Tz, t: i64) -> i32 {
    DateTime::from_timestamp(t, 0)
        .map(|dt| {
            tz.offset_from_utc_datetime(&dt.naive_utc())
                .fix()
                .local_minus_utc()
        })
        .unwrap_or(0)
}

/// Every instant the zone's offset changes, found by stepping a quarter day at a time and
/// bisecting each step whose ends differ to the second (and again after each change found, so
/// two changes inside one step are both kept; chrono-tz has no pair closer than that which
/// cancels out, which the core's comparison tests would catch).
fn history(tz: &Tz) -> History {
    let initial = offset(tz, FROM);
    let mut transitions = Vec::new();
    let mut current = initial;
    let mut t = FROM;
    while t < TO {
        let end = t + STEP;
        let mut from = t;
        while offset(tz, end) != current {
            // the first instant in (from, end] whose offset differs from `current`
            let (mut lo, mut hi) = (from, end);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(tz, mid) != current {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            current = offset(tz, hi);
            transitions.push((hi, current));
            from = hi;
        }
        t = end;
    }
    History {
        initial,
        transitions,
    }
}

/// Most gaps between transitions are whole minutes: `minutes << 1`, else `seconds << 1 | 1`.
fn minutes_or_seconds(gap: u64) -> u64 {
    if gap.is_multiple_of(60) {
        (gap / 60) << 1
    } else {
        (gap << 1) | 1
    }
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
