//! Calls, imports, exports and tenancy (Talkover side).

use serde_json::json;

use crate::harness::{Server, codes, doc, has_shape};

#[tokio::test]
async fn calls_are_routed_once_counted_once_and_idempotent() {
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

    let out = json!({"direction": "outbound", "agent_id": sales, "to": "+44 20 7946 0958",
        "from": "+14155550110", "started_at": "2024-01-02T10:00:00Z", "status": "no_answer"});
    let (status, body) = s.call("POST", "/api/v1/calls", Some(out)).await;
    assert_eq!(status, 201, "{body}");
    let outbound_id: u64 = body["data"]["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(body["data"]["agent"]["name"], "Sales Outbound");
    s.call(
        "POST",
        "/api/v1/calls",
        Some(
            json!({"direction": "outbound", "agent_id": other, "to": "+442079460958",
                "started_at": "2024-01-03T10:00:00Z", "status": "busy"}),
        ),
    )
    .await;

    let inbound = json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100",
        "started_at": "2024-01-04T10:00:00Z", "status": "completed", "duration_seconds": 95,
        "external_id": "webhook-1"});
    let (status, body) = s.call("POST", "/api/v1/calls", Some(inbound.clone())).await;
    assert_eq!(status, 201);
    let call = &body["data"];
    assert_eq!(
        (
            call["sid"].as_str(),
            call["duration"].as_u64(),
            call["updated_at"].as_str()
        ),
        (Some("webhook-1"), Some(95), Some("2024-01-04T10:01:35Z"))
    );
    assert_eq!(
        call["agent"]["id"],
        handler.as_str(),
        "an inbound call's agent is the one it went to"
    );
    let routing = &call["routing"];
    assert_eq!(
        (routing["outcome"].as_str(), routing["reason_code"].as_str()),
        (Some("matched"), Some("MATCHED"))
    );
    assert_eq!(routing["last_call"]["outbound_call_id"], outbound_id);
    assert_eq!(
        routing["explanation"],
        "matched: Sales Outbound called this contact 2 days ago (within the 30-day window)"
    );

    // the webhook retries: the same call back, nothing counted twice
    let (status, again) = s.call("POST", "/api/v1/calls", Some(inbound.clone())).await;
    assert_eq!((status, &again["data"]["id"]), (200, &call["id"]));
    // a different call under the same key is a client bug: refused, nothing stored
    let mut changed = inbound;
    changed["status"] = json!("busy");
    let (status, body) = s.call("POST", "/api/v1/calls", Some(changed)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("EXTERNAL_ID_CONFLICT"))
    );

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
    assert_eq!(
        (
            stats["data"]["total_callbacks_received"].as_u64(),
            stats["data"]["callbacks_answered"].as_u64()
        ),
        (Some(1), Some(1))
    );

    let (_, body) = s
        .call(
            "POST",
            "/api/v1/calls",
            Some(
                json!({"direction": "inbound", "from": "anonymous", "to": "+14155550100",
                    "started_at": "2024-01-05T10:00:00Z", "status": "no-answer"}),
            ),
        )
        .await;
    assert_eq!(body["data"]["routing"]["reason_code"], "NOT_CALLBACK_AGENT");

    let (status, body) = s
        .call(
            "POST",
            "/api/v1/calls",
            Some(
                json!({"direction": "outbound", "agent_id": handler, "to": "+14155550100",
                    "started_at": "2024-01-05T10:00:00Z", "status": "completed"}),
            ),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["INVALID_AGENT_DIRECTION".to_owned()])
    );
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/calls",
            Some(
                json!({"direction": "outbound", "agent_id": "00000000-0000-0000-0000-0000000000aa",
                    "to": "+14155550100", "started_at": "2024-01-05T10:00:00Z",
                        "status": "completed"}),
            ),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["AGENT_NOT_FOUND".to_owned()])
    );
}

#[tokio::test]
async fn call_lists_filter_and_page_as_documented() {
    let s = Server::start().await;
    let (handler, sales) = s.callback_setup("Sales", None).await;
    for i in 0..25 {
        let at = format!("2024-01-{:02}T10:00:00Z", 1 + i % 5); // many calls share a start
        s.call(
            "POST",
            "/api/v1/calls",
            Some(
                json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958",
                    "started_at": at, "status": if i % 2 == 0 { "completed" } else { "busy" },
                    "external_id": format!("CA{i:03}")}),
            ),
        )
        .await;
    }
    s.call(
        "POST",
        "/api/v1/calls",
        Some(json!({"direction": "inbound", "from": "+44 20 7946 \
        0958", "to": "+14155550100", "started_at": "2024-01-06T10:00:00Z", "status": "answered"})),
    )
    .await;

    let (status, page) = s.call("GET", "/api/v1/calls?per_page=7&page=2", None).await;
    assert_eq!(status, 200);
    has_shape(&page, &doc("talkover_list_calls_response.json"), "");
    assert_eq!(
        page["pagination"],
        json!({"current_page": 2, "last_page": 4, "per_page": 7, "total": 26, "from": 8, "to": 14})
    );
    let calls = s.all_calls().await;
    let order: Vec<(String, u64)> = calls
        .iter()
        .map(|c| {
            (
                c["created_at"].as_str().unwrap().to_owned(),
                c["id"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(
        (order.len(), &order),
        (26, &sorted),
        "newest first, then by id"
    );

    let total = |q: &str| {
        let s = &s;
        let q = q.to_owned();
        async move {
            let (status, body) = s.call("GET", &format!("/api/v1/calls?{q}"), None).await;
            assert_eq!(status, 200, "{q}: {body}");
            body["pagination"]["total"].as_u64().unwrap()
        }
    };
    assert_eq!(total("status=completed").await, 13);
    assert_eq!(total("direction=inbound").await, 1);
    assert_eq!(total(&format!("agent_id={sales}")).await, 25);
    assert_eq!(total(&format!("agent_id={handler}")).await, 1);
    assert_eq!(total("agent_id=agent-uuid-1").await, 0);
    assert_eq!(total("date_from=2024-01-02&date_to=2024-01-03").await, 10);
    assert_eq!(
        total("date_from=2024-01-02&date_to=2024-01-02&tz=America/New_York").await,
        5
    );
    assert_eq!(total("search=CA01").await, 10);
    assert_eq!(total("search=%2B44%2020%207946").await, 26);
    let (_, empty) = s.call("GET", "/api/v1/calls?page=9", None).await;
    assert_eq!(
        (empty["pagination"]["from"].clone(), empty["data"].clone()),
        (json!(null), json!([]))
    );
    let (status, body) = s
        .call(
            "GET",
            "/api/v1/calls?status=done&per_page=500&date_to=tomorrow",
            None,
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (
            422,
            vec![
                "INVALID_CALL_STATUS".to_owned(),
                "INVALID_DATE".to_owned(),
                "INVALID_PAGINATION".to_owned()
            ]
        )
    );

    // one agent's calls: the documented item without `agent`
    let (status, page) = s
        .call("GET", &format!("/api/v1/agents/{handler}/calls"), None)
        .await;
    assert_eq!(status, 200);
    has_shape(&page, &doc("talkover_get_agent_calls_response.json"), "");
    assert_eq!(page["pagination"]["total"], 1);
    assert!(page["data"][0].get("agent").is_none());
    let (status, body) = s
        .call("GET", "/api/v1/agents/agent-uuid-1/calls", None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("AGENT_NOT_FOUND"))
    );
}

#[tokio::test]
async fn messages_and_simulation() {
    let s = Server::start().await;
    let (_handler, sales) = s.callback_setup("Sales", Some(7)).await;
    s.call(
        "POST",
        "/api/v1/calls",
        Some(
            json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958",
                "started_at": "2024-01-01T10:00:00Z", "status": "voicemail"}),
        ),
    )
    .await;
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/messages",
            Some(
                json!({"agent_id": null, "direction": "inbound", "from": "+442079460958",
                    "to": "+14155550100", "sent_at": "2024-01-02T00:00:00Z"}),
            ),
        )
        .await;
    assert_eq!(
        (status, body["data"]["agent_id"].clone()),
        (201, json!(null))
    );
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/routing/simulate",
            Some(json!({"from": "+442079460958", "to": "+14155550100",
                "at": "2024-01-20T10:00:00Z"})),
        )
        .await;
    assert_eq!(
        (status, body["data"]["reason_code"].as_str()),
        (200, Some("OUTSIDE_LOOKBACK"))
    );
    assert_eq!(
        body["data"]["explanation"],
        "unmatched: the last call from Sales to this contact was 19 days ago, outside the 7-day \
         window"
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
}

#[tokio::test]
async fn import_reports_bad_lines_by_their_line_in_the_file() {
    let s = Server::start().await;
    let (handler, sales) = s.callback_setup("Sales", None).await;
    let lines = [
        json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958",
            "started_at": "2024-01-01T10:00:00Z", "status": "no-answer",
            "external_id": "o1"})
        .to_string(),
        "{not json".to_owned(),
        String::new(),
        json!({"direction": "outbound", "agent_id": sales, "to": "nope",
            "started_at": "2024-01-01T11:00:00Z", "status": "busy"})
        .to_string(),
        String::new(),
        json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100",
            "started_at": "2024-01-02T10:00:00Z", "status": "answered",
            "external_id": "i1"})
        .to_string(),
        json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100",
            "started_at": "2024-01-02T10:00:00Z", "status": "answered",
            "external_id": "i1"})
        .to_string(),
        json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100",
            "started_at": "2024-01-02T11:00:00Z", "status": "answered",
            "external_id": "i1"})
        .to_string(),
        json!({"direction": "outbound", "agent_id": handler, "to": "+442079460958",
            "started_at": "2024-01-03T10:00:00Z", "status": "busy"})
        .to_string(),
        format!("{{\"direction\": \"{}\"}}", "x".repeat(70_000)),
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
        (Some(10), Some(2), Some(1), Some(5))
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
            (4, "INVALID_PHONE_NUMBER"),
            (8, "EXTERNAL_ID_CONFLICT"),
            (9, "INVALID_AGENT_DIRECTION"),
            (10, "LINE_TOO_LONG")
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
    let number = s.number_id("+14155550100").await;
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
    let theirs = s
        .call_as(
            &other,
            "POST",
            "/api/v1/agents",
            Some(json!({"name": "Theirs", "direction": "inbound"})),
        )
        .await
        .1["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = s
        .call_as(
            &other,
            "PUT",
            &format!("/api/v1/agents/{theirs}/calling"),
            Some(json!({"direction": "inbound", "phone_number_ids": [number]})),
        )
        .await;
    assert_eq!(
        status, 422,
        "another environment's number names nothing here"
    );
    // the same number is free in the other environment
    let (status, _) = s
        .call_as(
            &other,
            "POST",
            "/api/v1/phone-numbers",
            Some(json!({"number": "+14155550100"})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = s.call_as("talq_wrong", "GET", "/api/v1/agents", None).await;
    assert_eq!(
        (status, body["success"].clone(), body["code"].as_str()),
        (401, json!(false), Some("INVALID_TOKEN"))
    );
    let (status, _) = s
        .call_as("talq_wrong", "GET", "/api/v1/phone-numbers", None)
        .await;
    assert_eq!(status, 401);
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
        lines.push(
            match i % 4 {
                0 | 1 => json!({"direction": "outbound", "agent_id": sales, "to": contact,
                    "started_at": at(8), "status": "no-answer"}),
                2 => json!({"direction": "inbound", "from": contact, "to": "+14155550100",
                    "started_at": at(12), "status": "completed", "duration_seconds": 60}),
                _ => json!({"direction": "inbound", "from": contact, "to": "+14155550200",
                    "started_at": at(13), "status": "completed", "duration_seconds": 30}),
            }
            .to_string(),
        );
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
    assert_eq!(exported, s.all_calls().await);

    // what a client computes from the export equals what the server answers
    let feed = dialback_core::wire::feed::CallFeed::from_ndjson(&body).unwrap();
    let (_, agents) = s.call("GET", "/api/v1/agents?per_page=100", None).await;
    let agents: Vec<dialback_core::wire::talkover::AgentBody> =
        serde_json::from_value(agents["data"].clone()).unwrap();
    let read = dialback_core::wire::agents::directory_from_bodies(&agents);
    assert!(read.problems.is_empty());
    let now = dialback_core::Timestamp::parse("2024-04-01T00:00:00Z").unwrap();
    let range =
        dialback_core::DateRange::parse(Some("2024-03-01"), Some("2024-03-31"), None, now).unwrap();
    let (_, stats) = s
        .call(
            "GET",
            "/api/v1/callback-agents/stats?start_date=2024-03-01&end_date=2024-03-31",
            None,
        )
        .await;
    let ours = serde_json::to_value(dialback_core::wire::talkover::CallbackStatsData::new(
        &feed.callbacks.stats(&range),
        &read.directory,
    ))
    .unwrap();
    assert_eq!(ours, stats["data"]);
    assert!(ours["total_callbacks_received"].as_i64().unwrap() > 1_000);
}
