//! One run of a source: the platform's agents and numbers (and Talkover's callback roles),
//! merged by the core in one transaction; then its calls since the cursor, recorded oldest
//! first in batches (so each inbound call is routed against the outbound calls before it, as
//! when it happened), and the cursor moved only once they are stored. A run killed anywhere
//! leaves the cursor where it was: the next run reads the same calls again, and stores none
//! twice (`external_id` is `{platform}:{id}`).

use std::sync::Arc;
use std::time::Instant;

use dialback_core::source::calls::{Cursor, PlatformCall, Window, new_call};
use dialback_core::source::merge::{PlatformCallback, PlatformNumber, Snapshot};
use dialback_core::source::page::PageError;
use dialback_core::source::{Platform, agentphone, talkover};
use dialback_core::wire::requests::NewCall;
use dialback_core::{AgentDirectory, Timestamp};
use futures_util::StreamExt;
use serde::Serialize;

use super::fetch::Platform as Api;
use super::{Running, SyncError};
use crate::app::{App, Env};
use crate::ops::{self, Recorded};
use crate::store::sources::Source;

/// Calls stored per transaction.
const BATCH: usize = 5_000;

/// Pages read at once.
const PAGES_IN_FLIGHT: usize = 4;

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The source.
    pub source: i64,
    /// Agents the platform listed.
    pub agents: u64,
    /// Numbers the platform listed.
    pub numbers: u64,
    /// Agents created or changed here.
    pub agents_written: u64,
    /// Numbers added, assigned or released here.
    pub numbers_written: u64,
    /// Pages read.
    pub pages: u64,
    /// Calls listed in the run's window.
    pub calls_listed: u64,
    /// Calls stored now.
    pub calls_created: u64,
    /// Calls stored before (by an earlier run, or a webhook).
    pub calls_existing: u64,
    /// Calls still in progress on the platform: recorded by a later run.
    pub calls_in_progress: u64,
    /// Calls refused (each reason in `refusals`, the first 20).
    pub calls_refused: u64,
    /// Why calls were refused.
    pub refusals: Vec<String>,
    /// Where the next run starts.
    pub cursor: Option<Timestamp>,
    /// How long it took.
    pub seconds: f64,
    /// Of which reading agents and numbers and writing them.
    pub directory_seconds: f64,
    /// Of which reading the call pages.
    pub listing_seconds: f64,
    /// Of which storing the calls.
    pub storing_seconds: f64,
}

/// What a run tells whoever watches it (a terminal's progress bar, or nothing).
pub trait Progress: Send + Sync {
    /// A phase begins (`agents`, `calls`, `storing`), with its size if known.
    fn phase(&self, name: &str, total: Option<u64>);
    /// Progress within the phase.
    fn advance(&self, by: u64);
}

/// No display.
pub struct Silent;

impl Progress for Silent {
    fn phase(&self, _: &str, _: Option<u64>) {}
    fn advance(&self, _: u64) {}
}

fn page_error(page: &str) -> impl Fn(PageError) -> SyncError + '_ {
    move |error| SyncError::Page {
        page: page.to_owned(),
        error,
    }
}

fn storage(e: impl std::fmt::Display) -> SyncError {
    SyncError::Storage(e.to_string())
}

/// Runs `source` once, and records the outcome in its state (an error too).
pub async fn run(
    app: &Arc<App>,
    source: &Source,
    progress: &dyn Progress,
) -> Result<Report, SyncError> {
    let _running = Running::claim(app, source.id)?;
    let started = app.now();
    let outcome = run_once(app, source, progress).await;
    let mut state = source.state.clone();
    state.last_run_at = Some(started);
    match &outcome {
        Ok(report) => {
            state.cursor = report.cursor;
            state.last_ok_at = Some(app.now());
            state.last_error = None;
            state.agents = report.agents;
            state.numbers = report.numbers;
            state.calls += report.calls_created;
        }
        Err(e) => state.last_error = Some(e.to_string()),
    }
    let id = source.id;
    let saved = app
        .storage(move |s| s.sources().save_state(id, &state))
        .await;
    if let Err(e) = saved {
        tracing::warn!(source = id, error = %e, "could not record the run's outcome");
    }
    outcome
}

async fn run_once(
    app: &Arc<App>,
    source: &Source,
    progress: &dyn Progress,
) -> Result<Report, SyncError> {
    let clock = Instant::now();
    let env = app
        .env(source.env)
        .ok_or_else(|| SyncError::Setup(format!("environment {} no longer exists", source.env)))?;
    let token = source.token.read().map_err(SyncError::Setup)?;
    let api = Api::new(&source.base_url, &token)?;
    let mut report = Report {
        source: source.id,
        ..Report::default()
    };

    progress.phase("agents", None);
    let snapshot = match source.platform {
        Platform::Talkover => talkover_snapshot(&api, &mut report).await?,
        Platform::Agentphone => agentphone_snapshot(&api, &mut report).await?,
    };
    report.agents = snapshot.agents.len() as u64;
    report.numbers = {
        let mut all: Vec<_> = snapshot
            .agents
            .iter()
            .flat_map(|a| a.numbers.iter())
            .chain(&snapshot.numbers)
            .map(|n| n.number)
            .collect();
        all.sort_unstable();
        all.dedup();
        all.len() as u64
    };
    app.ready_for_writing(&env).await.map_err(storage)?;
    let (app2, env2) = (app.clone(), env.clone());
    let changes = crate::storage::off_worker(app.settings.storage_timeout, move || {
        ops::agents::sync_directory(&app2, &env2, &snapshot)
    })
    .await
    .map_err(storage)?
    .map_err(|e| {
        storage(
            e.errors
                .first()
                .map_or_else(String::new, |f| f.message.clone()),
        )
    })?
    .map_err(SyncError::Merge)?;
    report.agents_written = changes.agents.len() as u64;
    report.numbers_written = changes.numbers.len() as u64;
    report.directory_seconds = clock.elapsed().as_secs_f64();

    let directory = env.view.read().await.directory.clone();
    let previous = source.state.cursor.map(Cursor);
    let mut window = Window::new(previous, app.now());
    progress.phase("calls", None);
    let listed = match source.platform {
        Platform::Talkover => talkover_calls(&api, &mut window, &mut report, progress).await?,
        Platform::Agentphone => agentphone_calls(&api, &mut window, &mut report, progress).await?,
    };
    let calls = to_record(source.platform, listed, &directory, &mut report)?;
    report.listing_seconds = clock.elapsed().as_secs_f64() - report.directory_seconds;
    let storing = Instant::now();
    store_calls(app, &env, calls, &mut report, progress).await?;
    report.storing_seconds = storing.elapsed().as_secs_f64();
    report.cursor = window.next(previous).map(|c| c.0);
    report.seconds = clock.elapsed().as_secs_f64();
    Ok(report)
}

async fn talkover_snapshot(api: &Api, report: &mut Report) -> Result<Snapshot, SyncError> {
    let mut agents = Vec::new();
    let mut page = 1;
    loop {
        let path = talkover::agents_path(page);
        let body = api.get(&path).await?;
        report.pages += 1;
        let listed = talkover::agents_page(&body).map_err(page_error(&path))?;
        let empty = listed.items.is_empty();
        agents.extend(listed.items);
        if page >= listed.last_page || empty {
            break;
        }
        page += 1;
    }
    let body = api.get(talkover::NUMBERS_PATH).await?;
    let numbers = talkover::numbers_page(&body).map_err(page_error(talkover::NUMBERS_PATH))?;
    let body = api.get(talkover::CALLBACK_AGENTS_PATH).await?;
    let callbacks: Vec<PlatformCallback> = talkover::callback_agents_page(&body)
        .map_err(page_error(talkover::CALLBACK_AGENTS_PATH))?;
    report.pages += 2;
    Ok(Snapshot {
        platform: Platform::Talkover,
        agents,
        numbers,
        callbacks: Some(callbacks),
    })
}

async fn agentphone_snapshot(api: &Api, report: &mut Report) -> Result<Snapshot, SyncError> {
    let agents = every_item(
        api,
        report,
        agentphone::agents_path,
        agentphone::agents_page,
    )
    .await?;
    let numbers: Vec<PlatformNumber> = every_item(
        api,
        report,
        agentphone::numbers_path,
        agentphone::numbers_page,
    )
    .await?;
    Ok(Snapshot {
        platform: Platform::Agentphone,
        agents,
        numbers,
        callbacks: None,
    })
}

/// Every item of an AgentPhone list read by `offset`, page after page while `hasMore`.
async fn every_item<T>(
    api: &Api,
    report: &mut Report,
    path: fn(u64) -> String,
    read: fn(&[u8]) -> Result<agentphone::Listed<T>, PageError>,
) -> Result<Vec<T>, SyncError> {
    let mut items = Vec::new();
    loop {
        let path = path(items.len() as u64);
        let body = api.get(&path).await?;
        report.pages += 1;
        let listed = read(&body).map_err(page_error(&path))?;
        let empty = listed.items.is_empty();
        items.extend(listed.items);
        if !listed.has_more || empty {
            return Ok(items);
        }
    }
}

/// Keeps the calls of a page that the run records.
fn keep(
    window: &mut Window,
    page: Vec<PlatformCall>,
    report: &mut Report,
    out: &mut Vec<PlatformCall>,
) {
    for call in page {
        let in_window = window.from().is_none_or(|from| call.started_at >= from);
        if window.see(&call) {
            report.calls_listed += 1;
            out.push(call);
        } else if in_window {
            report.calls_listed += 1;
            report.calls_in_progress += 1;
        }
    }
}

async fn talkover_calls(
    api: &Api,
    window: &mut Window,
    report: &mut Report,
    progress: &dyn Progress,
) -> Result<Vec<PlatformCall>, SyncError> {
    let from = window.from();
    let first = talkover::calls_path(1, from);
    let body = api.get(&first).await?;
    let page = talkover::calls_page(&body).map_err(page_error(&first))?;
    report.pages += 1;
    progress.phase("calls", Some(page.last_page));
    progress.advance(1);
    let mut out = Vec::new();
    keep(window, page.items, report, &mut out);
    // later pages in any order: the calls are sorted before they are stored
    let mut pages = futures_util::stream::iter(2..=page.last_page)
        .map(|n| {
            let path = talkover::calls_path(n, from);
            async move {
                let body = api.get(&path).await?;
                talkover::calls_page(&body).map_err(page_error(&path))
            }
        })
        .buffered(PAGES_IN_FLIGHT);
    while let Some(page) = pages.next().await {
        let page = page?;
        report.pages += 1;
        progress.advance(1);
        keep(window, page.items, report, &mut out);
    }
    Ok(out)
}

async fn agentphone_calls(
    api: &Api,
    window: &mut Window,
    report: &mut Report,
    progress: &dyn Progress,
) -> Result<Vec<PlatformCall>, SyncError> {
    let mut out = Vec::new();
    let mut offset = 0u64;
    loop {
        // a few pages at once, read in order: each tells whether the next can matter
        let wave: Vec<u64> = (0..PAGES_IN_FLIGHT as u64)
            .map(|i| offset + i * agentphone::LIMIT)
            .collect();
        let pages = futures_util::future::join_all(wave.iter().map(|&o| {
            let path = agentphone::calls_path(o);
            async move {
                let body = api.get(&path).await?;
                agentphone::calls_page(&body).map_err(page_error(&path))
            }
        }))
        .await;
        for page in pages {
            let page = page?;
            report.pages += 1;
            if report.pages == 1 {
                progress.phase("calls", Some(page.total.div_ceil(agentphone::LIMIT)));
            }
            progress.advance(1);
            let (more, n) = (page.has_more, page.items.len() as u64);
            keep(window, page.items, report, &mut out);
            offset += n;
            if !more || n == 0 || window.past() {
                return Ok(out);
            }
        }
    }
}

/// The calls to record, oldest first, each once.
fn to_record(
    platform: Platform,
    mut listed: Vec<PlatformCall>,
    directory: &AgentDirectory,
    report: &mut Report,
) -> Result<Vec<NewCall>, SyncError> {
    listed.sort_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
    listed.dedup_by(|a, b| a.id == b.id);
    let mut out = Vec::with_capacity(listed.len());
    for call in &listed {
        match new_call(platform, call, directory) {
            Ok(Some(c)) => out.push(c),
            Ok(None) => {}
            Err(e) => refuse(report, e.to_string()),
        }
    }
    Ok(out)
}

fn refuse(report: &mut Report, why: String) {
    report.calls_refused += 1;
    if report.refusals.len() < 20 {
        report.refusals.push(why);
    }
}

async fn store_calls(
    app: &Arc<App>,
    env: &Arc<Env>,
    mut calls: Vec<NewCall>,
    report: &mut Report,
    progress: &dyn Progress,
) -> Result<(), SyncError> {
    progress.phase("storing", Some(calls.len() as u64));
    while !calls.is_empty() {
        let rest = calls.split_off(BATCH.min(calls.len()));
        let batch = std::mem::replace(&mut calls, rest);
        let n = batch.len() as u64;
        app.ready_for_writing(env).await.map_err(storage)?;
        let (app2, env2) = (app.clone(), env.clone());
        let recorded = crate::storage::off_worker(app.settings.storage_timeout, move || {
            ops::record_calls(&app2, &env2, batch, false)
        })
        .await
        .map_err(storage)?
        .map_err(|e| {
            storage(
                e.errors
                    .first()
                    .map_or_else(String::new, |f| f.message.clone()),
            )
        })?;
        for r in recorded {
            match r {
                Recorded::Created(_) => report.calls_created += 1,
                Recorded::Existing(_) => report.calls_existing += 1,
                Recorded::Conflict(errors) | Recorded::Rejected(errors) => {
                    refuse(
                        report,
                        errors
                            .first()
                            .map_or_else(String::new, |e| e.message.clone()),
                    );
                }
            }
        }
        progress.advance(n);
    }
    Ok(())
}
