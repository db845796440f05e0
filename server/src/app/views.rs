//! Environments' views as requests meet them: read only when they are what storage holds,
//! repaired (rebuilt, or caught up with other servers) by one background task at a time, and
//! never locked while storage is asked.

use std::sync::Arc;

use tokio::sync::{RwLock as ViewLock, RwLockReadGuard};

use super::App;
use crate::storage;
use crate::store::{self, EnvId, Store, StoreError, Version};
use crate::view::View;

/// One environment: its id and its view. The view's lock also serialises the environment's
/// writers, so a write sees and changes one consistent state. It is an async lock: request
/// handlers wait for it without holding a worker thread, while writers (on blocking threads)
/// take it with `blocking_write`.
pub struct Env {
    /// Its id.
    pub id: EnvId,
    /// Its view.
    pub view: ViewLock<View>,
    /// How many calls its view held when it was last saved (or restored from a saved view).
    pub(super) saved_calls: std::sync::atomic::AtomicU64,
    /// Held while the view is being made what storage holds again (`App::repair`): one
    /// repair at a time, which every request that needs it waits for.
    repairing: Arc<tokio::sync::Mutex<()>>,
}

impl Env {
    pub(super) fn new(id: EnvId, view: View) -> Arc<Env> {
        Arc::new(Env {
            id,
            saved_calls: std::sync::atomic::AtomicU64::new(view.restored_calls),
            repairing: Arc::new(tokio::sync::Mutex::new(())),
            view: ViewLock::new(view),
        })
    }
}

/// Makes a view what storage holds again (on a storage thread): rebuilt if a failed write
/// left it stale, and brought up to `version` (what other servers committed) if it is behind.
///
/// Storage is read first and the view locked only to apply what was read, so readers never
/// wait behind the database; a writer that moved the view meanwhile brought it at least as
/// far, and what was read is then dropped or read again.
pub fn reload(store: &dyn Store, env: &Env, version: Option<Version>) -> Result<(), StoreError> {
    let corrupt = |e| StoreError::Corrupt(format!("environment {}: {e}", env.id));
    for _ in 0..8 {
        let (stale, have) = {
            let view = env.view.blocking_read();
            (view.stale, view.version)
        };
        if stale {
            let fresh = View::load(store, env.id).map_err(|e| e.into_store(env.id))?;
            let mut view = env.view.blocking_write();
            if view.stale {
                *view = fresh;
            }
            continue;
        }
        if version.is_none_or(|v| v <= have) {
            return Ok(());
        }
        let tail = store.changes_since(env.id, have)?;
        let mut view = env.view.blocking_write();
        if view.version == have
            && !view.stale
            && let Err(e) = view.apply(tail)
        {
            view.stale = true;
            return Err(corrupt(e));
        }
    }
    Err(StoreError::Unavailable(format!(
        "environment {} kept changing while it was caught up",
        env.id
    )))
}

impl App {
    /// An environment's view for reading, made what storage holds first if it may not be
    /// (see [`App::repair`]): the view is never read while it may hold what storage does not.
    /// When other servers share the database, the view is first brought up to the
    /// environment's committed version, so a read that starts after any server acknowledged
    /// a write sees it. Every wait is within the request's storage budget.
    pub async fn read<'e>(
        &self,
        env: &'e Arc<Env>,
    ) -> Result<RwLockReadGuard<'e, View>, StoreError> {
        let committed = if self.store.shared() {
            let id = env.id;
            self.storage(move |store| store.version(id)).await?
        } else {
            None
        };
        let fresh = |view: &View| !view.stale && committed.is_none_or(|v| v <= view.version);
        {
            let view = self.lock_for_reading(env).await?;
            if fresh(&view) {
                return Ok(view);
            }
        }
        self.repair(env, committed).await?;
        let view = self.lock_for_reading(env).await?;
        if fresh(&view) {
            Ok(view)
        } else {
            Err(StoreError::Unavailable(format!(
                "environment {} is being made what storage holds again",
                env.id
            )))
        }
    }

    /// Makes sure a write starts from a view storage holds: a view a failed write left stale
    /// is rebuilt first (within the request's budget). Catching up with other servers is the
    /// write's own first step (`Store::begin`).
    pub async fn ready_for_writing(&self, env: &Arc<Env>) -> Result<(), StoreError> {
        if !self.lock_for_reading(env).await?.stale {
            return Ok(());
        }
        self.repair(env, None).await
    }

    async fn lock_for_reading<'e>(
        &self,
        env: &'e Arc<Env>,
    ) -> Result<RwLockReadGuard<'e, View>, StoreError> {
        let deadline = storage::remaining(self.settings.storage_timeout);
        tokio::time::timeout(deadline, env.view.read())
            .await
            .map_err(|_| {
                StoreError::Unavailable(format!(
                    "environment {} is held by a write waiting for storage",
                    env.id
                ))
            })
    }

    /// Makes the environment's view what storage holds again ([`reload`]), one repair at a
    /// time: a request that finds one running waits for it rather than starting another. The
    /// repair itself may take long (a stale view of millions of calls is loaded again); the
    /// request waits at most its storage budget, and the repair goes on without it, so the
    /// next request finds the view ready.
    pub async fn repair(&self, env: &Arc<Env>, version: Option<Version>) -> Result<(), StoreError> {
        let deadline = storage::remaining(self.settings.storage_timeout);
        let wait = async {
            match env.repairing.clone().try_lock_owned() {
                Ok(turn) => {
                    let (store, env2) = (self.store.clone(), env.clone());
                    let task = tokio::spawn(async move {
                        let done = storage::off_worker(store::LONGEST, move || {
                            reload(&*store, &env2, version)
                        })
                        .await;
                        drop(turn);
                        done
                    });
                    match task.await {
                        Ok(Ok(done)) => done,
                        Ok(Err(e)) => Err(StoreError::Unavailable(e.to_string())),
                        Err(e) => Err(StoreError::Internal(format!("the repair stopped: {e}"))),
                    }
                }
                // someone else's repair: wait for it to end, then let the caller look again
                Err(_) => {
                    drop(env.repairing.lock().await);
                    Ok(())
                }
            }
        };
        tokio::time::timeout(deadline, wait)
            .await
            .unwrap_or_else(|_| {
                Err(StoreError::Unavailable(format!(
                    "environment {} is still being made what storage holds",
                    env.id
                )))
            })
    }
}
