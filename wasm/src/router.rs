//! Routing inbound calls against an index of outbound calls built once.

use tsify::Ts;
use wasm_bindgen::prelude::*;

use dialback_core::wire::talkover::RoutingBody;
use dialback_core::{
    AgentDirectory, CallRecord, CallbackRouting, Caller, InboundCall, PhoneNumber, Timestamp,
};

use crate::boundary::{Failure, from_js, to_js, to_js_many};
use crate::checks::directory;
use crate::columns::{CallColumns, InboundTexts, Use};
use crate::types::{self, AgentList, CallList, InboundCallList, RoutingList};

/// The agents and their outbound calls, indexed once so that each inbound call is routed in
/// constant time, whatever the number of agents. Holds wasm memory: call `free()` when done,
/// or declare it with `using` (it is disposable).
#[wasm_bindgen]
pub struct CallbackRouter {
    directory: AgentDirectory,
    routing: CallbackRouting,
    /// Calls read so far (a call whose id is not a number is numbered by its position).
    seen: u64,
}

#[wasm_bindgen]
impl CallbackRouter {
    /// Indexes the outbound calls among `calls` (calls as `GET /api/v1/calls` returns them;
    /// inbound ones are skipped), read in one pass into typed columns (`calls.js`), with no
    /// JSON text. Throws `INVALID_AGENTS`, or `INVALID_CALL` naming the bad call by index.
    #[wasm_bindgen(constructor)]
    pub fn new(agents: Ts<AgentList>, calls: Ts<CallList>) -> Result<CallbackRouter, JsValue> {
        let directory = directory(agents.js_value())?;
        let read = CallColumns::read(&calls.js_value(), Use::Routing)?;
        let mut outbound = Vec::with_capacity(read.count);
        for i in 0..read.count {
            let record = record(&read, i, i as u64)
                .map_err(|m| Failure::new("INVALID_CALL", format!("calls[{i}]: {m}")))?;
            outbound.extend(record.outbound_entry());
        }
        Ok(CallbackRouter {
            routing: CallbackRouting::new(&directory, outbound),
            directory,
            seen: read.count as u64,
        })
    }

    /// Adds one more call (an inbound one is ignored).
    #[wasm_bindgen(js_name = addCall)]
    pub fn add_call(&mut self, call: Ts<types::CallBody>) -> Result<(), JsValue> {
        let read = CallColumns::read(&js_sys::Array::of1(&call.js_value()), Use::RoutingOne)?;
        let record = record(&read, 0, self.seen)
            .map_err(|m| Failure::new("INVALID_CALL", format!("call: {m}")))?;
        self.seen += 1;
        if let Some(o) = record.outbound_entry() {
            self.routing.insert_outbound(o);
        }
        Ok(())
    }

    /// How many outbound calls are indexed.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.routing.index().len()
    }

    /// Where one inbound call goes and why: the decision, its `reason_code` and an
    /// `explanation` in plain words. Throws `INVALID_CALL` for a malformed call.
    pub fn route(&self, call: Ts<types::InboundCall>) -> Result<Ts<types::RoutingBody>, JsValue> {
        let call: types::InboundCall = from_js(call.js_value(), "call", "INVALID_CALL")?;
        let call = inbound_call(call.from.as_deref(), &call.to, &call.at)
            .map_err(|m| Failure::new("INVALID_CALL", m))?;
        let decision = self.routing.route(&call);
        Ok(Ts::new_unchecked(to_js(&RoutingBody::new(
            decision,
            &self.directory,
        ))?))
    }

    /// [`route`](Self::route) for many calls at once (faster: the calls are read in one pass
    /// into typed arrays, cross together and are routed as one batch). Throws
    /// `INVALID_CALL` naming the bad call by index.
    #[wasm_bindgen(js_name = routeMany)]
    pub fn route_many(&self, calls: Ts<InboundCallList>) -> Result<Ts<RoutingList>, JsValue> {
        let read = InboundTexts::read(&calls.js_value())?;
        let calls = (0..read.count)
            .map(|i| {
                let (from, to, at) = read.call(i).ok_or("the texts do not hold this call")?;
                inbound_call(from, to, at)
            })
            .enumerate()
            .map(|(i, call)| {
                call.map_err(|m| Failure::new("INVALID_CALL", format!("calls[{i}]: {m}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let bodies: Vec<RoutingBody> = self
            .routing
            .router()
            .route_many(&calls)
            .into_iter()
            .map(|d| RoutingBody::new(d, &self.directory))
            .collect();
        Ok(Ts::new_unchecked(to_js_many(&bodies)?))
    }
}

/// Call `i` of the columns as a record (numbered `position` when its id is not a number).
fn record(read: &CallColumns, i: usize, position: u64) -> Result<CallRecord, String> {
    let id = read.id(i).ok_or("the columns do not hold this call")?;
    read.columns()
        .routing_fields(i, id.to_owned())?
        .to_record(position)
}

/// An inbound call from its texts (`from` absent when withheld).
fn inbound_call(from: Option<&str>, to: &str, at: &str) -> Result<InboundCall, String> {
    Ok(InboundCall {
        from: Caller::parse(from),
        to: PhoneNumber::parse(to).map_err(|e| e.to_string())?,
        at: Timestamp::parse(at).map_err(|e| e.to_string())?,
    })
}
