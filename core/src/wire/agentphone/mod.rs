//! AgentPhone's shapes (camelCase): the five usage endpoints, with every key its OpenAPI
//! description marks required and everything its official clients read, and its errors.
//!
//! The webhook counters are filled in by the server, which keeps the delivery log (the rows
//! here say 0 until it does). Our extensions are extra
//! keys a documented client ignores: `tz`, `totalSeconds`, `period`, `periodUsage`.

pub mod calls;
pub mod directory;
mod errors;
pub mod webhooks;

use serde::{Deserialize, Serialize};

pub use errors::{ErrorEnvelope, ErrorInfo, ValidationDetail, ValidationErrorBody};

#[cfg(feature = "regions")]
use crate::agent::AgentDirectory;
#[cfg(feature = "regions")]
use crate::usage::NumberUsage;
use crate::usage::{
    AgentUsage, DayUsage, MonthUsage, NumberQuota, PeriodBounds, Plan, UsageSummary, Window,
};

/// One row of usage by agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AgentUsageRow {
    /// The agent; `null` for the Unassigned row.
    pub agent_id: Option<String>,
    /// Its name, or `Unassigned`.
    pub agent_name: String,
    /// Messages.
    pub messages: i64,
    /// Completed calls.
    pub calls: i64,
    /// Seconds of those calls.
    pub total_seconds: i64,
    /// `true` only on the Unassigned row.
    #[serde(default)]
    pub is_orphan: bool,
}

/// `GET /v1/usage/by-agent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsageByAgentResponse {
    /// Rows, Unassigned last.
    pub data: Vec<AgentUsageRow>,
    /// `week`, `month` or `year`.
    pub period: String,
    /// RFC 3339 UTC.
    pub period_start: String,
    /// RFC 3339 UTC, the period's last second.
    pub period_end: String,
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Usage summed over every row of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UsageTotals {
    /// Messages.
    pub messages: i64,
    /// Completed calls.
    pub calls: i64,
    /// Their seconds.
    pub total_seconds: i64,
}

impl UsageByAgentResponse {
    /// Every row summed, saturating (another server may send anything; check it with
    /// `validate_usage_by_agent`).
    pub fn totals(&self) -> UsageTotals {
        self.data
            .iter()
            .fold(UsageTotals::default(), |t, r| UsageTotals {
                messages: t.messages.saturating_add(r.messages),
                calls: t.calls.saturating_add(r.calls),
                total_seconds: t.total_seconds.saturating_add(r.total_seconds),
            })
    }

    /// The `n` agents with the most call time (then most calls, then messages, then by
    /// name), leaving out the Unassigned row and agents with no activity.
    pub fn top_agents(&self, n: usize) -> Vec<&AgentUsageRow> {
        let mut rows: Vec<&AgentUsageRow> = self
            .data
            .iter()
            .filter(|r| !r.is_orphan && (r.messages, r.calls, r.total_seconds) != (0, 0, 0))
            .collect();
        rows.sort_by(|a, b| {
            (b.total_seconds, b.calls, b.messages)
                .cmp(&(a.total_seconds, a.calls, a.messages))
                .then_with(|| a.agent_name.cmp(&b.agent_name))
        });
        rows.truncate(n);
        rows
    }
}

impl From<&AgentUsage> for UsageByAgentResponse {
    fn from(u: &AgentUsage) -> Self {
        UsageByAgentResponse {
            data: u
                .rows
                .iter()
                .map(|r| AgentUsageRow {
                    agent_id: r.agent.map(|a| a.to_string()),
                    agent_name: r.name.clone(),
                    messages: signed(r.usage.messages),
                    calls: signed(r.usage.calls),
                    total_seconds: signed(r.usage.total_seconds),
                    is_orphan: r.agent.is_none(),
                })
                .collect(),
            period: u.bounds.period.as_str().to_owned(),
            period_start: u.bounds.period_start.to_string(),
            period_end: u.bounds.period_end.to_string(),
        }
    }
}

/// One day of `GET /v1/usage/daily`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DailyRow {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// Messages.
    pub messages: u64,
    /// Completed calls.
    pub calls: u64,
    /// Webhook deliveries made that day (tests aside; the server fills it in).
    pub webhooks: u64,
    /// Minutes of those calls, the seconds rounded up to whole minutes: what the vendor's
    /// MCP server reads here (its builds disagree: one reads `webhooks`, one `voiceMinutes`,
    /// so both are sent). Not in the documented examples, so optional when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_minutes: Option<u64>,
    /// Extension: seconds of those calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_seconds: Option<u64>,
}

impl From<&DayUsage> for DailyRow {
    fn from(d: &DayUsage) -> Self {
        DailyRow {
            date: d.date.to_string(),
            messages: d.messages,
            calls: d.calls,
            webhooks: 0,
            voice_minutes: Some(d.total_seconds.div_ceil(60)),
            total_seconds: Some(d.total_seconds),
        }
    }
}

/// `GET /v1/usage/daily`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DailyUsageResponse {
    /// One row per local day, oldest first, days without activity included.
    pub data: Vec<DailyRow>,
    /// How many days.
    pub days: u32,
    /// Extension: the zone the days are local to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
}

/// One month of `GET /v1/usage/monthly`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MonthlyRow {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Messages.
    pub messages: u64,
    /// Completed calls.
    pub calls: u64,
    /// Webhook deliveries made that day (tests aside; the server fills it in).
    pub webhooks: u64,
    /// Minutes of those calls, the seconds rounded up to whole minutes: what the vendor's
    /// MCP server reads here (its builds disagree: one reads `webhooks`, one `voiceMinutes`,
    /// so both are sent). Not in the documented examples, so optional when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_minutes: Option<u64>,
    /// Extension: seconds of those calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_seconds: Option<u64>,
}

impl From<&MonthUsage> for MonthlyRow {
    fn from(m: &MonthUsage) -> Self {
        MonthlyRow {
            month: m.month.to_string(),
            messages: m.messages,
            calls: m.calls,
            webhooks: 0,
            voice_minutes: Some(m.total_seconds.div_ceil(60)),
            total_seconds: Some(m.total_seconds),
        }
    }
}

/// `GET /v1/usage/monthly`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MonthlyUsageResponse {
    /// One row per local month, oldest first.
    pub data: Vec<MonthlyRow>,
    /// How many months.
    pub months: u32,
    /// Extension: the zone the months are local to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
}

/// One number of `GET /v1/usage/by-number`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NumberUsageRow {
    /// The number resource's id.
    pub number_id: String,
    /// E.164.
    pub phone_number: String,
    /// ISO country (`ZZ` if unknown).
    pub country: String,
    /// `active`.
    pub status: String,
    /// Its agent.
    #[serde(default)]
    pub agent_id: Option<String>,
    /// Its agent's name.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// Messages sent from or received on it.
    pub messages: u64,
    /// Completed calls placed from or answered on it.
    pub calls: u64,
    /// Extension: seconds of those calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_seconds: Option<u64>,
}

#[cfg(feature = "regions")]
impl NumberUsageRow {
    /// The row of one number, its agent named from the directory.
    pub fn new(u: &NumberUsage, names: &AgentDirectory) -> Self {
        let owner = u.number.agent.and_then(|a| names.get(&a));
        NumberUsageRow {
            number_id: u.number.id.to_string(),
            phone_number: u.number.number.to_string(),
            country: u.number.number.formats().country,
            status: crate::wire::talkover::numbers::ACTIVE.to_owned(),
            agent_id: owner.map(|a| a.id.to_string()),
            agent_name: owner.map(|a| a.name.clone()),
            messages: u.usage.messages,
            calls: u.usage.calls,
            total_seconds: Some(u.usage.total_seconds),
        }
    }
}

/// `GET /v1/usage/by-number`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ByNumberResponse {
    /// Every number of the environment.
    pub data: Vec<NumberUsageRow>,
    /// Extension: the period counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Extension: its first instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_start: Option<String>,
    /// Extension: its last second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<String>,
}

/// `plan` of `GET /v1/usage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PlanBody {
    /// Its name.
    pub name: String,
    /// Its limits.
    pub limits: PlanLimits,
}

/// `plan.limits` of `GET /v1/usage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanLimits {
    /// Numbers.
    pub numbers: u64,
    /// Messages a month.
    pub messages_per_month: u64,
    /// Minutes of calls a month.
    pub voice_minutes_per_month: u64,
    /// The longest call, in minutes.
    pub max_call_duration_minutes: u64,
    /// Calls at once.
    pub concurrent_calls: u64,
}

impl From<&Plan> for PlanBody {
    fn from(p: &Plan) -> Self {
        PlanBody {
            name: p.name.clone(),
            limits: PlanLimits {
                numbers: p.numbers.into(),
                messages_per_month: p.messages_per_month.into(),
                voice_minutes_per_month: p.voice_minutes_per_month.into(),
                max_call_duration_minutes: p.max_call_duration_minutes.into(),
                concurrent_calls: p.concurrent_calls.into(),
            },
        }
    }
}

/// `stats` of `GET /v1/usage`: the eleven counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsageStats {
    /// Messages, all time.
    pub total_messages: u64,
    /// Messages in the last 24 hours.
    pub messages_last24h: u64,
    /// Messages in the last 7 days.
    pub messages_last7d: u64,
    /// Messages in the last 30 days.
    pub messages_last30d: u64,
    /// Completed calls, all time.
    pub total_calls: u64,
    /// Completed calls in the last 24 hours.
    pub calls_last24h: u64,
    /// Completed calls in the last 7 days.
    pub calls_last7d: u64,
    /// Completed calls in the last 30 days.
    pub calls_last30d: u64,
    /// Webhook deliveries (tests aside; the server fills them in).
    pub total_webhook_deliveries: u64,
    /// Successful ones.
    pub successful_webhook_deliveries: u64,
    /// Failed ones.
    pub failed_webhook_deliveries: u64,
}

/// `GET /v1/usage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsageResponse {
    /// The environment's plan.
    pub plan: PlanBody,
    /// Numbers held against the plan.
    pub numbers: NumberQuota,
    /// The counters.
    pub stats: UsageStats,
    /// The current period's first instant (RFC 3339 UTC).
    pub period_start: String,
    /// The current period's last second.
    pub period_end: String,
    /// When this answer was computed (the official SDK reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_generated_at: Option<String>,
    /// Extension: `week`, `month` or `year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Extension: usage in the current period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_usage: Option<Window>,
}

impl UsageResponse {
    /// The answer for a plan, the numbers held, and a usage summary over `bounds`.
    pub fn new(
        plan: &Plan,
        numbers_used: u64,
        summary: &UsageSummary,
        bounds: &PeriodBounds,
        now: crate::time::Timestamp,
    ) -> Self {
        let s = summary;
        UsageResponse {
            plan: plan.into(),
            numbers: plan.numbers_quota(numbers_used),
            stats: UsageStats {
                total_messages: s.all_time.messages,
                messages_last24h: s.last24h.messages,
                messages_last7d: s.last7d.messages,
                messages_last30d: s.last30d.messages,
                total_calls: s.all_time.calls,
                calls_last24h: s.last24h.calls,
                calls_last7d: s.last7d.calls,
                calls_last30d: s.last30d.calls,
                total_webhook_deliveries: 0,
                successful_webhook_deliveries: 0,
                failed_webhook_deliveries: 0,
            },
            period_start: bounds.period_start.to_string(),
            period_end: bounds.period_end.to_string(),
            report_generated_at: Some(now.to_string()),
            period: Some(bounds.period.as_str().to_owned()),
            period_usage: Some(s.period),
        }
    }
}
