//! Invariants that hold for every input, checked with proptest.

use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::talkover::CallbackStatsData;
use dialback_core::*;
use proptest::prelude::*;

fn zone() -> impl Strategy<Value = Zone> {
    let names: Vec<&'static str> = Zone::all_names().collect();
    (0..names.len()).prop_map(move |i| Zone::parse(names[i]).unwrap())
}

fn instant(lo: i64, hi: i64) -> impl Strategy<Value = Timestamp> {
    (lo..hi).prop_map(|s| Timestamp::from_unix_seconds(s).unwrap())
}

const Y2000: i64 = 946_684_800;
const Y2040: i64 = 2_208_988_800;

fn period() -> impl Strategy<Value = Period> {
    prop_oneof![Just(Period::Week), Just(Period::Month), Just(Period::Year)]
}

fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let uuidish = prop_oneof![
        (0u128..8).prop_map(|i| AgentId::from_u128(i).to_string()),
        "[a-z0-9-]{0,12}",
        Just("no_answer".to_owned()),
        Just("busy".to_owned()),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        uuidish.prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("source_agent_ids"),
                        Just("lookback_days"),
                        Just("callback_trigger_statuses"),
                        Just("x")
                    ],
                    inner
                ),
                0..4
            )
            .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn periods_contain_now_and_tile_time(p in period(), z in zone(), now in instant(Y2000, Y2040)) {
        let b = usage_period(p, z, now);
        prop_assert!(b.period_start <= now && now <= b.period_end, "{b:?} does not contain {now}");
        let next = usage_period(p, z, b.end_exclusive());
        prop_assert_eq!(next.period_start, b.end_exclusive(), "gap or overlap after {:?}", b);
        let prev = usage_period(p, z, b.period_start.saturating_add_seconds(-1));
        prop_assert_eq!(prev.end_exclusive(), b.period_start);
        prop_assert_eq!(b.period_start, z.day_start(p.first_day(z.date_of(now))));
    }

    #[test]
    fn day_start_is_the_earliest_instant_at_or_after_midnight(z in zone(),
        now in instant(Y2000, Y2040)) {
        let day = z.date_of(now);
        let start = z.day_start(day);
        let midnight = day.and_hms_opt(0, 0, 0).unwrap();
        prop_assert!(z.local(start) >= midnight);
        prop_assert!(z.local(start.saturating_add_seconds(-1)) < midnight);
        prop_assert!(start <= now);
    }

    #[test]
    fn stats_add_up(
        records in prop::collection::vec((Y2000..Y2000 + 90 * 86_400, prop::option::of(0u128..5),
            any::<bool>()), 0..200),
        start in 0u64..60, len in 0u64..40, z in zone(),
    ) {
        let records: Vec<CallbackRecord> = records.into_iter().map(|(at, src,
            answered)| CallbackRecord {
            at: Timestamp::from_unix_seconds(at).unwrap(),
            callback_agent_id: AgentId::from_u128(100),
            source_agent_id: src.map(AgentId::from_u128),
            answered,
        }).collect();
        let first = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(start);
        let range = DateRange::new(first, first + chrono::Days::new(len), z).unwrap();
        let s = CallbackStatsData::new(&callback_stats(&records, &range),
            &AgentDirectory::default());
        let matched: i64 = s.callbacks_by_source_agent.iter().map(|r| r.count).sum();
        prop_assert_eq!(matched + s.callbacks_unmatched, s.total_callbacks_received);
        prop_assert!(s.callbacks_answered <= s.total_callbacks_received);
        let (lo, hi) = range.instants();
        let inside = records.iter().filter(|r| r.at >= lo && r.at < hi).count() as i64;
        prop_assert_eq!(s.total_callbacks_received, inside);
        prop_assert!(validate_callback_stats(&s).is_empty());
    }

    /// `group_by=day` is the totals, split: the days of a range add up to its ungrouped
    /// stats, in every zone (skipped and repeated midnights, Apia's lost day, Lord Howe's half
    /// hour), with records arriving in any order; each record lands on the local day it
    /// happened; and the answer passes the console's own check.
    #[test]
    fn daily_stats_add_up_to_the_totals(
        records in prop::collection::vec((Y2000..Y2000 + 90 * 86_400, prop::option::of(0u128..5),
            any::<bool>()), 0..300),
        start in 0u64..60, len in 0u64..40, z in zone(),
    ) {
        let mut log = CallbackLog::new();
        for (at, src, answered) in &records {
            log.push(CallbackRecord {
                at: Timestamp::from_unix_seconds(*at).unwrap(),
                callback_agent_id: AgentId::from_u128(100),
                source_agent_id: src.map(AgentId::from_u128),
                answered: *answered,
            });
        }
        let first = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(start);
        let range = DateRange::new(first, first + chrono::Days::new(len), z).unwrap();
        let totals = log.stats(&range);
        let days = log.daily(&range).unwrap();
        prop_assert_eq!(days.len() as u64, range.len_days());
        prop_assert_eq!(days.iter().map(|d| d.received).sum::<u64>(), totals.received);
        prop_assert_eq!(days.iter().map(|d| d.answered).sum::<u64>(), totals.answered);
        prop_assert_eq!(days.iter().map(|d| d.unmatched).sum::<u64>(), totals.unmatched);
        for d in &days {
            let (lo, hi) = (z.day_start(d.date), z.day_start(d.date + chrono::Days::new(1)));
            let on_day = records.iter().filter(|(at,
                ..)| (lo.unix_seconds()..hi.unix_seconds()).contains(at)).count() as u64;
            prop_assert_eq!(d.received, on_day, "{}", d.date);
        }
        let answer = CallbackStatsData::new(&totals, &AgentDirectory::default()).with_days(&days);
        prop_assert!(validate_callback_stats_for(&answer, &range).is_empty());
    }

    #[test]
    fn usage_rows_add_up_and_validate(
        records in prop::collection::vec((Y2000..Y2000 + 400 * 86_400, prop::option::of(0u128..6),
            any::<bool>(), 0u32..4000, 0usize..8), 0..200),
        p in period(), z in zone(), now in instant(Y2000, Y2000 + 400 * 86_400),
    ) {
        let statuses = CallStatus::ALL;
        let records: Vec<ActivityRecord> = records.into_iter().map(|(at, agent, is_call, secs,
            st)| ActivityRecord {
            number: None,
            agent_id: agent.map(AgentId::from_u128),
            at: Timestamp::from_unix_seconds(at).unwrap(),
            activity: if is_call { Activity::Call { status: statuses[st],
                duration_seconds: secs } } else { Activity::Message },
        }).collect();
        // agents 0..3 are known, 3..6 are not
        let dir = AgentDirectory::new((0..3).map(|i| Agent {
            id: AgentId::from_u128(i), name: format!("Agent {i}"), direction: Direction::Outbound,
            phone_numbers: vec![], callback_config: None,
        })).unwrap();
        let b = usage_period(p, z, now);
        let u = UsageByAgentResponse::from(&ActivityLog::from_records(&records).by_agent(&b, &dir));
        let counted = |r: &&ActivityRecord| b.contains(r.at) && match r.activity {
            Activity::Message => true,
            Activity::Call { status, .. } => status == CallStatus::Completed,
        };
        let expected = records.iter().filter(counted).count() as i64;
        let total: i64 = u.data.iter().map(|r| r.messages + r.calls).sum();
        prop_assert_eq!(total, expected);
        prop_assert!(u.data.iter().filter(|r| r.is_orphan).count() <= 1);
        if let Some(pos) = u.data.iter().position(|r| r.is_orphan) {
            prop_assert_eq!(pos, u.data.len() - 1);
        }
        prop_assert!(validate_usage_by_agent(&u, Some(z)).is_empty(), "{:?}",
            validate_usage_by_agent(&u, Some(z)));
    }

    #[test]
    fn routing_equals_a_brute_force_scan(
        calls in prop::collection::vec((0u64..50, 0u128..4, 0u64..3, 0i64..40 * 86_400, 0usize..8),
            0..60),
        lookback in 1u16..40, triggers in prop::option::of(prop::collection::vec(0usize..8, 1..4)),
        contact in 0u64..3, at in 0i64..45 * 86_400, split in 0usize..60,
    ) {
        let number = |i: u64| PhoneNumber::parse(&format!("+4420794600{i:02}")).unwrap();
        let line = PhoneNumber::parse("+14155550100").unwrap();
        let sources = [AgentId::from_u128(0), AgentId::from_u128(1)]; // 2 and 3 are not sources
        let triggers: Option<Vec<CallStatus>> =
            triggers.map(|t| t.into_iter().map(|i| CallStatus::ALL[i]).collect());
        let config = CallbackConfig { source_agent_ids: sources.to_vec(),
            lookback_days: LookbackDays::new(lookback),
            callback_trigger_statuses: triggers.clone() };
        let handler = AgentId::from_u128(9);
        let dir = AgentDirectory::new([Agent { id: handler, name: "H".into(),
            direction: Direction::Inbound, phone_numbers: vec![line],
            callback_config: Some(config) }]).unwrap();
        let calls: Vec<OutboundCall> = calls.into_iter().map(|(id, agent, to, at,
            st)| OutboundCall {
            id: CallId(id), agent_id: AgentId::from_u128(agent), to: number(to),
            started_at: Timestamp::from_unix_seconds(Y2000 + at).unwrap(),
                status: CallStatus::ALL[st],
        }).collect();
        let now = Timestamp::from_unix_seconds(Y2000 + at).unwrap();
        let expected = calls.iter()
            .filter(|c| c.to == number(contact) && sources.contains(&c.agent_id) && c.started_at <=
                now)
            .filter(|c| now.unix_seconds() - c.started_at.unix_seconds() <= i64::from(lookback) *
                86_400)
            .filter(|c| triggers.as_ref().is_none_or(|t| t.contains(&c.status)))
            .max_by_key(|c| (c.started_at, c.id))
            .map(|c| c.id);
        let inbound = InboundCall { from: Caller::Number(number(contact)), to: line, at: now };
        let built = OutboundIndex::build(calls.iter().copied());
        let got = match Router::new(&dir, &built).route(&inbound) {
            RoutingDecision::Matched { last_call, .. } => Some(last_call.outbound_call_id),
            _ => None,
        };
        prop_assert_eq!(got, expected);
        // built in two steps, with inserts, the answer is the same
        let split = split.min(calls.len());
        let mut stepwise = OutboundIndex::build(calls[..split].iter().copied());
        for c in &calls[split..] { stepwise.insert(*c); }
        prop_assert_eq!(Router::new(&dir, &stepwise).route(&inbound),
            Router::new(&dir, &built).route(&inbound));
        // and routing in a batch decides each call the same way, in order
        let batch: Vec<InboundCall> =
            (0..4u64).map(|c| InboundCall { from: Caller::Number(number(c)), to: line,
            at: now }).chain([
            InboundCall { from: Caller::Withheld, to: line, at: now },
            InboundCall { from: Caller::Number(number(contact)), to: number(0), at: now },
        ]).collect();
        for index in [&built, &stepwise] {
            let router = Router::new(&dir, index);
            let one_by_one: Vec<RoutingDecision> = batch.iter().map(|c| router.route(c)).collect();
            prop_assert_eq!(router.route_many(&batch), one_by_one);
        }
    }

    #[test]
    fn routing_in_a_batch_of_any_length_equals_routing_one_by_one(
        outbound in prop::collection::vec((0u64..12, 0u128..4, 0i64..20 * 86_400, 0usize..8),
            0..80),
        inserted in 0usize..80,
        inbound in prop::collection::vec((0u64..16, 0u8..4, 0u8..8, 0i64..25 * 86_400), 0..120),
    ) {
        // long enough to cross the batch router's chunks and pipeline stages; numbers 12+
        // were never called, caller kinds and dialed numbers of every sort
        let number = |i: u64| PhoneNumber::parse(&format!("+4420794600{i:02}")).unwrap();
        let (line, plain_line, unowned) = (number(90), number(91), number(92));
        let sources = [AgentId::from_u128(0), AgentId::from_u128(1)];
        let config = CallbackConfig { source_agent_ids: sources.to_vec(),
            lookback_days: LookbackDays::new(7), callback_trigger_statuses: None };
        let dir = AgentDirectory::new([
            Agent { id: AgentId::from_u128(9), name: "H".into(), direction: Direction::Inbound,
                phone_numbers: vec![line], callback_config: Some(config) },
            Agent { id: AgentId::from_u128(8), name: "P".into(), direction: Direction::Inbound,
                phone_numbers: vec![plain_line], callback_config: None },
        ]).unwrap();
        let outbound: Vec<OutboundCall> = outbound.into_iter().enumerate().map(|(id,
            (to, agent, at, st))| OutboundCall {
            id: CallId(id as u64), agent_id: AgentId::from_u128(agent), to: number(to),
            started_at: Timestamp::from_unix_seconds(Y2000 + at).unwrap(),
                status: CallStatus::ALL[st],
        }).collect();
        // some calls in the main arrays, the rest in the side table of later inserts
        let split = outbound.len() - inserted.min(outbound.len());
        let mut index = OutboundIndex::build(outbound[..split].iter().copied());
        for c in &outbound[split..] { index.insert(*c); }
        let batch: Vec<InboundCall> = inbound.into_iter().map(|(from, kind, to, at)| InboundCall {
            from: match kind { 0 => Caller::Withheld, 1 => Caller::Anonymous,
                _ => Caller::Number(number(from)) },
            to: [line, line, line, line, line, plain_line, unowned, number(from)][usize::from(to)],
            at: Timestamp::from_unix_seconds(Y2000 + at).unwrap(),
        }).collect();
        let router = Router::new(&dir, &index);
        let one_by_one: Vec<RoutingDecision> = batch.iter().map(|c| router.route(c)).collect();
        prop_assert_eq!(router.route_many(&batch), one_by_one);
    }

    #[test]
    fn routes_kept_across_inserts_route_as_a_fresh_router_would(
        built in prop::collection::vec((0u64..6, 0u128..2, 0i64..10 * 86_400, 0usize..8), 0..20),
        steps in prop::collection::vec((any::<bool>(), 0u64..6, 0u128..5, 0i64..12 * 86_400,
            0usize..8), 0..60),
    ) {
        // sources 0..3; at build time only agents 0 and 1 have calls, so 2 (a source) and 4
        // (not one) are first seen by the index through inserts, as in an import
        let number = |i: u64| PhoneNumber::parse(&format!("+4420794600{i:02}")).unwrap();
        let line = number(90);
        let config = CallbackConfig { source_agent_ids: (0..3).map(AgentId::from_u128).collect(),
            lookback_days: LookbackDays::new(5), callback_trigger_statuses: None };
        let dir = AgentDirectory::new([Agent { id: AgentId::from_u128(9), name: "H".into(),
            direction: Direction::Inbound, phone_numbers: vec![line],
            callback_config: Some(config) }]).unwrap();
        let call = |id: u64, to, agent, at, st: usize| OutboundCall {
            id: CallId(id), agent_id: AgentId::from_u128(agent), to: number(to),
            started_at: Timestamp::from_unix_seconds(Y2000 + at).unwrap(),
                status: CallStatus::ALL[st],
        };
        let mut routing = CallbackRouting::new(&dir,
            built.iter().enumerate().map(|(i, &(to, agent, at, st))| call(i as u64, to, agent, at,
            st)));
        for (i, (outbound, contact, agent, at, st)) in steps.into_iter().enumerate() {
            if outbound {
                routing.insert_outbound(call(1000 + i as u64, contact, agent, at, st));
            } else {
                let inbound = InboundCall { from: Caller::Number(number(contact)), to: line,
                    at: Timestamp::from_unix_seconds(Y2000 + at).unwrap() };
                prop_assert_eq!(routing.route(&inbound),
                    Router::new(&dir, routing.index()).route(&inbound));
            }
        }
    }

    #[test]
    fn timestamps_round_trip(t in instant(-62_167_219_200, 253_402_300_800)) {
        prop_assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
    }

    #[test]
    fn phone_numbers_survive_formatting(digits in "[1-9][0-9]{1,14}",
        seps in prop::collection::vec(prop_oneof![Just(" "), Just("-"), Just("."), Just("("),
            Just(")"), Just("")], 16)) {
        let mut formatted = String::from("+");
        for (c, sep) in digits.chars().zip(&seps) { formatted.push_str(sep); formatted.push(c); }
        let n = PhoneNumber::parse(&formatted).unwrap();
        prop_assert_eq!(n.to_string(), format!("+{digits}"));
    }

    #[test]
    fn parsers_never_panic(s in any::<String>(), body in json(),
        target in prop_oneof![Just(AgentId::from_u128(9).to_string()), any::<String>()]) {
        let _ = PhoneNumber::parse(&s);
        let _ = Timestamp::parse(&s);
        let _ = Zone::parse(&s);
        let _ = Period::parse(&s);
        let _ = AgentId::parse(&s);
        let _ = Caller::parse(Some(&s));
        let _ = DateRange::parse(Some(&s), Some(&s), Some(&s), Timestamp::EPOCH);
        let dir = AgentDirectory::new([
            Agent { id: AgentId::from_u128(9), name: "H".into(), direction: Direction::Inbound,
                phone_numbers: vec![], callback_config: None },
            Agent { id: AgentId::from_u128(1), name: "S".into(), direction: Direction::Outbound,
                phone_numbers: vec![], callback_config: None },
        ]).unwrap();
        if let Err(errors) = validate_callback_config(&target, &body, &dir) {
            prop_assert!(!errors.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Zone tables come from outside (a server's `GET /tzdata`, an operator's zoneinfo
    /// directory): damaged ones, byte by byte, are refused with a code or read, never a panic.
    #[test]
    fn zone_table_readers_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        noise in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        static COMPACT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        let compact = COMPACT.get_or_init(|| Tzdata::embedded().to_compact());
        let tzif: &[u8] = include_bytes!("fixtures/tzif/America_New_York.slim-2025b");
        for original in [&compact[..], tzif] {
            let mut bytes = original.to_vec();
            for (at, b) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *b;
            }
            bytes.truncate(cut.index(bytes.len() + 1));
            for input in [&bytes[..], &noise[..]] {
                match Tzdata::from_compact(input) {
                    Ok(t) => { let _ = t.offset_at("America/New_York", 1_800_000_000); }
                    Err(e) => prop_assert!(e.code().starts_with("TZDATA_")),
                }
                #[cfg(feature = "tzif")]
                match Tzdata::from_zoneinfo([("America/New_York", input)], Some("2026f")) {
                    Ok(t) => { let _ = t.offset_at("America/New_York", 1_800_000_000); }
                    Err(e) => prop_assert!(e.code().starts_with("TZDATA_")),
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Logs keep a sorted prefix and an unsorted tail, re-sorted as it grows: whatever order
    /// records arrive in (sorted, reversed, shuffled, mostly sorted), every answer is the same.
    #[test]
    fn arrival_order_never_changes_an_answer(
        times in prop::collection::vec(Y2000..Y2000 + 60 * 86_400, 0..5_000),
        shuffle in prop::collection::vec(any::<prop::sample::Index>(), 0..400),
        start in 0u64..50, len in 0u64..20,
    ) {
        let mut arrival = times.clone();
        arrival.sort_unstable();
        for (i, swap) in shuffle.iter().enumerate() {
            if !arrival.is_empty() {
                let n = arrival.len();
                arrival.swap(i % n, swap.index(n));
            }
        }
        let first = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(start);
        let range = DateRange::new(first, first + chrono::Days::new(len),
            Zone::parse("Europe/Paris").unwrap()).unwrap();
        let bounds = usage_period(Period::Week, Zone::UTC,
            Timestamp::from_unix_seconds(Y2000 + start as i64 * 86_400).unwrap());
        let results = [times.clone(), arrival,
            times.iter().rev().copied().collect::<Vec<_>>()].map(|order| {
            let mut callbacks = CallbackLog::new();
            let mut activity = ActivityLog::new();
            for (i, at) in order.iter().enumerate() {
                let at = Timestamp::from_unix_seconds(*at).unwrap();
                let agent = AgentId::from_u128((at.unix_seconds() as u128) % 3);
                callbacks.push(CallbackRecord { at, callback_agent_id: agent,
                    source_agent_id: (i % 2 == 0).then_some(agent),
                    answered: at.unix_seconds() % 2 == 0 });
                activity.push(&ActivityRecord { number: None, agent_id: Some(agent), at,
                    activity: Activity::Message });
            }
            let dir = AgentDirectory::default();
            let stats = callbacks.stats(&range); // attribution follows arrival index here
            (stats.received, stats.answered, activity.by_agent(&bounds, &dir),
                activity.daily(&range).unwrap())
        });
        prop_assert_eq!(&results[0], &results[1]);
        prop_assert_eq!(&results[0], &results[2]);
    }
}
