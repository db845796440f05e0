//! The time zone table the server answers by: the compiled-in release in `/healthz`, the
//! metrics and `--version`; `GET /tzdata`; the zones whose rules changed in 2026 through the
//! API; and `--tzdata` loading another release, or refusing an older one.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use dialback_core::{Timestamp, Tzdata};
use dialback_server::app::{Clock, Settings};
use serde_json::{Value, json};

use crate::harness::{Binary, Server, TempDir, request};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

fn dialback(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dialback"))
        .args(args)
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_release_in_force_is_reported_and_served() {
    let s = Server::start().await;
    let release = Tzdata::embedded_version();
    let (status, health) = s.call("GET", "/healthz", None).await;
    assert_eq!(status, 200);
    assert_eq!(health["tzdata"], release);
    let (_, health) = s.call("GET", "/api/v1/health", None).await;
    assert_eq!(health["data"]["tzdata"], release);
    let metrics = reqwest::get(format!("{}/metrics", s.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(&format!("tzdata=\"{release}\"")),
        "{metrics}"
    );

    // GET /tzdata: the compact table, no token
    let res = reqwest::get(format!("{}/tzdata", s.base)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-tzdata-version"], release);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.dialback.tzdata"
    );
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"tzdata-{release}\""));
    let body = res.bytes().await.unwrap();
    assert_eq!(&body[..], Tzdata::embedded_compact());
    let again = s
        .http
        .get(format!("{}/tzdata", s.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());

    let out = dialback(&["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("dialback {} (tzdata {release})", env!("CARGO_PKG_VERSION"))
    );
}

/// `tests/fixtures/tz_changed_periods.csv` (Python's zoneinfo, tzdata 2026f) through
/// `GET /v1/usage/by-agent`: at the first second, the middle and the last second of every
/// week, month and year from 2026-09 through 2028, in each zone whose rules changed.
#[tokio::test]
async fn the_zones_that_changed_in_2026_follow_2026f_through_the_api() {
    let now = Arc::new(AtomicI64::new(0));
    let s = Server::start_with(
        Settings {
            clock: Clock::Manual(now.clone()),
            ..Settings::default()
        },
        |r| r,
    )
    .await;
    let csv = std::fs::read_to_string(fixture("tz_changed_periods.csv")).unwrap();
    let release = format!("tzdata {} ", Tzdata::embedded_version());
    assert!(csv.lines().next().unwrap().contains(&release));
    let mut asked = 0;
    for line in csv.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (zone, period, start, end) = (f[0], f[1], f[2], f[3]);
        let (a, b) = (
            Timestamp::parse(start).unwrap().unix_seconds(),
            Timestamp::parse(end).unwrap().unix_seconds(),
        );
        for at in [a, (a + b) / 2, b] {
            now.store(at, Ordering::Relaxed);
            let (status, body) = s
                .call(
                    "GET",
                    &format!("/v1/usage/by-agent?period={period}&tz={zone}"),
                    None,
                )
                .await;
            assert_eq!(status, 200, "{body}");
            assert_eq!(
                (&body["periodStart"], &body["periodEnd"]),
                (&json!(start), &json!(end)),
                "{zone} {period} at {at}"
            );
            asked += 1;
        }
    }
    assert!(asked > 6000, "{asked}");
}

/// One unmatched callback at 2026-12-01T07:30:00Z, and the callbacks of 1 December in
/// Vancouver: under 2026f (UTC-7 all year) the day begins at 07:00Z and holds it; under 2025b
/// (UTC-8 in winter) it begins at 08:00Z and does not.
async fn vancouver_on_december_1st(http: &reqwest::Client, base: &str, token: &str) -> Value {
    let call = |method: &'static str, path: &'static str, body: Value| {
        let (http, base, token) = (http.clone(), base.to_owned(), token.to_owned());
        async move { request(&http, &base, &token, method, path, Some(body)).await }
    };
    let (status, agent) = call(
        "POST",
        "/api/v1/agents",
        json!({"name": "Callbacks", "direction": "inbound", "phone_numbers": ["+16045550100"]}),
    )
    .await;
    assert_eq!(status, 200, "{agent}");
    let handler = agent["data"]["id"].as_str().unwrap().to_owned();
    let (_, source) = call(
        "POST",
        "/api/v1/agents",
        json!({"name": "Outreach", "direction": "outbound"}),
    )
    .await;
    let source = source["data"]["id"].as_str().unwrap().to_owned();
    let (status, body) = request(
        http,
        base,
        token,
        "POST",
        &format!("/api/v1/agents/{handler}/callback"),
        Some(json!({"source_agent_ids": [source]})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        "POST",
        "/api/v1/calls",
        json!({"direction": "inbound", "from": "+16045559999", "to": "+16045550100",
               "started_at": "2026-12-01T07:30:00Z", "status": "completed",
                   "duration_seconds": 60}),
    )
    .await;
    assert!((200..300).contains(&status), "{body}");
    let (status, stats) = request(
        http,
        base,
        token,
        "GET",
        "/api/v1/callback-agents/stats?start_date=2026-12-01&end_date=2026-12-01\
         &tz=America/Vancouver",
        None,
    )
    .await;
    assert_eq!(status, 200, "{stats}");
    stats["data"]["total_callbacks_received"].clone()
}

#[tokio::test]
async fn the_compiled_in_2026f_counts_the_callback_on_december_1st() {
    let s = Server::start().await;
    assert_eq!(
        vancouver_on_december_1st(&s.http, &s.base, &s.token).await,
        1
    );
}

#[tokio::test]
async fn a_server_given_another_release_reports_it_and_answers_by_it() {
    let dir = TempDir::new();
    let zoneinfo = fixture("zoneinfo-2025b");
    let zoneinfo = zoneinfo.to_str().unwrap();

    // older than the compiled-in release: refused, saying why and what would take it
    let out = dialback(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--tzdata",
        zoneinfo,
        "--db",
        dir.db().to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "tzdata 2025b is older than the {} built in",
            Tzdata::embedded_version()
        )) && err.contains("--tzdata-allow-older"),
        "{err}"
    );

    // allowed: it says so when it starts, reports 2025b everywhere, and answers by it
    let token = Binary::create_env(dir.db(), "tz");
    let server = Binary::start(
        dir.db(),
        &dir.0.join("serve.log"),
        &[
            ("DIALBACK_TZDATA", zoneinfo),
            ("DIALBACK_TZDATA_ALLOW_OLDER", "true"),
        ],
    );
    assert!(
        server.banner.contains("tzdata 2025b from ")
            && server
                .banner
                .contains("(5 zones; 25 links it lacks follow their zone; "),
        "{}",
        server.banner
    );
    let http = reqwest::Client::new();
    let (_, health) = request(&http, &server.base, &token, "GET", "/healthz", None).await;
    assert_eq!(health["tzdata"], "2025b");
    let res = http
        .get(format!("{}/tzdata", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-tzdata-version"], "2025b");
    let served = Tzdata::from_compact(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(served.version().as_str(), "2025b");
    assert_eq!(served.zone_count(), 597);
    // America/Vancouver's own 2025b rules; Canada/Pacific, a link, follows it
    let dec1 = Timestamp::parse("2026-12-01T07:30:00Z")
        .unwrap()
        .unix_seconds();
    assert_eq!(served.offset_at("America/Vancouver", dec1), Some(-8 * 3600));
    assert_eq!(served.offset_at("Canada/Pacific", dec1), Some(-8 * 3600));
    assert_eq!(
        vancouver_on_december_1st(&http, &server.base, &token).await,
        0
    );
}

#[tokio::test]
async fn a_compiled_table_and_a_named_release_are_taken_and_bad_paths_refused() {
    let dir = TempDir::new();
    let table = dir.0.join("tzdata.bin");
    let zoneinfo = fixture("zoneinfo-2025b");
    let out = dialback(&[
        "tzdata",
        "compile",
        "--from",
        zoneinfo.to_str().unwrap(),
        "--out",
        table.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains(&format!(
            "older than the {} compiled in",
            Tzdata::embedded_version()
        )),
        "{printed}"
    );
    let compiled = Tzdata::from_compact(&std::fs::read(&table).unwrap()).unwrap();
    assert_eq!(compiled.version().as_str(), "2025b");
    assert_eq!(compiled.zone_count(), 597);

    // the compact file serves as the directory did
    Binary::create_env(dir.db(), "tz");
    let server = Binary::start(
        dir.db(),
        &dir.0.join("compact.log"),
        &[
            ("DIALBACK_TZDATA", table.to_str().unwrap()),
            ("DIALBACK_TZDATA_ALLOW_OLDER", "true"),
        ],
    );
    assert!(
        server.banner.contains("tzdata 2025b from "),
        "{}",
        server.banner
    );
    drop(server);

    // the operator names the release of files that do not say it
    let server = Binary::start(
        dir.db(),
        &dir.0.join("named.log"),
        &[
            ("DIALBACK_TZDATA", zoneinfo.to_str().unwrap()),
            ("DIALBACK_TZDATA_VERSION", "2099a"),
        ],
    );
    assert!(
        server.banner.contains("tzdata 2099a from "),
        "{}",
        server.banner
    );
    let health: Value = reqwest::get(format!("{}/healthz", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["tzdata"], "2099a");
    drop(server);

    for (path, expected) in [
        ("/nonexistent/zoneinfo", "No such file"),
        (env!("CARGO_MANIFEST_DIR"), "no zone files (TZif)"),
    ] {
        let out = dialback(&[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tzdata",
            path,
            "--tzdata-version",
            "2099a",
            "--db",
            dir.db().to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{path}");
        assert!(
            err.contains("--tzdata") && err.contains(expected),
            "{path}: {err}"
        );
    }
}
