//! `cargo xtask loadtest`: the server's numbers against a database of 1M calls, measured with
//! wrk (Debian's package) on this machine.
//!
//! - `cargo xtask loadtest`: one server on a fresh SQLite file;
//! - `cargo xtask loadtest --postgres [--replicas N]`: N servers (3 by default) on a
//!   throw-away PostgreSQL cluster;
//! - `cargo xtask loadtest --db postgres://… [--replicas N]`: on an empty database of yours.
//!
//! With several replicas the import goes through the first, and the reads are spread over
//! all of them (one wrk per replica, together ~500 req/s).

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::server::{self, Scratch, Server};
use crate::{Result, root};

const CALLS: usize = 1_000_000;
const DAY: i64 = 86_400;

/// Where a measurement runs: a SQLite file in the scratch directory, a throw-away PostgreSQL
/// cluster (`--postgres`), or a database of yours (`--db URL`).
pub struct Database {
    /// What `--db` gets.
    pub db: String,
    /// Whether several servers may share it.
    pub shared: bool,
    cluster: Option<crate::postgres::Cluster>,
}

impl Database {
    /// Reads `--postgres` and `--db URL` from `args`; returns the other arguments.
    pub fn choose(args: &[String], scratch: &Scratch) -> Result<(Database, Vec<String>)> {
        let (mut db, mut cluster, mut rest) = (None, None, Vec::new());
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--db" => db = Some(args.next().ok_or("--db needs a value")?.clone()),
                "--postgres" => {
                    let started = crate::postgres::Cluster::start(
                        &scratch
                            .path()
                            .file_name()
                            .unwrap_or_default()
                            .to_string_lossy(),
                        crate::postgres::Durability::Durable,
                    )?;
                    db = Some(started.url.clone());
                    cluster = Some(started);
                }
                other => rest.push(other.to_owned()),
            }
        }
        let db = db.unwrap_or_else(|| scratch.path().join("load.db").display().to_string());
        let shared = db.starts_with("postgres");
        Ok((
            Database {
                db,
                shared,
                cluster,
            },
            rest,
        ))
    }

    /// Creates the environment `load`; its token.
    pub fn environment(&self) -> Result<String> {
        output(
            Command::new(server::binary())
                .args(["env", "create", "--name", "load", "--db"])
                .arg(&self.db),
        )
    }

    fn name(&self) -> &'static str {
        if self.shared { "PostgreSQL" } else { "SQLite" }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        drop(self.cluster.take());
    }
}

pub fn loadtest(args: &[String]) -> Result {
    ensure_wrk()?;
    server::build()?;
    let scratch = Scratch::new("load")?;
    let (database, rest) = Database::choose(args, &scratch)?;
    let mut replicas = if database.shared { 3 } else { 1 };
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--replicas" => {
                let n = rest.next().ok_or("--replicas needs a number")?;
                replicas = n
                    .parse::<usize>()
                    .map_err(|e| format!("--replicas {n}: {e}"))?
                    .max(1);
            }
            other => return Err(format!("loadtest: unknown argument {other:?}")),
        }
    }
    if replicas > 1 && !database.shared {
        return Err("several replicas need PostgreSQL (--postgres or --db postgres://…)".into());
    }
    let token = database.environment()?;
    let servers = (0..replicas)
        .map(|_| Server::start(database.db.as_ref(), &[]))
        .collect::<Result<Vec<_>>>()?;
    let bases: Vec<&str> = servers.iter().map(|s| s.base.as_str()).collect();
    println!("{} server(s) on {}", bases.len(), database.name());
    scenarios(&bases, &token, scratch.path())
}

/// The load test's agents: a callback agent for two outbound sources, and a third outbound
/// agent; returns the three outbound agents' ids.
pub fn agents(base: &str, auth: &str) -> Result<[String; 3]> {
    let agent = |name: &str, direction: &str, number: &str| -> Result<String> {
        let body = format!(
            r#"{{"name":"{name}","direction":"{direction}","phone_numbers":["{number}"]}}"#
        );
        json_id(&post_json(base, auth, "/api/v1/agents", &body)?)
    };
    let handler = agent("Callback Handler", "inbound", "+14155550100")?;
    let sales = agent("Sales Outbound", "outbound", "+14155550110")?;
    let survey = agent("Survey Outbound", "outbound", "+14155550120")?;
    let other = agent("Renewals Outbound", "outbound", "+14155550130")?;
    let config = format!(r#"{{"source_agent_ids":["{sales}","{survey}"]}}"#);
    post_json(
        base,
        auth,
        &format!("/api/v1/agents/{handler}/callback"),
        &config,
    )?;
    Ok([sales, survey, other])
}

/// Imports `calls` generated calls (numbered from `first`, evenly over the `days` days before
/// now) through `base`, a million per request; the seconds it took.
pub fn import(
    base: &str,
    auth: &str,
    agents: &[String; 3],
    (first, calls): (usize, usize),
    days: i64,
    dir: &Path,
) -> Result<f64> {
    let file = dir.join("calls.ndjson");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs() as i64;
    let mut secs = 0.0;
    let mut done = 0;
    let span = days * DAY;
    while done < calls {
        let n = (calls - done).min(CALLS);
        let refs = [&agents[0], &agents[1], &agents[2]];
        // each request's calls take their share of the span, oldest first
        let from = now - span + span * done as i64 / calls as i64;
        let to = now - span + span * (done + n) as i64 / calls as i64;
        write_calls(&file, first + done, n, from, to, &refs)?;
        let started = Instant::now();
        let report = output(Command::new("curl").args([
            "-sf",
            "-H",
            auth,
            "-H",
            "Content-Type: application/x-ndjson",
            "--data-binary",
            &format!("@{}", file.display()),
            &format!("{base}/api/v1/calls/import"),
        ]))?;
        secs += started.elapsed().as_secs_f64();
        if !report.contains(&format!(r#""created":{n},"#)) {
            return Err(format!("the import did not create every call: {report}"));
        }
        done += n;
    }
    let _ = std::fs::remove_file(&file);
    Ok(secs)
}

fn scenarios(bases: &[&str], token: &str, dir: &Path) -> Result {
    let base = bases.first().copied().ok_or("no server")?;
    let auth = format!("Authorization: Bearer {token}");
    let [sales, survey, other] = agents(base, &auth)?;
    // 1M calls over the 90 days before now: 70% outbound, 30% inbound, 200k contacts
    let secs = import(
        base,
        &auth,
        &[sales.clone(), survey, other],
        (0, CALLS),
        90,
        dir,
    )?;
    println!(
        "\nimport: {CALLS} calls in {secs:.2} s = {:.0} calls/s",
        CALLS as f64 / secs
    );
    let sources = [sales];
    // the other replicas follow the import in the background; the first read on each waits
    // for whatever it has not applied yet. Measured here, then reads are measured steady.
    for (i, replica) in bases.iter().enumerate().skip(1) {
        let started = Instant::now();
        output(Command::new("curl").args([
            "-sf",
            "-H",
            &auth,
            &format!("{replica}/api/v1/callback-agents/stats"),
        ]))?;
        println!(
            "replica {i}: first read after the import answered in {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }

    let stats = "/api/v1/callback-agents/stats";
    let usage = "/v1/usage/by-agent?period=month&tz=America/New_York";
    // ~500 req/s in all: 10 connections 20 ms apart on one server, or the same rate split
    // over the replicas
    let n = bases.len();
    let per = 10_usize.div_ceil(n);
    let delay = (per * 1000 * n / 500).to_string();
    for (name, path) in [
        ("callback stats, last 30 days", stats),
        ("usage by agent, month, New York", usage),
    ] {
        wrk(
            &format!(
                "{name} — paced ~500 req/s ({per} connections × {n} servers, {delay} ms apart)"
            ),
            bases,
            path,
            token,
            &per.to_string(),
            &delay,
        )?;
        wrk(
            &format!("{name} — as fast as possible (8 connections)"),
            bases.get(..1).unwrap_or_default(),
            path,
            token,
            "8",
            "0",
        )?;
    }
    let ingest = root().join("xtask/src/load/ingest.lua");
    println!("\n== ingest one by one: POST /api/v1/calls (8 connections, 10 s)");
    let out = output(
        Command::new("wrk")
            .args(["-t2", "-c8", "-d10s", "--latency", "-s"])
            .arg(ingest)
            .arg(base)
            .env("WRK_TOKEN", token)
            .env("WRK_AGENT", &sources[0]),
    )?;
    summarize(&out);
    Ok(())
}

/// One wrk per server, at once; each one's summary.
fn wrk(
    title: &str,
    bases: &[&str],
    path: &str,
    token: &str,
    connections: &str,
    delay_ms: &str,
) -> Result {
    println!("\n== {title}: GET {path}");
    let script = root().join("xtask/src/load/paced.lua");
    let threads = if bases.len() > 1 { "-t1" } else { "-t2" };
    let running = bases
        .iter()
        .map(|base| {
            Command::new("wrk")
                .args([
                    threads,
                    &format!("-c{connections}"),
                    "-d15s",
                    "--latency",
                    "-s",
                ])
                .arg(&script)
                .arg(base)
                .env("WRK_PATH", path)
                .env("WRK_TOKEN", token)
                .env("WRK_DELAY_MS", delay_ms)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .map_err(|e| format!("cannot start wrk: {e}"))
        })
        .collect::<Result<Vec<_>>>()?;
    for (base, child) in bases.iter().zip(running) {
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        if bases.len() > 1 {
            println!("  {base}:");
        }
        summarize(&String::from_utf8_lossy(&out.stdout));
    }
    Ok(())
}

pub fn summarize(wrk_output: &str) {
    for line in wrk_output.lines() {
        let t = line.trim();
        if t.starts_with("50%")
            || t.starts_with("99%")
            || t.starts_with("Requests/sec")
            || t.starts_with("Non-2xx")
            || t.contains("requests in")
            || t.starts_with("Socket errors")
        {
            println!("  {t}");
        }
    }
}

fn write_calls(
    path: &Path,
    first: usize,
    calls: usize,
    start: i64,
    end: i64,
    outbound_agents: &[&String],
) -> Result {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| e.to_string())?);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let statuses = [
        "completed",
        "no-answer",
        "voicemail",
        "busy",
        "failed",
        "answered",
    ];
    let span = (end - start) as u64;
    for n in 0..calls {
        let i = first + n;
        // times increase with i, as an export in time order would
        let at = start + (span * n as u64 / calls as u64) as i64;
        let ts = rfc3339(at);
        let contact = format!("+1{}{:07}", 200 + next() % 700, next() % 200_000);
        let status = statuses
            .get((next() % statuses.len() as u64) as usize)
            .copied()
            .unwrap_or("completed");
        let duration = if status == "completed" || status == "answered" {
            next() % 900
        } else {
            0
        };
        let line = if next() % 10 < 7 {
            let agent = outbound_agents
                .get((next() % outbound_agents.len() as u64) as usize)
                .map_or("", |a| a.as_str());
            format!(
                concat!(
                    r#"{{"direction":"outbound","agent_id":"{agent}","from":"+14155550110","#,
                    r#""to":"{contact}","started_at":"{ts}","status":"{status}","#,
                    r#""duration_seconds":{duration},"external_id":"load-{i}"}}"#
                ),
                agent = agent,
                contact = contact,
                ts = ts,
                status = status,
                duration = duration,
                i = i,
            )
        } else {
            let line = if next() % 5 == 0 {
                "+14155550199"
            } else {
                "+14155550100"
            };
            format!(
                concat!(
                    r#"{{"direction":"inbound","from":"{contact}","to":"{line}","#,
                    r#""started_at":"{ts}","status":"{status}","#,
                    r#""duration_seconds":{duration},"external_id":"load-{i}"}}"#
                ),
                contact = contact,
                line = line,
                ts = ts,
                status = status,
                duration = duration,
                i = i,
            )
        };
        writeln!(f, "{line}").map_err(|e| e.to_string())?;
    }
    f.flush().map_err(|e| e.to_string())
}

/// Unix seconds as RFC 3339 UTC.
fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map_or_else(String::new, |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// `curl -sf` a JSON body to the server; the response body.
fn post_json(base: &str, auth: &str, path: &str, body: &str) -> Result<String> {
    output(Command::new("curl").args([
        "-sf",
        "-H",
        auth,
        "-H",
        "Content-Type: application/json",
        "-d",
        body,
        &format!("{base}{path}"),
    ]))
}

fn json_id(body: &str) -> Result<String> {
    let start = body
        .find(r#""id":""#)
        .ok_or_else(|| format!("no id in {body}"))?
        + 6;
    let rest = body.get(start..).ok_or("short body")?;
    Ok(rest.split('"').next().unwrap_or_default().to_owned())
}

pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    if !out.status.success() {
        return Err(format!(
            "{:?} failed: {}",
            cmd.get_program(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub fn ensure_wrk() -> Result {
    if Command::new("wrk").arg("--version").output().is_ok() {
        return Ok(());
    }
    crate::tools::apt(&["wrk"])
}
