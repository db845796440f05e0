//! `dialback`: run the server, or manage environments.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use dialback_server::app::{App, Settings};
use dialback_server::cors::AllowedOrigins;
use dialback_server::listen::{self, Limits};
use dialback_server::store::{SqliteStore, Store};

#[derive(Parser)]
#[command(
    name = "dialback",
    version,
    about = "Callback routing and usage-by-agent server (Talkover and AgentPhone APIs)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the APIs and the admin console.
    Serve {
        /// Create a `demo` environment with generated data on first start, and print a token
        /// and a URL that opens the console already connected.
        #[arg(long)]
        demo: bool,
        /// Address to listen on.
        #[arg(long, env = "DIALBACK_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// SQLite database file (created if missing).
        #[arg(long, env = "DIALBACK_DB", default_value = "dialback.db")]
        db: PathBuf,
        /// Directory of the admin console's static files.
        #[arg(long = "static", env = "DIALBACK_STATIC", default_value = "web/dist")]
        static_dir: PathBuf,
        /// Largest NDJSON import, in bytes.
        #[arg(long, env = "DIALBACK_IMPORT_LIMIT", default_value_t = 512 << 20)]
        import_limit: usize,
        /// Longest line of an NDJSON import, in bytes.
        #[arg(long, env = "DIALBACK_IMPORT_LINE_LIMIT", default_value_t = 64 << 10)]
        import_line_limit: usize,
        /// `full` fsyncs every commit (survives power loss); `normal` survives process crashes.
        #[arg(long, env = "DIALBACK_SYNC", default_value = "normal")]
        sync: String,
        /// A web origin whose pages may call the APIs (CORS), e.g. `http://localhost:5173`;
        /// repeat it or separate with commas; `*` allows any. Not needed for the console.
        #[arg(long, env = "DIALBACK_ALLOW_ORIGIN", value_delimiter = ',')]
        allow_origin: Vec<String>,
        #[command(flatten)]
        connections: ConnectionArgs,
    },
    /// Print the OpenAPI 3.1 document of both APIs (also served at `/openapi.json`).
    Openapi,
    /// Manage environments.
    Env {
        #[command(subcommand)]
        command: EnvCommand,
    },
}

/// How connections are treated (see the README's Limits table).
#[derive(clap::Args)]
struct ConnectionArgs {
    /// Seconds a client has to send a request's headers; also the longest a keep-alive
    /// connection may sit idle.
    #[arg(long, env = "DIALBACK_HEADER_TIMEOUT", default_value_t = 20)]
    header_timeout: u64,
    /// Seconds the server waits for the next chunk of a request body.
    #[arg(long, env = "DIALBACK_BODY_TIMEOUT", default_value_t = 30)]
    body_timeout: u64,
    /// Open connections at most; at the cap a new one makes the oldest close after its
    /// response. Default: the open-file limit less 64.
    #[arg(long, env = "DIALBACK_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Seconds requests in flight get to finish after SIGTERM before the server exits.
    #[arg(long, env = "DIALBACK_SHUTDOWN_TIMEOUT", default_value_t = 30)]
    shutdown_timeout: u64,
}

#[derive(Subcommand)]
enum EnvCommand {
    /// Create an environment and print its first token.
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        /// SQLite database file.
        #[arg(long, env = "DIALBACK_DB", default_value = "dialback.db")]
        db: PathBuf,
    },
    /// Show or set the plan `GET /v1/usage` reports (name and limits; not enforced).
    Plan {
        /// The environment.
        #[arg(long = "env")]
        name: String,
        /// The plan's name, e.g. `pro`.
        #[arg(long = "name")]
        plan: Option<String>,
        /// Phone numbers.
        #[arg(long)]
        numbers: Option<u32>,
        /// Messages a month.
        #[arg(long)]
        messages_per_month: Option<u32>,
        /// Minutes of calls a month.
        #[arg(long)]
        voice_minutes_per_month: Option<u32>,
        /// The longest call, in minutes.
        #[arg(long)]
        max_call_duration_minutes: Option<u32>,
        /// Calls at once.
        #[arg(long)]
        concurrent_calls: Option<u32>,
        /// SQLite database file.
        #[arg(long, env = "DIALBACK_DB", default_value = "dialback.db")]
        db: PathBuf,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            // hyper and h2 log raw headers at trace level: never let them, whatever DIALBACK_LOG says
            tracing_subscriber::EnvFilter::try_from_env("DIALBACK_LOG")
                .unwrap_or_else(|_| "info,tower_http=warn".into())
                .add_directive("hyper=info".parse().unwrap_or_default())
                .add_directive("hyper_util=info".parse().unwrap_or_default()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dialback: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Env {
            command: EnvCommand::Create { name, db },
        } => {
            let store: Arc<dyn Store> =
                Arc::new(SqliteStore::open(&db, false).map_err(|e| e.to_string())?);
            let app = App::load(store, Settings::default()).map_err(|e| e.to_string())?;
            let (_, token) = app
                .create_environment(&name, "cli")
                .map_err(|e| e.to_string())?;
            println!("{token}");
            eprintln!(
                "environment {name:?} created in {}; the token above is shown only once",
                db.display()
            );
            Ok(())
        }
        Command::Env {
            command:
                EnvCommand::Plan {
                    name,
                    plan,
                    numbers,
                    messages_per_month,
                    voice_minutes_per_month,
                    max_call_duration_minutes,
                    concurrent_calls,
                    db,
                },
        } => {
            let store: Arc<dyn Store> =
                Arc::new(SqliteStore::open(&db, false).map_err(|e| e.to_string())?);
            let app = App::load(store, Settings::default()).map_err(|e| e.to_string())?;
            let env = app
                .env_named(&name)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no environment named {name:?} in {}", db.display()))?;
            let mut current = env.view.blocking_read().plan.clone();
            let changed = plan.is_some()
                || [
                    numbers,
                    messages_per_month,
                    voice_minutes_per_month,
                    max_call_duration_minutes,
                    concurrent_calls,
                ]
                .iter()
                .any(Option::is_some);
            if let Some(p) = plan {
                current.name = p;
            }
            current.numbers = numbers.unwrap_or(current.numbers);
            current.messages_per_month = messages_per_month.unwrap_or(current.messages_per_month);
            current.voice_minutes_per_month =
                voice_minutes_per_month.unwrap_or(current.voice_minutes_per_month);
            current.max_call_duration_minutes =
                max_call_duration_minutes.unwrap_or(current.max_call_duration_minutes);
            current.concurrent_calls = concurrent_calls.unwrap_or(current.concurrent_calls);
            let current = current.validate().map_err(|e| e.to_string())?;
            if changed {
                app.store
                    .set_plan(env.id, &current)
                    .map_err(|e| e.to_string())?;
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&current).map_err(|e| e.to_string())?
            );
            Ok(())
        }
        Command::Openapi => {
            let doc = dialback_server::http::openapi::document();
            println!(
                "{}",
                serde_json::to_string_pretty(doc).map_err(|e| e.to_string())?
            );
            Ok(())
        }
        Command::Serve {
            demo,
            listen,
            db,
            static_dir,
            import_limit,
            import_line_limit,
            sync,
            allow_origin,
            connections,
        } => {
            let full_sync = match sync.as_str() {
                "full" => true,
                "normal" => false,
                other => return Err(format!("--sync must be normal or full, got {other:?}")),
            };
            let settings = Settings {
                import_limit,
                import_line_limit,
                static_dir: Some(static_dir),
                allowed_origins: AllowedOrigins::parse(&allow_origin)?,
                body_timeout: Duration::from_secs(connections.body_timeout),
                ..Settings::default()
            };
            let open_files = listen::raise_open_file_limit();
            let mut limits = Limits::for_open_files(open_files.unwrap_or(1024));
            limits.header_timeout = Duration::from_secs(connections.header_timeout.max(1));
            limits.shutdown_timeout = Duration::from_secs(connections.shutdown_timeout);
            if let Some(max) = connections.max_connections {
                limits.max_connections = max.max(1);
            }
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            let served = runtime.block_on(serve(demo, listen, db, settings, limits, full_sync));
            // work still running on blocking threads past the deadline is not waited for
            runtime.shutdown_timeout(Duration::from_secs(1));
            served
        }
    }
}

async fn serve(
    demo: bool,
    listen: String,
    db: PathBuf,
    settings: Settings,
    limits: Limits,
    full_sync: bool,
) -> Result<(), String> {
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&db, full_sync).map_err(|e| format!("{}: {e}", db.display()))?);
    let app = App::load(store, settings).map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base = format!("http://{addr}");
    println!("dialback listening on {base} (database {})", db.display());
    tracing::info!(
        max_connections = limits.max_connections,
        header_timeout_s = limits.header_timeout.as_secs(),
        shutdown_timeout_s = limits.shutdown_timeout.as_secs(),
        "connection limits"
    );
    if demo {
        let app2 = app.clone();
        let token = tokio::task::spawn_blocking(move || dialback_server::demo::ensure(&app2))
            .await
            .map_err(|e| e.to_string())??;
        println!();
        println!("  Console (connected): {base}/#token={token}");
        println!("  Token:               {token}");
        println!(
            "  Try:                 curl -H 'Authorization: Bearer {token}' '{base}/api/v1/callback-agents/stats'"
        );
        println!(
            "                       curl -H 'Authorization: Bearer {token}' '{base}/v1/usage/by-agent?period=month&tz=America/New_York'"
        );
        println!();
    }
    dialback_server::serve(listener, app, limits, dialback_server::shutdown_signal()).await;
    Ok(())
}
