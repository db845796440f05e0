//! AgentPhone's usage endpoints (`/v1`, camelCase, FastAPI-style errors).

use std::collections::HashMap;

use axum::Json;
use axum::extract::Query;
use chrono::Days;
use dialback_core::wire::agentphone::{
    DailyUsageResponse, MonthlyUsageResponse, UsageByAgentResponse, ValidationErrorBody,
};
use dialback_core::{DateRange, NumberUsage, Period, PhoneNumber, UsageTotals, Zone, usage_period};
use serde::Serialize;

use super::error::UsageError;
use super::extract::AgentPhoneEnv;
use crate::ops::clock;

type Q = Query<HashMap<String, String>>;

/// Collects query problems, then answers them all at once.
#[derive(Default)]
struct Params {
    detail: Vec<dialback_core::wire::agentphone::ValidationDetail>,
}

impl Params {
    fn zone(&mut self, q: &HashMap<String, String>) -> Zone {
        match q.get("tz").map(String::as_str) {
            None | Some("") => Zone::UTC,
            Some(name) => Zone::parse(name).unwrap_or_else(|e| {
                self.detail.extend(ValidationErrorBody::query([&e]).detail);
                Zone::UTC
            }),
        }
    }

    fn period(&mut self, q: &HashMap<String, String>, default: Option<Period>) -> Period {
        match (q.get("period"), default) {
            (None, Some(p)) => p,
            (None, None) => {
                self.detail
                    .push(UsageError::query("period", "Field required", "missing"));
                Period::Month
            }
            (Some(p), _) => Period::parse(p).unwrap_or_else(|e| {
                self.detail.extend(ValidationErrorBody::query([&e]).detail);
                Period::Month
            }),
        }
    }

    fn count(&mut self, q: &HashMap<String, String>, name: &str, default: u32, max: u32) -> u32 {
        match q.get(name) {
            None => default,
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .unwrap_or_else(|| {
                    let msg = format!("{name} must be an integer from 1 to {max}, got {v:?}");
                    self.detail
                        .push(UsageError::query(name, msg, "INVALID_RANGE"));
                    default
                }),
        }
    }

    fn done(self) -> Result<(), UsageError> {
        if self.detail.is_empty() {
            Ok(())
        } else {
            Err(UsageError::Invalid(ValidationErrorBody {
                detail: self.detail,
            }))
        }
    }
}

/// `GET /v1/usage/by-agent?period=week|month|year&tz=`: the seed's shape.
pub async fn by_agent(
    AgentPhoneEnv(env): AgentPhoneEnv,
    Query(q): Q,
) -> Result<Json<UsageByAgentResponse>, UsageError> {
    let mut p = Params::default();
    let period = p.period(&q, None);
    let zone = p.zone(&q);
    p.done()?;
    let bounds = usage_period(period, zone, clock());
    let view = env.view.read().await;
    Ok(Json(view.activity.by_agent(&bounds, &view.directory)))
}

/// `GET /v1/usage/daily?days=N&tz=`: the last N local days, today included (up to 366: a
/// leap year so far, which the console asks for on December 31).
pub async fn daily(
    AgentPhoneEnv(env): AgentPhoneEnv,
    Query(q): Q,
) -> Result<Json<DailyUsageResponse>, UsageError> {
    let mut p = Params::default();
    let days = p.count(&q, "days", 30, 366);
    let zone = p.zone(&q);
    p.done()?;
    let today = zone.date_of(clock());
    let first = today
        .checked_sub_days(Days::new(u64::from(days) - 1))
        .unwrap_or(today);
    let range = DateRange::new(first, today, zone)
        .map_err(|e| UsageError::Invalid(ValidationErrorBody::query([&e])))?;
    let view = env.view.read().await;
    let data = view
        .activity
        .daily(&range)
        .map_err(|e| UsageError::Invalid(ValidationErrorBody::query([&e])))?;
    Ok(Json(DailyUsageResponse {
        data,
        days,
        tz: Some(zone.name().to_owned()),
    }))
}

/// `GET /v1/usage/monthly?months=N&tz=`: the last N local months, this one included.
pub async fn monthly(
    AgentPhoneEnv(env): AgentPhoneEnv,
    Query(q): Q,
) -> Result<Json<MonthlyUsageResponse>, UsageError> {
    let mut p = Params::default();
    let months = p.count(&q, "months", 6, 24);
    let zone = p.zone(&q);
    p.done()?;
    let view = env.view.read().await;
    let data = view
        .activity
        .monthly(zone, clock(), months)
        .map_err(|e| UsageError::Invalid(ValidationErrorBody::query([&e])))?;
    Ok(Json(MonthlyUsageResponse {
        data,
        months,
        tz: Some(zone.name().to_owned()),
    }))
}

#[derive(Serialize)]
pub struct ByNumber {
    data: Vec<NumberUsage>,
    period: String,
    #[serde(rename = "periodStart")]
    period_start: String,
    #[serde(rename = "periodEnd")]
    period_end: String,
}

/// `GET /v1/usage/by-number?period=&tz=` (period defaults to month): every number of the
/// environment with its usage in the period.
pub async fn by_number(
    AgentPhoneEnv(env): AgentPhoneEnv,
    Query(q): Q,
) -> Result<Json<ByNumber>, UsageError> {
    let mut p = Params::default();
    let period = p.period(&q, Some(Period::Month));
    let zone = p.zone(&q);
    p.done()?;
    let bounds = usage_period(period, zone, clock());
    let view = env.view.read().await;
    let numbers: Vec<(String, PhoneNumber)> = view
        .agents
        .iter()
        .flat_map(|r| {
            r.number_ids
                .iter()
                .cloned()
                .zip(r.agent.phone_numbers.iter().copied())
        })
        .collect();
    Ok(Json(ByNumber {
        data: view.activity.by_number(&bounds, &numbers, &view.directory),
        period: period.as_str().to_owned(),
        period_start: bounds.period_start.to_string(),
        period_end: bounds.period_end.to_string(),
    }))
}

/// `GET /v1/usage?period=&tz=`: this period's totals and the rolling 24 h / 7 d / 30 d.
pub async fn totals(
    AgentPhoneEnv(env): AgentPhoneEnv,
    Query(q): Q,
) -> Result<Json<UsageTotals>, UsageError> {
    let mut p = Params::default();
    let period = p.period(&q, Some(Period::Month));
    let zone = p.zone(&q);
    p.done()?;
    let now = clock();
    let view = env.view.read().await;
    Ok(Json(
        view.activity.totals(&usage_period(period, zone, now), now),
    ))
}
