//! AgentPhone's webhooks received (`POST /hooks/agentphone/{source}`): what the official SDK's
//! scheme signs is accepted, a wrong signature, a stale timestamp, a missing header or a
//! replayed delivery is refused with nothing stored, a retry stores nothing twice; and across
//! platforms: outbound calls synced from Talkover, a callback that arrives by AgentPhone
//! webhook to a number synced from AgentPhone, MATCHED, with Dialback A's own webhooks
//! pointed at B so that the loop runs end to end.

use std::time::Duration;

use dialback_core::Timestamp;
use dialback_core::source::Platform;
use dialback_core::webhook::signature::sign;
use dialback_server::app::{Clock, Settings};
use dialback_server::sources::{self, Silent};
use dialback_server::store::sources::Source;
use serde_json::{Value, json};

use crate::harness::{Server, TempDir};
use crate::sync::{add_source, add_source_with};

/// The documented test vector: the SDK accepts this signature for this body at this time.
const SECRET: &str = "whsec_test_secret";
const AT: i64 = 1_736_942_400;
const BODY: &str = concat!(
    r#"{"event":"agent.message","channel":"sms","timestamp":"2025-01-15T12:00:00Z","#,
    r#""agentId":"agt_abc123","data":{"from":"+15559876543","to":"+15551234567","#,
    r#""message":"hi"}}"#
);
const SIGNATURE: &str = "sha256=04b1a13173c9f1a8f7b7d9f24992584916e24e089395b5df592f80c7869721de";

/// B's AgentPhone source taking webhooks signed with `secret` (kept in a file).
fn hooked_source(b: &Server, dir: &TempDir, base: &str, secret: &str) -> Source {
    let file = dir.0.join("whsec");
    std::fs::write(&file, secret).unwrap();
    add_source_with(b, dir, Platform::Agentphone, base, "unused", Some(&file))
}

async fn deliver(
    b: &Server,
    source: i64,
    id: &str,
    timestamp: &str,
    signature: &str,
    body: &str,
) -> (u16, Value) {
    let res = b
        .http
        .post(format!("{}/hooks/agentphone/{source}", b.base))
        .header("content-type", "application/json")
        .header("x-webhook-id", id)
        .header("x-webhook-timestamp", timestamp)
        .header("x-webhook-signature", signature)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn messages_today(b: &Server) -> Value {
    let (status, body) = b.call("GET", "/v1/usage/daily?days=1", None).await;
    assert_eq!(status, 200, "{body}");
    body["data"][0]["messages"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_sdks_scheme_is_accepted_and_nothing_else_stores_anything() {
    let settings = Settings {
        clock: Clock::Fixed(Timestamp::from_unix_seconds(AT).unwrap()),
        ..Settings::default()
    };
    let b = Server::start_with(settings, |r| r).await;
    let dir = TempDir::new();
    let source = hooked_source(&b, &dir, "http://127.0.0.1:9", SECRET);
    let ts = AT.to_string();

    // refused, with the reason, and nothing stored
    let wrong = sign("whsec_other", AT, BODY.as_bytes());
    let (status, body) = deliver(&b, source.id, "d1", &ts, &wrong, BODY).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("WEBHOOK_SIGNATURE_MISMATCH")),
        "{body}"
    );
    let stale = (AT - 301).to_string();
    let old = sign(SECRET, AT - 301, BODY.as_bytes());
    let (status, body) = deliver(&b, source.id, "d1", &stale, &old, BODY).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("WEBHOOK_STALE")),
        "{body}"
    );
    let (status, _) = deliver(&b, source.id, "", &ts, SIGNATURE, BODY).await;
    assert_eq!(status, 401);
    let (status, _) = deliver(&b, 999, "d1", &ts, SIGNATURE, BODY).await;
    assert_eq!(status, 404);
    assert_eq!(messages_today(&b).await, 0);

    // the documented vector: a message
    let (status, body) = deliver(&b, source.id, "d1", &ts, SIGNATURE, BODY).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["stored"]["message"].is_u64(), "{body}");
    assert_eq!(messages_today(&b).await, 1);
    // the very same request again (a replay inside the 300 s): refused, nothing stored
    let (status, body) = deliver(&b, source.id, "d1", &ts, SIGNATURE, BODY).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("WEBHOOK_REPLAYED")),
        "{body}"
    );
    assert_eq!(messages_today(&b).await, 1);
    // the platform retrying it (the same X-Webhook-ID, signed anew): acknowledged so that it
    // stops, nothing stored twice
    let later = (AT + 5).to_string();
    let resigned = sign(SECRET, AT + 5, BODY.as_bytes());
    let (status, body) = deliver(&b, source.id, "d1", &later, &resigned, BODY).await;
    assert_eq!((status, &body["duplicate"]), (200, &json!(true)), "{body}");
    assert_eq!(messages_today(&b).await, 1);
    // a test delivery is acknowledged and not recorded
    let test = concat!(
        r#"{"event":"agent.message","channel":"sms","test":true,"#,
        r#""timestamp":"2025-01-15T12:00:00Z","data":{}}"#
    );
    let (status, body) = deliver(
        &b,
        source.id,
        "t1",
        &ts,
        &sign(SECRET, AT, test.as_bytes()),
        test,
    )
    .await;
    assert_eq!((status, body["stored"].is_null()), (200, true), "{body}");
    assert_eq!(messages_today(&b).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_callback_by_agentphone_webhook_to_a_synced_number_matches_a_talkover_outbound_call() {
    // A1 plays Talkover: an outbound agent and its call to a contact an hour ago
    let a1 = Server::start().await;
    let sales = a1.agent("Sales", "outbound", &[]).await;
    let hour_ago = Timestamp::from_unix_seconds(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            - 3600,
    )
    .unwrap();
    let (status, body) = a1
        .call(
            "POST",
            "/api/v1/calls",
            Some(
                json!({"direction": "outbound", "agent_id": sales, "to": "+16285550123",
                        "started_at": hour_ago.to_string(), "status": "no_answer"}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    // A2 plays AgentPhone: an inbound agent on +14155550177, and its webhook pointed at B
    let a2 = crate::webhooks::server(crate::webhooks::settings(100)).await;
    let desk = a2.agent("Front desk", "inbound", &["+14155550177"]).await;

    let b = Server::start().await;
    let dir = TempDir::new();
    let talkover = add_source(&b, &dir, Platform::Talkover, &a1.base, &a1.token);
    let secret_file = dir.0.join("a2-whsec");
    let agentphone = add_source_with(
        &b,
        &dir,
        Platform::Agentphone,
        &a2.base,
        &a2.token,
        Some(&secret_file),
    );
    sources::run(&b.app, &talkover, &Silent).await.unwrap();
    sources::run(&b.app, &agentphone, &Silent).await.unwrap();
    // in B, the AgentPhone agent takes the Talkover agent's callbacks
    let (status, body) = b
        .call(
            "POST",
            &format!("/api/v1/agents/{desk}/callback"),
            Some(json!({"source_agent_ids": [sales]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // A2's webhook points at B's receiver; its secret goes where the source reads it
    let url = format!("{}/hooks/agentphone/{}", b.base, agentphone.id);
    let (status, hook) = a2
        .call("POST", "/v1/webhooks", Some(json!({"url": url})))
        .await;
    assert_eq!(status, 200, "{hook}");
    std::fs::write(&secret_file, hook["secret"].as_str().unwrap()).unwrap();

    // the contact calls back A2's number; A2 tells B
    let now = Timestamp::from_unix_seconds(hour_ago.unix_seconds() + 3000).unwrap();
    let (status, body) = a2
        .call(
            "POST",
            "/api/v1/calls",
            Some(
                json!({"direction": "inbound", "from": "+16285550123", "to": "+14155550177",
                        "started_at": now.to_string(), "status": "completed",
                            "duration_seconds": 42}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let mut routed = Value::Null;
    for _ in 0..100 {
        let (_, list) = b.call("GET", "/api/v1/calls?direction=inbound", None).await;
        if let Some(call) = list["data"].as_array().and_then(|a| a.first()) {
            routed = call.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, log) = a2.call("GET", "/v1/webhooks/deliveries", None).await;
    assert_eq!(
        routed["routing"]["reason_code"], "MATCHED",
        "{routed} {log}"
    );
    assert_eq!(
        routed["external_id"].as_str().unwrap().split(':').next(),
        Some("agentphone")
    );
    assert_eq!(routed["duration"], 42);
}
