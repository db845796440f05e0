//! The OpenAPI document against the router and the committed `openapi.json`.

use std::collections::{BTreeMap, BTreeSet};

use dialback_server::http::openapi::document;

use crate::harness::Server;

fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The routes `server/src/http/mod.rs` declares: path → methods (`*` for a route that
/// answers any method, as the 501 routes do).
fn router_routes() -> BTreeMap<String, BTreeSet<String>> {
    let source = std::fs::read_to_string(repo().join("server/src/http/mod.rs")).unwrap();
    let mut routes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut prefix = "";
    for (i, piece) in source.split(".route(").enumerate() {
        if i > 0 {
            let path = piece.split('"').nth(1).unwrap();
            // the handlers, up to the closing parenthesis of this `.route(`
            let mut depth = 1;
            let end = piece
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(piece.len(), |(j, _)| j);
            let handlers = &piece[..end];
            let methods = routes.entry(format!("{prefix}{path}")).or_default();
            for m in ["get", "post", "put", "patch", "delete"] {
                if handlers.contains(&format!("{m}(")) {
                    methods.insert(m.to_owned());
                }
            }
            if handlers.contains("refuse()") || handlers.contains("any(") {
                methods.insert("*".to_owned());
            }
        }
        // the function a piece ends in decides the prefix of the routes after it
        for (marker, p) in [
            ("fn talkover()", "/api/v1"),
            ("fn agentphone()", "/v1"),
            ("pub fn router(", ""),
        ] {
            if piece.contains(marker) {
                prefix = p;
            }
        }
    }
    routes
}

#[test]
fn the_document_describes_every_route_the_router_has_and_no_other() {
    let routes = router_routes();
    assert!(routes.len() > 40, "{routes:?}");
    let doc = document();
    let paths = doc["paths"].as_object().unwrap();
    let documented: BTreeMap<String, BTreeSet<String>> = paths
        .iter()
        .map(|(p, item)| {
            (
                p.clone(),
                item.as_object().unwrap().keys().cloned().collect(),
            )
        })
        .collect();
    for (path, methods) in &routes {
        let doc_methods = documented
            .get(path)
            .unwrap_or_else(|| panic!("the router has {path}, the document does not"));
        if methods.contains("*") {
            assert!(!doc_methods.is_empty(), "{path}");
        } else {
            assert_eq!(
                doc_methods, methods,
                "{path}: the router and the document differ"
            );
        }
    }
    for path in documented.keys() {
        assert!(
            routes.contains_key(path),
            "the document has {path}, the router does not"
        );
    }
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
