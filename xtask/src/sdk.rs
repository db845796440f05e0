//! `cargo xtask sdk`: the official AgentPhone SDKs, unchanged, against fresh demo servers.
//! The Python SDK (`tests/sdk/agentphone_contract.py`; pinned in `tests/sdk/requirements.txt`,
//! installed into a virtualenv under `target/`) against one demo server and one with
//! `--rate-limit`; the TypeScript SDK (`tests/sdk/agentphone_contract.mjs`; npm `agentphone`,
//! pinned in `package.json`) against another.

use crate::server::{self, Scratch, Server};
use crate::{Result, run_with, tools};

pub fn test() -> Result {
    let python = tools::python_venv("sdk-venv", "tests/sdk/requirements.txt")?;
    server::build()?;
    let scratch = Scratch::new("sdk")?;
    let demo = Server::start(scratch.path().join("demo.db").as_os_str(), &["--demo"])?;
    let token = demo
        .token
        .clone()
        .ok_or("the demo server printed no token")?;
    // a second server that allows each token 3 requests a minute: the SDK's RateLimitError
    let limited = Server::start(
        scratch.path().join("limited.db").as_os_str(),
        &["--demo", "--rate-limit", "3"],
    )?;
    let limited_token = limited
        .token
        .clone()
        .ok_or("the rate-limited server printed no token")?;
    run_with(
        &[
            ("DIALBACK_URL", &demo.base),
            ("DIALBACK_TOKEN", &token),
            ("DIALBACK_LIMITED_URL", &limited.base),
            ("DIALBACK_LIMITED_TOKEN", &limited_token),
        ],
        &python.to_string_lossy(),
        &["tests/sdk/agentphone_contract.py"],
    )?;
    // the TypeScript SDK on a server of its own, so each contract counts from a clean slate
    tools::node_modules()?;
    let ts = Server::start(scratch.path().join("ts.db").as_os_str(), &["--demo"])?;
    let ts_token = ts.token.clone().ok_or("the demo server printed no token")?;
    run_with(
        &[("DIALBACK_URL", &ts.base), ("DIALBACK_TOKEN", &ts_token)],
        "node",
        &["tests/sdk/agentphone_contract.mjs"],
    )
}
