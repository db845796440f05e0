//! The route table: every operation the server answers, its handler beside its description.
//! `http::router` is built from these entries and the OpenAPI document is written from them,
//! so a route is added here, once; `tests/openapi.rs` asks every one of them.

use dialback_core::wire::agentphone::calls::{CallList, CallObject};
use dialback_core::wire::agentphone::directory::{
    AgentListResponse, AgentObject, NumberListResponse, NumberObject,
};
use dialback_core::wire::agentphone::{
    ByNumberResponse, DailyUsageResponse, MonthlyUsageResponse, UsageByAgentResponse, UsageResponse,
};
use dialback_core::wire::schema::{params, requests};
use dialback_core::wire::talkover::{
    AgentBody, CallBody, CallItem, CallbackAgentCreated, CallbackAgentDetail, CallbackAgentItem,
    CallbackAgentUpdated, CallbackStatsData, CallingSettings, CallsPage, Envelope, Health,
    ImportReport, MessageBody, MessageEnvelope, MessageObject, Page, PhoneNumberBody, RoutingBody,
    TokenBody,
};
use serde_json::{Value, json};

use super::route::{Served, Verb, delete, every, get, patch, post, put};
use super::{Api, Body, Operation, Schemas, Success, example};
use crate::app::Settings;
use crate::http::{agentphone as ap, talkover as to};

/// A documented example, checked in under `tests/fixtures/`.
macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!("../../../../tests/fixtures/", $path))
    };
}

pub(super) const JSON: &str = "application/json";
const NDJSON: &str = "application/x-ndjson";

pub(super) const BAD_JSON: (u16, &str) = (
    400,
    "The body is not JSON, or the query string or path is not valid URL encoding.",
);
pub(super) const BAD_QUERY: (u16, &str) =
    (400, "The query string or path is not valid URL encoding.");
pub(super) const TOO_LARGE: (u16, &str) = (413, "The body is larger than the limit.");
pub(super) const NOT_JSON: (u16, &str) = (415, "The body is not sent as `application/json`.");
pub(super) const INVALID: (u16, &str) =
    (422, "Every problem, each with its code, field and index.");
pub(super) const NO_AGENT: (u16, &str) = (404, "No agent with this id here (`AGENT_NOT_FOUND`).");

pub(super) fn json_body(schema: Value, example: Option<Value>) -> Option<Body> {
    Some(Body {
        content_type: JSON,
        schema,
        example,
    })
}

pub(super) fn ok(status: u16, description: &'static str, schema: Value) -> Success {
    Success {
        status,
        description,
        content_type: JSON,
        schema,
        example: None,
        links: json!({}),
    }
}

pub(super) fn with_example(mut success: Success, text: &str) -> Success {
    success.example = example(text);
    success
}

pub(super) fn with_links(mut success: Success, links: Value) -> Success {
    success.links = links;
    success
}

/// Links from AgentPhone's agent object (`id`) to the operations on that agent: its id is
/// an agent's, never a number's.
fn agentphone_agent_links() -> Value {
    let to = |op: &str| json!({"operationId": op, "parameters": {"id": "$response.body#/id"}});
    json!({
        "GetAgent": to("getAgentPhoneAgent"),
        "UpdateAgent": to("updateAgentPhoneAgent"),
        "AttachNumber": to("attachNumber"),
        "ListAgentCalls": to("listAgentPhoneAgentCalls"),
    })
}

/// Links from an answer whose `data.id` is an agent's id to the operations on that agent.
fn agent_links() -> Value {
    let to = |op: &str| json!({"operationId": op, "parameters": {"id": "$response.body#/data/id"}});
    json!({
        "GetAgent": to("getAgent"),
        "UpdateAgent": to("updateAgent"),
        "UpdateCallingSettings": to("updateCallingSettings"),
        "UpdateKnowledge": to("updateKnowledge"),
        "SetCallback": to("setCallback"),
        "UpdateCallbackSources": to("updateCallbackSources"),
        "ListAgentCalls": to("listAgentCalls"),
    })
}

pub(super) fn op(
    served: Served,
    path: &'static str,
    id: &'static str,
    tag: &'static str,
    summary: &'static str,
    ok: Success,
) -> Operation {
    let api = if path.starts_with("/api/v1/") {
        Api::Talkover
    } else if path.starts_with("/v1/") {
        Api::AgentPhone
    } else {
        Api::Plain
    };
    let method = served.verb.name();
    Operation {
        method,
        path,
        served: Some(served),
        when: None,
        id,
        tag,
        summary,
        description: "",
        api,
        auth: api != Api::Plain,
        // Talkover's changes need a token that may write; its two POSTs that only compute
        // (`check-constraints`, `routing/simulate`) say `.reads()`
        writes: api == Api::Talkover && method != "get",
        path_id: None,
        params: Vec::new(),
        body: None,
        ok,
        also: Vec::new(),
        errors: Vec::new(),
    }
}

impl Operation {
    /// Changes data through AgentPhone's API: a read-only token gets 403.
    pub(super) fn writing(mut self) -> Self {
        self.writes = true;
        self
    }
    pub(super) fn describe(mut self, text: &'static str) -> Self {
        self.description = text;
        self
    }
    /// Changes nothing, whatever its method: a read-only token may call it.
    pub(super) fn reads(mut self) -> Self {
        self.writes = false;
        self
    }
    /// Routed only where `settings` say so.
    pub(super) fn only_when(mut self, settings: fn(&Settings) -> bool) -> Self {
        self.when = Some(settings);
        self
    }
    /// Needs no token.
    pub(super) fn public(mut self) -> Self {
        self.auth = false;
        self
    }
    pub(super) fn on(mut self, what: &'static str) -> Self {
        self.path_id = Some(what);
        self
    }
    pub(super) fn query(mut self, params: Vec<params::Param>) -> Self {
        self.params = params;
        self
    }
    pub(super) fn body(mut self, body: Option<Body>) -> Self {
        self.body = body;
        self
    }
    pub(super) fn also(mut self, status: u16, description: &'static str) -> Self {
        self.also.push((status, description));
        self
    }
    pub(super) fn errors(mut self, errors: &[(u16, &'static str)]) -> Self {
        self.errors = errors.to_vec();
        self
    }
}

/// Every operation, in the order of the router.
pub fn operations(s: &mut Schemas) -> Vec<Operation> {
    let mut ops = talkover(s);
    ops.extend(agentphone(s));
    ops.extend(super::webhooks::operations(s));
    ops.extend(super::sources::operations(s));
    ops.extend(super::events::operations());
    ops.extend(unsupported(s));
    ops.push(
        op(
            get(crate::http::service::healthz),
            "/healthz",
            "health",
            "Service",
            "Whether the server and its database answer",
            ok(200, "Everything answers.", s.of::<Health>()),
        )
        .also(503, "The database does not answer; the body says so."),
    );
    ops.push(
        op(
            get(crate::tzdata::serve),
            "/tzdata",
            "tzdata",
            "Service",
            "The time zone table the server answers by (extension)",
            Success {
                status: 200,
                description: "The table, in Dialback's compact form (about 180 KB): the one \
                    compiled in, or the one `--tzdata` loaded. `X-Tzdata-Version` names its \
                    release; `If-None-Match` with the ETag answers 304 when unchanged.",
                content_type: "application/vnd.dialback.tzdata",
                schema: json!({"type": "string", "format": "binary"}),
                example: None,
                links: json!({}),
            },
        )
        .describe(
            "For the npm package's `loadTzdata` and the console, so that they answer by the \
            same tz database release as the server.",
        )
        .also(304, "Unchanged since the ETag given in `If-None-Match`."),
    );
    ops.push(
        op(
            get(crate::http::service::metrics),
            "/metrics",
            "metrics",
            "Service",
            "Prometheus metrics",
            Success {
                status: 200,
                description: "The OpenMetrics text format (served on `--metrics-listen` instead, \
                    when set).",
                content_type: "application/openmetrics-text",
                schema: json!({"type": "string"}),
                example: None,
                links: json!({}),
            },
        )
        .only_when(|s| s.metrics_on_main)
        .describe(
            "Requests by route template and status, latency, calls ingested, routing \
            decisions by reason code, import lines, rate-limited requests, view size and load time \
            per environment, build info.",
        ),
    );
    ops.push(op(
        get(crate::http::openapi::serve),
        "/openapi.json",
        "openapi",
        "Service",
        "This document",
        ok(200, "The OpenAPI 3.1 document.", json!({"type": "object"})),
    ));
    ops
}

fn talkover(s: &mut Schemas) -> Vec<Operation> {
    vec![
        op(
            get(to::agents::list),
            "/api/v1/agents",
            "listAgents",
            "Agents",
            "List agents",
            with_example(
                ok(
                    200,
                    "A page of agents, `meta` as documented.",
                    s.of::<Page<AgentBody>>(),
                ),
                fixture!("docs/talkover_list_agents_response.json"),
            ),
        )
        .query(params::agent_list())
        .errors(&[BAD_QUERY, INVALID]),
        op(
            post(to::agents::create),
            "/api/v1/agents",
            "createAgent",
            "Agents",
            "Create an agent",
            with_links(
                with_example(
                    ok(
                        200,
                        "The new agent, a `draft`.",
                        s.of::<MessageEnvelope<AgentBody>>(),
                    ),
                    fixture!("docs/talkover_create_agent_response.json"),
                ),
                agent_links(),
            ),
        )
        .describe(
            "Only `name` and `direction` are required here (voice settings mean nothing \
                without voice); `label` defaults to the name. Extension: `phone_numbers`, E.164 \
                strings, added and assigned.",
        )
        .body(json_body(
            requests::new_agent(),
            example(fixture!("docs/talkover_create_agent_request.json")),
        ))
        .errors(&[
            BAD_JSON,
            (
                409,
                "A number another agent owns (`NUMBER_ALREADY_ASSIGNED`).",
            ),
            TOO_LARGE,
            NOT_JSON,
            INVALID,
        ]),
        op(
            get(to::agents::get),
            "/api/v1/agents/{id}",
            "getAgent",
            "Agents",
            "Get an agent",
            ok(200, "The agent.", s.of::<Envelope<AgentBody>>()),
        )
        .on("The agent's id.")
        .errors(&[BAD_QUERY, NO_AGENT]),
        op(
            patch(to::agents::patch),
            "/api/v1/agents/{id}",
            "updateAgent",
            "Agents",
            "Edit, publish or renumber an agent (extension)",
            with_links(
                ok(
                    200,
                    "The agent as it is now.",
                    s.of::<MessageEnvelope<AgentBody>>(),
                ),
                agent_links(),
            ),
        )
        .describe(
            "Any of the fields listed; `current_status: published` publishes. The \
                direction changes through the calling settings, which check callback roles.",
        )
        .on("The agent's id.")
        .body(json_body(requests::agent_patch(), None))
        .errors(&[
            BAD_JSON,
            NO_AGENT,
            (
                409,
                "A number another agent owns (`NUMBER_ALREADY_ASSIGNED`).",
            ),
            TOO_LARGE,
            NOT_JSON,
            INVALID,
        ]),
        op(
            put(to::agents::calling),
            "/api/v1/agents/{id}/calling",
            "updateCallingSettings",
            "Agents",
            "Set direction and numbers",
            with_example(
                ok(
                    200,
                    "The calling settings.",
                    s.of::<MessageEnvelope<CallingSettings>>(),
                ),
                fixture!("docs/talkover_update_agent_calling_response.json"),
            ),
        )
        .describe(
            "`phone_number_ids` replaces the agent's numbers (left-out ones become \
                unassigned). A callback agent cannot become outbound, nor a configured source \
                inbound (422).",
        )
        .on("The agent's id.")
        .body(json_body(requests::calling_update(), None))
        .errors(&[
            BAD_JSON,
            NO_AGENT,
            (
                409,
                "A number another agent owns (`NUMBER_ALREADY_ASSIGNED`).",
            ),
            TOO_LARGE,
            NOT_JSON,
            (
                422,
                "Every problem; also an unknown number id (`PHONE_NUMBER_NOT_FOUND`) or a \
                    direction change that breaks a callback role.",
            ),
        ]),
        op(
            put(to::agents::knowledge),
            "/api/v1/agents/{id}/knowledge",
            "updateKnowledge",
            "Agents",
            "Set the agent's knowledge",
            ok(
                200,
                "The agent, back in `draft`.",
                s.of::<MessageEnvelope<AgentBody>>(),
            ),
        )
        .on("The agent's id.")
        .body(json_body(
            requests::knowledge_update(),
            example(fixture!(
                "docs/talkover_update_agent_knowledge_request.json"
            )),
        ))
        .errors(&[BAD_JSON, NO_AGENT, TOO_LARGE, NOT_JSON, INVALID]),
        callback_op(
            post(to::callbacks::set),
            "setCallback",
            "Set an agent as callback agent",
            with_example(
                ok(
                    200,
                    "The callback agent.",
                    s.of::<Envelope<CallbackAgentCreated>>(),
                ),
                fixture!("seeds/talkover_set_callback_response.json"),
            ),
        ),
        callback_op(
            put(to::callbacks::replace),
            "updateCallbackSources",
            "Replace a callback agent's sources",
            with_example(
                ok(
                    200,
                    "Its id and configuration.",
                    s.of::<Envelope<CallbackAgentUpdated>>(),
                ),
                fixture!("docs/talkover_update_callback_sources_response.json"),
            ),
        ),
        op(
            delete(to::callbacks::remove),
            "/api/v1/agents/{id}/callback",
            "removeCallbackRole",
            "Callback agents",
            "Remove the callback role",
            with_example(
                ok(200, "Done (also when it had none).", s.of::<MessageBody>()),
                fixture!("docs/talkover_remove_callback_role_response.json"),
            ),
        )
        .on("The agent's id.")
        .errors(&[BAD_QUERY, NO_AGENT]),
        op(
            get(to::calls::of_agent),
            "/api/v1/agents/{id}/calls",
            "listAgentCalls",
            "Calls",
            "List an agent's calls",
            with_example(
                ok(
                    200,
                    "A page of its calls (without `agent`).",
                    s.of::<CallsPage<CallBody>>(),
                ),
                fixture!("docs/talkover_get_agent_calls_response.json"),
            ),
        )
        .on("The agent's id.")
        .query(params::call_list(false))
        .errors(&[BAD_QUERY, NO_AGENT, INVALID]),
        op(
            get(to::callbacks::list),
            "/api/v1/callback-agents",
            "listCallbackAgents",
            "Callback agents",
            "List callback agents",
            with_example(
                ok(
                    200,
                    "Every callback agent.",
                    s.of::<Envelope<Vec<CallbackAgentItem>>>(),
                ),
                fixture!("docs/talkover_list_callback_agents_response.json"),
            ),
        ),
        op(
            get(to::callbacks::stats),
            "/api/v1/callback-agents/stats",
            "getCallbackStats",
            "Callback agents",
            "Callback stats over local days",
            with_example(
                ok(
                    200,
                    "Callbacks received, answered and unmatched, by source agent.",
                    s.of::<Envelope<CallbackStatsData>>(),
                ),
                fixture!("seeds/talkover_callback_stats_response.json"),
            ),
        )
        .query(params::stats())
        .errors(&[
            BAD_QUERY,
            (422, "A bad date or zone, or `start_date` after `end_date`."),
        ]),
        op(
            get(to::callbacks::get),
            "/api/v1/callback-agents/{id}",
            "getCallbackAgent",
            "Callback agents",
            "Get a callback agent",
            with_example(
                ok(
                    200,
                    "The callback agent with its sources and totals.",
                    s.of::<Envelope<CallbackAgentDetail>>(),
                ),
                fixture!("docs/talkover_get_callback_agent_response.json"),
            ),
        )
        .on("The agent's id.")
        .errors(&[
            BAD_QUERY,
            (
                404,
                "`Agent is not configured as a callback agent` \
                (`NOT_A_CALLBACK_AGENT`), also for an unknown id.",
            ),
        ]),
        op(
            post(to::callbacks::check),
            "/api/v1/callback-agents/{id}/check-constraints",
            "checkCallbackConstraints",
            "Callback agents",
            "Check a callback configuration without saving it",
            with_example(
                ok(200, "`Configuration is valid`.", s.of::<MessageBody>()),
                fixture!("docs/talkover_check_constraints_valid_response.json"),
            ),
        )
        .on("The agent's id.")
        .reads()
        .body(json_body(requests::check_constraints(), None))
        .errors(&[
            BAD_JSON,
            NO_AGENT,
            TOO_LARGE,
            NOT_JSON,
            (
                422,
                "Every problem with the proposal, fields named as in the request; nothing is \
                    saved.",
            ),
        ]),
        op(
            get(to::numbers::list),
            "/api/v1/phone-numbers",
            "listPhoneNumbers",
            "Phone numbers",
            "List phone numbers",
            with_example(
                ok(
                    200,
                    "Every number, assigned or not.",
                    s.of::<Envelope<Vec<PhoneNumberBody>>>(),
                ),
                fixture!("docs/talkover_list_phone_numbers_response.json"),
            ),
        )
        .query(params::number_list())
        .errors(&[BAD_QUERY, INVALID]),
        op(
            post(to::numbers::create),
            "/api/v1/phone-numbers",
            "createPhoneNumber",
            "Phone numbers",
            "Add a phone number (extension)",
            ok(
                200,
                "The number, unassigned.",
                s.of::<Envelope<PhoneNumberBody>>(),
            ),
        )
        .body(json_body(
            requests::new_number(),
            Some(json!({"number": "+1 (415) 555-0177"})),
        ))
        .errors(&[
            BAD_JSON,
            (
                409,
                "Already one of this environment's numbers (`NUMBER_ALREADY_EXISTS`).",
            ),
            TOO_LARGE,
            NOT_JSON,
            INVALID,
        ]),
        op(
            get(to::calls::list),
            "/api/v1/calls",
            "listCalls",
            "Calls",
            "List calls",
            with_example(
                ok(
                    200,
                    "A page of calls, newest first.",
                    s.of::<CallsPage<CallItem>>(),
                ),
                fixture!("docs/talkover_list_calls_response.json"),
            ),
        )
        .query(params::call_list(true))
        .errors(&[BAD_QUERY, INVALID]),
        op(
            post(to::calls::record),
            "/api/v1/calls",
            "recordCall",
            "Calls",
            "Record a call (extension)",
            with_links(
                ok(
                    201,
                    "Stored; an inbound call with the routing decision made now.",
                    s.of::<Envelope<CallItem>>(),
                ),
                json!({"GetCall": {"operationId": "getCall",
                    "parameters": {"id": "$response.body#/data/id"}}}),
            ),
        )
        .describe(
            "How calls your telephony placed or took get in. An inbound call is routed \
                once, now, with the configuration in force. The same `external_id` with the same \
                content answers 200 with the stored call; with other content, 409 \
                `EXTERNAL_ID_CONFLICT`.",
        )
        .body(json_body(requests::new_call(), None))
        .also(
            200,
            "This call was stored before under this `external_id`: the stored call, unchanged.",
        )
        .errors(&[
            BAD_JSON,
            (
                409,
                "The `external_id` was used for another call (`EXTERNAL_ID_CONFLICT`).",
            ),
            TOO_LARGE,
            NOT_JSON,
            (
                422,
                "Every problem; also an `agent_id` of no outbound agent here.",
            ),
        ]),
        op(
            get(to::calls::export),
            "/api/v1/calls/export",
            "exportCalls",
            "Calls",
            "Every call, as NDJSON (extension)",
            Success {
                status: 200,
                description: "One call per line, newest first, in the list's item shape; streamed.",
                content_type: NDJSON,
                schema: json!({"type": "string"}),
                example: None,
                links: json!({}),
            },
        ),
        op(
            post(to::import::import),
            "/api/v1/calls/import",
            "importCalls",
            "Calls",
            "Record many calls from NDJSON (extension)",
            ok(
                200,
                "What was created, found again or refused, refused lines by their line number.",
                s.of::<Envelope<ImportReport>>(),
            ),
        )
        .describe(
            "One call per line, as `POST /api/v1/calls` takes it, in time order; \
                committed 5,000 lines at a time.",
        )
        .body(Some(Body {
            content_type: NDJSON,
            schema: json!({"type": "string"}),
            example: None,
        }))
        .errors(&[
            (400, "The body could not be read."),
            (
                413,
                "The body or one of its lines is larger than the limit.",
            ),
            (415, "The body is not sent as `application/x-ndjson`."),
        ]),
        op(
            post(to::calls::message),
            "/api/v1/messages",
            "recordMessage",
            "Calls",
            "Record a message (extension)",
            ok(201, "Stored.", s.of::<Envelope<MessageObject>>()),
        )
        .body(json_body(requests::new_message(), None))
        .errors(&[
            BAD_JSON,
            TOO_LARGE,
            NOT_JSON,
            (422, "Every problem; also an `agent_id` of no agent here."),
        ]),
        op(
            get(crate::http::service::talkover_health),
            "/api/v1/health",
            "talkoverHealth",
            "Service",
            "Whether the server and its database answer",
            ok(200, "Everything answers.", s.of::<Envelope<Health>>()),
        )
        .public()
        .also(
            503,
            "The database does not answer: `success` is false and the body says which part.",
        )
        .describe(
            "The health check Talkover's auth page probes. No token needed; one sent is \
                ignored.",
        ),
        op(
            get(to::token::current),
            "/api/v1/token",
            "getToken",
            "Service",
            "The connected token (extension)",
            ok(
                200,
                "Its id, label, scope, environment and expiry; never the token.",
                s.of::<Envelope<TokenBody>>(),
            ),
        ),
        op(
            post(to::calls::simulate),
            "/api/v1/routing/simulate",
            "simulateRouting",
            "Calls",
            "How a call would be routed (extension)",
            ok(
                200,
                "The decision, stored nowhere.",
                s.of::<Envelope<RoutingBody>>(),
            ),
        )
        .reads()
        .body(json_body(
            requests::simulation(),
            Some(json!({"from": "+442079460958", "to": "+14155550100"})),
        ))
        .errors(&[BAD_JSON, TOO_LARGE, NOT_JSON, INVALID]),
    ]
}

fn callback_op(
    served: Served,
    id: &'static str,
    summary: &'static str,
    success: Success,
) -> Operation {
    let links = json!({
        "GetCallbackAgent": {"operationId": "getCallbackAgent",
            "parameters": {"id": "$response.body#/data/id"}},
        "CheckCallbackConstraints": {"operationId": "checkCallbackConstraints",
            "parameters": {"id": "$response.body#/data/id"}},
        "RemoveCallbackRole": {"operationId": "removeCallbackRole",
            "parameters": {"id": "$response.body#/data/id"}},
    });
    op(
        served,
        "/api/v1/agents/{id}/callback",
        id,
        "Callback agents",
        summary,
        with_links(success, links),
    )
    .describe(
        "The seed's endpoint. A configuration that breaks a rule against what is stored \
            (the agent is outbound, a source is unknown or inbound) is refused with 422 and every \
            problem, as the seed documents.",
    )
    .on("The agent's id.")
    .body(json_body(requests::callback_config(), None))
    .errors(&[
        BAD_JSON,
        TOO_LARGE,
        NOT_JSON,
        (404, "No agent with this id here (`AGENT_NOT_FOUND`)."),
        (
            422,
            "Every problem, each with its code, field and index (the seed's \
                `INVALID_AGENT_DIRECTION` among them).",
        ),
    ])
}

fn agentphone(s: &mut Schemas) -> Vec<Operation> {
    let usage_errors: &[(u16, &str)] = &[
        BAD_QUERY,
        (422, "A parameter out of range (FastAPI's `detail`)."),
    ];
    vec![
        op(
            get(ap::usage::summary),
            "/v1/usage",
            "getUsage",
            "Usage",
            "Usage summary",
            with_example(
                ok(200, "Plan, numbers and counters.", s.of::<UsageResponse>()),
                fixture!("docs/agentphone_usage_reference.json"),
            ),
        )
        .describe(
            "`periodStart`–`periodEnd` is the calendar month (or `period`) containing \
                now, in `tz`; the counters are all-time and rolling. Webhook counters count every \
                delivery Dialback stored (tests aside): `total = successful + failed + pending`.",
        )
        .query(params::usage(true, false, false))
        .errors(usage_errors),
        op(
            get(ap::usage::by_agent),
            "/v1/usage/by-agent",
            "getUsageByAgent",
            "Usage",
            "Usage by agent",
            with_example(
                ok(
                    200,
                    "One row per agent with activity, and an Unassigned row.",
                    s.of::<UsageByAgentResponse>(),
                ),
                fixture!("seeds/agentphone_usage_by_agent_response.json"),
            ),
        )
        .query(params::usage(true, false, false))
        .errors(usage_errors),
        op(
            get(ap::usage::daily),
            "/v1/usage/daily",
            "getDailyUsage",
            "Usage",
            "Usage per day",
            with_example(
                ok(
                    200,
                    "One row per local day, oldest first.",
                    s.of::<DailyUsageResponse>(),
                ),
                fixture!("docs/agentphone_usage_daily_reference.json"),
            ),
        )
        .query(params::usage(false, true, false))
        .errors(usage_errors),
        op(
            get(ap::usage::monthly),
            "/v1/usage/monthly",
            "getMonthlyUsage",
            "Usage",
            "Usage per month",
            with_example(
                ok(
                    200,
                    "One row per calendar month, oldest first.",
                    s.of::<MonthlyUsageResponse>(),
                ),
                fixture!("docs/agentphone_usage_monthly_reference.json"),
            ),
        )
        .query(params::usage(false, false, true))
        .errors(usage_errors),
        op(
            get(ap::usage::by_number),
            "/v1/usage/by-number",
            "getUsageByNumber",
            "Usage",
            "Usage by number",
            with_example(
                ok(200, "One row per number.", s.of::<ByNumberResponse>()),
                fixture!("docs/agentphone_usage_by_number.json"),
            ),
        )
        .query(params::usage(true, false, false))
        .errors(usage_errors),
        op(
            get(ap::calls::all),
            "/v1/calls",
            "listAllCalls",
            "AgentPhone calls",
            "List calls",
            ok(200, "A page of calls, newest first.", s.of::<CallList>()),
        )
        .query(params::agentphone_calls())
        .errors(usage_errors),
        op(
            get(ap::calls::one),
            "/v1/calls/{id}",
            "getCall",
            "AgentPhone calls",
            "Get a call",
            ok(200, "The call.", s.of::<CallObject>()),
        )
        .on("The call's id.")
        .errors(&[BAD_QUERY, (404, "No such call here.")]),
        op(
            get(ap::calls::of_agent),
            "/v1/agents/{id}/calls",
            "listAgentPhoneAgentCalls",
            "AgentPhone calls",
            "List an agent's calls",
            with_example(
                ok(200, "A page of its calls.", s.of::<CallList>()),
                fixture!("docs/agentphone_list_agent_calls.json"),
            ),
        )
        .on("The agent's id.")
        .query(params::agentphone_calls())
        .errors(&[
            BAD_QUERY,
            (404, "No such agent here."),
            (422, "A parameter out of range (FastAPI's `detail`)."),
        ]),
        op(
            get(ap::directory::agents),
            "/v1/agents",
            "listAgentPhoneAgents",
            "AgentPhone agents",
            "List agents",
            ok(
                200,
                "A page of the environment's agents, in the order they were created.",
                s.of::<AgentListResponse>(),
            ),
        )
        .query(params::agentphone_page("Agents per page."))
        .errors(&[
            BAD_QUERY,
            (422, "A parameter out of range (FastAPI's `detail`)."),
        ]),
        op(
            get(ap::directory::one_agent),
            "/v1/agents/{id}",
            "getAgentPhoneAgent",
            "AgentPhone agents",
            "Get an agent",
            ok(
                200,
                "The agent, with its numbers (the same agent as `/api/v1/agents/{id}`).",
                s.of::<AgentObject>(),
            ),
        )
        .on("The agent's id.")
        .errors(&[(404, "No such agent here.")]),
        op(
            post(ap::directory::create_agent),
            "/v1/agents",
            "createAgentPhoneAgent",
            "AgentPhone agents",
            "Create an agent",
            with_links(
                ok(
                    200,
                    "The agent, published (the same agent as `/api/v1/agents/{id}`).",
                    s.of::<AgentObject>(),
                ),
                agentphone_agent_links(),
            ),
        )
        .writing()
        .describe(
            "`name`, `description`, `beginMessage` (its first words) and `language` map \
                onto the agent; `direction` (ours) is `inbound` unless given; any other key (the \
                voice runtime's) is kept with its settings.",
        )
        .body(json_body(
            requests::agentphone_agent(true),
            Some(json!({"name": "Front desk", "beginMessage": "Hello, how can I help?"})),
        ))
        .errors(&[
            BAD_JSON,
            TOO_LARGE,
            NOT_JSON,
            (
                422,
                "Every problem (FastAPI's `detail`), with AgentPhone's key names.",
            ),
        ]),
        op(
            patch(ap::directory::update_agent),
            "/v1/agents/{id}",
            "updateAgentPhoneAgent",
            "AgentPhone agents",
            "Update an agent",
            ok(200, "The agent as it is now.", s.of::<AgentObject>()),
        )
        .writing()
        .on("The agent's id.")
        .describe(
            "Any of `name`, `description`, `beginMessage`, `language`; other keys are \
                ignored. The direction changes through `PUT /api/v1/agents/{id}/calling`, which \
                checks callback roles.",
        )
        .body(json_body(requests::agentphone_agent(false), None))
        .errors(&[
            BAD_JSON,
            TOO_LARGE,
            NOT_JSON,
            (404, "No such agent here."),
            (422, "Every problem (FastAPI's `detail`)."),
        ]),
        op(
            post(ap::directory::attach_number),
            "/v1/agents/{id}/numbers",
            "attachNumber",
            "AgentPhone agents",
            "Attach a number",
            with_links(
                ok(
                    200,
                    "The agent, with the number after its others.",
                    s.of::<AgentObject>(),
                ),
                json!({"DetachNumber": {"operationId": "detachNumber", "parameters": {
                    "id": "$request.path.id", "number_id": "$request.body#/numberId"}}}),
            ),
        )
        .writing()
        .on("The agent's id.")
        .body(json_body(
            json!({"type": "object", "required": ["numberId"],
                "properties": {"numberId": {"type": "string", "minLength": 1, "maxLength": 100}}}),
            None,
        ))
        .errors(&[
            BAD_JSON,
            TOO_LARGE,
            NOT_JSON,
            (404, "No such agent here."),
            (409, "Another agent owns the number."),
            (
                422,
                "Every problem (FastAPI's `detail`), a `numberId` that names none of this \
                    environment's numbers among them.",
            ),
        ]),
        op(
            delete(ap::directory::detach_number),
            "/v1/agents/{id}/numbers/{number_id}",
            "detachNumber",
            "AgentPhone agents",
            "Detach a number",
            ok(
                200,
                "The agent, without the number (which stays the environment's, unassigned).",
                s.of::<AgentObject>(),
            ),
        )
        .writing()
        .on("The agent's id.")
        .errors(&[(
            404,
            "No such agent here, or the agent does not own the number.",
        )]),
        op(
            get(ap::directory::numbers),
            "/v1/numbers",
            "listAgentPhoneNumbers",
            "AgentPhone numbers",
            "List numbers",
            ok(
                200,
                "A page of the environment's numbers, assigned or not, in the order they were \
                added.",
                s.of::<NumberListResponse>(),
            ),
        )
        .query(params::agentphone_page("Numbers per page."))
        .errors(&[
            BAD_QUERY,
            (422, "A parameter out of range (FastAPI's `detail`)."),
        ]),
        op(
            get(ap::directory::one_number),
            "/v1/numbers/{id}",
            "getAgentPhoneNumber",
            "AgentPhone numbers",
            "Get a number",
            ok(
                200,
                "The number (the same as in `/api/v1/phone-numbers`).",
                s.of::<NumberObject>(),
            ),
        )
        .on("The number's id.")
        .errors(&[(404, "No such number here.")]),
        op(
            get(ap::calls::of_number),
            "/v1/numbers/{id}/calls",
            "listNumberCalls",
            "AgentPhone calls",
            "List a number's calls",
            ok(
                200,
                "A page of the calls on this number.",
                s.of::<CallList>(),
            ),
        )
        .on("The number's id.")
        .query(params::agentphone_calls())
        .errors(&[
            BAD_QUERY,
            (404, "No such number here."),
            (422, "A parameter out of range (FastAPI's `detail`)."),
        ]),
    ]
}

/// The documented routes Dialback answers with 501.
fn unsupported(_: &mut Schemas) -> Vec<Operation> {
    let refused = |served: Served, path: &'static str, id: &'static str, summary: &'static str| {
        let mut o = op(
            served,
            path,
            id,
            "Not supported",
            summary,
            Success {
                status: 501,
                description: "Not supported here (`NOT_SUPPORTED`): the message says what to do \
                    instead.",
                content_type: JSON,
                schema: json!({"type": "object"}),
                example: None,
                links: json!({}),
            },
        );
        if path.contains("{id}") {
            o = o.on("Any id.");
        }
        o.reads()
    };
    vec![
        refused(
            every(Verb::Post, to::unsupported::refuse),
            "/api/v1/agents/{id}/call",
            "makeCall",
            "Make a call (needs telephony)",
        ),
        refused(
            every(Verb::Put, to::unsupported::refuse),
            "/api/v1/agents/{id}/voice",
            "updateVoice",
            "Set the voice (needs a voice stack)",
        ),
        refused(
            every(Verb::Post, to::unsupported::refuse),
            "/api/v1/agents/{id}/trainings",
            "createTraining",
            "Create a training (needs a voice stack)",
        ),
        refused(
            every(Verb::Post, to::unsupported::refuse),
            "/api/v1/campaigns",
            "createCampaign",
            "Create a campaign (needs telephony)",
        ),
        refused(
            every(Verb::Get, to::unsupported::refuse),
            "/api/v1/campaigns",
            "listCampaigns",
            "List campaigns (needs telephony)",
        ),
        refused(
            every(Verb::Post, to::unsupported::refuse),
            "/api/v1/campaigns/{id}/call",
            "makeCampaignCall",
            "Make a campaign call (needs telephony)",
        ),
        refused(
            every(Verb::Post, to::unsupported::refuse),
            "/api/v1/campaigns/{id}/webhooks",
            "createCampaignWebhook",
            "Create a campaign webhook (campaigns need telephony)",
        ),
        refused(
            every(Verb::Get, to::unsupported::refuse),
            "/api/v1/voice-templates",
            "listVoiceTemplates",
            "List voice templates (no voices)",
        ),
        refused(
            every(Verb::Get, to::unsupported::refuse),
            "/api/v1/voice-templates/{id}/demo",
            "generateVoiceDemo",
            "Voice demo (no voices)",
        ),
        refused(
            post(crate::http::agentphone_unsupported),
            "/v1/calls",
            "createCall",
            "Create an outbound call (needs telephony)",
        ),
        refused(
            post(crate::http::agentphone_unsupported),
            "/v1/calls/web",
            "createWebCall",
            "Create a web call (needs telephony)",
        ),
        refused(
            post(crate::http::agentphone_unsupported),
            "/v1/calls/{id}/end",
            "endCall",
            "End a call (needs telephony)",
        ),
        refused(
            get(crate::http::agentphone_unsupported),
            "/v1/calls/{id}/recording",
            "getRecording",
            "A call's recording (none kept)",
        ),
        refused(
            get(crate::http::agentphone_unsupported),
            "/v1/calls/{id}/transcript",
            "getTranscript",
            "A call's transcript (none kept)",
        ),
        refused(
            get(crate::http::agentphone_unsupported),
            "/v1/calls/{id}/transcript/stream",
            "streamTranscript",
            "Stream a transcript (none kept)",
        ),
        refused(
            delete(ap::not_served::delete_agent),
            "/v1/agents/{id}",
            "deleteAgentPhoneAgent",
            "Delete an agent (Dialback keeps every agent; detach its numbers)",
        ),
        refused(
            post(ap::not_served::carrier),
            "/v1/numbers",
            "buyNumber",
            "Buy a number (needs a carrier)",
        ),
        refused(
            delete(ap::not_served::carrier),
            "/v1/numbers/{id}",
            "releaseNumber",
            "Release a number (needs a carrier)",
        ),
        refused(
            every(Verb::Get, ap::not_served::voices),
            "/v1/agents/voices",
            "listVoices",
            "List voices (no voices)",
        ),
        refused(
            every(Verb::Get, ap::not_served::carrier),
            "/v1/numbers/available",
            "listAvailableNumbers",
            "Numbers for sale (needs a carrier)",
        ),
        refused(
            every(Verb::Get, ap::not_served::carrier),
            "/v1/numbers/lookup",
            "lookUpNumber",
            "Look a number up (needs a carrier)",
        ),
        refused(
            every(Verb::Get, ap::not_served::carrier),
            "/v1/numbers/{id}/contact-card",
            "getContactCard",
            "A number's contact card (needs a carrier)",
        ),
        refused(
            every(Verb::Get, ap::not_served::carrier),
            "/v1/register",
            "getRegistration",
            "Registration (needs a carrier)",
        ),
        refused(
            every(Verb::Get, ap::not_served::carrier),
            "/v1/register/status",
            "getRegistrationStatus",
            "Registration status (needs a carrier)",
        ),
        refused(
            every(Verb::Post, ap::not_served::carrier),
            "/v1/verify/send",
            "sendVerification",
            "Send a verification code (needs a carrier)",
        ),
        refused(
            every(Verb::Post, ap::not_served::carrier),
            "/v1/verify/check",
            "checkVerification",
            "Check a verification code (needs a carrier)",
        ),
        refused(
            every(Verb::Get, ap::not_served::carrier),
            "/v1/sip-trunks",
            "listSipTrunks",
            "List SIP trunks (needs a carrier)",
        ),
        refused(
            every(Verb::Post, ap::not_served::carrier),
            "/v1/sip-trunks",
            "createSipTrunk",
            "Create a SIP trunk (needs a carrier)",
        ),
        refused(
            every(Verb::Get, ap::not_served::carrier),
            "/v1/sip-trunks/{id}",
            "getSipTrunk",
            "Get a SIP trunk (needs a carrier)",
        ),
        refused(
            every(Verb::Delete, ap::not_served::carrier),
            "/v1/sip-trunks/{id}",
            "deleteSipTrunk",
            "Delete a SIP trunk (needs a carrier)",
        ),
        refused(
            every(Verb::Post, ap::not_served::carrier),
            "/v1/location/refresh",
            "refreshLocation",
            "Refresh caller location (needs a carrier)",
        ),
        refused(
            every(Verb::Get, ap::not_served::carrier),
            "/v1/location/{phone_number}",
            "getLocation",
            "Caller location (needs a carrier)",
        ),
        refused(
            every(Verb::Post, ap::not_served::messaging),
            "/v1/messages",
            "sendMessage",
            "Send a message (Dialback sends none)",
        ),
        refused(
            every(Verb::Post, ap::not_served::messaging),
            "/v1/messages/{id}/reactions",
            "reactToMessage",
            "React to a message (Dialback sends none)",
        ),
        refused(
            every(Verb::Get, ap::not_served::messaging),
            "/v1/numbers/{id}/messages",
            "listNumberMessages",
            "A number's messages (no conversations kept)",
        ),
        refused(
            every(Verb::Get, ap::not_served::messaging),
            "/v1/agents/{id}/conversations",
            "listAgentConversations",
            "An agent's conversations (none kept)",
        ),
        refused(
            every(Verb::Get, ap::not_served::messaging),
            "/v1/conversations",
            "listConversations",
            "List conversations (none kept)",
        ),
        refused(
            every(Verb::Get, ap::not_served::messaging),
            "/v1/conversations/{id}",
            "getConversation",
            "Get a conversation (none kept)",
        ),
        refused(
            every(Verb::Patch, ap::not_served::messaging),
            "/v1/conversations/{id}",
            "updateConversation",
            "Update a conversation (none kept)",
        ),
        refused(
            every(Verb::Get, ap::not_served::messaging),
            "/v1/conversations/{id}/messages",
            "listConversationMessages",
            "A conversation's messages (none kept)",
        ),
        refused(
            every(Verb::Post, ap::not_served::messaging),
            "/v1/conversations/{id}/background",
            "setConversationBackground",
            "A conversation's background (none kept)",
        ),
        refused(
            every(Verb::Delete, ap::not_served::messaging),
            "/v1/conversations/{id}/background",
            "clearConversationBackground",
            "Clear a conversation's background (none kept)",
        ),
        refused(
            every(Verb::Post, ap::not_served::messaging),
            "/v1/conversations/{id}/typing",
            "sendTyping",
            "Typing indicator (Dialback sends none)",
        ),
        refused(
            every(Verb::Get, ap::not_served::messaging),
            "/v1/contacts",
            "listContacts",
            "List contacts (none kept)",
        ),
        refused(
            every(Verb::Post, ap::not_served::messaging),
            "/v1/contacts",
            "createContact",
            "Create a contact (none kept)",
        ),
        refused(
            every(Verb::Get, ap::not_served::messaging),
            "/v1/contacts/capabilities",
            "getContactCapabilities",
            "Contact capabilities (none kept)",
        ),
        refused(
            every(Verb::Get, ap::not_served::messaging),
            "/v1/contacts/{id}",
            "getContact",
            "Get a contact (none kept)",
        ),
        refused(
            every(Verb::Patch, ap::not_served::messaging),
            "/v1/contacts/{id}",
            "updateContact",
            "Update a contact (none kept)",
        ),
        refused(
            every(Verb::Delete, ap::not_served::messaging),
            "/v1/contacts/{id}",
            "deleteContact",
            "Delete a contact (none kept)",
        ),
        refused(
            every(Verb::Get, ap::not_served::account),
            "/v1/sub-accounts",
            "listSubAccounts",
            "List sub-accounts (an AgentPhone account's)",
        ),
        refused(
            every(Verb::Post, ap::not_served::account),
            "/v1/sub-accounts",
            "createSubAccount",
            "Create a sub-account (an AgentPhone account's)",
        ),
        refused(
            every(Verb::Patch, ap::not_served::account),
            "/v1/sub-accounts/{id}",
            "updateSubAccount",
            "Update a sub-account (an AgentPhone account's)",
        ),
        refused(
            every(Verb::Delete, ap::not_served::account),
            "/v1/sub-accounts/{id}",
            "deleteSubAccount",
            "Delete a sub-account (an AgentPhone account's)",
        ),
        refused(
            every(Verb::Post, ap::not_served::account),
            "/v1/feedback",
            "sendFeedback",
            "Send feedback (an AgentPhone account's)",
        ),
    ]
}
