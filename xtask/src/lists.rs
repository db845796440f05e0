//! `cargo xtask lists [--calls N] [--secs S] [--postgres | --db URL]`: every documented call
//! list query against one environment of N calls (10M by default) spread over the year before
//! now, each measured alone with wrk (one connection, S seconds, 10 by default): p50 and p99.
//! Then ten searches at once, and what they do to `/healthz` and a year's callback stats
//! beside them; and the server's resident memory per call after a restart.
//!
//! `DIALBACK_BIN=path/to/dialback` measures another build of the server (an older release),
//! with the same data and the same queries.

use std::process::{Child, Command, Stdio};

use crate::Result;
use crate::load::{Database, ensure_wrk, output};
use crate::server::{self, Scratch};
use crate::startup::{Restarted, number_after, restarted};

pub fn lists(args: &[String]) -> Result {
    ensure_wrk()?;
    if std::env::var_os("DIALBACK_BIN").is_none() {
        server::build()?;
    }
    let scratch = Scratch::new("lists")?;
    let (database, rest) = Database::choose(args, &scratch)?;
    let (mut calls, mut secs) = (10_000_000_usize, 10_u32);
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--calls" => calls = number_after(arg, rest.next())?,
            "--secs" => secs = number_after::<u32>(arg, rest.next())?.max(1),
            other => return Err(format!("lists: unknown argument {other:?}")),
        }
    }
    let Restarted {
        server,
        agents: ids,
        auth,
        token,
    } = restarted(&database, &scratch, calls, 365)?;

    let queries = Queries::new(&server.base, &auth, &ids[0], calls)?;
    let bench = Bench {
        base: &server.base,
        token: &token,
        secs,
    };
    println!(
        "\n{:<72} {:>9} {:>9} {:>7}",
        "one connection, each query alone", "p50", "p99", "req"
    );
    for (name, path) in &queries.list {
        let m = bench.alone(path)?;
        println!(
            "{:<72} {m}",
            format!("{name}: {path}")
                .chars()
                .take(72)
                .collect::<String>()
        );
    }

    // ten searches at once, and beside them a paced probe of /healthz and of stats
    println!("\nten searches at once (search=555, 10 connections) beside one probe each:");
    for (name, path) in [
        ("/healthz", "/healthz".to_owned()),
        ("stats", queries.stats.clone()),
    ] {
        let idle = bench.paced(&path)?;
        let searches = bench.spawn_load("/api/v1/calls?search=555", 10)?;
        let busy = bench.paced(&path);
        let load = searches.wait_with_output().map_err(|e| e.to_string())?;
        let busy = busy?;
        let done = Measured::from_wrk(&String::from_utf8_lossy(&load.stdout));
        println!("  {name:<10} alone: {idle}   beside the searches: {busy}");
        println!(
            "  {:<10} the searches meanwhile: {done}; p99 delay added to {name}: {:.1} ms",
            "",
            (busy.p99_ms - idle.p99_ms).max(0.0)
        );
    }
    server.stop()
}

/// The queries, with ids and dates filled in from the server and the clock.
struct Queries {
    list: Vec<(&'static str, String)>,
    stats: String,
}

impl Queries {
    fn new(base: &str, auth: &str, agent: &str, calls: usize) -> Result<Queries> {
        let numbers = get_json(base, auth, "/api/v1/phone-numbers?search=4155550100")?;
        let number = numbers
            .get("data")
            .and_then(serde_json::Value::as_array)
            .and_then(|all| {
                all.iter()
                    .find(|n| n.get("number").and_then(|p| p.as_str()) == Some("+14155550100"))
                    .and_then(|n| n.get("id")?.as_str())
            })
            .ok_or("no number +14155550100 in /api/v1/phone-numbers")?
            .to_owned();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs();
        let today = chrono::DateTime::from_timestamp(now as i64, 0)
            .ok_or("the clock is out of range")?
            .date_naive();
        let day = |ago: i64| (today - chrono::Duration::days(ago)).to_string();
        let (month_from, month_to) = (day(200), day(170));
        // a SID prefix shared by 1 + 10 + 100 + … calls, and one whole SID
        let prefix = format!("load-{}", calls / 1000 + 123);
        let whole = format!("load-{}", calls * 2 / 3);
        let list = vec![
            ("first page", "/api/v1/calls".to_owned()),
            ("one per page", "/api/v1/calls?per_page=1".to_owned()),
            ("page 500", "/api/v1/calls?page=500".to_owned()),
            ("last page", format!("/api/v1/calls?page={}", calls / 20)),
            ("direction", "/api/v1/calls?direction=inbound".to_owned()),
            ("status", "/api/v1/calls?status=completed".to_owned()),
            ("agent_id", format!("/api/v1/calls?agent_id={agent}")),
            (
                "30 days in New York",
                format!(
                    "/api/v1/calls?date_from={month_from}&date_to={month_to}&tz=America/New_York"
                ),
            ),
            (
                "all filters",
                format!(
                    "/api/v1/calls?direction=outbound&status=busy&agent_id={agent}\
                     &date_from={month_from}&date_to={month_to}&per_page=100&page=3"
                ),
            ),
            ("search a number", "/api/v1/calls?search=555".to_owned()),
            (
                "search a formatted number",
                "/api/v1/calls?search=(415)%20555-0199".to_owned(),
            ),
            (
                "search a rare number",
                "/api/v1/calls?search=2039".to_owned(),
            ),
            (
                "search a SID prefix",
                format!("/api/v1/calls?search={prefix}"),
            ),
            (
                "search a whole SID",
                format!("/api/v1/calls?search={whole}"),
            ),
            (
                "search + filters",
                "/api/v1/calls?search=555&direction=inbound&status=completed".to_owned(),
            ),
            ("agent's calls", format!("/api/v1/agents/{agent}/calls")),
            (
                "agent's calls, page 100",
                format!("/api/v1/agents/{agent}/calls?page=100"),
            ),
            ("AgentPhone list", "/v1/calls?limit=20".to_owned()),
            (
                "AgentPhone deep offset",
                "/v1/calls?limit=20&offset=100000".to_owned(),
            ),
            ("AgentPhone status", "/v1/calls?status=completed".to_owned()),
            ("AgentPhone search", "/v1/calls?search=555".to_owned()),
            (
                "AgentPhone agent's calls",
                format!("/v1/agents/{agent}/calls"),
            ),
            (
                "AgentPhone number's calls",
                format!("/v1/numbers/{number}/calls"),
            ),
            (
                "AgentPhone number's calls, offset 50000",
                format!("/v1/numbers/{number}/calls?offset=50000"),
            ),
        ];
        let stats = format!(
            "/api/v1/callback-agents/stats?start_date={}&end_date={}&tz=America/New_York",
            day(364),
            day(0)
        );
        let mut all = list;
        all.push(("callback stats, 365 days, New York", stats.clone()));
        all.push(("health", "/healthz".to_owned()));
        Ok(Queries { list: all, stats })
    }
}

struct Bench<'a> {
    base: &'a str,
    token: &'a str,
    secs: u32,
}

impl Bench<'_> {
    fn wrk(&self, path: &str, connections: u32, delay_ms: u32) -> Command {
        let mut cmd = Command::new("wrk");
        cmd.args([
            "-t1",
            &format!("-c{connections}"),
            &format!("-d{}s", self.secs),
            "--timeout",
            "60s",
            "--latency",
            "-s",
        ])
        .arg(crate::root().join("xtask/src/load/paced.lua"))
        .arg(self.base)
        .env("WRK_PATH", path)
        .env("WRK_TOKEN", self.token)
        .env("WRK_DELAY_MS", delay_ms.to_string());
        cmd
    }

    /// One connection, back to back.
    fn alone(&self, path: &str) -> Result<Measured> {
        let out = output(&mut self.wrk(path, 1, 0))?;
        let m = Measured::from_wrk(&out);
        if m.failed {
            return Err(format!("{path} answered with errors:\n{out}"));
        }
        Ok(m)
    }

    /// One connection, a request every 20 ms.
    fn paced(&self, path: &str) -> Result<Measured> {
        Ok(Measured::from_wrk(&output(&mut self.wrk(path, 1, 20))?))
    }

    fn spawn_load(&self, path: &str, connections: u32) -> Result<Child> {
        self.wrk(path, connections, 0)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start wrk: {e}"))
    }
}

/// What wrk measured.
struct Measured {
    p50_ms: f64,
    p99_ms: f64,
    requests: u64,
    /// Non-2xx answers or socket errors.
    failed: bool,
}

impl Measured {
    fn from_wrk(out: &str) -> Measured {
        let latency = |label: &str| {
            out.lines()
                .find_map(|l| l.trim().strip_prefix(label))
                .and_then(|v| millis(v.trim()))
                .unwrap_or(f64::NAN)
        };
        let requests = out
            .lines()
            .find(|l| l.contains("requests in"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        Measured {
            p50_ms: latency("50%"),
            p99_ms: latency("99%"),
            requests,
            failed: out.contains("Non-2xx") || out.contains("Socket errors"),
        }
    }
}

impl std::fmt::Display for Measured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>7.2}ms {:>7.2}ms {:>7}",
            self.p50_ms, self.p99_ms, self.requests
        )
    }
}

/// wrk's `1.23ms`, `456.00us`, `2.01s`, `1.50m` in milliseconds.
fn millis(v: &str) -> Option<f64> {
    let split = v.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = v.split_at(split);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => return None,
    })
}

fn get_json(base: &str, auth: &str, path: &str) -> Result<serde_json::Value> {
    let body = output(Command::new("curl").args(["-sf", "-H", auth, &format!("{base}{path}")]))?;
    serde_json::from_str(&body).map_err(|e| format!("{path}: {e}"))
}
