//! `cargo xtask web`: the console's static files; `cargo xtask e2e`: the console's tests. Its
//! validation and formatting pieces run under `wasm-bindgen-test` in headless Chromium; then the
//! release server and console are built and Playwright drives Chromium through every page against
//! `dialback serve --demo` on a fresh database (`tests/e2e/`). Screenshots land in
//! `test-results/screenshots/`.

use std::fs;
use std::path::Path;

use crate::pkg::{Memory, copy, gzip, optimise};
use crate::{Result, root, run, run_with, tools};

/// The budget for the console's first download (everything the landing page fetches before
/// it renders), gzip -9.
const FIRST_DOWNLOAD_BUDGET: u64 = 400 * 1024;

/// Where `wasm-split-cli` writes the split modules before `wasm-bindgen` and `wasm-opt`.
const STAGE: &str = "target/web-split";

/// What the landing page fetches; every other `.wasm` in `web/dist/` is a page's own code,
/// fetched when that page first opens.
const FIRST_DOWNLOAD: [&str; 6] = [
    "index.html",
    "boot.js",
    "console.css",
    "dialback_web.js",
    "__wasm_split.js",
    "dialback_web_bg.wasm",
];

/// `cargo xtask web`: the console's static files in `web/dist/`, which `dialback serve` serves
/// at `/`, each beside its `gzip -9` copy (the server sends that to browsers that accept gzip,
/// without compressing on every request).
///
/// 1. A size-optimised wasm build with the `split` feature, linked with `--emit-relocs` so
///    that `wasm-split-cli` can see every reference between functions.
/// 2. `wasm-split-cli` moves each lazy route's view, and the code only those views use, into
///    modules of their own (`split_*.wasm`, with `chunk_*.wasm` for code several of them
///    share) and writes `__wasm_split.js`, which fetches them on first use.
/// 3. `wasm-bindgen --target web --keep-lld-exports` on the main module (the split modules
///    import its memory, table and stack pointer by those names), then `wasm-opt -Oz` on every
///    module. The main module's function table is exported, so `wasm-opt` keeps its layout,
///    which the split modules fill in.
///
/// Fails if the first download is over its budget.
pub fn web() -> Result {
    tools::wasm_bindgen()?;
    tools::node_modules()?;
    tools::wasm_split()?;
    run(
        "cargo",
        &[
            "rustc",
            "--package",
            "dialback-web",
            "--bin",
            "dialback-web",
            "--features",
            "split",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
            "--",
            "-Clink-args=--emit-relocs",
        ],
    )?;
    let dist = root().join("web/dist");
    for dir in [root().join(STAGE), dist.clone()] {
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
        }
    }
    run(
        "wasm-split-cli",
        &[
            "target/wasm32-unknown-unknown/wasm-release/dialback-web.wasm",
            STAGE,
            "--target",
            "web",
            "--out-name",
            "dialback_web",
        ],
    )?;
    run(
        "wasm-bindgen",
        &[
            &format!("{STAGE}/dialback_web.wasm"),
            "--target",
            "web",
            "--keep-lld-exports",
            "--out-dir",
            "web/dist",
            "--out-name",
            "dialback_web",
            "--no-typescript",
        ],
    )?;
    let mut modules = vec![("dialback_web_bg.wasm".to_owned(), Memory::Own)];
    for name in file_names(&root().join(STAGE))? {
        if name == "dialback_web.wasm" {
            continue;
        }
        copy(&format!("{STAGE}/{name}"), &format!("web/dist/{name}"))?;
        if name.ends_with(".wasm") {
            modules.push((name, Memory::Shared));
        }
    }
    // the modules are independent: as many at once as there are cores (the main one first,
    // the largest)
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result {
                    let mine = || next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    while let Some((name, memory)) = modules.get(mine()) {
                        optimise(&format!("web/dist/{name}"), "-Oz", *memory)?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .map_err(|_| "a wasm-opt worker panicked".to_owned())?
        })
    })?;
    copy("index.html", "web/dist/index.html")?;
    copy("web/console.css", "web/dist/console.css")?;
    copy("web/boot.js", "web/dist/boot.js")?;
    let (mut first, mut later) = (0, 0);
    for name in file_names(&dist)? {
        let path = dist.join(&name);
        let compressed = gzip(&path)?;
        if FIRST_DOWNLOAD.contains(&name.as_str()) {
            first += compressed.len() as u64;
        } else {
            later += compressed.len() as u64;
        }
        let mut gz = path.into_os_string();
        gz.push(".gz");
        fs::write(&gz, compressed).map_err(|e| format!("cannot write {gz:?}: {e}"))?;
    }
    eprintln!(
        "\nweb/dist/: the console's first download is {first} bytes gzip -9 \
         (budget {FIRST_DOWNLOAD_BUDGET}); the other pages' modules, fetched when first opened, \
         {later} bytes"
    );
    if first > FIRST_DOWNLOAD_BUDGET {
        return Err(format!(
            "the console's first download is {first} bytes gzip, over the \
             {FIRST_DOWNLOAD_BUDGET}-byte budget"
        ));
    }
    Ok(())
}

/// The names of the files in `dir`, sorted.
fn file_names(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.path().is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

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
    web()?;
    crate::server::build()?;
    let bin = crate::server::binary();
    run_with(
        &[
            ("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
            ("DIALBACK_BIN", &bin.to_string_lossy()),
        ],
        "node_modules/.bin/playwright",
        &["test", "--config", "tests/e2e/playwright.config.mjs"],
    )?;
    eprintln!(
        "\nscreenshots: test-results/screenshots/ (one per page at 1440 and 375 px, and dark)"
    );
    Ok(())
}
