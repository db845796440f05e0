//! The bridge between the synchronous [`Store`](crate::store::Store) and the async driver: a
//! small tokio runtime and a `deadpool` pool of the store's own, each call handed to it and
//! waited for, and the driver's errors read as the store's.

use std::time::Duration;

use deadpool_postgres::{
    Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime, Timeouts,
};
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

use super::{PgStore, WAIT, schema};
use crate::store::{Result, StoreError};

/// Whether `--db` names PostgreSQL rather than a SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// A URL fit for messages and logs: its password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

/// A driver error, classified: connection trouble is `Unavailable` (retry later); anything
/// else is the database refusing.
pub(crate) fn pg(e: tokio_postgres::Error) -> StoreError {
    let gone = e.is_closed()
        || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>())
        || e.code().is_some_and(|c| {
            c.code().starts_with("08")
                || *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW
        });
    if gone {
        StoreError::Unavailable(e.to_string())
    } else {
        StoreError::Database(e.to_string())
    }
}

/// The driver's settings for every connection: the operator's URL, with the bounds that keep
/// a silent database from holding a connection forever.
/// - connecting gives up after [`WAIT`];
/// - TCP keepalive probes an idle connection after 10 s, every 5 s, three times: a host that
///   vanished (a partition, a frozen VM) is noticed in about 25 s even with nothing to send;
/// - `statement_timeout` makes the database end any statement running longer than
///   [`LONGEST`](crate::store::threads::LONGEST): a query gone wrong does not run on after its
///   caller gave up. (Callers give up sooner, at their own deadline: see `run`.)
pub(crate) fn driver_config(url: &str) -> Result<tokio_postgres::Config> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| StoreError::Database(format!("{}: {e}", redact(url))))?;
    let timeout = format!(
        "-c statement_timeout={}",
        crate::store::threads::LONGEST.as_millis()
    );
    let options = match config.get_options() {
        Some(given) if given.contains("statement_timeout") => given.to_owned(),
        Some(given) => format!("{given} {timeout}"),
        None => timeout,
    };
    config
        .options(&options)
        .connect_timeout(WAIT)
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(10))
        .keepalives_interval(Duration::from_secs(5))
        .keepalives_retries(3);
    if config.get_application_name().is_none() {
        config.application_name("dialback");
    }
    Ok(config)
}

pub(super) fn pool_error(e: PoolError) -> StoreError {
    match e {
        PoolError::Backend(e) => pg(e),
        other => StoreError::Unavailable(other.to_string()),
    }
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date (replicas starting
    /// together take turns).
    pub fn open(url: &str, connections: usize) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("dialback-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let config = driver_config(url)?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(connections.max(2))
            .timeouts(Timeouts {
                wait: Some(WAIT),
                create: Some(WAIT),
                recycle: Some(WAIT),
            })
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Database(e.to_string()))?;
        let store = PgStore {
            pool,
            url: url.to_owned(),
            rt: Some(rt),
        };
        store.with(|mut client| async move { schema::migrate(&mut client).await })?;
        Ok(store)
    }

    /// Runs a future on the store's runtime and waits for it, at most the calling thread's
    /// deadline ([`threads::deadline`](crate::store::threads::deadline)): past it the future is
    /// dropped (a statement in flight is abandoned; the driver reads its answer when it
    /// comes and drops it) and the call is `Unavailable`. A frozen database or a silent
    /// network therefore holds a caller for the deadline, never longer.
    #[track_caller]
    pub(super) fn run<T: Send + 'static>(
        &self,
        fut: impl Future<Output = T> + Send + 'static,
    ) -> Result<T> {
        crate::store::threads::assert_storage_thread("postgres");
        let deadline = crate::store::threads::deadline();
        let rt = self
            .rt
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable("the store is closing".into()))?;
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn(async move {
            let _ = tx.send(tokio::time::timeout(deadline, fut).await);
        });
        match rx.recv() {
            Ok(Ok(t)) => Ok(t),
            Ok(Err(_)) => Err(StoreError::NoAnswer(format!(
                "nothing within {:.1} s",
                deadline.as_secs_f64()
            ))),
            Err(_) => Err(StoreError::Unavailable("the database task stopped".into())),
        }
    }

    /// Runs `f` with a pooled connection.
    pub(super) fn with<T, F, Fut>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Object) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send,
    {
        let pool = self.pool.clone();
        self.run(async move {
            let client = pool.get().await.map_err(pool_error)?;
            f(client).await
        })?
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // dropping a runtime waits for its tasks, which is not allowed inside another runtime
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}
