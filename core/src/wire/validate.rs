//! Checks of responses received from any server speaking the seed shapes: what does not add
//! up, said precisely enough for the console to show it as a warning.

use serde::{Deserialize, Serialize};

use crate::hash::FastSet;
use crate::time::parse_date;
use crate::time::{Timestamp, Zone};
use crate::usage::{Period, usage_period};
use crate::wire::agentphone::UsageByAgentResponse;
use crate::wire::talkover::CallbackStatsData;

/// One thing in a response that is inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inconsistency {
    /// Stable code, e.g. `TOTALS_MISMATCH`.
    pub code: String,
    /// What does not add up, with the numbers.
    pub message: String,
    /// Where in the response, as a dotted path (`data[2].calls`).
    pub path: String,
}

fn issue(out: &mut Vec<Inconsistency>, code: &str, path: impl Into<String>, message: String) {
    out.push(Inconsistency {
        code: code.to_owned(),
        message,
        path: path.into(),
    });
}

fn non_negative(out: &mut Vec<Inconsistency>, path: String, value: i64) {
    if value < 0 {
        issue(
            out,
            "NEGATIVE_COUNT",
            path.clone(),
            format!("{path} is negative ({value})"),
        );
    }
}

/// Checks callback stats against our definitions: every count non-negative, the period a
/// valid range, `callbacks_answered` and `callbacks_unmatched` at most the total, no source
/// agent twice, and **matched + unmatched = total**, where matched is the sum of
/// `callbacks_by_source_agent`.
///
/// The seed's own example fails the last check (110 + 74 + 12 ≠ 184).
pub fn validate_callback_stats(stats: &CallbackStatsData) -> Vec<Inconsistency> {
    let mut out = Vec::new();
    let start = parse_date(&stats.period.start);
    let end = parse_date(&stats.period.end);
    if start.is_none() {
        issue(
            &mut out,
            "INVALID_DATE",
            "period.start",
            format!(
                "period.start {:?} is not a YYYY-MM-DD date",
                stats.period.start
            ),
        );
    }
    if end.is_none() {
        issue(
            &mut out,
            "INVALID_DATE",
            "period.end",
            format!("period.end {:?} is not a YYYY-MM-DD date", stats.period.end),
        );
    }
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        issue(
            &mut out,
            "PERIOD_REVERSED",
            "period",
            format!("period ends ({e}) before it starts ({s})"),
        );
    }
    let total = stats.total_callbacks_received;
    non_negative(&mut out, "total_callbacks_received".into(), total);
    non_negative(
        &mut out,
        "callbacks_answered".into(),
        stats.callbacks_answered,
    );
    non_negative(
        &mut out,
        "callbacks_unmatched".into(),
        stats.callbacks_unmatched,
    );
    let mut matched: i64 = 0;
    // a set, not a list: a response is any size another server sends, and a list made the
    // check quadratic (20,000 rows took seconds)
    let mut seen: FastSet<&str> = FastSet::default();
    for (i, row) in stats.callbacks_by_source_agent.iter().enumerate() {
        non_negative(
            &mut out,
            format!("callbacks_by_source_agent[{i}].count"),
            row.count,
        );
        matched = matched.saturating_add(row.count);
        if !seen.insert(&row.source_agent_id) {
            issue(
                &mut out,
                "DUPLICATE_SOURCE_AGENT",
                format!("callbacks_by_source_agent[{i}]"),
                format!(
                    "source agent {} is listed more than once",
                    row.source_agent_id
                ),
            );
        }
    }
    if stats.callbacks_answered > total {
        issue(
            &mut out,
            "ANSWERED_EXCEEDS_TOTAL",
            "callbacks_answered",
            format!(
                "callbacks_answered ({}) is more than total_callbacks_received ({total})",
                stats.callbacks_answered
            ),
        );
    }
    if stats.callbacks_unmatched > total {
        issue(
            &mut out,
            "UNMATCHED_EXCEEDS_TOTAL",
            "callbacks_unmatched",
            format!(
                "callbacks_unmatched ({}) is more than total_callbacks_received ({total})",
                stats.callbacks_unmatched
            ),
        );
    }
    let sum = matched.saturating_add(stats.callbacks_unmatched);
    if sum != total {
        issue(
            &mut out,
            "TOTALS_MISMATCH",
            "total_callbacks_received",
            format!(
                "matched callbacks by source agent ({matched}) plus callbacks_unmatched ({}) make \
                 {sum}, but total_callbacks_received is {total}",
                stats.callbacks_unmatched
            ),
        );
    }
    out
}

/// [`validate_callback_stats`] for an answer to a question: also checks that `period` is the
/// range that was asked for (`PERIOD_MISMATCH`), so a client cannot show last year's numbers
/// under this month's dates, and the daily breakdown when there is one.
pub fn validate_callback_stats_for(
    stats: &CallbackStatsData,
    asked: &crate::time::DateRange,
) -> Vec<Inconsistency> {
    let mut out = validate_callback_stats(stats);
    let (start, end) = (asked.start().to_string(), asked.end().to_string());
    if stats.period.start != start || stats.period.end != end {
        issue(
            &mut out,
            "PERIOD_MISMATCH",
            "period",
            format!(
                "the answer covers {} to {}, but {start} to {end} was asked for",
                stats.period.start, stats.period.end
            ),
        );
    }
    if let Some(days) = &stats.days {
        validate_days(&mut out, stats, days, asked);
    }
    out
}

/// The `group_by=day` breakdown: one entry per day asked for, in order, each day's counts
/// sound, and the days adding up to the totals (`DAYS_MISMATCH`, `DAYS_DO_NOT_ADD_UP`).
fn validate_days(
    out: &mut Vec<Inconsistency>,
    stats: &CallbackStatsData,
    days: &[crate::wire::talkover::CallbackStatsDay],
    asked: &crate::time::DateRange,
) {
    let expected: Vec<String> = asked.days().map(|d| d.to_string()).collect();
    let listed: Vec<&str> = days.iter().map(|d| d.date.as_str()).collect();
    if listed != expected {
        issue(
            out,
            "DAYS_MISMATCH",
            "days",
            format!(
                "days lists {} dates from {} to {}, but the {} days {} to {} were asked for",
                listed.len(),
                listed.first().unwrap_or(&"-"),
                listed.last().unwrap_or(&"-"),
                expected.len(),
                asked.start(),
                asked.end()
            ),
        );
    }
    let (mut received, mut answered, mut unmatched) = (0i64, 0i64, 0i64);
    for (i, d) in days.iter().enumerate() {
        non_negative(
            out,
            format!("days[{i}].total_callbacks_received"),
            d.total_callbacks_received,
        );
        non_negative(
            out,
            format!("days[{i}].callbacks_answered"),
            d.callbacks_answered,
        );
        non_negative(
            out,
            format!("days[{i}].callbacks_unmatched"),
            d.callbacks_unmatched,
        );
        if d.callbacks_answered > d.total_callbacks_received
            || d.callbacks_unmatched > d.total_callbacks_received
        {
            issue(
                out,
                "DAY_EXCEEDS_TOTAL",
                format!("days[{i}]"),
                format!(
                    "on {}, answered or unmatched callbacks exceed those received",
                    d.date
                ),
            );
        }
        received = received.saturating_add(d.total_callbacks_received);
        answered = answered.saturating_add(d.callbacks_answered);
        unmatched = unmatched.saturating_add(d.callbacks_unmatched);
    }
    let totals = (
        stats.total_callbacks_received,
        stats.callbacks_answered,
        stats.callbacks_unmatched,
    );
    if (received, answered, unmatched) != totals {
        issue(
            out,
            "DAYS_DO_NOT_ADD_UP",
            "days",
            format!(
                "the days add up to {received} received, {answered} answered and {unmatched} \
                 unmatched, but the totals are {}, {} and {}",
                totals.0, totals.1, totals.2
            ),
        );
    }
}

/// Checks usage by agent: a known period, RFC 3339 bounds in order and of a plausible length,
/// non-negative counts, call seconds only with calls, one row per agent, the Unassigned row
/// (and only it) with `agentId: null` and `isOrphan: true`.
///
/// With the zone the request named, also checks that the bounds are exactly that period's in
/// that zone (the seed's example, asked with `tz=America/New_York`, is not: June starts at
/// 04:00Z there).
pub fn validate_usage_by_agent(
    resp: &UsageByAgentResponse,
    zone: Option<Zone>,
) -> Vec<Inconsistency> {
    let mut out = Vec::new();
    let period = Period::parse(&resp.period).ok();
    if period.is_none() {
        issue(
            &mut out,
            "INVALID_PERIOD",
            "period",
            format!("period {:?} is not week, month or year", resp.period),
        );
    }
    let start = bound(&mut out, "periodStart", &resp.period_start);
    let end = bound(&mut out, "periodEnd", &resp.period_end);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            issue(
                &mut out,
                "PERIOD_REVERSED",
                "periodEnd",
                format!("periodEnd {e} is before periodStart {s}"),
            );
        } else if let Some(p) = period {
            check_length(&mut out, p, s, e);
            if let Some(z) = zone {
                // The period the response means is the one around its midpoint: its bounds
                // may be off by hours, never by half a period.
                let mid = s.saturating_add_seconds((e.unix_seconds() - s.unix_seconds()) / 2);
                let expected = usage_period(p, z, mid);
                if (expected.period_start, expected.period_end) != (s, e) {
                    issue(
                        &mut out,
                        "PERIOD_BOUNDS_MISMATCH",
                        "periodStart",
                        format!(
                            "in {z} that {p} runs from {} to {}, but the response says {s} to {e}",
                            expected.period_start, expected.period_end
                        ),
                    );
                }
            }
        }
    }
    let mut seen: FastSet<Option<&str>> = FastSet::default();
    for (i, row) in resp.data.iter().enumerate() {
        for (field, value) in [
            ("messages", row.messages),
            ("calls", row.calls),
            ("totalSeconds", row.total_seconds),
        ] {
            non_negative(&mut out, format!("data[{i}].{field}"), value);
        }
        if row.calls == 0 && row.total_seconds > 0 {
            issue(
                &mut out,
                "SECONDS_WITHOUT_CALLS",
                format!("data[{i}].totalSeconds"),
                format!(
                    "{} has {} call seconds but no completed calls",
                    row.agent_name, row.total_seconds
                ),
            );
        }
        if row.is_orphan != row.agent_id.is_none() {
            issue(
                &mut out,
                "ORPHAN_ROW_MISMATCH",
                format!("data[{i}]"),
                format!(
                    "row {:?} has isOrphan {} but agentId {:?}",
                    row.agent_name, row.is_orphan, row.agent_id
                ),
            );
        }
        let key = row.agent_id.as_deref();
        if !seen.insert(key) {
            issue(
                &mut out,
                "DUPLICATE_AGENT",
                format!("data[{i}]"),
                format!(
                    "agent {} appears in more than one row",
                    key.unwrap_or("Unassigned")
                ),
            );
        }
    }
    out
}

fn bound(out: &mut Vec<Inconsistency>, field: &str, value: &str) -> Option<Timestamp> {
    let t = Timestamp::parse(value).ok();
    if t.is_none() {
        issue(
            out,
            "INVALID_TIMESTAMP",
            field,
            format!("{field} {value:?} is not an RFC 3339 instant"),
        );
    }
    t
}

/// A period's length, whatever the zone: weeks 7 days, months 28–31 days, years 365–366 days,
/// give or take a day for zones that skipped or repeated one.
fn check_length(out: &mut Vec<Inconsistency>, p: Period, s: Timestamp, e: Timestamp) {
    // in hundredths of a day, integers only (float formatting costs ~17 KB of wasm)
    let centidays = (e.unix_seconds() - s.unix_seconds() + 1).saturating_mul(100) / 86_400;
    let (lo, hi) = match p {
        Period::Week => (600, 800),
        Period::Month => (2700, 3200),
        Period::Year => (36_400, 36_700),
    };
    if centidays < lo || centidays > hi {
        let (whole, part) = (centidays / 100, (centidays % 100).abs());
        issue(
            out,
            "PERIOD_LENGTH",
            "periodEnd",
            format!("a {p} from {s} to {e} lasts {whole}.{part:02} days"),
        );
    }
}
