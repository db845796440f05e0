//! Architecture Invariant: no storage call runs on an async worker, and every wait for
//! storage has a deadline: what needs no database is never delayed by one.
//!
//! A database host that freezes (every PostgreSQL process stopped with SIGSTOP, as a hung VM
//! or a network partition leaves it: connections open, nothing answered) must not freeze the
//! servers in front of it. With three replicas and the database frozen for a minute:
//! - `/healthz` says 503 within its second;
//! - `/openapi.json` and the console, which need no database, answer within a second;
//! - every API request in flight ends within 10 s, 503 `STORAGE_UNAVAILABLE`;
//! - after SIGCONT, service resumes without a restart, and nothing acknowledged is lost.
//!
//! It freezes the whole cluster, so it runs alone (`cargo xtask test-postgres`), told where
//! the cluster's data is by `DIALBACK_TEST_POSTGRES_DATA`.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::all_calls;
use crate::replicas::{Replicas, inbound, outbound};

/// The cluster's processes: the postmaster (first line of `postmaster.pid`) and its children.
fn postgres_processes(data: &str) -> Vec<u32> {
    let pid_file = std::fs::read_to_string(format!("{data}/postmaster.pid")).unwrap();
    let postmaster: u32 = pid_file.lines().next().unwrap().trim().parse().unwrap();
    let mut pids = vec![postmaster];
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": the name may hold spaces, so split after its ')'
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(postmaster) {
            pids.push(pid);
        }
    }
    pids
}

fn signal(signal: &str, pids: &[u32]) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .args(pids.iter().map(u32::to_string))
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {pids:?}");
}

/// One request, timed; `None` when no answer came at all (within 30 s).
async fn timed(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (Duration, Option<(u16, Value)>) {
    let started = Instant::now();
    let mut req = http
        .request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{base}{path}"),
        )
        .bearer_auth(token)
        .timeout(Duration::from_secs(30));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let answer = match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            let text = res.text().await.unwrap_or_default();
            Some((
                status,
                serde_json::from_str(&text).unwrap_or(Value::String(text)),
            ))
        }
        Err(_) => None,
    };
    (started.elapsed(), answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_frozen_database_is_answered_within_deadlines_and_loses_nothing() {
    let Ok(data) = std::env::var("DIALBACK_TEST_POSTGRES_DATA") else {
        assert!(
            std::env::var_os("DIALBACK_REQUIRE_POSTGRES").is_none(),
            "DIALBACK_REQUIRE_POSTGRES without DIALBACK_TEST_POSTGRES_DATA"
        );
        eprintln!("no DIALBACK_TEST_POSTGRES_DATA: the freeze test needs a cluster to freeze");
        return;
    };
    let r = Replicas::start(3).expect("a PostgreSQL cluster");
    let source = r.callback_setup().await;

    // acknowledged before the freeze, through every replica
    let mut acked = HashSet::new();
    for i in 0..30 {
        let ext = format!("before-{i}");
        let (status, body) = r
            .call(
                i,
                "POST",
                "/api/v1/calls",
                Some(outbound(
                    &source,
                    "+442079460958",
                    1_704_067_200 + i as i64,
                    &ext,
                )),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        acked.insert(ext);
    }

    let pids = postgres_processes(&data);
    assert!(pids.len() > 3, "the cluster's processes: {pids:?}");
    let frozen_at = Instant::now();
    signal("STOP", &pids);

    // sixteen API requests in flight on replica 0: reads and writes of both APIs
    let base = r.base(0);
    let mut inflight = vec![];
    for i in 0..16_usize {
        let (http, base, token, source) = (
            r.http.clone(),
            base.clone(),
            r.token.clone(),
            source.clone(),
        );
        inflight.push(tokio::spawn(async move {
            let (method, path, body) = match i % 4 {
                0 => ("GET", "/api/v1/calls?per_page=5".to_owned(), None),
                1 => ("GET", "/api/v1/callback-agents/stats".to_owned(), None),
                2 => (
                    "POST",
                    "/api/v1/calls".to_owned(),
                    Some(outbound(
                        &source,
                        "+442079460777",
                        1_704_100_000,
                        &format!("frozen-{i}"),
                    )),
                ),
                _ => (
                    "GET",
                    "/v1/usage/by-agent?period=month&tz=UTC".to_owned(),
                    None,
                ),
            };
            (
                path.clone(),
                timed(&http, &base, &token, method, &path, body).await,
            )
        }));
    }

    // what needs no database answers as always; health says what does not answer
    tokio::time::sleep(Duration::from_millis(500)).await;
    for (path, expected) in [
        ("/healthz", 503),
        ("/openapi.json", 200),
        ("/", 200),
        ("/healthz", 503),
    ] {
        let (took, answer) = timed(&r.http, &base, "", "GET", path, None).await;
        let (status, _) = answer.unwrap_or_else(|| panic!("{path}: no answer"));
        eprintln!("{path} while frozen: {status} in {took:?}");
        assert_eq!(status, expected, "{path}");
        assert!(took < Duration::from_millis(1_250), "{path} took {took:?}");
    }
    for task in inflight {
        let (path, (took, answer)) = task.await.unwrap();
        let (status, body) = answer.unwrap_or_else(|| panic!("{path}: no answer"));
        eprintln!("{path} while frozen: {status} in {took:?}");
        assert!(took < Duration::from_secs(10), "{path} took {took:?}");
        assert_eq!(status, 503, "{path}: {body}");
        let code = if path.starts_with("/v1/") {
            &body["error"]["code"]
        } else {
            &body["code"]
        };
        assert!(
            code == "STORAGE_UNAVAILABLE" || code == "SERVICE_UNAVAILABLE",
            "{path}: {body}"
        );
    }

    // a minute of it, then the database answers again
    let rest = Duration::from_secs(60).saturating_sub(frozen_at.elapsed());
    tokio::time::sleep(rest).await;
    signal("CONT", &pids);
    let thawed = Instant::now();

    // service resumes by itself, on every replica, with nothing acknowledged lost
    for i in 0..3 {
        loop {
            let (status, _) = r.call(i, "GET", "/api/v1/calls?per_page=1", None).await;
            if status == 200 {
                break;
            }
            assert!(
                thawed.elapsed() < Duration::from_secs(30),
                "replica {i} did not resume: {status}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    eprintln!(
        "every replica answers again {:?} after SIGCONT",
        thawed.elapsed()
    );
    for i in 0..3_usize {
        let ext = format!("after-{i}");
        let (status, body) = r
            .call(
                i,
                "POST",
                "/api/v1/calls",
                Some(inbound("+442079460958", 1_704_200_000, &ext)),
            )
            .await;
        assert_eq!(status, 201, "replica {i} after the freeze: {body}");
        acked.insert(ext);
    }
    for i in 0..3 {
        let seen: HashSet<String> = all_calls(&r.http, &r.base(i), &r.token)
            .await
            .iter()
            .filter_map(|c| c["external_id"].as_str().map(str::to_owned))
            .collect();
        let lost: Vec<_> = acked.difference(&seen).collect();
        assert!(lost.is_empty(), "replica {i} lost {lost:?}");
    }
}
