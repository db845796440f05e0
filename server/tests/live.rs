//! The live stream over HTTP: events as writes commit them, in the core's shapes; resume by
//! `Last-Event-ID` with exactly what was missed; filters; the limits; heartbeats; a reset when
//! the log no longer holds what a client missed.

use std::time::Duration;

use dialback_core::live::check::EventData;
use dialback_core::live::{EventType, LiveEvent, SseDecoder, StreamItem, read_message};
use dialback_server::app::Settings;
use dialback_server::live::LiveSettings;
use serde_json::{Value, json};

use crate::harness::Server;

/// A stream being read.
pub struct Reader {
    response: reqwest::Response,
    decoder: SseDecoder,
    pub items: Vec<StreamItem>,
    pub heartbeats: usize,
}

impl Reader {
    pub async fn open(base: &str, token: &str, query: &str, last: Option<&str>) -> Reader {
        let mut request = reqwest::Client::new()
            .get(format!("{base}/api/v1/events{query}"))
            .bearer_auth(token);
        if let Some(id) = last {
            request = request.header("Last-Event-ID", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Reader {
            response,
            decoder: SseDecoder::new(),
            items: Vec::new(),
            heartbeats: 0,
        }
    }

    /// Reads until `n` items (events or resets) came, or fails after a few seconds.
    pub async fn take(&mut self, n: usize) -> Vec<StreamItem> {
        let until = tokio::time::Instant::now() + Duration::from_secs(10);
        while self.items.len() < n {
            let chunk = tokio::time::timeout_at(until, self.response.chunk())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "{} of {n} items after 10 s: {:?}",
                        self.items.len(),
                        self.items
                    )
                })
                .unwrap()
                .expect("the stream ended");
            if chunk.starts_with(b": heartbeat") {
                self.heartbeats += 1;
            }
            for m in self.decoder.push(&chunk) {
                self.items.push(read_message(&m).unwrap());
            }
        }
        self.items.drain(..n).collect()
    }

    /// Nothing more arrives within `wait`.
    pub async fn quiet(&mut self, wait: Duration) {
        if let Ok(Some(chunk)) = tokio::time::timeout(wait, self.response.chunk())
            .await
            .map(Result::unwrap)
        {
            let got = self.decoder.push(&chunk);
            assert!(got.is_empty(), "unexpected {got:?}");
        }
    }

    pub fn last_id(&self) -> Option<String> {
        self.decoder.last_id.clone()
    }
}

pub fn event(item: &StreamItem) -> &LiveEvent {
    match item {
        StreamItem::Event(e) => e,
        other => panic!("not an event: {other:?}"),
    }
}

fn kinds(items: &[StreamItem]) -> Vec<EventType> {
    items.iter().map(|i| event(i).event).collect()
}

async fn post_call(s: &Server, call: Value) -> Value {
    let (status, body) = s.call("POST", "/api/v1/calls", Some(call)).await;
    assert!(status == 200 || status == 201, "{status} {body}");
    body
}

fn inbound(from: &str, at: &str) -> Value {
    json!({"direction": "inbound", "from": from, "to": "+14155550100", "started_at": at,
        "status": "completed", "duration_seconds": 30})
}

#[tokio::test]
async fn writes_reach_a_stream_as_the_cores_events() {
    let s = Server::start().await;
    let mut r = Reader::open(&s.base, &s.token, "", None).await;
    let (handler, source) = s.callback_setup("Sales", None).await;
    // two agents created, then the handler's callback role
    let setup = r.take(3).await;
    assert_eq!(kinds(&setup), [EventType::AgentChanged; 3]);
    let EventData::Agent(agent) = &event(&setup[2]).data else {
        panic!()
    };
    assert_eq!(agent.id, handler);
    assert!(agent.callback_config.is_some());
    post_call(
        &s,
        json!({"direction": "outbound", "agent_id": source, "to": "+15005550006",
            "started_at": "2026-12-01T10:00:00Z", "status": "no-answer"}),
    )
    .await;
    post_call(&s, inbound("+15005550006", "2026-12-01T11:00:00Z")).await;
    let calls = r.take(3).await;
    assert_eq!(
        kinds(&calls),
        [
            EventType::CallEnded,
            EventType::CallbackRouted,
            EventType::CallEnded
        ]
    );
    let routed = event(&calls[1]);
    assert_eq!(routed.agent_id.as_deref(), Some(handler.as_str()));
    let EventData::Call(call) = &routed.data else {
        panic!()
    };
    assert_eq!(call.routing.as_ref().unwrap().reason_code, "MATCHED");
    // ids grow
    let ids: Vec<u64> = setup
        .iter()
        .chain(&calls)
        .map(|i| event(i).id.parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    // a message, and a number added unassigned
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/messages",
            Some(
                json!({"direction": "inbound", "from": "+15005550006", "to": "+14155550100",
                    "sent_at": "2026-12-01T11:05:00Z"}),
            ),
        )
        .await;
    assert!(status < 300, "{body}");
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/phone-numbers",
            Some(json!({"number": "+14155550199"})),
        )
        .await;
    assert!(status < 300, "{body}");
    let more = r.take(2).await;
    assert_eq!(
        kinds(&more),
        [EventType::MessageReceived, EventType::NumberChanged]
    );
}

#[tokio::test]
async fn a_resume_gets_exactly_what_was_missed_in_order() {
    let s = Server::start().await;
    let (_, source) = s.callback_setup("Sales", None).await;
    let mut r = Reader::open(&s.base, &s.token, "?types=event_phone_call_ended", None).await;
    post_call(
        &s,
        json!({"direction": "outbound", "agent_id": source, "to": "+15005550001",
            "started_at": "2026-12-01T10:00:00Z", "status": "completed"}),
    )
    .await;
    r.take(1).await;
    let last = r.last_id().unwrap();
    drop(r);
    // missed while away: five calls
    for i in 2..=6 {
        post_call(
            &s,
            json!({"direction": "outbound", "agent_id": source, "to": format!("+1500555000{i}"),
                "started_at": "2026-12-01T10:00:00Z", "status": "completed"}),
        )
        .await;
    }
    let mut r = Reader::open(
        &s.base,
        &s.token,
        "?types=event_phone_call_ended",
        Some(&last),
    )
    .await;
    let missed = r.take(5).await;
    let to: Vec<String> = missed
        .iter()
        .map(|i| match &event(i).data {
            EventData::Call(c) => c.to.clone(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(
        to,
        [
            "+15005550002",
            "+15005550003",
            "+15005550004",
            "+15005550005",
            "+15005550006"
        ]
    );
    // then live, with no repeat
    post_call(
        &s,
        json!({"direction": "outbound", "agent_id": source, "to": "+15005550007",
            "started_at": "2026-12-01T10:00:00Z", "status": "completed"}),
    )
    .await;
    let live = r.take(1).await;
    let EventData::Call(c) = &event(&live[0]).data else {
        panic!()
    };
    assert_eq!(c.to, "+15005550007");
    r.quiet(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn filters_keep_an_agents_events_of_the_asked_types() {
    let s = Server::start().await;
    let (handler, source) = s.callback_setup("Sales", None).await;
    let other = s.agent("Other", "outbound", &[]).await;
    let q = format!("?types=event_callback_routed,event_phone_call_ended&agent_id={source}");
    let mut r = Reader::open(&s.base, &s.token, &q, None).await;
    post_call(
        &s,
        json!({"direction": "outbound", "agent_id": other, "to": "+15005550006",
            "started_at": "2026-12-01T09:00:00Z", "status": "completed"}),
    )
    .await;
    post_call(
        &s,
        json!({"direction": "outbound", "agent_id": source, "to": "+15005550007",
            "started_at": "2026-12-01T10:00:00Z", "status": "no-answer"}),
    )
    .await;
    post_call(&s, inbound("+15005550007", "2026-12-01T11:00:00Z")).await;
    let got = r.take(3).await;
    // the source's own call, then the callback attributed to it (routed, and ended: it
    // counts for the handler, and involves the source)
    assert_eq!(
        kinds(&got),
        [
            EventType::CallEnded,
            EventType::CallbackRouted,
            EventType::CallEnded
        ]
    );
    assert_eq!(event(&got[1]).agent_id.as_deref(), Some(handler.as_str()));
    r.quiet(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn bad_parameters_are_refused_with_codes() {
    let s = Server::start().await;
    for (query, last, code) in [
        ("?types=calls", None, "INVALID_EVENT_TYPE"),
        ("?agent_id=nope", None, "INVALID_AGENT_ID"),
        ("", Some("abc"), "INVALID_LAST_EVENT_ID"),
        ("", Some("-1"), "INVALID_LAST_EVENT_ID"),
    ] {
        let mut request = s
            .http
            .get(format!("{}/api/v1/events{query}", s.base))
            .bearer_auth(&s.token);
        if let Some(l) = last {
            request = request.header("Last-Event-ID", l);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 422, "{query} {last:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(crate::harness::codes(&body), [code], "{body}");
    }
    let response = s
        .http
        .get(format!("{}/api/v1/events", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

/// A closed stream gives its place back when the server next writes to it (a heartbeat).
async fn places_back(s: &Server, open: usize) {
    let until = tokio::time::Instant::now() + Duration::from_secs(5);
    while s.app.live.open_streams() > open {
        assert!(
            tokio::time::Instant::now() < until,
            "a closed stream kept its place"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn limits_heartbeats_and_a_reset_past_the_log() {
    let settings = Settings {
        live: LiveSettings {
            per_token: 2,
            heartbeat: Duration::from_millis(200),
            ..LiveSettings::default()
        },
        ..Settings::default()
    };
    let s = Server::start_with(settings, |r| r).await;
    let (_, source) = s.callback_setup("Sales", None).await;
    let mut a = Reader::open(&s.base, &s.token, "", None).await;
    let _b = Reader::open(&s.base, &s.token, "", None).await;
    let third = s
        .http
        .get(format!("{}/api/v1/events", s.base))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    assert_eq!(third.status(), 429);
    let body: Value = third.json().await.unwrap();
    assert_eq!(crate::harness::codes(&body), ["TOO_MANY_STREAMS"]);
    let metrics = s
        .http
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.lines().any(|l| l == "dialback_event_streams 2"),
        "{metrics}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    a.quiet(Duration::from_millis(10)).await;
    // heartbeats keep an idle stream alive
    let mut chunks = 0;
    while chunks < 2 {
        let chunk = tokio::time::timeout(Duration::from_secs(2), a.response.chunk())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if chunk.starts_with(b": heartbeat") {
            chunks += 1;
        }
    }
    // the log pruned past a client's id: it is told to reload, and goes on from the head
    post_call(
        &s,
        json!({"direction": "outbound", "agent_id": source, "to": "+15005550001",
            "started_at": "2026-12-01T10:00:00Z", "status": "completed"}),
    )
    .await;
    let first = a.take(1).await;
    let old = event(&first[0]).id.clone();
    post_call(
        &s,
        json!({"direction": "outbound", "agent_id": source, "to": "+15005550002",
            "started_at": "2026-12-01T10:00:00Z", "status": "completed"}),
    )
    .await;
    a.take(1).await;
    drop(a);
    places_back(&s, 1).await;
    let removed = crate::harness::waits(|| s.app.store.events().prune_events(i64::MAX)).unwrap();
    assert!(removed >= 2);
    let mut c = Reader::open(&s.base, &s.token, "", Some(&old)).await;
    let StreamItem::Reset(reset) = &c.take(1).await[0] else {
        panic!()
    };
    assert_eq!(reset.code, "EVENTS_EXPIRED");
    post_call(
        &s,
        json!({"direction": "outbound", "agent_id": source, "to": "+15005550003",
            "started_at": "2026-12-01T10:00:00Z", "status": "completed"}),
    )
    .await;
    assert_eq!(kinds(&c.take(1).await), [EventType::CallEnded]);
    // an id ahead of the log
    drop(c);
    places_back(&s, 1).await;
    let mut d = Reader::open(
        &s.base,
        &s.token,
        "?types=event_agent_changed",
        Some("999999999"),
    )
    .await;
    let StreamItem::Reset(reset) = &d.take(1).await[0] else {
        panic!()
    };
    assert_eq!(reset.code, "EVENTS_AHEAD");
}

/// Across replicas: events written through replica A reach a stream on replica C, every one,
/// in order, once. The delay from each request's send (before its commit: an upper bound) to
/// the event's arrival is printed (`--nocapture`), not asserted: 1,000 events.
#[tokio::test]
async fn events_written_on_one_replica_reach_a_stream_on_another() {
    use crate::replicas::Replicas;
    let Some(r) = Replicas::start(3) else { return };
    let source = r.callback_setup().await;
    let mut reader =
        Reader::open(&r.base(2), &r.token, "?types=event_phone_call_ended", None).await;
    let n = 1000;
    let mut sent = Vec::with_capacity(n);
    let mut delays = Vec::with_capacity(n);
    for i in 0..n {
        let call = json!({"direction": "outbound", "agent_id": source,
            "to": format!("+1500555{i:04}"), "started_at": "2026-12-01T10:00:00Z",
            "status": "completed", "external_id": format!("x{i}")});
        let at = std::time::Instant::now();
        let (status, body) = r.call(i % 2, "POST", "/api/v1/calls", Some(call)).await;
        assert_eq!(status, 201, "{body}");
        sent.push(at);
        let item = reader.take(1).await;
        let EventData::Call(c) = &event(&item[0]).data else {
            panic!()
        };
        assert_eq!(c.to, format!("+1500555{i:04}"), "in order, once");
        delays.push(at.elapsed());
    }
    delays.sort();
    let p = |q: f64| delays[((delays.len() as f64 * q).ceil() as usize).clamp(1, delays.len()) - 1];
    println!(
        "cross-replica delivery over {n} events (request sent on replica A or B to event read on \
         C): p50 {:?}, p99 {:?}, max {:?}",
        p(0.5),
        p(0.99),
        delays[delays.len() - 1]
    );
    reader.quiet(Duration::from_millis(300)).await;
}

/// SIGTERM ends open streams at once, so the server exits well within its shutdown deadline
/// (30 s) instead of waiting for streams that never end on their own; the client sees its
/// stream end, and resumes elsewhere with its last id.
#[tokio::test]
async fn sigterm_ends_open_streams_and_the_server_exits_promptly() {
    use crate::harness::{Binary, TempDir};
    let dir = TempDir::new();
    let token = Binary::create_env(dir.db(), "live");
    let mut server = Binary::start(dir.db(), &dir.0.join("log"), &[]);
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(Reader::open(&server.base, &token, "", None).await);
    }
    let asked = std::time::Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    for s in &mut streams {
        let ended = tokio::time::timeout(Duration::from_secs(5), async {
            while let Ok(Some(_)) = s.response.chunk().await {}
        })
        .await;
        assert!(ended.is_ok(), "a stream did not end");
    }
    let exited = tokio::task::spawn_blocking(move || {
        let status = server.child.wait().unwrap();
        (status, server)
    });
    let (status, _server) = tokio::time::timeout(Duration::from_secs(10), exited)
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(
        asked.elapsed() < Duration::from_secs(10),
        "{:?}",
        asked.elapsed()
    );
}
