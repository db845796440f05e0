//! `cargo xtask bench-live [--streams N,N,…] [--rate R] [--secs S]`: the live stream under
//! load, from outside, against the release binary. For each stream count (250, 500, 1,000),
//! that many streams are opened on one environment, R calls a second (20) are recorded for S
//! seconds (15), each one event every stream receives; then:
//!
//! - **delay**: from the moment each call's request was sent (before its commit, so an upper
//!   bound on commit-to-delivery) to the moment each stream read its event: p50, p99, max,
//!   over every (event, stream) pair, and how many arrived out of those expected;
//! - **memory per stream**: the server's resident memory with the streams open and idle, less
//!   before they opened, divided by their number;
//! - **CPU**: the server's user + system time over the S seconds, as cores.
//!
//! The streams are spread over tokens (16 streams a token is the server's limit).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use super::{Api, Server, scratch, token};

fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // after the command name's closing parenthesis: state is field 3, utime 14, stime 15
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let num = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    num(11) + num(12)
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// Arrivals by event number, for one stream.
type Seen = Arc<Mutex<Vec<(u32, Instant)>>>;

async fn read_stream(base: String, token: String, seen: Seen, ready: Arc<tokio::sync::Barrier>) {
    let mut response = reqwest::Client::new()
        .get(format!("{base}/api/v1/events?types=event_phone_call_ended"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    ready.wait().await;
    let marker = b"\"external_id\":\"live-";
    let mut carry: Vec<u8> = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let at = Instant::now();
        carry.extend_from_slice(&chunk);
        let mut from = 0;
        while let Some(p) = carry[from..]
            .windows(marker.len())
            .position(|w| w == marker)
        {
            let start = from + p + marker.len();
            let Some(end) = carry[start..].iter().position(|b| *b == b'"') else {
                break;
            };
            if let Ok(n) = std::str::from_utf8(&carry[start..start + end])
                .unwrap_or("")
                .parse()
            {
                seen.lock().unwrap().push((n, at));
            }
            from = start + end;
        }
        carry.drain(..from);
    }
}

async fn round(bin: &str, streams: usize, rate: u64, secs: u64) {
    let dir = scratch(&format!("live-{streams}"));
    let db = dir.join("db.sqlite").to_string_lossy().into_owned();
    let first = token(bin, &db);
    let tokens: Vec<String> = std::iter::once(first.clone())
        .chain((1..streams.div_ceil(16)).map(|_| {
            let out = std::process::Command::new(bin)
                .args([
                    "token",
                    "create",
                    "--env",
                    "bench",
                    "--label",
                    "stream",
                    "--read-only",
                    "--db",
                    &db,
                ])
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap().trim().to_owned()
        }))
        .collect();
    let server = Server::start(bin, &db, &["--max-connections", "8192"]);
    let api = Api {
        http: reqwest::Client::new(),
        base: server.base.clone(),
        token: first,
    };
    let agent = api
        .post(
            "/api/v1/agents",
            json!({"name": "Dialer", "direction": "outbound"}),
        )
        .await;
    let agent = agent["data"]["id"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rss_before = server.rss_kib();
    let ready = Arc::new(tokio::sync::Barrier::new(streams + 1));
    let mut seen = Vec::with_capacity(streams);
    for i in 0..streams {
        let s: Seen = Arc::default();
        seen.push(s.clone());
        tokio::spawn(read_stream(
            server.base.clone(),
            tokens[i / 16].clone(),
            s,
            ready.clone(),
        ));
    }
    ready.wait().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_open = server.rss_kib();
    let pid = server.child.id();
    let (cpu0, wall0) = (cpu_ticks(pid), Instant::now());
    let every = Duration::from_secs_f64(1.0 / rate as f64);
    let total = (rate * secs) as usize;
    let mut sent = Vec::with_capacity(total);
    let mut tick = tokio::time::interval(every);
    for n in 0..total {
        tick.tick().await;
        let at = Instant::now();
        sent.push(at);
        let call = json!({"direction": "outbound", "agent_id": agent,
            "to": format!("+1500555{:04}", n % 10_000),
            "started_at": "2026-12-01T10:00:00Z", "status": "completed",
                "external_id": format!("live-{n}")});
        let (http, url, token) = (
            api.http.clone(),
            format!("{}/api/v1/calls", api.base),
            api.token.clone(),
        );
        tokio::spawn(async move {
            let r = http
                .post(url)
                .bearer_auth(token)
                .json(&call)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "{}", r.status());
        });
    }
    let (cpu1, wall1) = (cpu_ticks(pid), Instant::now());
    // the last events' deliveries
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_end = server.rss_kib();
    let mut delays = Vec::with_capacity(total * streams);
    let mut got = 0usize;
    for s in &seen {
        for &(n, at) in s.lock().unwrap().iter() {
            if let Some(start) = sent.get(n as usize) {
                delays.push(at.saturating_duration_since(*start));
                got += 1;
            }
        }
    }
    delays.sort();
    let ticks = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|t| t.trim().parse::<f64>().ok())
        .unwrap_or(100.0);
    let cores = (cpu1 - cpu0) as f64 / ticks / (wall1 - wall0).as_secs_f64();
    println!(
        "{streams:>5} streams x {rate} events/s for {secs} s: {got} of {} deliveries; delay p50 \
         {:.1} ms, p99 {:.1} ms, max {:.1} ms; memory {:.1} KiB per stream ({} -> {} KiB, {} KiB \
         at the end); server CPU {:.2} cores",
        total * streams,
        percentile(&delays, 0.5).as_secs_f64() * 1e3,
        percentile(&delays, 0.99).as_secs_f64() * 1e3,
        delays.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        rss_open.saturating_sub(rss_before) as f64 / streams as f64,
        rss_before,
        rss_open,
        rss_end,
        cores,
    );
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

/// Every round, one after another.
pub async fn bench(bin: &str, streams: &[usize], rate: u64, secs: u64) {
    for &n in streams {
        round(bin, n, rate, secs).await;
    }
}
