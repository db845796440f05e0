//! Installing the tools the tasks need: each check is quick when the tool is already there,
//! and each install pins an exact version.

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, root, run, run_with};

/// `geckodriver` for the Firefox runs of the wasm tests.
pub const GECKODRIVER: &str = "0.37.1";

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    home.join("bin").join(name)
}

/// The version of `package` in `Cargo.lock` (the only one, for the crates this asks about).
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let name = format!("name = \"{package}\"");
    lock.split("[[package]]")
        .find(|entry| entry.lines().any(|l| l.trim() == name))
        .and_then(|entry| {
            entry
                .lines()
                .find_map(|l| l.trim().strip_prefix("version = \""))
                .map(|v| v.trim_end_matches('"').to_owned())
        })
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))
}

/// `wasm-bindgen` and `wasm-bindgen-test-runner` at the version in `Cargo.lock`: the CLI and
/// the library must match exactly.
pub fn wasm_bindgen() -> Result {
    let version = locked_version("wasm-bindgen")?;
    let want = format!("wasm-bindgen {version}");
    if output("wasm-bindgen", &["--version"]).as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    // `--locked` fails here: the registry index lacks one of its newer dependencies
    run(
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", &version],
    )
}

/// `wasm-split-cli` (crate `wasm_split_cli_support`), which cuts the console's linked module
/// at Leptos's lazy routes. It reads the markers `wasm_split_helpers` 0.2 (through Leptos)
/// leaves in the module, so the two move together.
pub const WASM_SPLIT: &str = "0.2.4";

/// Installs [`WASM_SPLIT`] unless `cargo install --list` already has it.
pub fn wasm_split() -> Result {
    let want = format!("wasm_split_cli_support v{WASM_SPLIT}:");
    let listed = output("cargo", &["install", "--list"])
        .is_some_and(|list| list.lines().any(|line| line == want));
    if listed && cargo_bin("wasm-split-cli").exists() {
        return Ok(());
    }
    run(
        "cargo",
        &[
            "install",
            "--locked",
            "wasm_split_cli_support",
            "--version",
            WASM_SPLIT,
            "--features",
            "build-binary",
        ],
    )
}

/// The Node packages of `package.json` (binaryen's wasm-opt, TypeScript, Luxon, Playwright,
/// axe-core), installed by `npm ci` when the lock file changed since the last install.
pub fn node_modules() -> Result {
    let lock = root().join("package-lock.json");
    let stamp = root().join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&stamp)) {
        (Ok(l), Ok(s)) => match (l.modified(), s.modified()) {
            (Ok(l), Ok(s)) => s >= l,
            _ => false,
        },
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    // Playwright must not download browsers: the tests use Debian's Chromium.
    eprintln!("\n$ npm ci");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot start npm (is Node.js ≥ 20 installed?): {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`npm ci` failed ({status})"))
    }
}

/// Debian's Chromium and ChromeDriver.
pub fn chromium() -> Result {
    if std::path::Path::new("/usr/bin/chromium").exists()
        && std::path::Path::new("/usr/bin/chromedriver").exists()
    {
        return Ok(());
    }
    apt(&["chromium", "chromium-driver"])
}

/// Debian's Firefox ESR and geckodriver (from crates.io); returns geckodriver's path.
pub fn firefox() -> Result<PathBuf> {
    if !std::path::Path::new("/usr/bin/firefox-esr").exists() {
        apt(&["firefox-esr"])?;
    }
    let driver = cargo_bin("geckodriver");
    let want = format!("geckodriver {GECKODRIVER}");
    let have = output(&driver.to_string_lossy(), &["--version"]);
    if !have.is_some_and(|v| v.starts_with(&want)) {
        run(
            "cargo",
            &["install", "geckodriver", "--version", GECKODRIVER],
        )?;
    }
    Ok(driver)
}

/// A Python virtualenv at `target/NAME` holding exactly the pinned `requirements` (a path
/// from the repository root); returns its `python`. Reinstalled only when the file changed.
pub fn python_venv(name: &str, requirements: &str) -> Result<PathBuf> {
    let venv = root().join("target").join(name);
    let python = venv.join("bin/python");
    let wanted = std::fs::read_to_string(root().join(requirements))
        .map_err(|e| format!("cannot read {requirements}: {e}"))?;
    let stamp = venv.join("requirements.installed");
    if python.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&wanted) {
        return Ok(python);
    }
    let venv_arg = venv.to_string_lossy().into_owned();
    if run("python3", &["-m", "venv", "--clear", &venv_arg]).is_err() {
        // Debian splits venv (and its pip) out of python3
        apt(&["python3-venv"])?;
        run("python3", &["-m", "venv", "--clear", &venv_arg])?;
    }
    run(
        &python.to_string_lossy(),
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
            "-r",
            requirements,
        ],
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {stamp:?}: {e}"))?;
    Ok(python)
}

/// Debian packages, with `apt-get` (through `sudo` when not root), never asking questions.
pub fn apt(packages: &[&str]) -> Result {
    let root_user = output("id", &["-u"]).as_deref() == Some("0");
    let quiet = [("DEBIAN_FRONTEND", "noninteractive")];
    let apt_get = |args: &[&str]| {
        if root_user {
            run_with(&quiet, "apt-get", args)
        } else {
            let mut with = vec!["DEBIAN_FRONTEND=noninteractive", "apt-get"];
            with.extend_from_slice(args);
            run("sudo", &with)
        }
    };
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend_from_slice(packages);
    if apt_get(&install).is_ok() {
        return Ok(());
    }
    // a fresh machine may have empty package lists
    apt_get(&["update"])?;
    apt_get(&install)
}
