//! AgentPhone's usage endpoints, as documented, with `tz` (and `period` where the docs have
//! none) as our extensions.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use dialback_core::usage::buckets::{count_into, day_edges, month_edges};
use dialback_core::wire::agentphone::{
    ByNumberResponse, DailyRow, DailyUsageResponse, MonthlyRow, MonthlyUsageResponse,
    NumberUsageRow, UsageByAgentResponse, UsageResponse,
};
use dialback_core::wire::requests::usage::parse_usage_query;
use dialback_core::{DateRange, usage_period};

use super::super::error::AgentPhoneError;
use super::super::extract::{AgentPhoneEnv, Params};
use super::read;
use crate::app::App;
use crate::ops::OpError;
use crate::store::EnvId;

type Reply<T> = Result<Json<T>, AgentPhoneError>;

fn invalid_range(e: &dialback_core::TimeError) -> AgentPhoneError {
    AgentPhoneError::Invalid(vec![
        dialback_core::wire::agentphone::ValidationDetail::query(
            "days",
            "value_error",
            format!("Value error, {e}"),
            None,
        ),
    ])
}

/// `GET /v1/usage/by-agent?period=week|month|year&tz=`: the seed's shape.
pub async fn by_agent(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<UsageByAgentResponse> {
    let q = parse_usage_query(&q).map_err(AgentPhoneError::Invalid)?;
    let bounds = usage_period(q.period, q.zone, app.now());
    let view = read(&app, &env).await?;
    Ok(Json(
        (&view.activity.by_agent(&bounds, &view.directory)).into(),
    ))
}

/// `GET /v1/usage/daily?days=N&tz=`: the last N local days, today included, every day
/// listed (zeros too), oldest first.
pub async fn daily(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<DailyUsageResponse> {
    let q = parse_usage_query(&q).map_err(AgentPhoneError::Invalid)?;
    let range = DateRange::last_days(q.zone, app.now(), q.days).map_err(|e| invalid_range(&e))?;
    let edges = day_edges(&range).map_err(|e| invalid_range(&e))?;
    let webhooks = webhooks_in(&app, env.id, &edges).await?;
    let view = read(&app, &env).await?;
    let data = view.activity.daily(&range).map_err(|e| invalid_range(&e))?;
    Ok(Json(DailyUsageResponse {
        data: data
            .iter()
            .zip(webhooks)
            .map(|(d, n)| DailyRow {
                webhooks: n,
                ..DailyRow::from(d)
            })
            .collect(),
        days: q.days,
        tz: Some(q.zone.name().to_owned()),
    }))
}

/// `GET /v1/usage/monthly?months=N&tz=`: the last N local months, this one included.
pub async fn monthly(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<MonthlyUsageResponse> {
    let q = parse_usage_query(&q).map_err(AgentPhoneError::Invalid)?;
    let edges = month_edges(q.zone, app.now(), q.months).map_err(|e| invalid_range(&e))?;
    let webhooks = webhooks_in(&app, env.id, &edges).await?;
    let view = read(&app, &env).await?;
    let data = view
        .activity
        .monthly(q.zone, app.now(), q.months)
        .map_err(|e| invalid_range(&e))?;
    Ok(Json(MonthlyUsageResponse {
        data: data
            .iter()
            .zip(webhooks)
            .map(|(m, n)| MonthlyRow {
                webhooks: n,
                ..MonthlyRow::from(m)
            })
            .collect(),
        months: q.months,
        tz: Some(q.zone.name().to_owned()),
    }))
}

/// `GET /v1/usage/by-number`: every number of the environment with its usage in the current
/// period (`period`, default month, and `tz` are our extensions; the docs name no window).
pub async fn by_number(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<ByNumberResponse> {
    let q = parse_usage_query(&q).map_err(AgentPhoneError::Invalid)?;
    let bounds = usage_period(q.period, q.zone, app.now());
    let view = read(&app, &env).await?;
    let data = view
        .activity
        .by_number(&bounds, view.numbers.all())
        .iter()
        .map(|u| NumberUsageRow::new(u, &view.directory))
        .collect();
    Ok(Json(ByNumberResponse {
        data,
        period: Some(bounds.period.as_str().to_owned()),
        period_start: Some(bounds.period_start.to_string()),
        period_end: Some(bounds.period_end.to_string()),
    }))
}

/// `GET /v1/usage`: the plan, numbers held against it, and the eleven counters (all time and
/// rolling 24 h / 7 d / 30 d, and webhook deliveries: every one stored, tests aside).
/// `periodStart`/`periodEnd` are the current month's (or `period`'s) bounds in `tz`.
pub async fn summary(
    State(app): State<Arc<App>>,
    AgentPhoneEnv(env): AgentPhoneEnv,
    Params(q): Params,
) -> Reply<UsageResponse> {
    let q = parse_usage_query(&q).map_err(AgentPhoneError::Invalid)?;
    let now = app.now();
    let bounds = usage_period(q.period, q.zone, now);
    // the plan is read from storage, so `dialback env plan` applies at once, on every replica
    let id = env.id;
    let plan = app
        .storage(move |store| store.tokens().plan(id))
        .await
        .map_err(|e| AgentPhoneError::from(OpError::storage(&e)))?;
    let scope = crate::store::outbox::Scope::default();
    let deliveries = crate::webhooks::manage::stats(&app, id, scope).await?.all;
    let view = read(&app, &env).await?;
    let summary = view.activity.summary(&bounds, now);
    let mut answer = UsageResponse::new(&plan, view.numbers.len() as u64, &summary, &bounds, now);
    answer.stats.total_webhook_deliveries = deliveries.total;
    answer.stats.successful_webhook_deliveries = deliveries.success;
    answer.stats.failed_webhook_deliveries = deliveries.failed;
    Ok(Json(answer))
}

/// Webhook deliveries (tests aside) counted into the buckets `edges` bound.
async fn webhooks_in(app: &App, env: EnvId, edges: &[i64]) -> Result<Vec<u64>, AgentPhoneError> {
    let (Some(&from), Some(&to)) = (edges.first(), edges.last()) else {
        return Ok(Vec::new());
    };
    let quarters = app
        .storage(move |store| store.outbox().delivery_quarters(env, from, to))
        .await
        .map_err(|e| AgentPhoneError::from(OpError::storage(&e)))?;
    Ok(count_into(edges, &quarters))
}
