//! Validation: callback configurations and write requests before they are sent, responses
//! after they arrive.

use serde_json::Value;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use dialback_core::wire::agents::directory_from_bodies;
use dialback_core::wire::requests::agents::{
    parse_agent_patch, parse_calling_update, parse_knowledge_update, parse_new_agent,
};
use dialback_core::wire::requests::calls::{parse_new_call, parse_new_message};
use dialback_core::wire::requests::numbers::parse_new_number;
use dialback_core::wire::requests::simulation::parse_simulation;
use dialback_core::wire::requests::{RequestError, field_errors};
use dialback_core::wire::talkover::{CallbackConfigBody, CallbackStatsData};
use dialback_core::wire::{FieldError, agentphone};
use dialback_core::{AgentDirectory, Zone, validate_callback_stats, validate_usage_by_agent};

use crate::boundary::{Failure, from_js, optional_string, string, to_js};
use crate::types::{
    AgentList, ConfigCheck, InconsistencyList, RequestCheck, RequestKind, SetCallbackRequest,
    UsageByAgentResponse,
};

/// Checks a callback configuration for the inbound agent `agentId` exactly as the server
/// would before saving it: `{ ok: true, config }` (normalised) or `{ ok: false, errors }`
/// with every problem, each with its `code`, `message` and `field`. `agents` is the
/// environment's agent list (`GET /api/v1/agents`), so sources can be checked.
#[wasm_bindgen(js_name = validateCallbackConfig)]
pub fn validate_callback_config(
    #[wasm_bindgen(js_name = agentId, unchecked_param_type = "string")] agent_id: JsValue,
    request: Ts<SetCallbackRequest>,
    agents: Ts<AgentList>,
) -> Result<Ts<ConfigCheck>, JsValue> {
    let target = string(&agent_id, "agentId", "INVALID_AGENT_ID")?;
    let body: Value = from_js(request.js_value(), "request", "INVALID_BODY")?;
    let directory = directory(agents.js_value())?;
    let check = match dialback_core::validate_callback_config(&target, &body, &directory) {
        Ok(config) => {
            serde_json::json!({ "ok": true, "config": CallbackConfigBody::from(&config) })
        }
        Err(errors) => {
            let errors: Vec<FieldError> = errors.iter().map(FieldError::from).collect();
            serde_json::json!({ "ok": false, "errors": errors })
        }
    };
    Ok(Ts::new_unchecked(to_js(&check)?))
}

/// Checks a write request body (`newAgent`, `agentPatch`, `callingUpdate`,
/// `knowledgeUpdate`, `newNumber`, `newCall`, `newMessage`, `simulation`) with the server's
/// rules: `{ ok: true }` or `{ ok: false, errors }`.
#[wasm_bindgen(js_name = validateRequest)]
pub fn validate_request(
    kind: Ts<RequestKind>,
    #[wasm_bindgen(unchecked_param_type = "unknown")] body: JsValue,
) -> Result<Ts<RequestCheck>, JsValue> {
    let kind: RequestKind = from_js(kind.js_value(), "kind", "INVALID_ARGUMENT")?;
    let body: Value = from_js(body, "body", "INVALID_BODY")?;
    let errors: Option<Vec<RequestError>> = match kind {
        RequestKind::NewAgent => parse_new_agent(&body).err(),
        RequestKind::AgentPatch => parse_agent_patch(&body).err(),
        RequestKind::CallingUpdate => parse_calling_update(&body).err(),
        RequestKind::KnowledgeUpdate => parse_knowledge_update(&body).err(),
        RequestKind::NewNumber => parse_new_number(&body).err(),
        RequestKind::NewCall => parse_new_call(&body).err(),
        RequestKind::NewMessage => parse_new_message(&body).err(),
        RequestKind::Simulation => parse_simulation(&body).err(),
    };
    let check = match errors {
        None => serde_json::json!({ "ok": true }),
        Some(errors) => serde_json::json!({ "ok": false, "errors": field_errors(&errors) }),
    };
    Ok(Ts::new_unchecked(to_js(&check)?))
}

/// What does not add up in a callback stats response (the whole `{ success, data }` or just
/// `data`): totals, rates, per-source counts, the period. Empty when consistent. Throws
/// `INVALID_RESPONSE` when it is not a stats response at all.
#[wasm_bindgen(js_name = validateCallbackStats)]
pub fn validate_callback_stats_js(
    #[wasm_bindgen(unchecked_param_type = "CallbackStatsResponse | CallbackStatsData")]
    response: JsValue,
) -> Result<Ts<InconsistencyList>, JsValue> {
    let mut value: Value = from_js(response, "response", "INVALID_RESPONSE")?;
    if let Some(data) = value.get_mut("data") {
        value = data.take();
    }
    let stats: CallbackStatsData = serde_json::from_value(value).map_err(|e| {
        Failure::new(
            "INVALID_RESPONSE",
            format!("not a callback stats response: {e}"),
        )
    })?;
    Ok(Ts::new_unchecked(to_js(&validate_callback_stats(&stats))?))
}

/// What does not add up in a usage-by-agent response: rows against totals, the Unassigned
/// row, and (given the `tz` it was asked for) the period bounds.
#[wasm_bindgen(js_name = validateUsageByAgent)]
pub fn validate_usage_by_agent_js(
    response: Ts<UsageByAgentResponse>,
    #[wasm_bindgen(unchecked_param_type = "ZoneName | undefined")] tz: JsValue,
) -> Result<Ts<InconsistencyList>, JsValue> {
    let response: agentphone::UsageByAgentResponse =
        from_js(response.js_value(), "response", "INVALID_RESPONSE")?;
    let zone = optional_string(&tz, "tz", "INVALID_TIMEZONE")?
        .map(|name| Zone::parse(&name).map_err(|e| Failure::core(&e)))
        .transpose()?;
    Ok(Ts::new_unchecked(to_js(&validate_usage_by_agent(
        &response, zone,
    ))?))
}

/// The directory formed by an agent list from the API; throws with every agent the rules
/// cannot use (a program should know, where the console only warns).
pub(crate) fn directory(agents: JsValue) -> Result<AgentDirectory, Failure> {
    if agents.is_undefined() || agents.is_null() {
        return Ok(AgentDirectory::default());
    }
    let bodies: Vec<dialback_core::wire::agents::AgentRules> =
        from_js(agents, "agents", "INVALID_AGENTS")?;
    let read = directory_from_bodies(&bodies);
    if read.problems.is_empty() {
        Ok(read.directory)
    } else {
        Err(Failure::many(read.problems))
    }
}
