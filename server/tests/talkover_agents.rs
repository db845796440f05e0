//! Agents and phone numbers (Talkover side), against the documented shapes.

use serde_json::json;

use crate::harness::{Server, codes, doc, has_shape};

#[tokio::test]
async fn creating_an_agent_takes_the_documented_body_and_answers_the_documented_object() {
    let s = Server::start().await;
    let request = doc("talkover_create_agent_request.json");
    let (status, body) = s
        .call("POST", "/api/v1/agents", Some(request.clone()))
        .await;
    assert_eq!(status, 200, "{body}");
    has_shape(&body, &doc("talkover_create_agent_response.json"), "");
    let a = &body["data"];
    assert_eq!(body["message"], "Agent created successfully");
    assert_eq!(a["current_status"], "draft");
    for key in [
        "name",
        "label",
        "description",
        "language",
        "initial_message",
        "interrupt_sensitivity",
        "conversation_speed",
        "initial_message_delay",
        "ask_if_human_present_on_idle",
        "direction",
        "who_speaks_first",
    ] {
        assert_eq!(a[key], request[key], "{key}");
    }
    assert_eq!(
        (a["voice"].clone(), a["trainings"].clone()),
        (json!(null), json!([]))
    );
    // the settings the object does not show are kept, not echoed
    assert!(a.get("llm_temperature").is_none());

    // only name and direction are required; the label defaults to the name
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/agents",
            Some(json!({"name": "Sales", "direction": "outbound"})),
        )
        .await;
    assert_eq!(
        (status, body["data"]["label"].as_str()),
        (200, Some("Sales"))
    );
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/agents",
            Some(json!({"name": "", "direction": "up", "language": "xx-XX",
                "phone_numbers": ["12"]})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        codes(&body),
        [
            "INVALID_NAME",
            "INVALID_DIRECTION",
            "INVALID_LANGUAGE",
            "INVALID_PHONE_NUMBER"
        ]
    );
    // Talkover's validation map beside our coded list
    assert_eq!(body["code"], "INVALID_NAME");
    assert!(
        body["errors"]["phone_numbers.0"][0]
            .as_str()
            .unwrap()
            .contains("E.164")
    );
}

#[tokio::test]
async fn agent_lists_filter_by_status_direction_and_search_and_page_as_documented() {
    let s = Server::start().await;
    let support = s.agent("Support", "inbound", &["+14155550100"]).await;
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
    has_shape(&page, &doc("talkover_list_agents_response.json"), "");

    let total = |q: &str| {
        let s = &s;
        let q = q.to_owned();
        async move {
            let (status, body) = s.call("GET", &format!("/api/v1/agents?{q}"), None).await;
            assert_eq!(status, 200, "{q}: {body}");
            body["meta"]["total"].as_u64().unwrap()
        }
    };
    assert_eq!(total("search=campaign%2007").await, 1);
    // a number search, in any formatting, and not from text that merely has digits
    assert_eq!(total("search=%2B1%20415%20555").await, 1);
    assert_eq!(total("search=Support%201").await, 0);
    s.call(
        "PATCH",
        &format!("/api/v1/agents/{support}"),
        Some(json!({"label": "Front desk", "current_status": "published"})),
    )
    .await;
    assert_eq!(total("search=front").await, 1, "the label is searched");
    assert_eq!(total("status=published").await, 1);
    assert_eq!(total("status=draft").await, 25);
    let (status, body) = s
        .call("GET", "/api/v1/agents?per_page=101&status=live", None)
        .await;
    assert_eq!(
        (status, codes(&body)),
        (
            422,
            vec!["INVALID_STATUS".to_owned(), "INVALID_PAGINATION".to_owned()]
        )
    );

    let (status, body) = s
        .call(
            "GET",
            "/api/v1/agents/00000000-0000-0000-0000-000000000000",
            None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str(), body["message"].as_str()),
        (404, Some("AGENT_NOT_FOUND"), Some("Agent not found"))
    );
}

#[tokio::test]
async fn numbers_are_resources_assigned_by_calling_settings() {
    let s = Server::start().await;
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/phone-numbers",
            Some(json!({"number": "+1 (415) 555-0101"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["number"], "+14155550101");
    assert_eq!(body["data"]["agents"], json!(null));
    let spare = body["data"]["id"].as_str().unwrap().to_owned();
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/phone-numbers",
            Some(json!({"number": "+14155550101"})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("NUMBER_ALREADY_EXISTS"))
    );

    let agent = s.agent("Support", "inbound", &["+14155550100"]).await;
    let other = s.agent("Other", "inbound", &["+14155550199"]).await;
    let (status, list) = s.call("GET", "/api/v1/phone-numbers", None).await;
    assert_eq!(status, 200);
    has_shape(&list, &doc("talkover_list_phone_numbers_response.json"), "");
    assert_eq!(list["data"].as_array().unwrap().len(), 3);
    let first = s.number_id("+14155550100").await;

    // assign the spare number too, in this order; the documented answer
    let (status, body) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{agent}/calling"),
            Some(json!({"direction": "inbound", "phone_number_ids": [spare, first]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    has_shape(
        &body,
        &doc("talkover_update_agent_calling_response.json"),
        "",
    );
    assert_eq!(
        body["message"],
        "Agent calling settings updated successfully"
    );
    let numbers: Vec<&str> = body["data"]["phone_numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["+14155550101", "+14155550100"]);
    assert_eq!(
        body["data"]["phone_numbers"][0]["formatted_number"],
        "(415) 555-0101"
    );
    assert!(
        body["data"]["phone_numbers"][0]
            .get("international_number")
            .is_none()
    );

    // a number another agent owns is refused, with its position; unknown ids too
    let theirs = s.number_id("+14155550199").await;
    let (status, body) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{agent}/calling"),
            Some(json!({"direction": "inbound", "phone_number_ids": [first, theirs]})),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (409, vec!["NUMBER_ALREADY_ASSIGNED".to_owned()])
    );
    assert_eq!(body["details"][0]["index"], 1);
    let (status, body) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{agent}/calling"),
            Some(json!({"direction": "inbound", "phone_number_ids": ["phone-uuid-1"]})),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["PHONE_NUMBER_NOT_FOUND".to_owned()])
    );

    // releasing: [] leaves the agent without numbers, and the numbers unassigned
    let (status, _) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{agent}/calling"),
            Some(json!({"direction": "outbound", "phone_number_ids": []})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, body) = s
        .call("GET", &format!("/api/v1/agents/{agent}"), None)
        .await;
    assert_eq!(
        (
            body["data"]["direction"].as_str(),
            body["data"]["phone_numbers"].clone()
        ),
        (Some("outbound"), json!([]))
    );
    let (_, list) = s
        .call("GET", "/api/v1/phone-numbers?search=555%200101", None)
        .await;
    assert_eq!(list["data"][0]["agents"], json!(null));
    // and another agent may take one now
    let (status, _) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{other}/calling"),
            Some(json!({"direction": "inbound", "phone_number_ids": [theirs, spare]})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, list) = s
        .call("GET", "/api/v1/phone-numbers?has_whatsapp=true", None)
        .await;
    assert_eq!(list["data"], json!([]));

    // the strings extension on create and PATCH (plain E.164 in a list: one spelling each)
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/agents",
            Some(json!({"name": "Third", "direction": "inbound",
                "phone_numbers": ["+1.415.555.0101"]})),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["INVALID_PHONE_NUMBER".to_owned()])
    );
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/agents",
            Some(
                json!({"name": "Third", "direction": "inbound", "phone_numbers": ["+14155550101"]}),
            ),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (409, vec!["NUMBER_ALREADY_ASSIGNED".to_owned()])
    );
    let (status, body) = s
        .call(
            "PATCH",
            &format!("/api/v1/agents/{agent}"),
            Some(json!({"phone_numbers": ["+14155550100", "+14155550102"]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["phone_numbers"][1]["number"], "+14155550102");
}

#[tokio::test]
async fn a_direction_change_keeps_callback_roles_consistent() {
    let s = Server::start().await;
    let (handler, sales) = s.callback_setup("Sales", None).await;
    let (status, body) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{handler}/calling"),
            Some(json!({"direction": "outbound"})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("CALLBACK_AGENT_MUST_BE_INBOUND"))
    );
    let (status, body) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{sales}/calling"),
            Some(json!({"direction": "inbound"})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("CALLBACK_SOURCE_MUST_BE_OUTBOUND"))
    );
    let (status, body) = s
        .call(
            "PATCH",
            &format!("/api/v1/agents/{sales}"),
            Some(json!({"direction": "inbound"})),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["FIELD_NOT_EDITABLE".to_owned()])
    );
}

#[tokio::test]
async fn knowledge_publishing_and_patches() {
    let s = Server::start().await;
    let id = s.agent("Support", "inbound", &[]).await;
    let (status, body) = s
        .call(
            "PATCH",
            &format!("/api/v1/agents/{id}"),
            Some(json!({"current_status": "published", "label": "Support desk"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (
            body["data"]["current_status"].as_str(),
            body["data"]["label"].as_str()
        ),
        (Some("published"), Some("Support desk"))
    );

    // the documented knowledge update, which takes the agent back to draft
    let (status, body) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{id}/knowledge"),
            Some(doc("talkover_update_agent_knowledge_request.json")),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["message"], "Agent knowledge updated successfully");
    assert_eq!(body["data"]["current_status"], "draft");
    assert_eq!(body["data"]["initial_message_delay"], 2);
    assert_eq!(
        body["data"]["description"],
        "Updated agent description with more details"
    );
    let (status, body) = s
        .call(
            "PUT",
            &format!("/api/v1/agents/{id}/knowledge"),
            Some(json!({"description": "hi"})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "INVALID_TEXT");

    let (status, body) = s
        .call(
            "PATCH",
            &format!("/api/v1/agents/{id}"),
            Some(json!({"name": "Sup\u{202e}troppus"})),
        )
        .await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec!["INVALID_NAME".to_owned()])
    );
}

#[tokio::test]
async fn out_of_scope_endpoints_say_so() {
    let s = Server::start().await;
    let id = s.agent("Support", "outbound", &[]).await;
    for (method, path) in [
        ("POST", format!("/api/v1/agents/{id}/call")),
        ("PUT", format!("/api/v1/agents/{id}/voice")),
        ("POST", format!("/api/v1/agents/{id}/trainings")),
        ("POST", "/api/v1/campaigns/c1/webhooks".to_owned()),
        ("POST", "/api/v1/campaigns".to_owned()),
        ("GET", "/api/v1/campaigns".to_owned()),
        ("GET", "/api/v1/voice-templates".to_owned()),
        ("GET", "/api/v1/voice-templates/x/demo".to_owned()),
    ] {
        let (status, body) = s
            .call(method, &path, Some(json!({"to": "+14155550100"})))
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (501, Some("NOT_SUPPORTED")),
            "{method} {path}: {body}"
        );
        assert_eq!(body["success"], false);
    }
}
