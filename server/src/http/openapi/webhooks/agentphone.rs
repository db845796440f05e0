//! AgentPhone's webhook operations in the route table: the project webhook, an agent's own,
//! tests, and the delivery log.

use dialback_core::wire::agentphone::webhooks::{
    AllTimeObject, Deleted, DeliveryObject, DeliveryPage, DeliveryStatsObject, TestResultObject,
    WebhookObject,
};
use dialback_core::wire::schema::params::Param;
use dialback_core::wire::schema::webhooks;
use serde_json::{Value, json};

use crate::http::agentphone as ap;
use crate::http::openapi::operations::{BAD_QUERY, json_body, ok, op};
use crate::http::openapi::route::{delete, get, post};
use crate::http::openapi::{Operation, Schemas};

const AGENTPHONE_TAG: &str = "AgentPhone webhooks";
const FASTAPI: (u16, &str) = (
    422,
    "Every problem (FastAPI's `detail`), the receiver rule's among them.",
);

fn param(name: &'static str, description: &'static str, schema: Value) -> Param {
    Param {
        name,
        description,
        schema,
    }
}

fn deliveries_query() -> Vec<Param> {
    vec![
        param(
            "limit",
            "Deliveries per page.",
            json!({"type": "integer", "minimum": 1, "maximum": 100, "default": 50}),
        ),
        param(
            "offset",
            "How many to skip.",
            json!({"type": "integer", "minimum": 0, "maximum": u32::MAX, "default": 0}),
        ),
        param(
            "hours",
            "Only those of the last this many hours (every one by default).",
            json!({"type": "integer", "minimum": 1, "maximum": 168}),
        ),
    ]
}

fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}

/// AgentPhone's: the project webhook, an agent's, tests and the delivery log.
pub(super) fn agentphone(s: &mut Schemas) -> Vec<Operation> {
    let hook = s.of::<WebhookObject>();
    let agent_ops = |served, path, id, summary, success| {
        op(served, path, id, AGENTPHONE_TAG, summary, success).on("The agent's id.")
    };
    vec![
        op(
            get(ap::webhooks::project_get),
            "/v1/webhooks",
            "getWebhook",
            AGENTPHONE_TAG,
            "The project webhook",
            ok(
                200,
                "The webhook, secret included, or `null` when none is set.",
                nullable(hook.clone()),
            ),
        )
        .describe(
            "The project webhook receives every event of agents without a webhook of \
                their own.",
        ),
        op(
            post(ap::webhooks::project_set),
            "/v1/webhooks",
            "setWebhook",
            AGENTPHONE_TAG,
            "Set the project webhook",
            ok(
                200,
                "The webhook, with a new `whsec_` secret.",
                hook.clone(),
            ),
        )
        .writing()
        .describe(
            "Creates or replaces it; every call makes a new secret. The receiver's host \
                must resolve to public addresses unless the server runs with \
                `--webhook-allow-private`.",
        )
        .body(json_body(
            webhooks::agentphone_webhook(),
            Some(json!({"url": "https://example.com/webhook", "contextLimit": 10, "timeout": 30})),
        ))
        .errors(&[FASTAPI]),
        op(
            delete(ap::webhooks::project_delete),
            "/v1/webhooks",
            "deleteWebhook",
            AGENTPHONE_TAG,
            "Delete the project webhook",
            ok(200, "`{\"success\": true}`, set or not.", s.of::<Deleted>()),
        )
        .writing()
        .describe("Its pending deliveries fail with `the webhook was deleted`."),
        op(
            post(ap::webhooks::project_test),
            "/v1/webhooks/test",
            "testWebhook",
            AGENTPHONE_TAG,
            "Send a test",
            ok(
                200,
                "The attempt: the documented keys and the MCP server's.",
                s.of::<TestResultObject>(),
            ),
        )
        .writing()
        .query(vec![param(
            "agentId",
            "The agent the sample names.",
            json!({"type": "string"}),
        )])
        .describe(
            "A sample `agent.message` with `\"test\": true`, sent now to the project \
                webhook, kept in the log, not counted in usage.",
        )
        .body(json_body(
            webhooks::test_sample(),
            Some(json!({"message": "hello"})),
        ))
        .errors(&[(404, "No project webhook, or no such agent."), FASTAPI]),
        op(
            get(ap::webhooks::project_deliveries),
            "/v1/webhooks/deliveries",
            "listWebhookDeliveries",
            AGENTPHONE_TAG,
            "The delivery log",
            ok(
                200,
                "A page of deliveries, newest first, as `items` and (for the MCP server) `data`.",
                s.of::<DeliveryPage>(),
            ),
        )
        .describe(
            "Every AgentPhone webhook's deliveries (the project's and the agents'), \
                tests included.",
        )
        .query(deliveries_query())
        .errors(&[
            BAD_QUERY,
            (422, "A parameter out of range (FastAPI's `detail`)."),
        ]),
        op(
            get(ap::webhooks::project_stats),
            "/v1/webhooks/deliveries/stats",
            "getWebhookDeliveryStats",
            AGENTPHONE_TAG,
            "Delivery stats",
            ok(
                200,
                "Counts of the window by outcome, by event and by hour (tests aside).",
                s.of::<DeliveryStatsObject>(),
            ),
        )
        .query(vec![param(
            "hours",
            "The window (default 24).",
            json!({"type": "integer", "minimum": 1, "maximum": 168, "default": 24}),
        )])
        .errors(&[
            BAD_QUERY,
            (422, "A parameter out of range (FastAPI's `detail`)."),
        ]),
        op(
            get(ap::webhooks::project_all_time),
            "/v1/webhooks/deliveries/all-time",
            "getWebhookDeliveriesAllTime",
            AGENTPHONE_TAG,
            "All-time delivery counts",
            ok(
                200,
                "Every delivery ever, by outcome (tests aside).",
                s.of::<AllTimeObject>(),
            ),
        ),
        agent_ops(
            get(ap::webhooks::agent_get),
            "/v1/agents/{id}/webhook",
            "getAgentWebhook",
            "An agent's webhook",
            ok(200, "Its own webhook, or `null`.", nullable(hook.clone())),
        )
        .errors(&[(404, "No such agent here.")]),
        agent_ops(
            post(ap::webhooks::agent_set),
            "/v1/agents/{id}/webhook",
            "setAgentWebhook",
            "Set an agent's webhook",
            ok(200, "The webhook, with a new secret.", hook),
        )
        .writing()
        .describe("It replaces the project webhook for this agent's events.")
        .body(json_body(webhooks::agentphone_webhook(), None))
        .errors(&[(404, "No such agent here."), FASTAPI]),
        agent_ops(
            delete(ap::webhooks::agent_delete),
            "/v1/agents/{id}/webhook",
            "deleteAgentWebhook",
            "Delete an agent's webhook",
            ok(
                200,
                "`{\"success\": true}`; its events go to the project webhook again.",
                s.of::<Deleted>(),
            ),
        )
        .writing()
        .errors(&[(404, "No such agent here.")]),
        agent_ops(
            post(ap::webhooks::agent_test),
            "/v1/agents/{id}/webhook/test",
            "testAgentWebhook",
            "Test an agent's webhook",
            ok(200, "The attempt.", s.of::<TestResultObject>()),
        )
        .writing()
        .body(json_body(webhooks::test_sample(), None))
        .errors(&[(404, "No such agent, or it has no webhook."), FASTAPI]),
        agent_ops(
            get(ap::webhooks::agent_deliveries),
            "/v1/agents/{id}/webhook/deliveries",
            "listAgentWebhookDeliveries",
            "An agent's delivery log",
            ok(
                200,
                "A bare array of its webhook's deliveries, newest first.",
                s.of::<Vec<DeliveryObject>>(),
            ),
        )
        .query(deliveries_query())
        .errors(&[
            BAD_QUERY,
            (404, "No such agent here."),
            (422, "A parameter out of range (FastAPI's `detail`)."),
        ]),
    ]
}
