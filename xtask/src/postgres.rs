//! A throw-away PostgreSQL cluster for the tests and the load test: Debian's `postgresql`
//! package, `initdb` in a temporary directory, started on a free port as an unprivileged user
//! (`postgres`, when we are root as CI is), and stopped and removed when dropped, whether the
//! tests passed or not.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use crate::Result;
use crate::tools;

/// Whether the cluster flushes to disk.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// PostgreSQL's defaults: what the benchmarks and the chaos run measure.
    Durable,
    /// `fsync`, `synchronous_commit` and `full_page_writes` off, for the test suites: each
    /// test makes a database (a copy of `template1`) and commits in small transactions, and a
    /// flush protects only against the machine itself crashing, which no test does. A killed
    /// or restarted PostgreSQL still recovers everything from its WAL in the page cache.
    Throwaway,
}

/// A running cluster.
pub struct Cluster {
    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub url: String,
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
}

/// The newest installed server's `bin/` directory.
fn installed() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("no free port for PostgreSQL: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

impl Cluster {
    /// Installs PostgreSQL if needed, then creates and starts a cluster.
    pub fn start(name: &str, durability: Durability) -> Result<Cluster> {
        let bin = match installed() {
            Some(bin) => bin,
            None => {
                tools::apt(&["postgresql"])?;
                installed().ok_or("postgresql is installed but no initdb was found")?
            }
        };
        let as_postgres = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0"));
        let dir = std::env::temp_dir().join(format!("dialback-{name}-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let port = free_port()?;
        let cluster = Cluster {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            dir,
            bin,
            as_postgres,
        };
        if as_postgres {
            // PostgreSQL refuses to run as root
            crate::run(
                "chown",
                &["-R", "postgres:postgres", &cluster.dir.to_string_lossy()],
            )?;
        }
        let data = cluster.data();
        cluster.pg(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        )?;
        let mut options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
            cluster.dir.display()
        );
        if durability == Durability::Throwaway {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let log = cluster.dir.join("log").to_string_lossy().into_owned();
        cluster.pg(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-w", "-o", &options, "start"],
        )?;
        eprintln!("PostgreSQL running at {}", cluster.url);
        Ok(cluster)
    }

    /// The cluster's data directory (its `postmaster.pid` names the server's process).
    pub fn data(&self) -> String {
        self.dir.join("data").to_string_lossy().into_owned()
    }

    /// The command that runs one of the cluster's programs, as the cluster's user.
    fn command(&self, program: &str) -> (String, Vec<String>) {
        let path = self.bin.join(program).to_string_lossy().into_owned();
        if self.as_postgres {
            (
                "runuser".into(),
                vec!["-u".into(), "postgres".into(), "--".into(), path],
            )
        } else {
            (path, Vec::new())
        }
    }

    fn pg(&self, program: &str, args: &[&str]) -> Result {
        let (cmd, mut all) = self.command(program);
        all.extend(args.iter().map(|a| (*a).to_owned()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        crate::run(&cmd, &all)
    }

    /// A shell command that restarts the cluster (`pg_ctl restart -m fast`), for the outage
    /// test.
    pub fn restart_command(&self) -> String {
        let (cmd, args) = self.command("pg_ctl");
        let mut words = vec![cmd];
        words.extend(args);
        let log = self.dir.join("log").to_string_lossy().into_owned();
        words.extend(["-D".into(), self.data(), "-l".into(), log, "-w".into()]);
        words.extend(["-m".into(), "fast".into()]);
        words.push("restart".into());
        words.join(" ")
    }
}

/// The server's integration suite on PostgreSQL: every test that starts a server runs on a
/// fresh database of a throw-away cluster. The outage test (it restarts its cluster) and the
/// frozen-database test (it stops its cluster for a minute) each get a cluster of their own,
/// so they run beside the suite instead of after it, as does the minute a receiver is down.
pub fn test() -> Result {
    const OUTAGE: &str =
        "replicas::a_database_restart_is_a_few_503s_then_service_resumes_with_nothing_lost";
    const FROZEN: &str = "frozen::a_frozen_database_is_answered_within_deadlines_and_loses_nothing";
    let suite = ["test", "--package", "dialback-server", "--test", "api"];
    // built once, before the three runs share it
    crate::run("cargo", &[&suite[..], &["--no-run"]].concat())?;
    let main = Cluster::start("test", Durability::Throwaway)?;
    let frozen = Cluster::start("frozen", Durability::Throwaway)?;
    let outage = Cluster::start("outage", Durability::Throwaway)?;
    // a test that finds no database fails rather than passes
    let required = ("DIALBACK_REQUIRE_POSTGRES", "1");
    let frozen_data = frozen.data();
    let frozen_run = crate::beside::Beside::start(
        "frozen",
        &[
            ("DIALBACK_TEST_POSTGRES", &frozen.url),
            required,
            ("DIALBACK_TEST_POSTGRES_DATA", &frozen_data),
        ],
        &[&suite[..], &["--", "--exact", FROZEN, "--nocapture"]].concat(),
    )?;
    let restart = outage.restart_command();
    let outage_run = crate::beside::Beside::start(
        "outage",
        &[
            ("DIALBACK_TEST_POSTGRES", &outage.url),
            required,
            ("DIALBACK_TEST_POSTGRES_RESTART", &restart),
        ],
        &[&suite[..], &["--", "--exact", OUTAGE]].concat(),
    )?;
    let minute_run = crate::beside::Beside::start(
        "minute",
        &[("DIALBACK_TEST_POSTGRES", &main.url), required],
        &[&suite[..], &["--", "--exact", crate::ci::MINUTE]].concat(),
    )?;
    let rest = crate::run_with(
        &[("DIALBACK_TEST_POSTGRES", &main.url), required],
        "cargo",
        &[
            &suite[..],
            &[
                "--",
                "--skip",
                OUTAGE,
                "--skip",
                FROZEN,
                "--skip",
                crate::ci::MINUTE,
            ],
        ]
        .concat(),
    );
    let frozen_result = frozen_run.finish();
    let outage_result = outage_run.finish();
    let minute_result = minute_run.finish();
    rest.and(frozen_result)
        .and(outage_result)
        .and(minute_result)
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self.pg("pg_ctl", &["-D", &data, "-w", "-m", "immediate", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
