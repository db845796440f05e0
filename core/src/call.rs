//! Calls: ids, statuses, and the record of a call as a server stores it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::agent::{AgentId, Direction};
use crate::callback::{OutboundCall, RoutingDecision};
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

/// A call's id. Ordered: when two outbound calls to a contact start in the same second, the
/// larger id is the more recent one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct CallId(pub u64);

impl fmt::Display for CallId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How a call went: Talkover's list-calls vocabulary plus `voicemail`.
///
/// `no_answer` and `no-answer` are the same status; it is written `no-answer`, as Talkover's
/// list-calls endpoint writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
#[repr(u8)]
pub enum CallStatus {
    /// Placed, not yet ringing.
    Initiated = 0,
    /// Ringing.
    Ringing = 1,
    /// Picked up, still in progress.
    Answered = 2,
    /// Picked up and ended normally.
    Completed = 3,
    /// Could not be placed or dropped by the network.
    Failed = 4,
    /// The other side was busy.
    Busy = 5,
    /// Rang out.
    NoAnswer = 6,
    /// Reached voicemail.
    Voicemail = 7,
}

impl CallStatus {
    /// Every status, in declaration order.
    pub const ALL: [CallStatus; 8] = [
        CallStatus::Initiated,
        CallStatus::Ringing,
        CallStatus::Answered,
        CallStatus::Completed,
        CallStatus::Failed,
        CallStatus::Busy,
        CallStatus::NoAnswer,
        CallStatus::Voicemail,
    ];

    /// Parses a status; `no_answer` and `no-answer` both mean [`CallStatus::NoAnswer`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::parse_bytes(s.as_bytes())
    }

    /// [`CallStatus::parse`] for bytes, for bulk paths.
    pub fn parse_bytes(s: &[u8]) -> Option<Self> {
        Some(match s {
            b"initiated" => CallStatus::Initiated,
            b"ringing" => CallStatus::Ringing,
            b"answered" => CallStatus::Answered,
            b"completed" => CallStatus::Completed,
            b"failed" => CallStatus::Failed,
            b"busy" => CallStatus::Busy,
            b"no-answer" | b"no_answer" => CallStatus::NoAnswer,
            b"voicemail" => CallStatus::Voicemail,
            _ => return None,
        })
    }

    /// The spelling Talkover's callback trigger statuses use: `no_answer` with an
    /// underscore, where call statuses write `no-answer`.
    pub const fn as_trigger_str(self) -> &'static str {
        match self {
            CallStatus::NoAnswer => "no_answer",
            other => other.as_str(),
        }
    }

    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            CallStatus::Initiated => "initiated",
            CallStatus::Ringing => "ringing",
            CallStatus::Answered => "answered",
            CallStatus::Completed => "completed",
            CallStatus::Failed => "failed",
            CallStatus::Busy => "busy",
            CallStatus::NoAnswer => "no-answer",
            CallStatus::Voicemail => "voicemail",
        }
    }

    /// A callback counts as answered when it was picked up: `answered` or `completed`.
    pub const fn is_answered(self) -> bool {
        matches!(self, CallStatus::Answered | CallStatus::Completed)
    }

    /// Usage counts completed calls only.
    pub const fn is_completed(self) -> bool {
        matches!(self, CallStatus::Completed)
    }

    pub(crate) const fn bit(self) -> u16 {
        1 << (self as u8)
    }
}

/// A status as its one-byte code, for saved views (`snapshot`): compact, and independent of
/// the JSON spelling the wire uses.
#[cfg(feature = "snapshot")]
pub(crate) mod status_code {
    use super::CallStatus;

    pub fn serialize<S: serde::Serializer>(status: &CallStatus, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(*status as u8)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<CallStatus, D::Error> {
        let code = <u8 as serde::Deserialize>::deserialize(d)?;
        CallStatus::ALL
            .get(usize::from(code))
            .copied()
            .ok_or_else(|| serde::de::Error::custom(format_args!("status code {code}")))
    }
}

/// A set of call statuses, as a bitset: `Copy`, so routing decisions that mention one never
/// allocate. Written as a JSON array in declaration order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StatusSet(u16);

impl StatusSet {
    /// Every status.
    pub const ALL: StatusSet = StatusSet((1 << CallStatus::ALL.len()) - 1);

    /// Whether `status` is in the set.
    pub const fn contains(self, status: CallStatus) -> bool {
        self.0 & status.bit() != 0
    }

    /// The set with `status` added.
    pub const fn with(self, status: CallStatus) -> Self {
        StatusSet(self.0 | status.bit())
    }

    /// The statuses, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = CallStatus> {
        CallStatus::ALL
            .into_iter()
            .filter(move |s| self.contains(*s))
    }
}

impl FromIterator<CallStatus> for StatusSet {
    fn from_iter<I: IntoIterator<Item = CallStatus>>(iter: I) -> Self {
        iter.into_iter().fold(StatusSet::default(), StatusSet::with)
    }
}

impl fmt::Debug for StatusSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for StatusSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for StatusSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<CallStatus>::deserialize(d)?.into_iter().collect())
    }
}

/// Which agent a call belongs to, for usage and for call lists: an outbound call to the agent
/// that placed it; an inbound call to the agent its routing decision sent it to (the owner of
/// the dialed number when it arrived), or to none.
pub fn call_agent(
    direction: Direction,
    placed_by: Option<AgentId>,
    routing: Option<&RoutingDecision>,
) -> Option<AgentId> {
    match direction {
        Direction::Outbound => placed_by,
        Direction::Inbound => routing.and_then(RoutingDecision::routed_to),
    }
}

/// A call as a server stores it: what the client reported, plus the routing decision made
/// once, when an inbound call was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// Server-assigned id, increasing.
    pub id: CallId,
    /// Caller-supplied idempotency key (the telephony provider's call id, typically).
    pub external_id: Option<String>,
    /// Which way.
    pub direction: Direction,
    /// The call's agent, by [`call_agent`]: who placed it, or who took it.
    pub agent_id: Option<AgentId>,
    /// The caller as presented (an inbound caller may withhold it).
    pub from: Option<String>,
    /// The dialed number.
    pub to: PhoneNumber,
    /// When it started.
    pub started_at: Timestamp,
    /// How it went.
    pub status: CallStatus,
    /// How long it lasted.
    pub duration_seconds: u32,
    /// Inbound: the routing decision made when it was recorded.
    pub routing: Option<RoutingDecision>,
}

impl CallRecord {
    /// The entry routing looks this call up by, if it is an outbound call by a known agent.
    pub fn outbound_entry(&self) -> Option<OutboundCall> {
        match (self.direction, self.agent_id) {
            (Direction::Outbound, Some(agent_id)) => Some(OutboundCall {
                id: self.id,
                agent_id,
                to: self.to,
                started_at: self.started_at,
                status: self.status,
            }),
            _ => None,
        }
    }

    /// When the call ended: its start plus its duration.
    pub fn ended_at(&self) -> Timestamp {
        self.started_at
            .saturating_add_seconds(i64::from(self.duration_seconds))
    }
}

/// A message as a server stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRecord {
    /// Server-assigned id.
    pub id: u64,
    /// The agent, if any.
    pub agent_id: Option<AgentId>,
    /// Which way.
    pub direction: Direction,
    /// Sender.
    pub from: PhoneNumber,
    /// Recipient.
    pub to: PhoneNumber,
    /// When.
    pub sent_at: Timestamp,
}

impl fmt::Display for CallStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CallStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        CallStatus::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "invalid call status {s:?}: expected one of initiated, ringing, answered, \
                 completed, failed, busy, no-answer, voicemail"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        for s in CallStatus::ALL {
            assert_eq!(CallStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CallStatus::parse("no_answer"), Some(CallStatus::NoAnswer));
        assert_eq!(CallStatus::parse("Completed"), None);
        let json: CallStatus = serde_json::from_str("\"no_answer\"").unwrap();
        assert_eq!(serde_json::to_string(&json).unwrap(), "\"no-answer\"");
    }

    #[test]
    fn answered_and_completed() {
        let answered: Vec<_> = CallStatus::ALL
            .into_iter()
            .filter(|s| s.is_answered())
            .collect();
        assert_eq!(answered, [CallStatus::Answered, CallStatus::Completed]);
    }
}

#[cfg(test)]
mod code_tests {
    use super::CallStatus;

    /// Saved views store a status as `status as u8` and read it back as `ALL[code]`.
    #[test]
    fn a_status_code_is_its_position_in_all() {
        for (i, s) in CallStatus::ALL.iter().enumerate() {
            assert_eq!(usize::from(*s as u8), i, "{s}");
        }
    }
}
