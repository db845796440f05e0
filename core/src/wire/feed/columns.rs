//! Calls handed over as columns: what a JavaScript reader makes of call objects already in
//! memory (the npm package's `CallLog.fromCalls`) in one pass, without a JSON text round trip.
//! Text fields are indices into one table of distinct strings, so a value repeated across a
//! million calls (an agent id, a status) crosses once. Each call is then read exactly as a
//! line of NDJSON is ([`CallFeed::push`]), with its errors named `calls[i]`.

use std::borrow::Cow;

use super::line::{AgentLine, CallLine, LastCallLine, RoutingLine, Text};
use super::{CallFeed, FeedError};
use crate::agent::Direction;
use crate::call::CallStatus;
use crate::time::Timestamp;
use crate::wire::talkover::calls::{AgentIdField, RoutingFields};

/// A text column's marker for a field that is not there.
pub const ABSENT: u32 = u32::MAX;
/// A text column's marker for a field that is `null`.
pub const NULL: u32 = u32::MAX - 1;
/// `number_len`: the number is in the table, at the text column's index.
pub const NUMBER_IN_TABLE: u8 = 253;
/// The longest number kept in a slot of its own.
pub const NUMBER_SLOT: usize = 16;

/// Calls as columns, one entry per call in each (`at` has 20 bytes per call).
#[derive(Debug, Clone, Copy, Default)]
pub struct Columns<'a> {
    /// Every distinct string, UTF-8, one after the other.
    pub table: &'a [u8],
    /// Where each string of `table` ends.
    pub ends: &'a [u32],
    /// `direction`.
    pub direction: &'a [u32],
    /// `agent_id` (the shape Dialback wrote before).
    pub agent_id: &'a [u32],
    /// `agent.id` ([`NULL`] for `"agent": null`, [`ABSENT`] for no `agent`).
    pub agent: &'a [u32],
    /// `from`, when it is in the table (see `number_len`).
    pub from: &'a [u32],
    /// `to`, when it is in the table (see `number_len`).
    pub to: &'a [u32],
    /// Phone numbers are nearly all distinct, so they are not interned: `from` then `to` of
    /// each call, [`NUMBER_SLOT`] bytes each.
    pub numbers: &'a [u8],
    /// Their lengths (0 to 16), or [`NUMBER_IN_TABLE`], or above it for `null` or absent.
    /// Empty: every number is in the table.
    pub number_len: &'a [u8],
    /// `created_at` (or `started_at`) as its 20 bytes, when it is 20 ASCII characters.
    pub at: &'a [u8],
    /// Otherwise the table index of the whole text ([`ABSENT`] when `at` has it).
    pub at_text: &'a [u32],
    /// `status`.
    pub status: &'a [u32],
    /// `duration` (or `duration_seconds`): whole seconds.
    pub duration: &'a [u32],
    /// Whether the call has a `routing` object.
    pub routed: &'a [u8],
    /// `routing.callback_agent_id`.
    pub callback_agent_id: &'a [u32],
    /// `routing.agent_id`.
    pub routing_agent_id: &'a [u32],
    /// `routing.last_call.source_agent_id`.
    pub source_agent_id: &'a [u32],
}

impl Columns<'_> {
    fn text(&self, k: u32) -> Option<Text<'_>> {
        let k = usize::try_from(k).ok()?;
        let end = usize::try_from(*self.ends.get(k)?).ok()?;
        let start = match k.checked_sub(1) {
            Some(p) => usize::try_from(*self.ends.get(p)?).ok()?,
            None => 0,
        };
        Some(Text(Cow::Borrowed(self.table.get(start..end)?)))
    }

    /// An optional text field: `None` when absent or `null`.
    fn optional(&self, column: &[u32], i: usize) -> Result<Option<Text<'_>>, String> {
        match column.get(i).copied() {
            None | Some(ABSENT | NULL) => Ok(None),
            Some(k) => self.text(k).map(Some).ok_or_else(broken),
        }
    }

    /// `from` (`side` 0) or `to` (`side` 1): from its slot, or from the table.
    fn number(&self, column: &[u32], i: usize, side: usize) -> Result<Option<Text<'_>>, String> {
        let at = i * 2 + side;
        match self.number_len.get(at).copied() {
            None | Some(NUMBER_IN_TABLE) => self.optional(column, i),
            Some(len) if usize::from(len) <= NUMBER_SLOT => {
                let start = at * NUMBER_SLOT;
                let bytes = self
                    .numbers
                    .get(start..start + usize::from(len))
                    .ok_or_else(broken)?;
                Ok(Some(Text(Cow::Borrowed(bytes))))
            }
            Some(_) => Ok(None),
        }
    }

    fn required(&self, column: &[u32], i: usize, field: &str) -> Result<Text<'_>, String> {
        match column.get(i).copied() {
            None | Some(ABSENT | NULL) => Err(format!("{field} is required")),
            Some(k) => self.text(k).ok_or_else(broken),
        }
    }

    /// Call `i`, in the reader's terms.
    fn call(&self, i: usize) -> Result<CallLine<'_>, String> {
        let started_at = match self.at_text.get(i).copied() {
            Some(ABSENT) => {
                let bytes = self.at.get(i * 20..i * 20 + 20).ok_or_else(broken)?;
                Text(Cow::Borrowed(bytes))
            }
            _ => self.required(self.at_text, i, "created_at")?,
        };
        let agent = match self.agent.get(i).copied() {
            None | Some(ABSENT) => None,
            Some(NULL) => Some(None),
            Some(k) => Some(Some(AgentLine {
                id: self.text(k).ok_or_else(broken)?,
            })),
        };
        let routing = match self.routed.get(i) {
            Some(1) => Some(RoutingLine {
                callback_agent_id: self.optional(self.callback_agent_id, i)?,
                agent_id: self.optional(self.routing_agent_id, i)?,
                last_call: Some(LastCallLine {
                    source_agent_id: self.optional(self.source_agent_id, i)?,
                }),
            }),
            _ => None,
        };
        Ok(CallLine {
            direction: self.required(self.direction, i, "direction")?,
            agent_id: self.optional(self.agent_id, i)?,
            agent,
            from: self.number(self.from, i, 0)?,
            to: self
                .number(self.to, i, 1)?
                .ok_or_else(|| "to is required".to_owned())?,
            started_at,
            status: self.required(self.status, i, "status")?,
            duration_seconds: *self.duration.get(i).ok_or_else(broken)?,
            routing,
        })
    }
}

impl Columns<'_> {
    /// Call `i` as the router reads a listed call, given its id as text (only the router
    /// needs ids, so the JavaScript reader passes them apart). The same rules as reading
    /// [`RoutingFields`] from JSON: this only spares the JSON text.
    pub fn routing_fields(&self, i: usize, id: String) -> Result<RoutingFields, String> {
        let call = self.call(i)?;
        let invalid = |field: &str, t: &Text<'_>| {
            let shown: String = String::from_utf8_lossy(&t.0).chars().take(64).collect();
            format!("{field} {shown:?} is not valid")
        };
        let owned = |field: &str, t: &Text<'_>| {
            std::str::from_utf8(&t.0)
                .map(str::to_owned)
                .map_err(|_| invalid(field, t))
        };
        let direction = std::str::from_utf8(&call.direction.0)
            .ok()
            .and_then(Direction::parse)
            .ok_or_else(|| invalid("direction", &call.direction))?;
        let created_at = Timestamp::parse_bytes(&call.started_at.0)
            .ok_or_else(|| invalid("created_at", &call.started_at))?;
        let status = CallStatus::parse_bytes(&call.status.0)
            .ok_or_else(|| invalid("status", &call.status))?;
        let agent = match &call.agent {
            Some(Some(agent)) => Some(AgentIdField {
                id: owned("agent.id", &agent.id)?,
            }),
            _ => None,
        };
        Ok(RoutingFields {
            id,
            direction,
            agent,
            agent_id: call
                .agent_id
                .as_ref()
                .map(|t| owned("agent_id", t))
                .transpose()?,
            to: owned("to", &call.to)?,
            created_at,
            status,
        })
    }
}

fn broken() -> String {
    "the columns do not hold this call".to_owned()
}

impl CallFeed {
    /// Reads `count` calls from columns. Fails at the first bad call, named `calls[i]`, with
    /// the code NDJSON would give it (`INVALID_CALL`, `ROUTING_MISSING`).
    pub fn from_columns(columns: &Columns<'_>, count: usize) -> Result<Self, FeedError> {
        let mut feed = Self::default();
        for i in 0..count {
            let location = || format!("calls[{i}]");
            let call = columns.call(i).map_err(|message| FeedError {
                code: "INVALID_CALL",
                location: location(),
                message,
            })?;
            feed.push(&call).map_err(|(code, message)| FeedError {
                code,
                location: location(),
                message,
            })?;
        }
        Ok(feed)
    }
}
