//! AgentPhone's query parameters: the usage endpoints' `period`, `tz`, `days` and `months`,
//! and the call lists' `limit`, `offset` and filters. Problems come back as FastAPI writes
//! them (pydantic's error types and messages), every one at once.

use serde_json::json;

use super::MAX_SEARCH_CHARS;
use super::queries::{CallFilter, CallSearch, Params};
use crate::agent::Direction;
use crate::call::CallStatus;
use crate::time::Zone;
use crate::usage::Period;
use crate::wire::agentphone::ValidationDetail;

/// The usage endpoints' parameters, defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageQuery {
    /// `period` (default `month`).
    pub period: Period,
    /// `tz` (default UTC).
    pub zone: Zone,
    /// `days` (default 30, 1 to 365).
    pub days: u32,
    /// `months` (default 6, 1 to 24).
    pub months: u32,
}

/// The `days` range AgentPhone documents.
pub const MAX_DAYS: u32 = 365;
/// The `months` range AgentPhone documents.
pub const MAX_MONTHS: u32 = 24;

fn get<'a>(q: &'a Params, name: &str) -> Option<&'a str> {
    q.get(name).map(String::as_str)
}

pub(super) fn integer(
    q: &Params,
    name: &'static str,
    default: u64,
    lo: u64,
    hi: u64,
    detail: &mut Vec<ValidationDetail>,
) -> u64 {
    let Some(v) = get(q, name) else {
        return default;
    };
    let Ok(n) = v.trim().parse::<i64>() else {
        detail.push(ValidationDetail::query(
            name,
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer",
            Some(v),
        ));
        return default;
    };
    if n < lo as i64 {
        detail.push(
            ValidationDetail::query(
                name,
                "greater_than_equal",
                format!("Input should be greater than or equal to {lo}"),
                Some(v),
            )
            .with_ctx(json!({ "ge": lo })),
        );
        return default;
    }
    if n > hi as i64 {
        detail.push(
            ValidationDetail::query(
                name,
                "less_than_equal",
                format!("Input should be less than or equal to {hi}"),
                Some(v),
            )
            .with_ctx(json!({ "le": hi })),
        );
        return default;
    }
    n as u64
}

/// Parses the usage endpoints' query. `period` is optional here, `month` by default: the
/// OpenAPI description marks it required on usage by agent, but the official SDK's
/// `get_by_agent()` sends none unless asked, and must work.
pub fn parse_usage_query(q: &Params) -> Result<UsageQuery, Vec<ValidationDetail>> {
    let mut detail = Vec::new();
    let period = match get(q, "period") {
        None => Period::Month,
        Some(p) => Period::parse(p).unwrap_or_else(|_| {
            detail.push(
                ValidationDetail::query(
                    "period",
                    "enum",
                    "Input should be 'week', 'month' or 'year'",
                    Some(p),
                )
                .with_ctx(json!({ "expected": "'week', 'month' or 'year'" })),
            );
            Period::Month
        }),
    };
    let zone = match get(q, "tz") {
        None => Zone::UTC,
        Some(name) => Zone::parse(name).unwrap_or_else(|e| {
            detail.push(ValidationDetail::query(
                "tz",
                "value_error",
                format!("Value error, {e}"),
                Some(name),
            ));
            Zone::UTC
        }),
    };
    let days = integer(q, "days", 30, 1, MAX_DAYS.into(), &mut detail);
    let months = integer(q, "months", 6, 1, MAX_MONTHS.into(), &mut detail);
    if detail.is_empty() {
        Ok(UsageQuery {
            period,
            zone,
            days: u32::try_from(days).unwrap_or(30),
            months: u32::try_from(months).unwrap_or(6),
        })
    } else {
        Err(detail)
    }
}

/// A page of AgentPhone's agent or number list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentPhonePage {
    /// How many to skip.
    pub offset: u64,
    /// How many to take (1 to 100, default 20).
    pub limit: u64,
}

impl AgentPhonePage {
    /// This page of `all`, whether more follow, and how many there are.
    pub fn of<'a, T>(&self, all: &'a [T]) -> (&'a [T], bool, u64) {
        let start = usize::try_from(self.offset)
            .unwrap_or(usize::MAX)
            .min(all.len());
        let end = start
            .saturating_add(usize::try_from(self.limit).unwrap_or(usize::MAX))
            .min(all.len());
        (
            all.get(start..end).unwrap_or_default(),
            end < all.len(),
            all.len() as u64,
        )
    }
}

/// Parses the `limit` and `offset` of `GET /v1/agents` and `GET /v1/numbers`, as the call
/// list's are.
pub fn parse_agentphone_page(q: &Params) -> Result<AgentPhonePage, Vec<ValidationDetail>> {
    let mut detail = Vec::new();
    let limit = integer(q, "limit", 20, 1, 100, &mut detail);
    let offset = integer(q, "offset", 0, 0, u64::from(u32::MAX), &mut detail);
    if detail.is_empty() {
        Ok(AgentPhonePage { offset, limit })
    } else {
        Err(detail)
    }
}

/// AgentPhone's call list query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentPhoneCallQuery {
    /// Which calls.
    pub filter: CallFilter,
    /// How many to skip.
    pub offset: u64,
    /// How many to take (1 to 100, default 20).
    pub limit: u64,
}

/// Parses `limit`, `offset`, `status`, `direction`, `type` and `search` (`search` matches
/// the from or to number). Dialback's calls are all `pstn`: `type=web` lists none.
pub fn parse_agentphone_calls(q: &Params) -> Result<AgentPhoneCallQuery, Vec<ValidationDetail>> {
    let mut detail = Vec::new();
    let limit = integer(q, "limit", 20, 1, 100, &mut detail);
    let offset = integer(q, "offset", 0, 0, u64::from(u32::MAX), &mut detail);
    let mut enumerated = |name: &'static str, allowed: &'static str| {
        let v = get(q, name)?;
        if allowed.split(',').any(|a| a == v) {
            Some(v.to_owned())
        } else {
            detail.push(ValidationDetail::query(
                name,
                "enum",
                format!("Input should be one of {allowed}"),
                Some(v),
            ));
            None
        }
    };
    let status = enumerated(
        "status",
        "initiated,ringing,answered,completed,failed,busy,no-answer,voicemail,in-progress",
    );
    let direction = enumerated("direction", "inbound,outbound");
    let kind = enumerated("type", "pstn,web");
    let search = get(q, "search").and_then(|s| {
        if s.chars().count() > MAX_SEARCH_CHARS {
            detail.push(
                ValidationDetail::query(
                    "search",
                    "string_too_long",
                    format!("String should have at most {MAX_SEARCH_CHARS} characters"),
                    Some(s),
                )
                .with_ctx(json!({ "max_length": MAX_SEARCH_CHARS })),
            );
            return None;
        }
        Some(s.trim()).filter(|s| !s.is_empty())
    });
    let mut filter = CallFilter {
        status: status.as_deref().and_then(CallStatus::parse),
        direction: direction.as_deref().and_then(Direction::parse),
        search: search.map(CallSearch::numbers_only),
        ..CallFilter::default()
    };
    if status.as_deref() == Some("in-progress") || kind.as_deref() == Some("web") {
        // no call here is in progress (calls are recorded once ended), none is a web call
        filter.agent = super::queries::AgentFilter::Unknown;
    }
    if detail.is_empty() {
        Ok(AgentPhoneCallQuery {
            filter,
            offset,
            limit,
        })
    } else {
        Err(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Params {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn kinds(r: Result<UsageQuery, Vec<ValidationDetail>>) -> Vec<(String, String)> {
        r.unwrap_err()
            .into_iter()
            .map(|d| (d.kind.clone(), d.field()))
            .collect()
    }

    #[test]
    fn agent_and_number_pages_slice_and_say_whether_more_follow() {
        let all = [1, 2, 3, 4, 5];
        let page = |pairs: &[(&str, &str)]| parse_agentphone_page(&q(pairs)).unwrap();
        assert_eq!(page(&[]).of(&all), (&all[..], false, 5));
        assert_eq!(page(&[("limit", "2")]).of(&all), (&all[..2], true, 5));
        assert_eq!(
            page(&[("limit", "2"), ("offset", "3")]).of(&all),
            (&all[3..], false, 5)
        );
        assert_eq!(page(&[("offset", "9")]).of(&all), (&all[..0], false, 5));
        let refused = |pairs: &[(&str, &str)]| parse_agentphone_page(&q(pairs)).unwrap_err();
        assert_eq!(refused(&[("limit", "0")])[0].kind, "greater_than_equal");
        assert_eq!(refused(&[("limit", "101")])[0].kind, "less_than_equal");
        assert_eq!(refused(&[("offset", "-1")])[0].kind, "greater_than_equal");
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let u = parse_usage_query(&q(&[])).unwrap();
        assert_eq!(
            (u.period, u.zone, u.days, u.months),
            (Period::Month, Zone::UTC, 30, 6)
        );
    }

    #[test]
    fn out_of_range_is_a_fastapi_422() {
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(
            kinds(parse_usage_query(&q(&[
                ("days", "0"),
                ("months", "25"),
                ("period", "day"),
                ("tz", "Mars/Base")
            ]))),
            [
                pair("enum", "period"),
                pair("value_error", "tz"),
                pair("greater_than_equal", "days"),
                pair("less_than_equal", "months"),
            ]
        );
        assert_eq!(
            kinds(parse_usage_query(&q(&[("days", "x")]))),
            [pair("int_parsing", "days")]
        );
        let d = &parse_usage_query(&q(&[("days", "366")])).unwrap_err()[0];
        assert_eq!(d.ctx, Some(json!({"le": 365})));
        assert!(parse_usage_query(&q(&[("days", "365"), ("months", "24")])).is_ok());
    }
}
