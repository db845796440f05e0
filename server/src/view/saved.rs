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
//! A saved view is a cache, never the truth: it is tagged with its format and checked with
//! SHA-256; if either does not match, it is ignored and the view is loaded from the records,
//! which gives the same answers, only slower.
//!
//! The format is pinned by its bytes, not by the names of the files that define it: the
//! golden test below saves a small fixed view, holding something of every saved type, and
//! compares the bytes with `tests/fixtures/saved-view/format-N.bin`. Any change to what is
//! saved (a field, a type's serde, a hasher) changes them and fails the test until
//! [`FORMAT`] is bumped and the file rewritten (`DIALBACK_WRITE_FIXTURES=1`), so a view saved
//! by one build is never misread by another.

use dialback_core::{ActivityLog, CallList, CallbackLog, OutboundIndex};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ExternalIds;

const MAGIC: &[u8; 14] = b"dialback-view\n";
/// Bumped whenever the saved bytes of a view change (the golden test says when). Format 1
/// was tagged by a fingerprint of source files instead; 3 added the call list.
pub const FORMAT: u32 = 3;

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
    /// The call list.
    pub list: &'a CallList,
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
    /// The call list.
    pub list: CallList,
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
    use dialback_core::{
        Activity, ActivityRecord, AgentId, CallId, CallRecord, CallStatus, CallbackRecord,
        Direction, OutboundCall, PhoneNumber, Timestamp,
    };

    /// A small view with something of every saved type: outbound calls to two contacts, a
    /// matched and an unmatched callback, a completed call, a message and Unassigned
    /// activity, external ids.
    fn fixed() -> Vec<u8> {
        let (handler, sales) = (AgentId::from_u128(1), AgentId::from_u128(2));
        let number = |s: &str| PhoneNumber::parse(s).unwrap();
        let at = |s: &str| Timestamp::parse(s).unwrap();
        let mut index = OutboundIndex::default();
        for (id, to, when) in [
            (1, "+442079460001", "2024-06-01T09:00:00Z"),
            (2, "+442079460002", "2024-06-01T09:05:00Z"),
            (3, "+442079460001", "2024-06-02T10:00:00Z"),
        ] {
            index.insert(OutboundCall {
                id: CallId(id),
                agent_id: sales,
                to: number(to),
                started_at: at(when),
                status: CallStatus::NoAnswer,
            });
        }
        let mut callbacks = CallbackLog::new();
        callbacks.push(CallbackRecord {
            at: at("2024-06-02T11:00:00Z"),
            callback_agent_id: handler,
            source_agent_id: Some(sales),
            answered: true,
        });
        callbacks.push(CallbackRecord {
            at: at("2024-06-03T08:00:00Z"),
            callback_agent_id: handler,
            source_agent_id: None,
            answered: false,
        });
        let mut activity = ActivityLog::new();
        for (agent, activity_of, when) in [
            (
                Some(handler),
                Activity::Call {
                    status: CallStatus::Completed,
                    duration_seconds: 95,
                },
                "2024-06-02T11:00:00Z",
            ),
            (Some(sales), Activity::Message, "2024-06-02T12:00:00Z"),
            (None, Activity::Message, "2024-06-03T12:00:00Z"),
        ] {
            activity.push(&ActivityRecord {
                agent_id: agent,
                number: Some(number("+14155550100")),
                at: at(when),
                activity: activity_of,
            });
        }
        let mut external = ExternalIds::default();
        external.insert("CA-one");
        external.insert("CA-two");
        let mut list = CallList::new();
        for (id, direction, from, to, when) in [
            (
                1,
                Direction::Outbound,
                Some("+14155550110"),
                "+442079460001",
                "2024-06-01T09:00:00Z",
            ),
            (
                4,
                Direction::Inbound,
                Some("+44 20 7946 0001"),
                "+14155550100",
                "2024-06-02T11:00:00Z",
            ),
            (
                3,
                Direction::Outbound,
                None,
                "+442079460001",
                "2024-06-02T10:00:00Z",
            ),
        ] {
            list.push(&CallRecord {
                id: CallId(id),
                external_id: Some(format!("CA-{id}")),
                direction,
                agent_id: Some(if direction == Direction::Inbound {
                    handler
                } else {
                    sales
                }),
                from: from.map(str::to_owned),
                to: number(to),
                started_at: at(when),
                status: CallStatus::Completed,
                duration_seconds: 95,
                routing: None,
            });
        }
        encode(&Parts {
            last_call: 5,
            last_message: 2,
            calls: 5,
            index: &index,
            callbacks: &callbacks,
            activity: &activity,
            list: &list,
            external: &external,
        })
        .unwrap()
    }

    /// Architecture Invariant: a saved view is read only by a build that saves the same bytes.
    #[test]
    fn the_saved_format_is_pinned_by_its_bytes() {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/saved-view/format-{FORMAT}.bin"));
        let bytes = fixed();
        if std::env::var_os("DIALBACK_WRITE_FIXTURES").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let golden = std::fs::read(&path).unwrap_or_default();
        assert!(
            bytes == golden,
            "the bytes of a saved view changed: bump FORMAT in src/view/saved.rs, so that \
             views saved by other builds are ignored rather than misread, then write \
             {} with DIALBACK_WRITE_FIXTURES=1",
            path.display()
        );
        // and the golden view reads back as what was saved
        let restored = decode(&golden).unwrap();
        assert_eq!(
            (restored.last_call, restored.last_message, restored.calls),
            (5, 2, 5)
        );
        assert_eq!(restored.index.len(), 3);
        assert!(restored.external.may_contain("CA-two"));
        assert_eq!(restored.list.len(), 3);
    }

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
            list: &CallList::new(),
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
