//! Routing on arbitrary histories and calls: `route` and `route_many` agree and never panic.
#![no_main]

use dialback_core::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut words = data
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()));
    let mut next = move || words.next().unwrap_or(0);
    let line = PhoneNumber::from_u64(14_155_550_100).unwrap_or_else(|| unreachable!());
    let contact = |w: u64| PhoneNumber::from_u64(10 + w % 7).unwrap_or_else(|| unreachable!());
    let triggers = StatusSet::ALL
        .iter()
        .filter(|s| next() & (1 << *s as u8) != 0)
        .collect::<Vec<_>>();
    let config = CallbackConfig {
        source_agent_ids: vec![AgentId::from_u128(1), AgentId::from_u128(2)],
        lookback_days: LookbackDays::new((next() % 400) as u16),
        callback_trigger_statuses: (!triggers.is_empty()).then_some(triggers),
    };
    let dir = AgentDirectory::new([Agent {
        id: AgentId::from_u128(9),
        name: "H".into(),
        direction: Direction::Inbound,
        phone_numbers: vec![line],
        callback_config: Some(config),
    }])
    .unwrap_or_default();
    let ts = |w: u64| {
        Timestamp::from_unix_seconds((w % 4_000_000_000) as i64).unwrap_or(Timestamp::EPOCH)
    };
    let n = (next() % 160) as usize; // some contacts get more than 16 calls
    let mut index = OutboundIndex::build((0..n).map(|_| OutboundCall {
        id: CallId(next() % 50),
        agent_id: AgentId::from_u128(u128::from(next() % 4)),
        to: contact(next()),
        started_at: ts(next()),
        status: CallStatus::ALL[(next() % 8) as usize],
    }));
    for _ in 0..(next() % 8) {
        index.insert(OutboundCall {
            id: CallId(next()),
            agent_id: AgentId::from_u128(1),
            to: contact(next()),
            started_at: ts(next()),
            status: CallStatus::Busy,
        });
    }
    let calls: Vec<InboundCall> = (0..(next() % 40)) // several chunks of the batch pipeline
        .map(|_| InboundCall {
            from: if next() % 5 == 0 {
                Caller::Withheld
            } else {
                Caller::Number(contact(next()))
            },
            to: if next() % 4 == 0 {
                contact(next())
            } else {
                line
            },
            at: ts(next()),
        })
        .collect();
    let router = Router::new(&dir, &index);
    let one_by_one: Vec<RoutingDecision> = calls.iter().map(|c| router.route(c)).collect();
    assert_eq!(router.route_many(&calls), one_by_one);
    for d in &one_by_one {
        let _ = d.explain(&dir);
    }
});
