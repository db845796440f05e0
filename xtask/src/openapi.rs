//! The OpenAPI document: `cargo xtask openapi` writes `openapi.json` from the code;
//! `cargo xtask openapi-test` validates it, runs Schemathesis against a fresh demo server
//! (a fixed seed and a bounded number of examples, for CI) and a TypeScript client generated
//! from it; `cargo xtask fuzz-api SECONDS` runs Schemathesis longer, with a random seed.

use std::process::Command;

use crate::server::{self, Scratch, Server};
use crate::{Result, root, run, run_with, tools};

/// Writes `openapi.json` at the repository root, as `dialback openapi` prints it.
pub fn write() -> Result {
    server::build()?;
    let out = Command::new(server::binary())
        .arg("openapi")
        .output()
        .map_err(|e| format!("cannot run dialback openapi: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    std::fs::write(root().join("openapi.json"), out.stdout)
        .map_err(|e| format!("cannot write openapi.json: {e}"))?;
    eprintln!("wrote openapi.json");
    Ok(())
}

fn schemathesis(python: &std::path::Path, demo: &Server, extra: &[&str]) -> Result {
    let token = demo
        .token
        .clone()
        .ok_or("the demo server printed no token")?;
    let st = python.with_file_name("st");
    let url = format!("{}/openapi.json", demo.base);
    let auth = format!("Authorization: Bearer {token}");
    let mut args = vec![
        "--config-file",
        "tests/openapi/schemathesis.toml",
        "run",
        &url,
        "--header",
        &auth,
        "--workers",
        "2",
    ];
    args.extend_from_slice(extra);
    run_with(
        &[("PYTHONPATH", "tests/openapi")],
        &st.to_string_lossy(),
        &args,
    )
}

/// What CI runs.
pub fn test() -> Result {
    let python = tools::python_venv("openapi-venv", "tests/openapi/requirements.txt")?;
    tools::node_modules()?;
    server::build()?;
    let validator = python.with_file_name("openapi-spec-validator");
    run(&validator.to_string_lossy(), &["openapi.json"])?;
    let scratch = Scratch::new("openapi")?;
    let demo = Server::start(scratch.path().join("demo.db").as_os_str(), &["--demo"])?;
    // the committed document is the one served (a test in server/tests/openapi.rs holds the
    // file to the code)
    schemathesis(&python, &demo, &["--max-examples", "20", "--seed", "1"])?;
    typed_client(&demo)
}

/// A longer run with a random seed; what it finds goes into the closing notes.
pub fn fuzz(seconds: &str) -> Result {
    let python = tools::python_venv("openapi-venv", "tests/openapi/requirements.txt")?;
    server::build()?;
    let scratch = Scratch::new("fuzz-api")?;
    let demo = Server::start(scratch.path().join("demo.db").as_os_str(), &["--demo"])?;
    schemathesis(
        &python,
        &demo,
        &["--max-time", seconds, "--max-examples", "100000"],
    )
}

/// Types generated from the document, a consumer compiled against them with `tsc --strict`,
/// and run against the demo server.
fn typed_client(demo: &Server) -> Result {
    let dir = root().join("target/openapi-client");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let copy = |from: &str, to: &str| {
        std::fs::copy(root().join(from), dir.join(to))
            .map(drop)
            .map_err(|e| format!("cannot copy {from}: {e}"))
    };
    copy("tests/openapi/client/consumer.ts", "consumer.ts")?;
    std::fs::write(dir.join("package.json"), "{\"type\": \"module\"}\n")
        .map_err(|e| e.to_string())?;
    run(
        "node_modules/.bin/openapi-typescript",
        &[
            "openapi.json",
            "--output",
            "target/openapi-client/schema.d.ts",
        ],
    )?;
    run(
        "node_modules/.bin/tsc",
        &[
            "--strict",
            "--target",
            "es2022",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "--skipLibCheck",
            "--outDir",
            "target/openapi-client/out",
            "target/openapi-client/consumer.ts",
        ],
    )?;
    std::fs::write(dir.join("out/package.json"), "{\"type\": \"module\"}\n")
        .map_err(|e| e.to_string())?;
    let token = demo
        .token
        .clone()
        .ok_or("the demo server printed no token")?;
    run_with(
        &[("DIALBACK_URL", &demo.base), ("DIALBACK_TOKEN", &token)],
        "node",
        &["target/openapi-client/out/consumer.js"],
    )
}
