//! Server-Sent Events, as the HTML standard defines them: what the server writes, and an
//! incremental reader for clients that get the stream as chunks (`fetch`'s body), split
//! anywhere, even inside a UTF-8 sequence.

use super::kind::EventType;

/// What the server sends when nothing else happened for a while: a comment, which readers
/// ignore and proxies count as traffic.
pub const HEARTBEAT: &str = ": heartbeat\n\n";

/// The name of the event that says the stream cannot give what was missed (see
/// [`reset_frame`]).
pub const RESET: &str = "reset";

/// The first thing a stream says: how long `EventSource` should wait before reconnecting.
pub fn retry_frame(ms: u32) -> String {
    format!("retry: {ms}\n\n")
}

/// One event. `data` is one line of JSON (serde_json escapes line breaks in strings).
pub fn frame(id: u64, kind: EventType, data: &str) -> String {
    format!("id: {id}\nevent: {}\ndata: {data}\n\n", kind.name())
}

/// The stream cannot replay what came after the client's `Last-Event-ID`: it was older than
/// the log keeps, or the id is ahead of the log. The client should reload what it shows; the
/// stream goes on from `head`, the newest event stored, which becomes its last id.
pub fn reset_frame(head: u64, code: &str, message: &str) -> String {
    let data = serde_json::json!({ "event": RESET, "code": code, "message": message,
        "head": head.to_string() });
    format!("id: {head}\nevent: {RESET}\ndata: {data}\n\n")
}

/// A message as read from the stream (before its body is checked).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseMessage {
    /// `id:`, if the message had one.
    pub id: Option<String>,
    /// `event:` (`message` when absent).
    pub event: String,
    /// The `data:` lines, joined by line breaks.
    pub data: String,
}

/// Reads a stream incrementally: push chunks as they come, take the messages they complete.
/// It keeps the last id it saw (what to send as `Last-Event-ID` on reconnecting).
#[derive(Debug, Clone, Default)]
pub struct SseDecoder {
    pending: Vec<u8>,
    data: Option<String>,
    event: Option<String>,
    id: Option<String>,
    /// The last event id the stream set.
    pub last_id: Option<String>,
    /// The reconnection time the stream asked for, in milliseconds.
    pub retry_ms: Option<u32>,
    skipped_bom: bool,
}

/// The largest line kept while waiting for its end; a longer one is dropped whole (a stream
/// from a server of ours never comes near it).
const MAX_LINE: usize = 4 << 20;

impl SseDecoder {
    /// A reader at the start of a stream.
    pub fn new() -> SseDecoder {
        SseDecoder::default()
    }

    /// Reads `chunk`; returns the messages it completes, in order.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseMessage> {
        self.pending.extend_from_slice(chunk);
        if !self.skipped_bom && self.pending.len() >= 3 {
            if self.pending.starts_with(b"\xEF\xBB\xBF") {
                self.pending.drain(..3);
            }
            self.skipped_bom = true;
        }
        let mut out = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while let Some(&b) = self.pending.get(i) {
            if b == b'\n' || b == b'\r' {
                // a CR at the end of the chunk may be the first half of a CRLF
                if b == b'\r' && i + 1 == self.pending.len() {
                    break;
                }
                let bytes = self.pending.get(start..i).unwrap_or_default();
                let line = String::from_utf8_lossy(bytes).into_owned();
                self.line(&line, &mut out);
                i += if b == b'\r' && self.pending.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                start = i;
            } else {
                i += 1;
            }
        }
        self.pending.drain(..start);
        if self.pending.len() > MAX_LINE {
            self.pending.clear();
        }
        out
    }

    fn line(&mut self, line: &str, out: &mut Vec<SseMessage>) {
        if line.is_empty() {
            if let Some(data) = self.data.take() {
                out.push(SseMessage {
                    id: self.last_id.clone(),
                    event: self.event.take().unwrap_or_else(|| "message".to_owned()),
                    data,
                });
            }
            self.event = None;
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            "event" => self.event = Some(value.to_owned()),
            "id" if !value.contains('\0') => {
                self.id = Some(value.to_owned());
                self.last_id = self.id.clone();
            }
            "retry" => {
                if let Ok(ms) = value.parse() {
                    self.retry_ms = Some(ms);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_in_pieces(text: &str, size: usize) -> (Vec<SseMessage>, SseDecoder) {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        for piece in text.as_bytes().chunks(size) {
            out.extend(d.push(piece));
        }
        (out, d)
    }

    #[test]
    fn frames_read_back_whatever_the_chunking() {
        let text = format!(
            "{}{}{HEARTBEAT}{}",
            retry_frame(2000),
            frame(7, EventType::CallEnded, r#"{"a":"é ü"}"#),
            frame(8, EventType::AgentChanged, "{}")
        );
        for size in [1, 2, 3, 5, 64, 4096] {
            let (out, d) = read_in_pieces(&text, size);
            assert_eq!(out.len(), 2, "chunks of {size}");
            assert_eq!(out[0].id.as_deref(), Some("7"));
            assert_eq!(out[0].event, "event_phone_call_ended");
            assert_eq!(out[0].data, r#"{"a":"é ü"}"#);
            assert_eq!(out[1].event, "event_agent_changed");
            assert_eq!(d.last_id.as_deref(), Some("8"));
            assert_eq!(d.retry_ms, Some(2000));
        }
    }

    #[test]
    fn the_standards_line_endings_and_multiline_data() {
        let (out, _) = read_in_pieces(
            "\u{feff}data: a\r\ndata:b\rid: 3\r\n\r\nevent: x\ndata\n\n",
            1,
        );
        assert_eq!(
            out[0],
            SseMessage {
                id: Some("3".into()),
                event: "message".into(),
                data: "a\nb".into()
            }
        );
        assert_eq!(
            out[1],
            SseMessage {
                id: Some("3".into()),
                event: "x".into(),
                data: String::new()
            }
        );
    }

    #[test]
    fn a_reset_names_the_head() {
        let (out, d) = read_in_pieces(&reset_frame(41, "EVENTS_EXPIRED", "gone"), 7);
        assert_eq!(out[0].event, RESET);
        assert_eq!(d.last_id.as_deref(), Some("41"));
        let v: serde_json::Value = serde_json::from_str(&out[0].data).unwrap();
        assert_eq!(v["code"], "EVENTS_EXPIRED");
    }
}
