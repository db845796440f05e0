//! What the clients do, and what they record: every operation with the time it was sent, the
//! time its answer came (if one came), and the answer.
//!
//! Objects, each its own key for the checker:
//! - registers: six agents' labels (`PATCH` / `GET /api/v1/agents/{id}`);
//! - counters: three outbound agents' completed calls this year, added by `POST
//!   /api/v1/calls`, read both from storage (`GET /api/v1/calls?agent_id=`, its `total`) and
//!   from a replica's view (`GET /v1/usage/by-agent`, its `calls`);
//! - sets: two callback agents' sources (`PUT …/callback`, `GET /api/v1/callback-agents/{id}`);
//! - routing: an outbound call to a new contact, then, once it is acknowledged, the contact
//!   calling back on another replica, which must be routed to that very call.
//!
//! An answer is sorted as the client can know it: an answer (2xx); a refusal that says nothing
//! was done (a refused connection, 503 "nothing was written"); or nothing certain (a timeout,
//! another 5xx), which may or may not have taken effect.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::checker::Op;
use crate::models::{CounterOp, RegisterOp};

pub const REGISTERS: usize = 6;
pub const COUNTERS: usize = 3;
pub const SETS: usize = 2;
const SOURCES: usize = 4;
const ROUTER_NUMBER: &str = "+14155550199";

/// How a request ended, as the client can tell.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 2xx, with the body.
    Ok(Value),
    /// It was not done: the connection was refused, or the server said nothing was written.
    NotDone,
    /// It may or may not have been done.
    Unknown(String),
    /// An answer no correct server gives here (a 4xx to a valid request): a finding.
    Unexpected(u16, Value),
}

/// The objects, by id.
#[derive(Debug, Clone)]
pub struct Objects {
    pub registers: Vec<(String, String)>,
    pub counters: Vec<String>,
    pub sets: Vec<String>,
    pub sources: Vec<String>,
    pub router_source: String,
    pub year_start: String,
}

pub type RegisterHistory = Vec<Op<RegisterOp<String>, Option<String>>>;
pub type SetHistory = Vec<Op<RegisterOp<BTreeSet<String>>, Option<BTreeSet<String>>>>;
pub type CounterHistory = Vec<Op<CounterOp, u64>>;

/// One outbound-then-callback pair.
#[derive(Debug, Clone)]
pub struct RoutePair {
    pub contact: String,
    pub outbound: Answer,
    pub outbound_done: Duration,
    pub inbound_sent: Duration,
    pub inbound: Answer,
}

/// Everything recorded.
#[derive(Default)]
pub struct Recorded {
    pub registers: HashMap<usize, RegisterHistory>,
    pub sets: HashMap<usize, SetHistory>,
    pub counters: HashMap<usize, CounterHistory>,
    pub routes: Vec<RoutePair>,
    /// External ids of calls acknowledged as stored.
    pub acked_calls: HashSet<String>,
    pub unexpected: Vec<String>,
    /// Why answers were uncertain (a sample).
    pub uncertain: Vec<String>,
    pub counts: HashMap<&'static str, [u64; 3]>,
}

impl Recorded {
    fn count(&mut self, kind: &'static str, answer: &Answer) {
        let slot = self.counts.entry(kind).or_default();
        match answer {
            Answer::Ok(_) => slot[0] += 1,
            Answer::NotDone => slot[1] += 1,
            Answer::Unknown(why) => {
                slot[2] += 1;
                if self.uncertain.len() < 200 {
                    // the status and the start of the message, not the ids
                    self.uncertain.push(why.chars().take(90).collect());
                }
            }
            Answer::Unexpected(..) => slot[2] += 1,
        }
    }
}

/// A client of the replicas.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub bases: Vec<String>,
    pub token: String,
    pub started: Instant,
}

impl Client {
    pub async fn send(
        &self,
        replica: usize,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let base = &self.bases[replica % self.bases.len()];
        let mut req = self
            .http
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{base}{path}"),
            )
            .bearer_auth(&self.token)
            .timeout(Duration::from_secs(12));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = match req.send().await {
            Ok(res) => res,
            Err(e) if e.is_connect() => return Answer::NotDone,
            Err(e) => return Answer::Unknown(e.to_string()),
        };
        let status = res.status().as_u16();
        let text = match res.text().await {
            Ok(t) => t,
            Err(e) => return Answer::Unknown(e.to_string()),
        };
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        match status {
            200..=299 => Answer::Ok(body),
            503 if body.to_string().contains("nothing was written") => Answer::NotDone,
            500..=599 | 429 => Answer::Unknown(format!("{status}: {body}")),
            _ => Answer::Unexpected(status, body),
        }
    }

    fn since(&self) -> Duration {
        self.started.elapsed()
    }
}

/// Creates the objects through replica 0.
pub async fn setup(client: &Client) -> Objects {
    let ok = |answer: Answer, what: &str| -> Value {
        match answer {
            Answer::Ok(body) => body,
            other => panic!("setting up {what}: {other:?}"),
        }
    };
    let id = |body: &Value| body["data"]["id"].as_str().unwrap().to_owned();
    let agent = |name: String, direction: &str, numbers: Vec<String>| {
        json!({"name": name, "direction": direction,
            "phone_numbers": numbers})
    };
    let mut registers = vec![];
    for i in 0..REGISTERS {
        let name = format!("reg-{i}");
        let body = agent(name.clone(), "inbound", vec![]);
        let a = ok(
            client.send(0, "POST", "/api/v1/agents", Some(body)).await,
            "a register",
        );
        registers.push((id(&a), name));
    }
    let mut counters = vec![];
    for i in 0..COUNTERS {
        let body = agent(format!("count-{i}"), "outbound", vec![]);
        counters.push(id(&ok(
            client.send(0, "POST", "/api/v1/agents", Some(body)).await,
            "a counter",
        )));
    }
    let mut sources = vec![];
    for i in 0..SOURCES {
        let body = agent(format!("src-{i}"), "outbound", vec![]);
        sources.push(id(&ok(
            client.send(0, "POST", "/api/v1/agents", Some(body)).await,
            "a source",
        )));
    }
    let mut sets = vec![];
    for i in 0..SETS {
        let body = agent(
            format!("set-{i}"),
            "inbound",
            vec![format!("+1415555016{i}")],
        );
        let handler = id(&ok(
            client.send(0, "POST", "/api/v1/agents", Some(body)).await,
            "a set",
        ));
        let config = json!({"source_agent_ids": [sources[0]]});
        ok(
            client
                .send(
                    0,
                    "POST",
                    &format!("/api/v1/agents/{handler}/callback"),
                    Some(config),
                )
                .await,
            "a set's first sources",
        );
        sets.push(handler);
    }
    let body = agent("router".into(), "inbound", vec![ROUTER_NUMBER.into()]);
    let router = id(&ok(
        client.send(0, "POST", "/api/v1/agents", Some(body)).await,
        "the router",
    ));
    let body = agent("caller".into(), "outbound", vec![]);
    let router_source = id(&ok(
        client.send(0, "POST", "/api/v1/agents", Some(body)).await,
        "its source",
    ));
    let config = json!({"source_agent_ids": [router_source], "lookback_days": 7});
    ok(
        client
            .send(
                0,
                "POST",
                &format!("/api/v1/agents/{router}/callback"),
                Some(config),
            )
            .await,
        "the router's source",
    );
    let now = ok(
        client
            .send(0, "GET", "/v1/usage/by-agent?period=year&tz=UTC", None)
            .await,
        "the year",
    );
    let year_start = now["periodStart"].as_str().unwrap().to_owned();
    Objects {
        registers,
        counters,
        sets,
        sources,
        router_source,
        year_start,
    }
}

/// A small deterministic generator per client.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn record<I, O>(
    client: usize,
    call: Duration,
    ret: Duration,
    input: I,
    output: Option<O>,
    answer: &Answer,
) -> Option<Op<I, O>> {
    match answer {
        Answer::Ok(_) => Some(Op {
            client,
            call,
            ret: Some(ret),
            input,
            output,
        }),
        Answer::Unknown(_) | Answer::Unexpected(..) => Some(Op {
            client,
            call,
            ret: None,
            input,
            output: None,
        }),
        Answer::NotDone => None,
    }
}

/// One operation by client `me`, chosen at random, recorded into `out`.
pub async fn one_op(
    me: usize,
    seq: u64,
    rng: &mut Rng,
    c: &Client,
    o: &Objects,
    out: &Mutex<Recorded>,
) {
    let replica = rng.below(c.bases.len() as u64) as usize;
    let call = c.since();
    match rng.below(10) {
        0..=2 => {
            let k = rng.below(REGISTERS as u64) as usize;
            let (id, _) = &o.registers[k];
            if rng.below(2) == 0 {
                let value = format!("c{me}-{seq}");
                let answer = c
                    .send(
                        replica,
                        "PATCH",
                        &format!("/api/v1/agents/{id}"),
                        Some(json!({"label": value})),
                    )
                    .await;
                let mut r = out.lock().unwrap();
                r.count("register write", &answer);
                note_unexpected(&mut r, "register write", &answer);
                if let Some(op) = record(
                    me,
                    call,
                    c.since(),
                    RegisterOp::Write(value),
                    Some(None),
                    &answer,
                ) {
                    r.registers.entry(k).or_default().push(op);
                }
            } else {
                let answer = c
                    .send(replica, "GET", &format!("/api/v1/agents/{id}"), None)
                    .await;
                let label = match &answer {
                    Answer::Ok(b) => b["data"]["label"].as_str().map(str::to_owned),
                    _ => None,
                };
                let mut r = out.lock().unwrap();
                r.count("register read", &answer);
                note_unexpected(&mut r, "register read", &answer);
                if let (Answer::Ok(_), Some(label)) = (&answer, label) {
                    let op = Op {
                        client: me,
                        call,
                        ret: Some(c.since()),
                        input: RegisterOp::Read,
                        output: Some(Some(label)),
                    };
                    r.registers.entry(k).or_default().push(op);
                }
            }
        }
        3..=5 => {
            let k = rng.below(COUNTERS as u64) as usize;
            let agent = &o.counters[k];
            match rng.below(3) {
                0 => {
                    let ext = format!("count-{k}-c{me}-{seq}");
                    let day = o.year_start.replace("T00:00:00Z", "T12:00:00Z");
                    let body = json!({"direction": "outbound", "agent_id": agent,
                        "to": format!("+4420794{:05}", seq % 100_000),
                        "started_at": day, "status": "completed", "duration_seconds": 10,
                            "external_id": ext});
                    let answer = c.send(replica, "POST", "/api/v1/calls", Some(body)).await;
                    let mut r = out.lock().unwrap();
                    r.count("counter add", &answer);
                    note_unexpected(&mut r, "counter add", &answer);
                    if matches!(answer, Answer::Ok(_)) {
                        r.acked_calls.insert(ext);
                    }
                    if let Some(op) = record(me, call, c.since(), CounterOp::Add, Some(0), &answer)
                    {
                        r.counters.entry(k).or_default().push(op);
                    }
                }
                1 => {
                    let answer = c
                        .send(
                            replica,
                            "GET",
                            &format!("/api/v1/calls?agent_id={agent}&per_page=1"),
                            None,
                        )
                        .await;
                    let total = match &answer {
                        Answer::Ok(b) => b["pagination"]["total"].as_u64(),
                        _ => None,
                    };
                    push_read(
                        out,
                        me,
                        call,
                        c.since(),
                        k,
                        "counter read (storage)",
                        &answer,
                        total,
                    );
                }
                _ => {
                    let answer = c
                        .send(
                            replica,
                            "GET",
                            "/v1/usage/by-agent?period=year&tz=UTC",
                            None,
                        )
                        .await;
                    let calls = match &answer {
                        Answer::Ok(b) => Some(
                            b["data"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .find(|row| row["agentId"] == json!(agent))
                                .map_or(0, |row| row["calls"].as_u64().unwrap_or(0)),
                        ),
                        _ => None,
                    };
                    push_read(
                        out,
                        me,
                        call,
                        c.since(),
                        k,
                        "counter read (view)",
                        &answer,
                        calls,
                    );
                }
            }
        }
        6..=7 => {
            let k = rng.below(SETS as u64) as usize;
            let id = &o.sets[k];
            if rng.below(2) == 0 {
                let mut chosen = BTreeSet::new();
                for s in &o.sources {
                    if rng.below(2) == 0 {
                        chosen.insert(s.clone());
                    }
                }
                if chosen.is_empty() {
                    chosen.insert(o.sources[0].clone());
                }
                let body = json!({"source_agent_ids": chosen});
                let answer = c
                    .send(
                        replica,
                        "PUT",
                        &format!("/api/v1/agents/{id}/callback"),
                        Some(body),
                    )
                    .await;
                let mut r = out.lock().unwrap();
                r.count("set write", &answer);
                note_unexpected(&mut r, "set write", &answer);
                if let Some(op) = record(
                    me,
                    call,
                    c.since(),
                    RegisterOp::Write(chosen),
                    Some(None),
                    &answer,
                ) {
                    r.sets.entry(k).or_default().push(op);
                }
            } else {
                let answer = c
                    .send(
                        replica,
                        "GET",
                        &format!("/api/v1/callback-agents/{id}"),
                        None,
                    )
                    .await;
                let mut r = out.lock().unwrap();
                r.count("set read", &answer);
                note_unexpected(&mut r, "set read", &answer);
                if let Answer::Ok(b) = &answer {
                    let seen: BTreeSet<String> = b["data"]["source_agents"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|s| s["id"].as_str().map(str::to_owned))
                        .collect();
                    let op = Op {
                        client: me,
                        call,
                        ret: Some(c.since()),
                        input: RegisterOp::Read,
                        output: Some(Some(seen)),
                    };
                    r.sets.entry(k).or_default().push(op);
                }
            }
        }
        _ => route_pair(me, seq, replica, c, o, out).await,
    }
}

fn note_unexpected(r: &mut Recorded, what: &str, answer: &Answer) {
    if let Answer::Unexpected(status, body) = answer {
        r.unexpected.push(format!("{what}: {status} {body}"));
    }
}

#[allow(clippy::too_many_arguments)]
fn push_read(
    out: &Mutex<Recorded>,
    me: usize,
    call: Duration,
    ret: Duration,
    k: usize,
    what: &'static str,
    answer: &Answer,
    value: Option<u64>,
) {
    let mut r = out.lock().unwrap();
    r.count(what, answer);
    note_unexpected(&mut r, what, answer);
    if let (Answer::Ok(_), Some(n)) = (answer, value) {
        let op = Op {
            client: me,
            call,
            ret: Some(ret),
            input: CounterOp::Read,
            output: Some(n),
        };
        r.counters.entry(k).or_default().push(op);
    }
}

/// An outbound call to a new contact; once acknowledged, the contact calls back through
/// another replica.
async fn route_pair(
    me: usize,
    seq: u64,
    replica: usize,
    c: &Client,
    o: &Objects,
    out: &Mutex<Recorded>,
) {
    let contact = format!("+447700{:01}{:05}", me % 10, seq % 100_000);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let rfc = |secs: u64| {
        dialback_core::Timestamp::from_unix_seconds(secs as i64)
            .unwrap()
            .to_string()
    };
    let ext_out = format!("route-out-c{me}-{seq}");
    let body = json!({"direction": "outbound", "agent_id": o.router_source, "to": contact,
        "started_at": rfc(now - 3600), "status": "no-answer", "external_id": ext_out});
    let outbound = c.send(replica, "POST", "/api/v1/calls", Some(body)).await;
    let outbound_done = c.since();
    let ext_in = format!("route-in-c{me}-{seq}");
    let body = json!({"direction": "inbound", "from": contact, "to": ROUTER_NUMBER,
        "started_at": rfc(now), "status": "completed", "duration_seconds": 20,
            "external_id": ext_in});
    let inbound_sent = c.since();
    let inbound = c
        .send(replica + 1, "POST", "/api/v1/calls", Some(body))
        .await;
    let mut r = out.lock().unwrap();
    r.count("route outbound", &outbound);
    r.count("route callback", &inbound);
    note_unexpected(&mut r, "route outbound", &outbound);
    note_unexpected(&mut r, "route callback", &inbound);
    if matches!(outbound, Answer::Ok(_)) {
        r.acked_calls.insert(ext_out);
    }
    if matches!(inbound, Answer::Ok(_)) {
        r.acked_calls.insert(ext_in);
    }
    r.routes.push(RoutePair {
        contact,
        outbound,
        outbound_done,
        inbound_sent,
        inbound,
    });
}

/// Reads every object once more through every replica (the history's last word on each).
pub async fn final_reads(c: &Client, o: &Objects, out: &Mutex<Recorded>) {
    let me = usize::MAX;
    for replica in 0..c.bases.len() {
        for k in 0..REGISTERS {
            let call = c.since();
            let answer = c
                .send(
                    replica,
                    "GET",
                    &format!("/api/v1/agents/{}", o.registers[k].0),
                    None,
                )
                .await;
            if let Answer::Ok(b) = &answer {
                let label = b["data"]["label"].as_str().map(str::to_owned);
                let op = Op {
                    client: me,
                    call,
                    ret: Some(c.since()),
                    input: RegisterOp::Read,
                    output: Some(label),
                };
                out.lock().unwrap().registers.entry(k).or_default().push(op);
            }
        }
        for k in 0..COUNTERS {
            let call = c.since();
            let answer = c
                .send(
                    replica,
                    "GET",
                    &format!("/api/v1/calls?agent_id={}&per_page=1", o.counters[k]),
                    None,
                )
                .await;
            let total = match &answer {
                Answer::Ok(b) => b["pagination"]["total"].as_u64(),
                _ => None,
            };
            push_read(
                out,
                me,
                call,
                c.since(),
                k,
                "counter read (storage)",
                &answer,
                total,
            );
        }
    }
}

/// Every external id stored, through one replica.
pub async fn stored_external_ids(c: &Client, replica: usize) -> Option<HashSet<String>> {
    let mut ids = HashSet::new();
    for page in 1.. {
        let Answer::Ok(body) = c
            .send(
                replica,
                "GET",
                &format!("/api/v1/calls?per_page=100&page={page}"),
                None,
            )
            .await
        else {
            return None;
        };
        for call in body["data"].as_array().into_iter().flatten() {
            if let Some(ext) = call["external_id"].as_str() {
                ids.insert(ext.to_owned());
            }
        }
        if body["pagination"]["current_page"] == body["pagination"]["last_page"] {
            return Some(ids);
        }
    }
    None
}

/// Each client's loop until `until`.
pub async fn run_client(
    me: usize,
    c: Client,
    o: Arc<Objects>,
    out: Arc<Mutex<Recorded>>,
    until: Instant,
) {
    let mut rng = Rng::new(me as u64 + 1);
    let mut seq = 0;
    while Instant::now() < until {
        seq += 1;
        one_op(me, seq, &mut rng, &c, &o, &out).await;
    }
}
