//! `dialback`: run the server, or manage environments, tokens and backups.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    Serve(cli::serve::ServeArgs),
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
    /// Write a consistent copy of a database while a server serves and writes to it.
    Backup(cli::backup::BackupArgs),
    /// Check a backup and copy it to a new database file (stop the server first, or point a
    /// server's `--db` at the copy).
    Restore(cli::backup::RestoreArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let log_format = match &cli.command {
        Command::Serve(args) => args.log_format,
        _ => cli::LogFormat::Text,
    };
    cli::init_logging(log_format);
    let result = match cli.command {
        Command::Serve(args) => cli::serve::run(args),
        Command::Openapi => cli::print_json(dialback_server::http::openapi::document()),
        Command::Env { command } => cli::env::run(command),
        Command::Token { command } => cli::token::run(command),
        Command::Backup(args) => cli::backup::backup(args),
        Command::Restore(args) => cli::backup::restore(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dialback: {e}");
            ExitCode::FAILURE
        }
    }
}
