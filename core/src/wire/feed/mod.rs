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

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

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
        // the last hex digits differ between ids; fold two of them into a slot number
        let slot = (usize::from(key[35]) ^ usize::from(key[34]) << 3) & 63;
        if let Some(Some((k, id))) = self.slots.get(slot)
            && *k == key
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

/// NDJSON read in chunks, as it arrives or as it is copied in pieces, so the whole input never
/// has to sit in memory at once: a line cut by a chunk boundary waits for the rest.
#[derive(Debug, Default)]
pub struct NdjsonReader {
    feed: CallFeed,
    line: usize,
    partial: Vec<u8>,
}

impl NdjsonReader {
    /// A reader with nothing read.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads every line that `chunk` completes.
    pub fn push(&mut self, mut chunk: &[u8]) -> Result<(), FeedError> {
        if !self.partial.is_empty() {
            let Some(nl) = chunk.iter().position(|b| *b == b'\n') else {
                self.partial.extend_from_slice(chunk);
                return Ok(());
            };
            let (head, rest) = chunk.split_at(nl + 1);
            self.partial.extend_from_slice(head);
            let partial = std::mem::take(&mut self.partial);
            self.feed.read_ndjson(&partial, &mut self.line)?;
            chunk = rest;
        }
        match chunk.iter().rposition(|b| *b == b'\n') {
            Some(last) => {
                let (lines, rest) = chunk.split_at(last + 1);
                self.feed.read_ndjson(lines, &mut self.line)?;
                self.partial.extend_from_slice(rest);
            }
            None => self.partial.extend_from_slice(chunk),
        }
        Ok(())
    }

    /// Reads the last line (if it had no line break) and returns the calls.
    pub fn finish(mut self) -> Result<CallFeed, FeedError> {
        let partial = std::mem::take(&mut self.partial);
        self.feed.read_ndjson(&partial, &mut self.line)?;
        Ok(self.feed)
    }
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
        feed.read_ndjson(bytes, &mut 0)?;
        Ok(feed)
    }

    /// Reads a JSON array of calls, or an object whose `data` is one (a `GET /api/v1/calls`
    /// page, either pagination shape), without building the array.
    pub fn from_json(bytes: &[u8]) -> Result<Self, FeedError> {
        let mut feed = Self::default();
        feed.read_json(bytes)?;
        Ok(feed)
    }

    /// Reads the lines of `bytes`, numbering them after `line` (which it advances).
    fn read_ndjson(&mut self, bytes: &[u8], line: &mut usize) -> Result<(), FeedError> {
        let mut at = 0;
        while at < bytes.len() {
            *line += 1;
            let line = *line;
            let location = || format!("line {line}");
            // the fast scanner when it is sure (it never reads past a line break)...
            let start = skip_blanks(bytes, at);
            let fast = scan::call(bytes, start).and_then(|(call, after)| {
                let after = skip_blanks(bytes, after);
                matches!(bytes.get(after), None | Some(b'\n')).then_some((call, after + 1))
            });
            let call = match fast {
                Some((call, next)) => {
                    at = next;
                    call
                }
                // ...the serde reader, and its errors, otherwise
                None => {
                    let end = line_end(bytes, at);
                    let text = bytes.get(at..end).unwrap_or_default();
                    at = end + 1;
                    if text.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    serde_json::from_slice(text).map_err(|e| FeedError {
                        code: "INVALID_JSON",
                        location: location(),
                        message: e.to_string(),
                    })?
                }
            };
            self.push(&call).map_err(|(code, message)| FeedError {
                code,
                location: location(),
                message,
            })?;
        }
        Ok(())
    }

    fn read_json(&mut self, bytes: &[u8]) -> Result<(), FeedError> {
        let mut failure = None;
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let read = Document {
            feed: self,
            failure: &mut failure,
            nested: false,
        }
        .deserialize(&mut de)
        .and_then(|()| de.end());
        match (read, failure) {
            (_, Some(e)) => Err(e),
            (Err(e), None) => Err(FeedError {
                code: "INVALID_JSON",
                location: format!("line {} column {}", e.line(), e.column()),
                message: e.to_string(),
            }),
            (Ok(()), None) => Ok(()),
        }
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

/// Where the line starting at `at` ends (its `\n`, or the end of the input).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
        .map_or(bytes.len(), |n| at + n)
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// A string field's bytes, borrowed from the input when it has no escapes. The fast scanner
/// hands them over unchecked (each is then read by a byte parser that accepts ASCII only);
/// through serde they are read as strings, so UTF-8 is checked there.
struct Text<'a>(Cow<'a, [u8]>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v.as_bytes())))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.as_bytes().to_vec())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.into_bytes())))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

/// The fields of a call that stats and usage need, borrowed from the input.
#[derive(Deserialize)]
struct CallLine<'a> {
    #[serde(borrow)]
    direction: Text<'a>,
    #[serde(borrow, default)]
    agent_id: Option<Text<'a>>,
    /// `Some(None)`: the list says the call has no agent; `None`: it does not say.
    #[serde(borrow, default, deserialize_with = "present")]
    agent: Option<Option<AgentLine<'a>>>,
    #[serde(borrow, default)]
    from: Option<Text<'a>>,
    #[serde(borrow)]
    to: Text<'a>,
    #[serde(borrow, alias = "created_at")]
    started_at: Text<'a>,
    #[serde(borrow)]
    status: Text<'a>,
    #[serde(default, alias = "duration")]
    duration_seconds: u32,
    #[serde(borrow, default)]
    routing: Option<RoutingLine<'a>>,
}

/// A field that was present, `null` or not.
fn present<'de, D: de::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct AgentLine<'a> {
    #[serde(borrow)]
    id: Text<'a>,
}

#[derive(Deserialize)]
struct RoutingLine<'a> {
    #[serde(borrow, default)]
    callback_agent_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    agent_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    last_call: Option<LastCallLine<'a>>,
}

#[derive(Deserialize)]
struct LastCallLine<'a> {
    #[serde(borrow, default)]
    source_agent_id: Option<Text<'a>>,
}

/// The whole JSON document: an array of calls, or an object with one under `data`.
struct Document<'f> {
    feed: &'f mut CallFeed,
    failure: &'f mut Option<FeedError>,
    /// Inside `data`: only an array will do.
    nested: bool,
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of calls or an object with `data`")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            let call = match seq.next_element::<CallLine<'de>>() {
                Ok(Some(call)) => call,
                Ok(None) => break,
                Err(e) => {
                    *self.failure = Some(FeedError {
                        code: "INVALID_CALL",
                        location: format!("data[{index}]"),
                        message: e.to_string(),
                    });
                    return Err(e);
                }
            };
            if let Err((code, message)) = self.feed.push(&call) {
                *self.failure = Some(FeedError {
                    code,
                    location: format!("data[{index}]"),
                    message,
                });
                return Err(de::Error::custom("stopped at a bad call"));
            }
            index += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.nested {
            return Err(de::Error::invalid_type(
                de::Unexpected::Map,
                &"an array of calls",
            ));
        }
        let mut found = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "data" && !found {
                found = true;
                map.next_value_seed(Document {
                    feed: &mut *self.feed,
                    failure: &mut *self.failure,
                    nested: true,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if found {
            Ok(())
        } else {
            Err(de::Error::missing_field("data"))
        }
    }
}

mod scan;

#[cfg(test)]
mod tests;
