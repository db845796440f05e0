//! `cargo xtask bench-webhooks [--backlog N] [--rate R] [--secs S] [--dead N]
//! [--retrying S]`: webhook delivery measured (and, with `live` after the binary, the live stream:
//! `live.rs`) from outside, against the release binary and a receiver this program runs on
//! 127.0.0.1.
//!
//! 1. **Throughput.** N events (20,000) are stored by a server that sends none
//!    (`--no-webhook-delivery`, an import with `?webhooks=true`); a delivering server then
//!    starts on the same database, and the receiver times how fast the backlog arrives.
//! 2. **Latency.** R calls a second (200), one event each, for S seconds (20), each timed
//!    from the moment its request was sent (before the commit, so an upper bound) to the
//!    moment the receiver got its event: p50, p99, max.
//! 3. **Memory under a backlog.** N deliveries (100,000) for a receiver that is down
//!    (connection refused, retried every second or so): the server's resident memory before,
//!    while the backlog is stored, and while it is retried for S seconds (`--retrying`, 60).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod live;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderMap;
use serde_json::{Value, json};

type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(bin: &str, db: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(bin)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--static",
                "/nonexistent",
                "--db",
                db,
            ])
            .args(["--webhook-allow-private"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("the server prints its address")
            .to_owned();
        Server { child, base }
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

fn token(bin: &str, db: &str) -> String {
    let out = Command::new(bin)
        .args(["env", "create", "--name", "bench", "--db", db])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A receiver that answers 200 at once and notes when each event arrived, by call id.
async fn receiver() -> (String, Arrivals) {
    let got: Arrivals = Arc::default();
    let g = got.clone();
    let app = axum::Router::new().fallback(move |_: HeaderMap, body: Bytes| {
        let g = g.clone();
        async move {
            let at = Instant::now();
            let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let key = v["data"]["callId"].as_str().unwrap_or("?").to_owned();
            g.lock().unwrap().insert(key, at);
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn post(&self, path: &str, body: Value) -> Value {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.json().await.unwrap()
    }

    async fn setup(&self, url: &str) {
        self.post(
            "/api/v1/agents",
            json!({"name": "Line", "direction": "inbound", "phone_numbers": ["+14155550111"]}),
        )
        .await;
        self.post("/v1/webhooks", json!({"url": url, "timeout": 5}))
            .await;
    }

    /// `n` calls to the agent's number by import, each with its webhook event.
    async fn import(&self, n: usize) {
        let mut body = String::with_capacity(n * 160);
        for i in 0..n {
            body.push_str(
                &json!({"direction": "inbound", "from": format!("+1500555{:04}", i % 10_000),
                    "to": "+14155550111", "started_at": "2026-12-01T10:00:00Z",
                    "status": "completed", "duration_seconds": 5})
                .to_string(),
            );
            body.push('\n');
        }
        let res = self
            .http
            .post(format!("{}/api/v1/calls/import?webhooks=true", self.base))
            .bearer_auth(&self.token)
            .header("content-type", "application/x-ndjson")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "import: {}", res.status());
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "dialback-webhook-bench-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn throughput(bin: &str, n: usize) {
    let dir = scratch("throughput");
    let db = dir.join("t.db").to_string_lossy().into_owned();
    let token = token(bin, &db);
    let (url, got) = receiver().await;
    {
        let storing = Server::start(bin, &db, &["--no-webhook-delivery"]);
        let api = Api {
            http: reqwest::Client::new(),
            base: storing.base.clone(),
            token: token.clone(),
        };
        api.setup(&url).await;
        api.import(n).await;
    }
    let started = Instant::now();
    let _sending = Server::start(bin, &db, &[]);
    while got.lock().unwrap().len() < n && started.elapsed() < Duration::from_secs(600) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed().as_secs_f64();
    let done = got.lock().unwrap().len();
    println!(
        "throughput: {done} of {n} backlogged deliveries in {took:.2} s (server start included): \
         {:.0} deliveries/s",
        done as f64 / took
    );
    let _ = std::fs::remove_dir_all(dir);
}

async fn latency(bin: &str, rate: u64, secs: u64) {
    let dir = scratch("latency");
    let db = dir.join("l.db").to_string_lossy().into_owned();
    let token = token(bin, &db);
    let (url, got) = receiver().await;
    let server = Server::start(bin, &db, &[]);
    let api = Arc::new(Api {
        http: reqwest::Client::new(),
        base: server.base.clone(),
        token,
    });
    api.setup(&url).await;
    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let mut ticks = tokio::time::interval(Duration::from_micros(1_000_000 / rate.max(1)));
    let mut tasks = Vec::new();
    for i in 0..rate * secs {
        ticks.tick().await;
        let (api, sent) = (api.clone(), sent.clone());
        tasks.push(tokio::spawn(async move {
            let at = Instant::now();
            let call = api
                .post(
                    "/api/v1/calls",
                    json!({"direction": "inbound", "from": "+15005550006", "to": "+14155550111",
                        "started_at": "2026-12-01T10:00:00Z", "status": "completed",
                        "duration_seconds": 5, "external_id": format!("lat-{i}")}),
                )
                .await;
            sent.lock()
                .unwrap()
                .insert(call["data"]["id"].as_str().unwrap().to_owned(), at);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = sent.lock().unwrap().clone();
    let got = got.lock().unwrap().clone();
    let mut ms: Vec<f64> = sent
        .iter()
        .filter_map(|(id, at)| {
            got.get(id)
                .map(|g| g.saturating_duration_since(*at).as_secs_f64() * 1000.0)
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let q = |p: f64| ms[((ms.len() as f64 * p) as usize).min(ms.len() - 1)];
    println!(
        "latency at {rate} events/s for {secs} s: {} of {} delivered; request sent → receiver got \
         it: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms.len(),
        sent.len(),
        q(0.5),
        q(0.99),
        q(1.0)
    );
    let _ = std::fs::remove_dir_all(dir);
}

async fn backlog(bin: &str, n: usize, retrying: u64) {
    let dir = scratch("backlog");
    let db = dir.join("b.db").to_string_lossy().into_owned();
    let token = token(bin, &db);
    // a port nobody listens on: every attempt is refused at once
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", dead.local_addr().unwrap());
    drop(dead);
    let server = Server::start(bin, &db, &["--webhook-first-retry-ms", "1000"]);
    let api = Api {
        http: reqwest::Client::new(),
        base: server.base.clone(),
        token,
    };
    api.setup(&url).await;
    let idle = server.rss_kib();
    let mut samples = vec![("started", idle)];
    for part in 0..10 {
        api.import(n / 10).await;
        if part % 3 == 2 {
            samples.push(("while storing", server.rss_kib()));
        }
    }
    samples.push(("backlog stored", server.rss_kib()));
    let last = format!("after {retrying} s of retries");
    for s in 1..=6 {
        tokio::time::sleep(Duration::from_millis(retrying * 1000 / 6)).await;
        samples.push((if s < 6 { "retrying" } else { &last }, server.rss_kib()));
    }
    let metrics = reqwest::get(format!("{}/metrics", server.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let attempts: f64 = metrics
        .lines()
        .filter(|l| l.starts_with("dialback_webhook_attempts_total"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum();
    let queue = metrics
        .lines()
        .find(|l| l.starts_with("dialback_webhook_queue_depth"))
        .unwrap_or("");
    // the control: the same calls stored without a webhook, so without a backlog
    let control_dir = scratch("control");
    let control_db = control_dir.join("c.db").to_string_lossy().into_owned();
    let control_token = self::token(bin, &control_db);
    let control = Server::start(bin, &control_db, &[]);
    let capi = Api {
        http: reqwest::Client::new(),
        base: control.base.clone(),
        token: control_token,
    };
    capi.post(
        "/api/v1/agents",
        json!({"name": "Line", "direction": "inbound", "phone_numbers": ["+14155550111"]}),
    )
    .await;
    for _ in 0..10 {
        capi.import(n / 10).await;
    }
    let without = control.rss_kib();
    drop(control);
    let _ = std::fs::remove_dir_all(control_dir);
    println!(
        "memory with {n} deliveries backlogged for a dead receiver ({attempts} attempts made; \
         {queue}):"
    );
    for (when, kib) in &samples {
        println!("  {when:<24} {:>7.1} MiB", *kib as f64 / 1024.0);
    }
    let stored = samples
        .iter()
        .find(|(w, _)| *w == "backlog stored")
        .map_or(0, |s| s.1);
    let last = samples.last().map_or(0, |s| s.1);
    println!(
        "  the same {n} calls stored with no webhook (no backlog): {:.1} MiB",
        without as f64 / 1024.0
    );
    println!(
        "  growth while retrying: {:+.1} MiB ({:+.1}%)",
        (last as f64 - stored as f64) / 1024.0,
        (last as f64 / stored.max(1) as f64 - 1.0) * 100.0
    );
    let _ = std::fs::remove_dir_all(dir);
}

fn number(args: &[String], flag: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |v| v.parse().expect("a number"))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bin = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "target/release/dialback".into());
    if args.get(2).map(String::as_str) == Some("live") {
        let streams: Vec<usize> = args
            .iter()
            .position(|a| a == "--streams")
            .and_then(|i| args.get(i + 1))
            .map_or(vec![250, 500, 1000], |v| {
                v.split(',').map(|n| n.parse().expect("a number")).collect()
            });
        live::bench(
            &bin,
            &streams,
            number(&args, "--rate", 20),
            number(&args, "--secs", 15),
        )
        .await;
        return;
    }
    let n = number(&args, "--backlog", 20_000) as usize;
    let rate = number(&args, "--rate", 200);
    let secs = number(&args, "--secs", 20);
    let dead = number(&args, "--dead", 100_000) as usize;
    let retrying = number(&args, "--retrying", 60);
    throughput(&bin, n).await;
    latency(&bin, rate, secs).await;
    backlog(&bin, dead, retrying).await;
}
