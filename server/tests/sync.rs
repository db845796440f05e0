//! Dialback as the platforms: server A plays Talkover and AgentPhone, server B syncs from it
//! through a proxy that refuses every route and parameter the platforms do not document, so
//! the sync cannot lean on Dialback's own extensions. After a sync, B answers as A does; a
//! second run adds nothing; a rate-limited A makes B wait, not fail; a sync killed with `-9`
//! and run again ends where a clean run ends.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use dialback_core::Timestamp;
use dialback_core::source::Platform;
use dialback_server::app::{Clock, Settings};
use dialback_server::sources::{self, Silent};
use dialback_server::store::sources::{NewSource, SecretRef, Source};
use serde_json::{Value, json};

use crate::harness::{Server, TempDir, waits};

/// Every route and query parameter a sync may use, as the platforms document them.
const DOCUMENTED: &[(&str, &[&str])] = &[
    ("/api/v1/agents", &["page", "per_page"]),
    ("/api/v1/phone-numbers", &[]),
    ("/api/v1/callback-agents", &[]),
    ("/api/v1/calls", &["page", "per_page", "date_from"]),
    ("/v1/agents", &["offset"]),
    ("/v1/numbers", &["offset"]),
    ("/v1/calls", &["limit", "offset"]),
];

/// A proxy to `upstream` that passes documented GETs only; what it refused, and how many
/// answers were `429`.
#[derive(Clone)]
pub struct Proxy {
    pub base: String,
    pub refused: Arc<Mutex<Vec<String>>>,
    pub limited: Arc<Mutex<u64>>,
}

impl Proxy {
    pub async fn start(upstream: &str) -> Proxy {
        let refused = Arc::new(Mutex::new(Vec::new()));
        let limited = Arc::new(Mutex::new(0));
        let (r2, l2, up) = (refused.clone(), limited.clone(), upstream.to_owned());
        let http = reqwest::Client::new();
        let app = axum::Router::new().fallback(
            move |method: axum::http::Method, uri: Uri, headers: HeaderMap| {
                let (refused, limited, up, http) =
                    (r2.clone(), l2.clone(), up.clone(), http.clone());
                async move {
                    let path = uri.path();
                    let query: Vec<(String, String)> =
                        serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default();
                    let allowed = method == axum::http::Method::GET
                        && DOCUMENTED.iter().any(|(p, params)| {
                            *p == path && query.iter().all(|(k, _)| params.contains(&k.as_str()))
                        });
                    if !allowed {
                        refused.lock().unwrap().push(format!("{method} {uri}"));
                        return (StatusCode::IM_A_TEAPOT, HeaderMap::new(), Bytes::new());
                    }
                    let mut req = http.get(format!("{up}{uri}"));
                    if let Some(auth) = headers.get("authorization") {
                        req = req.header("authorization", auth);
                    }
                    let res = req.send().await.unwrap();
                    let status = StatusCode::from_u16(res.status().as_u16()).unwrap();
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        *limited.lock().unwrap() += 1;
                    }
                    let mut out = HeaderMap::new();
                    if let Some(v) = res.headers().get("retry-after") {
                        out.insert(
                            "retry-after",
                            HeaderValue::from_bytes(v.as_bytes()).unwrap(),
                        );
                    }
                    (status, out, res.bytes().await.unwrap())
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Proxy {
            base,
            refused,
            limited,
        }
    }
}

/// "Now" for both servers: the data is the first half of March 2026.
pub fn now() -> Timestamp {
    Timestamp::parse("2026-03-20T12:00:00Z").unwrap()
}

fn settings() -> Settings {
    Settings {
        clock: Clock::Fixed(now()),
        ..Settings::default()
    }
}

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Fills A: two outbound agents, a callback desk on two numbers taking their callbacks, an
/// ordinary inbound agent, and `calls` ended calls over March 1–19 (outbound calls, callbacks
/// from their contacts, unknown callers).
pub async fn platform(a: &Server, calls: usize) {
    let desk = a
        .agent(
            "Callback Desk",
            "inbound",
            &["+14155550100", "+14155550101"],
        )
        .await;
    let sales = a.agent("Sales", "outbound", &[]).await;
    let renewals = a.agent("Renewals", "outbound", &[]).await;
    a.agent("Support", "inbound", &["+14155550102"]).await;
    let (status, body) = a
        .call(
            "POST",
            &format!("/api/v1/agents/{desk}/callback"),
            Some(json!({"source_agent_ids": [sales, renewals], "lookback_days": 7})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let statuses = ["completed", "no_answer", "busy", "failed", "voicemail"];
    let mut rng = Lcg(7);
    let start = Timestamp::parse("2026-03-01T00:00:00Z")
        .unwrap()
        .unix_seconds();
    let mut lines = Vec::with_capacity(calls);
    for i in 0..calls {
        let at = Timestamp::from_unix_seconds(start + (i as i64) * (18 * 86_400 / calls as i64))
            .unwrap()
            .to_string();
        let contact = format!("+1628555{:04}", rng.below(400));
        let status = statuses[rng.below(5) as usize];
        let duration = rng.below(300);
        let line = match rng.below(10) {
            0..5 => {
                let agent = if rng.below(2) == 0 { &sales } else { &renewals };
                json!({"direction": "outbound", "agent_id": agent, "from": "+14155550100",
                       "to": contact, "started_at": at, "status": status,
                       "duration_seconds": duration})
            }
            5..9 => {
                let to = ["+14155550100", "+14155550101", "+14155550102"][rng.below(3) as usize];
                json!({"direction": "inbound", "from": contact, "to": to, "started_at": at,
                       "status": status, "duration_seconds": duration})
            }
            _ => json!({"direction": "inbound", "from": "anonymous", "to": "+14155550100",
                        "started_at": at, "status": status, "duration_seconds": duration}),
        };
        lines.push(line.to_string());
    }
    for chunk in lines.chunks(20_000) {
        let res = a.import(chunk).await;
        assert_eq!(res.status().as_u16(), 200);
    }
}

/// B's source for A, its token in a file.
pub fn add_source(
    b: &Server,
    dir: &TempDir,
    platform: Platform,
    base: &str,
    token: &str,
) -> Source {
    add_source_with(b, dir, platform, base, token, None)
}

/// B's source for A, its token in a file, and where its webhook secret is read from.
pub fn add_source_with(
    b: &Server,
    dir: &TempDir,
    platform: Platform,
    base: &str,
    token: &str,
    webhook_secret: Option<&std::path::Path>,
) -> Source {
    let file = dir.0.join(format!("token-{platform}"));
    std::fs::write(&file, token).unwrap();
    waits(|| {
        let env = b.app.env_named("test").unwrap().unwrap();
        let store = b.app.store.sources();
        let id = store
            .add_source(&NewSource {
                env: env.id,
                platform,
                base_url: base.to_owned(),
                token: SecretRef::File(file.display().to_string()),
                webhook_secret: webhook_secret.map(|f| SecretRef::File(f.display().to_string())),
                created_at: now(),
            })
            .unwrap();
        store
            .sources()
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap()
    })
}

/// A stored source as it stands now (its cursor moved by the runs).
pub fn reload(b: &Server, id: i64) -> Source {
    waits(|| {
        b.app
            .store
            .sources()
            .sources()
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap()
    })
}

/// A call without the ids that differ between two servers holding the same call.
fn comparable(mut call: Value) -> Value {
    for key in ["id", "sid", "external_id"] {
        call.as_object_mut().unwrap().remove(key);
    }
    if let Some(last) = call
        .pointer_mut("/routing/last_call")
        .and_then(Value::as_object_mut)
    {
        last.remove("outbound_call_id");
    }
    call
}

/// B answers as A does: callback stats, usage by agent, and the calls list.
pub async fn same_answers(a: &Server, b: &Server) {
    for path in [
        "/api/v1/callback-agents/stats?start_date=2026-03-01&end_date=2026-03-20",
        "/v1/usage/by-agent?period=month&tz=America/New_York",
        "/v1/usage/by-agent?period=month&tz=UTC",
    ] {
        let (sa, from_a) = a.call("GET", path, None).await;
        let (sb, from_b) = b.call("GET", path, None).await;
        assert_eq!((sa, sb), (200, 200), "{path}");
        assert_eq!(from_a, from_b, "{path}");
    }
    let calls_a: Vec<Value> = a.all_calls().await.into_iter().map(comparable).collect();
    let calls_b: Vec<Value> = b.all_calls().await.into_iter().map(comparable).collect();
    assert_eq!(calls_a.len(), calls_b.len());
    if let Some((x, y)) = calls_a.iter().zip(&calls_b).find(|(x, y)| x != y) {
        panic!("A lists {x}\nB lists {y}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn b_synced_from_a_through_documented_endpoints_answers_as_a_does() {
    let a = Server::start_with(settings(), |r| r).await;
    platform(&a, 3_000).await;
    let proxy = Proxy::start(&a.base).await;
    let b = Server::start_with(settings(), |r| r).await;
    let dir = TempDir::new();
    let source = add_source(&b, &dir, Platform::Talkover, &proxy.base, &a.token);

    let first = sources::run(&b.app, &source, &Silent).await.unwrap();
    assert_eq!(first.calls_created, 3_000, "{first:?}");
    assert_eq!((first.agents, first.numbers), (4, 3));
    assert_eq!(*proxy.refused.lock().unwrap(), Vec::<String>::new());
    same_answers(&a, &b).await;

    // both ids visible: the agent object says where it came from
    let (_, agents) = b.call("GET", "/api/v1/agents", None).await;
    assert_eq!(agents["data"][0]["origin"]["platform"], "talkover");

    let again = sources::run(&b.app, &reload(&b, source.id), &Silent)
        .await
        .unwrap();
    assert_eq!(
        (
            again.calls_created,
            again.agents_written,
            again.numbers_written
        ),
        (0, 0, 0),
        "{again:?}"
    );
    let state = reload(&b, source.id).state;
    assert_eq!((state.calls, state.last_error), (3_000, None));
    assert_eq!(
        state.cursor,
        Some(Timestamp::parse("2026-03-18T23:31:22Z").unwrap())
    );
    same_answers(&a, &b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn agentphone_sync_reads_agents_numbers_and_calls_by_offset() {
    let a = Server::start_with(settings(), |r| r).await;
    platform(&a, 1_200).await;
    let proxy = Proxy::start(&a.base).await;
    let b = Server::start_with(settings(), |r| r).await;
    let dir = TempDir::new();
    let source = add_source(&b, &dir, Platform::Agentphone, &proxy.base, &a.token);
    let report = sources::run(&b.app, &source, &Silent).await.unwrap();
    assert_eq!(report.calls_created, 1_200, "{report:?}");
    assert_eq!(*proxy.refused.lock().unwrap(), Vec::<String>::new());
    // AgentPhone has no callback roles: usage by agent is the same, the roles are B's own
    let path = "/v1/usage/by-agent?period=month&tz=UTC";
    assert_eq!(
        a.call("GET", path, None).await,
        b.call("GET", path, None).await
    );
    let again = sources::run(&b.app, &reload(&b, source.id), &Silent)
        .await
        .unwrap();
    assert_eq!(again.calls_created, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rate_limited_platform_makes_the_sync_wait_not_fail() {
    let a = Server::start_with(
        Settings {
            rate_limit: Some(60),
            ..settings()
        },
        |r| r,
    )
    .await;
    // about 70 requests at 60 a minute: the last ten wait a second each
    platform(&a, 6_000).await;
    let proxy = Proxy::start(&a.base).await;
    let b = Server::start_with(settings(), |r| r).await;
    let dir = TempDir::new();
    let source = add_source(&b, &dir, Platform::Talkover, &proxy.base, &a.token);
    let report = sources::run(&b.app, &source, &Silent).await.unwrap();
    assert_eq!(report.calls_created, 6_000);
    assert!(*proxy.limited.lock().unwrap() > 0, "A never said 429");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_page_that_cannot_be_understood_stops_the_run_and_moves_nothing() {
    let broken = axum::Router::new().fallback(|uri: Uri| async move {
        match uri.path() {
            "/api/v1/agents" => json!({"success": true, "data": [], "meta": {"last_page": 1}}),
            "/api/v1/phone-numbers" | "/api/v1/callback-agents" => {
                json!({"success": true, "data": []})
            }
            _ => json!({"success": true, "data": [{"id": "c1", "to": "+14155550100",
                "direction": "inbound", "status": "completed", "created_at": "yesterday"}],
                "pagination": {"last_page": 1}}),
        }
        .to_string()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, broken).await.unwrap() });
    let b = Server::start_with(settings(), |r| r).await;
    let dir = TempDir::new();
    let source = add_source(
        &b,
        &dir,
        Platform::Talkover,
        &base,
        "talq_secret_token_value",
    );
    let err = sources::run(&b.app, &source, &Silent).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("/api/v1/calls?page=1&per_page=100: data[0].created_at"),
        "{text}"
    );
    assert!(!text.contains("talq_secret_token_value"));
    let state = reload(&b, source.id).state;
    assert_eq!(state.cursor, None);
    assert_eq!(state.last_error.as_deref(), Some(text.as_str()));
    assert!(b.all_calls().await.is_empty());
}

/// B answers as A does, B being any server (the real binary, on the system clock: only
/// answers for explicit dates compare).
async fn same_answers_at(a: &Server, base: &str, token: &str) {
    let http = reqwest::Client::new();
    for path in ["/api/v1/callback-agents/stats?start_date=2026-03-01&end_date=2026-03-20"] {
        let (_, from_a) = a.call("GET", path, None).await;
        let (_, from_b) = crate::harness::request(&http, base, token, "GET", path, None).await;
        assert_eq!(from_a, from_b, "{path}");
    }
    let calls_a: Vec<Value> = a.all_calls().await.into_iter().map(comparable).collect();
    let calls_b: Vec<Value> = crate::harness::all_calls(&http, base, token)
        .await
        .into_iter()
        .map(comparable)
        .collect();
    assert_eq!(calls_a.len(), calls_b.len());
    if let Some((x, y)) = calls_a.iter().zip(&calls_b).find(|(x, y)| x != y) {
        panic!("A lists {x}\nB lists {y}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sync_killed_with_9_then_run_again_ends_as_a_clean_run() {
    use std::io::BufRead;
    let a = Server::start_with(settings(), |r| r).await;
    platform(&a, 30_000).await;
    let dir = TempDir::new();
    let db = dir.0.join("b.db");
    let token = crate::harness::Binary::create_env(&db, "b");
    let token_file = dir.0.join("a-token");
    std::fs::write(&token_file, &a.token).unwrap();
    let bin = env!("CARGO_BIN_EXE_dialback");
    let out = std::process::Command::new(bin)
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
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8(out.stdout).unwrap().trim().to_owned();

    // killed while it stores: after its first batches, before the last
    let mut child = std::process::Command::new(bin)
        .args(["sync", "--source", &id, "--db"])
        .arg(&db)
        .env("DIALBACK_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    for line in stderr.lines() {
        if line.unwrap().contains("storing") {
            break;
        }
    }
    // killed once a batch is committed (a condition, not a guess at how long one takes on a
    // busy machine); 30,000 calls take many more
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while stored_calls(&db) == 0 && std::time::Instant::now() < until {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the sync ended before it could be killed"
    );

    let again = std::process::Command::new(bin)
        .args(["sync", "--json", "--source", &id, "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let report: Value = serde_json::from_slice(&again.stdout).unwrap();
    let (created, existing) = (
        report["calls_created"].as_u64().unwrap(),
        report["calls_existing"].as_u64().unwrap(),
    );
    assert_eq!(created + existing, 30_000, "{report}");
    assert!(existing > 0, "the killed run stored nothing: {report}");

    // B, served, answers as A does
    let log = dir.0.join("b.log");
    let b = crate::harness::Binary::start(&db, &log, &[]);
    same_answers_at(&a, &b.base, &token).await;
}

/// Calls committed to the SQLite file so far (read beside the writer: WAL).
fn stored_calls(db: &std::path::Path) -> i64 {
    rusqlite::Connection::open(db)
        .and_then(|c| c.query_row("SELECT COUNT(*) FROM calls", [], |r| r.get(0)))
        .unwrap_or(0)
}
