//! The SQL a store runs for a call list is the core's `CallFilter::matches`, translated: for
//! any filter, the store lists exactly the calls the core says pass, newest first. So does
//! the path the server takes first: the view's `CallList`, with the calls the store finds by
//! a SID prefix.

use dialback_core::wire::requests::queries::{CallListQuery, Params, parse_call_list};
use dialback_core::{
    AgentId, CallId, CallList, CallRecord, CallStatus, Direction, PhoneNumber, Timestamp,
};
use dialback_server::store::Slice;
use proptest::prelude::*;

use crate::harness::TempDir;

const AGENTS: [u128; 3] = [1, 2, 3];
const FROMS: [Option<&str>; 6] = [
    Some("+1 415 555 0101"),
    Some("+14155550102"),
    Some("anonymous"),
    None,
    Some("sip:+1-415-555-0103@pbx.example"),
    Some("(415) 555.0104"),
];

fn calls() -> Vec<CallRecord> {
    let mut out = Vec::new();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for i in 0..400u64 {
        let direction = if next(2) == 0 {
            Direction::Inbound
        } else {
            Direction::Outbound
        };
        out.push(CallRecord {
            id: CallId(i + 1),
            external_id: (next(3) > 0)
                .then(|| format!("CA{:x}{}", next(4096), ["", "x", "Xy"][next(3) as usize])),
            direction,
            agent_id: (next(4) > 0).then(|| AgentId::from_u128(AGENTS[next(3) as usize])),
            from: FROMS[next(6) as usize].map(str::to_owned),
            to: PhoneNumber::parse(&format!("+1415555{:04}", next(200))).unwrap(),
            started_at: Timestamp::from_unix_seconds(
                1_704_067_200 + (next(30 * 24) as i64) * 3_600,
            )
            .unwrap(),
            status: CallStatus::ALL[next(8) as usize],
            duration_seconds: next(600) as u32,
            routing: None,
        });
    }
    out
}

fn query() -> impl Strategy<Value = Params> {
    let status = prop::option::of(prop::sample::select(vec![
        "completed",
        "busy",
        "no-answer",
        "no_answer",
    ]));
    let direction = prop::option::of(prop::sample::select(vec!["inbound", "outbound"]));
    let agent = prop::option::of(prop::sample::select(vec![
        AgentId::from_u128(1).to_string(),
        AgentId::from_u128(2).to_string(),
        "agent-uuid-1".to_owned(),
    ]));
    let day = |lo: u32| prop::option::of((lo..31u32).prop_map(|d| format!("2024-01-{d:02}")));
    let tz = prop::option::of(prop::sample::select(vec![
        "UTC",
        "America/New_York",
        "Asia/Kathmandu",
    ]));
    let search = prop::option::of(prop::sample::select(vec![
        "CA1",
        "x",
        "Xy",
        "415 555 01",
        "(415) 555-0",
        "0103",
        "555.01",
        "+1415555001",
        "Sales 2",
        "pbx",
    ]));
    (status, direction, agent, day(1), day(10), tz, search).prop_map(
        |(s, d, a, from, to, tz, q)| {
            let mut p = Params::new();
            for (k, v) in [
                ("status", s.map(str::to_owned)),
                ("direction", d.map(str::to_owned)),
                ("agent_id", a),
                ("date_from", from),
                ("date_to", to),
                ("tz", tz.map(str::to_owned)),
                ("search", q.map(str::to_owned)),
            ] {
                if let Some(v) = v {
                    p.insert(k.to_owned(), v);
                }
            }
            p
        },
    )
}

#[test]
fn sql_lists_what_the_core_filter_passes() {
    let dir = TempDir::new();
    let store = crate::harness::store(&dir);
    let env = store
        .tokens()
        .create_environment("filters", dialback_core::Timestamp::EPOCH)
        .unwrap();
    let all = calls();
    let (mut tx, _) = store.begin(env, 0).unwrap();
    tx.insert_batch(&all, &[]).unwrap();
    tx.commit().unwrap();
    let mut list = CallList::new();
    all.iter().for_each(|c| list.push(c));
    list.shrink_to_fit();
    let mut newest_first = all.clone();
    newest_first.sort_by_key(|c| std::cmp::Reverse((c.started_at, c.id)));
    proptest!(ProptestConfig::with_cases(300), |(params in query())| {
        let CallListQuery { filter, .. } = parse_call_list(&params, None).unwrap();
        let expected: Vec<u64> =
            newest_first.iter().filter(|c| filter.matches(c)).map(|c| c.id.0).collect();
        let (listed, total) = store.list_calls(env, &filter,
            Slice::Page { offset: 0, limit: 1_000 }).unwrap();
        let listed: Vec<u64> = listed.iter().map(|c| c.id.0).collect();
        prop_assert_eq!(&listed, &expected, "{:?}", params);
        prop_assert_eq!(total, Some(expected.len() as u64));
        // the view's list, with what the store finds by the SID prefix
        let sids = match filter.search.as_ref().and_then(|s| s.text.as_deref()) {
            Some(prefix) => store.sids_starting_with(env, prefix, 1_000).unwrap().unwrap(),
            None => Vec::new(),
        };
        let page = list.page(&filter, &sids, 0, 1_000);
        let paged: Vec<u64> = page.ids.iter().map(|c| c.0).collect();
        prop_assert_eq!(&paged, &expected, "{:?}", params);
        prop_assert_eq!(page.total, expected.len() as u64);
    });
    // a prefix shared by more calls than asked for is left to the list query
    assert_eq!(store.sids_starting_with(env, "CA", 10).unwrap(), None);
}
