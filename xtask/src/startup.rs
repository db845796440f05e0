//! `cargo xtask startup [--calls N] [--postgres | --db URL]`: how long a server with N calls
//! (1M by default) in one environment takes to be ready after a restart, and how much memory
//! it holds then.
//!
//! The calls are the load test's (imported a million per request); the server is stopped with
//! SIGTERM and started again, timed from the process's start to its listening line (the views
//! are loaded before it listens). Memory is the process's resident set (`VmRSS`) when ready,
//! its peak (`VmHWM`), and the growth over an empty server's, per call.

use std::time::Instant;

use crate::Result;
use crate::load::{Database, agents, import};
use crate::server::{self, Scratch, Server};

/// `VmRSS` and `VmHWM` of a process, in bytes.
pub fn memory(pid: u32) -> Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("/proc/{pid}/status: {e}"))?;
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
            * 1024
    };
    Ok((field("VmRSS:"), field("VmHWM:")))
}

pub fn startup(args: &[String]) -> Result {
    server::build()?;
    let scratch = Scratch::new("startup")?;
    let (database, rest) = Database::choose(args, &scratch)?;
    let mut calls = 1_000_000_usize;
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--calls" => {
                let n = rest.next().ok_or("--calls needs a number")?;
                calls = n.parse().map_err(|e| format!("--calls {n}: {e}"))?;
            }
            other => return Err(format!("startup: unknown argument {other:?}")),
        }
    }
    let token = database.environment()?;
    let auth = format!("Authorization: Bearer {token}");

    let empty = Server::start(database.db.as_ref(), &[])?;
    let (empty_rss, _) = memory(empty.pid())?;
    let ids = agents(&empty.base, &auth)?;
    let secs = import(&empty.base, &auth, &ids, (0, calls), 90, scratch.path())?;
    println!(
        "imported {calls} calls in {secs:.1} s ({:.0} calls/s)",
        calls as f64 / secs
    );
    empty.stop()?;

    let started = Instant::now();
    let ready = Server::start(database.db.as_ref(), &[])?;
    let start = started.elapsed().as_secs_f64();
    let (rss, peak) = memory(ready.pid())?;
    let per_call = rss.saturating_sub(empty_rss) as f64 / calls as f64;
    println!(
        "\n{}: {calls} calls: ready in {start:.2} s; resident {:.0} MB (an empty server: {:.0} MB), \
         {per_call:.0} bytes per call; peak while starting {:.0} MB",
        if database.shared {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        rss as f64 / 1e6,
        empty_rss as f64 / 1e6,
        peak as f64 / 1e6,
    );
    ready.stop()
}
