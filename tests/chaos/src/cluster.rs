//! The system under test and the faults done to it: `dialback serve` replicas on fixed ports,
//! killed with SIGKILL and started again; the PostgreSQL cluster frozen (SIGSTOP of every
//! process) and thawed, or restarted fast.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What the run was given.
pub struct Setup {
    /// The `dialback` binary.
    pub bin: String,
    /// The database the replicas share.
    pub db: String,
    /// The cluster's data directory (its `postmaster.pid` names the server's process).
    pub pg_data: String,
    /// A shell command that restarts the cluster fast (`pg_ctl restart -m fast`).
    pub pg_restart: String,
    /// Where the replicas' logs go.
    pub logs: PathBuf,
}

/// Replicas on one database.
pub struct Replicas {
    setup: Setup,
    ports: Vec<u16>,
    children: Vec<Option<Child>>,
    starts: usize,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Replicas {
    /// `n` replicas, each started and answering.
    pub fn start(setup: Setup, n: usize) -> Replicas {
        let mut r = Replicas {
            setup,
            ports: (0..n).map(|_| free_port()).collect(),
            children: (0..n).map(|_| None).collect(),
            starts: 0,
        };
        for i in 0..n {
            r.restart(i);
        }
        r
    }

    /// Replica `i`'s address.
    pub fn base(&self, i: usize) -> String {
        format!("http://127.0.0.1:{}", self.ports[i % self.ports.len()])
    }

    pub fn len(&self) -> usize {
        self.ports.len()
    }

    /// Starts replica `i` (again) on its port, once it is free; waits until it listens.
    pub fn restart(&mut self, i: usize) {
        self.starts += 1;
        let log = self
            .setup
            .logs
            .join(format!("replica-{i}-{}.log", self.starts));
        let started = Instant::now();
        loop {
            let mut child = Command::new(&self.setup.bin)
                .args(["serve", "--listen", &format!("127.0.0.1:{}", self.ports[i])])
                .args(["--db", &self.setup.db, "--static", "/nonexistent"])
                .env("DIALBACK_LOG", "warn")
                .stdout(Stdio::piped())
                .stderr(std::fs::File::create(&log).unwrap())
                .spawn()
                .unwrap();
            let mut line = String::new();
            let read = std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
            if read.is_ok_and(|n| n > 0) && line.contains("listening") {
                self.children[i] = Some(child);
                return;
            }
            // the port may still be held, or the database restarting: try again
            let _ = child.kill();
            let _ = child.wait();
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "replica {i} would not start: see {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// SIGKILL to replica `i`.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.children[i].take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every process of the PostgreSQL cluster: the postmaster and its children.
    fn postgres_processes(&self) -> Vec<u32> {
        let pid_file =
            std::fs::read_to_string(format!("{}/postmaster.pid", self.setup.pg_data)).unwrap();
        let postmaster: u32 = pid_file.lines().next().unwrap().trim().parse().unwrap();
        let mut pids = vec![postmaster];
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let ppid = std::fs::read_to_string(entry.path().join("stat"))
                .ok()
                .and_then(|stat| {
                    stat.rsplit_once(')')
                        .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                        .and_then(|p| p.parse::<u32>().ok())
                });
            if ppid == Some(postmaster) {
                pids.push(pid);
            }
        }
        pids
    }

    /// Freezes the database host: SIGSTOP to every PostgreSQL process, the postmaster first.
    pub fn freeze_database(&self) -> Vec<u32> {
        let pids = self.postgres_processes();
        signal("STOP", &pids);
        pids
    }

    /// Thaws what [`Replicas::freeze_database`] froze, the postmaster last.
    pub fn thaw_database(&self, pids: &[u32]) {
        let mut reversed = pids.to_vec();
        reversed.reverse();
        signal("CONT", &reversed);
    }

    /// `pg_ctl restart -m fast`: every connection dropped, the server back in a moment.
    pub fn restart_database(&self) {
        let out = Command::new("sh")
            .args(["-c", &self.setup.pg_restart])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "restarting PostgreSQL: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Replicas {
    fn drop(&mut self) {
        for i in 0..self.children.len() {
            self.kill(i);
        }
    }
}

fn signal(signal: &str, pids: &[u32]) {
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .args(pids.iter().map(u32::to_string))
        .status();
}
