//! Recording calls and messages.

use std::collections::HashMap;

use dialback_core::error::ErrorCode;
use dialback_core::wire::FieldError;
use dialback_core::wire::requests::{NewCall, NewMessage, check_agent_reference};
use dialback_core::{CallId, CallRecord, Direction, InboundCall, MessageRecord, call_agent};

use super::{OpError, write};
use crate::app::{App, Env};
use crate::store::sources::Seen;

/// What recording one call did.
#[derive(Debug, Clone)]
pub enum Recorded {
    /// Stored now.
    Created(CallRecord),
    /// Its `external_id` was already stored with the same content: the stored call, unchanged.
    Existing(CallRecord),
    /// Its `external_id` was already stored with different content; nothing stored.
    Conflict(Vec<FieldError>),
    /// Refused; nothing stored.
    Rejected(Vec<FieldError>),
}

/// The answer to a call sent under an `external_id` stored before: the stored call if it is
/// the same call (a retry), the core's conflict if not.
fn again(call: &NewCall, stored: &CallRecord) -> Recorded {
    match call.retry_of(stored) {
        Ok(()) => Recorded::Existing(stored.clone()),
        Err(e) => Recorded::Conflict(vec![FieldError::new(
            e.code(),
            e.to_string(),
            "external_id",
            None,
        )]),
    }
}

/// Records calls in order, in one transaction. Inbound calls are routed by the core as they
/// arrive, against the configuration and outbound calls in force at that moment (including
/// outbound calls earlier in the same batch). A call whose `external_id` is already stored
/// comes back unchanged and counts nothing twice, if it is the same call; a different call
/// under that `external_id` is refused as a conflict, as is a call naming an unknown agent.
///
/// With `events`, the webhook deliveries of what is stored are stored in the same
/// transaction (imports pass `false` unless asked: a backfill is history, not news).
pub fn record_calls(
    app: &App,
    env: &Env,
    calls: Vec<NewCall>,
    events: bool,
) -> Result<Vec<Recorded>, OpError> {
    record_calls_once(app, env, calls, events, None).map(Once::or_default)
}

/// A source's webhook delivery, stored once: what it carries is written in the transaction
/// that records its `X-Webhook-ID`.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// The source.
    pub source: i64,
    /// `X-Webhook-ID`.
    pub delivery_id: String,
    /// `X-Webhook-Signature`, which tells a retry (signed anew) from a replay.
    pub signature: String,
}

impl<T: Default> Once<T> {
    /// What was written (nothing, if it was before).
    fn or_default(self) -> T {
        match self {
            Once::Done(t) => t,
            Once::Before(_) => T::default(),
        }
    }
}

/// What writing once per receipt came to.
#[derive(Debug, Clone)]
pub enum Once<T> {
    /// Written now.
    Done(T),
    /// Stored before, nothing written: `Retried` or `Replayed`.
    Before(Seen),
}

/// Starts a write, and records the receipt in it; if the delivery was stored before, how
/// (and nothing is written).
fn begin<'a>(
    app: &'a App,
    env: &'a Env,
    receipt: Option<&Receipt>,
) -> Result<Result<super::Write<'a>, Seen>, OpError> {
    let mut w = write(app, env)?;
    if let Some(r) = receipt {
        match w
            .tx
            .receipt(r.source, &r.delivery_id, &r.signature, app.now())
        {
            Ok(Seen::New) => {}
            Ok(seen) => return Ok(Err(seen)),
            Err(e) => return Err(w.fail(app, env, &e)),
        }
    }
    Ok(Ok(w))
}

/// [`record_calls`], once per receipt.
pub fn record_calls_once(
    app: &App,
    env: &Env,
    calls: Vec<NewCall>,
    events: bool,
    receipt: Option<&Receipt>,
) -> Result<Once<Vec<Recorded>>, OpError> {
    let mut w = match begin(app, env, receipt)? {
        Ok(w) => w,
        Err(seen) => return Ok(Once::Before(seen)),
    };
    let (mut next_id, _) = app
        .store
        .reserve_ids(calls.len() as u64, 0)
        .map_err(|e| OpError::storage(&e))?;
    let view = &mut *w.view;
    let mut out = Vec::with_capacity(calls.len());
    let mut rows: Vec<CallRecord> = Vec::with_capacity(calls.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    // the directory does not change during the batch; the index does (outbound calls), and
    // if the batch is not stored the view is marked stale and rebuilt from storage
    for call in calls {
        if let Some(ext) = &call.external_id {
            if let Some(row) = seen.get(ext).and_then(|&i| rows.get(i)) {
                out.push(again(&call, row));
                continue;
            }
            let stored = stored_with_external_id(app, env, view, ext).inspect_err(|_| {
                // outbound calls earlier in the batch may be in the index already
                view.stale = true;
            })?;
            if let Some(existing) = stored {
                out.push(again(&call, &existing));
                continue;
            }
        }
        let outbound = call.direction == Direction::Outbound;
        if let Err(e) = check_agent_reference(call.agent_id, outbound, &view.directory) {
            out.push(Recorded::Rejected(vec![FieldError::new(
                e.code(),
                e.to_string(),
                e.field(),
                None,
            )]));
            continue;
        }
        let routing = (!outbound).then(|| {
            view.routing.route(&InboundCall {
                from: call.caller(),
                to: call.to,
                at: call.started_at,
            })
        });
        let row = CallRecord {
            id: CallId(next_id),
            agent_id: call_agent(call.direction, call.agent_id, routing.as_ref()),
            external_id: call.external_id,
            direction: call.direction,
            from: call.from_raw,
            to: call.to,
            started_at: call.started_at,
            status: call.status,
            duration_seconds: call.duration_seconds,
            routing,
        };
        next_id += 1;
        if let Some(o) = row.outbound_entry() {
            view.routing.insert_outbound(o);
        }
        if let Some(ext) = &row.external_id {
            seen.insert(ext.clone(), rows.len());
        }
        out.push(Recorded::Created(row.clone()));
        rows.push(row);
    }
    if let Err(e) = w.tx.insert_batch(&rows, &[]) {
        return Err(w.fail(app, env, &e));
    }
    let told = match events {
        true => match tell(app, &mut w, &rows, &[]) {
            Ok(told) => told,
            Err(e) => return Err(w.fail(app, env, &e)),
        },
        false => Told::default(),
    };
    let mut view = w.commit(app, env)?;
    for row in &rows {
        view.account_call(row);
    }
    app.metrics.calls_stored(&rows);
    told.wake(app, env);
    Ok(Once::Done(out))
}

/// What a write stored for others to hear of.
#[derive(Debug, Clone, Copy, Default)]
struct Told {
    deliveries: usize,
    events: usize,
}

impl Told {
    /// After the commit: the webhook sender and the environment's streams are woken.
    fn wake(self, app: &App, env: &Env) {
        if self.deliveries > 0 {
            app.webhooks.wake();
        }
        if self.events > 0 {
            app.live.wake(env.id);
        }
    }
}

/// Stores, in this write's transaction, the live events and the webhook deliveries of what
/// it stores.
fn tell(
    app: &App,
    w: &mut super::Write<'_>,
    calls: &[CallRecord],
    messages: &[MessageRecord],
) -> Result<Told, crate::store::StoreError> {
    let (at, now_ms) = (app.now(), crate::webhooks::now_ms(app));
    let events = crate::live::record::for_records(&w.view, calls, messages, at, now_ms);
    w.tx.log_events(&events)?;
    let hooks = w.tx.webhooks()?;
    let deliveries = match hooks.is_empty() {
        true => Vec::new(),
        false => crate::webhooks::events::for_records(&hooks, &w.view, calls, messages, at, now_ms),
    };
    w.tx.enqueue(&deliveries)?;
    Ok(Told {
        deliveries: deliveries.len(),
        events: events.len(),
    })
}

fn stored_with_external_id(
    app: &App,
    env: &Env,
    view: &crate::view::View,
    ext: &str,
) -> Result<Option<CallRecord>, OpError> {
    if !view.may_have_external_id(ext) {
        return Ok(None);
    }
    let rows = app
        .store
        .calls_by_external_id(env.id, &[ext])
        .map_err(|e| OpError::storage(&e))?;
    Ok(rows
        .into_iter()
        .find(|r| r.external_id.as_deref() == Some(ext)))
}

/// `POST /api/v1/messages` (and bulk loads): stores messages in one transaction.
pub fn record_messages(
    app: &App,
    env: &Env,
    messages: Vec<NewMessage>,
) -> Result<Vec<MessageRecord>, OpError> {
    record_messages_once(app, env, messages, None).map(Once::or_default)
}

/// [`record_messages`], once per receipt.
pub fn record_messages_once(
    app: &App,
    env: &Env,
    messages: Vec<NewMessage>,
    receipt: Option<&Receipt>,
) -> Result<Once<Vec<MessageRecord>>, OpError> {
    let mut w = match begin(app, env, receipt)? {
        Ok(w) => w,
        Err(seen) => return Ok(Once::Before(seen)),
    };
    for m in &messages {
        check_agent_reference(m.agent_id, false, &w.view.directory)
            .map_err(|e| OpError::request(&[e]))?;
    }
    let (_, first) = app
        .store
        .reserve_ids(0, messages.len() as u64)
        .map_err(|e| OpError::storage(&e))?;
    let rows: Vec<MessageRecord> = messages
        .into_iter()
        .zip(first..)
        .map(|(m, id)| MessageRecord {
            id,
            agent_id: m.agent_id,
            direction: m.direction,
            from: m.from,
            to: m.to,
            sent_at: m.sent_at,
        })
        .collect();
    if let Err(e) = w.tx.insert_batch(&[], &rows) {
        return Err(w.fail(app, env, &e));
    }
    let told = match tell(app, &mut w, &[], &rows) {
        Ok(told) => told,
        Err(e) => return Err(w.fail(app, env, &e)),
    };
    let mut view = w.commit(app, env)?;
    for row in &rows {
        view.account_message(row);
    }
    told.wake(app, env);
    Ok(Once::Done(rows))
}
