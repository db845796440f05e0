//! The dispatcher: one task per server that claims due deliveries webhook by webhook and
//! sends them, at most `per_webhook` at once to one webhook and `concurrency` in all. The
//! backlog stays in storage: memory holds only the attempts in flight, however many
//! deliveries wait for a dead receiver. Every storage call runs off the async workers with a
//! deadline; a silent database costs missed rounds, never a stalled server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use dialback_core::webhook::Webhook;
use dialback_core::webhook::delivery::{DeliveryStatus, Next, after_attempt};

use super::now_ms;
use super::send::attempt;
use crate::app::App;
use crate::storage::off_worker;
use crate::store::outbox::{Claimed, Finished};

/// How long a claim outlives the attempt's own timeout: a server killed mid-send leaves the
/// delivery to be claimed again after this.
const LEASE_SLACK_MS: i64 = 15_000;

/// How long one round's storage work may take.
const ROUND: Duration = Duration::from_secs(5);

/// How often the queue depth is counted for `/metrics`.
const QUEUE_EVERY: Duration = Duration::from_secs(5);

/// Attempts in flight, by webhook.
type InFlight = Arc<Mutex<HashMap<String, usize>>>;

/// Runs until the server stops.
pub async fn run(app: Arc<App>) {
    if !app.webhooks.settings.deliver {
        return;
    }
    let settings = app.webhooks.settings.clone();
    let slots = Arc::new(tokio::sync::Semaphore::new(settings.concurrency.max(1)));
    let in_flight: InFlight = Arc::default();
    let mut counted = tokio::time::Instant::now() - QUEUE_EVERY;
    loop {
        round(&app, &slots, &in_flight).await;
        if counted.elapsed() >= QUEUE_EVERY {
            counted = tokio::time::Instant::now();
            let app2 = app.clone();
            if let Ok(Ok(n)) = off_worker(ROUND, move || app2.store.outbox().pending()).await {
                app.metrics
                    .webhook_queue
                    .set(i64::try_from(n).unwrap_or(i64::MAX));
            }
        }
        tokio::select! {
            () = app.webhooks.wake.notified() => {}
            () = tokio::time::sleep(settings.poll) => {}
        }
    }
}

async fn round(app: &Arc<App>, slots: &Arc<tokio::sync::Semaphore>, in_flight: &InFlight) {
    let app2 = app.clone();
    let hooks = match off_worker(ROUND, move || app2.store.outbox().enabled_webhooks()).await {
        Ok(Ok(hooks)) => hooks,
        Ok(Err(e)) => return tracing::warn!(error = %e, "webhooks: could not read webhooks"),
        Err(e) => return tracing::warn!(error = %e, "webhooks: reading webhooks stopped"),
    };
    let per_webhook = app.webhooks.settings.per_webhook.max(1);
    for (_env, hook) in hooks {
        let busy = in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&hook.id)
            .copied()
            .unwrap_or(0);
        let free = per_webhook
            .saturating_sub(busy)
            .min(slots.available_permits());
        if free == 0 {
            continue;
        }
        let now = now_ms(app);
        let lease = now + i64::from(hook.timeout_seconds) * 1000 + LEASE_SLACK_MS;
        let (app2, id) = (app.clone(), hook.id.clone());
        let claimed = off_worker(ROUND, move || {
            app2.store.outbox().claim(&id, now, lease, free)
        })
        .await;
        let claimed = match claimed {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, webhook = hook.id, "webhooks: could not claim");
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, webhook = hook.id, "webhooks: claiming stopped");
                continue;
            }
        };
        let hook = Arc::new(hook);
        for c in claimed {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            *in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(hook.id.clone())
                .or_default() += 1;
            let (app, hook, in_flight) = (app.clone(), hook.clone(), in_flight.clone());
            tokio::spawn(async move {
                send_one(&app, &hook, c).await;
                drop(permit);
                if let Some(n) = in_flight
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get_mut(&hook.id)
                {
                    *n = n.saturating_sub(1);
                }
                app.webhooks.wake();
            });
        }
    }
}

/// A 64-bit value fixed for one delivery's attempt, for the retry jitter.
fn jitter(id: &str, attempt: u8) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h =
        std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
            .build_hasher();
    h.write(id.as_bytes());
    h.write_u8(attempt);
    h.finish()
}

async fn send_one(app: &Arc<App>, hook: &Webhook, c: Claimed) {
    let unix_now = app.now().unix_seconds();
    let done = attempt(
        app.webhooks.client(),
        hook,
        &c.id,
        c.body,
        unix_now,
        app.webhooks.settings.allow_private,
    )
    .await;
    let policy = hook.retry_policy(app.webhooks.settings.first_wait_ms);
    let next = after_attempt(&done.result, c.attempt, &policy, jitter(&c.id, c.attempt));
    let at_ms = now_ms(app);
    let (status, next_ms) = match next {
        Next::Delivered => (DeliveryStatus::Delivered, None),
        Next::Failed => (DeliveryStatus::Failed, None),
        Next::RetryAfter(wait) => (
            DeliveryStatus::Pending,
            Some(at_ms.saturating_add(i64::try_from(wait).unwrap_or(i64::MAX))),
        ),
    };
    app.metrics.webhook_attempt(
        status,
        (status == DeliveryStatus::Delivered)
            .then(|| (at_ms - c.created_ms).max(0) as f64 / 1000.0),
    );
    let finished = Finished {
        status,
        next_ms,
        http_status: match done.result {
            dialback_core::webhook::delivery::AttemptResult::Answered(s) => Some(s),
            dialback_core::webhook::delivery::AttemptResult::NoAnswer => None,
        },
        error: done.error,
        response_body: done.body,
        response_ms: u64::try_from(done.elapsed.as_millis()).unwrap_or(u64::MAX),
        at_ms,
    };
    let (app2, seq, n) = (app.clone(), c.seq, c.attempt);
    match off_worker(ROUND, move || app2.store.outbox().finish(seq, n, &finished)).await {
        Ok(Ok(())) => {}
        // the lease runs out and the delivery is sent again: at least once, never lost
        Ok(Err(e)) => {
            tracing::warn!(error = %e, delivery = c.id, "webhooks: could not record an attempt")
        }
        Err(e) => {
            tracing::warn!(error = %e, delivery = c.id, "webhooks: recording an attempt stopped")
        }
    }
}
