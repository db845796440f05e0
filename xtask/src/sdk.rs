//! `cargo xtask sdk`: the official AgentPhone Python SDK, unchanged, against a fresh demo
//! server, and against one with `--rate-limit` (`tests/sdk/agentphone_contract.py`). The SDK and its dependencies are pinned in
//! `tests/sdk/requirements.txt` and installed into a virtualenv under `target/`.

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
    )
}
