//! A long, mostly idle test run (a database frozen for a minute, a receiver down for one)
//! started beside the suite instead of after it.

use std::path::PathBuf;
use std::process::Command;

use crate::Result;

/// A `cargo` run beside the one in the foreground, its output kept in a file and shown when
/// it ends (so the two do not interleave).
pub struct Beside {
    name: &'static str,
    child: std::process::Child,
    log: PathBuf,
    args: Vec<String>,
    started: std::time::Instant,
}

impl Beside {
    pub fn start(name: &'static str, env: &[(&str, &str)], args: &[&str]) -> Result<Beside> {
        let log = std::env::temp_dir().join(format!("dialback-{name}-{}.log", std::process::id()));
        let file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = file.try_clone().map_err(|e| e.to_string())?;
        eprintln!(
            "\n$ (beside, into {}) cargo {}",
            log.display(),
            args.join(" ")
        );
        let child = Command::new("cargo")
            .args(args)
            .envs(env.iter().copied())
            .current_dir(crate::root())
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start cargo: {e}"))?;
        Ok(Beside {
            name,
            child,
            log,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            started: std::time::Instant::now(),
        })
    }

    pub fn finish(mut self) -> Result {
        let status = self.child.wait().map_err(|e| e.to_string());
        let took = self.started.elapsed();
        let output = std::fs::read_to_string(&self.log).unwrap_or_default();
        let _ = std::fs::remove_file(&self.log);
        eprintln!(
            "\n--- {} (beside the suite, {:.1} s) ---\n{output}",
            self.name,
            took.as_secs_f64()
        );
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        crate::timings::record("cargo", &args, took);
        match status? {
            s if s.success() => Ok(()),
            s => Err(format!("the {} run failed ({s})", self.name)),
        }
    }
}
