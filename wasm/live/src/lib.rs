//! # dialback-wasm-live
//!
//! The code behind `dialback-core/live`: the live stream (`GET /api/v1/events`) read chunk by
//! chunk with the core's SSE reader, each event checked by the core (`read_message`). It is
//! a wasm module of its own, loaded only by those who stream, so the main module keeps its
//! size budget. The JavaScript around it (`wasm/npm/live/`) fetches, reconnects and resumes;
//! no rule lives there.

use dialback_core::ErrorCode;
use dialback_core::live::{EventFilter, SseDecoder, StreamItem, read_message};
use wasm_bindgen::prelude::*;

/// An `Error` named `DialbackError` with the core's `code`, as the main module throws.
fn error(code: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("DialbackError");
    let _ = js_sys::Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

/// Reads a stream: push each chunk of the body as it arrives, take the items it completes.
#[wasm_bindgen]
#[derive(Default)]
pub struct EventReader {
    decoder: SseDecoder,
}

#[wasm_bindgen]
impl EventReader {
    /// A reader at the start of a stream.
    #[wasm_bindgen(constructor)]
    pub fn new() -> EventReader {
        EventReader::default()
    }

    /// Reads `chunk` (bytes, split anywhere); returns, as JSON text, the items it completes
    /// in order: events as `{id, body}` (the body as sent, once the core has checked it:
    /// `{event, agent_id, agent_name, timestamp, data}`), resets (`{reset: {id, code,
    /// message}}`), and for an event that does not add up `{error: {code: "EVENT_UNREADABLE",
    /// message, id}}`. Unknown types (a newer server's) are skipped.
    pub fn push(&mut self, chunk: &[u8]) -> String {
        let mut out: Vec<String> = Vec::new();
        for m in self.decoder.push(chunk) {
            match read_message(&m) {
                Ok(StreamItem::Event(e)) => {
                    // the data parsed as JSON just now: it is written back as it came
                    out.push(format!(
                        "{{\"id\":{},\"body\":{}}}",
                        serde_json::Value::from(e.id),
                        m.data
                    ));
                }
                Ok(StreamItem::Reset(r)) => out.push(
                    serde_json::json!({"reset": {"id": r.id, "code": r.code,
                        "message": r.message}})
                    .to_string(),
                ),
                Ok(StreamItem::Other { .. }) => {}
                Err(e) => out.push(
                    serde_json::json!({"error": {"code": e.code(), "message": e.to_string(),
                        "id": m.id}})
                    .to_string(),
                ),
            }
        }
        format!("[{}]", out.join(","))
    }

    /// The id of the last event read: what to send as `Last-Event-ID` when reconnecting.
    #[wasm_bindgen(getter, js_name = lastEventId)]
    pub fn last_event_id(&self) -> Option<String> {
        self.decoder.last_id.clone()
    }

    /// The reconnection delay the server asked for (`retry:`), in milliseconds.
    #[wasm_bindgen(getter, js_name = retryMs)]
    pub fn retry_ms(&self) -> Option<u32> {
        self.decoder.retry_ms
    }
}

/// The query string of a stream limited to `types` (event names) and `agentId`, checked by
/// the server's rule: an unknown type throws `INVALID_EVENT_TYPE`, an id that is not a UUID
/// `INVALID_AGENT_ID`.
#[wasm_bindgen(js_name = eventsQuery)]
pub fn events_query(
    types: Option<Vec<String>>,
    agent_id: Option<String>,
) -> Result<String, JsValue> {
    let types = types.map(|t| t.join(","));
    EventFilter::parse(types.as_deref(), agent_id.as_deref())
        .map(|f| f.query())
        .map_err(|errors| {
            let first = errors
                .first()
                .map_or(("INVALID_ARGUMENT", String::new()), |e| {
                    (e.code(), e.to_string())
                });
            let message = errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            error(first.0, &if message.is_empty() { first.1 } else { message })
        })
}
