//! A view saved whole, so that a server starts from it and reads only the calls stored since,
//! instead of every call: at 10M calls, a start in seconds instead of a minute.
//!
//! What is saved is the core's columnar structures (the outbound index, the callback and
//! activity logs) and the external-id hashes, with the last call and message ids they
//! reflect. Agents and numbers are not: they are read fresh at every start (they are few),
//! and the routes are resolved from them again. Call and message ids grow in commit order
//! within an environment (they are reserved under its write lock), so "every call after id N"
//! is exactly what the saved view lacks.
//!
//! A saved view is a cache, never the truth: it is tagged with this format and the core's
//! version (whose structures may change with any release) and checked with SHA-256; if
//! anything does not match, it is ignored and the view is loaded from the records, which
//! gives the same answers, only slower.

use dialback_core::{ActivityLog, CallbackLog, OutboundIndex};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ExternalIds;

const MAGIC: &[u8; 14] = b"dialback-view\n";
/// Bumped when what is saved changes shape.
const FORMAT: u32 = 1;
/// The core's structures are saved as they are: a saved view is only read back by a build
/// whose core sources of those structures are the same (`build.rs` fingerprints them), so a
/// release or a local change that reshapes them never misreads an older view.
const LAYOUT: &str = env!("DIALBACK_VIEW_LAYOUT");

/// What a saved view holds, borrowed from a live view to be written.
#[derive(Serialize)]
pub struct Parts<'a> {
    /// The largest call id the view holds.
    pub last_call: u64,
    /// The largest message id the view holds.
    pub last_message: u64,
    /// How many calls it holds.
    pub calls: u64,
    /// The outbound index.
    pub index: &'a OutboundIndex,
    /// The callback log.
    pub callbacks: &'a CallbackLog,
    /// The activity log.
    pub activity: &'a ActivityLog,
    /// The external ids.
    pub external: &'a ExternalIds,
}

/// What a saved view holds, read back.
#[derive(Deserialize)]
pub struct Restored {
    /// The largest call id the view holds.
    pub last_call: u64,
    /// The largest message id the view holds.
    pub last_message: u64,
    /// How many calls it holds.
    pub calls: u64,
    /// The outbound index.
    pub index: OutboundIndex,
    /// The callback log.
    pub callbacks: CallbackLog,
    /// The activity log.
    pub activity: ActivityLog,
    /// The external ids.
    pub external: ExternalIds,
}

/// Why a saved view was not used.
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    /// Not a saved view, or one of another format or release.
    #[error("written by another release or format")]
    Other,
    /// The checksum does not match.
    #[error("damaged (checksum)")]
    Damaged,
    /// It did not decode.
    #[error("does not decode: {0}")]
    Decode(String),
}

fn header() -> Vec<u8> {
    let mut h = MAGIC.to_vec();
    h.extend_from_slice(&FORMAT.to_le_bytes());
    h.extend_from_slice(LAYOUT.as_bytes());
    h.push(b'\n');
    h
}

/// The bytes to store.
pub fn encode(parts: &Parts<'_>) -> Result<Vec<u8>, String> {
    let body = bincode::serialize(parts).map_err(|e| e.to_string())?;
    let mut out = header();
    out.extend_from_slice(&Sha256::digest(&body));
    out.extend_from_slice(&body);
    Ok(out)
}

/// The view saved in `bytes`, if it is one this release wrote and it is intact.
pub fn decode(bytes: &[u8]) -> Result<Restored, Unusable> {
    let header = header();
    let rest = bytes
        .strip_prefix(header.as_slice())
        .ok_or(Unusable::Other)?;
    let (sum, body) = rest.split_at_checked(32).ok_or(Unusable::Damaged)?;
    if Sha256::digest(body).as_slice() != sum {
        return Err(Unusable::Damaged);
    }
    bincode::deserialize(body).map_err(|e| Unusable::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Vec<u8> {
        let (index, callbacks, activity) = Default::default();
        let mut external = ExternalIds::default();
        external.insert("a");
        encode(&Parts {
            last_call: 7,
            last_message: 3,
            calls: 7,
            index: &index,
            callbacks: &callbacks,
            activity: &activity,
            external: &external,
        })
        .unwrap()
    }

    #[test]
    fn a_saved_view_reads_back() {
        let restored = decode(&empty()).unwrap();
        assert_eq!((restored.last_call, restored.last_message), (7, 3));
        assert!(restored.external.may_contain("a") && !restored.external.may_contain("b"));
    }

    #[test]
    fn a_damaged_or_foreign_view_is_refused() {
        let mut damaged = empty();
        if let Some(b) = damaged.last_mut() {
            *b ^= 1;
        }
        assert!(matches!(decode(&damaged), Err(Unusable::Damaged)));
        let mut foreign = empty();
        if let Some(b) = foreign.get_mut(MAGIC.len()) {
            *b ^= 1; // another format number
        }
        assert!(matches!(decode(&foreign), Err(Unusable::Other)));
        assert!(matches!(decode(b"not a view"), Err(Unusable::Other)));
        let header_only = header();
        assert!(matches!(decode(&header_only), Err(Unusable::Damaged)));
    }
}
