//! The application: storage, the environments' in-memory views, and token look-up.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use dialback_core::Timestamp;

mod lists;
mod views;

pub use lists::Listed;
pub use views::{Env, reload};

use crate::auth;
use crate::auth::{Grant, NewToken, Scope};
use crate::cors::AllowedOrigins;
use crate::metrics::Metrics;
use crate::rate::RateLimiter;
use crate::storage;
use crate::store;
use crate::store::{EnvId, Store, StoreError};
use crate::view::{LoadError, View};

/// Where "now" comes from: the system clock, a fixed instant, or one moved by hand (tests,
/// reproducible demos). The server reads the time in one place, this one.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// Always this instant.
    Fixed(Timestamp),
    /// Whatever instant its owner last set (Unix seconds): one server asked about many
    /// moments, such as the start and end of every period of a year.
    Manual(Arc<std::sync::atomic::AtomicI64>),
}

impl Clock {
    /// The current time, as the core needs it.
    pub fn now(&self) -> Timestamp {
        match self {
            Clock::Fixed(t) => *t,
            Clock::Manual(t) => {
                let secs = t.load(std::sync::atomic::Ordering::Relaxed);
                Timestamp::from_unix_seconds(secs).unwrap_or(Timestamp::EPOCH)
            }
            Clock::System => {
                let secs = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
                Timestamp::from_unix_seconds(secs).unwrap_or(Timestamp::EPOCH)
            }
        }
    }
}

/// Settings the server runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest JSON body, in bytes.
    pub body_limit: usize,
    /// Largest NDJSON import body, in bytes.
    pub import_limit: usize,
    /// Longest line of an NDJSON import, in bytes: a longer line is refused unread.
    pub import_line_limit: usize,
    /// Where the console's static files are (`None`: a page saying it is not built).
    pub static_dir: Option<PathBuf>,
    /// Other web origins whose pages may call the APIs (CORS).
    pub allowed_origins: AllowedOrigins,
    /// Where "now" comes from.
    pub clock: Clock,
    /// The longest wait for the next chunk of a request body (a large import streams; a
    /// stalled one is cut off).
    pub body_timeout: std::time::Duration,
    /// Requests per minute per token (`None`: no limit).
    pub rate_limit: Option<u32>,
    /// Whether `/metrics` is served on the API's listener (off when it has one of its own).
    pub metrics_on_main: bool,
    /// How long one request may wait for storage in all (token look-up, version check,
    /// reads, writes) before it is answered 503 `STORAGE_UNAVAILABLE`.
    pub storage_timeout: std::time::Duration,
    /// How long `/healthz` waits for the database before it answers 503.
    pub health_timeout: std::time::Duration,
    /// How webhooks are sent.
    pub webhooks: crate::webhooks::WebhookSettings,
    /// How live streams are limited.
    pub live: crate::live::LiveSettings,
}

/// The defaults of `serve`'s settings, in one place: `Settings::default()` and the command
/// line's flags both take them from here.
impl Settings {
    /// The largest NDJSON import, in bytes (`--import-limit`).
    pub const IMPORT_LIMIT: usize = 512 << 20;
    /// The longest line of an import, in bytes (`--import-line-limit`).
    pub const IMPORT_LINE_LIMIT: usize = 64 << 10;
    /// Seconds the server waits for the next chunk of a body (`--body-timeout`).
    pub const BODY_TIMEOUT_SECS: u64 = 30;
    /// Seconds a request may wait for storage in all (`--storage-timeout`).
    pub const STORAGE_TIMEOUT_SECS: f64 = 5.0;
    /// Seconds `/healthz` waits for the database (`--health-timeout`).
    pub const HEALTH_TIMEOUT_SECS: f64 = 1.0;
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            body_limit: 1 << 20,
            import_limit: Self::IMPORT_LIMIT,
            import_line_limit: Self::IMPORT_LINE_LIMIT,
            static_dir: None,
            allowed_origins: AllowedOrigins::None,
            clock: Clock::System,
            body_timeout: std::time::Duration::from_secs(Self::BODY_TIMEOUT_SECS),
            rate_limit: None,
            metrics_on_main: true,
            storage_timeout: std::time::Duration::from_secs_f64(Self::STORAGE_TIMEOUT_SECS),
            health_timeout: std::time::Duration::from_secs_f64(Self::HEALTH_TIMEOUT_SECS),
            webhooks: crate::webhooks::WebhookSettings::default(),
            live: crate::live::LiveSettings::default(),
        }
    }
}

/// Views smaller than this are not saved: they load from their records in well under a
/// second.
const SAVE_FROM: u64 = 20_000;

/// Shared by every request.
pub struct App {
    /// Durable storage.
    pub store: Arc<dyn Store>,
    /// Settings.
    pub settings: Settings,
    envs: RwLock<HashMap<EnvId, Arc<Env>>>,
    /// Tokens used since the last flush, with when.
    token_use: Mutex<HashMap<i64, Timestamp>>,
    /// What is counted for `/metrics`.
    pub metrics: Metrics,
    /// The rate limit, if one is set.
    pub limiter: Option<RateLimiter>,
    /// Turns at scanning a call list (see `lists`).
    scans: tokio::sync::Semaphore,
    /// The webhook sender.
    pub webhooks: crate::webhooks::Webhooks,
    /// The sources syncing now in this server (each runs once at a time).
    pub syncing: Mutex<std::collections::HashSet<i64>>,
    /// The live streams.
    pub live: crate::live::Live,
}

/// An authenticated request: its environment and what its token grants.
#[derive(Clone)]
pub struct Session {
    /// The environment.
    pub env: Arc<Env>,
    /// The token's rights.
    pub grant: Grant,
}

fn record_load(metrics: &Metrics, id: EnvId, started: std::time::Instant) {
    let ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    metrics
        .view_load_ms
        .get_or_create(&crate::metrics::Environment {
            environment: id.to_string(),
        })
        .set(ms);
    tracing::info!(environment = id, load_ms = ms, "environment view loaded");
}

/// Why the app could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Stored agents break a directory rule.
    #[error("environment {0}: {1}")]
    Directory(EnvId, dialback_core::DirectoryError),
}

impl App {
    /// Loads every environment's view from storage.
    pub fn load(store: Arc<dyn Store>, settings: Settings) -> Result<Arc<App>, StartError> {
        let mut envs = HashMap::new();
        let metrics = Metrics::new();
        for (id, _name) in store.tokens().environments()? {
            let started = std::time::Instant::now();
            let view = View::load(&*store, id).map_err(|e| match e {
                LoadError::Store(e) => StartError::Store(e),
                LoadError::Directory(e) => StartError::Directory(id, e),
            })?;
            record_load(&metrics, id, started);
            envs.insert(id, Env::new(id, view));
        }
        Ok(Arc::new(App {
            store,
            envs: RwLock::new(envs),
            token_use: Mutex::new(HashMap::new()),
            limiter: settings.rate_limit.map(RateLimiter::new),
            webhooks: crate::webhooks::Webhooks::new(settings.webhooks.clone()),
            live: crate::live::Live::new(settings.live.clone()),
            settings,
            metrics,
            scans: lists::scan_turns(),
            syncing: Mutex::new(std::collections::HashSet::new()),
        }))
    }

    /// What a bearer token opens, if anything. Storage is asked every time (a point look-up
    /// by the token's SHA-256), so a token created, revoked or expired by another process or
    /// replica counts at once; an environment created elsewhere since start is loaded on its
    /// first request. The use is remembered, and written in batches (`flush_token_use`).
    pub async fn authenticate(&self, token: &str) -> Result<Option<Session>, StoreError> {
        let hash = auth::hash(token);
        let Some(grant) = self
            .storage(move |store| store.tokens().token(&hash))
            .await?
        else {
            return Ok(None);
        };
        let now = self.now();
        if grant.expires_at.is_some_and(|at| at <= now) {
            return Ok(None);
        }
        self.token_use
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(grant.token_id, now);
        let env = match self.env(grant.env) {
            Some(env) => env,
            None => self.load_env(grant.env).await?,
        };
        Ok(Some(Session { env, grant }))
    }

    async fn load_env(&self, id: EnvId) -> Result<Arc<Env>, StoreError> {
        let store = self.store.clone();
        let started = std::time::Instant::now();
        // a load is long by nature: it has its own deadline, not the request's
        let view = storage::off_worker(store::LONGEST, move || View::load(&*store, id))
            .await
            .map_err(|e| StoreError::Unavailable(format!("loading environment {id}: {e}")))?
            .map_err(|e| e.into_store(id))?;
        record_load(&self.metrics, id, started);
        let mut envs = self.envs.write().unwrap_or_else(PoisonError::into_inner);
        let env = envs.entry(id).or_insert_with(|| Env::new(id, view));
        Ok(env.clone())
    }

    /// Writes when tokens were last used (one transaction for all of them): the server calls
    /// it every few seconds and at shutdown, so a request never waits for such a write.
    pub fn flush_token_use(&self) -> Result<(), StoreError> {
        let used: Vec<(i64, Timestamp)> = std::mem::take(
            &mut *self
                .token_use
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
        .into_iter()
        .collect();
        self.store.tokens().touch_tokens(&used)
    }

    /// The current time.
    pub fn now(&self) -> Timestamp {
        self.settings.clock.now()
    }

    /// What is left of the current request's storage budget (the whole of it outside one).
    pub fn budget(&self) -> std::time::Duration {
        storage::remaining(self.settings.storage_timeout)
    }

    /// Runs `f` with the store on a thread that may wait, within what is left of the
    /// request's storage budget (see [`storage`]): never on an async worker, never past the
    /// deadline.
    pub async fn storage<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.store.clone();
        let deadline = storage::remaining(self.settings.storage_timeout);
        storage::off_worker(deadline, move || f(&*store))
            .await
            .map_err(|e| StoreError::NoAnswer(e.to_string()))?
    }

    /// An environment by name.
    pub fn env_named(&self, name: &str) -> Result<Option<Arc<Env>>, StoreError> {
        let id = self
            .store
            .tokens()
            .environments()?
            .into_iter()
            .find(|(_, n)| n == name)
            .map(|(id, _)| id);
        Ok(id.and_then(|id| self.env(id)))
    }

    /// Creates an environment with a first token; returns the token.
    pub fn create_environment(
        &self,
        name: &str,
        label: &str,
    ) -> Result<(EnvId, String), StoreError> {
        let id = self.store.tokens().create_environment(name, self.now())?;
        self.envs
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, Env::new(id, View::default()));
        let first = NewToken {
            label: label.to_owned(),
            scope: Scope::Write,
            expires_at: None,
        };
        let (_, token) = self.issue_token(id, &first, false)?;
        Ok((id, token))
    }

    /// Issues a token for an environment and returns its id and the token (shown once, never
    /// stored); with `replace`, revokes its earlier tokens of the same label.
    pub fn issue_token(
        &self,
        env: EnvId,
        token: &NewToken,
        replace: bool,
    ) -> Result<(i64, String), StoreError> {
        auth::issue(&*self.store, env, token, replace, self.now())
    }

    /// Every environment loaded.
    pub fn environments(&self) -> Vec<Arc<Env>> {
        self.envs
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect()
    }

    /// Saves the views that gained at least `min_new` calls (at least one) since they were
    /// last saved, so that the next start reads only what came after (from a blocking
    /// thread). Each is encoded under its read lock (writers to that environment wait, about a
    /// second at 10M calls), then stored.
    pub fn save_views(&self, min_new: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        for env in self.environments() {
            let started = std::time::Instant::now();
            let (bytes, calls) = {
                let view = env.view.blocking_read();
                let calls = view.call_count();
                let new = calls.saturating_sub(env.saved_calls.load(Relaxed));
                if view.stale || calls < SAVE_FROM || new < min_new.max(1) {
                    continue;
                }
                match view.saved() {
                    Ok(bytes) => (bytes, calls),
                    Err(e) => {
                        tracing::warn!(environment = env.id, error = %e, "cannot encode the view");
                        continue;
                    }
                }
            };
            match self.store.save_view(env.id, &bytes) {
                Ok(()) => {
                    env.saved_calls.store(calls, Relaxed);
                    tracing::info!(
                        environment = env.id,
                        calls,
                        bytes = bytes.len(),
                        ms = started.elapsed().as_millis() as u64,
                        "view saved"
                    );
                }
                Err(e) => tracing::warn!(environment = env.id, error = %e, "cannot save the view"),
            }
        }
    }

    /// An environment by id.
    pub fn env(&self, id: EnvId) -> Option<Arc<Env>> {
        self.envs
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned()
    }
}
