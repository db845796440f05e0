//! Webhooks over HTTP, against a receiver the test runs: both APIs' configuration endpoints,
//! deliveries signed as AgentPhone documents, retries, the receiver rule, a slow receiver,
//! the delivery log and the usage counters.

use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use dialback_core::webhook::signature::verify;
use dialback_server::app::Settings;
use dialback_server::webhooks::WebhookSettings;
use serde_json::{Value, json};

use crate::harness::Server;

/// One delivery as the receiver got it.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: std::time::Instant,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }
    /// Checks the signature as a receiver would, with the core's verifier.
    pub fn verified(&self, secret: &str) -> bool {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        verify(
            secret,
            &self.header("x-webhook-timestamp"),
            &self.body,
            &self.header("x-webhook-signature"),
            now,
        )
        .is_ok()
    }
}

/// A receiver on 127.0.0.1: answers `status` after `delay_ms`, keeps what it got.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Received>>>,
    pub status: Arc<AtomicU16>,
    pub delay_ms: Arc<AtomicU64>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        Receiver::start_on(0).await
    }

    /// A receiver on a given port of 127.0.0.1 (0: any free one).
    pub async fn start_on(port: u16) -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let status = Arc::new(AtomicU16::new(200));
        let delay_ms = Arc::new(AtomicU64::new(0));
        let (g, s, d) = (got.clone(), status.clone(), delay_ms.clone());
        let app = axum::Router::new().fallback(move |headers: HeaderMap, body: Bytes| {
            let (g, s, d) = (g.clone(), s.clone(), d.clone());
            async move {
                let at = std::time::Instant::now();
                let wait = d.load(Ordering::Relaxed);
                if wait > 0 {
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                }
                let code = s.load(Ordering::Relaxed);
                g.lock().unwrap().push(Received { headers, body, at });
                (StatusCode::from_u16(code).unwrap(), "thanks")
            }
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver {
            url,
            got,
            status,
            delay_ms,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until at least `n` deliveries arrived (at most `secs`).
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let until = std::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.received();
            if got.len() >= n || std::time::Instant::now() > until {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Settings for a server that may deliver to loopback receivers, retrying after `first_ms`.
pub fn settings(first_ms: u64) -> Settings {
    Settings {
        webhooks: WebhookSettings {
            allow_private: true,
            first_wait_ms: first_ms,
            poll: Duration::from_millis(50),
            ..WebhookSettings::default()
        },
        ..Settings::default()
    }
}

/// A server with its dispatcher running.
pub async fn server(settings: Settings) -> Server {
    let server = Server::start_with(settings, |r| r).await;
    tokio::spawn(dialback_server::webhooks::run(server.app.clone()));
    server
}

async fn call(server: &Server, to: &str, from: &str, ext: &str, status: &str) -> Value {
    let (code, body) = server
        .call(
            "POST",
            "/api/v1/calls",
            Some(json!({"direction": "inbound", "from": from, "to": to,
                "started_at": "2026-12-01T10:00:00Z", "status": status,
                "duration_seconds": 42, "external_id": ext})),
        )
        .await;
    assert_eq!(code, 201, "{body}");
    body
}

#[tokio::test]
async fn the_project_webhook_gets_every_call_signed_as_agentphone_documents() {
    let receiver = Receiver::start().await;
    let server = server(settings(50)).await;
    let (handler, _) = server.callback_setup("Source", None).await;
    let (status, hook) = server
        .call(
            "POST",
            "/v1/webhooks",
            Some(json!({"url": receiver.url, "contextLimit": 5})),
        )
        .await;
    assert_eq!(status, 200, "{hook}");
    let secret = hook["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{hook}");
    assert_eq!(hook["status"], "active");
    assert_eq!(hook["contextLimit"], 5);
    assert_eq!(hook["timeout"], 30);
    // GET shows the same webhook, secret included
    let (_, got) = server.call("GET", "/v1/webhooks", None).await;
    assert_eq!(got["secret"], secret.as_str());

    let stored = call(&server, "+14155550100", "+15005550006", "CA-1", "completed").await;
    let got = receiver.wait_for(2, 10).await;
    assert_eq!(got.len(), 2, "a callback routed and a call ended");
    for r in &got {
        assert!(r.verified(&secret), "signature of {:?}", r.body);
        assert!(r.header("x-webhook-id").starts_with("whd_"));
        assert_eq!(r.header("content-type"), "application/json");
    }
    let events: Vec<Value> = got.iter().map(Received::json).collect();
    let ended = events
        .iter()
        .find(|e| e["event"] == "agent.call_ended")
        .unwrap();
    assert_eq!(ended["channel"], "voice");
    assert_eq!(ended["agentId"], handler.as_str());
    let data = &ended["data"];
    assert_eq!(data["callId"], stored["data"]["id"]);
    assert_eq!(data["from"], "+15005550006");
    assert_eq!(data["to"], "+14155550100");
    assert_eq!(data["direction"], "inbound");
    assert_eq!(data["status"], "completed");
    assert_eq!(data["durationSeconds"], 42);
    assert_eq!(data["startedAt"], "2026-12-01T10:00:00Z");
    assert_eq!(data["endedAt"], "2026-12-01T10:00:42Z");
    assert_eq!(data["callSuccessful"], true);
    assert_eq!(
        data["numberId"],
        server.number_id("+14155550100").await.as_str()
    );
    let routed = events
        .iter()
        .find(|e| e["event"] == "agent.callback_routed")
        .unwrap();
    assert_eq!(routed["data"]["routing"]["outcome"], "unmatched");
    assert_eq!(routed["data"]["routing"]["reason_code"], "NO_OUTBOUND_CALL");

    // the log shows both, delivered at the first attempt
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, log) = server.call("GET", "/v1/webhooks/deliveries", None).await;
    assert_eq!(status, 200, "{log}");
    assert_eq!(log["total"], 2);
    for d in log["items"].as_array().unwrap() {
        assert_eq!(d["status"], "delivered", "{d}");
        assert_eq!(d["attemptCount"], 1);
        assert_eq!(d["httpStatus"], 200);
        assert_eq!(d["statusCode"], 200);
        assert_eq!(d["success"], true);
        assert_eq!(d["responseBody"], "thanks");
    }
    assert_eq!(log["items"], log["data"]);
    let ids: Vec<&str> = got
        .iter()
        .map(|r| r.headers["x-webhook-id"].to_str().unwrap())
        .collect();
    for d in log["items"].as_array().unwrap() {
        assert!(ids.contains(&d["id"].as_str().unwrap()));
    }
    // usage counts them
    let (_, usage) = server.call("GET", "/v1/usage", None).await;
    assert_eq!(usage["stats"]["totalWebhookDeliveries"], 2, "{usage}");
    assert_eq!(usage["stats"]["successfulWebhookDeliveries"], 2);
    assert_eq!(usage["stats"]["failedWebhookDeliveries"], 0);
    let (_, stats) = server
        .call("GET", "/v1/webhooks/deliveries/stats", None)
        .await;
    assert_eq!(stats["total"], 2, "{stats}");
    assert_eq!(stats["successRate"], 100.0);
    assert_eq!(stats["byEventType"]["agent.call_ended"]["success"], 1);
}

#[tokio::test]
async fn an_agents_own_webhook_replaces_the_projects_for_its_events() {
    let project = Receiver::start().await;
    let own = Receiver::start().await;
    let server = server(settings(50)).await;
    let a = server.agent("A", "inbound", &["+14155550111"]).await;
    server.agent("B", "inbound", &["+14155550122"]).await;
    let (s, _) = server
        .call("POST", "/v1/webhooks", Some(json!({"url": project.url})))
        .await;
    assert_eq!(s, 200);
    let (s, body) = server
        .call(
            "POST",
            &format!("/v1/agents/{a}/webhook"),
            Some(json!({"url": own.url})),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    call(&server, "+14155550111", "+15005550006", "CA-a", "completed").await;
    call(&server, "+14155550122", "+15005550006", "CA-b", "completed").await;
    own.wait_for(1, 10).await;
    project.wait_for(1, 10).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(own.received().len(), 1);
    assert_eq!(project.received().len(), 1);
    assert_eq!(own.received()[0].json()["agentId"], a.as_str());
    // the agent's log is a bare array of its own deliveries
    let (s, log) = server
        .call("GET", &format!("/v1/agents/{a}/webhook/deliveries"), None)
        .await;
    assert_eq!(s, 200, "{log}");
    assert_eq!(log.as_array().unwrap().len(), 1);
    // deleting it falls back to the project's
    let (s, body) = server
        .call("DELETE", &format!("/v1/agents/{a}/webhook"), None)
        .await;
    assert_eq!((s, body), (200, json!({"success": true})));
    let (_, none) = server
        .call("GET", &format!("/v1/agents/{a}/webhook"), None)
        .await;
    assert_eq!(none, Value::Null);
    call(
        &server,
        "+14155550111",
        "+15005550006",
        "CA-a2",
        "completed",
    )
    .await;
    project.wait_for(2, 10).await;
    assert_eq!(project.received().len(), 2);
}

#[tokio::test]
async fn a_loopback_receiver_is_refused_unless_private_receivers_are_allowed() {
    let receiver = Receiver::start().await;
    let server = server(Settings::default()).await;
    let (s, body) = server
        .call("POST", "/v1/webhooks", Some(json!({"url": receiver.url})))
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["detail"][0]["loc"], json!(["body", "url"]));
    let a = server.agent("A", "inbound", &["+14155550111"]).await;
    for url in [
        "http://localhost:9/h",
        "http://169.254.169.254/latest",
        "http://[::1]:80/",
        "http://10.1.2.3/x",
    ] {
        let (s, body) = server
            .call(
                "POST",
                &format!("/api/v1/agents/{a}/webhooks"),
                Some(json!({"webhook_url": url, "events": ["event_phone_call_ended"]})),
            )
            .await;
        assert_eq!(s, 422, "{url}: {body}");
        assert_eq!(body["code"], "WEBHOOK_URL_NOT_PUBLIC", "{body}");
    }
    let (s, body) = server
        .call(
            "POST",
            "/v1/webhooks",
            Some(json!({"url": "ftp://example.com/x"})),
        )
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["detail"][0]["type"], "url_parsing");
}

#[tokio::test]
async fn a_failing_receiver_is_retried_with_the_same_id_until_it_answers() {
    let receiver = Receiver::start().await;
    receiver.status.store(503, Ordering::Relaxed);
    let server = server(settings(100)).await;
    server.agent("A", "inbound", &["+14155550111"]).await;
    server
        .call("POST", "/v1/webhooks", Some(json!({"url": receiver.url})))
        .await;
    call(&server, "+14155550111", "+15005550006", "CA-1", "completed").await;
    receiver.wait_for(2, 10).await;
    // pending, with the failure and the next retry in the log
    let (_, log) = server.call("GET", "/v1/webhooks/deliveries", None).await;
    let d = &log["items"][0];
    assert_eq!(d["status"], "pending", "{d}");
    assert_eq!(d["httpStatus"], 503);
    assert!(d["nextRetryAt"].is_string(), "{d}");
    assert!(d["errorMessage"].as_str().unwrap().contains("503"));
    receiver.status.store(200, Ordering::Relaxed);
    let got = receiver.wait_for(3, 20).await;
    let ids: std::collections::HashSet<String> =
        got.iter().map(|r| r.header("x-webhook-id")).collect();
    assert_eq!(ids.len(), 1, "every attempt carries the same id");
    let bodies: std::collections::HashSet<Bytes> = got.iter().map(|r| r.body.clone()).collect();
    assert_eq!(bodies.len(), 1, "every attempt carries the same body");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (_, log) = server.call("GET", "/v1/webhooks/deliveries", None).await;
    let d = &log["items"][0];
    assert_eq!(d["status"], "delivered", "{d}");
    assert_eq!(d["attemptCount"], got.len());
    assert!(d["nextRetryAt"].is_null());
}

#[tokio::test]
async fn a_receiver_that_never_answers_2xx_fails_after_its_attempts() {
    let receiver = Receiver::start().await;
    receiver.status.store(500, Ordering::Relaxed);
    let server = server(settings(5)).await;
    let a = server.agent("A", "inbound", &["+14155550111"]).await;
    let (s, body) = server
        .call(
            "POST",
            &format!("/api/v1/agents/{a}/webhooks"),
            Some(
                json!({"webhook_url": receiver.url, "events": ["event_phone_call_ended"],
                    "max_retries": 2}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    call(&server, "+14155550111", "+15005550006", "CA-1", "busy").await;
    // 3 attempts: 5 ms, then 30 ms apart (and jitter)
    let got = receiver.wait_for(3, 10).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 3, "{got:?}");
    let (_, usage) = server.call("GET", "/v1/usage", None).await;
    assert_eq!(usage["stats"]["totalWebhookDeliveries"], 1, "{usage}");
    assert_eq!(usage["stats"]["failedWebhookDeliveries"], 1);
    let (_, daily) = server.call("GET", "/v1/usage/daily?days=3", None).await;
    let total: u64 = daily["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["webhooks"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 1, "{daily}");
    let (_, monthly) = server.call("GET", "/v1/usage/monthly?months=1", None).await;
    assert_eq!(monthly["data"][0]["webhooks"], 1, "{monthly}");
    // Talkover's body: the call as /api/v1/calls lists it, under Talkover's keys
    let body = got[0].json();
    assert_eq!(body["event"], "event_phone_call_ended");
    assert_eq!(body["agent_id"], a.as_str());
    assert_eq!(body["agent_name"], "A");
    assert_eq!(body["data"]["status"], "busy");
    assert!(body["timestamp"].as_str().unwrap().ends_with(".000Z"));
    // unsigned: no webhook_secret was given
    assert!(got[0].headers.get("x-webhook-signature").is_none());
}

#[tokio::test]
async fn a_slow_receiver_delays_no_other_receiver_and_no_request() {
    let slow = Receiver::start().await;
    slow.delay_ms.store(4_000, Ordering::Relaxed);
    let fast = Receiver::start().await;
    let server = server(settings(1_000)).await;
    let a = server.agent("A", "inbound", &["+14155550111"]).await;
    let b = server.agent("B", "inbound", &["+14155550122"]).await;
    for (agent, url) in [(&a, &slow.url), (&b, &fast.url)] {
        let (s, body) = server
            .call(
                "POST",
                &format!("/v1/agents/{agent}/webhook"),
                Some(json!({"url": url, "timeout": 5})),
            )
            .await;
        assert_eq!(s, 200, "{body}");
    }
    let started = std::time::Instant::now();
    for i in 0..30 {
        call(
            &server,
            "+14155550111",
            "+15005550006",
            &format!("CA-s{i}"),
            "completed",
        )
        .await;
        call(
            &server,
            "+14155550122",
            "+15005550006",
            &format!("CA-f{i}"),
            "completed",
        )
        .await;
    }
    let requests = started.elapsed();
    assert!(
        requests < Duration::from_secs(3),
        "60 requests took {requests:?}"
    );
    let got = fast.wait_for(30, 10).await;
    assert_eq!(got.len(), 30);
    let last = got.iter().map(|r| r.at).max().unwrap();
    assert!(
        last - started < Duration::from_secs(3),
        "the fast receiver waited {:?}",
        last - started
    );
    // the slow one is being worked through, a few at a time
    assert!(slow.received().len() <= 8);
}

#[tokio::test]
async fn talkover_webhooks_are_created_listed_changed_toggled_tested_and_deleted() {
    let receiver = Receiver::start().await;
    let server = server(settings(50)).await;
    let a = server.agent("Support", "inbound", &["+14155550111"]).await;
    let base = format!("/api/v1/agents/{a}/webhooks");
    let (s, created) = server
        .call(
            "POST",
            &base,
            Some(json!({
            "name": "My Webhook", "webhook_url": receiver.url,
            "webhook_secret": "optional_secret_for_hmac",
            "events": ["event_phone_call_started", "event_phone_call_ended"],
            "timeout": 30, "max_retries": 3, "enabled": true,
            "custom_headers": [{"key": "X-Team", "value": "ops"}]})),
        )
        .await;
    assert_eq!(s, 201, "{created}");
    assert_eq!(created["success"], true);
    assert_eq!(created["message"], "Webhook created successfully");
    let hook = &created["data"];
    for key in [
        "id",
        "agent_id",
        "name",
        "webhook_url",
        "events",
        "timeout",
        "max_retries",
        "enabled",
        "created_at",
        "updated_at",
        "events_count",
        "status",
        "http_method",
        "authorization_scheme",
        "custom_headers",
    ] {
        assert!(hook.get(key).is_some(), "{key} in {hook}");
    }
    assert!(hook.get("webhook_secret").is_none());
    assert_eq!(hook["events_count"], 2);
    assert_eq!(hook["status"], "active");
    assert!(hook["created_at"].as_str().unwrap().ends_with(".000000Z"));
    let id = hook["id"].as_str().unwrap().to_owned();

    let (s, list) = server.call("GET", &base, None).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["data"]["webhooks"][0]["id"], id.as_str());
    assert!(list["data"]["available_events"]["event_phone_call_ended"].is_string());
    assert!(list["data"]["available_events"]["event_callback_routed"].is_string());

    let (s, one) = server.call("GET", &format!("{base}/{id}"), None).await;
    assert_eq!((s, &one["data"]["id"]), (200, &json!(id)));

    let (s, updated) = server
        .call(
            "PUT",
            &format!("{base}/{id}"),
            Some(json!({"name": "Renamed", "max_retries": 5})),
        )
        .await;
    assert_eq!(s, 200, "{updated}");
    assert_eq!(updated["message"], "Webhook updated successfully");
    assert_eq!(updated["data"]["name"], "Renamed");
    assert_eq!(updated["data"]["max_retries"], 5);

    let (s, toggled) = server
        .call("PATCH", &format!("{base}/{id}/toggle"), None)
        .await;
    assert_eq!((s, &toggled["message"]), (200, &json!("Webhook disabled")));
    assert_eq!(toggled["data"]["status"], "disabled");
    // a disabled webhook receives no events
    call(&server, "+14155550111", "+15005550006", "CA-1", "completed").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(receiver.received().is_empty());
    let (_, toggled) = server
        .call("PATCH", &format!("{base}/{id}/toggle"), None)
        .await;
    assert_eq!(toggled["message"], "Webhook enabled");

    let (s, tested) = server
        .call("POST", &format!("{base}/{id}/test"), None)
        .await;
    assert_eq!(s, 200, "{tested}");
    assert_eq!(tested["message"], "Test webhook sent successfully");
    assert_eq!(tested["data"]["status_code"], 200);
    assert!(tested["data"]["response_time"].is_u64());
    let got = receiver.wait_for(1, 5).await;
    let test = got[0].json();
    assert_eq!(test["event"], "webhook.test");
    assert_eq!(test["test"], true);
    assert_eq!(test["agent_name"], "Support");
    assert_eq!(test["webhook_name"], "Renamed");
    assert!(got[0].verified("optional_secret_for_hmac"));
    assert_eq!(got[0].header("x-team"), "ops");

    let (s, body) = server
        .call(
            "PUT",
            &format!("{base}/{id}"),
            Some(json!({"events": ["nope"]})),
        )
        .await;
    assert_eq!(
        (s, &body["code"]),
        (422, &json!("INVALID_EVENTS")),
        "{body}"
    );
    assert!(body["errors"]["events"].is_array(), "{body}");
    let (s, body) = server
        .call(
            "GET",
            "/api/v1/agents/9fbef0b7-8d4e-4a08-9207-66c22155721d/webhooks",
            None,
        )
        .await;
    assert_eq!(
        (s, &body["message"]),
        (404, &json!("Agent not found in this environment."))
    );
    let (s, body) = server
        .call(
            "POST",
            &format!("{base}/00000000-0000-0000-0000-000000000000/test"),
            None,
        )
        .await;
    assert_eq!(
        (s, &body["message"], &body["success"]),
        (404, &json!("Webhook not found."), &json!(false))
    );

    let (s, body) = server.call("DELETE", &format!("{base}/{id}"), None).await;
    assert_eq!(s, 200, "{body}");
    let (s, _) = server.call("GET", &format!("{base}/{id}"), None).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn agentphone_tests_answer_both_clients_and_read_only_tokens_cannot_configure() {
    let receiver = Receiver::start().await;
    let server = server(settings(50)).await;
    let (s, body) = server.call("POST", "/v1/webhooks/test", None).await;
    assert_eq!(s, 404, "no webhook yet: {body}");
    server
        .call("POST", "/v1/webhooks", Some(json!({"url": receiver.url})))
        .await;
    let (s, body) = server
        .call(
            "POST",
            "/v1/webhooks/test",
            Some(json!({"message": "hello", "channel": "mms"})),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    for key in [
        "success",
        "httpStatus",
        "errorMessage",
        "statusCode",
        "responseMs",
        "error",
    ] {
        assert!(body.get(key).is_some(), "{key} in {body}");
    }
    assert_eq!(body["success"], true);
    let got = receiver.wait_for(1, 5).await;
    let event = got[0].json();
    assert_eq!(event["test"], true);
    assert_eq!(event["event"], "agent.message");
    assert_eq!(event["channel"], "mms");
    assert_eq!(event["data"]["message"], "hello");
    // a test is in the log, not in usage
    let (_, log) = server.call("GET", "/v1/webhooks/deliveries", None).await;
    assert_eq!(log["total"], 1);
    let (_, usage) = server.call("GET", "/v1/usage", None).await;
    assert_eq!(usage["stats"]["totalWebhookDeliveries"], 0);

    let read_only = crate::harness::waits(|| {
        let env = server.app.env_named("test").unwrap().unwrap();
        let token = dialback_server::auth::NewToken {
            label: "viewer".into(),
            scope: dialback_server::auth::Scope::Read,
            expires_at: None,
        };
        server.app.issue_token(env.id, &token, false).unwrap().1
    });
    let (s, body) = server
        .call_as(&read_only, "DELETE", "/v1/webhooks", None)
        .await;
    assert_eq!(s, 403, "{body}");
    let (s, _) = server
        .call_as(&read_only, "GET", "/v1/webhooks", None)
        .await;
    assert_eq!(s, 200);
}
