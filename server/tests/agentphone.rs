//! The AgentPhone side: the five usage endpoints and the call lists, against the documented
//! shapes, with the server's clock fixed so that periods are known.

use dialback_server::app::{Clock, Settings};
use serde_json::json;

use crate::harness::{Server, doc, has_shape, same_shape, seed, waits};

/// The server's "now" in these tests: mid-June, far from any period's edge.
const NOW: &str = "2024-06-15T12:00:00Z";

async fn with_activity() -> Server {
    let now = dialback_core::Timestamp::parse(NOW).unwrap();
    let s = Server::start_with(
        Settings {
            clock: Clock::Fixed(now),
            ..Settings::default()
        },
        |r| r,
    )
    .await;
    let support = s
        .agent("Support Agent Alpha", "inbound", &["+14155550100"])
        .await;
    let sales = s
        .agent("Sales Agent Beta", "outbound", &["+14155550110"])
        .await;
    let at = |mins: i64| now.saturating_add_seconds(-mins * 60).to_string();
    for (body, n) in [
        (
            json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100",
                "started_at": at(5), "status": "completed", "duration_seconds": 120}),
            2,
        ),
        (
            json!({"direction": "outbound", "agent_id": sales, "from": "+14155550110",
                "to": "+442079460958", "started_at": at(6), "status": "completed",
                "duration_seconds": 300}),
            1,
        ),
        (
            json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958",
                "started_at": at(7), "status": "no-answer"}),
            3,
        ),
        // last month: all time, not this period
        (
            json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100",
                "started_at": "2024-05-20T10:00:00Z", "status": "completed",
                "duration_seconds": 60}),
            1,
        ),
    ] {
        for _ in 0..n {
            s.call("POST", "/api/v1/calls", Some(body.clone())).await;
        }
    }
    for agent in [Some(support.clone()), None] {
        s.call(
            "POST",
            "/api/v1/messages",
            Some(
                json!({"agent_id": agent, "direction": "inbound", "from": "+442079460958",
                    "to": "+14155550100", "sent_at": at(1)}),
            ),
        )
        .await;
    }
    s.call(
        "POST",
        "/api/v1/phone-numbers",
        Some(json!({"number": "+44 20 7946 0000"})),
    )
    .await;
    s
}

#[tokio::test]
async fn usage_by_agent_has_the_seed_shape() {
    let s = with_activity().await;
    let (status, body) = s
        .call(
            "GET",
            "/v1/usage/by-agent?period=month&tz=America/New_York",
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    same_shape(&body, &seed("agentphone_usage_by_agent_response.json"), "");
    let rows: Vec<(String, i64, i64, i64)> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["agentName"].as_str().unwrap().to_owned(),
                r["messages"].as_i64().unwrap(),
                r["calls"].as_i64().unwrap(),
                r["totalSeconds"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Sales Agent Beta".to_owned(), 0, 1, 300),
            ("Support Agent Alpha".to_owned(), 1, 2, 240),
            ("Unassigned".to_owned(), 1, 0, 0)
        ]
    );
    assert_eq!(
        (
            body["data"][2]["agentId"].clone(),
            body["data"][2]["isOrphan"].clone()
        ),
        (json!(null), json!(true))
    );
    assert_eq!(
        (body["periodStart"].as_str(), body["periodEnd"].as_str()),
        (Some("2024-06-01T04:00:00Z"), Some("2024-07-01T03:59:59Z"))
    );
    // the official SDK asks without a period: this month
    let (status, body) = s.call("GET", "/v1/usage/by-agent", None).await;
    assert_eq!((status, body["period"].as_str()), (200, Some("month")));
    for period in ["week", "year"] {
        let (status, body) = s
            .call("GET", &format!("/v1/usage/by-agent?period={period}"), None)
            .await;
        assert_eq!((status, body["period"].as_str()), (200, Some(period)));
    }
}

#[tokio::test]
async fn the_usage_summary_has_the_documented_plan_numbers_and_counters() {
    let s = with_activity().await;
    let (status, body) = s.call("GET", "/v1/usage", None).await;
    assert_eq!(status, 200, "{body}");
    for example in [
        "agentphone_usage_reference.json",
        "agentphone_usage_guide.json",
    ] {
        same_shape(
            &json!({"plan": body["plan"], "numbers": body["numbers"], "stats": body["stats"],
                "periodStart": body["periodStart"], "periodEnd": body["periodEnd"]}),
            &doc(example),
            "",
        );
    }
    assert_eq!(
        body["numbers"],
        json!({"used": 3, "limit": 100, "remaining": 97})
    );
    let stats = &body["stats"];
    assert_eq!(
        (
            stats["totalCalls"].as_u64(),
            stats["callsLast24h"].as_u64(),
            stats["callsLast30d"].as_u64()
        ),
        (Some(4), Some(3), Some(4))
    );
    assert_eq!(
        (
            stats["totalMessages"].as_u64(),
            stats["messagesLast7d"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(stats["totalWebhookDeliveries"], 0);
    assert_eq!(
        (body["periodStart"].as_str(), body["periodEnd"].as_str()),
        (Some("2024-06-01T00:00:00Z"), Some("2024-06-30T23:59:59Z"))
    );
    assert_eq!(
        body["periodUsage"],
        json!({"messages": 2, "calls": 3, "totalSeconds": 540})
    );
    assert_eq!(body["reportGeneratedAt"], NOW);

    // the plan is the environment's, set from the CLI (here through the store), and read
    // from storage: a running server reports a change at once
    let env = waits(|| s.app.env_named("test").unwrap().unwrap());
    let plan = dialback_core::Plan {
        name: "pro".into(),
        numbers: 2,
        ..dialback_core::Plan::default()
    };
    waits(|| s.app.store.tokens().set_plan(env.id, &plan).unwrap());
    let (_, body) = s.call("GET", "/v1/usage", None).await;
    assert_eq!(
        (body["plan"]["name"].as_str(), body["numbers"].clone()),
        (Some("pro"), json!({"used": 3, "limit": 2, "remaining": 0}))
    );
}

#[tokio::test]
async fn daily_monthly_and_by_number_carry_the_documented_keys() {
    let s = with_activity().await;
    let (status, daily) = s
        .call("GET", "/v1/usage/daily?days=7&tz=Asia/Kathmandu", None)
        .await;
    assert_eq!(status, 200);
    same_shape(
        &json!({"data": [daily["data"][0].clone()], "days": daily["days"]}),
        &json!({"data": [{"date": "", "messages": 0, "calls": 0, "webhooks": 0, "voiceMinutes": 0,
            "totalSeconds": 0}], "days": 1}),
        "",
    );
    has_shape(&daily, &doc("agentphone_usage_daily_guide.json"), "");
    assert_eq!(
        (daily["days"].as_u64(), daily["tz"].as_str()),
        (Some(7), Some("Asia/Kathmandu"))
    );
    let days = daily["data"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(
        days.iter()
            .map(|d| d["calls"].as_i64().unwrap())
            .sum::<i64>(),
        3
    );
    assert_eq!(days[6]["date"], "2024-06-15");
    // the vendor's MCP server reads voiceMinutes: each day's call seconds in whole minutes,
    // rounded up
    for d in days {
        let seconds = d["totalSeconds"].as_u64().unwrap();
        assert_eq!(
            d["voiceMinutes"].as_u64(),
            Some(seconds.div_ceil(60)),
            "{d}"
        );
    }
    assert!(days.iter().any(|d| d["voiceMinutes"].as_u64() > Some(0)));

    let (_, monthly) = s.call("GET", "/v1/usage/monthly", None).await;
    has_shape(
        &monthly,
        &doc("agentphone_usage_monthly_reference.json"),
        "",
    );
    assert_eq!(
        (
            monthly["months"].as_u64(),
            monthly["data"].as_array().unwrap().len()
        ),
        (Some(6), 6)
    );
    assert_eq!(
        (
            monthly["data"][5]["month"].as_str(),
            monthly["data"][5]["messages"].as_u64(),
            monthly["data"][4]["calls"].as_u64()
        ),
        (Some("2024-06"), Some(2), Some(1))
    );
    for m in monthly["data"].as_array().unwrap() {
        let seconds = m["totalSeconds"].as_u64().unwrap();
        assert_eq!(
            m["voiceMinutes"].as_u64(),
            Some(seconds.div_ceil(60)),
            "{m}"
        );
    }

    let (_, by_number) = s.call("GET", "/v1/usage/by-number", None).await;
    has_shape(&by_number, &doc("agentphone_usage_by_number.json"), "");
    let rows = by_number["data"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let row = |n: &str| rows.iter().find(|r| r["phoneNumber"] == n).unwrap();
    assert_eq!(
        (
            row("+14155550100")["calls"].as_i64(),
            row("+14155550100")["messages"].as_i64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(
        (
            row("+14155550100")["country"].as_str(),
            row("+14155550100")["status"].as_str()
        ),
        (Some("US"), Some("active"))
    );
    assert_eq!(row("+14155550100")["agentName"], "Support Agent Alpha");
    assert_eq!(row("+14155550110")["calls"], 1);
    assert_eq!(
        (
            row("+442079460000")["country"].as_str(),
            row("+442079460000")["agentId"].clone()
        ),
        (Some("GB"), json!(null))
    );
}

#[tokio::test]
async fn call_lists_answer_agentphones_call_object() {
    let s = with_activity().await;
    let (status, list) = s.call("GET", "/v1/calls?limit=2&offset=1", None).await;
    assert_eq!(status, 200, "{list}");
    has_shape(&list, &doc("agentphone_list_agent_calls.json"), "");
    assert_eq!(
        (
            list["total"].as_u64(),
            list["hasMore"].as_bool(),
            list["data"].as_array().unwrap().len()
        ),
        (Some(7), Some(true), 2)
    );
    let (_, inbound) = s
        .call("GET", "/v1/calls?direction=inbound&status=completed", None)
        .await;
    assert_eq!(inbound["total"], 3);
    let first = &inbound["data"][0];
    assert_eq!(
        (first["phoneNumber"].as_str(), first["agentName"].as_str()),
        (Some("+14155550100"), Some("Support Agent Alpha"))
    );
    let number = first["phoneNumberId"].as_str().unwrap().to_owned();
    let (_, of_number) = s
        .call("GET", &format!("/v1/numbers/{number}/calls"), None)
        .await;
    assert_eq!(of_number["total"], 3);
    let agent = first["agentId"].as_str().unwrap().to_owned();
    let (_, of_agent) = s
        .call("GET", &format!("/v1/agents/{agent}/calls?limit=1"), None)
        .await;
    assert_eq!(
        (of_agent["total"].as_u64(), of_agent["hasMore"].as_bool()),
        (Some(3), Some(true))
    );
    let id = first["id"].as_str().unwrap().to_owned();
    let (status, one) = s.call("GET", &format!("/v1/calls/{id}"), None).await;
    assert_eq!(
        (
            status,
            one["transcripts"].clone(),
            one["recordingAvailable"].clone()
        ),
        (200, json!([]), json!(false))
    );
    let (_, searched) = s.call("GET", "/v1/calls?search=7946", None).await;
    assert_eq!(searched["total"], 7);
    for path in [
        "/v1/calls/nope",
        "/v1/agents/agent_1/calls",
        "/v1/numbers/num_1/calls",
    ] {
        let (status, body) = s.call("GET", path, None).await;
        assert_eq!((status, body["detail"].is_string()), (404, true), "{path}");
    }
    let (status, body) = s
        .call(
            "POST",
            "/v1/calls",
            Some(json!({"agentId": agent, "toNumber": "+14155550100"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (501, Some("NOT_SUPPORTED"))
    );
    let (status, _) = s
        .call("GET", &format!("/v1/calls/{id}/transcript"), None)
        .await;
    assert_eq!(status, 501);
}

#[tokio::test]
async fn errors_speak_agentphones_dialects() {
    let s = Server::start().await;
    let (status, body) = s
        .call(
            "GET",
            "/v1/usage/by-agent?period=quarter&tz=Mars/Base",
            None,
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        (
            body["detail"][0]["loc"].clone(),
            body["detail"][0]["type"].as_str()
        ),
        (json!(["query", "period"]), Some("enum"))
    );
    assert_eq!(
        (
            body["detail"][1]["loc"].clone(),
            body["detail"][1]["type"].as_str()
        ),
        (json!(["query", "tz"]), Some("value_error"))
    );
    has_shape(&body, &doc("agentphone_validation_error.json"), "");
    for (q, kind) in [
        ("days=0", "greater_than_equal"),
        ("days=366", "less_than_equal"),
        ("days=x", "int_parsing"),
    ] {
        let (status, body) = s.call("GET", &format!("/v1/usage/daily?{q}"), None).await;
        assert_eq!(
            (status, body["detail"][0]["type"].as_str()),
            (422, Some(kind)),
            "{q}"
        );
    }
    let (status, _) = s.call("GET", "/v1/usage/monthly?months=25", None).await;
    assert_eq!(status, 422);
    let (status, body) = s
        .call_as("talq_nope", "GET", "/v1/usage/by-agent?period=week", None)
        .await;
    assert_eq!(
        (
            status,
            body["detail"].is_string(),
            body["error"]["type"].as_str()
        ),
        (401, true, Some("authentication_error"))
    );
    let (status, body) = s.call("GET", "/v1/nothing-here", None).await;
    assert_eq!((status, body["detail"].as_str()), (404, Some("Not Found")));
}

/// Every path the official SDK calls that Dialback does not serve answers 501
/// `NOT_SUPPORTED` in AgentPhone's dialect with a sentence saying why: never a bare 404.
#[tokio::test]
async fn documented_paths_not_served_say_why() {
    let s = Server::start().await;
    for (method, path, says) in [
        ("DELETE", "/v1/agents/agt_1", "keeps every agent"),
        ("POST", "/v1/numbers", "carrier"),
        ("DELETE", "/v1/numbers/num_1", "carrier"),
        ("GET", "/v1/agents/voices", "no voices"),
        ("GET", "/v1/numbers/available", "carrier"),
        ("GET", "/v1/location/+14155550100", "carrier"),
        ("POST", "/v1/sip-trunks", "carrier"),
        ("POST", "/v1/messages", "POST /api/v1/messages"),
        ("GET", "/v1/numbers/num_1/messages", "conversations"),
        ("GET", "/v1/conversations/c_1/messages", "conversations"),
        ("GET", "/v1/contacts", "contacts"),
        ("GET", "/v1/sub-accounts", "dialback env"),
        ("POST", "/v1/feedback", "dialback env"),
    ] {
        let (status, body) = s.call(method, path, None).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (501, Some("NOT_SUPPORTED")),
            "{method} {path}: {body}"
        );
        let message = body["detail"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{method} {path}: {message}");
    }
    // what is served is still served, and what is not documented is still a 404
    let (status, _) = s.call("GET", "/v1/agents/agt_1/calls", None).await;
    assert_ne!(status, 501);
    let (status, _) = s.call("GET", "/v1/agents/agt_1/nothing", None).await;
    assert_eq!(status, 404);
}

/// AgentPhone's agents and numbers are Dialback's own, in the official SDK's shapes (its
/// `Agent`, `AgentNumber`, `PhoneNumber` and their lists), paged by `limit` and `offset`;
/// an agent renamed through Talkover's API reads renamed through AgentPhone's at once.
#[tokio::test]
async fn agents_and_numbers_are_the_environments_own_in_agentphones_shapes() {
    let s = with_activity().await;
    let (status, agents) = s.call("GET", "/v1/agents", None).await;
    assert_eq!(status, 200, "{agents}");
    assert_eq!(
        (agents["total"].as_u64(), agents["hasMore"].as_bool()),
        (Some(2), Some(false))
    );
    let first = &agents["data"][0];
    same_shape(
        first,
        &json!({"id": "", "name": "", "description": null, "createdAt": "", "language": "",
                "numbers": [{"id": "", "phoneNumber": "", "status": "", "type": ""}],
                    "direction": ""}),
        "",
    );
    assert_eq!(
        (
            first["name"].as_str(),
            first["numbers"][0]["phoneNumber"].as_str(),
            first["direction"].as_str()
        ),
        (
            Some("Support Agent Alpha"),
            Some("+14155550100"),
            Some("inbound")
        )
    );
    let id = first["id"].as_str().unwrap().to_owned();
    let (_, page) = s.call("GET", "/v1/agents?limit=1&offset=1", None).await;
    assert_eq!(
        (
            page["data"].as_array().map(Vec::len),
            page["data"][0]["name"].as_str(),
            page["hasMore"].as_bool(),
            page["total"].as_u64()
        ),
        (Some(1), Some("Sales Agent Beta"), Some(false), Some(2))
    );
    let (_, page) = s.call("GET", "/v1/agents?limit=1", None).await;
    assert_eq!(page["hasMore"].as_bool(), Some(true));

    // one agent through both APIs
    let (status, _) = s
        .call(
            "PATCH",
            &format!("/api/v1/agents/{id}"),
            Some(json!({"name": "Support Renamed"})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, one) = s.call("GET", &format!("/v1/agents/{id}"), None).await;
    assert_eq!(
        (status, one["name"].as_str()),
        (200, Some("Support Renamed"))
    );
    let (status, body) = s.call("GET", "/v1/agents/agt_unknown", None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("NOT_FOUND"))
    );

    let (status, numbers) = s.call("GET", "/v1/numbers", None).await;
    assert_eq!(status, 200, "{numbers}");
    let all = numbers["data"].as_array().unwrap();
    assert_eq!(numbers["total"].as_u64(), Some(all.len() as u64));
    let n = all
        .iter()
        .find(|n| n["phoneNumber"] == "+14155550100")
        .unwrap();
    same_shape(
        n,
        &json!({"id": "", "phoneNumber": "", "country": "", "status": "", "agentId": "",
            "createdAt": "", "type": ""}),
        "",
    );
    assert_eq!(
        (
            n["phoneNumber"].as_str(),
            n["country"].as_str(),
            n["agentId"].as_str()
        ),
        (Some("+14155550100"), Some("US"), Some(id.as_str()))
    );
    let number_id = n["id"].as_str().unwrap();
    let (status, one) = s
        .call("GET", &format!("/v1/numbers/{number_id}"), None)
        .await;
    assert_eq!((status, one), (200, n.clone()));
    let (status, _) = s.call("GET", "/v1/numbers/num_unknown", None).await;
    assert_eq!(status, 404);
    let (status, body) = s.call("GET", "/v1/numbers?limit=0", None).await;
    assert_eq!(
        (status, body["detail"][0]["loc"].clone()),
        (422, json!(["query", "limit"]))
    );
}

/// One agent, whichever API changes it: made and changed through AgentPhone's `/v1/agents`,
/// its numbers attached and detached there, and each change visible through Talkover's
/// `/api/v1/agents` at once (and the other way round).
#[tokio::test]
async fn an_agent_made_and_changed_through_agentphone_is_the_talkover_agent() {
    let s = Server::start().await;
    let (status, made) = s
        .call(
            "POST",
            "/v1/agents",
            Some(json!({"name": "Front desk", "beginMessage": "Hello, how \
            can I help?", "voiceMode": "hosted"})),
        )
        .await;
    assert_eq!(status, 200, "{made}");
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(made["direction"], "inbound");
    let (_, talkover) = s.call("GET", &format!("/api/v1/agents/{id}"), None).await;
    assert_eq!(talkover["data"]["name"], "Front desk");
    assert_eq!(
        talkover["data"]["initial_message"],
        "Hello, how can I help?"
    );
    assert_eq!(talkover["data"]["current_status"], "published");

    let (status, changed) = s
        .call(
            "PATCH",
            &format!("/v1/agents/{id}"),
            Some(json!({"name": "Front desk (main)", "description": "Takes callbacks"})),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    let (_, talkover) = s.call("GET", &format!("/api/v1/agents/{id}"), None).await;
    assert_eq!(talkover["data"]["name"], "Front desk (main)");
    assert_eq!(talkover["data"]["description"], "Takes callbacks");
    // and a Talkover change shows through AgentPhone
    s.call(
        "PATCH",
        &format!("/api/v1/agents/{id}"),
        Some(json!({"name": "Desk"})),
    )
    .await;
    let (_, agentphone) = s.call("GET", &format!("/v1/agents/{id}"), None).await;
    assert_eq!(agentphone["name"], "Desk");

    let (_, number) = s
        .call(
            "POST",
            "/api/v1/phone-numbers",
            Some(json!({"number": "+14155550123"})),
        )
        .await;
    let number_id = number["data"]["id"].as_str().unwrap().to_owned();
    let (status, attached) = s
        .call(
            "POST",
            &format!("/v1/agents/{id}/numbers"),
            Some(json!({"numberId": number_id})),
        )
        .await;
    assert_eq!(status, 200, "{attached}");
    assert_eq!(attached["numbers"][0]["phoneNumber"], "+14155550123");
    let (_, owned) = s
        .call("GET", &format!("/v1/numbers/{number_id}"), None)
        .await;
    assert_eq!(owned["agentId"], id.as_str());
    let (status, detached) = s
        .call(
            "DELETE",
            &format!("/v1/agents/{id}/numbers/{number_id}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{detached}");
    assert_eq!(detached["numbers"], json!([]));
    let (status, _) = s
        .call(
            "DELETE",
            &format!("/v1/agents/{id}/numbers/{number_id}"),
            None,
        )
        .await;
    assert_eq!(status, 404);

    // problems in AgentPhone's dialect, with its key names
    let (status, refused) = s
        .call("POST", "/v1/agents", Some(json!({"beginMessage": 7})))
        .await;
    assert_eq!(status, 422, "{refused}");
    let locs: Vec<String> = refused["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["loc"][1].as_str().unwrap().to_owned())
        .collect();
    assert!(
        locs.contains(&"name".to_owned()) && locs.contains(&"beginMessage".to_owned()),
        "{refused}"
    );
    let (status, unknown) = s
        .call(
            "POST",
            &format!("/v1/agents/{id}/numbers"),
            Some(json!({"numberId": "num_nothing"})),
        )
        .await;
    assert_eq!(
        (status, &unknown["detail"][0]["loc"][1]),
        (422, &json!("numberId")),
        "{unknown}"
    );
    let (status, gone) = s.call("DELETE", &format!("/v1/agents/{id}"), None).await;
    assert_eq!(status, 501, "{gone}");
}
