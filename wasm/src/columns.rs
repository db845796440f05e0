//! Call objects already in JavaScript, read by `calls.js` in one pass into typed columns that
//! cross into wasm together: what `CallLog.fromCalls` and the `CallbackRouter` constructor
//! read instead of JSON text.

use wasm_bindgen::prelude::*;

use dialback_core::wire::feed::Columns;

use crate::boundary::Failure;

#[wasm_bindgen(module = "/src/calls.js")]
extern "C" {
    /// Call objects into columns (what routing reads, ids included, when `for_router`), or
    /// `{ error }` (naming the call `call` when `single`).
    fn read_calls(calls: &JsValue, for_router: bool, single: bool) -> JsValue;

    /// Inbound calls to route into texts, or `{ error }`.
    fn read_inbound(calls: &JsValue) -> JsValue;
}

/// A property of what a `calls.js` reader returned.
fn get(read: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(read, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn words(read: &JsValue, name: &str) -> Vec<u32> {
    match get(read, name) {
        v if v.is_undefined() => Vec::new(),
        v => js_sys::Uint32Array::new(&v).to_vec(),
    }
}

fn bytes(read: &JsValue, name: &str) -> Vec<u8> {
    match get(read, name) {
        v if v.is_undefined() => Vec::new(),
        v => js_sys::Uint8Array::new(&v).to_vec(),
    }
}

/// How many calls a reader read.
fn count(read: &JsValue) -> usize {
    get(read, "count").as_f64().unwrap_or(0.0) as usize
}

/// The `error` a reader returned, as `INVALID_CALL`.
fn refused(read: &JsValue) -> Result<(), Failure> {
    match get(read, "error").as_string() {
        Some(message) => Err(Failure::new("INVALID_CALL", message)),
        None => Ok(()),
    }
}

/// Text `k` of a list whose ends are `ends`, or `None` past the end.
fn text<'a>(bytes: &'a [u8], ends: &[u32], k: usize) -> Option<&'a str> {
    let end = usize::try_from(*ends.get(k)?).ok()?;
    let start = match k.checked_sub(1) {
        Some(p) => usize::try_from(*ends.get(p)?).ok()?,
        None => 0,
    };
    std::str::from_utf8(bytes.get(start..end)?).ok()
}

/// Inbound calls to route, read by `calls.js` in one pass (no JSON text).
pub struct InboundTexts {
    /// How many calls.
    pub count: usize,
    withheld: Vec<u8>,
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl InboundTexts {
    /// Reads `calls`; fails with `INVALID_CALL` naming `calls[i]` and the field.
    pub fn read(calls: &JsValue) -> Result<Self, Failure> {
        let read = read_inbound(calls);
        refused(&read)?;
        Ok(InboundTexts {
            count: count(&read),
            withheld: bytes(&read, "withheld"),
            bytes: bytes(&read, "bytes"),
            ends: words(&read, "ends"),
        })
    }

    /// Call `i`'s `from` (`None` when withheld), `to` and `at`; `None` past the end.
    pub fn call(&self, i: usize) -> Option<(Option<&str>, &str, &str)> {
        let from = text(&self.bytes, &self.ends, 3 * i)?;
        let withheld = *self.withheld.get(i)? == 1;
        Some((
            (!withheld).then_some(from),
            text(&self.bytes, &self.ends, 3 * i + 1)?,
            text(&self.bytes, &self.ends, 3 * i + 2)?,
        ))
    }
}

/// What the calls are read for.
#[derive(Clone, Copy)]
pub enum Use {
    /// Callback stats and usage (`CallLog.fromCalls`).
    Counting,
    /// Routing: ids too, and nothing routing ignores.
    Routing,
    /// Routing, one call in a one-element list, named `call` in errors.
    RoutingOne,
}

/// The columns, copied into wasm memory; [`CallColumns::columns`] borrows them for the core.
pub struct CallColumns {
    /// How many calls.
    pub count: usize,
    table: Vec<u8>,
    ends: Vec<u32>,
    at: Vec<u8>,
    routed: Vec<u8>,
    numbers: Vec<u8>,
    number_len: Vec<u8>,
    duration: Vec<u32>,
    text: Vec<Vec<u32>>,
    ids: Vec<u8>,
    id_ends: Vec<u32>,
}

/// The text columns, in the order [`CallColumns::columns`] reads them.
const TEXT: [&str; 10] = [
    "direction",
    "agentId",
    "agent",
    "from",
    "to",
    "atText",
    "status",
    "callbackAgentId",
    "routingAgentId",
    "sourceAgentId",
];

impl CallColumns {
    /// Reads `calls` for stats and usage, or with `Use::Routing` what routing reads (ids
    /// included; `from`, `duration` and `routing` left alone). Fails with `INVALID_CALL`
    /// naming `calls[i]` (or `call`) and the field when a value is not what a call holds there.
    pub fn read(calls: &JsValue, what: Use) -> Result<Self, Failure> {
        let (for_router, single) = match what {
            Use::Counting => (false, false),
            Use::Routing => (true, false),
            Use::RoutingOne => (true, true),
        };
        let read = read_calls(calls, for_router, single);
        refused(&read)?;
        Ok(CallColumns {
            count: count(&read),
            table: bytes(&read, "table"),
            ends: words(&read, "ends"),
            at: bytes(&read, "at"),
            routed: bytes(&read, "routed"),
            numbers: bytes(&read, "numbers"),
            number_len: bytes(&read, "numberLen"),
            duration: words(&read, "duration"),
            text: TEXT.iter().map(|name| words(&read, name)).collect(),
            ids: bytes(&read, "ids"),
            id_ends: words(&read, "idEnds"),
        })
    }

    /// The columns, as the core reads them.
    pub fn columns(&self) -> Columns<'_> {
        let col = |k: usize| self.text.get(k).map_or(&[][..], Vec::as_slice);
        Columns {
            table: &self.table,
            ends: &self.ends,
            direction: col(0),
            agent_id: col(1),
            agent: col(2),
            from: col(3),
            to: col(4),
            numbers: &self.numbers,
            number_len: &self.number_len,
            at: &self.at,
            at_text: col(5),
            status: col(6),
            duration: &self.duration,
            routed: &self.routed,
            callback_agent_id: col(7),
            routing_agent_id: col(8),
            source_agent_id: col(9),
        }
    }

    /// Call `i`'s id as text (read for routing), or `None` past the end.
    pub fn id(&self, i: usize) -> Option<&str> {
        text(&self.ids, &self.id_ends, i)
    }
}
