//! The AgentPhone side: usage endpoints and their error dialect.

use serde_json::json;

use crate::harness::{Server, same_shape, seed};

async fn with_activity() -> Server {
    let s = Server::start().await;
    let support = s
        .agent("Support Agent Alpha", "inbound", &["+14155550100"])
        .await;
    let sales = s
        .agent("Sales Agent Beta", "outbound", &["+14155550110"])
        .await;
    let now = dialback_server::ops::clock();
    let at = |mins: i64| now.saturating_add_seconds(-mins * 60).to_string();
    for (body, n) in [
        (
            json!({"direction": "inbound", "from": "+442079460958", "to": "+14155550100", "started_at": at(5), "status": "completed", "duration_seconds": 120}),
            2,
        ),
        (
            json!({"direction": "outbound", "agent_id": sales, "from": "+14155550110", "to": "+442079460958", "started_at": at(6), "status": "completed", "duration_seconds": 300}),
            1,
        ),
        (
            json!({"direction": "outbound", "agent_id": sales, "to": "+442079460958", "started_at": at(7), "status": "no-answer"}),
            3,
        ),
    ] {
        for _ in 0..n {
            s.call("POST", "/api/v1/calls", Some(body.clone())).await;
        }
    }
    for agent in [Some(support.clone()), None] {
        s.call("POST", "/api/v1/messages", Some(json!({"agent_id": agent, "direction": "inbound", "from": "+442079460958", "to": "+14155550100", "sent_at": at(1)}))).await;
    }
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
    assert_eq!(body["data"][2]["agentId"], json!(null));
    assert_eq!(body["data"][2]["isOrphan"], true);
    for period in ["week", "year"] {
        let (status, body) = s
            .call("GET", &format!("/v1/usage/by-agent?period={period}"), None)
            .await;
        assert_eq!((status, body["period"].as_str()), (200, Some(period)));
    }
}

#[tokio::test]
async fn usage_errors_speak_agentphones_dialect() {
    let s = Server::start().await;
    let (status, body) = s
        .call(
            "GET",
            "/v1/usage/by-agent?period=quarter&tz=Mars/Base",
            None,
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["query", "period"]));
    assert_eq!(body["detail"][0]["type"], "INVALID_PERIOD");
    assert_eq!(body["detail"][1]["loc"], json!(["query", "tz"]));
    assert_eq!(body["detail"][1]["type"], "INVALID_TIMEZONE");
    let (status, body) = s.call("GET", "/v1/usage/by-agent", None).await;
    assert_eq!(
        (status, body["detail"][0]["type"].as_str()),
        (422, Some("missing"))
    );
    let (status, _) = s.call("GET", "/v1/usage/daily?days=0", None).await;
    assert_eq!(status, 422);
    let (status, _) = s.call("GET", "/v1/usage/monthly?months=25", None).await;
    assert_eq!(status, 422);
    let (status, body) = s
        .call_as("talq_nope", "GET", "/v1/usage/by-agent?period=week", None)
        .await;
    assert_eq!((status, body["detail"].is_string()), (401, true));
    let (status, body) = s.call("GET", "/v1/nothing-here", None).await;
    assert_eq!((status, body["detail"].as_str()), (404, Some("Not Found")));
}

#[tokio::test]
async fn daily_monthly_by_number_and_totals() {
    let s = with_activity().await;
    let (status, daily) = s
        .call("GET", "/v1/usage/daily?days=7&tz=Asia/Kathmandu", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (daily["days"].as_u64(), daily["tz"].as_str()),
        (Some(7), Some("Asia/Kathmandu"))
    );
    let days = daily["data"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    let total: i64 = days.iter().map(|d| d["calls"].as_i64().unwrap()).sum();
    assert_eq!(total, 3);
    assert!(days[0]["date"].as_str().unwrap() < days[6]["date"].as_str().unwrap());

    let (_, monthly) = s.call("GET", "/v1/usage/monthly", None).await;
    assert_eq!(
        (
            monthly["months"].as_u64(),
            monthly["data"].as_array().unwrap().len()
        ),
        (Some(6), 6)
    );
    assert_eq!(monthly["data"][5]["messages"], 2);

    let (_, by_number) = s.call("GET", "/v1/usage/by-number", None).await;
    let rows = by_number["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0]["phoneNumber"].as_str(),
            rows[0]["calls"].as_i64(),
            rows[0]["messages"].as_i64()
        ),
        (Some("+14155550100"), Some(2), Some(2))
    );
    assert_eq!(rows[0]["agentName"], "Support Agent Alpha");
    assert_eq!(
        (rows[1]["phoneNumber"].as_str(), rows[1]["calls"].as_i64()),
        (Some("+14155550110"), Some(1))
    );

    let (_, totals) = s.call("GET", "/v1/usage", None).await;
    assert_eq!(
        totals["last24h"],
        json!({"messages": 2, "calls": 3, "totalSeconds": 540})
    );
    assert!(totals["periodStart"].as_str().unwrap().ends_with('Z'));
}
