//! Installing the tools the tasks need: each check is quick when the tool is already there,
//! and each install pins an exact version.

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, root, run};

/// The `wasm-bindgen` in `Cargo.lock`; the CLI must match it exactly.
pub const WASM_BINDGEN: &str = "0.2.130";
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

/// `wasm-bindgen` and `wasm-bindgen-test-runner` at the locked version.
pub fn wasm_bindgen() -> Result {
    let want = format!("wasm-bindgen {WASM_BINDGEN}");
    if output("wasm-bindgen", &["--version"]).as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    // `--locked` fails here: the registry index lacks one of its newer dependencies
    run(
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN],
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

fn apt(packages: &[&str]) -> Result {
    let root_user = output("id", &["-u"]).as_deref() == Some("0");
    let apt_get = |args: &[&str]| {
        if root_user {
            run("apt-get", args)
        } else {
            let mut with = vec!["apt-get"];
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
