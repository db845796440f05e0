//! Reading calls in bulk, as the API returns them, straight from bytes into the columnar logs
//! that callback stats and usage aggregate over.
//!
//! A client holding a million calls (`GET /api/v1/calls/export` as NDJSON, or a JSON document
//! whose `data` is an array of calls) should not build a million objects to count them. The
//! reader borrows every string from the input, parses timestamps, ids and numbers without
//! allocating, skips what it does not need (explanations, `last_call` details) and appends
//! each call to the logs, so memory is the logs' ~35 bytes a call, not the input's ~300.
//!
//! Calls are read in Talkover's documented shape (`created_at`, `duration`, `agent`) or in
//! the shape Dialback wrote before (`started_at`, `duration_seconds`, `agent_id`). Each call
//! counts exactly as on the server: its usage belongs to its `agent` when the list names one;
//! otherwise, by [`call_agent`](crate::call::call_agent), to the outbound agent that placed it
//! or, inbound, to the agent its recorded routing decision went to. A routed callback
//! (`matched` or `unmatched`, our `routing` extension) is a [`CallbackRecord`] attributed to
//! `last_call.source_agent_id`; calls from a server that records no routing make no callbacks.
//!
//! - `ndjson`: line by line, whole or in chunks ([`NdjsonReader`]);
//! - `columns`: calls a JavaScript reader turned into columns ([`Columns`]);
//! - `json`: a document, element by element;
//! - `scan`: the fast one-pass scanner, `line`: the serde shapes it is checked against.

mod columns;
mod json;
mod line;
mod ndjson;
mod scan;

pub use columns::{ABSENT, Columns, NULL, NUMBER_IN_TABLE, NUMBER_SLOT};
use line::{CallLine, Text};
pub use ndjson::NdjsonReader;

use crate::agent::{AgentId, Direction};
use crate::call::CallStatus;
use crate::callback::{CallbackLog, CallbackRecord};
use crate::error::ErrorCode;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;
use crate::usage::{Activity, ActivityLog, ActivityRecord, agent_side_number};

/// Calls read in bulk: the callbacks among them and the usage they make.
#[derive(Debug, Clone, Default)]
pub struct CallFeed {
    /// Routed callbacks, for [`CallbackLog::stats`].
    pub callbacks: CallbackLog,
    /// Usage (completed calls), for usage by agent, daily buckets and by number.
    pub activity: ActivityLog,
    /// How many calls were read.
    pub calls: u64,
    ids: IdCache,
}

/// The few agent ids a feed meets, remembered by their text: comparing 36 bytes is several
/// times cheaper than parsing them again, and every call carries one to three ids.
#[derive(Debug, Clone, Default)]
struct IdCache {
    slots: Vec<Option<([u8; 36], AgentId)>>,
}

impl IdCache {
    fn parse(&mut self, text: &[u8]) -> Option<AgentId> {
        let Ok(key) = <[u8; 36]>::try_from(text) else {
            return AgentId::parse_bytes(text);
        };
        if self.slots.is_empty() {
            self.slots = vec![None; 64];
        }
        // the last hex digits differ between ids: hash the last four into a slot number (two
        // of them were not enough: `…0101` and `…0201`, a source and its callback agent,
        // shared a slot and evicted each other on every callback)
        let [.., a, b, c, d] = key;
        let tail = u32::from_le_bytes([a, b, c, d]);
        let slot = (tail.wrapping_mul(0x9e37_79b1) >> 26) as usize;
        if let Some(Some((k, id))) = self.slots.get(slot)
            && same_id_text(k, &key)
        {
            return Some(*id);
        }
        let id = AgentId::parse_bytes(text)?;
        if let Some(cell) = self.slots.get_mut(slot) {
            *cell = Some((key, id));
        }
        Some(id)
    }
}

/// `a == b` for two id texts, compared a word at a time: `==` on the arrays is a call to a
/// byte-by-byte `memcmp` in wasm, which was 6% of reading call objects.
#[inline]
fn same_id_text(a: &[u8; 36], b: &[u8; 36]) -> bool {
    let word = |x: &[u8; 36], i: usize| match x.get(i..i + 4) {
        Some(&[p, q, r, s]) => u32::from_le_bytes([p, q, r, s]),
        _ => 0,
    };
    (0..9).all(|k| word(a, 4 * k) == word(b, 4 * k))
}

/// A call that could not be read, and where it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct FeedError {
    code: &'static str,
    /// `line 12` (NDJSON) or `data[11]` (JSON).
    pub location: String,
    /// What was wrong.
    pub message: String,
}

impl ErrorCode for FeedError {
    fn code(&self) -> &'static str {
        self.code
    }
}

impl CallFeed {
    /// Reads NDJSON, one call per line (blank lines are skipped). Fails at the first bad line:
    /// counting around a broken export would give numbers that look right and are not.
    pub fn from_ndjson(bytes: &[u8]) -> Result<Self, FeedError> {
        let mut feed = Self::default();
        feed.read_ndjson(bytes)?;
        Ok(feed)
    }

    /// Reads a JSON array of calls, or an object whose `data` is one (a `GET /api/v1/calls`
    /// page, either pagination shape), without building the array: in one pass with the
    /// NDJSON scanner when it is sure of every call (compact JSON, as `JSON.stringify` and
    /// the API write it), else with the serde reader, which also reports any error.
    pub fn from_json(bytes: &[u8]) -> Result<Self, FeedError> {
        let mut feed = Self::default();
        if scan::document(bytes, |call| feed.push(&call).ok()).is_some() {
            return Ok(feed);
        }
        let mut feed = Self::default();
        feed.read_json(bytes)?;
        Ok(feed)
    }

    fn push(&mut self, call: &CallLine<'_>) -> Result<(), (&'static str, String)> {
        let invalid = |field: &str, value: &[u8]| {
            let value = String::from_utf8_lossy(value);
            let shown: String = value.chars().take(64).collect();
            ("INVALID_CALL", format!("{field} {shown:?} is not valid"))
        };
        let direction = match &*call.direction.0 {
            b"inbound" => Direction::Inbound,
            b"outbound" => Direction::Outbound,
            other => return Err(invalid("direction", other)),
        };
        let at = Timestamp::parse_bytes(&call.started_at.0)
            .ok_or_else(|| invalid("created_at", &call.started_at.0))?;
        let status = CallStatus::parse_bytes(&call.status.0)
            .ok_or_else(|| invalid("status", &call.status.0))?;
        let ids = &mut self.ids;
        let mut id = |field: &str, s: &Option<Text<'_>>| {
            s.as_ref()
                .map(|s| ids.parse(&s.0).ok_or_else(|| invalid(field, &s.0)))
                .transpose()
        };
        let number = |s: Option<&Text<'_>>| s.and_then(|s| PhoneNumber::parse_bytes(&s.0));
        let mut routed_to = None;
        if direction == Direction::Inbound
            && let Some(routing) = &call.routing
        {
            let callback_agent = id("routing.callback_agent_id", &routing.callback_agent_id)?;
            routed_to = match callback_agent {
                Some(callback_agent_id) => {
                    let source = match &routing.last_call {
                        Some(last) => {
                            id("routing.last_call.source_agent_id", &last.source_agent_id)?
                        }
                        None => None,
                    };
                    self.callbacks.push(CallbackRecord {
                        at,
                        callback_agent_id,
                        source_agent_id: source,
                        answered: status.is_answered(),
                    });
                    Some(callback_agent_id)
                }
                None => id("routing.agent_id", &routing.agent_id)?,
            };
        }
        let agent_id = match &call.agent {
            // the documented list names each call's agent
            Some(agent) => match agent {
                Some(a) => id("agent.id", &Some(Text(a.id.0.clone())))?,
                None => None,
            },
            None => match direction {
                Direction::Outbound => id("agent_id", &call.agent_id)?,
                Direction::Inbound => {
                    if call.routing.is_none() {
                        return Err((
                            "ROUTING_MISSING",
                            "an inbound call has neither `agent` nor `routing`: feed calls as \
                             the API lists them (GET /api/v1/calls or its export), not import \
                             lines"
                                .to_owned(),
                        ));
                    }
                    routed_to
                }
            },
        };
        self.activity.push(&ActivityRecord {
            agent_id,
            // pick the agent's side first, then parse only that number
            number: number(agent_side_number(
                direction,
                call.from.as_ref(),
                Some(&call.to),
            )),
            at,
            activity: Activity::Call {
                status,
                duration_seconds: call.duration_seconds,
            },
        });
        self.calls += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
