//! Pages from an allowed origin can call the APIs from a browser; others cannot, and without
//! `--allow-origin` no origin is allowed.

use dialback_server::app::Settings;
use dialback_server::cors::AllowedOrigins;

use crate::harness::Server;

const APP: &str = "http://localhost:5173";

async fn preflight(s: &Server, path: &str, origin: &str) -> reqwest::Response {
    s.http
        .request(reqwest::Method::OPTIONS, format!("{}{path}", s.base))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_allowed_origin_may_call_both_apis_with_its_token() {
    let settings = Settings {
        allowed_origins: AllowedOrigins::parse(&[APP]).unwrap(),
        ..Settings::default()
    };
    let s = Server::start_with(settings, |r| r).await;
    for path in ["/api/v1/agents", "/v1/usage/by-agent?period=month"] {
        // the preflight needs no token: browsers never send one with it
        let pre = preflight(&s, path, APP).await;
        assert!(pre.status().is_success(), "{path}: {}", pre.status());
        let h = pre.headers();
        assert_eq!(h["access-control-allow-origin"], APP, "{path}");
        let allowed = h["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_lowercase();
        assert!(
            allowed.contains("authorization") && allowed.contains("content-type"),
            "{allowed}"
        );
        assert!(
            h["access-control-allow-methods"]
                .to_str()
                .unwrap()
                .contains("POST")
        );

        let get = s
            .http
            .get(format!("{}{path}", s.base))
            .header("origin", APP)
            .bearer_auth(&s.token)
            .send()
            .await
            .unwrap();
        assert_eq!(get.status(), 200, "{path}");
        assert_eq!(get.headers()["access-control-allow-origin"], APP, "{path}");
    }
    // the token is still required, and the refusal is readable by the page
    let anonymous = s
        .http
        .get(format!("{}/api/v1/agents", s.base))
        .header("origin", APP)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(anonymous.headers()["access-control-allow-origin"], APP);
    // another origin gets no permission
    let other = preflight(&s, "/api/v1/agents", "http://evil.example").await;
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn by_default_no_origin_is_allowed() {
    let s = Server::start().await;
    let pre = preflight(&s, "/api/v1/agents", APP).await;
    assert!(pre.headers().get("access-control-allow-origin").is_none());
    let get = s
        .http
        .get(format!("{}/api/v1/agents", s.base))
        .header("origin", APP)
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 200);
    assert!(get.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn any_origin_when_asked() {
    let settings = Settings {
        allowed_origins: AllowedOrigins::Any,
        ..Settings::default()
    };
    let s = Server::start_with(settings, |r| r).await;
    let pre = preflight(&s, "/v1/usage/by-agent", "http://anything.example:9000").await;
    assert_eq!(pre.headers()["access-control-allow-origin"], "*");
}
