//! `dialback serve`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use dialback_server::app::{App, Settings};
use dialback_server::cors::AllowedOrigins;
use dialback_server::listen::{self, Limits};
use dialback_server::store::on_storage_thread;
use dialback_server::webhooks::WebhookSettings;

use super::{DbArg, LogFormat};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Create a `demo` environment with generated data on first start, and print a token and
    /// a URL that opens the console already connected.
    #[arg(long)]
    demo: bool,
    /// Address to listen on.
    #[arg(long, env = "DIALBACK_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    #[command(flatten)]
    db: DbArg,
    /// Directory of the admin console's static files.
    #[arg(long = "static", env = "DIALBACK_STATIC", default_value = "web/dist")]
    static_dir: PathBuf,
    /// Largest NDJSON import, in bytes.
    #[arg(long, env = "DIALBACK_IMPORT_LIMIT", default_value_t = Settings::IMPORT_LIMIT)]
    import_limit: usize,
    /// Longest line of an NDJSON import, in bytes.
    #[arg(long, env = "DIALBACK_IMPORT_LINE_LIMIT", default_value_t = Settings::IMPORT_LINE_LIMIT)]
    import_line_limit: usize,
    /// `full` fsyncs every commit (survives power loss); `normal` survives process crashes.
    #[arg(long, env = "DIALBACK_SYNC", value_enum, default_value_t = Durability::Normal)]
    sync: Durability,
    /// A web origin whose pages may call the APIs (CORS), e.g. `http://localhost:5173`;
    /// repeat it or separate with commas; `*` allows any. Not needed for the console.
    #[arg(long, env = "DIALBACK_ALLOW_ORIGIN", value_delimiter = ',')]
    allow_origin: Vec<String>,
    /// Requests per minute per token (a burst of N, then N a minute); over it, 429 with
    /// `Retry-After`. Off by default. Each replica counts on its own.
    #[arg(long, env = "DIALBACK_RATE_LIMIT", value_parser = clap::value_parser!(u32).range(1..))]
    rate_limit: Option<u32>,
    /// Seconds between runs of every source (`dialback source add`): each runs at start,
    /// then this long after the round ends. Off by default; with several replicas on one
    /// PostgreSQL database, give it to one of them.
    #[arg(long, env = "DIALBACK_SYNC_EVERY",
        value_parser = clap::value_parser!(u64).range(1..=604_800))]
    sync_every: Option<u64>,
    /// Serve `/metrics` on this address instead of the API's (e.g. `127.0.0.1:9090`), to keep
    /// it off the public listener.
    #[arg(long, env = "DIALBACK_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// `text` or `json` (one object per line, with the request id; never a token).
    #[arg(long, env = "DIALBACK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Hours the live event log keeps events for resuming a stream (`Last-Event-ID`).
    #[arg(long, env = "DIALBACK_EVENT_RETENTION",
        default_value_t = dialback_server::live::RETENTION_HOURS,
          value_parser = clap::value_parser!(u64).range(1..=8760))]
    event_retention: u64,
    #[command(flatten)]
    connections: ConnectionArgs,
    #[command(flatten)]
    webhooks: WebhookArgs,
    #[command(flatten)]
    tzdata: TzdataArgs,
}

/// Which time zone table answers (see the README's "Time zones").
#[derive(clap::Args)]
pub struct TzdataArgs {
    /// A newer tz database than the one compiled in: a directory of compiled zone files, such
    /// as `/usr/share/zoneinfo`, or a table `dialback tzdata compile` wrote.
    #[arg(long, env = "DIALBACK_TZDATA")]
    pub tzdata: Option<PathBuf>,
    /// The release of `--tzdata`'s files (`2026f`), when the directory has no `+VERSION` or
    /// `tzdata.zi` that says.
    #[arg(long, env = "DIALBACK_TZDATA_VERSION")]
    pub tzdata_version: Option<String>,
    /// Take a `--tzdata` older than the release compiled in (to match another system on that
    /// release): answers are then wrong wherever rules changed since.
    #[arg(long, env = "DIALBACK_TZDATA_ALLOW_OLDER")]
    pub tzdata_allow_older: bool,
}

impl TzdataArgs {
    /// Puts `--tzdata` in force, if given; says which release answers either way.
    pub fn install(&self) -> Result<String, String> {
        match &self.tzdata {
            None => Ok(format!(
                "tzdata {} (compiled in)",
                dialback_core::Zone::database_version()
            )),
            Some(path) => dialback_server::tzdata::install(
                path,
                self.tzdata_version.as_deref(),
                self.tzdata_allow_older,
            )
            .map(|loaded| loaded.to_string()),
        }
    }
}

/// How webhooks are sent.
#[derive(clap::Args)]
struct WebhookArgs {
    /// Allow webhook receivers on loopback, private, link-local and other non-public
    /// addresses (refused by default, at creation and before every send). `--demo` turns it on.
    #[arg(long, env = "DIALBACK_WEBHOOK_ALLOW_PRIVATE")]
    webhook_allow_private: bool,
    /// The wait after a delivery's first failure, in milliseconds; each later wait is six
    /// times the one before (at most 10 hours). The default gives the published schedule.
    #[arg(long, env = "DIALBACK_WEBHOOK_FIRST_RETRY_MS",
          default_value_t = dialback_core::webhook::retry::FIRST_WAIT_MS,
          value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    webhook_first_retry_ms: u64,
    /// Webhook attempts in flight at once, over every receiver.
    #[arg(long, env = "DIALBACK_WEBHOOK_CONCURRENCY",
          default_value_t = WebhookSettings::CONCURRENCY as u64,
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    webhook_concurrency: u64,
    /// Store events but send none from this server (other replicas send them).
    #[arg(long, env = "DIALBACK_NO_WEBHOOK_DELIVERY")]
    no_webhook_delivery: bool,
}

/// How durable a commit is (`--sync`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Durability {
    /// Survives the process crashing (SQLite's `synchronous=NORMAL` in WAL mode).
    Normal,
    /// Survives power loss: every commit is fsynced.
    Full,
}

/// How connections are treated (see the README's Limits table).
#[derive(clap::Args)]
struct ConnectionArgs {
    /// Seconds a client has to send a request's headers; also the longest a keep-alive
    /// connection may sit idle.
    #[arg(long, env = "DIALBACK_HEADER_TIMEOUT", default_value_t = 20)]
    header_timeout: u64,
    /// Seconds the server waits for the next chunk of a request body.
    #[arg(long, env = "DIALBACK_BODY_TIMEOUT", default_value_t = Settings::BODY_TIMEOUT_SECS)]
    body_timeout: u64,
    /// Open connections at most; at the cap a new one makes the oldest close after its
    /// response. Default: the open-file limit less 64.
    #[arg(long, env = "DIALBACK_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Seconds requests in flight get to finish after SIGTERM before the server exits.
    #[arg(long, env = "DIALBACK_SHUTDOWN_TIMEOUT", default_value_t = 30)]
    shutdown_timeout: u64,
    /// Seconds one request may wait for storage in all (token look-up, reads, writes); past
    /// them it is answered 503 `STORAGE_UNAVAILABLE`. Each import batch gets as long again.
    #[arg(long, env = "DIALBACK_STORAGE_TIMEOUT", default_value_t = Settings::STORAGE_TIMEOUT_SECS)]
    storage_timeout: f64,
    /// Seconds `/healthz` waits for the database before it answers 503.
    #[arg(long, env = "DIALBACK_HEALTH_TIMEOUT", default_value_t = Settings::HEALTH_TIMEOUT_SECS)]
    health_timeout: f64,
}

/// A positive number of seconds from the command line.
fn seconds(flag: &str, value: f64) -> Result<Duration, String> {
    if value.is_finite() && value > 0.0 && value <= 3600.0 {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(format!(
            "--{flag} must be a number of seconds above 0 and at most 3600, got {value}"
        ))
    }
}

pub fn run(args: ServeArgs) -> Result<(), String> {
    let full_sync = args.sync == Durability::Full;
    let mut settings = Settings {
        import_limit: args.import_limit,
        import_line_limit: args.import_line_limit,
        static_dir: Some(args.static_dir.clone()),
        allowed_origins: AllowedOrigins::parse(&args.allow_origin)?,
        body_timeout: Duration::from_secs(args.connections.body_timeout),
        rate_limit: args.rate_limit,
        metrics_on_main: args.metrics_listen.is_none(),
        storage_timeout: seconds("storage-timeout", args.connections.storage_timeout)?,
        health_timeout: seconds("health-timeout", args.connections.health_timeout)?,
        webhooks: WebhookSettings {
            allow_private: args.webhooks.webhook_allow_private || args.demo,
            first_wait_ms: args.webhooks.webhook_first_retry_ms,
            concurrency: usize::try_from(args.webhooks.webhook_concurrency)
                .unwrap_or(WebhookSettings::CONCURRENCY),
            deliver: !args.webhooks.no_webhook_delivery,
            demo_receiver: args.demo,
            ..WebhookSettings::default()
        },
        ..Settings::default()
    };
    let open_files = listen::raise_open_file_limit();
    let mut limits = Limits::for_open_files(open_files.unwrap_or(1024));
    limits.header_timeout = Duration::from_secs(args.connections.header_timeout.max(1));
    limits.shutdown_timeout = Duration::from_secs(args.connections.shutdown_timeout);
    if let Some(max) = args.connections.max_connections {
        limits.max_connections = max.max(1);
    }
    // streams never take every connection
    settings.live.max_streams = settings
        .live
        .max_streams
        .min(limits.max_connections / 2)
        .max(1);
    settings.live.retention = Duration::from_secs(args.event_retention * 3600);
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let served = runtime.block_on(serve(args, settings, limits, full_sync));
    // work still running on blocking threads past the deadline is not waited for
    runtime.shutdown_timeout(Duration::from_secs(1));
    served
}

async fn serve(
    args: ServeArgs,
    settings: Settings,
    limits: Limits,
    full_sync: bool,
) -> Result<(), String> {
    // first: every answer from here on follows the table in force
    let tzdata = args.tzdata.install()?;
    tracing::info!("{tzdata}");
    // one server per SQLite file; PostgreSQL takes any number
    let _lock = args.db.file().map(serve_lock).transpose()?;
    // opening and loading wait for storage: a thread that may wait, with no deadline but the
    // loads' own (the server is not serving yet)
    let db = args.db.clone();
    let app = tokio::task::spawn_blocking(move || {
        on_storage_thread(|| {
            let store = db.open(full_sync)?;
            App::load(store, settings).map_err(|e| e.to_string())
        })
    })
    .await
    .map_err(|e| format!("starting stopped: {e}"))??;
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base = format!("http://{addr}");
    println!(
        "dialback listening on {base} (database {}; {tzdata})",
        args.db.name()
    );
    tracing::info!(
        max_connections = limits.max_connections,
        header_timeout_s = limits.header_timeout.as_secs(),
        shutdown_timeout_s = limits.shutdown_timeout.as_secs(),
        rate_limit_per_minute = args.rate_limit,
        "limits"
    );
    if let Some(metrics_addr) = args.metrics_listen {
        let metrics = tokio::net::TcpListener::bind(metrics_addr)
            .await
            .map_err(|e| format!("cannot listen on {metrics_addr} for metrics: {e}"))?;
        println!("metrics on http://{metrics_addr}/metrics");
        let router = dialback_server::http::metrics_router(app.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, router).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    if let Some(every) = args.sync_every {
        dialback_server::sources::schedule(app.clone(), Duration::from_secs(every));
    }
    if args.demo {
        let app2 = app.clone();
        let token = tokio::task::spawn_blocking(move || {
            on_storage_thread(|| dialback_server::demo::ensure(&app2))
        })
        .await
        .map_err(|e| e.to_string())??;
        let (app2, receiver) = (app.clone(), format!("{base}/demo/webhooks"));
        tokio::task::spawn_blocking(move || {
            on_storage_thread(|| dialback_server::demo::webhook(&app2, &receiver))
        })
        .await
        .map_err(|e| e.to_string())??;
        println!();
        println!("  Console (connected): {base}/#token={token}");
        println!("  Token:               {token}");
        println!(
            "  Try:                 curl -H 'Authorization: Bearer {token}' \
             '{base}/api/v1/callback-agents/stats'"
        );
        println!(
            "                       curl -H 'Authorization: Bearer {token}' \
             '{base}/v1/usage/by-agent?period=month&tz=America/New_York'"
        );
        println!(
            "  Webhooks:            record a call, and its signed events arrive at \
             {base}/demo/webhooks:"
        );
        let call = serde_json::json!({
            "direction": "inbound", "from": "+15005550006", "to": "+14155550100",
            "started_at": app.now().to_string(), "status": "completed", "duration_seconds": 60,
        });
        println!(
            "                       curl -H 'Authorization: Bearer {token}' -H 'Content-Type: \
             application/json' -d '{call}' {base}/api/v1/calls"
        );
        println!("                       curl {base}/demo/webhooks");
        println!();
    }
    dialback_server::serve(listener, app, limits, dialback_server::shutdown_signal()).await;
    Ok(())
}

/// One `serve` per SQLite database: each server keeps the environments' views in memory,
/// so a second one on the same file would not see the first one's writes. An exclusive lock
/// on `DB.lock`, held while serving (the OS drops it when the process ends, however it ends).
/// Other commands (`token`, `env`, `backup`) do not take it: they only use storage.
pub fn serve_lock(db: &std::path::Path) -> Result<std::fs::File, String> {
    let mut path = db.as_os_str().to_owned();
    path.push(".lock");
    let path = PathBuf::from(path);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "another `dialback serve` is using {} (it holds {}); run one server per SQLite \
             database",
            db.display(),
            path.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("{}: {e}", path.display())),
    }
}
