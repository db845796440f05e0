//! The command line's pieces: each command's arguments and what it does. Commands other than
//! `serve` talk to storage directly, so they are quick on a large database and safe beside a
//! running server (SQLite serialises their writes with the server's).

pub mod backup;
pub mod env;
pub mod serve;
pub mod source;
pub mod token;
pub mod tzdata;

use std::path::Path;
use std::sync::Arc;

use dialback_server::store::{EnvId, PgStore, SqliteStore, Store, postgres};

/// `--db`, as every command takes it.
#[derive(clap::Args, Clone)]
pub struct DbArg {
    /// A SQLite database file (created if missing; one server per file), or a PostgreSQL URL
    /// such as `postgres://dialback:secret@db.internal/dialback` (any number of servers).
    #[arg(long, env = "DIALBACK_DB", default_value = "dialback.db")]
    pub db: String,
    /// Connections each server keeps to PostgreSQL, at most.
    #[arg(long, env = "DIALBACK_DB_CONNECTIONS", default_value_t = 16)]
    pub db_connections: usize,
}

impl DbArg {
    /// The SQLite file, unless `--db` is a PostgreSQL URL.
    pub fn file(&self) -> Option<&Path> {
        (!postgres::is_url(&self.db)).then(|| Path::new(&self.db))
    }

    /// The database, for messages: a URL's password is not repeated.
    pub fn name(&self) -> String {
        postgres::redact(&self.db)
    }

    /// Opens the database (migrating it to this release's schema).
    pub fn open(&self, full_sync: bool) -> Result<Arc<dyn Store>, String> {
        let store: Arc<dyn Store> = match self.file() {
            Some(file) => Arc::new(SqliteStore::open(file, full_sync).map_err(|e| self.error(e))?),
            None => {
                Arc::new(PgStore::open(&self.db, self.db_connections).map_err(|e| self.error(e))?)
            }
        };
        Ok(store)
    }

    fn error(&self, e: impl std::fmt::Display) -> String {
        format!("{}: {e}", self.name())
    }
}

/// An environment's id by name, or an error naming the database.
pub fn env_id(store: &dyn Store, name: &str, db: &DbArg) -> Result<EnvId, String> {
    store
        .tokens()
        .environments()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find_map(|(id, n)| (n == name).then_some(id))
        .ok_or_else(|| format!("no environment named {name:?} in {}", db.name()))
}

/// How the server logs.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per event, with the request's id in its span.
    Json,
}

/// Logs to stderr. hyper and h2 log raw headers (tokens) at trace level: they are held at
/// info whatever `DIALBACK_LOG` says.
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DIALBACK_LOG")
        .unwrap_or_else(|_| "info,tower_http=warn".into())
        .add_directive("hyper=info".parse().unwrap_or_default())
        .add_directive("hyper_util=info".parse().unwrap_or_default());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().with_current_span(true).init(),
    }
}

/// Prints a value as pretty JSON.
pub fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
    );
    Ok(())
}
