//! The call list's fast path against the rule: for random calls (in and out of time order,
//! formatted and withheld callers, every status) and random filters, every page and total
//! `CallList::page` gives is what filtering the same calls with `CallFilter::matches` and
//! sorting them newest first gives.

use dialback_core::wire::requests::queries::{AgentFilter, CallFilter, CallSearch};
use dialback_core::*;
use proptest::prelude::*;

const FROMS: [&str; 7] = [
    "+14155550100",
    "+1 (415) 555-0101",
    "+442079460958",
    "anonymous",
    "+44 20 7946 0959",
    "555",
    "+33 1 23 45 67 89",
];
const TOS: [&str; 4] = [
    "+14155550100",
    "+14155550199",
    "+442079460958",
    "+33123456789",
];

fn calls() -> impl Strategy<Value = Vec<CallRecord>> {
    prop::collection::vec(
        (
            0i64..2_000,
            any::<bool>(),
            0usize..8,
            0u128..4,
            0usize..8,
            0usize..4,
            0u32..40,
        ),
        0..160,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(
                |(i, (at, outbound, status, agent, from, to, sid))| CallRecord {
                    id: CallId(i as u64 + 1),
                    external_id: (sid % 5 != 0).then(|| format!("CA{sid:02}x{i}")),
                    direction: if outbound {
                        Direction::Outbound
                    } else {
                        Direction::Inbound
                    },
                    agent_id: (agent != 0).then(|| AgentId::from_u128(agent)),
                    from: FROMS.get(from).map(|f| (*f).to_owned()),
                    to: PhoneNumber::parse(TOS[to]).unwrap(),
                    started_at: Timestamp::from_unix_seconds(1_700_000_000 + at * 60).unwrap(),
                    status: CallStatus::ALL[status],
                    duration_seconds: 0,
                    routing: None,
                },
            )
            .collect()
    })
}

fn filters() -> impl Strategy<Value = CallFilter> {
    (
        prop::option::of(0usize..8),
        prop::option::of(any::<bool>()),
        0u128..6,
        prop::option::of(0i64..2_000),
        prop::option::of(0i64..2_000),
        prop::option::of(0usize..4),
        prop::option::of(prop_oneof![
            Just("CA1"),
            Just("CA0"),
            Just("CA17x"),
            Just("zz"),
            Just("555"),
            Just("4155"),
            Just("7946 09"),
        ]),
        any::<bool>(),
    )
        .prop_map(
            |(status, outbound, agent, since, until, number, text, numbers_only)| CallFilter {
                status: status.map(|s| CallStatus::ALL[s]),
                direction: outbound.map(|o| {
                    if o {
                        Direction::Outbound
                    } else {
                        Direction::Inbound
                    }
                }),
                agent: match agent {
                    0 => AgentFilter::Any,
                    5 => AgentFilter::Unknown,
                    a => AgentFilter::Agent(AgentId::from_u128(a)),
                },
                since: since.map(|m| Timestamp::from_unix_seconds(1_700_000_000 + m * 60).unwrap()),
                until: until.map(|m| 1_700_000_000 + m * 60),
                number: number.map(|n| PhoneNumber::parse(TOS[n]).unwrap()),
                search: text.map(|t| {
                    if numbers_only {
                        CallSearch::numbers_only(t)
                    } else {
                        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
                        let number_like = t
                            .chars()
                            .all(|c| c.is_ascii_digit() || " +-.()".contains(c));
                        CallSearch {
                            text: Some(t.to_owned()),
                            digits: (number_like && digits.len() >= 3).then_some(digits),
                        }
                    }
                }),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn every_page_and_total_is_the_rules(calls in calls(), filter in filters(), offset in 0u64..40,
        limit in 1u64..25) {
        let mut list = CallList::new();
        for c in &calls {
            list.push(c);
        }
        // what storage finds for a search's SID part
        let text = filter.search.as_ref().and_then(|s| s.text.as_deref());
        let sids: Vec<ListKey> = calls
            .iter()
            .filter(|c| c.external_id.as_deref().zip(text).is_some_and(|(sid,
                t)| sid.starts_with(t)))
            .map(|c| ListKey { started_at: c.started_at.unix_seconds(), id: c.id })
            .collect();
        let mut expected: Vec<&CallRecord> = calls.iter().filter(|c| filter.matches(c)).collect();
        expected.sort_by_key(|c| std::cmp::Reverse((c.started_at, c.id.0)));
        let page: Vec<CallId> =
            expected.iter().skip(offset as usize).take(limit as usize).map(|c| c.id).collect();
        let got = list.page(&filter, &sids, offset, limit);
        prop_assert_eq!(got.total, expected.len() as u64);
        prop_assert_eq!(&got.ids, &page);
        // the same once everything is sorted
        list.sort();
        prop_assert_eq!(list.page(&filter, &sids, offset, limit), got);
    }
}
