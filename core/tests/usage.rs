//! Usage by agent, daily and monthly buckets: pinned.

use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::*;

use crate::support::{agent, t};

const ALPHA: u128 = 1;
const BETA: u128 = 2;
const GAMMA: u128 = 3;

fn names() -> AgentDirectory {
    AgentDirectory::new([
        agent(ALPHA, "Support Agent Alpha", Direction::Inbound),
        agent(BETA, "Sales Agent Beta", Direction::Outbound),
        agent(GAMMA, "Gamma", Direction::Outbound),
    ])
    .unwrap()
}

fn msg(agent: Option<u128>, at: &str) -> ActivityRecord {
    ActivityRecord {
        number: None,
        agent_id: agent.map(AgentId::from_u128),
        at: t(at),
        activity: Activity::Message,
    }
}

fn call(agent: Option<u128>, at: &str, status: CallStatus, secs: u32) -> ActivityRecord {
    ActivityRecord {
        number: None,
        agent_id: agent.map(AgentId::from_u128),
        at: t(at),
        activity: Activity::Call {
            status,
            duration_seconds: secs,
        },
    }
}

fn june_in(tz: &str) -> PeriodBounds {
    usage_period(
        Period::Month,
        Zone::parse(tz).unwrap(),
        t("2024-06-15T12:00:00Z"),
    )
}

#[test]
fn rows_unassigned_and_sorting() {
    let records = [
        call(
            Some(ALPHA),
            "2024-06-02T00:00:00Z",
            CallStatus::Completed,
            100,
        ),
        call(Some(ALPHA), "2024-06-02T00:00:00Z", CallStatus::Failed, 999), // not usage
        msg(Some(ALPHA), "2024-06-03T00:00:00Z"),
        call(
            Some(BETA),
            "2024-06-04T00:00:00Z",
            CallStatus::Completed,
            300,
        ),
        msg(Some(GAMMA), "2024-06-05T00:00:00Z"),
        msg(None, "2024-06-06T00:00:00Z"),
        call(Some(77), "2024-06-07T00:00:00Z", CallStatus::Completed, 60), // not in directory
        msg(Some(BETA), "2024-07-01T00:00:00Z"),                           // next month
    ];
    let usage = ActivityLog::from_records(&records).by_agent(&june_in("UTC"), &names());
    let usage = UsageByAgentResponse::from(&usage);
    let json = serde_json::to_value(&usage).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "data": [
                {"agentId": AgentId::from_u128(BETA).to_string(), "agentName": "Sales Agent Beta",
                    "messages": 0, "calls": 1, "totalSeconds": 300, "isOrphan": false},
                {"agentId": AgentId::from_u128(ALPHA).to_string(), "agentName": "Support Agent \
                    Alpha", "messages": 1, "calls": 1, "totalSeconds": 100, "isOrphan": false},
                {"agentId": AgentId::from_u128(GAMMA).to_string(), "agentName": "Gamma",
                    "messages": 1, "calls": 0, "totalSeconds": 0, "isOrphan": false},
                {"agentId": null, "agentName": "Unassigned", "messages": 1, "calls": 1,
                    "totalSeconds": 60, "isOrphan": true},
            ],
            "period": "month",
            "periodStart": "2024-06-01T00:00:00Z",
            "periodEnd": "2024-06-30T23:59:59Z"
        })
    );
    assert!(validate_usage_by_agent(&usage, Some(Zone::UTC)).is_empty());
}

#[test]
fn no_unassigned_row_when_everything_has_an_agent() {
    let usage = ActivityLog::from_records(&[msg(Some(ALPHA), "2024-06-03T00:00:00Z")])
        .by_agent(&june_in("UTC"), &names());
    let usage = UsageByAgentResponse::from(&usage);
    assert_eq!(usage.data.len(), 1);
    assert!(!usage.data[0].is_orphan);
    let empty = ActivityLog::new().by_agent(&june_in("UTC"), &names());
    let empty = UsageByAgentResponse::from(&empty);
    assert!(empty.data.is_empty());
}

#[test]
fn period_bounds_are_inclusive_and_local() {
    let ny = june_in("America/New_York");
    let records = [
        msg(Some(ALPHA), "2024-06-01T03:59:59Z"), // May 31 in New York
        msg(Some(ALPHA), "2024-06-01T04:00:00Z"), // first second of June
        msg(Some(ALPHA), "2024-07-01T03:59:59Z"), // last second of June
        msg(Some(ALPHA), "2024-07-01T04:00:00Z"), // July
    ];
    let usage = ActivityLog::from_records(&records).by_agent(&ny, &names());
    let usage = UsageByAgentResponse::from(&usage);
    assert_eq!(usage.data[0].messages, 2);
    assert_eq!(usage.period_start, "2024-06-01T04:00:00Z");
    assert_eq!(usage.period_end, "2024-07-01T03:59:59Z");
}

#[test]
fn inbound_calls_belong_to_the_agent_routing_sent_them_to() {
    let owner = AgentId::from_u128(ALPHA);
    let placed_by = Some(AgentId::from_u128(BETA));
    let routed = RoutingDecision::NotCallbackAgent { agent_id: owner };
    let unowned = RoutingDecision::NumberNotOwned {
        number: PhoneNumber::parse("+14155550100").unwrap(),
    };
    assert_eq!(
        call_agent(Direction::Inbound, placed_by, Some(&routed)),
        Some(owner)
    );
    assert_eq!(
        call_agent(Direction::Outbound, placed_by, Some(&routed)),
        placed_by
    );
    assert_eq!(call_agent(Direction::Inbound, None, Some(&unowned)), None);
    assert_eq!(call_agent(Direction::Inbound, None, None), None);
}

#[test]
fn daily_buckets_in_a_zone_include_empty_days() {
    let records = [
        call(
            Some(ALPHA),
            "2024-03-10T04:59:59Z",
            CallStatus::Completed,
            10,
        ), // Mar 9 in Havana
        call(
            Some(ALPHA),
            "2024-03-10T05:00:00Z",
            CallStatus::Completed,
            20,
        ), // Mar 10 (clock jumped)
        msg(None, "2024-03-12T03:59:59Z"), // Mar 11
    ];
    let range = DateRange::parse(
        Some("2024-03-09"),
        Some("2024-03-12"),
        Some("America/Havana"),
        t("2024-03-12T00:00:00Z"),
    )
    .unwrap();
    let days = ActivityLog::from_records(&records).daily(&range).unwrap();
    let got: Vec<(String, u64, u64, u64)> = days
        .iter()
        .map(|d| (d.date.to_string(), d.messages, d.calls, d.total_seconds))
        .collect();
    assert_eq!(
        got,
        [
            ("2024-03-09".into(), 0, 1, 10),
            ("2024-03-10".into(), 0, 1, 20),
            ("2024-03-11".into(), 1, 0, 0),
            ("2024-03-12".into(), 0, 0, 0)
        ]
    );
}

#[test]
fn a_skipped_day_is_an_empty_bucket() {
    let records = [msg(Some(ALPHA), "2011-12-30T10:00:00Z")]; // first instant of Dec 31 in Apia
    let range = DateRange::parse(
        Some("2011-12-29"),
        Some("2011-12-31"),
        Some("Pacific/Apia"),
        t("2012-01-01T00:00:00Z"),
    )
    .unwrap();
    let days = ActivityLog::from_records(&records).daily(&range).unwrap();
    let got: Vec<(String, u64)> = days
        .iter()
        .map(|d| (d.date.to_string(), d.messages))
        .collect();
    assert_eq!(
        got,
        [
            ("2011-12-29".into(), 0),
            ("2011-12-30".into(), 0),
            ("2011-12-31".into(), 1)
        ]
    );
}

#[test]
fn monthly_buckets() {
    let records = [
        msg(Some(ALPHA), "2024-05-31T23:00:00Z"),
        msg(Some(ALPHA), "2024-06-30T12:00:00Z"),
    ];
    let log = ActivityLog::from_records(&records);
    let months = log
        .monthly(
            Zone::parse("Europe/Berlin").unwrap(),
            t("2024-06-15T00:00:00Z"),
            3,
        )
        .unwrap();
    let got: Vec<(String, u64)> = months
        .iter()
        .map(|m| (m.month.to_string(), m.messages))
        .collect();
    assert_eq!(
        got,
        [
            ("2024-04".into(), 0),
            ("2024-05".into(), 0),
            ("2024-06".into(), 2)
        ]
    );
    assert!(
        log.monthly(Zone::UTC, t("2024-06-15T00:00:00Z"), 0)
            .is_err()
    );
    assert!(
        log.monthly(Zone::UTC, t("2024-06-15T00:00:00Z"), 100_000)
            .is_err()
    );
}

#[test]
fn huge_daily_ranges_are_refused_not_allocated() {
    let range = DateRange::parse(
        Some("0001-01-01"),
        Some("9999-12-31"),
        None,
        t("2024-01-01T00:00:00Z"),
    )
    .unwrap();
    let err = ActivityLog::new().daily(&range).unwrap_err();
    assert_eq!(err.code(), "INVALID_DATE_RANGE");
}

#[test]
fn rolling_totals_and_usage_by_number() {
    let line = PhoneNumber::parse("+14155550100").unwrap();
    let other = PhoneNumber::parse("+14155550199").unwrap();
    let on = |number, r: ActivityRecord| ActivityRecord {
        number: Some(number),
        ..r
    };
    let records = [
        on(
            line,
            call(
                Some(ALPHA),
                "2024-06-15T11:00:00Z",
                CallStatus::Completed,
                100,
            ),
        ),
        on(line, msg(Some(ALPHA), "2024-06-10T00:00:00Z")),
        on(other, msg(None, "2024-05-20T00:00:00Z")),
    ];
    let log = ActivityLog::from_records(&records);
    let now = t("2024-06-15T12:00:00Z");
    let month = usage_period(Period::Month, Zone::UTC, now);
    let summary = log.summary(&month, now);
    assert_eq!(
        summary.period,
        Window {
            messages: 1,
            calls: 1,
            total_seconds: 100
        }
    );
    assert_eq!(
        summary.last24h,
        Window {
            messages: 0,
            calls: 1,
            total_seconds: 100
        }
    );
    assert_eq!(summary.last7d.messages, 1);
    assert_eq!(summary.last30d.messages, 2);
    assert_eq!(summary.all_time.messages, 2);
    let number = |id: u128, n: PhoneNumber, agent: Option<u128>| NumberResource {
        id: NumberId::from_u128(id),
        number: n,
        agent: agent.map(AgentId::from_u128),
        position: 0,
        created_at: now,
        updated_at: now,
    };
    let rows = log.by_number(
        &month,
        &[number(1, line, Some(ALPHA)), number(2, other, None)],
    );
    assert_eq!((rows[0].usage.messages, rows[0].usage.calls), (1, 1));
    assert_eq!((rows[1].usage.messages, rows[1].usage.calls), (0, 0));
    assert_eq!(
        agent_side_number(Direction::Inbound, Some(other), Some(line)),
        Some(line)
    );
    assert_eq!(
        agent_side_number(Direction::Outbound, Some(other), Some(line)),
        Some(other)
    );
}

#[test]
fn an_answer_sums_and_ranks_its_agents() {
    use dialback_core::wire::agentphone::{AgentUsageRow, UsageByAgentResponse};
    let row = |name: &str, seconds: i64, calls: i64, orphan: bool| AgentUsageRow {
        agent_id: (!orphan).then(|| format!("id-{name}")),
        agent_name: name.to_owned(),
        messages: 1,
        calls,
        total_seconds: seconds,
        is_orphan: orphan,
    };
    let answer = UsageByAgentResponse {
        data: vec![
            row("B", 60, 1, false),
            row("A", 60, 1, false),
            row("C", 600, 2, false),
            row("Unassigned", 9_000, 9, true),
            row("Idle", i64::MAX, 0, false),
        ],
        period: "month".into(),
        period_start: String::new(),
        period_end: String::new(),
    };
    let totals = answer.totals();
    assert_eq!(
        (totals.messages, totals.calls, totals.total_seconds),
        (5, 13, i64::MAX)
    );
    let top: Vec<&str> = answer
        .top_agents(3)
        .iter()
        .map(|r| r.agent_name.as_str())
        .collect();
    assert_eq!(top, ["Idle", "C", "A"]);
}
