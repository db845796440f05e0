//! `GET /api/v1/callback-agents/stats`: the days asked for (`start_date`, `end_date`, `tz`,
//! read by [`DateRange::parse`]) and, as a Dialback extension, `group_by=day` for a daily
//! breakdown beside the totals.

use super::queries::Params;
use super::{Expected, RequestError, field_errors};
use crate::time::{DateRange, Timestamp};
use crate::wire::FieldError;

/// The stats query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsQuery {
    /// The local days.
    pub range: DateRange,
    /// `group_by=day`: add each day's counts.
    pub by_day: bool,
}

/// Parses the stats query, every problem reported. `group_by` takes `day` only (the
/// breakdown is by local day in `tz`); any other value is `INVALID_GROUP_BY`.
pub fn parse_stats_query(q: &Params, now: Timestamp) -> Result<StatsQuery, Vec<FieldError>> {
    let get = |k: &str| q.get(k).map(String::as_str);
    let mut errors = Vec::new();
    let by_day = match get("group_by") {
        None => false,
        Some("day") => true,
        Some(other) => {
            errors.extend(field_errors(&[RequestError::invalid(
                "group_by",
                Expected::GroupBy,
                &serde_json::Value::from(other),
            )]));
            false
        }
    };
    let range = DateRange::parse(get("start_date"), get("end_date"), get("tz"), now)
        .map_err(|e| errors.extend(e.iter().map(FieldError::from)));
    match range {
        Ok(range) if errors.is_empty() => Ok(StatsQuery { range, by_day }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Result<StatsQuery, Vec<FieldError>> {
        let q: Params = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        parse_stats_query(&q, Timestamp::parse("2024-02-01T03:00:00Z").unwrap())
    }

    #[test]
    fn group_by_day_is_the_only_grouping() {
        let q = query(&[("start_date", "2024-01-01"), ("end_date", "2024-01-31")]).unwrap();
        assert!(!q.by_day);
        let q = query(&[("group_by", "day"), ("tz", "Asia/Kathmandu")]).unwrap();
        assert!(q.by_day);
        assert_eq!(q.range.zone().name(), "Asia/Kathmandu");
        // every problem at once, each with its code
        let errors = query(&[("group_by", "week"), ("tz", "Mars/Olympus")]).unwrap_err();
        let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(
            codes,
            ["INVALID_GROUP_BY", "INVALID_TIMEZONE"],
            "{errors:?}"
        );
        assert!(errors[0].message.contains("day"), "{errors:?}");
    }
}
