//! Tokens: issued, listed, scoped, expired and revoked, from the CLI and over HTTP.

use dialback_core::Timestamp;
use dialback_server::auth::{NewToken, Scope};
use serde_json::{Value, json};

use crate::harness::{Binary, Server, TempDir, waits};
use crate::operations::{cli, status_of};

#[tokio::test]
async fn tokens_are_issued_listed_scoped_and_revoked_at_once() {
    let dir = TempDir::new();
    let db = dir.db();
    let owner = Binary::create_env(&db, "team");
    // the server runs in one process; tokens are made and revoked from others
    let mut a = Binary::start(&db, &dir.0.join("a.log"), &[]);
    let http = reqwest::Client::new();

    // `token create`'s output: the token on stdout, what it is on stderr
    let create = |args: &[&str]| {
        let (ok, token, note) = cli(&db, &[&["token", "create", "--env", "team"], args].concat());
        assert!(ok, "{note}");
        (token.trim().to_owned(), note)
    };
    let (reader, note) = create(&["--label", "dashboards", "--read-only"]);
    assert!(
        reader.starts_with("talq_") && note.contains("read"),
        "{note}"
    );
    let (expiring, _) = create(&["--label", "ci", "--expires", "30"]);
    let (ok, _, note) = cli(&db, &["token", "create", "--env", "nowhere"]);
    assert!(
        !ok && note.contains("no environment named \"nowhere\""),
        "{note}"
    );

    for server in [&a] {
        let base = &server.base;
        // a read-only token reads both APIs ...
        assert_eq!(
            status_of(&http, "GET", &format!("{base}/api/v1/agents"), &reader)
                .await
                .0,
            200
        );
        assert_eq!(
            status_of(&http, "GET", &format!("{base}/v1/usage"), &reader)
                .await
                .0,
            200
        );
        // ... and writes nothing, told so with Talkover's code
        let (status, body) =
            status_of(&http, "POST", &format!("{base}/api/v1/agents"), &reader).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("UNAUTHORIZED")),
            "{body}"
        );
        assert_eq!(
            status_of(&http, "POST", &format!("{base}/api/v1/agents"), &expiring)
                .await
                .0,
            200
        );
        // the console asks what its token may do
        let (status, me) = status_of(&http, "GET", &format!("{base}/api/v1/token"), &reader).await;
        assert_eq!(status, 200);
        assert_eq!(
            (
                &me["data"]["scope"],
                &me["data"]["label"],
                &me["data"]["environment"],
                &me["data"]["expires_at"]
            ),
            (
                &json!("read"),
                &json!("dashboards"),
                &json!("team"),
                &Value::Null
            ),
            "{me}"
        );
        assert!(
            !me.to_string().contains(&reader[5..]),
            "the token was echoed: {me}"
        );
        let (_, me) = status_of(&http, "GET", &format!("{base}/api/v1/token"), &expiring).await;
        assert!(
            me["data"]["expires_at"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z')),
            "{me}"
        );
    }
    let agents: Vec<Value> = {
        let (_, body) = status_of(&http, "GET", &format!("{}/api/v1/agents", a.base), &owner).await;
        body["data"].as_array().unwrap().clone()
    };
    assert_eq!(
        agents.len(),
        1,
        "the read-only token's writes left nothing: {agents:?}"
    );

    // the list: ids, labels, scopes, never a token
    let (ok, list, note) = cli(&db, &["token", "list", "--env", "team"]);
    assert!(ok, "{note}");
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 4, "{list}");
    assert!(
        lines[0].starts_with("ID")
            && lines[0].contains("LAST USED")
            && lines[0].contains("EXPIRES")
    );
    assert!(
        lines[2].contains("dashboards") && lines[2].contains("read") && lines[2].contains("active"),
        "{list}"
    );
    for secret in [&owner, &reader, &expiring] {
        assert!(!list.contains(&secret[5..]), "a token is listed: {list}");
    }
    let reader_id = lines[2].split_whitespace().next().unwrap().to_owned();

    // revoked from another process: refused at once, for the server caches no token
    let (ok, _, note) = cli(&db, &["token", "revoke", &reader_id]);
    assert!(ok, "{note}");
    for server in [&a] {
        let (status, body) = status_of(
            &http,
            "GET",
            &format!("{}/api/v1/agents", server.base),
            &reader,
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("INVALID_TOKEN"))
        );
        let (status, _) =
            status_of(&http, "GET", &format!("{}/v1/usage", server.base), &reader).await;
        assert_eq!(status, 401);
        assert_eq!(
            status_of(
                &http,
                "GET",
                &format!("{}/api/v1/agents", server.base),
                &owner
            )
            .await
            .0,
            200
        );
    }
    let (ok, _, note) = cli(&db, &["token", "revoke", &reader_id]);
    assert!(!ok && note.contains("revoked already"), "{note}");
    let (_, list, _) = cli(&db, &["token", "list", "--env", "team"]);
    assert!(list.lines().nth(2).unwrap().contains("revoked"), "{list}");
    a.child.kill().unwrap();
    a.child.wait().unwrap();
}

#[tokio::test]
async fn an_expired_token_is_refused_and_use_is_recorded_in_batches() {
    let s = Server::start().await;
    let env = waits(|| s.app.env_named("test").unwrap().unwrap());
    let now = s.app.now();
    let issue = |expires_at: Option<Timestamp>| {
        waits(|| {
            s.app
                .issue_token(
                    env.id,
                    &NewToken {
                        label: "t".into(),
                        scope: Scope::Write,
                        expires_at,
                    },
                    false,
                )
                .unwrap()
        })
    };
    let (_, expired) = issue(Timestamp::from_unix_seconds(now.unix_seconds() - 1));
    let (live_id, live) = issue(Timestamp::from_unix_seconds(now.unix_seconds() + 3600));
    assert_eq!(
        s.call_as(&expired, "GET", "/api/v1/agents", None).await.0,
        401
    );
    assert_eq!(s.call_as(&expired, "GET", "/v1/usage", None).await.0, 401);
    assert_eq!(s.call_as(&live, "GET", "/api/v1/agents", None).await.0, 200);

    // a request writes nothing itself; the server writes last use every few seconds
    let last_used = || {
        waits(|| s.app.store.tokens().tokens_of(env.id))
            .unwrap()
            .into_iter()
            .find(|t| t.id == live_id)
            .unwrap()
            .last_used_at
    };
    assert_eq!(last_used(), None);
    waits(|| s.app.flush_token_use()).unwrap();
    assert!(last_used().is_some_and(|t| t.unix_seconds() >= now.unix_seconds()));
}

/// The document lists 403 on exactly the operations that write (in both APIs): every one of them
/// refuses a read-only token before reading its body, and every other answers it as usual.
#[tokio::test]
async fn a_read_only_token_is_refused_on_every_write_the_document_lists_and_no_other() {
    let s = Server::start().await;
    let env = waits(|| s.app.env_named("test").unwrap().unwrap());
    let agent = s.agent("Existing", "inbound", &["+14155550100"]).await;
    let (_, reader) = waits(|| {
        s.app.issue_token(
            env.id,
            &NewToken {
                label: "ro".into(),
                scope: Scope::Read,
                expires_at: None,
            },
            false,
        )
    })
    .unwrap();
    let doc = dialback_server::http::openapi::document();
    let mut writes = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = &op["responses"];
            let agentphone = path.starts_with("/v1/");
            if !(path.starts_with("/api/v1/") || agentphone) || responses.get("501").is_some() {
                continue;
            }
            let url = format!("{}{}", s.base, path.replace("{id}", &agent));
            // a stream never ends: its status is all there is to read (any token may read it)
            if op["responses"]["200"]["content"]
                .get("text/event-stream")
                .is_some()
            {
                let r = s.http.get(&url).bearer_auth(&reader).send().await.unwrap();
                assert_eq!(r.status().as_u16(), 200, "{method} {path}");
                continue;
            }
            let (status, body) = status_of(&s.http, &method.to_uppercase(), &url, &reader).await;
            if responses.get("403").is_some() {
                writes += 1;
                let code = if agentphone {
                    body["error"]["code"].as_str()
                } else {
                    body["code"].as_str()
                };
                let expected = if agentphone {
                    "FORBIDDEN"
                } else {
                    "UNAUTHORIZED"
                };
                assert_eq!(
                    (status, code),
                    (403, Some(expected)),
                    "{method} {path}: {body}"
                );
            } else {
                assert_ne!(status, 403, "{method} {path}: {body}");
            }
        }
    }
    // Talkover's 11, its 5 webhook writes and "Sync now"; AgentPhone's 6 webhook writes and 4
    // agent writes (create, update, attach and detach a number)
    assert_eq!(writes, 27, "the writes the document lists");
    let (_, agents) = s.call("GET", "/api/v1/agents", None).await;
    assert_eq!(agents["data"].as_array().unwrap().len(), 1, "{agents}");
}
