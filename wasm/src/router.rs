//! Routing inbound calls against an index of outbound calls built once.

use tsify::Ts;
use wasm_bindgen::prelude::*;

use dialback_core::wire::talkover::RoutingBody;
use dialback_core::wire::talkover::calls::RoutingFields;
use dialback_core::{AgentDirectory, CallbackRouting, Caller, InboundCall, PhoneNumber, Timestamp};

use crate::boundary::{Failure, from_js, to_js};
use crate::checks::directory;
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
    /// inbound ones are skipped). Throws `INVALID_AGENTS` or `INVALID_CALL` (naming each bad
    /// call by index).
    #[wasm_bindgen(constructor)]
    pub fn new(agents: Ts<AgentList>, calls: Ts<CallList>) -> Result<CallbackRouter, JsValue> {
        let directory = directory(agents.js_value())?;
        let calls: Vec<RoutingFields> = from_js(calls.js_value(), "calls", "INVALID_CALL")?;
        let mut outbound = Vec::with_capacity(calls.len());
        for (i, call) in calls.iter().enumerate() {
            let record = call
                .to_record(i as u64)
                .map_err(|m| Failure::new("INVALID_CALL", format!("calls[{i}]: {m}")))?;
            outbound.extend(record.outbound_entry());
        }
        Ok(CallbackRouter {
            routing: CallbackRouting::new(&directory, outbound),
            directory,
            seen: calls.len() as u64,
        })
    }

    /// Adds one more call (an inbound one is ignored).
    #[wasm_bindgen(js_name = addCall)]
    pub fn add_call(&mut self, call: Ts<types::CallBody>) -> Result<(), JsValue> {
        let call: RoutingFields = from_js(call.js_value(), "call", "INVALID_CALL")?;
        let record = call
            .to_record(self.seen)
            .map_err(|m| Failure::new("INVALID_CALL", m))?;
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
        let call = inbound_call(&call).map_err(|m| Failure::new("INVALID_CALL", m))?;
        let decision = self.routing.route(&call);
        Ok(Ts::new_unchecked(to_js(&RoutingBody::new(
            decision,
            &self.directory,
        ))?))
    }

    /// [`route`](Self::route) for many calls at once (faster: one crossing, one batch).
    #[wasm_bindgen(js_name = routeMany)]
    pub fn route_many(&self, calls: Ts<InboundCallList>) -> Result<Ts<RoutingList>, JsValue> {
        let calls: Vec<types::InboundCall> = from_js(calls.js_value(), "calls", "INVALID_CALL")?;
        let calls = calls
            .iter()
            .enumerate()
            .map(|(i, c)| {
                inbound_call(c)
                    .map_err(|m| Failure::new("INVALID_CALL", format!("calls[{i}]: {m}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let bodies: Vec<RoutingBody> = self
            .routing
            .router()
            .route_many(&calls)
            .into_iter()
            .map(|d| RoutingBody::new(d, &self.directory))
            .collect();
        Ok(Ts::new_unchecked(to_js(&bodies)?))
    }
}

fn inbound_call(call: &types::InboundCall) -> Result<InboundCall, String> {
    Ok(InboundCall {
        from: Caller::parse(call.from.as_deref()),
        to: PhoneNumber::parse(&call.to).map_err(|e| e.to_string())?,
        at: Timestamp::parse(&call.at).map_err(|e| e.to_string())?,
    })
}
