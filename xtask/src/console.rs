//! `cargo xtask e2e`: the console's tests. Its validation and formatting pieces run under
//! `wasm-bindgen-test` in headless Chromium; then the release server and console are built and
//! Playwright drives Chromium through every page against `dialback serve --demo` on a fresh
//! database (`tests/e2e/`). Screenshots land in `test-results/screenshots/`.

use crate::{Result, pkg, run_with, tools};

pub fn test() -> Result {
    tools::chromium()?;
    tools::node_modules()?;
    run_with(
        &[
            ("WASM_BINDGEN_USE_BROWSER", "1"),
            ("CHROMEDRIVER", "/usr/bin/chromedriver"),
        ],
        "cargo",
        &[
            "test",
            "--package",
            "dialback-web",
            "--target",
            "wasm32-unknown-unknown",
        ],
    )?;
    pkg::web()?;
    crate::server::build()?;
    run_with(
        &[("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")],
        "node_modules/.bin/playwright",
        &["test", "--config", "tests/e2e/playwright.config.mjs"],
    )?;
    eprintln!(
        "\nscreenshots: test-results/screenshots/ (one per page at 1440 and 375 px, and dark)"
    );
    Ok(())
}
