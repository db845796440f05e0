//! `Zone::day_start` against Python's zoneinfo for every zone, every period first day of
//! 2010–2030, and every unusual day of the hard zones. See `tests/tz/generate.py`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use dialback_core::Zone;

use crate::support::core_fixture;

fn lines(name: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(core_fixture(name))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

fn period_first_days() -> Vec<NaiveDate> {
    let mut d = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
    let mut out = vec![];
    while d.year() <= 2030 {
        if d.weekday() == chrono::Weekday::Mon || d.day() == 1 {
            out.push(d);
        }
        d = d.succ_opt().unwrap();
    }
    out
}

/// In Python's tzdata but deliberately not in chrono-tz: `Factory` is the database's
/// placeholder for "zone not yet set" (abbreviation `-00`), not a place anyone lives.
const KNOWN_ABSENT: &[&str] = &["Factory"];

#[test]
fn same_tz_database_version_on_both_sides() {
    let header = std::fs::read_to_string(core_fixture("tz_reference_checksums.csv")).unwrap();
    let expected = format!("tzdata {} ", Zone::database_version());
    assert!(
        header.lines().next().unwrap().contains(&expected),
        "reference built from another tzdata than {expected}"
    );
}

#[test]
fn every_zone_every_period_start_2010_to_2030() {
    let days = period_first_days();
    let reference: BTreeMap<String, (usize, u64)> = lines("tz_reference_checksums.csv")
        .into_iter()
        .map(|r| (r[0].clone(), (r[1].parse().unwrap(), r[2].parse().unwrap())))
        .collect();
    let ours: Vec<&str> = Zone::all_names().collect();
    let mut failures = vec![];
    for (name, (count, checksum)) in &reference {
        assert_eq!(*count, days.len());
        if KNOWN_ABSENT.contains(&name.as_str()) {
            assert!(
                Zone::parse(name).is_err(),
                "{name} is now known to the core: drop it from KNOWN_ABSENT"
            );
            continue;
        }
        let Ok(zone) = Zone::parse(name) else {
            failures.push(format!(
                "{name}: in Python's tzdata but not known to the core"
            ));
            continue;
        };
        let mut h: u64 = 0;
        for d in &days {
            h = h
                .wrapping_mul(1_000_003)
                .wrapping_add(zone.day_start(*d).unix_seconds() as u64);
        }
        if h != *checksum {
            failures.push(format!(
                "{name}: period starts differ from zoneinfo (see tz_reference_rows.csv)"
            ));
        }
    }
    let missing: Vec<&&str> = ours
        .iter()
        .filter(|n| !reference.contains_key(**n))
        .collect();
    assert!(
        missing.is_empty(),
        "zones the reference does not cover: {missing:?}"
    );
    assert!(
        reference.len() >= 590,
        "reference covers only {} zones",
        reference.len()
    );
    assert!(
        failures.is_empty(),
        "{} zones disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn hard_cases_row_by_row() {
    let rows = lines("tz_reference_rows.csv");
    assert!(rows.len() > 500);
    let mut failures = vec![];
    for r in rows
        .iter()
        .filter(|r| !KNOWN_ABSENT.contains(&r[0].as_str()))
    {
        let zone = Zone::parse(&r[0]).unwrap();
        let date: NaiveDate = r[1].parse().unwrap();
        let expected: i64 = r[2].parse().unwrap();
        let got = zone.day_start(date).unix_seconds();
        if got != expected {
            failures.push(format!(
                "{} {}: core {got}, zoneinfo {expected} (naive guess {})",
                r[0], r[1], r[3]
            ));
        }
    }
    for needed in [
        "Pacific/Apia,2011-12-30",
        "America/Santiago,",
        "America/Havana,",
        "Australia/Lord_Howe,",
        "Asia/Kathmandu,",
        "Pacific/Chatham,",
    ] {
        assert!(
            rows.iter()
                .any(|r| format!("{},{}", r[0], r[1]).starts_with(needed)),
            "no row for {needed}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
