//! A server restarted from a saved view and the calls stored since answers exactly as one
//! that read every record; a damaged saved view is ignored, not believed. On both backends.

use dialback_core::Timestamp;
use dialback_server::app::{Clock, Settings};
use serde_json::{Value, json};

use crate::harness::{Server, waits};

fn settings() -> Settings {
    Settings {
        clock: Clock::Fixed(Timestamp::parse("2024-01-28T12:00:00Z").unwrap()),
        ..Settings::default()
    }
}

/// `n` calls from `first`, over January 2024: outbound to 500 contacts, and inbound from them
/// to the callback number (some from contacts never called), with external ids.
fn calls(source: &str, first: usize, n: usize) -> Vec<String> {
    (first..first + n)
        .map(|i| {
            let at = Timestamp::from_unix_seconds(1_704_067_200 + i64::try_from(i * 97).unwrap())
                .unwrap();
            let contact = format!("+44207946{:04}", (i * 7) % 600);
            let status = ["completed", "no-answer", "busy"][i % 3];
            if i % 3 == 0 {
                json!({"direction": "inbound", "from": contact, "to": "+14155550100",
                    "started_at": at.to_string(), "status": status, "duration_seconds": i % 300,
                    "external_id": format!("c{i}")})
            } else {
                json!({"direction": "outbound", "agent_id": source, "to": contact,
                    "started_at": at.to_string(), "status": status, "duration_seconds": i % 200,
                    "external_id": format!("c{i}")})
            }
            .to_string()
        })
        .collect()
}

/// What a view answers: stats (totals and by day), usage by agent, and the call list's total.
async fn answers(s: &Server) -> Vec<Value> {
    let mut out = vec![];
    for path in [
        "/api/v1/callback-agents/stats?start_date=2024-01-01&end_date=2024-01-31",
        "/api/v1/callback-agents/stats?start_date=2024-01-01&end_date=2024-01-31\
         &group_by=day&tz=America/New_York",
        "/v1/usage/by-agent?period=month&tz=UTC",
        "/v1/usage",
        "/api/v1/calls?per_page=1",
    ] {
        let (status, body) = s.call("GET", path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        out.push(body);
    }
    out
}

async fn restored_calls(s: &Server) -> u64 {
    let env = s.app.environments().pop().unwrap();
    env.view.read().await.restored_calls
}

async fn save(s: &Server) {
    let app = s.app.clone();
    tokio::task::spawn_blocking(move || waits(|| app.save_views(1)))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_from_a_saved_view_and_the_calls_since_answers_as_every_record_does() {
    let live = Server::start_with(settings(), |r| r).await;
    let (_, source) = live.callback_setup("Sales", Some(7)).await;
    let res = live.import(&calls(&source, 0, 24_000)).await;
    assert_eq!(res.status(), 200);
    save(&live).await;
    // the tail: more calls (some callbacks match calls from before the save), a message
    let res = live.import(&calls(&source, 24_000, 3_000)).await;
    assert_eq!(res.status(), 200);
    let message = json!({"direction": "inbound", "from": "+442079460001", "to": "+14155550100",
        "sent_at": "2024-01-20T10:00:00Z"});
    let (status, body) = live.call("POST", "/api/v1/messages", Some(message)).await;
    assert_eq!(status, 201, "{body}");

    let restarted = live.again(settings()).await;
    assert_eq!(
        restored_calls(&restarted).await,
        24_000,
        "the saved view was not used"
    );
    assert_eq!(answers(&restarted).await, answers(&live).await);

    // it routes as the live one does: a callback from a contact called before the save, and a
    // retried call is found by its external id (stored before the save)
    let callback = json!({"direction": "inbound", "from": "+442079460007", "to": "+14155550100",
        "started_at": "2024-01-27T10:00:00Z", "status": "completed", "external_id": "late"});
    let (status, routed) = restarted
        .call("POST", "/api/v1/calls", Some(callback))
        .await;
    assert_eq!(status, 201, "{routed}");
    assert_eq!(routed["data"]["routing"]["outcome"], "matched", "{routed}");
    let retry = serde_json::from_str::<Value>(&calls(&source, 5, 1)[0]).unwrap();
    let (status, found) = restarted.call("POST", "/api/v1/calls", Some(retry)).await;
    assert_eq!(
        status, 200,
        "an external id from before the save is known: {found}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_saved_view_is_ignored() {
    let live = Server::start_with(settings(), |r| r).await;
    let (_, source) = live.callback_setup("Sales", None).await;
    let res = live.import(&calls(&source, 0, 21_000)).await;
    assert_eq!(res.status(), 200);
    save(&live).await;
    let env = live.app.environments().pop().unwrap().id;
    let mut bytes = waits(|| live.app.store.saved_view(env).unwrap().unwrap());
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    waits(|| live.app.store.save_view(env, &bytes).unwrap());

    let restarted = live.again(settings()).await;
    assert_eq!(
        restored_calls(&restarted).await,
        0,
        "a damaged view was believed"
    );
    assert_eq!(answers(&restarted).await, answers(&live).await);
}

/// A file that cannot be written is an I/O error naming the file, not "corrupt": an operator
/// reading it on a full disk or a wrong permission goes to the right place.
#[test]
fn a_view_that_cannot_be_saved_is_an_io_error_naming_the_file() {
    use dialback_server::store::{SqliteStore, Store, StoreError};
    let dir = crate::harness::TempDir::new();
    let db = dir.db();
    let store = waits(|| SqliteStore::open(&db, false).unwrap());
    // where the views' directory goes, a file: nothing can be saved under it
    let mut views = db.clone().into_os_string();
    views.push(".views");
    std::fs::write(&views, b"in the way").unwrap();
    match waits(|| store.save_view(1, b"view")) {
        Err(StoreError::Io(why)) => assert!(why.contains(".views"), "{why}"),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}
