//! Pure pieces of the console: how numbers, times and CSV read, which days a date preset
//! covers, and which problems belong to which field. No DOM here, so they are tested natively
//! and in the browser (`web/tests/browser.rs`).

use dialback_core::wire::FieldError;
use dialback_core::{DateRange, Timestamp, Zone};

/// The sum of counts a server sent, stopping at the largest `i64` rather than overflowing
/// (a hostile or broken server may send anything).
pub fn total(counts: impl IntoIterator<Item = i64>) -> i64 {
    counts.into_iter().fold(0, i64::saturating_add)
}

/// `1 h 02 min 05 s`, for call time.
pub fn duration(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h} h {m:02} min {s:02} s")
    } else if m > 0 {
        format!("{m} min {s:02} s")
    } else {
        format!("{s} s")
    }
}

/// `part` as a share of `whole` with one decimal (`"42.9%"`), or `"–"` when `whole` is 0:
/// the core's [`percent`](dialback_core::callback::trend::percent), which the Overview's
/// shares use too.
pub fn percent_or_dash(part: i64, whole: i64) -> String {
    dialback_core::callback::trend::percent(part, whole, 1).unwrap_or_else(|| "–".to_owned())
}

/// `2026-11-22 18:15:00`: an instant as a wall-clock time in `zone`.
pub fn local_time(zone: Zone, t: Timestamp) -> String {
    zone.wall_clock(t)
}

/// A CSV document (RFC 4180, CRLF line ends). Fields with commas, quotes or line breaks are
/// quoted; a text field starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so a
/// spreadsheet shows an agent named `=HYPERLINK(..)` instead of running it.
pub fn csv(header: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut out = String::new();
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = String>| {
        let mut first = true;
        for cell in cells {
            if !first {
                out.push(',');
            }
            first = false;
            if cell.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&cell.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(&cell);
            }
        }
        out.push_str("\r\n");
    };
    line(&mut out, &mut header.iter().map(|h| (*h).to_owned()));
    for row in rows {
        line(&mut out, &mut row.iter().map(Cell::text));
    }
    out
}

/// One CSV value: numbers are written as they are, text is guarded against formulas.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Any text (names, ids, dates).
    Text(String),
    /// A count or a number of seconds.
    Int(i64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Int(n) => n.to_string(),
            Cell::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
            Cell::Text(s) => s.clone(),
        }
    }
}

/// A `data:` URL for a CSV document, for a download link (no Blob bookkeeping needed).
pub fn csv_data_url(document: &str) -> String {
    let mut url = String::from("data:text/csv;charset=utf-8,");
    for b in document.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The date ranges the stats page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Today and the six days before it.
    Last7,
    /// Today and the 29 days before it.
    Last30,
    /// Today and the 89 days before it.
    Last90,
    /// From the first of this month to today.
    ThisMonth,
    /// The dates in the URL.
    Custom,
}

impl Preset {
    /// Every preset, in the order shown.
    pub const ALL: [Preset; 5] = [
        Preset::Last7,
        Preset::Last30,
        Preset::Last90,
        Preset::ThisMonth,
        Preset::Custom,
    ];

    /// Its name in the URL.
    pub fn key(self) -> &'static str {
        match self {
            Preset::Last7 => "7d",
            Preset::Last30 => "30d",
            Preset::Last90 => "90d",
            Preset::ThisMonth => "month",
            Preset::Custom => "custom",
        }
    }

    /// Its label.
    pub fn label(self) -> &'static str {
        match self {
            Preset::Last7 => "Last 7 days",
            Preset::Last30 => "Last 30 days",
            Preset::Last90 => "Last 90 days",
            Preset::ThisMonth => "This month",
            Preset::Custom => "Custom",
        }
    }

    /// From its URL name; anything else is the default, the last 30 days.
    pub fn from_key(key: &str) -> Preset {
        Preset::ALL
            .into_iter()
            .find(|p| p.key() == key)
            .unwrap_or(Preset::Last30)
    }

    /// The days it covers at `now` in `zone` (`None` for Custom, whose days come from the
    /// user), by the core's rules for "the last N days" and "this month so far".
    pub fn range(self, zone: Zone, now: Timestamp) -> Option<DateRange> {
        let last = |n: u32| DateRange::last_days(zone, now, n).ok();
        match self {
            Preset::Last7 => last(7),
            Preset::Last30 => last(30),
            Preset::Last90 => last(90),
            Preset::ThisMonth => Some(DateRange::month_to_date(zone, now)),
            Preset::Custom => None,
        }
    }
}

/// The messages about `field` (and its entries, `field[i]`), for the note under an input.
pub fn messages_for(errors: &[FieldError], field: &str) -> Vec<String> {
    errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| format!("{} ({})", e.message, e.code))
        .collect()
}

/// The numbers a user typed into one box: split on commas, semicolons and line breaks, blanks
/// dropped. Each entry is then checked by the core as it would be on the server.
pub fn number_list(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        // the API takes lists of numbers in plain E.164: written as the core reads them, or as
        // typed when they are not numbers (so the problem is shown on what the user typed)
        .map(|s| {
            dialback_core::PhoneNumber::parse(s).map_or_else(|_| s.to_owned(), |n| n.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_time_reads_naturally() {
        for (secs, text) in [
            (0, "0 s"),
            (59, "59 s"),
            (60, "1 min 00 s"),
            (3_599, "59 min 59 s"),
            (3_600, "1 h 00 min 00 s"),
            (152_856, "42 h 27 min 36 s"),
        ] {
            assert_eq!(duration(secs), text);
        }
    }

    #[test]
    fn rates_round_half_up_and_nothing_has_no_rate() {
        assert_eq!(percent_or_dash(1, 3), "33.3%");
        assert_eq!(percent_or_dash(2, 3), "66.7%");
        assert_eq!(percent_or_dash(1, 8), "12.5%");
        assert_eq!(percent_or_dash(5, 5), "100.0%");
        assert_eq!(percent_or_dash(0, 7), "0.0%");
        assert_eq!(percent_or_dash(0, 0), "–");
    }

    /// Regression: a hostile server's huge counts overflowed (and so panicked) here.
    #[test]
    fn huge_counts_from_a_server_neither_overflow_nor_panic() {
        assert_eq!(percent_or_dash(i64::MAX, i64::MAX), "100.0%");
        assert_eq!(
            percent_or_dash(i64::MAX, 1),
            format!("{}.0%", i128::from(i64::MAX) * 100)
        );
        assert!(percent_or_dash(i64::MIN, i64::MAX).ends_with('%'));
        assert!(!duration(i64::MIN).is_empty());
        assert_eq!(total([i64::MAX, 1, 5]), i64::MAX);
        assert_eq!(total([2, 3]), 5);
        assert_eq!(duration(i64::MAX), "2562047788015215 h 30 min 07 s");
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let doc = csv(
            &["name", "count"],
            &[
                vec![Cell::Text("Sales, \"East\"".into()), Cell::Int(3)],
                vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Int(-1)],
                vec![Cell::Text("two\nlines".into()), Cell::Int(0)],
            ],
        );
        assert_eq!(
            doc,
            "name,count\r\n\"Sales, \
             \"\"East\"\"\",3\r\n\"'=HYPERLINK(\"\"x\"\")\",-1\r\n\"two\nlines\",0\r\n"
        );
    }

    #[test]
    fn csv_data_urls_escape_everything_but_plain_text() {
        assert_eq!(
            csv_data_url("a b,é\r\n"),
            "data:text/csv;charset=utf-8,a%20b%2C%C3%A9%0D%0A"
        );
    }

    #[test]
    fn presets_count_today() {
        let now = Timestamp::parse("2026-03-01T12:00:00Z").unwrap();
        let days = |p: Preset| {
            p.range(Zone::UTC, now)
                .map(|r| (r.start().to_string(), r.end().to_string()))
        };
        let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        assert_eq!(days(Preset::Last7), pair("2026-02-23", "2026-03-01"));
        assert_eq!(days(Preset::Last30), pair("2026-01-31", "2026-03-01"));
        assert_eq!(days(Preset::Last90), pair("2025-12-02", "2026-03-01"));
        assert_eq!(days(Preset::ThisMonth), pair("2026-03-01", "2026-03-01"));
        assert_eq!(days(Preset::Custom), None);
        assert_eq!(Preset::from_key("nonsense"), Preset::Last30);
        for p in Preset::ALL {
            assert_eq!(Preset::from_key(p.key()), p);
        }
    }

    #[test]
    fn number_lists_split_on_any_separator() {
        assert_eq!(
            number_list(" +1 415 555 0100,\n+442071838750; ; 555\n"),
            ["+14155550100", "+442071838750", "555"]
        );
    }

    #[test]
    fn local_times_are_wall_clock() {
        let zone = Zone::parse("Asia/Kathmandu").unwrap();
        let t = Timestamp::parse("2026-11-22T18:15:00Z").unwrap();
        assert_eq!(local_time(zone, t), "2026-11-23 00:00:00");
    }
}
