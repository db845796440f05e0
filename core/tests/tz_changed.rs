//! The zones whose rules changed between tzdata 2025b and 2026f (Canada's west and centre,
//! Cuba, Morocco and Western Sahara, Moldova): every ISO week, month and year from 2026-09
//! through 2028, against Python's zoneinfo with PyPI's tzdata 2026.6
//! (`tests/fixtures/tz_changed_periods.csv`, written by `core/tests/tz/generate.py`). The
//! server, the console and the npm package check the same file.

use dialback_core::{Period, Timestamp, Zone, usage_period};

use crate::support::shared_fixture;

struct Row {
    zone: String,
    period: Period,
    start: Timestamp,
    end: Timestamp,
}

fn rows() -> (String, Vec<Row>) {
    let text = std::fs::read_to_string(shared_fixture("tz_changed_periods.csv")).unwrap();
    let header = text.lines().next().unwrap().to_owned();
    let rows = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Row {
                zone: f[0].to_owned(),
                period: Period::parse(f[1]).unwrap(),
                start: Timestamp::parse(f[2]).unwrap(),
                end: Timestamp::parse(f[3]).unwrap(),
            }
        })
        .collect();
    (header, rows)
}

#[test]
fn the_reference_is_the_embedded_release() {
    let (header, rows) = rows();
    let release = format!("tzdata {} ", Zone::database_version());
    assert!(header.contains(&release), "{header}");
    let zones: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.zone.as_str()).collect();
    assert_eq!(zones.len(), 15);
}

/// At a period's first second, its last, and halfway, the period is the one Python says.
#[test]
fn every_period_from_2026_09_through_2028_matches_zoneinfo_2026f() {
    let (_, rows) = rows();
    let mut failures = vec![];
    for r in &rows {
        let zone = Zone::parse(&r.zone).unwrap();
        let middle =
            Timestamp::from_unix_seconds((r.start.unix_seconds() + r.end.unix_seconds()) / 2)
                .unwrap();
        for at in [r.start, middle, r.end] {
            let b = usage_period(r.period, zone, at);
            if (b.period_start, b.period_end) != (r.start, r.end) {
                failures.push(format!(
                    "{} {} at {at}: {}..{}, zoneinfo {}..{}",
                    r.zone, r.period, b.period_start, b.period_end, r.start, r.end
                ));
            }
        }
    }
    assert!(rows.len() > 2000, "{}", rows.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The issue's own example: a month that began an hour earlier under 2026f.
#[test]
fn vancouver_and_casablanca_in_december_2026() {
    let now = Timestamp::parse("2026-12-05T12:00:00Z").unwrap();
    let month = |z: &str| {
        usage_period(Period::Month, Zone::parse(z).unwrap(), now)
            .period_start
            .to_string()
    };
    assert_eq!(month("America/Vancouver"), "2026-12-01T07:00:00Z");
    assert_eq!(month("Africa/Casablanca"), "2026-12-01T00:00:00Z");
}
