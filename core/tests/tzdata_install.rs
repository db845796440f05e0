//! Putting a zone table in force, end to end. Its own test binary: the table in force is
//! process-wide, so these steps must not run beside tests that expect the embedded one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use dialback_core::{ErrorCode, OlderTables, Period, Timestamp, Tzdata, Zone, usage_period};

fn zoneinfo_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_str().unwrap().to_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

fn release_2025b() -> Tzdata {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/zoneinfo-2025b");
    let files = zoneinfo_files(&dir);
    Tzdata::from_zoneinfo(files.iter().map(|(n, b)| (n.as_str(), &b[..])), None).unwrap()
}

fn december_starts(zone: Zone) -> String {
    let now = Timestamp::parse("2026-12-05T12:00:00Z").unwrap();
    usage_period(Period::Month, zone, now)
        .period_start
        .to_string()
}

#[test]
fn a_table_in_force_changes_every_answer_at_once_and_names_stay_known() {
    let vancouver = Zone::parse("America/Vancouver").unwrap();
    let embedded = Tzdata::embedded_version();
    assert_eq!(Zone::database_version(), embedded);
    assert_eq!(december_starts(vancouver), "2026-12-01T07:00:00Z");

    // an older release is refused, and nothing changes
    let old = release_2025b();
    assert_eq!(old.version().as_str(), "2025b");
    assert_eq!(old.zone_count(), 5);
    let err = old.clone().install(OlderTables::Refuse).unwrap_err();
    assert_eq!(err.code(), "TZDATA_OLDER");
    assert!(
        err.to_string().contains("2025b is older than the 2026f"),
        "{err}"
    );
    assert_eq!(Zone::database_version(), embedded);

    // completed from the embedded table: links follow their zone, other names keep theirs
    let (complete, completion) = old.clone().complete_from(&Tzdata::embedded());
    assert_eq!(complete.zone_count(), 597);
    assert!(completion.followed.contains(&"Canada/Pacific".to_owned()));
    assert!(completion.followed.contains(&"US/Eastern".to_owned()));
    assert!(completion.kept.contains(&"Asia/Tokyo".to_owned()));
    assert_eq!(completion.followed.len() + completion.kept.len(), 592);

    // allowed, it answers at once, through zones parsed before it came
    let installed = complete.install(OlderTables::Allow).unwrap();
    assert_eq!(installed.version, "2025b");
    assert_eq!(installed.zones, 597);
    assert_eq!(Zone::database_version(), "2025b");
    assert_eq!(december_starts(vancouver), "2026-12-01T08:00:00Z");
    assert_eq!(
        december_starts(Zone::parse("Canada/Pacific").unwrap()),
        "2026-12-01T08:00:00Z"
    );
    assert_eq!(
        december_starts(Zone::parse("Africa/Casablanca").unwrap()),
        "2026-11-30T23:00:00Z"
    );
    // every name stays known, and keeps its answers where the table has nothing new
    assert_eq!(Zone::all_names().count(), 597);
    assert_eq!(
        december_starts(Zone::parse("Asia/Tokyo").unwrap()),
        "2026-11-30T15:00:00Z"
    );

    // the compact form carries the table whole
    let again = Tzdata::from_compact(&old.to_compact()).unwrap();
    assert_eq!(again, old);

    // a newer release with a new name: the name joins, and stays after the table goes
    let utc_file = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/zoneinfo-2025b/UTC"),
    )
    .unwrap();
    assert!(Zone::parse("Etc/Newland").is_err());
    let newer = Tzdata::from_zoneinfo([("Etc/Newland", &utc_file[..])], Some("2099a")).unwrap();
    let installed = newer.install(OlderTables::Refuse).unwrap();
    assert_eq!(installed.version, "2099a");
    assert_eq!(installed.zones, 1);
    assert_eq!(Zone::database_version(), "2099a");
    let newland = Zone::parse("Etc/Newland").unwrap();
    assert_eq!(newland.name(), "Etc/Newland");
    assert_eq!(Zone::all_names().count(), 598);
    // not completed: the names it lacks keep what they had
    assert_eq!(december_starts(vancouver), "2026-12-01T08:00:00Z");

    // back to the embedded table
    Tzdata::embedded().install(OlderTables::Refuse).unwrap();
    assert_eq!(Zone::database_version(), embedded);
    assert_eq!(december_starts(vancouver), "2026-12-01T07:00:00Z");
    assert_eq!(Zone::parse("Etc/Newland"), Ok(newland));
    assert_eq!(december_starts(newland), "2026-12-01T00:00:00Z");
    assert_eq!(Zone::all_names().count(), 598);

    // each table put in force stays in memory: a process may install fifteen, then is told
    let mut installs = 3;
    let refused = loop {
        match Tzdata::embedded().install(OlderTables::Refuse) {
            Ok(_) => installs += 1,
            Err(e) => break e,
        }
    };
    assert_eq!(installs, 15);
    assert_eq!(refused.code(), "TZDATA_TOO_MANY_LOADS");
    assert_eq!(Zone::database_version(), embedded);
    assert_eq!(december_starts(vancouver), "2026-12-01T07:00:00Z");
}

/// `tests/fixtures/zoneinfo-2025b.bin`, the five 2025b zones in the compact form, is what the
/// npm package's and the console's tests load; it must stay what the files compile to.
#[test]
fn the_compiled_2025b_fixture_is_what_the_files_compile_to() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/zoneinfo-2025b.bin");
    let compiled = release_2025b().to_compact();
    if std::env::var_os("DIALBACK_WRITE_FIXTURES").is_some() {
        std::fs::write(&path, &compiled).unwrap();
    }
    let stored = std::fs::read(&path).unwrap();
    assert!(
        stored == compiled,
        "{} is stale: rerun this test with DIALBACK_WRITE_FIXTURES=1",
        path.display()
    );
    assert_eq!(Tzdata::from_compact(&stored).unwrap(), release_2025b());
}
