//! Calls: ids, statuses and who placed or answered them.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A call's id. Ordered: when two outbound calls to a contact start in the same second, the
/// larger id is the more recent one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
                "invalid call status {s:?}: expected one of initiated, ringing, answered, completed, failed, busy, no-answer, voicemail"
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
