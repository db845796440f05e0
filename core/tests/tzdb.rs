//! The compiled-in zone table against chrono-tz (the same tzdb release), zone by zone: the
//! same names, and the same UTC offset at every transition the table lists (just before and
//! at it) and at instants sampled every 61 hours from 1850 to 2100 (the odd stride walks
//! through every hour of the day).

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::{TZ_VARIANTS, Tz};
use dialback_core::{Timestamp, Zone};

fn chrono_offset(tz: Tz, t: i64) -> i64 {
    let utc = DateTime::from_timestamp(t, 0).unwrap().naive_utc();
    i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc())
}

fn at(t: i64) -> Timestamp {
    Timestamp::from_unix_seconds(t).unwrap()
}

#[test]
fn same_zone_names_as_chrono_tz() {
    let mut theirs: Vec<&str> = TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    theirs.sort_unstable();
    let ours: Vec<&str> = Zone::all_names().collect();
    assert_eq!(ours, theirs);
    assert_eq!(Zone::database_version(), chrono_tz::IANA_TZDB_VERSION);
}

#[test]
fn same_offsets_as_chrono_tz_everywhere() {
    const FROM: i64 = -3_786_825_600; // 1850-01-01
    const TO: i64 = 4_102_444_800; // 2100-01-01
    let mut checked = 0u64;
    for tz in TZ_VARIANTS {
        let zone = Zone::parse(tz.name()).unwrap();
        let mut t = FROM;
        let mut last = None;
        while t < TO {
            let ours = zone.offset_at(at(t));
            assert_eq!(ours, chrono_offset(tz, t), "{} at {t}", tz.name());
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
                assert_eq!(
                    zone.offset_at(at(lo)),
                    chrono_offset(tz, lo),
                    "{} at {lo}",
                    tz.name()
                );
                assert_eq!(
                    zone.offset_at(at(hi)),
                    chrono_offset(tz, hi),
                    "{} at {hi}",
                    tz.name()
                );
                checked += 2;
            }
            last = Some((t, ours));
            checked += 1;
            t += 61 * 3600;
        }
    }
    assert!(checked > 10_000_000, "{checked}");
}
