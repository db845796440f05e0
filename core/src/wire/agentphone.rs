//! AgentPhone's shapes (camelCase): usage by agent, daily and monthly usage, and its 422 body.

use serde::{Deserialize, Serialize};

use crate::usage::{DayUsage, MonthUsage};

/// One row of usage by agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub is_orphan: bool,
}

/// `GET /v1/usage/by-agent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// `GET /v1/usage/daily` (`tz` and `totalSeconds` are our extensions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyUsageResponse {
    /// One row per local day, oldest first.
    pub data: Vec<DayUsage>,
    /// How many days.
    pub days: u32,
    /// The zone the days are local to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
}

/// `GET /v1/usage/monthly` (`tz` and `totalSeconds` are our extensions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyUsageResponse {
    /// One row per local month, oldest first.
    pub data: Vec<MonthUsage>,
    /// How many months.
    pub months: u32,
    /// The zone the months are local to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
}

/// One entry of AgentPhone's 422 `detail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationDetail {
    /// Where: e.g. `["query", "period"]`.
    pub loc: Vec<String>,
    /// What is wrong.
    pub msg: String,
    /// Machine-readable kind: our stable error code.
    #[serde(rename = "type")]
    pub kind: String,
}

/// AgentPhone's 422 body: `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrorBody {
    /// Every problem.
    pub detail: Vec<ValidationDetail>,
}

impl ValidationErrorBody {
    /// The body for query-parameter errors.
    pub fn query<'e>(errors: impl IntoIterator<Item = &'e crate::time::TimeError>) -> Self {
        use crate::error::ErrorCode;
        ValidationErrorBody {
            detail: errors
                .into_iter()
                .map(|e| ValidationDetail {
                    loc: vec!["query".to_owned(), e.field().to_owned()],
                    msg: e.to_string(),
                    kind: e.code().to_owned(),
                })
                .collect(),
        }
    }
}
