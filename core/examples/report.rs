//! A callback and usage report from a small, fixed set of calls: the core end to end, with no
//! server. Run: `cargo run -p dialback-core --example report`.

use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::talkover::{CallbackStatsData, Envelope};
use dialback_core::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let handler = AgentId::parse("6f1c2a4e-0000-4000-8000-000000000001")?;
    let sales = AgentId::parse("6f1c2a4e-0000-4000-8000-000000000002")?;
    let survey = AgentId::parse("6f1c2a4e-0000-4000-8000-000000000003")?;
    let line = PhoneNumber::parse("+1 (415) 555-0100")?;
    let agent = |id, name: &str, direction, numbers: Vec<PhoneNumber>| Agent {
        id,
        name: name.to_owned(),
        direction,
        phone_numbers: numbers,
        callback_config: None,
    };
    let mut directory = AgentDirectory::new([
        agent(handler, "Callback Handler", Direction::Inbound, vec![line]),
        agent(sales, "Sales Outbound", Direction::Outbound, vec![]),
        agent(survey, "Survey Outbound", Direction::Outbound, vec![]),
    ])?;

    // Configure the callback role exactly as `POST /api/v1/agents/{id}/callback` would.
    let body = serde_json::json!({
        "source_agent_ids": [sales.to_string(), survey.to_string()],
        "callback_trigger_statuses": ["no_answer", "voicemail", "busy"],
    });
    let config = validate_callback_config(&handler.to_string(), &body, &directory)
        .map_err(|errors| format!("invalid config: {errors:?}"))?;
    let mut agents: Vec<Agent> = directory.iter().cloned().collect();
    if let Some(a) = agents.iter_mut().find(|a| a.id == handler) {
        a.callback_config = Some(config);
    }
    directory = AgentDirectory::new(agents)?;

    // Outbound calls to five contacts, then their calls back.
    let t = |s: &str| Timestamp::parse(s);
    let contact = |i: u64| PhoneNumber::parse(&format!("+4420794600{i:02}"));
    let outbound = [
        (1, sales, 1, "2024-01-02T10:00:00Z", CallStatus::NoAnswer),
        (2, sales, 2, "2024-01-03T11:00:00Z", CallStatus::Voicemail),
        (3, survey, 3, "2024-01-04T12:00:00Z", CallStatus::Busy),
        (4, survey, 4, "2024-01-05T13:00:00Z", CallStatus::Completed),
        (5, sales, 5, "2023-10-01T09:00:00Z", CallStatus::NoAnswer),
    ];
    let mut calls = Vec::new();
    for (id, agent_id, to, at, status) in outbound {
        calls.push(OutboundCall {
            id: CallId(id),
            agent_id,
            to: contact(to)?,
            started_at: t(at)?,
            status,
        });
    }
    let index = OutboundIndex::build(calls);
    let router = Router::new(&directory, &index);

    let inbound = [
        (
            Some("+44 20 7946 0001"),
            "2024-01-02T15:00:00Z",
            CallStatus::Completed,
        ),
        (
            Some("+44 20 7946 0002"),
            "2024-01-06T09:30:00Z",
            CallStatus::NoAnswer,
        ),
        (
            Some("+44 20 7946 0003"),
            "2024-01-10T08:00:00Z",
            CallStatus::Answered,
        ),
        (
            Some("+44 20 7946 0004"),
            "2024-01-06T16:00:00Z",
            CallStatus::Completed,
        ),
        (
            Some("+44 20 7946 0005"),
            "2024-01-07T10:00:00Z",
            CallStatus::Completed,
        ),
        (
            Some("anonymous"),
            "2024-01-08T10:00:00Z",
            CallStatus::NoAnswer,
        ),
    ];
    let mut log = CallbackLog::new();
    println!("Routing decisions:");
    for (from, at, status) in inbound {
        let call = InboundCall {
            from: Caller::parse(from),
            to: line,
            at: t(at)?,
        };
        let decision = router.route(&call);
        println!(
            "  {:<18} {at}  {}",
            from.unwrap_or("(none)"),
            decision.explain(&directory)
        );
        if let Some(record) = CallbackRecord::from_decision(&decision, call.at, status) {
            log.push(record);
        }
    }

    let range = DateRange::parse(
        Some("2024-01-01"),
        Some("2024-01-31"),
        Some("UTC"),
        t("2024-02-01T00:00:00Z")?,
    )
    .map_err(|e| format!("{e:?}"))?;
    let stats = Envelope::ok(CallbackStatsData::new(&log.stats(&range), &directory));
    println!(
        "\nGET /api/v1/callback-agents/stats?start_date=2024-01-01&end_date=2024-01-31\n{}",
        serde_json::to_string_pretty(&stats)?
    );
    println!(
        "consistency check: {:?}",
        validate_callback_stats(&stats.data)
    );

    // The seed's own example, checked the same way.
    let seed: Envelope<CallbackStatsData> = serde_json::from_str(include_str!(
        "../../tests/fixtures/seeds/talkover_callback_stats_response.json"
    ))?;
    println!("\nThe Talkover docs' example, checked:");
    for problem in validate_callback_stats(&seed.data) {
        println!("  {}: {}", problem.code, problem.message);
    }

    let bounds = usage_period(
        Period::Month,
        Zone::parse("America/New_York")?,
        t("2024-01-15T12:00:00Z")?,
    );
    let activity = ActivityLog::from_records(&[
        ActivityRecord {
            number: None,
            agent_id: Some(handler),
            at: t("2024-01-02T15:00:00Z")?,
            activity: Activity::Call {
                status: CallStatus::Completed,
                duration_seconds: 240,
            },
        },
        ActivityRecord {
            number: None,
            agent_id: Some(sales),
            at: t("2024-01-03T11:00:00Z")?,
            activity: Activity::Message,
        },
        ActivityRecord {
            number: None,
            agent_id: None,
            at: t("2024-01-09T11:00:00Z")?,
            activity: Activity::Message,
        },
    ]);
    println!(
        "\nGET /v1/usage/by-agent?period=month&tz=America/New_York\n{}",
        serde_json::to_string_pretty(&UsageByAgentResponse::from(
            &activity.by_agent(&bounds, &directory)
        ))?
    );
    Ok(())
}
