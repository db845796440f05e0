//! Architecture Invariant: the in-memory view never holds what storage does not. A write
//! whose transaction fails leaves no trace in any answer, even when storage cannot be read
//! back at once; until it can, reads fail instead of answering from a view that may be ahead.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use dialback_core::wire::requests::queries::CallFilter;
use dialback_core::{AgentRecord, CallRecord, MessageRecord, NumberResource};
use dialback_server::app::Settings;
use dialback_server::store::{
    EnvId, Result, Sink, Slice, SqliteStore, Store, StoreError, Tail, Version, Writes,
};
use serde_json::json;

use crate::harness::{Server, TempDir};

/// SQLite, with switches that make writes or loads fail as a full disk or a lost volume would.
struct FlakyStore {
    inner: SqliteStore,
    fail_writes: AtomicBool,
    fail_loads: AtomicBool,
}

fn down() -> StoreError {
    StoreError::Corrupt("disk I/O error (injected)".into())
}

impl Store for FlakyStore {
    fn outbox(&self) -> &dyn dialback_server::store::outbox::Outbox {
        &self.inner
    }
    fn sources(&self) -> &dyn dialback_server::store::sources::Sources {
        &self.inner
    }
    fn events(&self) -> &dyn dialback_server::store::events::EventLog {
        &self.inner
    }
    fn tokens(&self) -> &dyn dialback_server::store::tokens::Tokens {
        &self.inner
    }
    fn backup(&self, to: &std::path::Path) -> Result<()> {
        self.inner.backup(to)
    }
    fn ping(&self) -> Result<()> {
        if self.fail_loads.load(Ordering::SeqCst) {
            return Err(down());
        }
        self.inner.ping()
    }
    fn load_into(&self, env: EnvId, after: (u64, u64), sink: &mut dyn Sink) -> Result<Version> {
        if self.fail_loads.load(Ordering::SeqCst) {
            return Err(down());
        }
        self.inner.load_into(env, after, sink)
    }
    fn save_view(&self, env: EnvId, bytes: &[u8]) -> Result<()> {
        self.inner.save_view(env, bytes)
    }
    fn saved_view(&self, env: EnvId) -> Result<Option<Vec<u8>>> {
        if self.fail_loads.load(Ordering::SeqCst) {
            return Err(down());
        }
        self.inner.saved_view(env)
    }
    fn reserve_ids(&self, calls: u64, messages: u64) -> Result<(u64, u64)> {
        self.inner.reserve_ids(calls, messages)
    }
    fn begin(&self, env: EnvId, since: Version) -> Result<(Box<dyn Writes + '_>, Tail)> {
        let (inner, tail) = self.inner.begin(env, since)?;
        Ok((
            Box::new(FlakyWrites {
                inner,
                fail: &self.fail_writes,
            }),
            tail,
        ))
    }
    fn version(&self, env: EnvId) -> Result<Option<Version>> {
        self.inner.version(env)
    }
    fn changes_since(&self, env: EnvId, since: Version) -> Result<Tail> {
        self.inner.changes_since(env, since)
    }
    fn call(&self, env: EnvId, id: u64) -> Result<Option<CallRecord>> {
        self.inner.call(env, id)
    }
    fn calls_by_external_id(&self, env: EnvId, ids: &[&str]) -> Result<Vec<CallRecord>> {
        self.inner.calls_by_external_id(env, ids)
    }
    fn calls_by_ids(&self, env: EnvId, ids: &[u64]) -> Result<Vec<CallRecord>> {
        self.inner.calls_by_ids(env, ids)
    }
    fn sids_starting_with(
        &self,
        env: EnvId,
        prefix: &str,
        cap: usize,
    ) -> Result<Option<Vec<dialback_core::ListKey>>> {
        self.inner.sids_starting_with(env, prefix, cap)
    }
    fn list_calls(
        &self,
        env: EnvId,
        filter: &CallFilter,
        slice: Slice,
    ) -> Result<(Vec<CallRecord>, Option<u64>)> {
        self.inner.list_calls(env, filter, slice)
    }
}

/// A write transaction that fails while the switch is on.
struct FlakyWrites<'s> {
    inner: Box<dyn Writes + 's>,
    fail: &'s AtomicBool,
}

impl Writes for FlakyWrites<'_> {
    fn write_agent(
        &mut self,
        agent: Option<&AgentRecord>,
        numbers: &[NumberResource],
    ) -> Result<()> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(down());
        }
        self.inner.write_agent(agent, numbers)
    }
    fn insert_batch(&mut self, calls: &[CallRecord], messages: &[MessageRecord]) -> Result<()> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(down());
        }
        self.inner.insert_batch(calls, messages)
    }
    fn webhooks(&mut self) -> Result<Vec<dialback_core::webhook::Webhook>> {
        self.inner.webhooks()
    }
    fn enqueue(&mut self, d: &[dialback_server::store::outbox::NewDelivery]) -> Result<()> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(down());
        }
        self.inner.enqueue(d)
    }
    fn log_events(&mut self, e: &[dialback_server::store::events::NewEvent]) -> Result<()> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(down());
        }
        self.inner.log_events(e)
    }
    fn receipt(
        &mut self,
        source: i64,
        id: &str,
        signature: &str,
        at: dialback_core::Timestamp,
    ) -> Result<dialback_server::store::sources::Seen> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(down());
        }
        self.inner.receipt(source, id, signature, at)
    }
    fn commit(self: Box<Self>) -> Result<Version> {
        self.inner.commit()
    }
}

#[tokio::test]
async fn a_failed_write_leaves_no_trace_and_reads_wait_for_storage() {
    let dir = TempDir::new();
    let store = Arc::new(FlakyStore {
        inner: SqliteStore::open(&dir.db(), false).unwrap(),
        fail_writes: AtomicBool::new(false),
        fail_loads: AtomicBool::new(false),
    });
    let s = Server::start_on(dir, store.clone(), Settings::default(), |r| r).await;
    let (_, sales) = s.callback_setup("Sales", None).await;
    let outbound = |to: &str, at: &str| {
        json!({"direction": "outbound", "agent_id": sales, "to": to, "started_at": at,
            "status": "no-answer"})
    };
    let (status, _) = s
        .call(
            "POST",
            "/api/v1/calls",
            Some(outbound("+442079460001", "2024-01-01T10:00:00Z")),
        )
        .await;
    assert_eq!(status, 201);

    // the disk fails during a write, and cannot be read back either
    store.fail_writes.store(true, Ordering::SeqCst);
    store.fail_loads.store(true, Ordering::SeqCst);
    let (status, body) = s
        .call(
            "POST",
            "/api/v1/calls",
            Some(outbound("+442079460002", "2024-01-01T11:00:00Z")),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (500, Some("INTERNAL_ERROR")),
        "{body}"
    );
    assert!(
        !body.to_string().contains("injected"),
        "storage details stay in the log: {body}"
    );
    // a view that may be ahead of storage is not read
    let (status, body) = s.call("GET", "/api/v1/callback-agents/stats", None).await;
    assert!(
        status >= 500,
        "answered from a view ahead of storage: {status} {body}"
    );
    // and both health checks say what does not answer, with no token
    let (status, body) = s.call_as("", "GET", "/healthz", None).await;
    assert_eq!(
        (status, &body["database"]),
        (503, &json!("unavailable")),
        "{body}"
    );
    let (status, body) = s.call_as("", "GET", "/api/v1/health", None).await;
    assert_eq!(
        (status, &body["success"], &body["data"]["status"]),
        (503, &json!(false), &json!("unavailable")),
        "{body}"
    );

    // storage is back: the failed call is nowhere, the stored one is everywhere
    store.fail_writes.store(false, Ordering::SeqCst);
    store.fail_loads.store(false, Ordering::SeqCst);
    let inbound = |from: &str| {
        json!({"direction": "inbound", "from": from, "to": "+14155550100",
            "started_at": "2024-01-02T10:00:00Z", "status": "answered"})
    };
    let (status, failed) = s
        .call("POST", "/api/v1/calls", Some(inbound("+442079460002")))
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        failed["data"]["routing"]["reason_code"], "NO_OUTBOUND_CALL",
        "routed against a call that was never stored: {failed}"
    );
    let (_, stored) = s
        .call("POST", "/api/v1/calls", Some(inbound("+442079460001")))
        .await;
    assert_eq!(
        stored["data"]["routing"]["reason_code"], "MATCHED",
        "{stored}"
    );
    let calls = s.all_calls().await;
    assert_eq!(calls.len(), 3, "{calls:?}");
    let (status, body) = s.call_as("", "GET", "/healthz", None).await;
    assert_eq!((status, &body["status"]), (200, &json!("ok")), "{body}");
    let (status, body) = s.call_as("", "GET", "/api/v1/health", None).await;
    assert_eq!((status, &body["success"]), (200, &json!(true)), "{body}");
}
