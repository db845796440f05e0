//! # dialback-server
//!
//! The reference server: Talkover's callback endpoints (`/api/v1`) and AgentPhone's usage
//! endpoints (`/v1`) on `dialback-core`, with embedded SQLite (or PostgreSQL for several
//! replicas), environment tokens, and the
//! admin console's static files at `/`.
//!
//! - [`store`]: durable storage behind a trait (SQLite, one server per file; PostgreSQL, any
//!   number of servers);
//! - [`view`]: each environment's in-memory view (the core's index and logs);
//! - [`ops`]: what each write does, independent of HTTP;
//! - [`http`]: routes, extractors and the two error dialects;
//! - [`listen`]: connections: timeouts, the connection cap, shutdown with a deadline;
//! - [`demo`]: realistic generated data for `dialback serve --demo`;
//! - [`tzdata`]: the time zone table in force (`--tzdata`, `GET /tzdata`).
//!
//! Architecture Invariant: no domain rule lives here. Validation, routing, aggregation and
//! periods are `dialback-core` calls.

pub mod app;
pub mod auth;
pub mod cors;
pub mod demo;
pub mod http;
pub mod listen;
pub mod live;
pub mod metrics;
pub mod ops;
pub mod rate;
pub mod sources;
pub mod storage;
pub mod store;
pub mod tzdata;
pub mod view;
pub mod webhooks;

use std::sync::Arc;

use tokio::net::TcpListener;

/// How often views that grew are saved (`App::save_views`), and by how many calls.
const SAVE_VIEWS: (std::time::Duration, u64) = (std::time::Duration::from_secs(300), 50_000);

/// How often tokens' "last used" times are written.
const TOKEN_USE_FLUSH: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves until `shutdown` resolves, then stops accepting, lets in-flight requests finish
/// (within `limits.shutdown_timeout`), writes the tokens' last use, and returns.
pub async fn serve(
    listener: TcpListener,
    app: Arc<app::App>,
    limits: listen::Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let flusher = tokio::spawn(flush_token_use_every(app.clone(), TOKEN_USE_FLUSH));
    let follower = app
        .store
        .follow()
        .map(|commits| tokio::spawn(follow_commits(app.clone(), commits)));
    let saver = tokio::spawn(save_views_every(app.clone()));
    let sender = tokio::spawn(webhooks::run(app.clone()));
    let pruner = tokio::spawn(live::prune_every(app.clone()));
    // streams end when shutdown begins, so their connections can close within the deadline
    let app2 = app.clone();
    let shutdown = async move {
        shutdown.await;
        app2.live.close();
    };
    listen::serve(listener, http::router(app.clone()), limits, shutdown).await;
    pruner.abort();
    flusher.abort();
    saver.abort();
    // attempts in flight end with the runtime; their deliveries come due again when their
    // leases end, for this server's next start or another replica
    sender.abort();
    // the next start reads only what comes after this
    let app2 = app.clone();
    let _ = storage::off_worker(store::LONGEST, move || app2.save_views(1)).await;
    if let Some(f) = follower {
        f.abort();
    }
    flush_token_use(app).await;
}

/// Saves grown views now (a view loaded from its records, or from a saved view with a long
/// tail, is saved at once) and every few minutes.
async fn save_views_every(app: Arc<app::App>) {
    let (every, min_new) = SAVE_VIEWS;
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let app = app.clone();
        let _ = storage::off_worker(store::LONGEST, move || app.save_views(min_new)).await;
    }
}

/// Writes tokens' last use every `every`: one small transaction, never on a request's path.
async fn flush_token_use_every(app: Arc<app::App>, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        flush_token_use(app.clone()).await;
    }
}

async fn flush_token_use(app: Arc<app::App>) {
    // a small write, given what a request gets; a silent database costs one missed flush
    let deadline = app.settings.storage_timeout;
    match storage::off_worker(deadline, move || app.flush_token_use()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "could not record when tokens were last used"),
        Err(e) => tracing::warn!(error = %e, "recording token use stopped"),
    }
}

/// How long the follower waits for more commits before catching up: during a burst (an
/// import committing a batch every few milliseconds) it catches up in fewer, larger steps,
/// leaving the cores to the writer.
const FOLLOW_QUIET: std::time::Duration = std::time::Duration::from_millis(250);

/// The longest a view is left behind during a burst of commits.
const FOLLOW_AT_LEAST: std::time::Duration = std::time::Duration::from_secs(2);

/// Catches views up with what other servers commit, as they commit it (after a short quiet
/// spell, or every [`FOLLOW_AT_LEAST`] during a burst), one environment at a time. Reads never
/// wait for this: each checks the committed version itself.
async fn follow_commits(app: Arc<app::App>, mut commits: store::Commits) {
    use std::collections::HashMap;
    while let Some((id, version)) = commits.recv().await {
        // streams hear of another server's events at once; views catch up coalesced
        app.live.wake(id);
        let mut behind: HashMap<store::EnvId, store::Version> = HashMap::from([(id, version)]);
        let burst = tokio::time::Instant::now();
        // gather what else arrives while commits keep coming
        while burst.elapsed() < FOLLOW_AT_LEAST {
            match tokio::time::timeout(FOLLOW_QUIET, commits.recv()).await {
                Ok(Some((id, version))) => {
                    app.live.wake(id);
                    let v = behind.entry(id).or_default();
                    *v = (*v).max(version);
                }
                Ok(None) => return,
                Err(_) => break, // quiet
            }
        }
        for (id, version) in behind {
            let Some(env) = app.env(id) else { continue };
            if env.view.read().await.version >= version {
                continue;
            }
            // the same single repair a read would start, with a background task's patience
            let caught_up = storage::within_budget(store::LONGEST, app.repair(&env, Some(version)));
            if let Err(e) = caught_up.await {
                tracing::warn!(environment = id, error = %e,
                    "could not catch up with another server");
            }
        }
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
