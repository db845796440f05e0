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

/// A server restarted on N imported calls, as both `startup` and `lists` measure it.
pub struct Restarted {
    /// The server, ready.
    pub server: Server,
    /// The outbound agents the calls were imported for.
    pub agents: [String; 3],
    /// Its token's `Authorization` header.
    pub auth: String,
    /// Its token.
    pub token: String,
}

/// Imports `calls` calls over `days` days into a fresh environment through an empty server,
/// restarts it, and prints how long it took to be ready and what it holds per call.
pub fn restarted(
    database: &Database,
    scratch: &Scratch,
    calls: usize,
    days: i64,
) -> Result<Restarted> {
    let token = database.environment()?;
    let auth = format!("Authorization: Bearer {token}");
    let empty = Server::start(database.db.as_ref(), &[])?;
    let (empty_rss, _) = memory(empty.pid())?;
    let agents = agents(&empty.base, &auth)?;
    let secs = import(
        &empty.base,
        &auth,
        &agents,
        (0, calls),
        days,
        scratch.path(),
    )?;
    println!(
        "imported {calls} calls over {days} days in {secs:.1} s ({:.0} calls/s)",
        calls as f64 / secs
    );
    empty.stop()?;

    let started = Instant::now();
    let server = Server::start(database.db.as_ref(), &[])?;
    let start = started.elapsed().as_secs_f64();
    let (rss, peak) = memory(server.pid())?;
    let per_call = rss.saturating_sub(empty_rss) as f64 / calls.max(1) as f64;
    println!(
        "\n{}: {calls} calls: ready in {start:.2} s; resident {:.0} MB (an empty server: {:.0} \
         MB), {per_call:.1} bytes per call; peak while starting {:.0} MB",
        if database.shared {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        rss as f64 / 1e6,
        empty_rss as f64 / 1e6,
        peak as f64 / 1e6,
    );
    Ok(Restarted {
        server,
        agents,
        auth,
        token,
    })
}

pub fn startup(args: &[String]) -> Result {
    server::build()?;
    let scratch = Scratch::new("startup")?;
    let (database, rest) = Database::choose(args, &scratch)?;
    let mut calls = 1_000_000_usize;
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--calls" => calls = number_after(arg, rest.next())?,
            other => return Err(format!("startup: unknown argument {other:?}")),
        }
    }
    restarted(&database, &scratch, calls, 90)?.server.stop()
}

/// The number given after a flag (`--calls 1000`).
pub fn number_after<T: std::str::FromStr>(flag: &str, value: Option<&String>) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    let n = value.ok_or(format!("{flag} needs a number"))?;
    n.parse().map_err(|e| format!("{flag} {n}: {e}"))
}
