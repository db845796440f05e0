//! Inputs a quadratic algorithm would make slow, each timed at two sizes (best of several
//! runs): doubling the input must not much more than double the time. Linear work gives a
//! ratio near 2, quadratic near 4; the bound is 3.

use std::time::Duration;

use serde_json::json;

use crate::server::Server;
use crate::{Check, best_of, http};

const BOUND: f64 = 3.0;

fn growth(name: &'static str, sizes: (usize, usize), times: (Duration, Duration)) -> Check {
    let ratio = times.1.as_secs_f64() / times.0.as_secs_f64().max(1e-9);
    Check::new(
        name,
        ratio < BOUND,
        format!(
            "{} → {}: {:.1?} → {:.1?}, x{ratio:.2} (bound x{BOUND})",
            sizes.0, sizes.1, times.0, times.1
        ),
    )
}

pub fn checks(bin: &str) -> Vec<Check> {
    let server = Server::start(bin, "work", &[], None);
    let (addr, token) = (server.addr.as_str(), server.token.as_str());
    let mut checks = Vec::new();
    let mut serial = 0u64;

    // one agent with many numbers: the duplicate and ownership checks
    let mut agent_with = |n: usize| {
        best_of(5, || {
            serial += 1;
            let numbers: Vec<String> = (0..n)
                .map(|i| format!("+1{:03}{:07}", 200 + serial % 700, i))
                .collect();
            let answer = http::json(
                addr,
                "POST",
                "/api/v1/agents",
                token,
                &json!({"name": format!("Many {serial}"), "direction": "outbound",
                    "phone_numbers": numbers}),
            );
            assert_eq!(
                answer.status,
                200,
                "{}",
                String::from_utf8_lossy(&answer.body)
            );
        })
    };
    let times = (agent_with(500), agent_with(1000));
    checks.push(growth(
        "an agent created with N numbers",
        (500, 1000),
        times,
    ));

    // a callback agent with many sources
    let sources: Vec<String> = (0..1000)
        .map(|i| {
            http::json(
                addr,
                "POST",
                "/api/v1/agents",
                token,
                &json!({"name": format!("Source {i}"), "direction": "outbound"}),
            )
            .json()["data"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
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
    let path = format!("/api/v1/agents/{handler}/callback");
    let _ = http::json(
        addr,
        "POST",
        &path,
        token,
        &json!({"source_agent_ids": [sources[0]]}),
    );
    let configure = |n: usize| {
        best_of(5, || {
            let answer = http::json(
                addr,
                "PUT",
                &path,
                token,
                &json!({"source_agent_ids": &sources[..n]}),
            );
            assert_eq!(
                answer.status,
                200,
                "{}",
                String::from_utf8_lossy(&answer.body)
            );
        })
    };
    let times = (configure(500), configure(1000));
    checks.push(growth(
        "a callback agent configured with N sources",
        (500, 1000),
        times,
    ));

    let times = (import_time(bin, 40_000), import_time(bin, 80_000));
    checks.push(growth(
        "an import of N calls in time order, half of them routed",
        (40_000, 80_000),
        times,
    ));
    checks
}

/// The best of three imports of `n` calls (in time order, as an export is; each import later
/// than the one before) into a fresh environment with a callback agent and 100 sources.
fn import_time(bin: &str, n: usize) -> Duration {
    let server = Server::start(bin, &format!("import-{n}"), &[], None);
    let (addr, token) = (server.addr.as_str(), server.token.as_str());
    let id = |answer: http::Answer| {
        answer.json()["data"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let sources: Vec<String> = (0..100)
        .map(|i| {
            id(http::json(
                addr,
                "POST",
                "/api/v1/agents",
                token,
                &json!({"name": format!("Source {i}"), "direction": "outbound"}),
            ))
        })
        .collect();
    let handler = id(http::json(
        addr,
        "POST",
        "/api/v1/agents",
        token,
        &json!({"name": "Handler", "direction": "inbound", "phone_numbers": ["+14155550100"]}),
    ));
    let configured = http::json(
        addr,
        "POST",
        &format!("/api/v1/agents/{handler}/callback"),
        token,
        &json!({"source_agent_ids": sources}),
    );
    assert_eq!(configured.status, 200);
    let mut batch = 0i64;
    best_of(3, || {
        batch += 1;
        let lines: Vec<String> = (0..n)
            .map(|i| {
                let at = unix_rfc3339(1_704_067_200 + batch * 10_000_000 + i as i64 * 5);
                let contact = format!("+44207{:06}", i / 2 % 200_000);
                if i % 2 == 0 {
                    json!({"direction": "outbound", "agent_id": sources[i % 100], "to": contact,
                           "started_at": at, "status": "no-answer"})
                } else {
                    json!({"direction": "inbound", "from": contact, "to": "+14155550100",
                           "started_at": at, "status": "completed", "duration_seconds": 30})
                }
                .to_string()
            })
            .collect();
        let body = lines.join("\n");
        let answer = http::send(
            addr,
            "POST",
            "/api/v1/calls/import",
            token,
            "application/x-ndjson",
            body.as_bytes(),
        );
        assert_eq!(
            answer.status,
            200,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
    })
}

/// Unix seconds as RFC 3339 UTC (days from the civil calendar, no library needed here).
fn unix_rfc3339(secs: i64) -> String {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}
