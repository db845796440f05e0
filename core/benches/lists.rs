//! The call list at millions of calls:
//! `cargo bench -p dialback-core --features lists --bench lists`.
//!
//! Builds a list like `cargo xtask lists` imports (a year of calls, seven in ten outbound,
//! nearly every contact distinct: the dictionary's worst case), reports its live heap per
//! call, then times a page of each filter the call lists take. `DIALBACK_LIST_CALLS` sets
//! the size (2M by default; the server benchmark runs 10M).
#![allow(
    missing_docs,
    unsafe_code,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]

use std::sync::LazyLock;

use dialback_core::wire::requests::queries::{AgentFilter, CallFilter, CallSearch};
use dialback_core::*;
use divan::{Bencher, black_box};

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static ALLOC: counting::Counting = counting::Counting;

const T0: i64 = 1_733_011_200; // 2024-12-01T00:00:00Z
const YEAR: i64 = 365 * 86_400;
const AGENTS: [AgentId; 3] = [
    AgentId::from_u128(2),
    AgentId::from_u128(3),
    AgentId::from_u128(4),
];

fn size() -> usize {
    std::env::var("DIALBACK_LIST_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000_000)
}

/// xorshift64*, as the server benchmark's generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

static LIST: LazyLock<CallList> = LazyLock::new(|| {
    let n = size();
    let before = counting::live();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut list = CallList::new();
    for i in 0..n {
        let contact = format!("+1{}{:07}", 200 + rng.next() % 700, rng.next() % 200_000);
        let outbound = rng.next() % 10 < 7;
        let (direction, agent, from, to) = if outbound {
            let agent = AGENTS[(rng.next() % 3) as usize];
            (
                Direction::Outbound,
                Some(agent),
                Some("+14155550110".to_owned()),
                contact,
            )
        } else {
            (
                Direction::Inbound,
                Some(AgentId::from_u128(1)),
                Some(contact),
                "+14155550100".to_owned(),
            )
        };
        list.push(&CallRecord {
            id: CallId(i as u64 + 1),
            external_id: None,
            direction,
            agent_id: agent,
            from,
            to: PhoneNumber::parse(&to).unwrap(),
            started_at: Timestamp::from_unix_seconds(T0 + YEAR * i as i64 / n as i64).unwrap(),
            status: CallStatus::ALL[(rng.next() % 8) as usize],
            duration_seconds: 0,
            routing: None,
        });
    }
    list.shrink_to_fit();
    let live = counting::live().saturating_sub(before);
    println!(
        "call list of {n} calls: {:.1} MB live heap, {:.1} bytes per call ({:.1} by its own \
         estimate)",
        live as f64 / 1e6,
        live as f64 / n as f64,
        list.heap_bytes() as f64 / n as f64
    );
    list
});

fn main() {
    LazyLock::force(&LIST);
    divan::main();
}

fn filters() -> Vec<(&'static str, CallFilter)> {
    let search = |t: &str| {
        let digits = t.bytes().all(|b| b.is_ascii_digit()).then(|| t.to_owned());
        CallFilter {
            search: Some(CallSearch {
                text: Some(t.to_owned()),
                digits,
            }),
            ..CallFilter::default()
        }
    };
    vec![
        ("first page", CallFilter::default()),
        (
            "status",
            CallFilter {
                status: Some(CallStatus::Completed),
                ..CallFilter::default()
            },
        ),
        (
            "direction",
            CallFilter {
                direction: Some(Direction::Inbound),
                ..CallFilter::default()
            },
        ),
        (
            "agent",
            CallFilter {
                agent: AgentFilter::Agent(AGENTS[0]),
                ..CallFilter::default()
            },
        ),
        (
            "30 days",
            CallFilter {
                since: Some(Timestamp::from_unix_seconds(T0 + YEAR / 2).unwrap()),
                until: Some(T0 + YEAR / 2 + 30 * 86_400),
                ..CallFilter::default()
            },
        ),
        (
            "number",
            CallFilter {
                number: Some(PhoneNumber::parse("+14155550100").unwrap()),
                ..CallFilter::default()
            },
        ),
        ("search 555", search("555")),
        ("search 2039", search("2039")),
        ("search a SID", search("CA0000")),
    ]
}

#[divan::bench(args = 0..9, sample_count = 20)]
fn page(bencher: Bencher, which: usize) {
    let (_, filter) = filters().swap_remove(which);
    bencher.bench(|| LIST.page(black_box(&filter), &[], 0, 20));
}

#[divan::bench(sample_count = 20)]
fn deep_page_with_a_filter(bencher: Bencher) {
    let filter = CallFilter {
        status: Some(CallStatus::Busy),
        ..CallFilter::default()
    };
    let offset = LIST.len() as u64 / 16;
    bencher.bench(|| LIST.page(black_box(&filter), &[], offset, 20));
}
