//! A database written by an earlier release opens, migrates, and loses nothing: every agent,
//! number, call, decision, message and token is still there and answers as that release
//! answered. Schema 1 is the release before migrations existed; schema 2 the one before token
//! management; schema 3 the one before webhooks.

use serde_json::{Value, json};

use crate::harness::{Binary, TempDir, waits};
use dialback_server::store::{SqliteStore, Store};

/// These tests ask what a migrated file answers, not how fast: the suite runs them beside its
/// `kill -9` and sync tests, and on a busy 2-core machine a first commit once took longer than
/// the default 5 s storage budget (a 503 that says nothing about migrations).
const PATIENT: &[(&str, &str)] = &[("DIALBACK_STORAGE_TIMEOUT", "30")];

fn fixture(name: &str) -> std::path::PathBuf {
    fixture_of("v1", name)
}

fn fixture_of(release: &str, name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(release)
        .join(name)
}

fn schema_version(db: &std::path::Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

async fn get(base: &str, token: &str, path: &str) -> Value {
    let res = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "{path}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_schema_1_database_loses_nothing() {
    let dir = TempDir::new();
    let db = dir.db();
    std::fs::copy(fixture("dialback.db"), &db).unwrap();
    let old: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("answers.json")).unwrap()).unwrap();
    let token = old["token"].as_str().unwrap().to_owned();
    let server = Binary::start(&db, &dir.0.join("log"), PATIENT);
    let base = server.base.clone();

    // agents: ids, names, directions, numbers (with their ids) and callback configurations
    let agents = get(&base, &token, "/api/v1/agents?per_page=100").await;
    let old_agents = old["agents"]["data"].as_array().unwrap();
    assert_eq!(agents["data"].as_array().unwrap().len(), old_agents.len());
    for (new, old) in agents["data"].as_array().unwrap().iter().zip(old_agents) {
        for key in ["id", "name", "direction"] {
            assert_eq!(new[key], old[key], "{key} of {old}");
        }
        let numbers: Vec<&Value> = new["phone_numbers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| &n["number"])
            .collect();
        let old_numbers: Vec<&Value> = old["phone_numbers"].as_array().unwrap().iter().collect();
        assert_eq!(numbers, old_numbers, "numbers of {}", old["name"]);
        match old["callback_config"].as_object() {
            None => assert!(new.get("callback_config").is_none()),
            Some(config) => {
                let mut expected = Value::Object(config.clone());
                // trigger statuses are written as Talkover's callback pages spell them now
                if let Some(list) = expected.get_mut("callback_trigger_statuses") {
                    *list = json!(
                        list.as_array()
                            .unwrap()
                            .iter()
                            .map(|s| s.as_str().unwrap().replace("no-answer", "no_answer"))
                            .collect::<Vec<_>>()
                    );
                }
                assert_eq!(new["callback_config"], expected);
            }
        }
    }
    // the number resources kept the ids schema 1 gave them
    let db_numbers: Vec<(String, String)> = {
        let conn = rusqlite::Connection::open(fixture("dialback.db")).unwrap();
        let mut stmt = conn
            .prepare("SELECT id, number FROM phone_numbers")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let listed = get(&base, &token, "/api/v1/phone-numbers").await;
    for (id, number) in &db_numbers {
        assert!(
            listed["data"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["id"] == id.as_str() && n["number"] == number.as_str()),
            "number {number} ({id})"
        );
    }

    // calls: everything the old listing showed, and the very same routing decisions
    let calls = get(&base, &token, "/api/v1/calls?per_page=100").await;
    let old_calls = old["calls"]["data"].as_array().unwrap();
    assert_eq!(
        calls["pagination"]["total"].as_u64(),
        Some(old_calls.len() as u64)
    );
    for (new, old) in calls["data"].as_array().unwrap().iter().zip(old_calls) {
        assert_eq!(new["id"], old["id"].as_u64().unwrap().to_string());
        assert_eq!(new["external_id"].as_str(), old["external_id"].as_str());
        assert_eq!(
            (&new["direction"], &new["from"], &new["to"], &new["status"]),
            (&old["direction"], &old["from"], &old["to"], &old["status"])
        );
        assert_eq!(
            (&new["created_at"], &new["duration"]),
            (&old["started_at"], &old["duration_seconds"])
        );
        assert_eq!(new["routing"], old["routing"], "call {}", old["id"]);
        if old["direction"] == "outbound" {
            assert_eq!(new["agent"]["id"], old["agent_id"]);
        } else {
            // schema 2 names the agent an inbound call went to, from its stored decision
            let to = old["routing"]["callback_agent_id"]
                .as_str()
                .or(old["routing"]["agent_id"].as_str());
            assert_eq!(new["agent"]["id"].as_str(), to, "call {}", old["id"]);
        }
    }

    // what was computed from them is unchanged
    let stats = get(
        &base,
        &token,
        "/api/v1/callback-agents/stats?start_date=2023-12-01&end_date=2024-01-31",
    )
    .await;
    assert_eq!(stats, old["stats"]);
    let handler = old["callback_agent"]["data"]["agent"]["id"]
        .as_str()
        .unwrap();
    let detail = get(&base, &token, &format!("/api/v1/callback-agents/{handler}")).await;
    assert_eq!(
        detail["data"]["stats"],
        old["callback_agent"]["data"]["stats"]
    );
    assert_eq!(
        detail["data"]["source_agents"],
        old["callback_agent"]["data"]["source_agents"]
    );
    let usage = get(&base, &token, "/v1/usage").await;
    assert_eq!(usage["stats"]["totalMessages"], 3);

    // and the database now says so
    drop(server);
    assert_eq!(
        schema_version(&db),
        dialback_server::store::sqlite::migrate::CURRENT
    );
}

#[tokio::test]
async fn a_schema_2_database_loses_nothing_and_its_tokens_keep_every_right() {
    let dir = TempDir::new();
    let db = dir.db();
    std::fs::copy(fixture_of("v2", "dialback.db"), &db).unwrap();
    assert_eq!(schema_version(&db), 2);
    let old: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_of("v2", "answers.json")).unwrap())
            .unwrap();
    let token = old["token"].as_str().unwrap().to_owned();
    let other = old["other_token"].as_str().unwrap().to_owned();
    let mut server = Binary::start(&db, &dir.0.join("log"), PATIENT);
    let base = server.base.clone();

    // every answer that release gave is given again, whole
    let handler = old["callback_agent"]["data"]["agent"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (key, path) in [
        ("agents", "/api/v1/agents?per_page=100".to_owned()),
        ("callback_agents", "/api/v1/callback-agents".to_owned()),
        (
            "callback_agent",
            format!("/api/v1/callback-agents/{handler}"),
        ),
        ("calls", "/api/v1/calls?per_page=100".to_owned()),
        (
            "stats",
            "/api/v1/callback-agents/stats?start_date=2023-12-01&end_date=2024-01-31".to_owned(),
        ),
        ("phone_numbers", "/api/v1/phone-numbers".to_owned()),
        (
            "agent_calls",
            format!("/api/v1/agents/{handler}/calls?per_page=100"),
        ),
        ("agentphone_calls", "/v1/calls?limit=100".to_owned()),
    ] {
        assert_eq!(get(&base, &token, &path).await, old[key], "{path}");
    }
    assert_eq!(get(&base, &token, "/v1/usage").await["plan"], old["plan"]);
    assert_eq!(
        get(&base, &other, "/api/v1/agents").await,
        old["other_agents"]
    );

    // the tokens it issued are listed, and may still write
    let me = get(&base, &token, "/api/v1/token").await;
    assert_eq!(
        (
            &me["data"]["scope"],
            &me["data"]["label"],
            &me["data"]["expires_at"]
        ),
        (&json!("write"), &json!("cli"), &Value::Null),
        "{me}"
    );
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/agents"))
        .bearer_auth(&other)
        .json(&json!({"name": "After the upgrade", "direction": "inbound"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let list = std::process::Command::new(env!("CARGO_BIN_EXE_dialback"))
        .args(["token", "list", "--env", "legacy", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(list.lines().nth(1).unwrap().contains("write"), "{list}");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    assert_eq!(
        schema_version(&db),
        dialback_server::store::sqlite::migrate::CURRENT
    );
}

/// The release before webhooks (schema 3): every answer it gave is given again, its read-only
/// token still only reads, and the new tables take webhooks and deliveries.
#[tokio::test]
async fn a_schema_3_database_loses_nothing_and_takes_webhooks() {
    let dir = TempDir::new();
    let db = dir.db();
    std::fs::copy(fixture_of("v3", "dialback.db"), &db).unwrap();
    assert_eq!(schema_version(&db), 3);
    let old: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_of("v3", "answers.json")).unwrap())
            .unwrap();
    let token = old["token"].as_str().unwrap().to_owned();
    let reader = old["reader_token"].as_str().unwrap().to_owned();
    let other = old["other_token"].as_str().unwrap().to_owned();
    let mut server = Binary::start(&db, &dir.0.join("log"), PATIENT);
    let base = server.base.clone();
    let handler = old["callback_agent"]["data"]["agent"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (key, path) in [
        ("agents", "/api/v1/agents?per_page=100".to_owned()),
        ("callback_agents", "/api/v1/callback-agents".to_owned()),
        (
            "callback_agent",
            format!("/api/v1/callback-agents/{handler}"),
        ),
        ("calls", "/api/v1/calls?per_page=100".to_owned()),
        (
            "stats",
            "/api/v1/callback-agents/stats?start_date=2023-12-01&end_date=2024-01-31".to_owned(),
        ),
        ("phone_numbers", "/api/v1/phone-numbers".to_owned()),
        (
            "agent_calls",
            format!("/api/v1/agents/{handler}/calls?per_page=100"),
        ),
        ("agentphone_calls", "/v1/calls?limit=100".to_owned()),
        ("agentphone_agents", "/v1/agents?limit=100".to_owned()),
        ("agentphone_numbers", "/v1/numbers?limit=100".to_owned()),
    ] {
        assert_eq!(get(&base, &token, &path).await, old[key], "{path}");
    }
    assert_eq!(get(&base, &token, "/v1/usage").await["plan"], old["plan"]);
    assert_eq!(
        get(&base, &other, "/api/v1/agents").await,
        old["other_agents"]
    );
    let http = reqwest::Client::new();
    // the read-only token reads, and writes nothing
    assert_eq!(get(&base, &reader, "/v1/webhooks").await, Value::Null);
    let refused = http
        .post(format!("{base}/v1/webhooks"))
        .bearer_auth(&reader)
        .json(&json!({"url": "https://hooks.example.com/in"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    // the new tables work
    let set = http
        .post(format!("{base}/api/v1/agents/{handler}/webhooks"))
        .bearer_auth(&token)
        .json(&json!({"webhook_url": "https://hooks.example.com/in",
            "events": ["event_phone_call_ended"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status().as_u16(), 201);
    let listed = get(&base, &token, &format!("/api/v1/agents/{handler}/webhooks")).await;
    assert_eq!(
        listed["data"]["webhooks"].as_array().unwrap().len(),
        1,
        "{listed}"
    );
    let log = get(&base, &token, "/v1/webhooks/deliveries").await;
    assert_eq!(log["total"], 0, "{log}");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    assert_eq!(
        schema_version(&db),
        dialback_server::store::sqlite::migrate::CURRENT
    );
}

/// A previous release's fixture database, served by this release: the database, what that
/// release answered on it, and the server.
struct Fixture {
    dir: TempDir,
    db: std::path::PathBuf,
    old: Value,
    server: Binary,
}

impl Fixture {
    fn start(release: &str, schema: i64) -> Fixture {
        let dir = TempDir::new();
        let db = dir.db();
        std::fs::copy(fixture_of(release, "dialback.db"), &db).unwrap();
        assert_eq!(schema_version(&db), schema);
        let answers = std::fs::read_to_string(fixture_of(release, "answers.json")).unwrap();
        let old: Value = serde_json::from_str(&answers).unwrap();
        let server = Binary::start(&db, &dir.0.join("log"), PATIENT);
        Fixture {
            dir,
            db,
            old,
            server,
        }
    }

    fn token(&self, key: &str) -> String {
        self.old[key].as_str().unwrap().to_owned()
    }
}

/// Every answer a previous release gave on its fixture is given again, whole.
async fn answers_again(base: &str, token: &str, old: &Value, handler: &str, desk: &str) {
    for (key, path) in [
        ("agents", "/api/v1/agents?per_page=100".to_owned()),
        ("callback_agents", "/api/v1/callback-agents".to_owned()),
        (
            "callback_agent",
            format!("/api/v1/callback-agents/{handler}"),
        ),
        ("calls", "/api/v1/calls?per_page=100".to_owned()),
        (
            "stats",
            "/api/v1/callback-agents/stats?start_date=2023-12-01&end_date=2024-01-31".to_owned(),
        ),
        ("phone_numbers", "/api/v1/phone-numbers".to_owned()),
        (
            "agent_calls",
            format!("/api/v1/agents/{handler}/calls?per_page=100"),
        ),
        ("agentphone_calls", "/v1/calls?limit=100".to_owned()),
        ("agentphone_agents", "/v1/agents?limit=100".to_owned()),
        ("agentphone_numbers", "/v1/numbers?limit=100".to_owned()),
        ("webhook", "/v1/webhooks".to_owned()),
        ("agent_webhook", format!("/v1/agents/{desk}/webhook")),
        (
            "talkover_webhooks",
            format!("/api/v1/agents/{handler}/webhooks"),
        ),
    ] {
        assert_eq!(get(base, token, &path).await, old[key], "{path}");
    }
}

/// The release before sources (schema 4): every answer it gave is given again (its webhooks,
/// secrets and pending deliveries among them), its read-only token still only reads, and the
/// new tables take a source.
#[tokio::test]
async fn a_schema_4_database_loses_nothing_and_takes_sources() {
    let Fixture {
        dir: _dir,
        db,
        old,
        mut server,
    } = Fixture::start("v4", 4);
    let token = old["token"].as_str().unwrap().to_owned();
    let reader = old["reader_token"].as_str().unwrap().to_owned();
    let other = old["other_token"].as_str().unwrap().to_owned();
    let base = server.base.clone();
    let handler = old["callback_agent"]["data"]["agent"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let desk = old["desk"].as_str().unwrap().to_owned();
    answers_again(&base, &token, &old, &handler, &desk).await;
    // the deliveries it left pending are still there, pending (this server may have tried
    // one since: only what it cannot change is compared)
    let log = get(&base, &token, "/v1/webhooks/deliveries?limit=100").await;
    let ids = |v: &Value| -> Vec<Value> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].clone())
            .collect()
    };
    assert_eq!(ids(&log), ids(&old["deliveries"]));
    assert!(!ids(&log).is_empty());
    assert_eq!(get(&base, &token, "/v1/usage").await["plan"], old["plan"]);
    assert_eq!(
        get(&base, &other, "/api/v1/agents").await,
        old["other_agents"]
    );
    let http = reqwest::Client::new();
    let refused = http
        .post(format!("{base}/v1/webhooks"))
        .bearer_auth(&reader)
        .json(&json!({"url": "https://hooks.example.com/in"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    // the new tables work: a source added beside the running server is listed by it
    let added = std::process::Command::new(env!("CARGO_BIN_EXE_dialback"))
        .args([
            "source",
            "add",
            "agentphone",
            "--env",
            "legacy",
            "--base",
            "https://api.agentphone.ai",
        ])
        .args([
            "--token-env",
            "AGENTPHONE_TOKEN",
            "--webhook-secret-env",
            "AGENTPHONE_WHSEC",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let sources = get(&base, &token, "/api/v1/sources").await;
    assert_eq!(
        sources["data"][0]["token"], "env:AGENTPHONE_TOKEN",
        "{sources}"
    );
    assert_eq!(sources["data"][0]["webhook_path"], "/hooks/agentphone/1");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    assert_eq!(
        schema_version(&db),
        dialback_server::store::sqlite::migrate::CURRENT
    );
}

/// The release before the live event log (schema 5): every answer it gave is given again
/// (its sources and the delivery a source received among them), the receipt that refuses a
/// replay of that delivery is kept, and the new log carries the events of new writes.
#[tokio::test]
async fn a_schema_5_database_loses_nothing_and_takes_live_events() {
    let f = Fixture::start("v5", 5);
    let (token, old, db) = (f.token("token"), &f.old, &f.db);
    let mut server = f.server;
    let base = server.base.clone();
    let handler = old["callback_agent"]["data"]["agent"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let desk = old["desk"].as_str().unwrap().to_owned();
    answers_again(&base, &token, old, &handler, &desk).await;
    assert_eq!(get(&base, &token, "/api/v1/sources").await, old["sources"]);
    let other = old["other_token"].as_str().unwrap();
    assert_eq!(
        get(&base, other, "/api/v1/agents").await,
        old["other_agents"]
    );
    // the call the source's delivery carried, under its platform's id
    let calls = get(&base, &token, "/api/v1/calls?per_page=100").await;
    assert!(
        calls["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["external_id"] == "agentphone:call_fixture"),
        "{calls}"
    );
    // the new log: a stream opened now carries a new write's event
    let mut stream =
        crate::live::Reader::open(&base, &token, "?types=event_phone_call_ended", None).await;
    let (status, body) = crate::harness::request(
        &reqwest::Client::new(),
        &base,
        &token,
        "POST",
        "/api/v1/calls",
        Some(
            json!({"direction": "inbound", "from": "+14155551001", "to": "+14155550199",
                "started_at": "2024-01-10T09:00:00Z", "status": "completed",
                "duration_seconds": 5}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let got = stream.take(1).await;
    assert_eq!(
        crate::live::event(&got[0]).event,
        dialback_core::live::EventType::CallEnded
    );
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    assert_eq!(
        schema_version(db),
        dialback_server::store::sqlite::migrate::CURRENT
    );
    let conn = rusqlite::Connection::open(db).unwrap();
    let receipt: String = conn
        .query_row(
            "SELECT delivery_id FROM source_receipts WHERE source_id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(receipt, "whd_fixture");
}

#[tokio::test]
async fn a_database_from_a_newer_release_is_refused() {
    let dir = TempDir::new();
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dialback"))
        .args(["env", "create", "--name", "x", "--db"])
        .arg(dir.db())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("newer Dialback"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Four `dialback env create` started at once on a file that does not exist yet: each opens
/// the database and migrates it, taking turns, and all four succeed.
#[test]
fn four_env_creates_at_once_on_a_new_file_all_succeed() {
    for round in 0..3 {
        let dir = TempDir::new();
        let db = dir.db();
        let children: Vec<_> = (0..4)
            .map(|i| {
                std::process::Command::new(env!("CARGO_BIN_EXE_dialback"))
                    .args(["env", "create", "--name", &format!("e{i}"), "--db"])
                    .arg(&db)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(
            schema_version(&db),
            dialback_server::store::sqlite::migrate::CURRENT
        );
        let store = waits(|| SqliteStore::open(&db, false).unwrap());
        assert_eq!(waits(|| store.tokens().environments().unwrap().len()), 4);
    }
}

/// Runs `sql` on the PostgreSQL database at `url`; the first column of the last row of
/// `query`, if one is given.
fn postgres_sql(url: &str, sql: &str, query: Option<&str>) -> Option<i64> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        let driver = tokio::spawn(connection);
        client.batch_execute(sql).await.unwrap();
        let value = match query {
            Some(q) => client
                .query(q, &[])
                .await
                .unwrap()
                .last()
                .map(|r| r.get::<_, i64>(0)),
            None => None,
        };
        drop(client);
        let _ = driver.await;
        value
    })
}

/// PostgreSQL's schema 1 is the release before the SID index (schema 2), schema 2 the one
/// before webhooks (schema 3), schema 3 the one before sources (schema 4), schema 4 the one
/// before the event log (schema 5): a database any of them wrote opens at schema 5 with every call,
/// a SID prefix is found through the new index, and the outbox's and sources' tables are there.
#[test]
fn a_postgres_schema_1_database_gains_the_sid_index_and_loses_nothing() {
    use dialback_core::wire::requests::queries::CallFilter;
    use dialback_core::{CallId, CallRecord, CallStatus, Direction, PhoneNumber, Timestamp};
    use dialback_server::store::{PgStore, Slice};
    let Some(url) = crate::harness::postgres_url() else {
        eprintln!("skipped: DIALBACK_TEST_POSTGRES names no PostgreSQL server");
        return;
    };
    let db = crate::harness::fresh_database(&url);
    let calls: Vec<CallRecord> = (1..=300u64)
        .map(|i| CallRecord {
            id: CallId(i),
            external_id: Some(format!("CA{:03}", i % 120)).filter(|_| i <= 120),
            direction: Direction::Outbound,
            agent_id: None,
            from: None,
            to: PhoneNumber::parse("+14155550100").unwrap(),
            started_at: Timestamp::from_unix_seconds(1_704_067_200 + i as i64 * 60).unwrap(),
            status: CallStatus::Completed,
            duration_seconds: 30,
            routing: None,
        })
        .collect();
    let env = waits(|| {
        let store = PgStore::open(&db, 2).unwrap();
        let env = store
            .tokens()
            .create_environment("old", dialback_core::Timestamp::EPOCH)
            .unwrap();
        let (mut tx, _) = store.begin(env, 0).unwrap();
        tx.insert_batch(&calls, &[]).unwrap();
        tx.commit().unwrap();
        env
    });
    // what the release before that left: schema 1, without the index, the outbox or sources
    postgres_sql(
        &db,
        "DROP INDEX calls_by_sid; DROP TABLE webhook_deliveries; DROP TABLE webhooks; DROP TABLE \
         source_receipts; DROP TABLE sources; DROP TABLE events; DROP TABLE event_horizon; UPDATE \
         dialback_schema SET version = 1",
        None,
    );
    let store = waits(|| PgStore::open(&db, 2).unwrap());
    let version = postgres_sql(&db, "", Some("SELECT version::bigint FROM dialback_schema"));
    assert_eq!(version, Some(5));
    let outbox = postgres_sql(
        &db,
        "",
        Some(
            "SELECT count(*) FROM pg_tables WHERE tablename IN ('webhooks', 'webhook_deliveries')",
        ),
    );
    assert_eq!(outbox, Some(2));
    // and each later schema, simulated by dropping what came after it, gains the rest
    let mut store = store;
    for (version, drop_later) in [
        (
            2,
            "DROP TABLE webhook_deliveries; DROP TABLE webhooks; DROP TABLE source_receipts; \
             DROP TABLE sources; DROP TABLE events; DROP TABLE event_horizon;",
        ),
        (
            3,
            "DROP TABLE source_receipts; DROP TABLE sources; DROP TABLE events; \
             DROP TABLE event_horizon;",
        ),
        (4, "DROP TABLE events; DROP TABLE event_horizon;"),
    ] {
        postgres_sql(
            &db,
            &format!("{drop_later} UPDATE dialback_schema SET version = {version}"),
            None,
        );
        drop(store);
        store = waits(|| PgStore::open(&db, 2).unwrap());
        assert_eq!(
            postgres_sql(&db, "", Some("SELECT version::bigint FROM dialback_schema")),
            Some(5),
            "from schema {version}"
        );
    }
    let log = waits(|| store.events().event_bounds(env).unwrap());
    assert_eq!(log, dialback_server::store::events::Bounds::default());
    assert!(waits(|| store.sources().sources().unwrap()).is_empty());
    let empty = waits(|| store.outbox().webhooks_of(env).unwrap());
    assert!(empty.is_empty());
    let indexed = postgres_sql(
        &db,
        "",
        Some("SELECT count(*) FROM pg_indexes WHERE indexname = 'calls_by_sid'"),
    );
    assert_eq!(indexed, Some(1));
    waits(|| {
        let (all, total) = store
            .list_calls(
                env,
                &CallFilter::default(),
                Slice::Page {
                    offset: 0,
                    limit: 1_000,
                },
            )
            .unwrap();
        assert_eq!((all.len(), total), (300, Some(300)));
        assert_eq!(all, calls.iter().rev().cloned().collect::<Vec<_>>());
        let found = store
            .sids_starting_with(env, "CA01", 1_000)
            .unwrap()
            .unwrap();
        let mut ids: Vec<u64> = found.iter().map(|k| k.id.0).collect();
        ids.sort_unstable();
        assert_eq!(ids, (10..=19).collect::<Vec<u64>>());
    });
}
