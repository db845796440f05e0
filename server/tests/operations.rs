//! Running Dialback for a team: rate limits, metrics, request ids and structured logs. (Tokens
//! are in `tokens.rs`, health under a failing store in `view_consistency.rs`, backups in
//! `backup.rs`.)

use std::collections::HashMap;
use std::process::Command;

use dialback_server::app::Settings;
use serde_json::{Value, json};

use crate::harness::{Binary, Server, TempDir, waits};

/// Runs `dialback ARGS --db DB`: (success, stdout, stderr).
pub fn cli(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dialback"))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

pub async fn status_of(
    http: &reqwest::Client,
    method: &str,
    url: &str,
    token: &str,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let res = http
        .request(method, url)
        .bearer_auth(token)
        .json(&json!({"name": "Made by a test", "direction": "inbound"}))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn header(res: &reqwest::Response, name: &str) -> Option<u64> {
    res.headers().get(name)?.to_str().ok()?.parse().ok()
}

#[tokio::test]
async fn over_the_rate_limit_a_token_gets_429_in_its_apis_dialect() {
    let settings = Settings {
        rate_limit: Some(3),
        ..Settings::default()
    };
    let s = Server::start_with(settings, |r| r).await;
    let get = |path: &str, token: &str| {
        s.http
            .get(format!("{}{path}", s.base))
            .bearer_auth(token.to_owned())
            .send()
    };
    for remaining in [2, 1, 0] {
        let res = get("/api/v1/agents", &s.token).await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(header(&res, "x-ratelimit-limit"), Some(3));
        assert_eq!(header(&res, "x-ratelimit-remaining"), Some(remaining));
        assert!(header(&res, "x-ratelimit-reset").is_some_and(|r| (1..=60).contains(&r)));
    }
    let res = get("/api/v1/agents", &s.token).await.unwrap();
    assert_eq!(res.status().as_u16(), 429);
    assert!(header(&res, "retry-after").is_some_and(|r| (1..=20).contains(&r)));
    assert_eq!(header(&res, "x-ratelimit-remaining"), Some(0));
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (&body["success"], &body["code"]),
        (&json!(false), &json!("RATE_LIMIT_EXCEEDED")),
        "{body}"
    );

    let res = get("/v1/usage", &s.token).await.unwrap();
    assert_eq!(res.status().as_u16(), 429);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "RATE_LIMIT_EXCEEDED", "{body}");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Rate limit")),
        "{body}"
    );

    // another token has its own budget; requests without one are not counted or marked
    let other = s.second_environment();
    assert_eq!(
        get("/api/v1/agents", &other)
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    let res = s
        .http
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers().get("x-ratelimit-limit").is_none());
    // a made-up token gets its 401, not a bucket
    let res = get(
        "/api/v1/agents",
        "talq_madeupmadeupmadeupmadeupmadeupmadeupmade",
    )
    .await
    .unwrap();
    assert_eq!(res.status().as_u16(), 401);
}

#[tokio::test]
async fn metrics_are_prometheus_text_with_every_documented_series() {
    let s = Server::start().await;
    let (_, sales) = s.callback_setup("Sales", None).await;
    let outbound = json!({"direction": "outbound", "agent_id": sales, "to": "+442079460001",
        "started_at": "2024-01-01T10:00:00Z", "status": "no-answer"});
    assert_eq!(s.call("POST", "/api/v1/calls", Some(outbound)).await.0, 201);
    let inbound = |from: &str| {
        format!(
            concat!(
                r#"{{"direction": "inbound", "from": "{from}", "to": "+14155550100", "#,
                r#""started_at": "2024-01-02T10:00:00Z", "status": "answered"}}"#
            ),
            from = from,
        )
    };
    let res = s
        .import(&[
            inbound("+442079460001"),
            inbound("+442079460002"),
            "not json".to_owned(),
        ])
        .await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(s.call("GET", "/api/v1/agents/nope", None).await.0, 404);

    let text = s
        .http
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines = text.lines().map(|l| Ok(l.to_owned()));
    let scrape = prometheus_parse::Scrape::parse(lines).expect("Prometheus text format");
    let value = |name: &str, labels: &[(&str, &str)]| -> f64 {
        scrape
            .samples
            .iter()
            .filter(|s| s.metric == name)
            .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .map(|s| match s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => v,
                _ => 0.0,
            })
            .sum()
    };
    assert!(
        scrape
            .samples
            .iter()
            .any(|s| s.metric == "dialback_http_request_duration_seconds"
                && s.labels.get("route") == Some("/api/v1/calls/import")),
        "{text}"
    );
    let env = waits(|| s.app.env_named("test").unwrap().unwrap().id.to_string());
    let version = env!("CARGO_PKG_VERSION");
    // metric, labels, value
    type Series<'a> = (&'a str, &'a [(&'a str, &'a str)], f64);
    let expected: [Series<'_>; 10] = [
        (
            "dialback_http_requests_total",
            &[
                ("route", "/api/v1/agents/:id"),
                ("method", "GET"),
                ("status", "404"),
            ],
            1.0,
        ),
        (
            "dialback_calls_ingested_total",
            &[("direction", "outbound")],
            1.0,
        ),
        (
            "dialback_calls_ingested_total",
            &[("direction", "inbound")],
            2.0,
        ),
        (
            "dialback_routing_decisions_total",
            &[("reason", "MATCHED")],
            1.0,
        ),
        (
            "dialback_routing_decisions_total",
            &[("reason", "NO_OUTBOUND_CALL")],
            1.0,
        ),
        (
            "dialback_import_lines_total",
            &[("outcome", "created")],
            2.0,
        ),
        (
            "dialback_import_lines_total",
            &[("outcome", "rejected")],
            1.0,
        ),
        ("dialback_view_calls", &[("environment", &env)], 3.0),
        ("dialback_view_agents", &[("environment", &env)], 2.0),
        ("dialback_build_info", &[("version", version)], 1.0),
    ];
    for (name, labels, want) in expected {
        assert_eq!(value(name, labels), want, "{name} {labels:?}\n{text}");
    }
    // bounded labels: raw paths and tokens never become series
    assert!(
        !text.contains("/api/v1/agents/nope") && !text.contains(&s.token[5..]),
        "{text}"
    );
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_plain_one_from_the_client_is_kept() {
    let s = Server::start().await;
    let id_of = |res: &reqwest::Response| {
        res.headers()
            .get("x-request-id")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let res = s
        .http
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .unwrap();
    let made = id_of(&res).expect("an id");
    assert_eq!(made.len(), 36, "a UUID: {made}");
    let res = s
        .http
        .get(format!("{}/api/v1/agents", s.base))
        .header("x-request-id", "lb-7f3a.42")
        .send()
        .await
        .unwrap();
    assert_eq!(id_of(&res).as_deref(), Some("lb-7f3a.42"));
    for bad in ["two words", &"x".repeat(65), "quote\"d"] {
        let res = s
            .http
            .get(format!("{}/healthz", s.base))
            .header("x-request-id", bad)
            .send()
            .await
            .unwrap();
        let id = id_of(&res).unwrap();
        assert!(id != bad && id.len() == 36, "{bad:?} became {id:?}");
    }
}

#[tokio::test]
async fn json_logs_carry_the_request_id_and_never_a_token() {
    let dir = TempDir::new();
    let db = dir.db();
    let token = Binary::create_env(&db, "logs");
    let log = dir.0.join("json.log");
    let mut server = Binary::start(
        &db,
        &log,
        &[("DIALBACK_LOG_FORMAT", "json"), ("DIALBACK_LOG", "info")],
    );
    let http = reqwest::Client::new();
    for path in ["/api/v1/agents", "/api/v1/agents/missing", "/v1/usage"] {
        http.get(format!("{}{path}", server.base))
            .bearer_auth(&token)
            .header("x-request-id", "trace-me-1")
            .send()
            .await
            .unwrap();
    }
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    server.child.wait().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let mut statuses = HashMap::new();
    for line in text.lines() {
        let event: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if event["span"]["request_id"] == "trace-me-1" {
            *statuses
                .entry(event["span"]["path"].to_string())
                .or_insert(0) += 1;
        }
    }
    assert_eq!(statuses.len(), 3, "one access line per request: {text}");
    assert!(!text.contains(&token[5..]), "a token reached the logs");
}

/// Each server keeps its environments' views in memory, so a second `serve` on the same
/// SQLite file would answer without the first one's writes: it is refused, and the file is
/// free again once the first one has gone.
#[tokio::test]
async fn one_server_per_sqlite_database() {
    let dir = TempDir::new();
    let db = dir.db();
    Binary::create_env(&db, "only");
    let mut first = Binary::start(&db, &dir.0.join("first.log"), &[]);
    let second = |log: &str| {
        Command::new(env!("CARGO_BIN_EXE_dialback"))
            .args(["serve", "--listen", "127.0.0.1:0", "--db"])
            .arg(&db)
            .arg("--static")
            .arg(dir.0.join(log))
            .output()
            .unwrap()
    };
    let refused = second("none");
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("another `dialback serve` is using"), "{said}");
    // the CLI still works beside it
    let (ok, _, note) = cli(&db, &["token", "list", "--env", "only"]);
    assert!(ok, "{note}");
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    let mut again = Binary::start(&db, &dir.0.join("again.log"), &[]);
    again.child.kill().unwrap();
    again.child.wait().unwrap();
}
