//! Bad requests get coded errors; panics become 500s; the server keeps serving.

use axum::routing::get;
use dialback_server::app::Settings;
use serde_json::json;

use crate::harness::Server;

#[tokio::test]
async fn malformed_wrong_type_too_large_unknown() {
    let s = Server::start().await;
    let post = |body: &'static str, ctype: &'static str| {
        s.http
            .post(format!("{}/api/v1/agents", s.base))
            .bearer_auth(&s.token)
            .header("content-type", ctype)
            .body(body)
            .send()
    };
    let res = post("{\"name\": ", "application/json").await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["code"],
        "INVALID_JSON"
    );
    let res = post("name=x", "application/x-www-form-urlencoded")
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 415);
    let res = post("[1, 2]", "application/json").await.unwrap();
    assert_eq!(
        (
            res.status().as_u16(),
            res.json::<serde_json::Value>().await.unwrap()["code"].clone()
        ),
        (422, json!("INVALID_BODY"))
    );

    let big = format!(
        "{{\"name\": \"{}\", \"direction\": \"inbound\"}}",
        "x".repeat(1 << 20)
    );
    let res = s
        .http
        .post(format!("{}/api/v1/agents", s.base))
        .bearer_auth(&s.token)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["code"],
        "PAYLOAD_TOO_LARGE"
    );

    let (status, body) = s.call("GET", "/api/v1/nothing", None).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("NOT_FOUND")));
    let (status, body) = s.call("DELETE", "/api/v1/agents", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (405, Some("METHOD_NOT_ALLOWED"))
    );
    let (status, _) = s.call("GET", "/", None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_and_the_server_lives_on() {
    async fn boom() -> &'static str {
        panic!("deliberate")
    }
    let s = Server::start_with(Settings::default(), |r| r.route("/test/panic", get(boom))).await;
    let (status, body) = s.call("GET", "/test/panic", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (500, Some("INTERNAL_ERROR"))
    );
    let (status, _) = s.call("GET", "/api/v1/agents", None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn import_limit_is_configurable() {
    let settings = Settings {
        import_limit: 1_000,
        ..Settings::default()
    };
    let s = Server::start_with(settings, |r| r).await;
    let res = s
        .http
        .post(format!("{}/api/v1/calls/import", s.base))
        .bearer_auth(&s.token)
        .header("content-type", "application/x-ndjson")
        .body("x".repeat(2_000))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413);
}

#[tokio::test]
async fn concurrent_writers_never_see_busy_and_counts_are_exact() {
    let s = std::sync::Arc::new(Server::start().await);
    let sales = s.agent("Sales", "outbound", &[]).await;
    let mut tasks = vec![];
    for client in 0..8 {
        let (s, sales) = (s.clone(), sales.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..500 {
                let body = json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958",
                    "started_at": "2024-01-01T10:00:00Z", "status": "completed",
                    "duration_seconds": 1, "external_id": format!("c{client}-{i}")});
                let (status, body) = s.call("POST", "/api/v1/calls", Some(body)).await;
                assert_eq!(status, 201, "{body}");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let ids: std::collections::HashSet<String> = s
        .all_calls()
        .await
        .iter()
        .map(|c| c["external_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 4_000);
}

/// A hostile import: 64 MiB without a line break. The line limit refuses it as one line
/// (scanning each byte once, however the body is chunked), stores nothing, and the server
/// goes on serving. Regression: the line was rescanned from its first byte on every chunk.
#[tokio::test]
async fn an_import_line_without_end_is_refused_as_one_line() {
    let s = Server::start().await;
    let body = vec![b'x'; 64 << 20];
    let started = std::time::Instant::now();
    let res = s
        .http
        .post(format!("{}/api/v1/calls/import", s.base))
        .bearer_auth(&s.token)
        .header("content-type", "application/x-ndjson")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let report: serde_json::Value = res.json().await.unwrap();
    eprintln!(
        "64 MiB without a line break: refused in {:?}",
        started.elapsed()
    );
    let d = &report["data"];
    assert_eq!(
        (d["created"].as_u64(), d["rejected"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(d["rejections"][0]["line"], 1);
    assert_eq!(d["rejections"][0]["errors"][0]["code"], "LINE_TOO_LONG");
    assert!(s.all_calls().await.is_empty());
}
