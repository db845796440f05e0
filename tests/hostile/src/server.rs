//! The real binary on a scratch database, seen from outside: its address, a token, its pid
//! for signals and for its peak memory (`/proc/PID/status`, `VmHWM`).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    dir: PathBuf,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// A token of the one environment.
    pub token: String,
}

impl Server {
    /// `dialback serve` on a fresh database with `args`; under `ulimit -n open_files` (soft and
    /// hard, so the server cannot raise it) when given.
    pub fn start(bin: &str, name: &str, args: &[&str], open_files: Option<u64>) -> Server {
        let dir =
            std::env::temp_dir().join(format!("dialback-hostile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("hostile.db");
        let db_arg = db.to_string_lossy().into_owned();
        let out = Command::new(bin)
            .args(["env", "create", "--name", "hostile", "--db", &db_arg])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let mut serve = vec!["serve", "--listen", "127.0.0.1:0", "--db", &db_arg];
        serve.extend_from_slice(args);
        let mut command = match open_files {
            Some(n) => {
                let mut c = Command::new("bash");
                c.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                    .arg(bin)
                    .args(&serve);
                c
            }
            None => {
                let mut c = Command::new(bin);
                c.args(&serve);
                c
            }
        };
        let mut child = command
            .env("DIALBACK_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(dir.join("server.log")).unwrap())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        let addr = first
            .split_whitespace()
            .find_map(|w| w.strip_prefix("http://"))
            .unwrap_or_else(|| panic!("{name}: no address in {first:?}"))
            .trim_end_matches('/')
            .to_owned();
        std::thread::spawn(move || lines.for_each(drop));
        Server {
            child,
            dir,
            addr,
            token,
        }
    }

    /// The server's peak resident memory so far, in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
    }

    /// How long the process took to exit, if it did within `limit`.
    pub fn exited_within(&mut self, limit: Duration) -> Option<Duration> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Some(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// What the server logged (warnings and errors).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
