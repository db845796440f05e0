//! The bulk reader counts exactly what the logs count when fed the decisions directly.

use super::*;
use crate::agent::{Agent, AgentDirectory};
use crate::call::CallId;
use crate::call::call_agent;
use crate::callback::{CallbackConfig, Caller, InboundCall, OutboundCall, OutboundIndex, Router};
use crate::time::{DateRange, Zone};
use crate::usage::{Period, usage_period};
use crate::wire::talkover::{AgentRef, CallBody, CallItem, RoutingBody};

const SALES: AgentId = AgentId::from_u128(0x11);
const HANDLER: AgentId = AgentId::from_u128(0x22);
const SUPPORT: AgentId = AgentId::from_u128(0x33);

fn n(s: &str) -> PhoneNumber {
    PhoneNumber::parse(s).unwrap()
}

fn directory() -> AgentDirectory {
    let agent = |id, name: &str, direction, number: &str, config| Agent {
        id,
        name: name.into(),
        direction,
        phone_numbers: vec![n(number)],
        callback_config: config,
    };
    AgentDirectory::new([
        agent(SALES, "Sales", Direction::Outbound, "+14155550001", None),
        agent(
            HANDLER,
            "Callbacks",
            Direction::Inbound,
            "+14155550100",
            Some(CallbackConfig {
                source_agent_ids: vec![SALES],
                lookback_days: None,
                callback_trigger_statuses: None,
            }),
        ),
        agent(SUPPORT, "Support", Direction::Inbound, "+14155550200", None),
    ])
    .unwrap()
}

/// A day of calls written as the server writes them, and the logs built from the decisions.
fn calls() -> (Vec<CallItem>, CallbackLog, ActivityLog) {
    let dir = directory();
    let base = Timestamp::parse("2024-03-09T12:00:00Z")
        .unwrap()
        .unix_seconds();
    let statuses = [
        CallStatus::Completed,
        CallStatus::NoAnswer,
        CallStatus::Answered,
    ];
    let mut bodies = Vec::new();
    let mut outbound = Vec::new();
    for i in 0..40u64 {
        let at = Timestamp::from_unix_seconds(base + i as i64 * 3_000).unwrap();
        let to = format!("+4420794609{:02}", i % 25);
        let status = statuses[(i % 3) as usize];
        outbound.push(OutboundCall {
            id: CallId(i),
            agent_id: SALES,
            to: n(&to),
            started_at: at,
            status,
        });
        bodies.push(item(
            i,
            None,
            Direction::Outbound,
            Some(SALES),
            Some("+14155550001".into()),
            to,
            at,
            status,
            60 + i as u32,
            None,
        ));
    }
    let index = OutboundIndex::build(outbound);
    let router = Router::new(&dir, &index);
    let mut callbacks = CallbackLog::new();
    let mut activity = ActivityLog::new();
    for b in &bodies {
        let status = b.call.status;
        activity.push(&ActivityRecord {
            agent_id: Some(SALES),
            number: Some(n("+14155550001")),
            at: b.call.created_at,
            activity: Activity::Call {
                status,
                duration_seconds: b.call.duration,
            },
        });
    }
    let dialed = ["+14155550100", "+14155550200", "+14155559999"];
    for i in 0..60u64 {
        let at = Timestamp::from_unix_seconds(base + 1_000 + i as i64 * 2_500).unwrap();
        let from = match i % 7 {
            0 => None,
            1 => Some("anonymous".to_owned()),
            _ => Some(format!("+4420794609{:02}", i % 30)),
        };
        let to = dialed[(i % 3) as usize];
        let status = statuses[(i % 3) as usize];
        let decision = router.route(&InboundCall {
            from: Caller::parse(from.as_deref()),
            to: n(to),
            at,
        });
        if let Some(r) = CallbackRecord::from_decision(&decision, at, status) {
            callbacks.push(r);
        }
        let seconds = 30 + i as u32;
        activity.push(&ActivityRecord {
            agent_id: call_agent(Direction::Inbound, None, Some(&decision)),
            number: Some(n(to)),
            at,
            activity: Activity::Call {
                status,
                duration_seconds: seconds,
            },
        });
        bodies.push(item(
            100 + i,
            Some(format!("ext-{i}")),
            Direction::Inbound,
            decision.routed_to(),
            from,
            to.into(),
            at,
            status,
            seconds,
            Some(RoutingBody::new(decision, &dir)),
        ));
    }
    (bodies, callbacks, activity)
}

/// A call as `GET /api/v1/calls` lists it.
#[allow(clippy::too_many_arguments)]
fn item(
    id: u64,
    external_id: Option<String>,
    direction: Direction,
    agent: Option<AgentId>,
    from: Option<String>,
    to: String,
    at: Timestamp,
    status: CallStatus,
    duration: u32,
    routing: Option<RoutingBody>,
) -> CallItem {
    let names = directory();
    CallItem {
        call: CallBody {
            id: id.to_string(),
            sid: external_id.clone(),
            to,
            to_formatted: None,
            from,
            from_formatted: None,
            is_testing: false,
            direction,
            status,
            duration,
            created_at: at,
            updated_at: Some(at.saturating_add_seconds(i64::from(duration))),
            external_id,
            routing,
        },
        agent: agent.map(|a| AgentRef {
            id: a.to_string(),
            name: names.get(&a).map(|x| x.name.clone()).unwrap_or_default(),
            label: None,
        }),
    }
}

fn same_counts(feed: &CallFeed, callbacks: &CallbackLog, activity: &ActivityLog) {
    let dir = directory();
    let now = Timestamp::parse("2024-03-12T00:00:00Z").unwrap();
    let range = DateRange::parse(
        Some("2024-03-01"),
        Some("2024-03-31"),
        Some("Europe/London"),
        now,
    )
    .unwrap();
    assert_eq!(feed.callbacks.stats(&range), callbacks.stats(&range));
    let stats = feed.callbacks.stats(&range);
    assert!(stats.received > 0 && stats.unmatched > 0);
    let month = usage_period(Period::Month, Zone::parse("America/New_York").unwrap(), now);
    assert_eq!(
        feed.activity.by_agent(&month, &dir),
        activity.by_agent(&month, &dir)
    );
    assert_eq!(feed.activity.daily(&range), activity.daily(&range));
    assert_eq!(feed.calls, 100);
}

#[test]
fn ndjson_and_json_count_what_the_decisions_say() {
    let (bodies, callbacks, activity) = calls();
    let ndjson: String = bodies
        .iter()
        .map(|b| serde_json::to_string(b).unwrap() + "\r\n")
        .collect();
    let feed = CallFeed::from_ndjson(format!("\n{ndjson}\n  \n").as_bytes()).unwrap();
    same_counts(&feed, &callbacks, &activity);

    let array = serde_json::to_string(&bodies).unwrap();
    let feed = CallFeed::from_json(array.as_bytes()).unwrap();
    same_counts(&feed, &callbacks, &activity);

    let envelope =
        serde_json::json!({"success": true, "meta": {"x": [1, {"data": 2}]}, "data": bodies});
    let feed = CallFeed::from_json(envelope.to_string().as_bytes()).unwrap();
    same_counts(&feed, &callbacks, &activity);
}

/// Compact JSON goes through the one-pass scanner; pretty-printed JSON, an escaped field, or a
/// second `data` make it step aside for the serde reader. Both count the same.
#[test]
fn the_json_scanner_and_the_serde_reader_agree() {
    let (bodies, callbacks, activity) = calls();
    let compact = serde_json::to_string(&bodies).unwrap();
    assert!(
        scan::document(compact.as_bytes(), |_| Some(())).is_some(),
        "the fast path reads it"
    );
    let pretty = serde_json::to_string_pretty(&bodies).unwrap();
    assert!(
        scan::document(pretty.as_bytes(), |_| Some(())).is_none(),
        "line breaks inside calls"
    );
    for text in [compact.clone(), pretty, format!(" \n{compact}\n ")] {
        same_counts(
            &CallFeed::from_json(text.as_bytes()).unwrap(),
            &callbacks,
            &activity,
        );
    }
    // an escape in a field the scanner reads: that call is read by serde, as is the rest
    let escaped = compact.replacen("\"status\":\"", "\"st\\u0061tus\":\"", 1);
    assert!(scan::document(escaped.as_bytes(), |_| Some(())).is_none());
    same_counts(
        &CallFeed::from_json(escaped.as_bytes()).unwrap(),
        &callbacks,
        &activity,
    );
    // a page with two `data` keys: serde's rule (the first) decides
    let twice = format!("{{\"data\":{compact},\"data\":[]}}");
    assert!(scan::document(twice.as_bytes(), |_| Some(())).is_none());
    same_counts(
        &CallFeed::from_json(twice.as_bytes()).unwrap(),
        &callbacks,
        &activity,
    );
    // trailing bytes after the document are an error from either path
    assert_eq!(
        fails(CallFeed::from_json(format!("{compact} x").as_bytes())).0,
        "INVALID_JSON"
    );
}

#[test]
fn the_shape_dialback_wrote_before_reads_the_same() {
    let (bodies, callbacks, activity) = calls();
    let old: Vec<serde_json::Value> = bodies
        .iter()
        .map(|b| {
            let mut v = serde_json::to_value(b).unwrap();
            let o = v.as_object_mut().unwrap();
            let outbound = o["direction"] == "outbound";
            let agent = o.remove("agent").unwrap();
            o.insert(
                "agent_id".into(),
                if outbound {
                    agent["id"].clone()
                } else {
                    serde_json::Value::Null
                },
            );
            let at = o.remove("created_at").unwrap();
            o.insert("started_at".into(), at);
            let d = o.remove("duration").unwrap();
            o.insert("duration_seconds".into(), d);
            v
        })
        .collect();
    let ndjson: String = old.iter().map(|b| b.to_string() + "\n").collect();
    same_counts(
        &CallFeed::from_ndjson(ndjson.as_bytes()).unwrap(),
        &callbacks,
        &activity,
    );
}

#[test]
fn newest_first_counts_the_same() {
    let (mut bodies, callbacks, activity) = calls();
    bodies.reverse();
    let feed = CallFeed::from_json(serde_json::to_string(&bodies).unwrap().as_bytes()).unwrap();
    same_counts(&feed, &callbacks, &activity);
}

fn fails(result: Result<CallFeed, FeedError>) -> (String, String) {
    let e = result.unwrap_err();
    (e.code().to_owned(), e.location)
}

#[test]
fn bad_input_says_where_and_why() {
    let (bodies, ..) = calls();
    let good = serde_json::to_string(&bodies[0]).unwrap();
    let inbound = serde_json::to_value(&bodies[45]).unwrap();
    let mut unrouted = inbound.clone();
    unrouted.as_object_mut().unwrap().remove("routing");
    unrouted.as_object_mut().unwrap().remove("agent");
    let mut bad_time = inbound.clone();
    bad_time["created_at"] = "yesterday".into();
    let mut bad_agent = serde_json::to_value(&bodies[0]).unwrap();
    bad_agent["agent"] = serde_json::json!({"id": "agent-uuid-1", "name": "x"});

    let ndjson = |lines: &[String]| CallFeed::from_ndjson(lines.join("\n").as_bytes());
    let check = |lines: Vec<String>, code: &str, location: &str| {
        assert_eq!(
            fails(ndjson(&lines)),
            (code.to_owned(), location.to_owned())
        );
    };
    check(
        vec![good.clone(), "{\"direction\":".into()],
        "INVALID_JSON",
        "line 2",
    );
    check(
        vec![good.clone(), good.clone(), unrouted.to_string()],
        "ROUTING_MISSING",
        "line 3",
    );
    check(vec![bad_time.to_string()], "INVALID_CALL", "line 1");
    check(
        vec![good.clone(), bad_agent.to_string()],
        "INVALID_CALL",
        "line 2",
    );
    check(vec!["[]".into()], "INVALID_JSON", "line 1");
    // a raw line break inside a long string ends the line: the call is broken, not merged
    // with the next line
    let mut long = serde_json::to_value(&bodies[0]).unwrap();
    long["external_id"] = "0123456789abcdef\n0123456789".into();
    let split = serde_json::to_string(&long).unwrap().replace("\\n", "\n");
    check(vec![split, good.clone()], "INVALID_JSON", "line 1");

    let json = |v: serde_json::Value| fails(CallFeed::from_json(v.to_string().as_bytes()));
    assert_eq!(
        json(serde_json::json!([bodies[0], bad_time])),
        ("INVALID_CALL".into(), "data[1]".into())
    );
    assert_eq!(json(serde_json::json!({"success": true})).0, "INVALID_JSON");
    assert_eq!(
        json(serde_json::json!({"data": {"data": []}})).0,
        "INVALID_JSON"
    );
    assert_eq!(json(serde_json::json!(42)).0, "INVALID_JSON");
    assert_eq!(fails(CallFeed::from_json(b"[] []")).0, "INVALID_JSON");
    assert_eq!(fails(CallFeed::from_json(&[0xff, 0xfe])).0, "INVALID_JSON");
}

#[test]
fn chunks_of_any_size_read_like_the_whole() {
    let (bodies, callbacks, activity) = calls();
    let ndjson: String = bodies
        .iter()
        .map(|b| serde_json::to_string(b).unwrap() + "\n")
        .collect();
    for size in [1, 7, 100, 4096, ndjson.len()] {
        let mut reader = NdjsonReader::new();
        for chunk in ndjson.as_bytes().chunks(size) {
            reader.push(chunk).unwrap();
        }
        same_counts(&reader.finish().unwrap(), &callbacks, &activity);
    }
    // a bad line is reported with its number whatever the chunking
    let broken = format!("{ndjson}{{\"direction\": 1}}\n");
    for size in [3, 50, broken.len()] {
        let mut reader = NdjsonReader::new();
        let pushed: Result<(), FeedError> = broken
            .as_bytes()
            .chunks(size)
            .try_for_each(|c| reader.push(c));
        let e = pushed
            .and_then(|()| reader.finish().map(|_| ()))
            .unwrap_err();
        assert_eq!(
            (e.code(), e.location.as_str()),
            ("INVALID_JSON", "line 101")
        );
    }
}

/// What the npm package's JavaScript reader makes of call objects, written here from the
/// same JSON values: every text interned, timestamps as 20 bytes when they fit.
struct Built {
    table: Vec<u8>,
    ends: Vec<u32>,
    cols: [Vec<u32>; 10],
    at: Vec<u8>,
    duration: Vec<u32>,
    routed: Vec<u8>,
}

fn columns_of(calls: &[serde_json::Value]) -> Built {
    use std::collections::HashMap;
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut b = Built {
        table: Vec::new(),
        ends: Vec::new(),
        cols: Default::default(),
        at: Vec::new(),
        duration: Vec::new(),
        routed: Vec::new(),
    };
    let mut intern = |b: &mut Built, v: Option<&serde_json::Value>| -> u32 {
        match v {
            None => ABSENT,
            Some(serde_json::Value::Null) => NULL,
            Some(v) => {
                let s = v.as_str().unwrap().to_owned();
                *seen.entry(s.clone()).or_insert_with(|| {
                    b.table.extend_from_slice(s.as_bytes());
                    b.ends.push(b.table.len() as u32);
                    b.ends.len() as u32 - 1
                })
            }
        }
    };
    for c in calls {
        let at = c
            .get("created_at")
            .or(c.get("started_at"))
            .unwrap()
            .as_str()
            .unwrap();
        let routing = c.get("routing").filter(|r| !r.is_null());
        let fields = [
            c.get("direction"),
            c.get("agent_id"),
            c.get("agent")
                .map(|a| if a.is_null() { a } else { &a["id"] }),
            c.get("from"),
            c.get("to"),
            c.get("status"),
            routing.and_then(|r| r.get("callback_agent_id")),
            routing.and_then(|r| r.get("agent_id")),
            routing
                .and_then(|r| r.get("last_call"))
                .filter(|l| !l.is_null())
                .and_then(|l| l.get("source_agent_id")),
        ];
        for (k, f) in fields.into_iter().enumerate() {
            let v = intern(&mut b, f);
            b.cols[k].push(v);
        }
        if at.len() == 20 {
            b.at.extend_from_slice(at.as_bytes());
            b.cols[9].push(ABSENT);
        } else {
            b.at.extend_from_slice(&[0; 20]);
            let v = intern(&mut b, Some(&serde_json::Value::from(at)));
            b.cols[9].push(v);
        }
        let d = c
            .get("duration")
            .or(c.get("duration_seconds"))
            .and_then(serde_json::Value::as_u64);
        b.duration.push(d.unwrap_or(0) as u32);
        b.routed.push(u8::from(routing.is_some()));
    }
    b
}

impl Built {
    fn columns(&self) -> Columns<'_> {
        let [
            direction,
            agent_id,
            agent,
            from,
            to,
            status,
            callback_agent_id,
            routing_agent_id,
            source_agent_id,
            at_text,
        ] = &self.cols;
        Columns {
            table: &self.table,
            ends: &self.ends,
            direction,
            agent_id,
            agent,
            from,
            to,
            status,
            numbers: &[],
            number_len: &[],
            at: &self.at,
            at_text,
            duration: &self.duration,
            routed: &self.routed,
            callback_agent_id,
            routing_agent_id,
            source_agent_id,
        }
    }
}

#[test]
fn columns_count_what_ndjson_counts_and_name_the_bad_call() {
    let (bodies, callbacks, activity) = calls();
    let values: Vec<serde_json::Value> = bodies
        .iter()
        .map(|b| serde_json::to_value(b).unwrap())
        .collect();
    let built = columns_of(&values);
    let feed = CallFeed::from_columns(&built.columns(), values.len()).unwrap();
    same_counts(&feed, &callbacks, &activity);

    let mut bad = values.clone();
    bad[7]["status"] = "sideways".into();
    let built = columns_of(&bad);
    let e = CallFeed::from_columns(&built.columns(), bad.len()).unwrap_err();
    assert_eq!((e.code, e.location.as_str()), ("INVALID_CALL", "calls[7]"));
    assert!(e.message.contains("sideways"), "{e:?}");
    // columns shorter than the count they claim: an error, never a panic
    let good = columns_of(&values);
    let e = CallFeed::from_columns(&good.columns(), values.len() + 3).unwrap_err();
    assert_eq!(e.location, format!("calls[{}]", values.len()));
    assert!(CallFeed::from_columns(&Columns::default(), 2).is_err());
}

#[test]
fn columns_give_the_router_the_fields_json_gives_it() {
    use crate::wire::talkover::calls::RoutingFields;
    let (bodies, _, _) = calls();
    let values: Vec<serde_json::Value> = bodies
        .iter()
        .map(|b| serde_json::to_value(b).unwrap())
        .collect();
    let built = columns_of(&values);
    let columns = built.columns();
    for (i, value) in values.iter().enumerate() {
        let from_json: RoutingFields = serde_json::from_value(value.clone()).unwrap();
        let from_columns = columns.routing_fields(i, from_json.id.clone()).unwrap();
        assert_eq!(from_columns, from_json, "calls[{i}]");
    }
    let mut bad = values[3].clone();
    bad["direction"] = "sideways".into();
    let built = columns_of(&[bad]);
    let e = built.columns().routing_fields(0, "1".into()).unwrap_err();
    assert!(e.contains("direction") && e.contains("sideways"), "{e}");
    // past the columns' end: an error, never a panic
    assert!(columns.routing_fields(values.len(), "1".into()).is_err());
}
