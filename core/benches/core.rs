//! Throughput of the hot paths on a million records: `cargo bench -p dialback-core`.
//!
//! Each benchmark counts items, so divan prints items/s beside the time; the targets are in
//! the README (routing ≥ 20M calls/s, stats ≥ 200M calls/s, usage ≥ 100M records/s, period
//! bounds for random zones, an index of 1M outbound calls in ≤ 64 MB).
#![allow(
    missing_docs,
    unsafe_code,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]

use std::sync::LazyLock;

use dialback_core::*;
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static ALLOC: counting::Counting = counting::Counting;

const N: usize = 1_000_000;
const CONTACTS: u64 = 400_000;
const T0: i64 = 1_704_067_200; // 2024-01-01T00:00:00Z
const DAYS: i64 = 90;

/// xorshift64*: deterministic data, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn contact(i: u64) -> PhoneNumber {
    PhoneNumber::from_u64(4_420_000_000_000 + i).unwrap()
}

fn ts(secs: i64) -> Timestamp {
    Timestamp::from_unix_seconds(secs).unwrap()
}

const HANDLER: AgentId = AgentId::from_u128(1);
const SOURCES: [AgentId; 3] = [
    AgentId::from_u128(2),
    AgentId::from_u128(3),
    AgentId::from_u128(4),
];
const OTHER: AgentId = AgentId::from_u128(5);
const LINE: u64 = 14_155_550_100;

fn directory() -> AgentDirectory {
    let config = CallbackConfig {
        source_agent_ids: SOURCES.to_vec(),
        lookback_days: None,
        callback_trigger_statuses: Some(vec![
            CallStatus::NoAnswer,
            CallStatus::Voicemail,
            CallStatus::Busy,
        ]),
    };
    let mut agents = vec![Agent {
        id: HANDLER,
        name: "Callback Handler".into(),
        direction: Direction::Inbound,
        phone_numbers: vec![PhoneNumber::from_u64(LINE).unwrap()],
        callback_config: Some(config),
    }];
    for (i, id) in SOURCES.iter().chain([&OTHER]).enumerate() {
        agents.push(Agent {
            id: *id,
            name: format!("Outbound {i}"),
            direction: Direction::Outbound,
            phone_numbers: vec![],
            callback_config: None,
        });
    }
    AgentDirectory::new(agents).unwrap()
}

fn outbound_calls() -> Vec<OutboundCall> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let agents = [SOURCES[0], SOURCES[1], SOURCES[2], OTHER];
    (0..N as u64)
        .map(|i| OutboundCall {
            id: CallId(i),
            agent_id: agents[rng.below(4) as usize],
            to: contact(rng.below(CONTACTS)),
            started_at: ts(T0 + rng.below((DAYS * 86_400) as u64) as i64),
            status: CallStatus::ALL[rng.below(8) as usize],
        })
        .collect()
}

fn inbound_calls() -> Vec<InboundCall> {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    (0..N)
        .map(|_| InboundCall {
            // a tenth of callers were never called
            from: Caller::Number(contact(rng.below(CONTACTS + CONTACTS / 10))),
            to: PhoneNumber::from_u64(if rng.below(20) == 0 { LINE + 1 } else { LINE }).unwrap(),
            at: ts(T0 + rng.below((DAYS * 86_400) as u64) as i64),
        })
        .collect()
}

static DIRECTORY: LazyLock<AgentDirectory> = LazyLock::new(directory);
static INDEX: LazyLock<(OutboundIndex, usize)> = LazyLock::new(|| {
    // measured from before the input exists: build consumes and frees it
    let before = counting::live();
    let index = OutboundIndex::build(outbound_calls());
    let bytes = counting::live().saturating_sub(before);
    (index, bytes)
});
static INBOUND: LazyLock<Vec<InboundCall>> = LazyLock::new(inbound_calls);

fn main() {
    let (index, measured) = &*INDEX;
    println!(
        "outbound index of {} calls: {:.1} MB live heap (allocator-measured), {:.1} MB by its own \
         estimate",
        index.len(),
        *measured as f64 / 1e6,
        index.heap_bytes() as f64 / 1e6
    );
    divan::main();
}

/// Routing 1M inbound calls against an index of 1M outbound calls, in one batch, into a
/// reused buffer (as a bulk importer does).
#[divan::bench(sample_count = 10)]
fn route_many_1m_inbound(b: Bencher) {
    let router = Router::new(&DIRECTORY, &INDEX.0);
    let calls = &*INBOUND;
    let mut out = Vec::with_capacity(calls.len());
    b.counter(ItemsCount::new(calls.len())).bench_local(|| {
        router.route_many_into(black_box(calls), &mut out);
        out.len()
    });
}

/// The same, one `route` call at a time.
#[divan::bench(sample_count = 10)]
fn route_1m_inbound(b: Bencher) {
    let router = Router::new(&DIRECTORY, &INDEX.0);
    let calls = &*INBOUND;
    b.counter(ItemsCount::new(calls.len())).bench(|| {
        let mut matched = 0usize;
        for c in calls {
            matched += usize::from(matches!(
                router.route(black_box(c)),
                RoutingDecision::Matched { .. }
            ));
        }
        matched
    });
}

/// Building the index of 1M outbound calls.
#[divan::bench(sample_count = 5)]
fn build_index_1m(b: Bencher) {
    b.with_inputs(outbound_calls)
        .counter(ItemsCount::new(N))
        .bench_values(OutboundIndex::build);
}

static CALLBACKS: LazyLock<CallbackLog> = LazyLock::new(|| {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let mut log = CallbackLog::new();
    for _ in 0..N {
        let source = match rng.below(5) {
            0 => None,
            i => Some(SOURCES[(i as usize - 1) % 3]),
        };
        log.push(CallbackRecord {
            at: ts(T0 + rng.below((DAYS * 86_400) as u64) as i64),
            callback_agent_id: HANDLER,
            source_agent_id: source,
            answered: rng.below(3) != 0,
        });
    }
    log
});

/// Callback stats over 1M routed callbacks, a 30-day range in a non-UTC zone.
#[divan::bench(sample_count = 20)]
fn callback_stats_1m(b: Bencher) {
    let log = &*CALLBACKS;
    let range = DateRange::parse(
        Some("2024-02-01"),
        Some("2024-03-01"),
        Some("America/New_York"),
        ts(T0),
    )
    .unwrap();
    b.counter(ItemsCount::new(log.len()))
        .bench(|| log.stats(black_box(&range)));
}

static ACTIVITY: LazyLock<ActivityLog> = LazyLock::new(|| {
    let mut rng = Rng(0x0F0F_F0F0_1234_4321);
    let agents: Vec<Option<AgentId>> = (0..50u128)
        .map(|i| Some(AgentId::from_u128(100 + i)))
        .chain([None])
        .collect();
    let mut log = ActivityLog::new();
    for _ in 0..N {
        let activity = if rng.below(2) == 0 {
            Activity::Message
        } else {
            Activity::Call {
                status: CallStatus::Completed,
                duration_seconds: rng.below(900) as u32,
            }
        };
        log.push(&ActivityRecord {
            number: None,
            agent_id: agents[rng.below(agents.len() as u64) as usize],
            at: ts(T0 + rng.below((DAYS * 86_400) as u64) as i64),
            activity,
        });
    }
    log
});

/// Usage by agent over 1M records for a month in Asia/Kathmandu.
#[divan::bench(sample_count = 20)]
fn usage_by_agent_1m(b: Bencher) {
    let log = &*ACTIVITY;
    let zone = Zone::parse("Asia/Kathmandu").unwrap();
    b.counter(ItemsCount::new(log.len())).bench(|| {
        let bounds = usage_period(Period::Month, zone, ts(T0 + 40 * 86_400));
        log.by_agent(black_box(&bounds), &DIRECTORY)
    });
}

/// Daily buckets over 1M records for 90 days in Europe/Berlin.
#[divan::bench(sample_count = 10)]
fn daily_buckets_1m(b: Bencher) {
    let log = &*ACTIVITY;
    let range = DateRange::parse(
        Some("2024-01-01"),
        Some("2024-03-30"),
        Some("Europe/Berlin"),
        ts(T0),
    )
    .unwrap();
    b.counter(ItemsCount::new(log.len()))
        .bench(|| log.daily(black_box(&range)));
}

/// Period bounds for random zones, periods and instants (1,000 per iteration).
#[divan::bench]
fn usage_period_random(b: Bencher) {
    let names: Vec<&str> = Zone::all_names().collect();
    let mut rng = Rng(42);
    let inputs: Vec<(Period, Zone, Timestamp)> = (0..1_000)
        .map(|_| {
            let p = [Period::Week, Period::Month, Period::Year][rng.below(3) as usize];
            let z = Zone::parse(names[rng.below(names.len() as u64) as usize]).unwrap();
            (p, z, ts(946_684_800 + rng.below(1_262_304_000) as i64))
        })
        .collect();
    b.counter(ItemsCount::new(inputs.len())).bench(|| {
        inputs
            .iter()
            .map(|(p, z, t)| usage_period(*p, *z, *t).period_start.unix_seconds())
            .sum::<i64>()
    });
}

/// The same, with the zone and "now" parsed from strings as a JS or HTTP caller passes them.
#[divan::bench]
fn usage_period_from_strings(b: Bencher) {
    let names: Vec<&str> = Zone::all_names().collect();
    let mut rng = Rng(43);
    let inputs: Vec<(&str, String)> = (0..1_000)
        .map(|_| {
            (
                names[rng.below(names.len() as u64) as usize],
                ts(946_684_800 + rng.below(1_262_304_000) as i64).to_string(),
            )
        })
        .collect();
    b.counter(ItemsCount::new(inputs.len())).bench(|| {
        inputs
            .iter()
            .map(|(z, t)| {
                let b = usage_period(
                    Period::Month,
                    Zone::parse(z).unwrap(),
                    Timestamp::parse(t).unwrap(),
                );
                b.period_end.to_string().len()
            })
            .sum::<usize>()
    });
}

/// Checking a usage-by-agent answer of 20,000 rows (another server may send any size; the
/// duplicate check was once quadratic and took seconds here).
#[divan::bench(sample_count = 10)]
fn validate_usage_20k_rows(b: Bencher) {
    use dialback_core::wire::agentphone::{AgentUsageRow, UsageByAgentResponse};
    let mut data: Vec<AgentUsageRow> = (0..20_000u64)
        .map(|i| AgentUsageRow {
            agent_id: Some(format!("00000000-0000-4000-8000-{i:012x}")),
            agent_name: format!("Agent {i}"),
            messages: (i % 7) as i64,
            calls: (i % 11) as i64 + 1,
            total_seconds: (i % 11) as i64 * 60,
            is_orphan: false,
        })
        .collect();
    data.push(AgentUsageRow {
        agent_id: None,
        agent_name: "Unassigned".into(),
        messages: 0,
        calls: 0,
        total_seconds: 0,
        is_orphan: true,
    });
    let response = UsageByAgentResponse {
        data,
        period: "month".into(),
        period_start: "2024-06-01T00:00:00Z".into(),
        period_end: "2024-06-30T23:59:59Z".into(),
    };
    b.counter(ItemsCount::new(response.data.len())).bench(|| {
        dialback_core::wire::validate::validate_usage_by_agent(black_box(&response), None)
    });
}
