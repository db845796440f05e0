//! `cargo xtask ci`: everything CI runs, in order, each command timed (the slowest are listed
//! at the end); and `ci --quick`, the inner loop: format, lints, and the tests of the crates
//! that changed.

use std::time::Instant;

use crate::{
    Result, beside, console, lists, openapi, pkg, postgres, run, run_with, sdk, server, sync,
    timings,
};

/// The server suite's longest test: a minute of a receiver down, then its retries.
pub(crate) const MINUTE: &str =
    "webhook_faults::a_receiver_down_for_a_minute_gets_every_event_when_it_is_back";

pub fn full() -> Result {
    timed(steps)
}

/// Runs `steps`, then lists the slowest of them and the total, pass or fail.
fn timed(steps: fn() -> Result) -> Result {
    let started = Instant::now();
    let result = steps();
    timings::summary(started.elapsed());
    result
}

/// Formatting and clippy over the whole workspace, warnings denied.
fn lints() -> Result {
    run("cargo", &["fmt", "--all", "--check"])?;
    // the fuzz targets are a workspace of their own, which `--all` does not reach
    run(
        "cargo",
        &["fmt", "--manifest-path", "core/fuzz/Cargo.toml", "--check"],
    )?;
    run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )
}

fn steps() -> Result {
    server::for_checks();
    crate::setup()?;
    lints()?;
    // the core's API docs are for Rust users: no broken or private links
    run_with(
        &[("RUSTDOCFLAGS", "-D warnings")],
        "cargo",
        &["doc", "--package", "dialback-core", "--no-deps"],
    )?;
    // the fuzz targets are their own workspace: they must keep compiling against the core
    run(
        "cargo",
        &["check", "--manifest-path", "core/fuzz/Cargo.toml"],
    )?;
    // the receiver-down-for-a-minute test mostly waits: beside the rest, not after it
    run("cargo", &["test", "--workspace", "--no-run"])?;
    let minute = beside::Beside::start(
        "receiver down for a minute",
        &[],
        &[
            "test",
            "--package",
            "dialback-server",
            "--test",
            "api",
            "--",
            "--exact",
            MINUTE,
        ],
    )?;
    let rest = run("cargo", &["test", "--workspace", "--", "--skip", MINUTE]);
    rest.and(minute.finish())?;
    // the server's suite again, on PostgreSQL (SQLite is the run above)
    postgres::test()?;
    // the core's own tests use proptest, which needs an OS random source: its library only
    // (the console with its pages split, as `cargo xtask web` builds it)
    for scope in [
        &["dialback-core", "--lib"][..],
        &["dialback-wasm", "--all-targets"],
        &["dialback-wasm-live", "--all-targets"],
        &["dialback-web", "--all-targets", "--features", "split"],
    ] {
        let mut args = vec!["clippy", "--package"];
        args.extend(scope);
        args.extend(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"]);
        run("cargo", &args)?;
    }
    pkg::test()?;
    console::test()?;
    sdk::test()?;
    // the history checker, short: two minutes of faults, on its own cluster and replicas,
    // beside Schemathesis (each checks answers, not speed; together they fill both cores)
    server::build()?;
    let chaos = beside::Beside::start(
        "chaos",
        &[(server::CHECKS, "1")],
        &["xtask", "chaos", "120"],
    )?;
    let fuzzed = openapi::test();
    fuzzed.and(chaos.finish())?;
    crate::hostile()?;
    // the webhook benchmark, small, so that it keeps working (the README has its full numbers)
    crate::bench_webhooks(
        &[
            "--backlog",
            "2000",
            "--secs",
            "3",
            "--dead",
            "5000",
            "--retrying",
            "6",
        ]
        .map(String::from),
    )?;
    // the live stream benchmark, small (the README has its numbers at 1,000 streams)
    crate::bench_live(&["--streams", "100", "--secs", "3"].map(String::from))?;
    // the list benchmark, small, so that it keeps working (the README's numbers are at 10M)
    lists::lists(&["--calls", "100000", "--secs", "1"].map(String::from))?;
    // the sync benchmark, small, so that it keeps working (the README's numbers are at 1M)
    sync::bench(&["--calls", "20000"].map(String::from))?;
    // benchmarks compile and run once each
    run(
        "cargo",
        &[
            "bench",
            "--profile",
            server::profile(),
            "--package",
            "dialback-core",
            "--features",
            "lists",
            "--",
            "--test",
        ],
    )?;
    crate::report()?;
    Ok(())
}

/// The crates built for wasm as well, with the scope of their wasm lints (as `full` runs them).
const WASM_CRATES: [(&str, &[&str]); 3] = [
    ("dialback-wasm", &["--all-targets"]),
    ("dialback-wasm-live", &["--all-targets"]),
    ("dialback-web", &["--all-targets", "--features", "split"]),
];

/// The inner loop, minutes on a warm tree: `cargo fmt --check`; clippy over the workspace
/// (which also compiles every crate that depends on a changed one); then the tests of the
/// crates with uncommitted changes (or, on a clean tree, those the last commit changed), but
/// the minute-long receiver outage, and the wasm lints of the wasm crates among them. Not a
/// substitute for `cargo xtask ci`: no PostgreSQL, browsers, SDKs or benchmarks.
pub fn quick() -> Result {
    timed(quick_steps)
}

fn quick_steps() -> Result {
    server::for_checks();
    lints()?;
    let changed = changed_packages()?;
    if changed.is_empty() {
        eprintln!("\nno crate changed: nothing to test");
        return Ok(());
    }
    eprintln!("\nchanged: {}", changed.join(", "));
    for (package, scope) in WASM_CRATES {
        if changed.iter().any(|c| c == package) {
            let mut args = vec!["clippy", "--package", package];
            args.extend(scope);
            args.extend(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"]);
            run("cargo", &args)?;
        }
    }
    let mut args = vec!["test"];
    for package in &changed {
        args.extend(["--package", package.as_str()]);
    }
    // a minute of waiting is not the inner loop's; `full` runs it
    args.extend(["--", "--skip", MINUTE]);
    run("cargo", &args)
}

/// The workspace packages that hold a changed file: uncommitted changes (staged or not, and
/// new files), or the last commit's when there are none.
fn changed_packages() -> Result<Vec<String>> {
    let mut files = git(&["status", "--porcelain", "--untracked-files=all"])?
        .lines()
        .filter_map(|l| l.get(3..))
        .map(|f| f.rsplit(" -> ").next().unwrap_or(f).to_owned())
        .collect::<Vec<_>>();
    if files.is_empty() {
        files = git(&["diff", "--name-only", "HEAD~1", "HEAD"])?
            .lines()
            .map(str::to_owned)
            .collect();
    }
    let metadata = std::process::Command::new("cargo")
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(crate::root())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    let metadata: serde_json::Value =
        serde_json::from_slice(&metadata.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let root = crate::root();
    // each package's directory relative to the root, longest first so the nearest one wins
    let mut dirs: Vec<(String, String)> = metadata
        .get("packages")
        .and_then(serde_json::Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            let manifest = std::path::Path::new(p.get("manifest_path")?.as_str()?);
            let dir = manifest.parent()?.strip_prefix(&root).ok()?;
            Some((
                dir.to_string_lossy().into_owned(),
                p.get("name")?.as_str()?.to_owned(),
            ))
        })
        .collect();
    dirs.sort_by_key(|(dir, _)| std::cmp::Reverse(dir.len()));
    let mut changed: Vec<String> = Vec::new();
    for file in &files {
        let owner = dirs
            .iter()
            .find(|(dir, _)| dir.is_empty() || file.starts_with(&format!("{dir}/")));
        if let Some((dir, name)) = owner
            && !dir.is_empty()
            && !changed.contains(name)
        {
            changed.push(name.clone());
        }
    }
    Ok(changed)
}

fn git(args: &[&str]) -> Result<String> {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(crate::root())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!("git {} failed", args.join(" ")));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
