//! Call lists: which calls a page holds, and how many pass its filter, come from the view's
//! list (`dialback_core::CallList`: filters, order, totals and number search in memory, in
//! milliseconds at millions of calls); the page's rows are then read back by id. A search's
//! SID part (the start of an external id) is asked of storage, through an index, and matched
//! in memory with the rest.
//!
//! A count over millions of calls is CPU work of tens of milliseconds. It never runs as an
//! ordinary task on an async worker (which would hold up every request that worker serves,
//! health checks included), and scans take turns: at most one fewer at once than the machine
//! has cores, so that ten searches at once leave a core to everything else.

use std::collections::HashMap;
use std::sync::Arc;

use dialback_core::wire::requests::queries::CallFilter;
use dialback_core::{CallRecord, ListKey};

use super::{App, Env};
use crate::store::{Slice, StoreError};

/// At most this many calls found by a SID prefix are matched in memory; a prefix shared by
/// more (a search for "C" among millions of `CA…` SIDs) is answered by storage alone.
const SID_CAP: usize = 100_000;

/// A page of calls, and how many pass the filter.
pub struct Listed {
    /// The page, newest first.
    pub calls: Vec<CallRecord>,
    /// Every call passing the filter.
    pub total: u64,
}

impl App {
    /// The calls passing `filter`, newest first (by start, then id), from `offset`, at most
    /// `limit`, and how many pass it.
    pub async fn list_calls(
        &self,
        env: &Arc<Env>,
        filter: &CallFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Listed, StoreError> {
        let id = env.id;
        let sids: Vec<ListKey> = match filter.search.as_ref().and_then(|s| s.text.clone()) {
            None => Vec::new(),
            Some(prefix) => {
                let found = self
                    .storage(move |store| store.sids_starting_with(id, &prefix, SID_CAP))
                    .await?;
                match found {
                    Some(found) => found,
                    None => return self.list_in_storage(env, filter, offset, limit).await,
                }
            }
        };
        let page = {
            let _turn = self.scan_turn().await?;
            let view = self.read(env).await?;
            cpu_bound(|| view.list.page(filter, &sids, offset, limit))
        };
        let ids: Vec<u64> = page.ids.iter().map(|c| c.0).collect();
        let rows = self
            .storage(move |store| store.calls_by_ids(id, &ids))
            .await?;
        let mut by_id: HashMap<u64, CallRecord> = rows.into_iter().map(|c| (c.id.0, c)).collect();
        let calls: Vec<CallRecord> = page.ids.iter().filter_map(|c| by_id.remove(&c.0)).collect();
        if calls.len() != page.ids.len() {
            // the view lists only committed calls, and calls are never deleted
            return Err(StoreError::Corrupt(format!(
                "environment {id}: {} listed calls are not in storage",
                page.ids.len() - calls.len()
            )));
        }
        Ok(Listed {
            calls,
            total: page.total,
        })
    }

    /// A turn at scanning, waited for within the request's storage budget.
    async fn scan_turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, StoreError> {
        let budget = self.budget();
        match tokio::time::timeout(budget, self.scans.acquire()).await {
            Ok(Ok(turn)) => Ok(turn),
            Ok(Err(_)) | Err(_) => Err(StoreError::NoAnswer(format!(
                "no turn at listing calls within {budget:?}: the server is busy with other lists"
            ))),
        }
    }

    /// The same, from storage alone (a SID prefix too common to match in memory).
    async fn list_in_storage(
        &self,
        env: &Arc<Env>,
        filter: &CallFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Listed, StoreError> {
        let (id, filter) = (env.id, filter.clone());
        let (calls, total) = self
            .storage(move |store| store.list_calls(id, &filter, Slice::Page { offset, limit }))
            .await?;
        Ok(Listed {
            calls,
            total: total.unwrap_or(0),
        })
    }
}

/// The scan turns of a machine: one fewer than its cores, and at least one.
pub(super) fn scan_turns() -> tokio::sync::Semaphore {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1))
}

/// Runs CPU-bound `f` where it holds up no other task: on a multi-threaded runtime the
/// worker hands its queue to another thread first (`block_in_place`); elsewhere (a
/// single-threaded test runtime, no runtime) there is no one else to hold up.
fn cpu_bound<T>(f: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}
