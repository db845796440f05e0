//! Hostile clients against the real `dialback` binary, each a check with a stated bound:
//!
//! - `connections`: slow headers, an idle flood under a lowered open-file limit, SIGTERM with
//!   stuck sockets open;
//! - `output`: response bytes per request byte for bad input near the body limit, and the
//!   server's peak memory for a huge import line;
//! - `work`: inputs that a quadratic algorithm would make slow, timed at two sizes.
//!
//! Usage: `dialback-hostile [path/to/dialback]` (default `target/release/dialback`); run by
//! `cargo xtask hostile`, part of `cargo xtask ci`. Prints every measurement; exits non-zero
//! if any bound is broken.

// A test program: failing loudly on a broken set-up is what it is for.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod connections;
mod http;
mod output;
mod server;
mod work;

use std::time::{Duration, Instant};

/// One bound, checked.
pub struct Check {
    name: &'static str,
    ok: bool,
    measured: String,
}

impl Check {
    pub fn new(name: &'static str, ok: bool, measured: impl Into<String>) -> Self {
        Check {
            name,
            ok,
            measured: measured.into(),
        }
    }
}

fn main() -> std::process::ExitCode {
    let bin = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/release/dialback".to_owned());
    let started = Instant::now();
    // the slow checks wait on the server's clocks: run them beside the others
    let slow = {
        let bin = bin.clone();
        std::thread::spawn(move || connections::slow_checks(&bin))
    };
    let mut checks = Vec::new();
    checks.extend(connections::flood_checks(&bin));
    checks.extend(output::checks(&bin));
    checks.extend(work::checks(&bin));
    checks.extend(slow.join().unwrap_or_else(|_| {
        vec![Check::new(
            "slow connection checks",
            false,
            "the thread panicked",
        )]
    }));
    let failed = checks.iter().filter(|c| !c.ok).count();
    println!();
    for c in &checks {
        println!(
            "{} {:<62} {}",
            if c.ok { "ok  " } else { "FAIL" },
            c.name,
            c.measured
        );
    }
    println!(
        "\nhostile clients: {} checks, {failed} failed, {:.0?}",
        checks.len(),
        started.elapsed()
    );
    if failed == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// The fastest of `runs` runs of `f`.
pub fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}
