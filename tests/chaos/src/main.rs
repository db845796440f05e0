//! Architecture Invariant: replicas sharing a database are linearizable per object, route a
//! callback to an outbound call acknowledged before it by any replica, and lose nothing
//! acknowledged, under kill -9, a frozen database and database restarts.
//!
//! Three `dialback serve` replicas on one PostgreSQL database, eight clients spread over them,
//! and faults meanwhile: a replica killed with SIGKILL and started again, the database host
//! frozen (SIGSTOP of every PostgreSQL process) and thawed, the database restarted fast. Every
//! operation is recorded as the client saw it, and the history is checked:
//! - each register, counter and set is linearizable (`checker`, against `models`);
//! - an inbound call sent after the outbound call to its contact was acknowledged, by any
//!   replica, is routed to that very call;
//! - every call acknowledged is stored, as every replica reads it at the end;
//! - no valid request got a 4xx.
//!
//! Usage: `dialback-chaos SECONDS BIN DB_URL PG_DATA PG_RESTART_COMMAND`, run by `cargo xtask
//! chaos SECONDS` (2 minutes in `cargo xtask ci`). Prints what it did and found; exits
//! non-zero on any finding.

// A test program: failing loudly on a broken set-up is what it is for.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod checker;
mod cluster;
mod models;
mod workload;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use checker::{Verdict, check};
use cluster::{Replicas, Setup};
use models::{Counter, Register};
use workload::{Answer, Client, Recorded};

const CLIENTS: usize = 8;
const REPLICAS: usize = 3;
/// Steps the search may take per object before it says "unknown".
const BUDGET: u64 = 20_000_000;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [seconds, bin, db, pg_data, pg_restart] = args.as_slice() else {
        eprintln!("usage: dialback-chaos SECONDS BIN DB_URL PG_DATA PG_RESTART_COMMAND");
        return std::process::ExitCode::FAILURE;
    };
    let seconds: u64 = seconds.parse().expect("SECONDS");
    let logs = std::env::temp_dir().join(format!("dialback-chaos-{}", std::process::id()));
    std::fs::create_dir_all(&logs).unwrap();
    let setup = Setup {
        bin: bin.clone(),
        db: db.clone(),
        pg_data: pg_data.clone(),
        pg_restart: pg_restart.clone(),
        logs: logs.clone(),
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let findings = runtime.block_on(run(setup, Duration::from_secs(seconds)));
    println!("replica logs: {}", logs.display());
    if findings.is_empty() {
        println!("no findings");
        std::process::ExitCode::SUCCESS
    } else {
        for f in &findings {
            println!("FINDING: {f}");
        }
        std::process::ExitCode::FAILURE
    }
}

/// A fault and when it happened.
struct Fault {
    at: Duration,
    what: String,
}

async fn run(setup: Setup, length: Duration) -> Vec<String> {
    let token = {
        let out = std::process::Command::new(&setup.bin)
            .args(["env", "create", "--name", "chaos", "--db", &setup.db])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let replicas = Arc::new(Mutex::new(Replicas::start(setup, REPLICAS)));
    let bases: Vec<String> = {
        let r = replicas.lock().unwrap();
        (0..r.len()).map(|i| r.base(i)).collect()
    };
    let started = Instant::now();
    let client = Client {
        http: reqwest::Client::new(),
        bases,
        token,
        started,
    };
    let objects = Arc::new(workload::setup(&client).await);
    let recorded: Arc<Mutex<Recorded>> = Arc::default();
    let until = Instant::now() + length;

    // the faults: one at a time, from a few seconds in to ten seconds before the end
    let faults: Arc<Mutex<Vec<Fault>>> = Arc::default();
    let nemesis = {
        let (replicas, faults) = (replicas.clone(), faults.clone());
        let stop = until.checked_sub(Duration::from_secs(10)).unwrap_or(until);
        std::thread::spawn(move || nemesis(&replicas, &faults, started, stop))
    };
    let mut clients = vec![];
    for me in 0..CLIENTS {
        clients.push(tokio::spawn(workload::run_client(
            me,
            client.clone(),
            objects.clone(),
            recorded.clone(),
            until,
        )));
    }
    for c in clients {
        c.await.unwrap();
    }
    nemesis.join().unwrap();

    // healed: every replica answers, then the last reads
    let healed = Instant::now();
    for i in 0..REPLICAS {
        while !matches!(
            client
                .send(i, "GET", "/api/v1/calls?per_page=1", None)
                .await,
            Answer::Ok(_)
        ) {
            assert!(
                healed.elapsed() < Duration::from_secs(60),
                "replica {i} never recovered"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    workload::final_reads(&client, &objects, &recorded).await;
    let mut findings = vec![];
    for i in 0..REPLICAS {
        match workload::stored_external_ids(&client, i).await {
            Some(stored) => {
                let r = recorded.lock().unwrap();
                let lost: Vec<&String> = r.acked_calls.difference(&stored).take(5).collect();
                if !lost.is_empty() {
                    findings.push(format!(
                        "replica {i} lacks {} acknowledged calls, such as {lost:?}",
                        r.acked_calls.difference(&stored).count()
                    ));
                }
            }
            None => findings.push(format!("replica {i}: the final list of calls failed")),
        }
    }

    let r = recorded.lock().unwrap();
    report(&r, &faults.lock().unwrap(), length);
    findings.extend(
        r.unexpected
            .iter()
            .take(20)
            .map(|u| format!("unexpected answer: {u}")),
    );
    findings.extend(check_routes(&r));
    findings.extend(check_objects(&r, &objects));
    findings
}

/// One fault every 5-12 s, each healed before the next.
fn nemesis(
    replicas: &Mutex<Replicas>,
    faults: &Mutex<Vec<Fault>>,
    started: Instant,
    stop: Instant,
) {
    let mut rng = workload::Rng::new(7);
    std::thread::sleep(Duration::from_secs(3));
    while Instant::now() + Duration::from_secs(8) < stop {
        let note = |what: String| {
            println!("[{:>6.1} s] {what}", started.elapsed().as_secs_f64());
            faults.lock().unwrap().push(Fault {
                at: started.elapsed(),
                what,
            });
        };
        match rng.below(3) {
            0 => {
                let i = rng.below(REPLICAS as u64) as usize;
                note(format!("kill -9 replica {i}"));
                replicas.lock().unwrap().kill(i);
                std::thread::sleep(Duration::from_millis(1_000 + rng.below(3_000)));
                replicas.lock().unwrap().restart(i);
                note(format!("replica {i} restarted"));
            }
            1 => {
                let pause = Duration::from_millis(2_000 + rng.below(6_000));
                note(format!("database frozen for {:.1} s", pause.as_secs_f64()));
                let pids = replicas.lock().unwrap().freeze_database();
                std::thread::sleep(pause);
                replicas.lock().unwrap().thaw_database(&pids);
                note("database thawed".into());
            }
            _ => {
                note("database restarted fast".into());
                replicas.lock().unwrap().restart_database();
                note("database back".into());
            }
        }
        std::thread::sleep(Duration::from_millis(5_000 + rng.below(7_000)));
    }
}

fn report(r: &Recorded, faults: &[Fault], length: Duration) {
    println!(
        "\nran {} s with {CLIENTS} clients over {REPLICAS} replicas",
        length.as_secs()
    );
    let mut kinds: Vec<_> = r.counts.iter().collect();
    kinds.sort();
    let mut total = 0;
    for (kind, [ok, not_done, unknown]) in kinds {
        total += ok + not_done + unknown;
        println!("  {kind:<24} {ok:>6} answered, {not_done:>5} not done, {unknown:>5} uncertain");
    }
    let mut reasons: Vec<&String> = r.uncertain.iter().collect();
    reasons.sort();
    reasons.dedup();
    for why in reasons.iter().take(6) {
        println!("  uncertain, e.g.: {why}");
    }
    println!(
        "  {total} operations; {} calls acknowledged",
        r.acked_calls.len()
    );
    println!("faults ({}):", faults.len());
    for f in faults {
        println!("  {:>6.1} s  {}", f.at.as_secs_f64(), f.what);
    }
}

/// Real-time routing: a callback sent after its outbound call was acknowledged is matched to
/// that call; one whose outbound call was refused as not done is not matched at all.
fn check_routes(r: &Recorded) -> Vec<String> {
    let mut findings = vec![];
    let (mut matched, mut checked) = (0, 0);
    for pair in &r.routes {
        let Answer::Ok(inbound) = &pair.inbound else {
            continue;
        };
        let routing = &inbound["data"]["routing"];
        let code = routing["reason_code"].as_str().unwrap_or("");
        match &pair.outbound {
            Answer::Ok(outbound) => {
                checked += 1;
                let want = outbound["data"]["id"]
                    .to_string()
                    .trim_matches('"')
                    .to_owned();
                let got = routing["last_call"]["outbound_call_id"]
                    .to_string()
                    .trim_matches('"')
                    .to_owned();
                if code == "MATCHED" && got == want && pair.inbound_sent > pair.outbound_done {
                    matched += 1;
                } else {
                    findings.push(format!(
                        "the callback from {} was routed {code} ({got}), after its outbound call \
                         {want} was acknowledged",
                        pair.contact
                    ));
                }
            }
            Answer::NotDone if code == "MATCHED" => {
                findings.push(format!(
                    "the callback from {} matched an outbound call the server said was not written",
                    pair.contact
                ));
            }
            _ => {}
        }
    }
    println!(
        "routing: {checked} callbacks after an acknowledged outbound call, {matched} matched to it"
    );
    findings
}

fn verdict_line(what: &str, ops: usize, v: &Verdict) -> Option<String> {
    println!("  {what:<28} {ops:>5} operations: {v:?}");
    match v {
        Verdict::Linearizable => None,
        other => Some(format!("{what}: {other:?}")),
    }
}

/// The operations of an object that is not linearizable, written out for a look.
fn dump<I: std::fmt::Debug, O: std::fmt::Debug>(what: &str, ops: &[checker::Op<I, O>]) {
    let path = std::env::temp_dir().join(format!(
        "dialback-chaos-{}-{}.txt",
        std::process::id(),
        what.replace(' ', "-")
    ));
    let lines: Vec<String> = ops
        .iter()
        .map(|o| {
            let ret = o
                .ret
                .map_or("never".to_owned(), |r| format!("{:.3}", r.as_secs_f64()));
            format!(
                "client {:>3}  {:>9.3} .. {ret:>9}  {:?} -> {:?}",
                o.client,
                o.call.as_secs_f64(),
                o.input,
                o.output
            )
        })
        .collect();
    let _ = std::fs::write(&path, lines.join("\n"));
    println!("  the history of {what}: {}", path.display());
}

fn check_objects(r: &Recorded, o: &workload::Objects) -> Vec<String> {
    println!("linearizability:");
    let mut findings = vec![];
    for (k, ops) in &r.registers {
        let model = Register::new(o.registers[*k].1.clone());
        let what = format!("label of register {k}");
        let found = verdict_line(&what, ops.len(), &check(&model, ops, BUDGET));
        if found.is_some() {
            dump(&what, ops);
            let path = std::env::temp_dir().join(format!(
                "dialback-chaos-{}-register-{k}.json",
                std::process::id()
            ));
            let json = checker::register_history_json(&o.registers[*k].1, ops);
            let _ = std::fs::write(&path, json.to_string());
            println!("  (as JSON, for the checker's tests: {})", path.display());
        }
        findings.extend(found);
    }
    for (k, ops) in &r.counters {
        let what = format!("calls of counter {k}");
        let found = verdict_line(&what, ops.len(), &check(&Counter, ops, BUDGET));
        if found.is_some() {
            dump(&what, ops);
        }
        findings.extend(found);
    }
    for (k, ops) in &r.sets {
        let model = Register::new(BTreeSet::from([o.sources[0].clone()]));
        let what = format!("sources of set {k}");
        let found = verdict_line(&what, ops.len(), &check(&model, ops, BUDGET));
        if found.is_some() {
            dump(&what, ops);
        }
        findings.extend(found);
    }
    findings
}
