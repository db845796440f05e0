//! `dialback backup` while the server serves and writes, and `dialback restore`: the copy
//! opens, and holds every write acknowledged before the backup began.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};

use crate::harness::{Binary, TempDir};
use crate::operations::cli;

async fn exported_ids(base: &str, token: &str) -> Vec<String> {
    let text = reqwest::Client::new()
        .get(format!("{base}/api/v1/calls/export"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_backup_under_concurrent_writes_holds_every_acknowledged_write() {
    let dir = TempDir::new();
    let db = dir.db();
    let token = Binary::create_env(&db, "live");
    let mut server = Binary::start(&db, &dir.0.join("serve.log"), &[]);
    let base = server.base.clone();
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{base}/api/v1/agents"))
        .bearer_auth(&token)
        .json(&json!({"name": "Desk", "direction": "inbound", "phone_numbers": ["+14155550100"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);

    // four writers, each recording the ids the server acknowledged
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (http, base, token, stop) =
                (http.clone(), base.clone(), token.clone(), stop.clone());
            tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                let mut i = 0u32;
                while !stop.load(Ordering::SeqCst) {
                    i += 1;
                    let call = json!({"direction": "inbound",
                        "from": format!("+4420794{w}{:05}", i % 100_000),
                        "to": "+14155550100", "started_at": "2024-01-02T10:00:00Z",
                            "status": "answered"});
                    let res = http
                        .post(format!("{base}/api/v1/calls"))
                        .bearer_auth(&token)
                        .json(&call)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(res.status().as_u16(), 201);
                    let body: Value = res.json().await.unwrap();
                    acknowledged.push((
                        std::time::Instant::now(),
                        body["data"]["id"].as_str().unwrap().to_owned(),
                    ));
                }
                acknowledged
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let backup = dir.0.join("copy.db");
    let began = std::time::Instant::now();
    let (ok, _, note) = tokio::task::spawn_blocking({
        let (db, backup) = (db.clone(), backup.clone());
        move || cli(&db, &["backup", "--to", backup.to_str().unwrap()])
    })
    .await
    .unwrap();
    assert!(ok, "{note}");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, Ordering::SeqCst);
    let mut before = Vec::new();
    let mut total = 0;
    for w in writers {
        let acknowledged = w.await.unwrap();
        total += acknowledged.len();
        before.extend(
            acknowledged
                .into_iter()
                .filter(|(at, _)| *at < began)
                .map(|(_, id)| id),
        );
    }
    assert!(
        before.len() > 20 && total > before.len(),
        "writes went on around the backup: {} of {total}",
        before.len()
    );
    let (ok, _, note) = cli(&db, &["backup", "--to", backup.to_str().unwrap()]);
    assert!(!ok && note.contains("exists"), "{note}");
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    // restored to a new file and served: every call acknowledged before the backup is there
    let restored = dir.0.join("restored.db");
    let (ok, _, note) = cli(&restored, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(ok, "{note}");
    let (ok, _, note) = cli(&restored, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(
        !ok && note.contains("exists"),
        "restore never overwrites: {note}"
    );
    let mut again = Binary::start(&restored, &dir.0.join("restored.log"), &[]);
    let ids = exported_ids(&again.base, &token).await;
    for id in &before {
        assert!(
            ids.contains(id),
            "call {id}, acknowledged before the backup, is missing"
        );
    }
    assert!(
        ids.len() <= total,
        "{} calls restored of {total} written",
        ids.len()
    );
    again.child.kill().unwrap();
    again.child.wait().unwrap();

    // a file that is not a database is refused
    let junk = dir.0.join("junk.db");
    std::fs::write(
        &junk,
        b"not a database at all, just some bytes that go on and on",
    )
    .unwrap();
    let (ok, _, note) = cli(
        &dir.0.join("from-junk.db"),
        &["restore", "--from", junk.to_str().unwrap()],
    );
    assert!(!ok, "{note}");
}
