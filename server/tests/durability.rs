//! The real binary: nothing acknowledged is lost to `kill -9`; SIGTERM drains; logs carry no
//! tokens.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::harness::{Binary, TempDir, all_calls};

async fn post(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> Option<(u16, serde_json::Value)> {
    let res = http
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .ok()?;
    let status = res.status().as_u16();
    Some((status, res.json().await.ok()?))
}

/// Creates an environment, starts the binary on the database, and creates an outbound agent
/// "Sales"; returns the server, the token, the agent's id and a client.
async fn start_with_agent(
    db: &std::path::Path,
    env: &str,
    log: &std::path::Path,
    vars: &[(&str, &str)],
) -> (Binary, String, String, reqwest::Client) {
    let token = Binary::create_env(db, env);
    let server = Binary::start(db, log, vars);
    let http = reqwest::Client::new();
    let body = json!({"name": "Sales", "direction": "outbound"});
    let (_, agent) = post(&http, &server.base, &token, "/api/v1/agents", body)
        .await
        .unwrap();
    let sales = agent["data"]["id"].as_str().unwrap().to_owned();
    (server, token, sales, http)
}

#[tokio::test]
async fn every_acknowledged_write_survives_kill_9() {
    let dir = TempDir::new();
    let db = dir.db();
    let log = dir.0.join("1.log");
    let (mut server, token, sales, http) = start_with_agent(&db, "durable", &log, &[]).await;
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut writers = vec![];
    for w in 0..4 {
        let (http, base, token, sales, acked) = (
            http.clone(),
            server.base.clone(),
            token.clone(),
            sales.clone(),
            acked.clone(),
        );
        writers.push(tokio::spawn(async move {
            for i in 0..100_000 {
                let ext = format!("w{w}-{i}");
                let body = json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958",
                    "started_at": "2024-01-01T10:00:00Z", "status": "completed",
                    "external_id": ext});
                match post(&http, &base, &token, "/api/v1/calls", body).await {
                    Some((201, _)) => {
                        acked.lock().unwrap().insert(ext);
                    }
                    _ => break, // the server is gone
                }
            }
        }));
    }
    // kill it once enough writes were acknowledged to mean something (however slow the
    // machine), and at least a second in
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(60)
        && (acked.lock().unwrap().len() < 100 || started.elapsed() < Duration::from_secs(1))
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 50,
        "too few writes to mean anything: {}",
        acked.len()
    );

    let mut server = Binary::start(&db, &dir.0.join("2.log"), &[]);
    let found: HashSet<String> = all_calls(&http, &server.base, &token)
        .await
        .iter()
        .map(|c| c["external_id"].as_str().unwrap().to_owned())
        .collect();
    let lost: Vec<&String> = acked.difference(&found).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged writes lost, e.g. {:?}",
        lost.len(),
        lost.first()
    );
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

#[tokio::test]
async fn sigterm_lets_an_import_in_flight_finish_and_logs_hold_no_token() {
    let dir = TempDir::new();
    let db = dir.db();
    let log = dir.0.join("drain.log");
    let (mut server, token, sales, http) =
        start_with_agent(&db, "drain", &log, &[("DIALBACK_LOG", "trace")]).await;
    let lines: Vec<String> = (0..40_000)
        .map(|i| {
            json!({"direction": "outbound", "agent_id": sales,
                "to": format!("+4420794{:05}", i % 90_000), "started_at": "2024-01-01T10:00:00Z",
                "status": "busy"})
            .to_string()
        })
        .collect();
    let body = lines.join("\n");
    let import = {
        let (http, base, token) = (http.clone(), server.base.clone(), token.clone());
        tokio::spawn(async move {
            http.post(format!("{base}/api/v1/calls/import"))
                .bearer_auth(&token)
                .header("content-type", "application/x-ndjson")
                .body(body)
                .send()
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    let pid = server.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let res = import
        .await
        .unwrap()
        .expect("the import in flight was answered");
    assert_eq!(res.status().as_u16(), 200);
    let report: serde_json::Value = res.json().await.unwrap();
    assert_eq!(report["data"]["created"], 40_000);
    let status = server.child.wait().unwrap();
    assert!(status.success(), "the server exited with {status}");
    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(logs.contains("shutting down"), "{logs}");
    assert!(!logs.contains(&token), "a token reached the logs");
    assert!(
        !logs.contains(&token["talq_".len()..]),
        "part of a token reached the logs"
    );
}

/// Regression: a token made by `dialback env create` while a server ran was refused until
/// the server restarted. Storage is asked on every request, so it works at once, and so does
/// its environment, which the server had never seen.
#[tokio::test]
async fn a_token_created_while_the_server_runs_works_at_once() {
    let dir = TempDir::new();
    let db = dir.db();
    let first = Binary::create_env(&db, "first");
    let mut server = Binary::start(&db, &dir.0.join("late.log"), &[]);
    let http = reqwest::Client::new();
    let late = Binary::create_env(&db, "late");
    for (token, expected) in [(&first, 200), (&late, 200), (&"talq_nope".to_owned(), 401)] {
        let res = http
            .get(format!("{}/api/v1/agents", server.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), expected, "{token}");
    }
    let res = http
        .post(format!("{}/api/v1/agents", server.base))
        .bearer_auth(&late)
        .json(&json!({"name": "Late agent", "direction": "inbound"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}
