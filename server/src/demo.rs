//! The `demo` environment: realistic generated data, created on the first `serve --demo`.
//!
//! A callback handler and a support line (inbound), three outbound campaigns, ninety days of
//! outbound calls up to now, contacts calling back (matched, too late, after a campaign that
//! is not a source, withheld), answered and missed, messages, and some activity with no agent.
//! Everything goes through the same operations as the API, so the demo's routing decisions
//! are the core's. Generation is seeded: the same "now" gives the same data.

use dialback_core::wire::requests::agents::parse_agent_patch;
use dialback_core::wire::requests::{AgentPatch, NewAgent, NewCall, NewMessage, NewNumber};
use dialback_core::{AgentProfile, CallStatus, Direction, PhoneNumber, Timestamp};
use serde_json::json;

use crate::app::{App, Env};
use crate::ops::{self, Failure};

/// The demo environment's name.
pub const NAME: &str = "demo";

/// Makes sure the demo environment exists (with data), and issues a fresh token for it
/// (revoking the previous `serve --demo` token).
pub fn ensure(app: &App) -> Result<String, String> {
    let existing = app
        .store
        .tokens()
        .environments()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|(_, n)| n == NAME);
    let id = match existing {
        Some((id, _)) => id,
        None => {
            let (id, _) = app
                .create_environment(NAME, "demo-serve") // replaced by the token issued below
                .map_err(|e| e.to_string())?;
            let env = app.env(id).ok_or("the demo environment vanished")?;
            generate(app, &env, app.now()).map_err(|e| format!("generating demo data: {e:?}"))?;
            id
        }
    };
    let token = crate::auth::NewToken {
        label: "demo-serve".to_owned(),
        scope: crate::auth::Scope::Write,
        expires_at: None,
    };
    app.issue_token(id, &token, true)
        .map(|(_, secret)| secret)
        .map_err(|e| e.to_string())
}

/// Points the demo environment's project webhook (AgentPhone's) at the demo receiver,
/// `receiver`, unless it has one: every call recorded from here on sends its events there,
/// signed.
pub fn webhook(app: &App, receiver: &str) -> Result<(), String> {
    let Some(env) = app.env_named(NAME).map_err(|e| e.to_string())? else {
        return Ok(());
    };
    let outbox = app.store.outbox();
    let hooks = outbox.webhooks_of(env.id).map_err(|e| e.to_string())?;
    if hooks.iter().any(|h| h.agent.is_none()) {
        return Ok(());
    }
    let input = dialback_core::wire::requests::webhooks::AgentPhoneWebhookInput {
        url: receiver.to_owned(),
        context_limit: 10,
        timeout: 10,
    };
    let hook = input.webhook(
        crate::webhooks::webhook_id(),
        None,
        crate::webhooks::secret(),
        None,
        app.now(),
    );
    outbox.put_webhook(env.id, &hook).map_err(|e| e.to_string())
}

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn broken(e: impl std::fmt::Display) -> ops::OpError {
    ops::OpError::one(Failure::Storage, "DEMO", e.to_string(), "demo")
}

fn number(s: &str) -> Result<PhoneNumber, ops::OpError> {
    PhoneNumber::parse(s).map_err(broken)
}

fn agent(
    app: &App,
    env: &Env,
    (name, label, description): (&str, &str, &str),
    direction: Direction,
    numbers: &[&str],
) -> Result<String, ops::OpError> {
    let phone_numbers = numbers
        .iter()
        .map(|n| number(n))
        .collect::<Result<_, _>>()?;
    let profile = AgentProfile {
        label: label.into(),
        description: Some(description.into()),
        ..AgentProfile::for_name(name)
    };
    let created = ops::agents::create_agent(
        app,
        env,
        NewAgent {
            name: name.into(),
            direction,
            profile,
            phone_numbers,
        },
    )?;
    let id = created.record.id.to_string();
    let publish: AgentPatch = parse_agent_patch(&json!({"current_status": "published"}))
        .map_err(|e| broken(format!("{e:?}")))?;
    ops::agents::patch_agent(app, env, &id, publish)?;
    Ok(id)
}

/// Fills an empty environment with ninety days of activity ending at `now`.
pub fn generate(app: &App, env: &Env, now: Timestamp) -> Result<(), ops::OpError> {
    let handler = agent(
        app,
        env,
        (
            "Callback Handler",
            "Inbound Callback Agent",
            "Takes the calls of contacts our campaigns reached",
        ),
        Direction::Inbound,
        &["+1 415 555 0100"],
    )?;
    let support = agent(
        app,
        env,
        (
            "Support Line",
            "Customer Support Agent",
            "Handles customer inquiries and support requests",
        ),
        Direction::Inbound,
        &["+1 415 555 0199"],
    )?;
    let sales = agent(
        app,
        env,
        (
            "Sales Outbound",
            "Sales Campaign Agent",
            "Calls leads about the spring offer",
        ),
        Direction::Outbound,
        &["+1 415 555 0110"],
    )?;
    let survey = agent(
        app,
        env,
        (
            "Survey Outbound",
            "Satisfaction Survey Agent",
            "Asks recent customers three questions",
        ),
        Direction::Outbound,
        &["+1 415 555 0120"],
    )?;
    let renewals = agent(
        app,
        env,
        (
            "Renewals Outbound",
            "Renewals Agent",
            "Reminds customers whose plan ends this month",
        ),
        Direction::Outbound,
        &["+1 415 555 0130"],
    )?;
    // the shared SMS line has no agent: its messages are Unassigned usage
    ops::agents::create_number(
        app,
        env,
        NewNumber {
            number: number("+14155550150")?,
        },
    )?;
    ops::agents::set_callback(
        app,
        env,
        &handler,
        &json!({ "source_agent_ids": [sales, survey], "lookback_days": 30 }),
    )?;
    let _ = support;

    let mut rng = Rng(0x005E_ED0F_DA1B_ACC0 ^ (now.unix_seconds() as u64 / 86_400));
    let start = now.unix_seconds() - 90 * 86_400;
    let contact = |i: u64| format!("+1{}555{:04}", 200 + i % 700, i % 10_000);
    let campaigns = [
        (&sales, "+14155550110", 45u64),
        (&survey, "+14155550120", 35),
        (&renewals, "+14155550130", 20),
    ];
    let mut calls: Vec<NewCall> = Vec::new();
    let mut messages: Vec<NewMessage> = Vec::new();
    let at = |secs: i64| Timestamp::from_unix_seconds(secs).unwrap_or(now);

    for day in 0..90i64 {
        let day_start = start + day * 86_400;
        // outbound campaigns: 30-50 calls a day, business hours (UTC-ish)
        for _ in 0..(30 + rng.below(20)) {
            let pick = rng.below(100);
            let (agent_id, from, _) = if pick < campaigns[0].2 {
                campaigns[0]
            } else if pick < campaigns[0].2 + campaigns[1].2 {
                campaigns[1]
            } else {
                campaigns[2]
            };
            let t = day_start + 14 * 3600 + rng.below(9 * 3600) as i64;
            let status = match rng.below(100) {
                0..35 => CallStatus::Completed,
                35..65 => CallStatus::NoAnswer,
                65..85 => CallStatus::Voicemail,
                85..95 => CallStatus::Busy,
                _ => CallStatus::Failed,
            };
            let to = contact(rng.below(900));
            let duration = if status == CallStatus::Completed {
                30 + rng.below(600) as u32
            } else {
                0
            };
            calls.push(outbound(agent_id, from, &to, at(t), status, duration)?);
            // some contacts call back, within minutes to ten days; a few come back too late
            if rng.chance(18) {
                let delay = if rng.chance(85) {
                    rng.below(5 * 86_400)
                } else {
                    31 * 86_400 + rng.below(20 * 86_400)
                } as i64;
                let back = t + 60 + delay;
                if back < now.unix_seconds() {
                    calls.push(inbound(
                        Some(&to),
                        "+14155550100",
                        at(back),
                        answered(&mut rng),
                        &mut rng,
                    )?);
                }
            }
        }
        // strangers, withheld numbers and support calls
        for _ in 0..(2 + rng.below(4)) {
            let t = day_start + rng.below(86_400) as i64;
            let from = match rng.below(10) {
                0 => None,
                1 => Some("anonymous".to_owned()),
                _ => Some(contact(5_000 + rng.below(3_000))),
            };
            let line = if rng.chance(50) {
                "+14155550100"
            } else {
                "+14155550199"
            };
            calls.push(inbound(
                from.as_deref(),
                line,
                at(t),
                answered(&mut rng),
                &mut rng,
            )?);
        }
        // messages, about a tenth with no agent
        for _ in 0..(20 + rng.below(20)) {
            let t = day_start + rng.below(86_400) as i64;
            let (agent_id, own) = match rng.below(10) {
                0 => (None, "+14155550150"),
                1..4 => (Some(handler.as_str()), "+14155550100"),
                4..6 => (Some(sales.as_str()), "+14155550110"),
                6..8 => (Some(survey.as_str()), "+14155550120"),
                _ => (Some(renewals.as_str()), "+14155550130"),
            };
            let other = contact(rng.below(900));
            let (direction, from, to) = if rng.chance(50) {
                (Direction::Outbound, own.to_owned(), other)
            } else {
                (Direction::Inbound, other, own.to_owned())
            };
            messages.push(NewMessage {
                agent_id: agent_id
                    .map(dialback_core::AgentId::parse)
                    .transpose()
                    .map_err(broken)?,
                direction,
                from: number(&from)?,
                to: number(&to)?,
                sent_at: at(t),
            });
        }
    }
    // record in arrival order, as a live system would have seen them
    calls.sort_by_key(|c| c.started_at);
    for chunk in calls.chunks(2_000) {
        ops::record_calls(app, env, chunk.to_vec(), true)?;
    }
    messages.sort_by_key(|m| m.sent_at);
    ops::record_messages(app, env, messages)?;
    Ok(())
}

fn answered(rng: &mut Rng) -> CallStatus {
    match rng.below(100) {
        0..55 => CallStatus::Completed,
        55..70 => CallStatus::Answered,
        70..90 => CallStatus::NoAnswer,
        _ => CallStatus::Busy,
    }
}

fn outbound(
    agent_id: &str,
    from: &str,
    to: &str,
    started_at: Timestamp,
    status: CallStatus,
    duration_seconds: u32,
) -> Result<NewCall, ops::OpError> {
    Ok(NewCall {
        external_id: None,
        direction: Direction::Outbound,
        agent_id: Some(dialback_core::AgentId::parse(agent_id).map_err(broken)?),
        from_raw: Some(number(from)?.to_string()),
        to: number(to)?,
        started_at,
        status,
        duration_seconds,
    })
}

fn inbound(
    from: Option<&str>,
    to: &str,
    started_at: Timestamp,
    status: CallStatus,
    rng: &mut Rng,
) -> Result<NewCall, ops::OpError> {
    let duration_seconds = if status.is_answered() {
        20 + rng.below(900) as u32
    } else {
        0
    };
    Ok(NewCall {
        external_id: None,
        direction: Direction::Inbound,
        agent_id: None,
        from_raw: from.map(str::to_owned),
        to: number(to)?,
        started_at,
        status,
        duration_seconds,
    })
}
