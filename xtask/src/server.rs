//! An optimised `dialback serve` on a fresh database in a temporary directory and a free port,
//! for the tasks that test the server from outside (the SDK contract, the load test). It stops
//! when the handle is dropped, and the directory goes when its handle is, whichever way the
//! task ends.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use crate::{Result, root, run};

/// A fresh temporary directory, removed on drop.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("dialback-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {dir:?}: {e}"))?;
        Ok(Scratch(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base: String,
    /// The demo environment's token, when started with `--demo`.
    pub token: Option<String>,
}

static PROFILE: OnceLock<&'static str> = OnceLock::new();

/// The cargo profile of the binaries the tasks build and drive: `release` (whole-program
/// optimised, as shipped) for the demo and for the benchmarks' published numbers; `dev` once
/// [`for_checks`] is called, as `cargo xtask ci` does. Its suites need the binaries to behave,
/// not to be fast, and `cargo test --workspace` has built the dev ones already (with debug
/// assertions and overflow checks on, which only makes them stricter).
pub fn profile() -> &'static str {
    if std::env::var_os(CHECKS).is_some() {
        for_checks();
    }
    PROFILE.get().copied().unwrap_or("release")
}

/// Set (to anything) in a task's environment, as [`for_checks`] does for `cargo xtask ci`: the
/// `ci` run's tasks started as processes of their own build and drive the same binaries.
pub const CHECKS: &str = "XTASK_FOR_CHECKS";

/// Builds and drives the `dev` binaries from now on.
pub fn for_checks() {
    let _ = PROFILE.set("dev");
}

/// `target/<profile's directory>/<name>`, relative to the repository root.
pub fn built(name: &str) -> String {
    let dir = match profile() {
        "dev" => "debug",
        other => other,
    };
    format!("target/{dir}/{name}")
}

/// `cargo run --profile <profile> --package <package> -- <args>`.
pub fn cargo_run(package: &str, args: &[&str]) -> Result {
    let mut all = vec!["run", "--profile", profile(), "--package", package, "--"];
    all.extend(args);
    run("cargo", &all)
}

/// Builds the server binary (quick when up to date), unless `DIALBACK_BIN` names another.
pub fn build() -> Result {
    if std::env::var_os("DIALBACK_BIN").is_some() {
        return Ok(());
    }
    run(
        "cargo",
        &[
            "build",
            "--profile",
            profile(),
            "--package",
            "dialback-server",
            "--bin",
            "dialback",
        ],
    )
}

/// The server binary, or `DIALBACK_BIN` (to measure another build the same way).
pub fn binary() -> PathBuf {
    std::env::var_os("DIALBACK_BIN").map_or_else(|| root().join(built("dialback")), PathBuf::from)
}

impl Server {
    /// Starts `dialback serve --listen 127.0.0.1:0 --db DB ARGS` and reads what it prints
    /// until it is listening (and, with `--demo`, until its token is printed).
    pub fn start(db: &std::ffi::OsStr, args: &[&str]) -> Result<Self> {
        let mut child = Command::new(binary())
            .args(["serve", "--listen", "127.0.0.1:0", "--db"])
            .arg(db)
            .args(args)
            .env("DIALBACK_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let stdout = child.stdout.take().ok_or("the server has no stdout")?;
        let mut server = Server {
            child,
            base: String::new(),
            token: None,
        };
        let want_token = args.contains(&"--demo");
        let mut lines = BufReader::new(stdout).lines();
        while server.base.is_empty() || (want_token && server.token.is_none()) {
            let line = lines
                .next()
                .ok_or("the server exited before it was listening")?
                .map_err(|e| e.to_string())?;
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://"))
                && server.base.is_empty()
            {
                server.base = url.trim_end_matches('/').to_owned();
            }
            if let Some(token) = line.trim().strip_prefix("Token:") {
                server.token = Some(token.trim().to_owned());
            }
        }
        // keep draining stdout so the server never blocks on a full pipe
        std::thread::spawn(move || lines.for_each(drop));
        Ok(server)
    }
}

impl Server {
    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the server as an orchestrator would (SIGTERM), and waits for it.
    pub fn stop(mut self) -> Result {
        run("kill", &["-TERM", &self.child.id().to_string()])?;
        self.child.wait().map_err(|e| e.to_string())?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
