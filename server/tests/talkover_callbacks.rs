//! The callback endpoints, byte for byte against the seed and the documented examples.

use serde_json::json;

use crate::harness::{Server, codes, doc, has_shape, same_shape, seed};

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
    assert_eq!(
        body,
        json!({"success": true,
            "data": {"id": handler, "name": "Callback Handler", "direction": "inbound",
               "callback_config": {"source_agent_ids": [sales, survey]}}})
    );

    // wrong direction: the seed's body, plus our two keys
    let (status, body) = s
        .call(
            "POST",
            &format!("/api/v1/agents/{sales}/callback"),
            Some(json!({"source_agent_ids": [survey]})),
        )
        .await;
    assert_eq!(status, 422);
    let mut expected = seed("talkover_set_callback_422.json");
    expected["errors"] =
        json!({"agent_id": ["Agent must have direction=inbound to serve as a callback"]});
    expected["details"] = body["details"].clone();
    assert_eq!(body, expected);

    let (status, body) = s
        .call(
            "POST",
            "/api/v1/agents/agent-uuid-1/callback",
            Some(json!({"source_agent_ids": [sales]})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str(), body["message"].as_str()),
        (404, Some("AGENT_NOT_FOUND"), Some("Agent not found"))
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
    assert_eq!(body["details"][0]["index"], 1);
    assert_eq!(
        body["errors"]["source_agent_ids.1"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn update_list_get_and_remove_answer_as_documented() {
    let s = Server::start().await;
    let handler = s
        .agent("Callback Handler", "inbound", &["+14155550100"])
        .await;
    let sales = s.agent("Sales Outbound", "outbound", &[]).await;
    let survey = s.agent("Survey Outbound", "outbound", &[]).await;
    s.call(
        "POST",
        &format!("/api/v1/agents/{handler}/callback"),
        Some(json!({"source_agent_ids": [sales]})),
    )
    .await;

    // PUT replaces and answers only the id and the configuration
    let (status, body) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{handler}/callback"),
            Some(json!({"source_agent_ids": [survey], "callback_trigger_statuses": ["no-answer"]})),
        )
        .await;
    assert_eq!(status, 200);
    has_shape(
        &body,
        &doc("talkover_update_callback_sources_response.json"),
        "",
    );
    assert_eq!(
        body["data"],
        json!({"id": handler,
            "callback_config": {"source_agent_ids": [survey],
            "callback_trigger_statuses": ["no_answer"]}})
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
    has_shape(
        &list,
        &doc("talkover_list_callback_agents_response.json"),
        "",
    );
    assert_eq!(list["data"][0]["label"], "Callback Handler");
    assert_eq!(list["data"][0]["current_status"], "draft");

    let (status, detail) = s
        .call("GET", &format!("/api/v1/callback-agents/{handler}"), None)
        .await;
    assert_eq!(status, 200);
    has_shape(
        &detail,
        &doc("talkover_get_callback_agent_response.json"),
        "",
    );
    assert_eq!(
        detail["data"]["source_agents"],
        json!([{"id": survey, "name": "Survey Outbound"}])
    );
    assert_eq!(
        detail["data"]["stats"],
        json!({"total_callbacks_received": 0, "callbacks_answered": 0})
    );

    let (status, body) = s
        .call(
            "DELETE",
            &format!("/api/v1/agents/{handler}/callback"),
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (200, doc("talkover_remove_callback_role_response.json"))
    );
    let (_, list) = s.call("GET", "/api/v1/callback-agents", None).await;
    assert_eq!(list["data"], json!([]));
    // the documented 404, for an agent without the role and for no agent at all
    for id in [handler.as_str(), "agent-uuid-9"] {
        let (status, body) = s
            .call("GET", &format!("/api/v1/callback-agents/{id}"), None)
            .await;
        assert_eq!(status, 404);
        let expected = doc("talkover_get_callback_agent_404.json");
        assert_eq!(
            (&body["success"], &body["message"]),
            (&expected["success"], &expected["message"])
        );
    }
}

#[tokio::test]
async fn check_constraints_takes_the_documented_body_and_saves_nothing() {
    let s = Server::start().await;
    let handler = s
        .agent("Callback Handler", "inbound", &["+14155550100"])
        .await;
    let sales = s.agent("Sales Outbound", "outbound", &[]).await;
    let path = format!("/api/v1/callback-agents/{handler}/check-constraints");
    let (status, body) = s
        .call(
            "POST",
            &path,
            Some(
                json!({"is_callback_agent": true, "callback_source_agents": [sales],
                    "callback_trigger_statuses": ["no_answer", "voicemail", "busy"]}),
            ),
        )
        .await;
    assert_eq!(
        (status, body),
        (200, doc("talkover_check_constraints_valid_response.json"))
    );

    // invalid: 422 with every problem, named by the documented field
    let (status, body) = s
        .call(
            "POST",
            &path,
            Some(json!({"callback_source_agents": [handler, "x"],
                "callback_trigger_statuses": ["maybe"]})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        codes(&body),
        [
            "INVALID_SOURCE_AGENT_DIRECTION",
            "INVALID_SOURCE_AGENT_ID",
            "INVALID_CALL_STATUS"
        ]
    );
    assert_eq!(body["details"][0]["field"], "callback_source_agents");
    assert!(body["errors"]["callback_source_agents.0"].is_array());

    // not being a callback agent is valid for any agent; an unknown agent is 404
    let (status, _) = s
        .call("POST", &path, Some(json!({"is_callback_agent": false})))
        .await;
    assert_eq!(status, 200);
    let (status, _) = s
        .call(
            "POST",
            "/api/v1/callback-agents/00000000-0000-0000-0000-000000000001/check-constraints",
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 404);
    let (_, list) = s.call("GET", "/api/v1/callback-agents", None).await;
    assert_eq!(list["data"], json!([]), "nothing was saved");
}

#[tokio::test]
async fn stats_answer_the_seed_shape_and_refuse_bad_dates() {
    let s = Server::start().await;
    let (_, sales) = s.callback_setup("Sales", Some(7)).await;
    s.call(
        "POST",
        "/api/v1/calls",
        Some(
            json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958",
                "started_at": "2024-01-01T10:00:00Z", "status": "voicemail"}),
        ),
    )
    .await;
    s.call(
        "POST",
        "/api/v1/calls",
        Some(
            json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100",
                "started_at": "2024-01-03T10:00:00Z", "status": "completed"}),
        ),
    )
    .await;
    let (_, stats) = s
        .call(
            "GET",
            "/api/v1/callback-agents/stats?start_date=2024-01-01&end_date=2024-01-31",
            None,
        )
        .await;
    same_shape(&stats, &seed("talkover_callback_stats_response.json"), "");
    assert_eq!(
        stats["data"]["callbacks_by_source_agent"],
        json!([{"source_agent_id": sales, "name": "Sales", "count": 1}])
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
    assert_eq!(body["data"]["period"]["start"].as_str().unwrap().len(), 10);
}

/// The `group_by=day` extension: every local day of the range in `tz`, adding up to the
/// totals; without it the seed's shape is unchanged.
#[tokio::test]
async fn stats_by_day_list_every_local_day_and_add_up() {
    let s = Server::start().await;
    let (_, sales) = s.callback_setup("Sales", Some(7)).await;
    let call = |dir: &str, number: &str, at: &str, status: &str| {
        if dir == "outbound" {
            json!({"direction": "outbound", "agent_id": sales, "to": number, "started_at": at,
                "status": status})
        } else {
            json!({"direction": "inbound", "from": number, "to": "+14155550100", "started_at": at,
                "status": status})
        }
    };
    for c in [
        call(
            "outbound",
            "+442079460958",
            "2024-01-01T10:00:00Z",
            "voicemail",
        ),
        // 03:30Z on the 3rd is still the 2nd in New York
        call(
            "inbound",
            "+442079460958",
            "2024-01-03T03:30:00Z",
            "completed",
        ),
        call(
            "inbound",
            "+442079460959",
            "2024-01-03T15:00:00Z",
            "no-answer",
        ),
    ] {
        assert_eq!(s.call("POST", "/api/v1/calls", Some(c)).await.0, 201);
    }
    let path = "/api/v1/callback-agents/stats?start_date=2024-01-01&end_date=2024-01-04\
                &tz=America/New_York";
    let (_, totals) = s.call("GET", path, None).await;
    assert!(totals["data"].get("days").is_none(), "{totals}");
    let (status, by_day) = s.call("GET", &format!("{path}&group_by=day"), None).await;
    assert_eq!(status, 200);
    assert_eq!(
        by_day["data"]["days"],
        json!([
            {"date": "2024-01-01", "total_callbacks_received": 0, "callbacks_answered": 0,
                "callbacks_unmatched": 0},
            {"date": "2024-01-02", "total_callbacks_received": 1, "callbacks_answered": 1,
                "callbacks_unmatched": 0},
            {"date": "2024-01-03", "total_callbacks_received": 1, "callbacks_answered": 0,
                "callbacks_unmatched": 1},
            {"date": "2024-01-04", "total_callbacks_received": 0, "callbacks_answered": 0,
                "callbacks_unmatched": 0},
        ])
    );
    let mut without = by_day["data"].clone();
    without.as_object_mut().unwrap().remove("days");
    assert_eq!(
        without, totals["data"],
        "the totals are the ungrouped answer"
    );

    let (status, body) = s.call("GET", &format!("{path}&group_by=week"), None).await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["INVALID_GROUP_BY".to_owned()])
    );
    let (status, body) = s
        .call(
            "GET",
            "/api/v1/callback-agents/stats?start_date=1990-01-01&end_date=2024-01-01&group_by=day",
            None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("INVALID_DATE_RANGE")),
        "{body}"
    );
}
