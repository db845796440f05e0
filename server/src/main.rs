//! `dialback`: run the server, or manage environments, tokens and backups.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "dialback",
    version = version(),
    about = "Callback routing and usage-by-agent server (Talkover and AgentPhone APIs)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the APIs and the admin console.
    Serve(Box<cli::serve::ServeArgs>),
    /// Print the OpenAPI 3.1 document of both APIs (also served at `/openapi.json`).
    Openapi,
    /// Manage environments.
    Env {
        #[command(subcommand)]
        command: cli::env::EnvCommand,
    },
    /// Manage an environment's API tokens.
    Token {
        #[command(subcommand)]
        command: cli::token::TokenCommand,
    },
    /// Manage the platforms environments sync from (Talkover, AgentPhone).
    Source {
        #[command(subcommand)]
        command: cli::source::SourceCommand,
    },
    /// Run a source's sync now: its agents, numbers and calls since its last run.
    Sync(cli::source::SyncArgs),
    /// Write a consistent copy of a database while a server serves and writes to it.
    Backup(cli::backup::BackupArgs),
    /// Check a backup and copy it to a new database file (stop the server first, or point a
    /// server's `--db` at the copy).
    Restore(cli::backup::RestoreArgs),
    /// Time zone tables: which release a zoneinfo directory is, and compiling it for the npm
    /// package, the console or `--tzdata`.
    Tzdata {
        #[command(subcommand)]
        command: cli::tzdata::TzdataCommand,
    },
}

/// `dialback 0.1.0 (tzdata 2026f)`: the build, and the tz database release compiled in.
fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        format!(
            "{} (tzdata {})",
            env!("CARGO_PKG_VERSION"),
            dialback_core::Tzdata::embedded_version()
        )
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let log_format = match &cli.command {
        Command::Serve(args) => args.log_format,
        _ => cli::LogFormat::Text,
    };
    cli::init_logging(log_format);
    let result = match cli.command {
        Command::Serve(args) => cli::serve::run(*args),
        Command::Openapi => cli::print_json(dialback_server::http::openapi::document()),
        Command::Env { command } => cli::env::run(command),
        Command::Token { command } => cli::token::run(command),
        Command::Source { command } => cli::source::run(command),
        Command::Sync(args) => cli::source::sync(args),
        Command::Backup(args) => cli::backup::backup(args),
        Command::Restore(args) => cli::backup::restore(args),
        Command::Tzdata { command } => cli::tzdata::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dialback: {e}");
            ExitCode::FAILURE
        }
    }
}
