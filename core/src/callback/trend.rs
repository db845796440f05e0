//! How a period's callbacks compare: each count with its share of those received and its
//! change against the period before, as an overview shows them. The console computes none of
//! these itself.

use crate::wire::talkover::CallbackStatsData;

/// One count of an overview.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// The count in the period.
    pub value: i64,
    /// Its share of the callbacks received, 0 to 1 (`None` when none were received).
    pub share: Option<f64>,
    /// The callbacks received in the period: what the share is of.
    pub received: i64,
    /// The same count in the previous period of the same length, if it is known.
    pub before: Option<i64>,
}

impl Figure {
    /// Its share of the callbacks received as a percentage text ([`percent`]).
    pub fn percent_of_received(&self, decimals: u8) -> Option<String> {
        percent(self.value, self.received, decimals)
    }

    /// How much it went up (positive) or down.
    pub fn delta(&self) -> Option<i64> {
        self.before.map(|b| self.value.saturating_sub(b))
    }

    /// The change as a whole percentage with its sign (`"+12%"`, `"-3%"`), `"under 1%"` when
    /// it rounds to nothing but is not nothing; `None` as for [`Figure::change`].
    pub fn change_text(&self) -> Option<String> {
        let before = self.before.filter(|b| *b > 0)?;
        let delta = self.value.saturating_sub(before);
        let text = percent(delta, before, 0)?;
        Some(match text.as_str() {
            "0%" | "-0%" if delta != 0 => "under 1%".to_owned(),
            _ if delta > 0 => format!("+{text}"),
            _ => text,
        })
    }

    /// The change as a fraction of the previous count (`0.25` for a quarter more); `None`
    /// when there is nothing to compare with, or the previous count was 0.
    pub fn change(&self) -> Option<f64> {
        let before = self.before.filter(|b| *b > 0)?;
        Some((self.value - before) as f64 / before as f64)
    }
}

/// Received, answered and unmatched callbacks of `now`, each against `before` (the previous
/// period of the same length), in that order.
pub fn callback_figures(
    now: &CallbackStatsData,
    before: Option<&CallbackStatsData>,
) -> [Figure; 3] {
    let received = now.total_callbacks_received;
    let share = |v: i64| (received > 0).then(|| v as f64 / received as f64);
    let pick = |f: fn(&CallbackStatsData) -> i64| Figure {
        value: f(now),
        share: share(f(now)),
        received,
        before: before.map(f),
    };
    [
        pick(|s| s.total_callbacks_received),
        pick(|s| s.callbacks_answered),
        pick(|s| s.callbacks_unmatched),
    ]
}

/// `part` as a percentage of `whole` with `decimals` places (at most 3), rounded half up in
/// integers (`percent(1, 3, 1)` is `"33.3%"`, `percent(1, 200, 0)` is `"1%"`), or `None` when
/// `whole` is not positive: a rate of nothing is not 0%. Every page shows shares through this,
/// so the same counts never read differently on two pages, as floating point's rounding of
/// binary fractions would have them (0.5% printed as "0%" with `{:.0}`).
pub fn percent(part: i64, whole: i64, decimals: u8) -> Option<String> {
    if whole <= 0 {
        return None;
    }
    let decimals = u32::from(decimals.min(3));
    let scale = 10_i128.pow(decimals);
    // in i128, where no count a server sends can overflow
    let (part, whole) = (i128::from(part), i128::from(whole));
    let scaled = part * 200 * scale;
    let rounded = if scaled >= 0 {
        (scaled + whole) / (2 * whole)
    } else {
        -((-scaled + whole) / (2 * whole))
    };
    let sign = if rounded < 0 { "-" } else { "" };
    let (units, fraction) = (rounded.abs() / scale, rounded.abs() % scale);
    Some(match decimals {
        0 => format!("{sign}{units}%"),
        d => format!("{sign}{units}.{fraction:0width$}%", width = d as usize),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::talkover::StatsPeriod;

    fn stats(received: i64, answered: i64, unmatched: i64) -> CallbackStatsData {
        CallbackStatsData {
            period: StatsPeriod {
                start: "2024-01-01".into(),
                end: "2024-01-30".into(),
            },
            total_callbacks_received: received,
            callbacks_answered: answered,
            callbacks_unmatched: unmatched,
            callbacks_by_source_agent: Vec::new(),
            days: None,
        }
    }

    #[test]
    fn shares_of_received_and_changes_against_the_period_before() {
        let [received, answered, unmatched] =
            callback_figures(&stats(40, 30, 10), Some(&stats(32, 30, 0)));
        assert_eq!((received.delta(), received.change()), (Some(8), Some(0.25)));
        assert_eq!((answered.share, answered.change()), (Some(0.75), Some(0.0)));
        assert_eq!(answered.percent_of_received(0).as_deref(), Some("75%"));
        assert_eq!(received.change_text().as_deref(), Some("+25%"));
        assert_eq!(unmatched.change_text(), None);
        let small = Figure {
            value: 1001,
            share: None,
            received: 0,
            before: Some(1000),
        };
        assert_eq!(small.change_text().as_deref(), Some("under 1%"));
        let down = Figure {
            value: 97,
            share: None,
            received: 0,
            before: Some(100),
        };
        assert_eq!(down.change_text().as_deref(), Some("-3%"));
        // from nothing, a change has no percentage, only a difference
        assert_eq!((unmatched.delta(), unmatched.change()), (Some(10), None));
        // nothing received: no shares; no previous period: no changes
        let [received, ..] = callback_figures(&stats(0, 0, 0), None);
        assert_eq!(
            (received.share, received.delta(), received.change()),
            (None, None, None)
        );
    }

    #[test]
    fn percentages_round_half_up_in_integers_and_nothing_has_none() {
        for (part, whole, decimals, text) in [
            (1, 3, 1, "33.3%"),
            (2, 3, 1, "66.7%"),
            (1, 8, 1, "12.5%"),
            (5, 5, 1, "100.0%"),
            (0, 7, 1, "0.0%"),
            (1, 200, 0, "1%"),
            (1, 8, 0, "13%"),
            (3, 4, 0, "75%"),
            (1, 3, 3, "33.333%"),
            (-1, 8, 1, "-12.5%"),
        ] {
            assert_eq!(
                percent(part, whole, decimals).as_deref(),
                Some(text),
                "{part}/{whole}"
            );
        }
        assert_eq!(percent(0, 0, 1), None);
        assert_eq!(percent(3, -1, 1), None);
        // a hostile server's counts neither overflow nor panic
        assert_eq!(percent(i64::MAX, i64::MAX, 1).as_deref(), Some("100.0%"));
        let huge = format!("{}.0%", i128::from(i64::MAX) * 100);
        assert_eq!(percent(i64::MAX, 1, 1), Some(huge));
        assert!(percent(i64::MIN, i64::MAX, 9).is_some_and(|p| p.ends_with('%')));
    }
}
