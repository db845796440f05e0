//! `cargo xtask chaos SECONDS`: three replicas on a throw-away PostgreSQL cluster, eight
//! clients, and faults (kill -9 of a replica, the database frozen, the database restarted),
//! with the history checked for linearizability (`tests/chaos/`).

use crate::postgres::{Cluster, Durability};
use crate::{Result, run, server};

pub fn chaos(seconds: &str) -> Result {
    let seconds: u64 = seconds
        .parse()
        .map_err(|_| format!("chaos takes a number of seconds, got {seconds:?}"))?;
    server::build()?;
    run(
        "cargo",
        &[
            "build",
            "--profile",
            server::profile(),
            "--package",
            "dialback-chaos",
        ],
    )?;
    let cluster = Cluster::start("chaos", Durability::Durable)?;
    let binary = server::binary();
    run(
        &server::built("dialback-chaos"),
        &[
            &seconds.to_string(),
            &binary.to_string_lossy(),
            &cluster.url,
            &cluster.data(),
            &cluster.restart_command(),
        ],
    )
}
