//! The live stream's bodies as a client reads them: what the server builds, framed and read
//! back in pieces, is the event it was about; what does not add up is refused.

use dialback_core::live::body::{of_changed_agent, of_recorded_call};
use dialback_core::live::check::EventData;
use dialback_core::live::sse::{frame, reset_frame};
use dialback_core::live::{
    EventFilter, EventType, LiveError, SseDecoder, SseMessage, StreamItem, read_message,
};
use dialback_core::webhook::payload::Names;
use dialback_core::*;

use crate::support::t;

struct World {
    dir: AgentDirectory,
    inbound: AgentId,
    sales: AgentId,
    line: PhoneNumber,
    contact: PhoneNumber,
}

fn world() -> World {
    let inbound = AgentId::from_u128(1);
    let sales = AgentId::from_u128(2);
    let line = PhoneNumber::parse("+14155550100").unwrap();
    let contact = PhoneNumber::parse("+442079460958").unwrap();
    let config = CallbackConfig {
        source_agent_ids: vec![sales],
        lookback_days: None,
        callback_trigger_statuses: None,
    };
    let dir = AgentDirectory::new([
        Agent {
            id: inbound,
            name: "Callback Handler".into(),
            direction: Direction::Inbound,
            phone_numbers: vec![line],
            callback_config: Some(config),
        },
        Agent {
            id: sales,
            name: "Sales Outbound".into(),
            direction: Direction::Outbound,
            phone_numbers: vec![],
            callback_config: None,
        },
    ])
    .unwrap();
    World {
        dir,
        inbound,
        sales,
        line,
        contact,
    }
}

fn routed_call(w: &World) -> CallRecord {
    let mut routing = CallbackRouting::new(&w.dir, []);
    routing.insert_outbound(callback::index::OutboundCall {
        id: CallId(7),
        agent_id: w.sales,
        to: w.contact,
        started_at: t("2024-01-02T10:00:00Z"),
        status: CallStatus::NoAnswer,
    });
    let at = t("2024-01-05T09:00:00Z");
    let decision = routing.route(&InboundCall {
        from: Caller::Number(w.contact),
        to: w.line,
        at,
    });
    CallRecord {
        id: CallId(8),
        external_id: Some("CA1".into()),
        direction: Direction::Inbound,
        agent_id: call_agent(Direction::Inbound, None, Some(&decision)),
        from: Some(w.contact.to_string()),
        to: w.line,
        started_at: at,
        status: CallStatus::Completed,
        duration_seconds: 42,
        routing: Some(decision),
    }
}

/// The events of a callback routed to the handler: routed, then ended.
fn routed_events(w: &World) -> Vec<dialback_core::live::body::Built> {
    let call = routed_call(w);
    let names = Names {
        directory: &w.dir,
        number_id: None,
    };
    of_recorded_call(&call, &names, t("2024-01-05T09:01:00Z"))
}

fn read_all(text: &str) -> Vec<SseMessage> {
    let mut d = SseDecoder::new();
    text.as_bytes().chunks(3).flat_map(|c| d.push(c)).collect()
}

#[test]
fn a_routed_call_streams_as_two_events_a_client_reads_back() {
    let w = world();
    let built = routed_events(&w);
    assert_eq!(
        built.iter().map(|b| b.kind).collect::<Vec<_>>(),
        [EventType::CallbackRouted, EventType::CallEnded]
    );
    assert_eq!(built[0].agents, {
        let mut a = vec![w.inbound, w.sales];
        a.sort();
        a
    });
    // the agent filter is the one rule the server applies
    let mut text = String::new();
    for (i, b) in built.iter().enumerate() {
        assert!(
            EventFilter::all()
                .with_agent(w.sales)
                .matches(b.kind, &b.agents)
        );
        text += &frame(
            100 + i as u64,
            b.kind,
            std::str::from_utf8(&b.body).unwrap(),
        );
    }
    let messages = read_all(&text);
    let StreamItem::Event(routed) = read_message(&messages[0]).unwrap() else {
        panic!()
    };
    assert_eq!(routed.id, "100");
    assert_eq!(routed.agent_name.as_deref(), Some("Callback Handler"));
    assert_eq!(routed.timestamp, "2024-01-05T09:01:00.000Z");
    let EventData::Call(body) = &routed.data else {
        panic!()
    };
    let routing = body.routing.as_ref().unwrap();
    assert_eq!(routing.reason_code, "MATCHED");
    assert!(
        routing.explanation.contains("Sales Outbound"),
        "{}",
        routing.explanation
    );
    let StreamItem::Event(ended) = read_message(&messages[1]).unwrap() else {
        panic!()
    };
    assert_eq!(ended.event, EventType::CallEnded);
    // what a client is given is the body it was sent, typed
    let v = serde_json::to_value(&*ended).unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&built[1].body).unwrap();
    assert_eq!(v["data"]["id"], sent["data"]["id"]);
    assert_eq!(v["event"], "event_phone_call_ended");
}

#[test]
fn an_agent_change_carries_the_agent_object() {
    let w = world();
    let now = t("2024-01-05T09:00:00Z");
    let record = AgentRecord {
        id: w.inbound,
        name: "Callback Handler".into(),
        direction: Direction::Inbound,
        callback_config: w.dir.get(&w.inbound).unwrap().callback_config.clone(),
        status: AgentStatus::Published,
        profile: AgentProfile::for_name("Callback Handler"),
        created_at: now,
        updated_at: now,
    };
    let b = of_changed_agent(&record, &[], now);
    let m = read_all(&frame(5, b.kind, std::str::from_utf8(&b.body).unwrap()));
    let StreamItem::Event(e) = read_message(&m[0]).unwrap() else {
        panic!()
    };
    let EventData::Agent(agent) = &e.data else {
        panic!()
    };
    assert_eq!(agent.id, w.inbound.to_string());
    assert!(agent.callback_config.is_some());
}

#[test]
fn what_does_not_add_up_is_refused_with_a_code() {
    let w = world();
    let built = routed_events(&w);
    let body = std::str::from_utf8(&built[0].body).unwrap();
    let cases = [
        // the stream's name and the body's disagree
        frame(1, EventType::CallEnded, body),
        // not JSON
        frame(1, EventType::CallbackRouted, "{"),
        // no id
        format!("event: event_callback_routed\ndata: {body}\n\n"),
        // a routed callback that is outbound
        frame(
            1,
            EventType::CallbackRouted,
            &body.replace("\"inbound\"", "\"outbound\""),
        ),
    ];
    for text in cases {
        let m = read_all(&text);
        let err = read_message(&m[0]).unwrap_err();
        assert!(matches!(err, LiveError::Unreadable { .. }), "{text}");
        assert_eq!(ErrorCode::code(&err), "EVENT_UNREADABLE");
    }
}

#[test]
fn a_reset_and_an_unknown_type_are_read_not_refused() {
    let m = read_all(&reset_frame(
        9,
        "EVENTS_EXPIRED",
        "older than the log keeps",
    ));
    let StreamItem::Reset(r) = read_message(&m[0]).unwrap() else {
        panic!()
    };
    assert_eq!((r.id.as_str(), r.code.as_str()), ("9", "EVENTS_EXPIRED"));
    let m = read_all("id: 3\nevent: event_from_the_future\ndata: {}\n\n");
    assert!(matches!(
        read_message(&m[0]).unwrap(),
        StreamItem::Other { .. }
    ));
}
