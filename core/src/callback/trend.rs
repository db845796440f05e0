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
    /// The same count in the previous period of the same length, if it is known.
    pub before: Option<i64>,
}

impl Figure {
    /// How much it went up (positive) or down.
    pub fn delta(&self) -> Option<i64> {
        self.before.map(|b| self.value.saturating_sub(b))
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
        before: before.map(f),
    };
    [
        pick(|s| s.total_callbacks_received),
        pick(|s| s.callbacks_answered),
        pick(|s| s.callbacks_unmatched),
    ]
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
        // from nothing, a change has no percentage, only a difference
        assert_eq!((unmatched.delta(), unmatched.change()), (Some(10), None));
        // nothing received: no shares; no previous period: no changes
        let [received, ..] = callback_figures(&stats(0, 0, 0), None);
        assert_eq!(
            (received.share, received.delta(), received.change()),
            (None, None, None)
        );
    }
}
