//! `dialback backup` and `dialback restore`.
//!
//! A backup is SQLite's `VACUUM INTO` from a read transaction of its own: a consistent
//! snapshot of everything committed when it began, taken while the server goes on serving
//! and writing (copying a live WAL database's files is not safe). The copy is an ordinary
//! database file: `--db` on it serves it as is.

use std::path::PathBuf;

use dialback_server::store::{SqliteStore, Store};

use super::DbArg;

#[derive(clap::Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The new file to write (refused if it exists).
    #[arg(long)]
    pub to: PathBuf,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup to restore.
    #[arg(long)]
    pub from: PathBuf,
    /// The database file to create from it (refused if it exists: restore to a new file,
    /// then point the server's `--db` at it).
    #[command(flatten)]
    pub db: DbArg,
}

pub fn backup(args: BackupArgs) -> Result<(), String> {
    if args.to.exists() {
        return Err(format!(
            "{} exists; a backup goes to a new file",
            args.to.display()
        ));
    }
    let Some(file) = args.db.file() else {
        return Err(format!(
            "{}: back up a PostgreSQL database with pg_dump or your provider's snapshots",
            args.db.name()
        ));
    };
    if !file.exists() {
        return Err(format!("no database at {}", file.display()));
    }
    let store = args.db.open(false)?;
    let started = std::time::Instant::now();
    store
        .backup(&args.to)
        .map_err(|e| format!("{}: {e}", args.to.display()))?;
    let size = std::fs::metadata(&args.to).map_or(0, |m| m.len());
    eprintln!(
        "backed up {} to {} ({size} bytes, {} ms)",
        file.display(),
        args.to.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}

pub fn restore(args: RestoreArgs) -> Result<(), String> {
    let Some(target) = args.db.file() else {
        return Err(format!(
            "{}: restore writes a SQLite file; load a PostgreSQL database with pg_restore",
            args.db.name()
        ));
    };
    if target.exists() {
        return Err(format!(
            "{} exists; restore to a new file and point the server's --db at it",
            target.display()
        ));
    }
    if !args.from.is_file() {
        return Err(format!("no backup at {}", args.from.display()));
    }
    // opening checks the file is a Dialback database (and migrates a backup taken by an
    // earlier release); the integrity check reads every page
    let backup = SqliteStore::open(&args.from, false)
        .map_err(|e| format!("{}: {e}", args.from.display()))?;
    backup
        .check_integrity()
        .map_err(|e| format!("{}: {e}", args.from.display()))?;
    backup
        .backup(target)
        .map_err(|e| format!("{}: {e}", target.display()))?;
    let envs = backup.tokens().environments().map_err(|e| e.to_string())?;
    eprintln!(
        "restored {} environment(s) from {} to {}",
        envs.len(),
        args.from.display(),
        target.display()
    );
    Ok(())
}
