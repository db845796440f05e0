//! Several `dialback serve` processes on one PostgreSQL database agree: writes spread over
//! them are decided exactly as one server would decide them, an external id is stored once,
//! a read sees every write acknowledged before it, a replica killed with `kill -9` loses
//! nothing, and a database restart is a few 503s and then service as before.
//!
//! They need a PostgreSQL cluster (`DIALBACK_TEST_POSTGRES`, set by `cargo xtask ci` and
//! `cargo xtask test-postgres`); without one they say so and pass.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dialback_core::{
    AgentDirectory, CallbackRouting, Caller, Direction, InboundCall, RoutingDecision,
};
use dialback_server::store::{PgStore, Store};
use serde_json::{Value, json};

use crate::harness::{Binary, TempDir, all_calls, fresh_database, postgres_url, request, waits};

pub const CALLBACK_NUMBER: &str = "+14155550100";

/// Replicas of one environment on a fresh database.
pub struct Replicas {
    pub db: String,
    pub token: String,
    pub servers: Vec<Binary>,
    pub dir: TempDir,
    pub http: reqwest::Client,
}

impl Replicas {
    /// `n` servers on a new database, or `None` without a PostgreSQL cluster.
    pub fn start(n: usize) -> Option<Replicas> {
        Replicas::start_with(n, &[])
    }

    /// `n` servers with these environment variables.
    pub fn start_with(n: usize, vars: &[(&str, &str)]) -> Option<Replicas> {
        let Some(url) = postgres_url() else {
            eprintln!("no PostgreSQL (DIALBACK_TEST_POSTGRES): the replica tests need one");
            return None;
        };
        let db = fresh_database(&url);
        let token = Binary::create_env(&db, "replicas");
        let dir = TempDir::new();
        let servers = (0..n)
            .map(|i| Binary::start(&db, &dir.0.join(format!("{i}.log")), vars))
            .collect();
        Some(Replicas {
            db,
            token,
            servers,
            dir,
            http: reqwest::Client::new(),
        })
    }

    pub fn base(&self, i: usize) -> String {
        self.servers[i % self.servers.len()].base.clone()
    }

    pub async fn call(
        &self,
        i: usize,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        request(&self.http, &self.base(i), &self.token, method, path, body).await
    }

    /// A callback agent on [`CALLBACK_NUMBER`] for an outbound source, set up through
    /// replica 0; returns the source's id.
    pub async fn callback_setup(&self) -> String {
        let agent = |name: &str, direction: &str, numbers: Vec<&str>| {
            json!({"name": name, "direction": direction,
                "phone_numbers": numbers})
        };
        let (_, handler) = self
            .call(
                0,
                "POST",
                "/api/v1/agents",
                Some(agent("Handler", "inbound", vec![CALLBACK_NUMBER])),
            )
            .await;
        let (_, source) = self
            .call(
                0,
                "POST",
                "/api/v1/agents",
                Some(agent("Sales", "outbound", vec![])),
            )
            .await;
        let (handler, source) = (
            handler["data"]["id"].as_str().unwrap().to_owned(),
            source["data"]["id"].as_str().unwrap().to_owned(),
        );
        let config = json!({"source_agent_ids": [source], "lookback_days": 7});
        let (status, body) = self
            .call(
                1,
                "POST",
                &format!("/api/v1/agents/{handler}/callback"),
                Some(config),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        source
    }
}

pub fn outbound(source: &str, to: &str, at: i64, ext: &str) -> Value {
    json!({"direction": "outbound", "agent_id": source, "to": to, "started_at": rfc3339(at),
        "status": "no-answer", "external_id": ext})
}

pub fn inbound(from: &str, at: i64, ext: &str) -> Value {
    json!({"direction": "inbound", "from": from, "to": CALLBACK_NUMBER, "started_at": rfc3339(at),
        "status": "completed", "duration_seconds": 30, "external_id": ext})
}

fn rfc3339(unix: i64) -> String {
    dialback_core::Timestamp::from_unix_seconds(unix)
        .unwrap()
        .to_string()
}

/// Every call stored, replayed in the order they were committed (call ids are reserved under
/// the environment's write lock, so id order is commit order) through one routing state, as
/// a single server would have routed them: each stored decision must be that one.
fn assert_decided_as_one_server(db: &str) {
    let snapshot = waits(|| {
        let store = PgStore::open(db, 2).unwrap();
        let (env, _) = store.tokens().environments().unwrap()[0].clone();
        crate::harness::snapshot(&store, env)
    });
    let directory = AgentDirectory::from_records(&snapshot.agents, &snapshot.numbers).unwrap();
    let mut routing = CallbackRouting::new(&directory, std::iter::empty());
    let mut matched = 0;
    for call in &snapshot.calls {
        match call.direction {
            Direction::Outbound => {
                if let Some(o) = call.outbound_entry() {
                    routing.insert_outbound(o);
                }
            }
            Direction::Inbound => {
                let decision = routing.route(&InboundCall {
                    from: Caller::parse(call.from.as_deref()),
                    to: call.to,
                    at: call.started_at,
                });
                assert_eq!(
                    call.routing.as_ref(),
                    Some(&decision),
                    "call {} ({:?})",
                    call.id,
                    call.external_id
                );
                matched += usize::from(matches!(decision, RoutingDecision::Matched { .. }));
            }
        }
    }
    assert!(matched > 0, "no callback matched: the test proves nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_spread_over_three_replicas_are_decided_as_one_server_would() {
    let Some(r) = Replicas::start(3) else { return };
    let source = r.callback_setup().await;
    let r = Arc::new(r);
    let mut clients = vec![];
    for c in 0..8_i64 {
        let (r, source) = (r.clone(), source.clone());
        clients.push(tokio::spawn(async move {
            let t0 = 1_704_067_200 + c * 17;
            for i in 0..200_i64 {
                // contacts shared between clients, so that a callback on one replica matches an
                // outbound call another replica stored a moment before
                let contact = format!("+4420794600{:02}", (c * 7 + i) % 40);
                let at = t0 + i * 60;
                let (body, ext) = if i % 2 == 0 {
                    let ext = format!("out-{c}-{i}");
                    (outbound(&source, &contact, at, &ext), ext)
                } else {
                    let ext = format!("in-{c}-{i}");
                    (inbound(&contact, at, &ext), ext)
                };
                let replica = usize::try_from(c + i).unwrap();
                let (status, answer) = r.call(replica, "POST", "/api/v1/calls", Some(body)).await;
                assert_eq!(status, 201, "{ext}: {answer}");
            }
        }));
    }
    for c in clients {
        c.await.unwrap();
    }
    // every replica counts the same, exactly
    let mut answers = vec![];
    for i in 0..3 {
        let (status, stats) = r
            .call(
                i,
                "GET",
                "/api/v1/callback-agents/stats?start_date=2024-01-01&end_date=2024-01-31",
                None,
            )
            .await;
        assert_eq!(status, 200, "{stats}");
        assert_eq!(stats["data"]["total_callbacks_received"], 800, "{stats}");
        answers.push(stats);
        let calls = all_calls(&r.http, &r.base(i), &r.token).await;
        assert_eq!(calls.len(), 1_600);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    assert_decided_as_one_server(&r.db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_external_id_sent_to_two_replicas_at_once_is_stored_once() {
    let Some(r) = Replicas::start(2) else { return };
    let source = r.callback_setup().await;
    for n in 0..25 {
        let body = outbound(
            &source,
            "+442079460001",
            1_704_067_200 + n,
            &format!("twice-{n}"),
        );
        let (a, b) = tokio::join!(
            r.call(0, "POST", "/api/v1/calls", Some(body.clone())),
            r.call(1, "POST", "/api/v1/calls", Some(body)),
        );
        assert_eq!(a.1["data"]["id"], b.1["data"]["id"], "{a:?} {b:?}");
        let mut statuses = [a.0, b.0];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [200, 201],
            "one stores it, the other finds it: {a:?} {b:?}"
        );
    }
    for i in 0..2 {
        assert_eq!(all_calls(&r.http, &r.base(i), &r.token).await.len(), 25);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_acknowledged_by_one_replica_is_read_by_every_other() {
    let Some(r) = Replicas::start(3) else { return };
    let source = r.callback_setup().await;
    for n in 0..20_usize {
        let (writer, a, b) = (n, n + 1, n + 2);
        // an agent created on one is found on the others
        let body = json!({"name": format!("Agent {n}"), "direction": "outbound"});
        let (status, created) = r.call(writer, "POST", "/api/v1/agents", Some(body)).await;
        assert_eq!(status, 200, "{created}");
        let id = created["data"]["id"].as_str().unwrap();
        for reader in [a, b] {
            let (status, found) = r
                .call(reader, "GET", &format!("/api/v1/agents/{id}"), None)
                .await;
            assert_eq!(
                status,
                200,
                "agent {n} not on replica {}: {found}",
                reader % 3
            );
        }
        // an outbound call stored by one routes a callback arriving at another at once, and a
        // third counts it
        let contact = format!("+4420794611{n:02}");
        let at = 1_706_745_600 + i64::try_from(n).unwrap() * 3_600;
        let (status, _) = r
            .call(
                writer,
                "POST",
                "/api/v1/calls",
                Some(outbound(&source, &contact, at, &format!("o{n}"))),
            )
            .await;
        assert_eq!(status, 201);
        let (status, routed) = r
            .call(
                a,
                "POST",
                "/api/v1/calls",
                Some(inbound(&contact, at + 60, &format!("i{n}"))),
            )
            .await;
        assert_eq!(status, 201, "{routed}");
        assert_eq!(routed["data"]["routing"]["outcome"], "matched", "{routed}");
        let (_, stats) = r
            .call(
                b,
                "GET",
                "/api/v1/callback-agents/stats?start_date=2024-02-01&end_date=2024-02-29",
                None,
            )
            .await;
        assert_eq!(stats["data"]["total_callbacks_received"], n + 1, "{stats}");
    }
}

async fn post_until_gone(
    http: reqwest::Client,
    base: String,
    token: String,
    body: impl Fn(usize) -> (Value, String),
    acked: Arc<Mutex<HashSet<String>>>,
    limit: usize,
) {
    for i in 0..limit {
        let (body, ext) = body(i);
        let sent = http
            .post(format!("{base}/api/v1/calls"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await;
        match sent {
            Ok(res) if res.status().as_u16() == 201 => {
                acked.lock().unwrap().insert(ext);
            }
            _ => break,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replica_killed_under_load_loses_nothing_and_catches_up_when_restarted() {
    let Some(mut r) = Replicas::start(3) else {
        return;
    };
    let source = r.callback_setup().await;
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut writers = vec![];
    for w in 0..6_usize {
        let source = source.clone();
        let body = move |i: usize| {
            let ext = format!("w{w}-{i}");
            let at = 1_704_067_200 + i64::try_from(i).unwrap();
            (outbound(&source, "+442079460958", at, &ext), ext)
        };
        // writers 0 and 3 use the replica that is killed; they stop when it dies
        let limit = if w % 3 == 0 { 100_000 } else { 300 };
        writers.push(tokio::spawn(post_until_gone(
            r.http.clone(),
            r.base(w),
            r.token.clone(),
            body,
            acked.clone(),
            limit,
        )));
    }
    // kill it under load: once enough writes were acknowledged, however slow the machine
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(60)
        && (acked.lock().unwrap().len() < 600 || started.elapsed() < Duration::from_secs(1))
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    r.servers[0].child.kill().unwrap(); // SIGKILL
    r.servers[0].child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 600,
        "too little load to prove anything: {}",
        acked.len()
    );
    let stored = |calls: Vec<Value>| -> HashSet<String> {
        calls
            .iter()
            .filter_map(|c| c["external_id"].as_str().map(str::to_owned))
            .collect()
    };
    for i in [1, 2] {
        let seen = stored(all_calls(&r.http, &r.base(i), &r.token).await);
        let lost: Vec<_> = acked.difference(&seen).collect();
        assert!(
            lost.is_empty(),
            "replica {i} lacks {} acknowledged calls",
            lost.len()
        );
    }
    // writes made while it was down are there when it comes back
    let (status, _) = r
        .call(
            1,
            "POST",
            "/api/v1/calls",
            Some(outbound(&source, "+442079460959", 1_704_153_600, "after")),
        )
        .await;
    assert_eq!(status, 201);
    r.servers[0] = Binary::start(&r.db, &r.dir.0.join("restarted.log"), &[]);
    let seen = stored(all_calls(&r.http, &r.base(0), &r.token).await);
    assert!(seen.contains("after") && acked.is_subset(&seen));
    // and it agrees with the others exactly (a call the kill cut off after its commit but
    // before its answer is stored, unacknowledged: the same on every replica)
    assert_eq!(seen, stored(all_calls(&r.http, &r.base(2), &r.token).await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_restart_is_a_few_503s_then_service_resumes_with_nothing_lost() {
    let Some(restart) = std::env::var("DIALBACK_TEST_POSTGRES_RESTART").ok() else {
        assert!(
            std::env::var_os("DIALBACK_REQUIRE_POSTGRES").is_none(),
            "DIALBACK_REQUIRE_POSTGRES without DIALBACK_TEST_POSTGRES_RESTART"
        );
        eprintln!(
            "no DIALBACK_TEST_POSTGRES_RESTART: the outage test needs a cluster it may restart"
        );
        return;
    };
    let Some(r) = Replicas::start(2) else { return };
    let source = r.callback_setup().await;
    let r = Arc::new(r);
    let statuses: Arc<Mutex<BTreeMap<u16, usize>>> = Arc::default();
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = vec![];
    for w in 0..4_usize {
        let (r, source, statuses, acked, stop) = (
            r.clone(),
            source.clone(),
            statuses.clone(),
            acked.clone(),
            stop.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut i = 0_i64;
            let mut last = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                i += 1;
                let ext = format!("w{w}-{i}");
                let body = outbound(&source, "+442079460958", 1_704_067_200 + i, &ext);
                let started = std::time::Instant::now();
                let (status, answer) = r.call(w, "POST", "/api/v1/calls", Some(body)).await;
                assert!(
                    started.elapsed() < Duration::from_secs(10),
                    "a request hung for {:?}",
                    started.elapsed()
                );
                assert!(matches!(status, 201 | 503), "{status}: {answer}");
                if status == 503 {
                    assert_eq!(answer["code"], "STORAGE_UNAVAILABLE", "{answer}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                } else {
                    acked.lock().unwrap().insert(ext);
                }
                *statuses.lock().unwrap().entry(status).or_default() += 1;
                last = status;
            }
            last
        }));
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("sh")
            .args(["-c", &restart])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for w in writers {
        assert_eq!(w.await.unwrap(), 201, "service did not resume by itself");
    }
    let statuses = statuses.lock().unwrap().clone();
    eprintln!("answers during the restart: {statuses:?}");
    assert!(
        statuses.contains_key(&503),
        "the restart went unnoticed: {statuses:?}"
    );
    let acked = acked.lock().unwrap().clone();
    for i in 0..2 {
        let seen: HashSet<String> = all_calls(&r.http, &r.base(i), &r.token)
            .await
            .iter()
            .filter_map(|c| c["external_id"].as_str().map(str::to_owned))
            .collect();
        assert!(
            acked.is_subset(&seen),
            "replica {i} lost acknowledged calls"
        );
    }
}
