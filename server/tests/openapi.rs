//! The OpenAPI document against the router and the committed `openapi.json`.

use dialback_server::app::Settings;
use dialback_server::http::openapi::document;

use crate::harness::Server;

fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// What the router itself answers for a path or method it has no handler for: a 405, or a 404
/// from one of the fallbacks (Talkover's `NOT_FOUND`, AgentPhone's bare `Not Found`, the
/// console's page that is not there).
async fn fallback_answered(res: reqwest::Response) -> Option<String> {
    let status = res.status().as_u16();
    let body = res.text().await.unwrap_or_default();
    let from_fallback = status == 405
        || (status == 404
            && (body.contains("no such endpoint")
                || body.contains("no such page")
                || body.contains(r#""detail":"Not Found""#)));
    from_fallback.then(|| format!("{status} {body}"))
}

/// The document and the router are one table (`openapi::operations`): every operation it
/// describes reaches a handler. Asked with its method, made-up ids and no body, none is
/// answered by the router's fallbacks; a path the table lacks is.
#[tokio::test]
async fn every_documented_operation_reaches_a_handler() {
    let mut settings = Settings::default();
    settings.webhooks.demo_receiver = true;
    settings.metrics_on_main = true;
    let s = Server::start_with(settings, |r| r).await;
    let id = "00000000-0000-4000-8000-000000000000";
    let paths = document()["paths"].as_object().unwrap();
    assert!(paths.len() > 40, "{}", paths.len());
    let mut asked = 0;
    for (path, item) in paths {
        let url = format!("{}{}", s.base, path)
            .replace("{id}", id)
            .replace("{webhook_id}", id)
            .replace("{source_id}", id)
            .replace("{phone_number}", "+14155550100");
        for method in item.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = s
                .http
                .request(method.clone(), &url)
                .bearer_auth(&s.token)
                .send()
                .await
                .unwrap();
            asked += 1;
            if path == "/api/v1/events" {
                // a stream: its status is enough
                assert_eq!(res.status().as_u16(), 200, "{method} {path}");
                continue;
            }
            if let Some(answer) = fallback_answered(res).await {
                panic!("{method} {path} is documented, but the router has no handler: {answer}");
            }
        }
    }
    assert!(asked > 100, "{asked}");
    // the probe tells a fallback when it sees one
    for (method, path) in [
        ("GET", "/api/v1/no-such-thing"),
        ("GET", "/v1/no-such-thing"),
        ("GET", "/no-such-thing"),
        ("DELETE", "/api/v1/callback-agents/stats"),
        ("PUT", "/v1/usage"),
    ] {
        let res = s
            .http
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{}{path}", s.base),
            )
            .bearer_auth(&s.token)
            .send()
            .await
            .unwrap();
        assert!(fallback_answered(res).await.is_some(), "{method} {path}");
    }
}

/// The routes served only where the settings say so are not served elsewhere.
#[tokio::test]
async fn the_demo_receiver_is_routed_only_with_demo() {
    let s = Server::start().await;
    let res = s
        .http
        .get(format!("{}/demo/webhooks", s.base))
        .send()
        .await
        .unwrap();
    assert!(fallback_answered(res).await.is_some());
}

#[test]
fn the_committed_document_is_what_the_code_generates() {
    let committed = std::fs::read_to_string(repo().join("openapi.json")).unwrap();
    let generated = serde_json::to_string_pretty(document()).unwrap() + "\n";
    assert!(
        committed == generated,
        "openapi.json is out of date: run `cargo xtask openapi` and commit the result"
    );
}

#[tokio::test]
async fn the_document_is_served_without_a_token() {
    let s = Server::start().await;
    let res = s
        .http
        .get(format!("{}/openapi.json", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let served: serde_json::Value = res.json().await.unwrap();
    assert_eq!(&served, document());
    assert_eq!(served["openapi"], "3.1.0");
}
