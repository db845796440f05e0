//! The zone table in force: every [`Zone`](super::Zone) computation reads it.
//!
//! It starts as the embedded table and is replaced whole by [`Tzdata::install`], so every
//! answer after that follows the new release at once (a process-wide setting, as the OS's
//! zoneinfo is for its programs). A `Zone` is a two-byte index into a registry of names that
//! only grows: a zone parsed before a table was installed names the same zone after, and a
//! name known once stays known, so a stored setting never stops parsing.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use super::tzdata::{History, Tzdata, TzdataError};

/// Zone indices by name.
pub(crate) type NameMap<'a> = HashMap<&'a str, u16, BuildHasherDefault<NameHasher>>;

/// The table in force, with its names resolved to zone indices.
#[derive(Debug, Default)]
pub(crate) struct Database {
    pub version: &'static str,
    /// Every name ever known, by zone index (append-only across installs); zone 0 is UTC.
    pub names: Vec<&'static str>,
    /// Zone indices sorted by name, for pickers.
    pub sorted: Vec<u16>,
    /// Zone index by exact name (a hash lookup: zone names arrive with every period query).
    by_name: NameMap<'static>,
    /// Each zone's history, by zone index.
    history_of: Vec<u32>,
    histories: Vec<History>,
}

/// How many tables one process can put in force, the embedded one included. Each stays in
/// memory for good (about 0.6 MB), which is what lets every zone lookup reach the table in
/// force with one atomic load: no lock, no reference count (lookups run several times for
/// every period and day of every query). Processes install once or twice in practice.
const MAX_TABLES: usize = 16;

static TABLES: [OnceLock<Database>; MAX_TABLES] = [const { OnceLock::new() }; MAX_TABLES];

/// Which of `TABLES` is in force; only ever grows.
static CURRENT: AtomicUsize = AtomicUsize::new(0);

/// Installs take turns.
static INSTALLING: Mutex<()> = Mutex::new(());

/// The embedded table, resolved: the first in force.
fn embedded() -> Database {
    // the embedded table lists UTC first, so it becomes zone 0
    Database::default().with(Tzdata::embedded()).0
}

/// The table in force. A computation reads it once and holds it, so a table installed
/// meanwhile never mixes into an answer.
#[inline]
pub(crate) fn database() -> &'static Database {
    // slot 0 is the embedded table, made on first use; a later slot is filled before
    // `CURRENT` points to it
    let [first, ..] = &TABLES;
    match CURRENT.load(Ordering::Acquire) {
        0 => first.get_or_init(embedded),
        current => TABLES
            .get(current)
            .and_then(OnceLock::get)
            .unwrap_or_else(|| first.get_or_init(embedded)),
    }
}

/// What [`Tzdata::install`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The release now in force.
    pub version: String,
    /// How many zones the installed table has. Names known before that it lacks keep the
    /// offsets they had, so that a stored setting naming them keeps working (a table made
    /// from a zoneinfo directory is completed from the embedded one first, see
    /// `Tzdata::complete_from`, so it lacks none).
    pub zones: usize,
}

/// Whether [`Tzdata::install`] takes a table older than the embedded one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OlderTables {
    /// Refuse it ([`TzdataError::Older`]): the usual choice, since an older table gives
    /// answers that are wrong where rules changed since.
    Refuse,
    /// Take it (an operator who must match another system on that release).
    Allow,
}

impl Tzdata {
    /// Puts this table in force for the whole process: every zone computation from now on
    /// follows it. A table older than the embedded one is refused unless `older` allows it.
    pub fn install(self, older: OlderTables) -> Result<Installed, TzdataError> {
        let release = Tzdata::embedded_version();
        if older == OlderTables::Refuse
            && super::TzdataVersion::parse(release)
                .is_ok_and(|e| self.version().cmp_release(&e) == std::cmp::Ordering::Less)
        {
            return Err(TzdataError::Older {
                table: self.version().to_string(),
                embedded: release.to_owned(),
            });
        }
        let _turn = INSTALLING.lock().unwrap_or_else(PoisonError::into_inner);
        let now = database();
        if now.names.len() + self.zone_count() > usize::from(u16::MAX) {
            return Err(TzdataError::TooManyZones(usize::from(u16::MAX)));
        }
        let next = CURRENT.load(Ordering::Acquire) + 1;
        let Some(slot) = TABLES.get(next) else {
            return Err(TzdataError::TooManyLoads(MAX_TABLES - 1));
        };
        let (db, installed) = now.with(self);
        if slot.set(db).is_err() {
            return Err(TzdataError::TooManyLoads(MAX_TABLES - 1));
        }
        CURRENT.store(next, Ordering::Release);
        Ok(installed)
    }
}

impl Database {
    /// A database holding `table`, over this one's registry of names: names the table adds
    /// get new indices, and names it lacks keep the history they have here.
    fn with(&self, table: Tzdata) -> (Database, Installed) {
        let version: &'static str = Box::leak(table.version().as_str().to_owned().into_boxed_str());
        let count = table.zone_count();
        let (zones, mut histories) = table.into_parts();
        let mut names = self.names.clone();
        let mut history_of: Vec<u32> = vec![u32::MAX; names.len()];
        // names new to the registry, kept in one block: each is leaked once per process at
        // most (the registry only grows), and lookups compare names that sit together
        let mut added = String::new();
        let mut ends = Vec::new();
        for (name, h) in zones {
            // a table names each zone once, so a name not found here is new to the registry
            match self.find(&name).map(usize::from) {
                Some(z) => {
                    if let Some(slot) = history_of.get_mut(z) {
                        *slot = h;
                    }
                }
                None => {
                    added.push_str(&name);
                    ends.push(added.len());
                    history_of.push(h);
                }
            }
        }
        let block: &'static str = Box::leak(added.into_boxed_str());
        let mut start = 0;
        for end in ends {
            names.push(block.get(start..end).unwrap_or_default());
            start = end;
        }
        for (zone, slot) in history_of.iter_mut().enumerate() {
            if *slot == u32::MAX {
                *slot = u32::try_from(histories.len()).unwrap_or(u32::MAX);
                let old = u16::try_from(zone).ok().and_then(|z| self.history_of(z));
                histories.push(old.cloned().unwrap_or_default());
            }
        }
        let mut sorted: Vec<u16> = (0..u16::try_from(names.len()).unwrap_or(u16::MAX)).collect();
        sorted.sort_by_key(|z| names.get(usize::from(*z)).copied().unwrap_or(""));
        let mut by_name = NameMap::default();
        for z in &sorted {
            if let Some(name) = names.get(usize::from(*z)) {
                by_name.insert(*name, *z);
            }
        }
        let installed = Installed {
            version: version.to_owned(),
            zones: count,
        };
        (
            Database {
                version,
                names,
                sorted,
                by_name,
                history_of,
                histories,
            },
            installed,
        )
    }

    fn history(&self, h: u32) -> Option<&History> {
        self.histories.get(usize::try_from(h).ok()?)
    }

    fn history_of(&self, zone: u16) -> Option<&History> {
        self.history(*self.history_of.get(usize::from(zone))?)
    }

    /// The zone called exactly `name`.
    pub fn find(&self, name: &str) -> Option<u16> {
        self.by_name.get(name).copied()
    }

    /// A zone's name.
    pub fn name(&self, zone: u16) -> &'static str {
        self.names.get(usize::from(zone)).copied().unwrap_or("UTC")
    }

    /// The offset, in seconds, in force at `t` (Unix seconds).
    pub fn offset_at(&self, zone: u16, t: i64) -> i32 {
        self.history_of(zone).map_or(0, |h| h.offset_at(t))
    }

    /// The earliest instant at which the zone's wall clock reads `local` (local seconds read
    /// as UTC), if it ever does. Every offset the zone is in within `margin` seconds of
    /// `local` gives a candidate instant, kept if the zone really is in that offset then;
    /// one binary search, then a walk over the few transitions near `local`.
    pub fn earliest_instant_at(&self, zone: u16, local: i64, margin: i64) -> Option<i64> {
        let h = self.history_of(zone)?;
        let first = h.at.partition_point(|x| *x <= local - margin);
        // the offset in force at a time inside the window, walking from `first`
        let offset_from = |u: i64| {
            let mut i = first;
            while h.at.get(i).is_some_and(|x| *x <= u) {
                i += 1;
            }
            match i.checked_sub(1) {
                None => h.initial,
                Some(j) => h.offset.get(j).copied().unwrap_or(h.initial),
            }
        };
        let mut best: Option<i64> = None;
        let mut consider = |o: i32| {
            let u = local - i64::from(o);
            if offset_from(u) == o {
                best = Some(best.map_or(u, |b| b.min(u)));
            }
        };
        consider(offset_from(local - margin));
        let mut i = first;
        while let Some(&t) = h.at.get(i) {
            if t > local + margin {
                break;
            }
            consider(h.offset.get(i).copied().unwrap_or(h.initial));
            i += 1;
        }
        best
    }
}

/// Hashes zone names eight bytes at a time with 64-bit multiplies (the crate's `FastMap`
/// hasher multiplies in 128 bits, which wasm emulates; names arrive with every period query).
#[derive(Default)]
pub(crate) struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(chunk) {
                *w = *b;
            }
            self.0 = (self.0 ^ u64::from_le_bytes(word))
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .rotate_left(29);
        }
    }

    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0xff51_afd7_ed55_8ccd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_is_in_force_with_utc_first() {
        let db = database();
        assert!(db.names.len() > 590, "{}", db.names.len());
        assert_eq!(db.find("UTC"), Some(0));
        assert_eq!(
            db.name(db.find("America/New_York").unwrap()),
            "America/New_York"
        );
        assert_eq!(db.find("america/new_york"), None);
        assert_eq!(db.version, Tzdata::embedded_version());
    }
}
