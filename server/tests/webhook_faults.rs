//! Webhooks under faults: `kill -9` of the real binary during a burst loses no event of an
//! acknowledged call, three replicas on PostgreSQL deliver every event, none twice, and a
//! receiver down for a minute gets every event when it is back.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{Binary, TempDir, request};
use crate::replicas::Replicas;
use crate::webhooks::{Received, Receiver};

/// What the binary needs to deliver to a receiver on 127.0.0.1, retrying soon.
const VARS: &[(&str, &str)] = &[
    ("DIALBACK_WEBHOOK_ALLOW_PRIVATE", "true"),
    ("DIALBACK_WEBHOOK_FIRST_RETRY_MS", "200"),
];

fn call_body(i: usize) -> Value {
    json!({"direction": "inbound", "from": "+15005550006", "to": "+14155550111",
        "started_at": "2026-12-01T10:00:00Z", "status": "completed", "duration_seconds": 5,
        "external_id": format!("burst-{i}")})
}

/// `(call id, X-Webhook-ID)` of every `agent.call_ended` the receiver got.
fn call_ended(got: &[Received]) -> Vec<(String, String)> {
    got.iter()
        .filter_map(|r| {
            let body = r.json();
            (body["event"] == "agent.call_ended").then(|| {
                (
                    body["data"]["callId"].as_str().unwrap().to_owned(),
                    r.header("x-webhook-id"),
                )
            })
        })
        .collect()
}

async fn wait_until(receiver: &Receiver, want: &HashSet<String>, secs: u64) -> Vec<Received> {
    let until = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let got = receiver.received();
        let seen: HashSet<String> = call_ended(&got).into_iter().map(|(c, _)| c).collect();
        if want.is_subset(&seen) || std::time::Instant::now() > until {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn kill_9_during_a_burst_loses_no_event_of_an_acknowledged_call() {
    let receiver = Receiver::start().await;
    // slow enough that attempts are in flight when the server dies
    receiver
        .delay_ms
        .store(20, std::sync::atomic::Ordering::Relaxed);
    let dir = TempDir::new();
    let db = dir.db();
    let token = Binary::create_env(&db, "burst");
    let mut server = Binary::start(&db, &dir.0.join("1.log"), VARS);
    let http = reqwest::Client::new();
    let (s, _) = request(
        &http,
        &server.base,
        &token,
        "POST",
        "/api/v1/agents",
        Some(json!({"name": "Line", "direction": "inbound", "phone_numbers": ["+14155550111"]})),
    )
    .await;
    assert_eq!(s, 200);
    let (s, body) = request(
        &http,
        &server.base,
        &token,
        "POST",
        "/v1/webhooks",
        Some(json!({"url": receiver.url, "timeout": 5})),
    )
    .await;
    assert_eq!(s, 200, "{body}");

    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut writers = vec![];
    for w in 0..4 {
        let (http, base, token, acked) = (
            http.clone(),
            server.base.clone(),
            token.clone(),
            acked.clone(),
        );
        writers.push(tokio::spawn(async move {
            for i in (w..1_000).step_by(4) {
                let res = http
                    .post(format!("{base}/api/v1/calls"))
                    .bearer_auth(&token)
                    .json(&call_body(i))
                    .send()
                    .await;
                let Ok(res) = res else { break };
                if res.status().as_u16() != 201 {
                    break;
                }
                let Ok(body) = res.json::<Value>().await else {
                    break;
                };
                acked
                    .lock()
                    .unwrap()
                    .insert(body["data"]["id"].as_str().unwrap().to_owned());
            }
        }));
    }
    let started = std::time::Instant::now();
    while acked.lock().unwrap().len() < 300 && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.child.kill().unwrap(); // SIGKILL, mid-burst
    server.child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 300 && acked.len() < 1_000,
        "{} acknowledged",
        acked.len()
    );

    // after the restart, every acknowledged call's event arrives (leases of the attempts the
    // kill cut short end after the webhook's timeout and 15 s)
    let mut server = Binary::start(&db, &dir.0.join("2.log"), VARS);
    let got = wait_until(&receiver, &acked, 90).await;
    let ended = call_ended(&got);
    let seen: HashSet<&String> = ended.iter().map(|(c, _)| c).collect();
    let lost: Vec<&String> = acked.iter().filter(|c| !seen.contains(c)).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged calls' events lost, e.g. {:?}",
        lost.len(),
        lost.first()
    );
    // a call delivered twice was one delivery sent twice: the same id
    let mut ids: HashMap<&String, HashSet<&String>> = HashMap::new();
    for (call, id) in &ended {
        ids.entry(call).or_default().insert(id);
    }
    assert!(
        ids.values().all(|s| s.len() == 1),
        "a duplicate with another X-Webhook-ID"
    );
    let duplicates = ended.len() - ids.len();
    eprintln!(
        "{} acknowledged, {} delivered, {duplicates} delivered again",
        acked.len(),
        ids.len()
    );
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

#[tokio::test]
async fn three_replicas_deliver_every_event_once() {
    let Some(replicas) = Replicas::start_with(3, VARS) else {
        return;
    };
    let receiver = Receiver::start().await;
    let (s, _) = replicas
        .call(
            0,
            "POST",
            "/api/v1/agents",
            Some(
                json!({"name": "Line", "direction": "inbound", "phone_numbers": ["+14155550111"]}),
            ),
        )
        .await;
    assert_eq!(s, 200);
    let (s, body) = replicas
        .call(
            1,
            "POST",
            "/v1/webhooks",
            Some(json!({"url": receiver.url})),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let mut want = HashSet::new();
    for i in 0..300 {
        let (s, body) = replicas
            .call(i, "POST", "/api/v1/calls", Some(call_body(i)))
            .await;
        assert_eq!(s, 201, "{body}");
        want.insert(body["data"]["id"].as_str().unwrap().to_owned());
    }
    let got = wait_until(&receiver, &want, 60).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got = if receiver.received().len() > got.len() {
        receiver.received()
    } else {
        got
    };
    let ended = call_ended(&got);
    let calls: HashSet<&String> = ended.iter().map(|(c, _)| c).collect();
    assert_eq!(calls.len(), 300, "every event delivered");
    assert_eq!(ended.len(), 300, "and none twice");
    drop(replicas);
}

/// A receiver down for 60 s (nothing listening), then back on its port: every event arrives,
/// each delivery's attempts and its last answer in the log.
#[tokio::test]
async fn a_receiver_down_for_a_minute_gets_every_event_when_it_is_back() {
    let settings = crate::webhooks::settings(50);
    let server = crate::webhooks::server(settings).await;
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let agent = server.agent("Line", "inbound", &["+14155550111"]).await;
    let (s, body) = server
        .call(
            "POST",
            &format!("/api/v1/agents/{agent}/webhooks"),
            Some(json!({"webhook_url": format!("http://127.0.0.1:{port}/h"),
                "events": ["event_phone_call_ended"], "max_retries": 10})),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    let hook = body["data"]["id"].as_str().unwrap().to_owned();
    let mut want = HashSet::new();
    for i in 0..20 {
        let (s, call) = server
            .call("POST", "/api/v1/calls", Some(call_body(i)))
            .await;
        assert_eq!(s, 201, "{call}");
        want.insert(call["data"]["id"].as_str().unwrap().to_owned());
    }
    tokio::time::sleep(Duration::from_secs(60)).await;
    // retries are visible while it is down
    let (_, log) = server
        .call(
            "GET",
            &format!("/v1/webhooks/deliveries?webhookId={hook}"),
            None,
        )
        .await;
    for d in log["items"].as_array().unwrap() {
        assert_eq!(d["status"], "pending", "{d}");
        assert!(d["attemptCount"].as_u64().unwrap() >= 4, "{d}");
        assert!(
            d["errorMessage"].as_str().unwrap().contains("connect"),
            "{d}"
        );
    }
    let receiver = Receiver::start_on(port).await;
    let got = receiver.wait_for(want.len(), 60).await;
    let calls: HashSet<String> = got
        .iter()
        .map(|r| r.json()["data"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(calls, want, "every event arrives");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, log) = server
        .call(
            "GET",
            &format!("/v1/webhooks/deliveries?webhookId={hook}"),
            None,
        )
        .await;
    for d in log["items"].as_array().unwrap() {
        assert_eq!(
            (d["status"].as_str(), d["httpStatus"].as_u64()),
            (Some("delivered"), Some(200)),
            "{d}"
        );
        assert!(d["attemptCount"].as_u64().unwrap() >= 5, "{d}");
    }
}
