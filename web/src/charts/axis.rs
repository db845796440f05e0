//! The chart's pure pieces: round ticks for the value axis, which dates get a label, short
//! labels, where columns and points sit, and how high the axis must reach. Plain functions,
//! tested natively.

use super::{Kind, Point, Series};

/// Round steps for a value axis from 0 to at least `max`: 1, 2 or 5 times a power of ten,
/// about four of them; whole numbers for counts.
pub fn nice_ticks(max: f64, whole: bool) -> Vec<f64> {
    if !max.is_finite() || max <= 0.0 {
        return vec![0.0, 1.0];
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    if whole {
        step = step.max(1.0).round();
    }
    let count = (max / step).ceil() as usize;
    (0..=count.max(1)).map(|i| i as f64 * step).collect()
}

/// Which of `n` points get a date label when there is room for `room`: evenly spaced, the
/// first and the last always.
pub fn label_indices(n: usize, room: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let room = room.max(2);
    if n <= room {
        return (0..n).collect();
    }
    let every = n.div_ceil(room - 1);
    let mut out: Vec<usize> = (0..n).step_by(every).collect();
    let last = n - 1;
    if out.last().is_some_and(|l| last - l < every / 2 + 1) {
        out.pop();
    }
    out.push(last);
    out
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2026-11-03` → `Nov 3`; `2026-11` → `Nov 2026`; anything else as it is.
pub fn short_label(label: &str) -> String {
    let mut parts = label.split('-');
    let (year, month, day) = (parts.next(), parts.next(), parts.next());
    let month = month
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| m.checked_sub(1))
        .and_then(|m| MONTHS.get(m));
    match (year, month, day.and_then(|d| d.parse::<u32>().ok())) {
        (Some(_), Some(m), Some(d)) => format!("{m} {d}"),
        (Some(y), Some(m), None) => format!("{m} {y}"),
        _ => label.to_owned(),
    }
}

/// Where things go in a chart `width` px wide, 220 px high.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Left edge of the plot (room for tick labels).
    pub left: f64,
    /// Top of the plot.
    pub top: f64,
    /// Plot width.
    pub width: f64,
    /// Plot height.
    pub height: f64,
    /// The width each point has.
    pub band: f64,
    /// A column's width: at most 40 px, so one day still reads as a column on an axis.
    pub column: f64,
}

/// The chart's height.
pub const HEIGHT: f64 = 220.0;

impl Layout {
    /// The layout of `n` points in `width` px.
    pub fn new(width: f64, n: usize) -> Layout {
        let (left, right, top, bottom) = (56.0, 12.0, 12.0, 30.0);
        let plot = (width - left - right).max(40.0);
        let band = plot / n.max(1) as f64;
        Layout {
            left,
            top,
            width: plot,
            height: HEIGHT - top - bottom,
            band,
            column: (band * 0.7).clamp(1.0, 40.0),
        }
    }

    /// The centre of point `i`.
    pub fn x(&self, i: usize) -> f64 {
        self.left + self.band * (i as f64 + 0.5)
    }

    /// Where value `v` is on an axis up to `top_tick`.
    pub fn y(&self, v: f64, top_tick: f64) -> f64 {
        let share = if top_tick > 0.0 { v / top_tick } else { 0.0 };
        self.top + self.height * (1.0 - share.clamp(0.0, 1.0))
    }
}

/// The biggest value the axis must reach: the tallest stack, or the highest line point.
pub(super) fn peak(series: &[Series], points: &[Point]) -> f64 {
    points
        .iter()
        .map(|p| {
            let stacked: f64 = series
                .iter()
                .zip(&p.values)
                .filter(|(s, _)| s.kind == Kind::Stacked)
                .map(|(_, v)| *v)
                .sum();
            let lines = series
                .iter()
                .zip(&p.values)
                .filter(|(s, _)| s.kind == Kind::Line)
                .map(|(_, v)| *v)
                .fold(0.0, f64::max);
            stacked.max(lines)
        })
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_reach_the_top() {
        assert_eq!(nice_ticks(17.0, true), vec![0.0, 5.0, 10.0, 15.0, 20.0]);
        assert_eq!(nice_ticks(3.0, true), vec![0.0, 1.0, 2.0, 3.0]);
        // counts never get half steps; an empty chart still has an axis
        assert_eq!(nice_ticks(1.0, true), vec![0.0, 1.0]);
        assert_eq!(nice_ticks(0.0, true), vec![0.0, 1.0]);
        let t = nice_ticks(7_300.0, false);
        assert_eq!((t[1], *t.last().unwrap()), (2_000.0, 8_000.0));
    }

    #[test]
    fn date_labels_thin_out_but_keep_the_ends() {
        assert_eq!(label_indices(1, 5), vec![0]);
        assert_eq!(label_indices(5, 8), vec![0, 1, 2, 3, 4]);
        let thinned = label_indices(90, 6);
        assert_eq!((thinned[0], *thinned.last().unwrap()), (0, 89));
        assert!(thinned.len() <= 6, "{thinned:?}");
        assert!(thinned.windows(2).all(|w| w[1] - w[0] >= 10), "{thinned:?}");
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(short_label("2026-11-03"), "Nov 3");
        assert_eq!(short_label("2026-11"), "Nov 2026");
        assert_eq!(short_label("week 3"), "week 3");
    }

    #[test]
    fn one_day_is_a_column_on_an_axis_not_a_block() {
        let l = Layout::new(1200.0, 1);
        assert_eq!(l.column, 40.0);
        let l = Layout::new(343.0, 90);
        assert!(l.column >= 1.0 && l.column < l.band);
        assert_eq!(l.y(0.0, 10.0), l.top + l.height);
        assert_eq!(l.y(10.0, 10.0), l.top);
    }
}
