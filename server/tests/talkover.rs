//! The Talkover side: agents, the callback role, calls, messages, routing, stats.

use serde_json::json;

use crate::harness::{Server, codes, same_shape, seed};

#[tokio::test]
async fn agents_crud_paging_and_numbers() {
    let s = Server::start().await;
    let (status, body) = s.call("POST", "/api/v1/agents", Some(json!({"name": "Support", "direction": "inbound", "phone_numbers": ["+1 (415) 555-0100"]}))).await;
    assert_eq!(status, 201);
    assert_eq!(body["data"]["phone_numbers"], json!(["+14155550100"]));
    assert_eq!(body["data"]["callback_config"], json!(null));
    let id = body["data"]["id"].as_str().unwrap().to_owned();

    // the same number in another format belongs to the first agent already
    let (status, body) = s.call("POST", "/api/v1/agents", Some(json!({"name": "Other", "direction": "inbound", "phone_numbers": ["+1.415.555.0100"]}))).await;
    assert_eq!(
        (status, codes(&body)),
        (409, vec!["NUMBER_ALREADY_ASSIGNED".to_owned()])
    );

    let (status, body) = s
        .call(
            "POST",
            "/api/v1/agents",
            Some(json!({"name": "", "direction": "up", "phone_numbers": ["12"]})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        codes(&body),
        ["INVALID_NAME", "INVALID_DIRECTION", "INVALID_PHONE_NUMBER"]
    );
    assert_eq!(body["code"], "INVALID_NAME");

    for i in 0..25 {
        s.agent(&format!("Campaign {i:02}"), "outbound", &[]).await;
    }
    let (_, page) = s
        .call(
            "GET",
            "/api/v1/agents?direction=outbound&per_page=10&page=3",
            None,
        )
        .await;
    assert_eq!(
        page["meta"],
        json!({"current_page": 3, "per_page": 10, "total": 25, "last_page": 3})
    );
    assert_eq!(page["data"].as_array().unwrap().len(), 5);
    let (_, found) = s
        .call("GET", "/api/v1/agents?search=campaign%2007", None)
        .await;
    assert_eq!(found["meta"]["total"], 1);
    let (status, _) = s.call("GET", "/api/v1/agents?per_page=101", None).await;
    assert_eq!(status, 422);

    let (status, body) = s
        .call(
            "PATCH",
            &format!("/api/v1/agents/{id}"),
            Some(
                json!({"name": "Support Line", "phone_numbers": ["+14155550100", "+14155550101"]}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["name"], "Support Line");
    let (_, body) = s.call("GET", &format!("/api/v1/agents/{id}"), None).await;
    assert_eq!(
        body["data"]["phone_numbers"],
        json!(["+14155550100", "+14155550101"])
    );
    let (status, body) = s
        .call(
            "PATCH",
            &format!("/api/v1/agents/{id}"),
            Some(json!({"direction": "outbound"})),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["FIELD_NOT_EDITABLE".to_owned()])
    );
    let (status, body) = s
        .call(
            "GET",
            "/api/v1/agents/00000000-0000-0000-0000-000000000000",
            None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("AGENT_NOT_FOUND"))
    );
}

#[tokio::test]
async fn set_callback_reproduces_the_seed() {
    let s = Server::start().await;
    let handler = s
        .agent("Callback Handler", "inbound", &["+14155550100"])
        .await;
    let sales = s.agent("Sales Outbound", "outbound", &[]).await;
    let survey = s.agent("Survey Outbound", "outbound", &[]).await;
    let (status, body) = s
        .call(
            "POST",
            &format!("/api/v1/agents/{handler}/callback"),
            Some(json!({"source_agent_ids": [sales, survey]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    same_shape(&body, &seed("talkover_set_callback_response.json"), "");
    assert_eq!(body["data"]["name"], "Callback Handler");
    assert_eq!(body["data"]["direction"], "inbound");
    assert_eq!(
        body["data"]["callback_config"]["source_agent_ids"],
        json!([sales, survey])
    );

    // wrong direction: the seed's body, plus `errors`
    let (status, body) = s
        .call(
            "POST",
            &format!("/api/v1/agents/{sales}/callback"),
            Some(json!({"source_agent_ids": [survey]})),
        )
        .await;
    assert_eq!(status, 422);
    let mut expected = seed("talkover_set_callback_422.json");
    expected["errors"] = body["errors"].clone();
    assert_eq!(body, expected);

    let (status, body) = s
        .call(
            "POST",
            "/api/v1/agents/agent-uuid-1/callback",
            Some(json!({"source_agent_ids": [sales]})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("AGENT_NOT_FOUND"))
    );
    let (status, body) = s
        .call(
            "POST",
            &format!("/api/v1/agents/{handler}/callback"),
            Some(json!({"source_agent_ids": [sales, "nope", handler, sales], "lookback_days": 0})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        codes(&body),
        [
            "INVALID_SOURCE_AGENT_ID",
            "INVALID_SOURCE_AGENT_DIRECTION",
            "DUPLICATE_SOURCE_AGENT_ID",
            "INVALID_LOOKBACK_DAYS"
        ]
    );
    assert_eq!(body["errors"][0]["index"], 1);

    // PUT replaces; an empty list is refused and leaves the stored config alone
    let (status, body) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{handler}/callback"),
            Some(json!({"source_agent_ids": [survey], "callback_trigger_statuses": ["no_answer"]})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["callback_config"],
        json!({"source_agent_ids": [survey], "callback_trigger_statuses": ["no-answer"]})
    );
    let (status, body) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{handler}/callback"),
            Some(json!({"source_agent_ids": []})),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["SOURCE_AGENT_IDS_REQUIRED".to_owned()])
    );

    let (_, list) = s.call("GET", "/api/v1/callback-agents", None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        list["data"][0]["callback_config"]["source_agent_ids"],
        json!([survey])
    );
    let (status, detail) = s
        .call("GET", &format!("/api/v1/callback-agents/{handler}"), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        detail["data"]["source_agents"],
        json!([{"id": survey, "name": "Survey Outbound"}])
    );
    assert_eq!(
        detail["data"]["stats"],
        json!({"total_callbacks_received": 0, "callbacks_answered": 0})
    );

    // check-constraints: valid, invalid (200 with errors), unknown agent (404); nothing saved
    let (status, body) = s.call("POST", &format!("/api/v1/callback-agents/{handler}/check-constraints"), Some(json!({"source_agent_ids": [sales, survey], "callback_trigger_statuses": ["no_answer", "voicemail", "busy"]}))).await;
    assert_eq!((status, body["data"]["valid"].as_bool()), (200, Some(true)));
    let (_, body) = s
        .call(
            "POST",
            &format!("/api/v1/callback-agents/{handler}/check-constraints"),
            Some(json!({"source_agent_ids": [handler]})),
        )
        .await;
    assert_eq!(body["data"]["valid"], false);
    assert_eq!(
        body["data"]["errors"][0]["code"],
        "INVALID_SOURCE_AGENT_DIRECTION"
    );
    let (status, _) = s
        .call(
            "POST",
            "/api/v1/callback-agents/00000000-0000-0000-0000-000000000001/check-constraints",
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 404);
    let (_, detail) = s
        .call("GET", &format!("/api/v1/callback-agents/{handler}"), None)
        .await;
    assert_eq!(detail["data"]["source_agents"].as_array().unwrap().len(), 1);

    let (status, body) = s
        .call(
            "DELETE",
            &format!("/api/v1/agents/{handler}/callback"),
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"success": true, "message": "Callback role removed"})
        )
    );
    let (_, list) = s.call("GET", "/api/v1/callback-agents", None).await;
    assert_eq!(list["data"], json!([]));
    let (status, _) = s
        .call("GET", &format!("/api/v1/callback-agents/{handler}"), None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn calls_are_routed_once_and_counted_once() {
    let s = Server::start().await;
    let handler = s
        .agent("Callback Handler", "inbound", &["+14155550100"])
        .await;
    let sales = s
        .agent("Sales Outbound", "outbound", &["+14155550110"])
        .await;
    let other = s.agent("Other Outbound", "outbound", &[]).await;
    s.call(
        "POST",
        &format!("/api/v1/agents/{handler}/callback"),
        Some(json!({"source_agent_ids": [sales]})),
    )
    .await;

    let out = json!({"direction": "outbound", "agent_id": sales, "to": "+44 20 7946 0958", "from": "+14155550110", "started_at": "2024-01-02T10:00:00Z", "status": "no_answer"});
    let (status, body) = s.call("POST", "/api/v1/calls", Some(out)).await;
    assert_eq!(status, 201, "{body}");
    let outbound_id = body["data"]["id"].clone();
    s.call("POST", "/api/v1/calls", Some(json!({"direction": "outbound", "agent_id": other, "to": "+442079460958", "started_at": "2024-01-03T10:00:00Z", "status": "busy"}))).await;

    let inbound = json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100", "started_at": "2024-01-04T10:00:00Z", "status": "completed", "duration_seconds": 95, "external_id": "webhook-1"});
    let (status, body) = s.call("POST", "/api/v1/calls", Some(inbound.clone())).await;
    assert_eq!(status, 201);
    let routing = &body["data"]["routing"];
    assert_eq!(routing["outcome"], "matched");
    assert_eq!(routing["reason_code"], "MATCHED");
    assert_eq!(routing["last_call"]["outbound_call_id"], outbound_id);
    assert_eq!(
        routing["explanation"],
        "matched: Sales Outbound called this contact 2 days ago (within the 30-day window)"
    );

    // the webhook retries: same call back, nothing counted twice
    let (status, again) = s.call("POST", "/api/v1/calls", Some(inbound)).await;
    assert_eq!(status, 200);
    assert_eq!(again["data"]["id"], body["data"]["id"]);

    // a source removed later does not change the stored decision
    s.call(
        "DELETE",
        &format!("/api/v1/agents/{handler}/callback"),
        None,
    )
    .await;
    let (_, stats) = s
        .call(
            "GET",
            "/api/v1/callback-agents/stats?start_date=2024-01-01&end_date=2024-01-31",
            None,
        )
        .await;
    assert_eq!(stats["data"]["total_callbacks_received"], 1);
    assert_eq!(stats["data"]["callbacks_answered"], 1);
    assert_eq!(
        stats["data"]["callbacks_by_source_agent"],
        json!([{"source_agent_id": sales, "name": "Sales Outbound", "count": 1}])
    );
    same_shape(&stats, &seed("talkover_callback_stats_response.json"), "");

    // and now the number is an ordinary line
    let (_, body) = s.call("POST", "/api/v1/calls", Some(json!({"direction": "inbound", "from": "anonymous", "to": "+14155550100", "started_at": "2024-01-05T10:00:00Z", "status": "no-answer"}))).await;
    assert_eq!(body["data"]["routing"]["reason_code"], "NOT_CALLBACK_AGENT");

    // bad calls
    let (status, body) = s.call("POST", "/api/v1/calls", Some(json!({"direction": "outbound", "agent_id": handler, "to": "+14155550100", "started_at": "2024-01-05T10:00:00Z", "status": "completed"}))).await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["INVALID_AGENT_DIRECTION".to_owned()])
    );
    let (status, body) = s.call("POST", "/api/v1/calls", Some(json!({"direction": "outbound", "agent_id": "00000000-0000-0000-0000-0000000000aa", "to": "+14155550100", "started_at": "2024-01-05T10:00:00Z", "status": "completed"}))).await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["AGENT_NOT_FOUND".to_owned()])
    );
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/calls",
            Some(json!({"direction": "sideways"})),
        )
        .await;
    assert_eq!(status, 422);
    assert!(codes(&body).contains(&"INVALID_DIRECTION".to_owned()));
}

#[tokio::test]
async fn call_listing_is_newest_first_with_a_cursor() {
    let s = Server::start().await;
    let sales = s.agent("Sales", "outbound", &[]).await;
    for i in 0..25 {
        let at = format!("2024-01-{:02}T10:00:00Z", 1 + i % 5); // many calls share a start
        s.call("POST", "/api/v1/calls", Some(json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958", "started_at": at, "status": "completed"}))).await;
    }
    let mut seen = vec![];
    let mut cursor = String::new();
    loop {
        let (status, page) = s
            .call(
                "GET",
                &format!("/api/v1/calls?per_page=7&cursor={cursor}"),
                None,
            )
            .await;
        assert_eq!(status, 200);
        for c in page["data"].as_array().unwrap() {
            seen.push((
                c["started_at"].as_str().unwrap().to_owned(),
                c["id"].as_u64().unwrap(),
            ));
        }
        match page["meta"]["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted);
    let (status, body) = s.call("GET", "/api/v1/calls?cursor=garbage", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("INVALID_CURSOR"))
    );
}

#[tokio::test]
async fn messages_simulation_and_stats_errors() {
    let s = Server::start().await;
    let (_handler, sales) = s.callback_setup("Sales", Some(7)).await;
    s.call("POST", "/api/v1/calls", Some(json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958", "started_at": "2024-01-01T10:00:00Z", "status": "voicemail"}))).await;

    let (status, body) = s.call("POST", "/api/v1/messages", Some(json!({"agent_id": null, "direction": "inbound", "from": "+442079460958", "to": "+14155550100", "sent_at": "2024-01-02T00:00:00Z"}))).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["data"]["agent_id"], json!(null));

    let (status, body) = s.call("POST", "/api/v1/routing/simulate", Some(json!({"from": "+442079460958", "to": "+14155550100", "at": "2024-01-20T10:00:00Z"}))).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["reason_code"], "OUTSIDE_LOOKBACK");
    assert_eq!(
        body["data"]["explanation"],
        "unmatched: the last call from Sales to this contact was 19 days ago, outside the 7-day window"
    );
    let (_, stats) = s
        .call(
            "GET",
            "/api/v1/callback-agents/stats?start_date=2024-01-01&end_date=2024-01-31",
            None,
        )
        .await;
    assert_eq!(
        stats["data"]["total_callbacks_received"], 0,
        "simulation stores nothing"
    );

    let (status, body) = s
        .call(
            "GET",
            "/api/v1/callback-agents/stats?start_date=2024-13-01&end_date=x&tz=Nowhere",
            None,
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        codes(&body),
        ["INVALID_TIMEZONE", "INVALID_DATE", "INVALID_DATE"]
    );
    let (status, body) = s
        .call(
            "GET",
            "/api/v1/callback-agents/stats?start_date=2024-02-01&end_date=2024-01-01",
            None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("INVALID_DATE_RANGE"))
    );
    let (status, body) = s.call("GET", "/api/v1/callback-agents/stats", None).await;
    assert_eq!(status, 200);
    assert!(body["data"]["period"]["start"].as_str().unwrap().len() == 10);
}

#[tokio::test]
async fn import_reports_bad_lines_and_stores_only_good_ones() {
    let s = Server::start().await;
    let (handler, sales) = s.callback_setup("Sales", None).await;
    let lines = [
        json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958", "started_at": "2024-01-01T10:00:00Z", "status": "no-answer", "external_id": "o1"}).to_string(),
        "{not json".to_owned(),
        json!({"direction": "outbound", "agent_id": sales, "to": "nope", "started_at": "2024-01-01T11:00:00Z", "status": "busy"}).to_string(),
        String::new(),
        json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100", "started_at": "2024-01-02T10:00:00Z", "status": "answered", "external_id": "i1"}).to_string(),
        json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100", "started_at": "2024-01-02T10:00:00Z", "status": "answered", "external_id": "i1"}).to_string(),
        json!({"direction": "outbound", "agent_id": handler, "to": "+442079460958", "started_at": "2024-01-03T10:00:00Z", "status": "busy"}).to_string(),
    ];
    let res = s.import(&lines).await;
    assert_eq!(res.status().as_u16(), 200);
    let report: serde_json::Value = res.json().await.unwrap();
    let d = &report["data"];
    assert_eq!(
        (
            d["lines"].as_u64(),
            d["created"].as_u64(),
            d["existing"].as_u64(),
            d["rejected"].as_u64()
        ),
        (Some(6), Some(2), Some(1), Some(3))
    );
    let rejected: Vec<(u64, &str)> = d["rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["errors"][0]["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        [
            (2, "INVALID_JSON"),
            (3, "INVALID_PHONE_NUMBER"),
            (6, "INVALID_AGENT_DIRECTION")
        ]
    );
    let (_, page) = s.call("GET", "/api/v1/calls", None).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    assert_eq!(page["data"][0]["routing"]["outcome"], "matched");

    let res = s
        .http
        .post(format!("{}/api/v1/calls/import", s.base))
        .bearer_auth(&s.token)
        .header("content-type", "text/csv")
        .body("a,b")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 415);
}

#[tokio::test]
async fn environments_cannot_see_each_other() {
    let s = Server::start().await;
    let mine = s.agent("Mine", "inbound", &["+14155550100"]).await;
    let other = s.second_environment();
    let (status, body) = s
        .call_as(&other, "GET", &format!("/api/v1/agents/{mine}"), None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("AGENT_NOT_FOUND"))
    );
    let (_, list) = s.call_as(&other, "GET", "/api/v1/agents", None).await;
    assert_eq!(list["meta"]["total"], 0);
    let (status, _) = s
        .call_as(
            &other,
            "POST",
            &format!("/api/v1/agents/{mine}/callback"),
            Some(json!({"source_agent_ids": [mine]})),
        )
        .await;
    assert_eq!(status, 404);
    // the same number is free in the other environment
    let (status, _) = s.call_as(&other, "POST", "/api/v1/agents", Some(json!({"name": "Theirs", "direction": "inbound", "phone_numbers": ["+14155550100"]}))).await;
    assert_eq!(status, 201);
    let (status, body) = s.call_as("talq_wrong", "GET", "/api/v1/agents", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("UNAUTHENTICATED"))
    );
}

#[tokio::test]
async fn export_streams_every_call_and_reads_back_to_the_same_stats() {
    let s = Server::start().await;
    let (_, sales) = s.callback_setup("Sales", Some(10)).await;
    s.agent("Support", "inbound", &["+14155550200"]).await;
    // more than one export page (5,000 calls), with callbacks matched and not
    let mut lines = Vec::new();
    for i in 0..6_200u32 {
        let contact = format!("+4420794{:05}", i % 900);
        let at = |h: u32| format!("2024-03-{:02}T{:02}:{:02}:00Z", 1 + i % 28, h, i % 60);
        lines.push(match i % 4 {
            0 | 1 => json!({"direction": "outbound", "agent_id": sales, "to": contact, "started_at": at(8), "status": "no-answer"}),
            2 => json!({"direction": "inbound", "from": contact, "to": "+14155550100", "started_at": at(12), "status": "completed", "duration_seconds": 60}),
            _ => json!({"direction": "inbound", "from": contact, "to": "+14155550200", "started_at": at(13), "status": "completed", "duration_seconds": 30}),
        }.to_string());
    }
    let res = s.import(&lines).await;
    assert_eq!(res.status().as_u16(), 200);

    let res = s
        .http
        .get(format!("{}/api/v1/calls/export", s.base))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/x-ndjson"
    );
    let body = res.bytes().await.unwrap();
    let exported: Vec<serde_json::Value> = body
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(exported.len(), 6_200);
    // the same calls as the paged listing, in the same (newest first) order
    let listed = s.all_calls().await;
    assert_eq!(exported, listed);

    // what a client computes from the export equals what the server answers
    let feed = dialback_core::wire::feed::CallFeed::from_ndjson(&body).unwrap();
    let (status, agents) = s.call("GET", "/api/v1/agents?per_page=100", None).await;
    assert_eq!(status, 200);
    let agents: Vec<dialback_core::wire::talkover::AgentBody> =
        serde_json::from_value(agents["data"].clone()).unwrap();
    let dir = dialback_core::wire::agents::directory_from_bodies(&agents).unwrap();
    let now = dialback_core::Timestamp::parse("2024-04-01T00:00:00Z").unwrap();
    let range =
        dialback_core::DateRange::parse(Some("2024-03-01"), Some("2024-03-31"), None, now).unwrap();
    let (status, stats) = s
        .call(
            "GET",
            "/api/v1/callback-agents/stats?start_date=2024-03-01&end_date=2024-03-31",
            None,
        )
        .await;
    assert_eq!(status, 200);
    let ours = serde_json::to_value(feed.callbacks.stats(&range, &dir)).unwrap();
    assert_eq!(ours, stats["data"]);
    assert!(ours["total_callbacks_received"].as_i64().unwrap() > 1_000);
}
