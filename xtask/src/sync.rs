//! `cargo xtask bench-sync [--calls N]`: a sync of N calls (1M by default) from one server to
//! another, both release builds on this machine. A plays Talkover: N calls imported over 30
//! days. B syncs them with `dialback sync` (its own process, as an operator runs it), then
//! again (nothing new). Printed: the run's time, pages and calls per second, and where the
//! time went (agents and numbers, reading the call pages, storing the calls), and the sync's
//! peak memory. `DIALBACK_BIN=path/to/dialback` measures another build, as `lists` does.

use std::process::Command;
use std::time::Instant;

use crate::Result;
use crate::load::{Database, output};
use crate::server::{self, Scratch};
use crate::startup::{Restarted, number_after, restarted};

pub fn bench(args: &[String]) -> Result {
    server::build()?;
    let scratch = Scratch::new("sync")?;
    let (database, rest) = Database::choose(args, &scratch)?;
    let mut calls = 1_000_000_usize;
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--calls" => calls = number_after(arg, rest.next())?,
            other => return Err(format!("bench-sync: unknown argument {other:?}")),
        }
    }
    let Restarted {
        server: a, token, ..
    } = restarted(&database, &scratch, calls, 30)?;
    let b_db = scratch.path().join("b.db");
    output(
        Command::new(server::binary())
            .args(["env", "create", "--name", "b", "--db"])
            .arg(&b_db),
    )?;
    let token_file = scratch.path().join("a-token");
    std::fs::write(&token_file, &token).map_err(|e| e.to_string())?;
    let id = output(
        Command::new(server::binary())
            .args([
                "source",
                "add",
                "talkover",
                "--env",
                "b",
                "--base",
                &a.base,
                "--token-file",
            ])
            .arg(&token_file)
            .arg("--db")
            .arg(&b_db),
    )?;
    for (run, what) in [(1, "first run"), (2, "second run (nothing new)")] {
        let started = Instant::now();
        let (out, peak) = with_peak_memory(
            Command::new(server::binary())
                .args(["sync", "--json", "--source", id.trim(), "--db"])
                .arg(&b_db)
                .env("DIALBACK_LOG", "warn"),
        )?;
        let wall = started.elapsed().as_secs_f64();
        let report: serde_json::Value = serde_json::from_str(&out).map_err(|e| e.to_string())?;
        let n = |k: &str| {
            report
                .get(k)
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(0.0)
        };
        println!(
            "\n{what}: {wall:.1} s in all ({:.1} s in the run): {} pages ({:.0}/s while reading), \
             {} calls stored ({:.0}/s over the run), {} stored before, {} in progress",
            n("seconds"),
            n("pages"),
            n("pages") / n("listing_seconds").max(1e-9),
            n("calls_created"),
            n("calls_created") / n("seconds").max(1e-9),
            n("calls_existing"),
            n("calls_in_progress"),
        );
        println!(
            "  agents and numbers {:.2} s; reading the call pages {:.1} s; storing the calls {:.1} \
             s; peak resident memory of the sync {:.0} MB",
            n("directory_seconds"),
            n("listing_seconds"),
            n("storing_seconds"),
            peak as f64 / 1e6,
        );
        if run == 2 && n("calls_created") > 0.0 {
            return Err(format!(
                "the second run stored {} calls",
                n("calls_created")
            ));
        }
    }
    a.stop()
}

/// Runs `cmd` to its end: its standard output, and its peak resident memory (`VmHWM`, read
/// while it runs).
fn with_peak_memory(cmd: &mut Command) -> Result<(String, u64)> {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let mut peak = 0;
    loop {
        if let Ok((_, hwm)) = crate::startup::memory(child.id()) {
            peak = peak.max(hwm);
        }
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            if !status.success() {
                return Err(format!("the sync failed ({status})"));
            }
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let text = reader
        .join()
        .map_err(|_| "the output reader stopped")?
        .map_err(|e| e.to_string())?;
    Ok((text, peak))
}
