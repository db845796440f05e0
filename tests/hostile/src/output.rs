//! What a bad request gets back, and what it costs the server: an answer is bounded whatever
//! the request held, and a huge line is never turned into a huge value in memory.

use serde_json::json;

use crate::Check;
use crate::http::{self, Answer};
use crate::server::Server;

/// The JSON body limit; each case fills most of it with one bad field.
const BODY_LIMIT: usize = 1 << 20;
/// Every error answer to a single JSON request stays under this.
const ANSWER_BOUND: usize = 16 << 10;

fn near_limit(char_bytes: usize) -> usize {
    (BODY_LIMIT - 512) / char_bytes
}

fn bounded(name: &'static str, request: usize, answer: &Answer) -> Check {
    Check::new(
        name,
        answer.status >= 400 && answer.bytes < ANSWER_BOUND,
        format!(
            "{}: {} bytes back for {request} sent ({:.4}x; bound {ANSWER_BOUND})",
            answer.status,
            answer.bytes,
            answer.bytes as f64 / request as f64
        ),
    )
}

pub fn checks(bin: &str) -> Vec<Check> {
    let server = Server::start(bin, "output", &[], None);
    let (addr, token) = (server.addr.as_str(), server.token.as_str());
    let mut checks = Vec::new();
    let mut case = |name: &'static str, method: &str, path: &str, body: serde_json::Value| {
        let text = body.to_string();
        let answer = http::send(
            addr,
            method,
            path,
            token,
            "application/json",
            text.as_bytes(),
        );
        checks.push(bounded(name, text.len(), &answer));
    };
    let del = "\u{7f}".repeat(near_limit(1));
    case(
        "a ~1 MiB `direction` of DEL characters",
        "POST",
        "/api/v1/agents",
        json!({"name": "x", "direction": del}),
    );
    case(
        "a ~1 MiB agent name of bidi overrides",
        "POST",
        "/api/v1/agents",
        json!({"name": "\u{202e}".repeat(near_limit(3)), "direction": "inbound"}),
    );
    let bad_numbers: Vec<String> = (0..near_limit(12)).map(|i| format!("x{i:07}")).collect();
    case(
        "~90,000 bad phone numbers",
        "POST",
        "/api/v1/agents",
        json!({"name": "x", "direction": "inbound", "phone_numbers": bad_numbers}),
    );
    let handler = http::json(
        addr,
        "POST",
        "/api/v1/agents",
        token,
        &json!({"name": "Handler", "direction": "inbound", "phone_numbers": ["+14155550100"]}),
    )
    .json()["data"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let bad_sources: Vec<String> = (0..near_limit(10)).map(|i| format!("s{i:06}")).collect();
    case(
        "~100,000 bad source agent ids",
        "POST",
        &format!("/api/v1/agents/{handler}/callback"),
        json!({"source_agent_ids": bad_sources}),
    );
    case(
        "a ~1 MiB inbound `from`",
        "POST",
        "/api/v1/calls",
        json!({"direction": "inbound", "from": "9".repeat(near_limit(1)), "to": "+14155550100",
               "started_at": "2024-01-01T00:00:00Z", "status": "completed"}),
    );
    let days = "7".repeat(60_000);
    let answer = http::send(
        addr,
        "GET",
        &format!("/v1/usage/daily?days={days}"),
        token,
        "text/plain",
        b"",
    );
    checks.push(bounded(
        "a 60 KB `days` query parameter",
        days.len(),
        &answer,
    ));

    // imports: many bad lines, each near the line limit, then one huge line
    let line = format!("{{\"direction\": \"{}\"}}", "\u{7f}".repeat(60_000));
    let body = vec![line.as_str(); 1000].join("\n");
    let answer = http::send(
        addr,
        "POST",
        "/api/v1/calls/import",
        token,
        "application/x-ndjson",
        body.as_bytes(),
    );
    let rejected = answer.json()["data"]["rejected"].as_u64();
    checks.push(Check::new(
        "an import of 1,000 bad 60 KB lines",
        answer.status == 200 && rejected == Some(1000) && answer.bytes < 256 << 10,
        format!(
            "{} bytes back for {} sent ({:.5}x; bound 256 KiB), {rejected:?} rejected",
            answer.bytes,
            body.len(),
            answer.bytes as f64 / body.len() as f64
        ),
    ));
    let before = server.peak_rss_mib();
    let mut huge = String::with_capacity(42 << 20);
    huge.push('[');
    while huge.len() < 42_000_000 {
        huge.push_str("0,");
    }
    huge.push_str("0]\n");
    let answer = http::send(
        addr,
        "POST",
        "/api/v1/calls/import",
        token,
        "application/x-ndjson",
        huge.as_bytes(),
    );
    let peak = server.peak_rss_mib();
    checks.push(Check::new(
        "peak memory through a 42 MB import line `[0,0,…]`",
        answer.status == 200 && peak < 150.0,
        format!(
            "peak RSS {peak:.1} MiB (before: {before:.1} MiB; bound 150 MiB); answer {}",
            answer.status
        ),
    ));

    // idempotency: a key reused with other content is refused, and nothing is stored
    let call = |status: &str| {
        json!({"direction": "inbound", "from": "+442079460001", "to": "+14155550100",
               "started_at": "2024-01-01T00:00:00Z", "status": status, "external_id": "CA-hostile"})
    };
    let first = http::json(addr, "POST", "/api/v1/calls", token, &call("completed")).status;
    let same = http::json(addr, "POST", "/api/v1/calls", token, &call("completed")).status;
    let other = http::json(addr, "POST", "/api/v1/calls", token, &call("busy"));
    checks.push(Check::new(
        "an external_id replayed with different content",
        (first, same, other.status) == (201, 200, 409)
            && other.json()["code"] == "EXTERNAL_ID_CONFLICT",
        format!(
            "first {first}, same again {same}, different {} {}",
            other.status,
            other.json()["code"]
        ),
    ));
    checks
}
