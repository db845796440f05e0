//! Zone tables from outside: the compact form (`GET /tzdata`, `--tzdata FILE`) and TZif files
//! (`--tzdata DIR`). Neither reader may panic, every error carries a code, and a table that
//! is read answers for every zone it names.
#![no_main]

use dialback_core::*;
use libfuzzer_sys::fuzz_target;

fn answers(t: &Tzdata) {
    let names: Vec<String> = t.zone_names().map(str::to_owned).collect();
    for name in &names {
        for at in [i64::MIN, -5_364_662_400, 0, 1_800_000_000, i64::MAX] {
            assert!(t.offset_at(name, at).is_some());
        }
    }
    assert_eq!(Tzdata::from_compact(&t.to_compact()).as_ref(), Ok(t));
}

fuzz_target!(|data: &[u8]| {
    match Tzdata::from_compact(data) {
        Ok(t) => answers(&t),
        Err(e) => assert!(e.code().starts_with("TZDATA_")),
    }
    match Tzdata::from_zoneinfo([("Etc/Fuzz", data)], Some("2026f")) {
        Ok(t) => answers(&t),
        Err(e) => assert!(e.code().starts_with("TZDATA_")),
    }
});
