//! `cargo xtask pkg`: the `dialback-core` npm package in `pkg/`.
//!
//! One wasm build of `wasm/` (profile `wasm-release`), bound twice by `wasm-bindgen`: `node/`
//! (an ES module that compiles the `.wasm` synchronously, so `import * as core` is ready to
//! call) and
//! `web/` (ES module with an `init()` that fetches the `.wasm`, for browsers and bundlers).
//! Each `.wasm` is then shrunk by `wasm-opt` from the npm `binaryen` package (never Debian's:
//! its version 108 writes modules that fail to load). Hand-written files (`pkg/README.md`,
//! the Node entry in `wasm/npm/`) are copied in; everything else in `pkg/` is generated.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::{Result, root, run, run_with, tools};

/// The budget for the module users download, gzip -9, every time zone included.
const MAX_GZIP_BYTES: u64 = 200 * 1024;

const WASM: &str = "target/wasm32-unknown-unknown/wasm-release/dialback_wasm.wasm";
const NAME: &str = "dialback_core";

/// Builds `pkg/` and prints the module's size.
pub fn pkg() -> Result {
    build_wasm("dialback-wasm")?;
    let pkg = root().join("pkg");
    clean(&pkg)?;
    for (target, dir) in [("experimental-nodejs-module", "node"), ("web", "web")] {
        run(
            "wasm-bindgen",
            &[
                WASM,
                "--target",
                target,
                "--out-dir",
                &format!("pkg/{dir}"),
                "--out-name",
                NAME,
            ],
        )?;
        // -O3: as small as -Oz for this module (203,623 against 203,675 bytes gzip) and 11%
        // faster on the NDJSON benchmark (588 against 663 ms for 1M calls)
        optimise(&format!("pkg/{dir}/{NAME}_bg.wasm"), "-O3", Memory::Own)?;
        embedded_tzdata_constant(dir)?;
    }
    live()?;
    copy("wasm/npm/node/index.mjs", "pkg/node/index.mjs")?;
    copy("wasm/npm/node/index.d.ts", "pkg/node/index.d.ts")?;
    // wasm-bindgen marks its Node output as an ES module; the package root says so already
    fs::remove_file(root().join("pkg/node/package.json")).ok();
    write("pkg/package.json", &manifest()?)?;
    let module = root().join(format!("pkg/web/{NAME}_bg.wasm"));
    let raw = fs::metadata(&module).map_err(|e| e.to_string())?.len();
    let gzip = gzip_size(&module)?;
    eprintln!("\npkg/: {NAME}_bg.wasm is {raw} bytes, {gzip} bytes gzip -9");
    if gzip > MAX_GZIP_BYTES {
        return Err(format!(
            "the module is {gzip} bytes gzip, over the {MAX_GZIP_BYTES}-byte budget"
        ));
    }
    Ok(())
}

/// The live stream reader, `dialback-core/live`: a module of its own (the main one keeps its
/// budget), its JavaScript (`wasm/npm/live/`) beside it.
fn live() -> Result {
    const LIVE: &str = "target/wasm32-unknown-unknown/wasm-release/dialback_wasm_live.wasm";
    build_wasm("dialback-wasm-live")?;
    for (target, dir) in [("experimental-nodejs-module", "node"), ("web", "web")] {
        let out = format!("pkg/live/{dir}");
        run(
            "wasm-bindgen",
            &[
                LIVE,
                "--target",
                target,
                "--out-dir",
                &out,
                "--out-name",
                "dialback_live",
            ],
        )?;
        optimise(&format!("{out}/dialback_live_bg.wasm"), "-Oz", Memory::Own)?;
        fs::remove_file(root().join(format!("{out}/package.json"))).ok();
    }
    for file in ["stream.mjs", "node.mjs", "web.mjs", "index.d.ts"] {
        copy(
            &format!("wasm/npm/live/{file}"),
            &format!("pkg/live/{file}"),
        )?;
    }
    let module = root().join("pkg/live/web/dialback_live_bg.wasm");
    eprintln!(
        "pkg/live/: dialback_live_bg.wasm is {} bytes gzip -9",
        gzip_size(&module)?
    );
    Ok(())
}

/// Every test of the package: the bindings under wasm-bindgen-test in Node, Chromium and
/// Firefox; then `pkg/` built and tested as a consumer installs it (`node --test`), and the
/// benchmark run small (it checks its answers against plain JavaScript's).
pub fn test() -> Result {
    tools::chromium()?;
    let gecko = tools::firefox()?;
    let gecko = gecko.to_string_lossy();
    let wasm_test = [
        "test",
        "--package",
        "dialback-wasm",
        "--target",
        "wasm32-unknown-unknown",
    ];
    run("cargo", &wasm_test)?;
    run_with(
        &[
            ("WASM_BINDGEN_USE_BROWSER", "1"),
            ("CHROMEDRIVER", "/usr/bin/chromedriver"),
        ],
        "cargo",
        &wasm_test,
    )?;
    run_with(
        &[("WASM_BINDGEN_USE_BROWSER", "1"), ("GECKODRIVER", &gecko)],
        "cargo",
        &wasm_test,
    )?;
    pkg()?;
    // the live helper's test streams from a real server
    crate::server::build()?;
    let bin = crate::server::binary();
    run_with(
        &[("DIALBACK_BIN", &bin.to_string_lossy())],
        "node",
        &["--test", "tests/pkg/"],
    )?;
    run("node", &["tests/pkg/bench.mjs", "pkg", "20000"])
}

/// `node tests/pkg/bench.mjs` on a fresh release build, 1M calls.
pub fn bench() -> Result {
    pkg()?;
    run("node", &["tests/pkg/bench.mjs", "pkg", "1000000"])
}

/// `TZDATA_VERSION`, the release compiled in, as a constant of both entries: a constant must
/// exist before the web build's `init()`, so it is written here as text, read from the
/// embedded table's header (`DBTZ2`, a one-byte length, the release). The package tests
/// check it against `tzdataVersion()`, which asks the module.
fn embedded_tzdata_constant(dir: &str) -> Result {
    let table = fs::read(root().join("core/src/time/tzdata.bin")).map_err(|e| e.to_string())?;
    let version = table
        .strip_prefix(b"DBTZ2")
        .and_then(|rest| {
            let (len, rest) = rest.split_first()?;
            rest.get(..usize::from(*len))
        })
        .and_then(|v| std::str::from_utf8(v).ok())
        .filter(|v| v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .ok_or("core/src/time/tzdata.bin has no readable release in its header")?;
    let doc = "/** The IANA tz database release compiled in; `tzdataVersion()` gives the one in \
        force. */";
    for (file, line) in [
        (
            "js",
            format!("export const TZDATA_VERSION = \"{version}\";"),
        ),
        ("d.ts", "export const TZDATA_VERSION: string;".to_owned()),
    ] {
        let path = root().join(format!("pkg/{dir}/{NAME}.{file}"));
        let mut text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        text.push_str(&format!("\n{doc}\n{line}\n"));
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Removes generated files, keeping the hand-written README.
fn clean(pkg: &Path) -> Result {
    fs::create_dir_all(pkg).map_err(|e| e.to_string())?;
    for entry in fs::read_dir(pkg).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The tools, then a `wasm-release` build of `package` for wasm32.
fn build_wasm(package: &str) -> Result {
    tools::wasm_bindgen()?;
    tools::node_modules()?;
    run(
        "cargo",
        &[
            "build",
            "--package",
            package,
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ],
    )
}

/// Whose memory a module uses, which decides what `wasm-opt` may assume about it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Memory {
    /// A fresh Rust module's own: it starts zeroed.
    Own,
    /// Imported from a module that has already run (a split-off page of the console).
    Shared,
}

/// `wasm-opt` in place at `level`, with the features the Rust toolchain's output uses.
pub(crate) fn optimise(module: &str, level: &str, memory: Memory) -> Result {
    let mut args = vec![
        level,
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-reference-types",
        "--enable-multivalue",
        "--strip-debug",
        "--strip-producers",
        // true of every Rust module: the first 1 KiB of memory is never used
        "--low-memory-unused",
    ];
    if memory == Memory::Own {
        args.push("--zero-filled-memory");
    }
    args.extend([module, "-o", module]);
    run("node_modules/.bin/wasm-opt", &args)
}

pub(crate) fn copy(from: &str, to: &str) -> Result {
    fs::copy(root().join(from), root().join(to))
        .map(|_| ())
        .map_err(|e| format!("cannot copy {from} to {to}: {e}"))
}

fn write(path: &str, text: &str) -> Result {
    fs::write(root().join(path), text).map_err(|e| format!("cannot write {path}: {e}"))
}

/// The workspace version, so the package and the crates never disagree.
pub fn version() -> Result<String> {
    let manifest = fs::read_to_string(root().join("Cargo.toml")).map_err(|e| e.to_string())?;
    let package = manifest
        .split("[workspace.package]")
        .nth(1)
        .ok_or("no [workspace.package] in Cargo.toml")?;
    package
        .lines()
        .find_map(|l| l.trim().strip_prefix("version = "))
        .map(|v| v.trim_matches('"').to_owned())
        .ok_or_else(|| "no version in [workspace.package]".to_owned())
}

fn manifest() -> Result<String> {
    const DESCRIPTION: &str = concat!(
        "Callback routing, callback stats and usage-by-agent rules for voice-AI phone agents, ",
        "compiled from Rust to WebAssembly: DST-correct, typed, the same answers as the ",
        "Dialback server"
    );
    let version = version()?;
    Ok(format!(
        r#"{{
  "name": "dialback-core",
  "version": "{version}",
  "description": "{DESCRIPTION}",
  "license": "MIT OR Apache-2.0",
  "repository": "https://github.com/dialback/dialback",
  "keywords": ["voice-ai", "callbacks", "telephony", "timezone", "wasm"],
  "type": "module",
  "engines": {{ "node": ">=20" }},
  "main": "./node/index.mjs",
  "module": "./web/{NAME}.js",
  "types": "./web/{NAME}.d.ts",
  "exports": {{
    ".": {{
      "node": {{
        "types": "./node/index.d.ts",
        "default": "./node/index.mjs"
      }},
      "default": {{
        "types": "./web/{NAME}.d.ts",
        "default": "./web/{NAME}.js"
      }}
    }},
    "./live": {{
      "types": "./live/index.d.ts",
      "node": "./live/node.mjs",
      "default": "./live/web.mjs"
    }},
    "./dialback_core_bg.wasm": "./web/{NAME}_bg.wasm",
    "./package.json": "./package.json"
  }},
  "files": ["node/", "web/", "live/", "README.md"],
  "sideEffects": ["./node/index.mjs", "./node/{NAME}.js"]
}}
"#
    ))
}

/// Bytes after `gzip -9`, as a browser would download it.
pub fn gzip_size(path: &Path) -> Result<u64> {
    Ok(gzip(path)?.len() as u64)
}

/// A file, `gzip -9`ed.
pub(crate) fn gzip(path: &Path) -> Result<Vec<u8>> {
    let out = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    if !out.status.success() {
        return Err(format!("gzip {} failed", path.display()));
    }
    Ok(out.stdout)
}
