//! An AgentPhone webhook delivery, read: `agent.call_ended` is a call, `agent.message` on a
//! text channel is a message; anything else is acknowledged and not recorded. The signature
//! is checked before this reads a byte (`webhook::signature::verify`, the SDK's scheme).

use super::agentphone::progress;
use super::calls::{PlatformCall, Progress};
use super::page::{Object, Read, read_document};
use crate::agent::Direction;
use crate::call::CallStatus;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

/// What a delivery carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// A call that ended.
    Call(PlatformCall),
    /// A text message.
    Message {
        /// The agent, by its platform id.
        agent: Option<String>,
        /// Which way.
        direction: Direction,
        /// Sender.
        from: PhoneNumber,
        /// Recipient.
        to: PhoneNumber,
        /// When it arrived.
        at: Timestamp,
    },
    /// Nothing Dialback records, and why.
    Ignored(&'static str),
}

/// Reads a delivery's body (`{event, channel, timestamp, agentId, data}`).
pub fn read_delivery(body: &[u8]) -> Read<Delivered> {
    let doc = read_document(body)?;
    let root = Object::root(&doc);
    if root.value("test").and_then(serde_json::Value::as_bool) == Some(true) {
        return Ok(Delivered::Ignored("a test delivery"));
    }
    let agent = root.id_or_none("agentId")?;
    match root.text("event")? {
        "agent.call_ended" => root.object("data", |d| {
            let direction = match d.text_or_none("direction")? {
                Some("web") => return Ok(Delivered::Ignored("a web call has no phone number")),
                _ => d.direction_or_none("direction")?,
            };
            // the call has ended, whatever its status says of the moment it was read
            let progress = match d.text_or_none("status")? {
                None => Progress::Ended(CallStatus::Completed),
                Some(s) => match progress(s) {
                    Some(Progress::Ended(status)) => Progress::Ended(status),
                    Some(Progress::InProgress) => Progress::Ended(CallStatus::Completed),
                    None => return Err(d.problem("status", format!("{s:?} is not a call status"))),
                },
            };
            let from = d.text_or_none("from")?.filter(|f| !f.is_empty());
            Ok(Delivered::Call(PlatformCall {
                id: d.id("callId")?,
                direction,
                agent: agent.clone(),
                from: from.map(str::to_owned),
                to: d.number("to")?,
                started_at: d.instant("startedAt")?,
                progress,
                duration_seconds: u32::try_from(d.count("durationSeconds", Some(0))?)
                    .map_err(|_| d.problem("durationSeconds", "too large"))?,
            }))
        }),
        "agent.message" => match root.text_or_none("channel")? {
            Some("voice") => Ok(Delivered::Ignored("a caller's words during a call")),
            _ => root.object("data", |d| {
                let at = match d.text_or_none("receivedAt")? {
                    Some(_) => d.instant("receivedAt")?,
                    None => root.instant("timestamp")?,
                };
                Ok(Delivered::Message {
                    agent: agent.clone(),
                    direction: d
                        .direction_or_none("direction")?
                        .unwrap_or(Direction::Inbound),
                    from: d.number("from")?,
                    to: d.number("to")?,
                    at,
                })
            }),
        },
        _ => Ok(Delivered::Ignored("not an event Dialback records")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_call_ended_payload_is_a_call() {
        let body = br#"{"event": "agent.call_ended", "channel": "voice",
            "timestamp": "2025-06-01T10:10:01Z",
            "agentId": "agt_1", "data": {"callId": "call_abc", "numberId": "num_xyz",
            "from": "+15551234567", "to": "+15559876543", "contact": null, "direction": "inbound",
            "status": "completed", "startedAt": "2025-06-01T10:05:00Z",
            "endedAt": "2025-06-01T10:10:00Z",
            "durationSeconds": 300, "disconnectionReason": "user_hangup", "transcript": [],
            "summary": null, "userSentiment": null, "callSuccessful": true}}"#;
        let Delivered::Call(call) = read_delivery(body).unwrap() else {
            panic!("not a call")
        };
        assert_eq!(call.id, "call_abc");
        assert_eq!(call.agent.as_deref(), Some("agt_1"));
        assert_eq!(call.direction, Some(Direction::Inbound));
        assert_eq!(call.duration_seconds, 300);
        assert_eq!(call.progress, Progress::Ended(CallStatus::Completed));
    }

    #[test]
    fn the_documented_message_is_a_message_and_tests_are_acknowledged_only() {
        let sample = concat!(
            r#"{"event":"agent.message","channel":"sms","timestamp":"2025-01-15T12:00:00Z","#,
            r#""agentId":"agt_abc123","data":{"from":"+15559876543","to":"+15551234567","#,
            r#""message":"hi"}}"#
        )
        .as_bytes();
        let Delivered::Message {
            from,
            at,
            direction,
            ..
        } = read_delivery(sample).unwrap()
        else {
            panic!("not a message")
        };
        assert_eq!(from.to_string(), "+15559876543");
        assert_eq!(direction, Direction::Inbound);
        assert_eq!(at.to_string(), "2025-01-15T12:00:00Z");
        let test = br#"{"event":"agent.message","test":true,
            "timestamp":"2025-01-15T12:00:00Z","data":{}}"#;
        assert_eq!(
            read_delivery(test).unwrap(),
            Delivered::Ignored("a test delivery")
        );
        let web = br#"{"event":"agent.call_ended","timestamp":"2025-01-15T12:00:00Z",
            "data":{"direction":"web"}}"#;
        assert!(matches!(read_delivery(web).unwrap(), Delivered::Ignored(_)));
        let broken = br#"{"event":"agent.call_ended",
            "data":{"callId":"c","to":"+15551234567","startedAt":"soon"}}"#;
        assert_eq!(read_delivery(broken).unwrap_err().field, "data.startedAt");
    }
}
