//! `dialback source add|list|remove` and `dialback sync`: the platforms an environment syncs
//! from, and a run now. Sources are stored configuration, read by every server on its next
//! scheduled round (`serve --sync-every`); credentials are stored as references
//! (`env:NAME`, `file:PATH`) and read by whichever process runs the sync.

use std::sync::Arc;
use std::time::Duration;

use dialback_core::source::Platform;
use dialback_server::app::{App, Clock, Settings};
use dialback_server::sources::{self, Progress, Report};
use dialback_server::store::on_storage_thread;
use dialback_server::store::sources::{NewSource, SecretRef, Source};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{DbArg, env_id};

#[derive(clap::Subcommand)]
pub enum SourceCommand {
    /// Add a platform to sync an environment from; prints its id.
    Add {
        /// `talkover` or `agentphone`.
        #[arg(value_parser = ["talkover", "agentphone"])]
        platform: String,
        /// The environment it syncs into.
        #[arg(long = "env")]
        env: String,
        /// The platform's base URL, e.g. `https://app.talkover.ai` or
        /// `https://api.agentphone.ai` (the API's paths are added to it).
        #[arg(long)]
        base: String,
        /// The environment variable that holds the platform's API token (stored by name).
        #[arg(
            long,
            conflicts_with = "token_file",
            required_unless_present = "token_file"
        )]
        token_env: Option<String>,
        /// A file that holds the platform's API token (stored by path).
        #[arg(long)]
        token_file: Option<String>,
        /// The environment variable that holds the `whsec_` secret of the platform's
        /// webhooks, when they are pointed at `/hooks/agentphone/{id}`.
        #[arg(long, conflicts_with = "webhook_secret_file")]
        webhook_secret_env: Option<String>,
        /// A file that holds that secret.
        #[arg(long)]
        webhook_secret_file: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// List sources, with where their runs stand.
    List {
        /// Only this environment's.
        #[arg(long = "env")]
        env: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Remove a source (what it synced stays).
    Remove {
        /// Its id, from `source list`.
        id: i64,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(clap::Args)]
pub struct SyncArgs {
    /// The source to run, by its id (from `source list`).
    #[arg(long)]
    source: i64,
    /// Print the run's report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

fn secret(env: Option<String>, file: Option<String>) -> Option<SecretRef> {
    env.map(SecretRef::Env).or(file.map(SecretRef::File))
}

pub fn run(command: SourceCommand) -> Result<(), String> {
    match command {
        SourceCommand::Add {
            platform,
            env,
            base,
            token_env,
            token_file,
            webhook_secret_env,
            webhook_secret_file,
            db,
        } => {
            let platform = Platform::parse(&platform).ok_or("unknown platform")?;
            if !(base.starts_with("https://") || base.starts_with("http://")) {
                return Err(format!("--base {base:?}: an http:// or https:// URL"));
            }
            let token = secret(token_env, token_file).ok_or("--token-env or --token-file")?;
            let store = db.open(false)?;
            let env_id = env_id(&*store, &env, &db)?;
            let id = store
                .sources()
                .add_source(&NewSource {
                    env: env_id,
                    platform,
                    base_url: base,
                    token,
                    webhook_secret: secret(webhook_secret_env, webhook_secret_file),
                    created_at: Clock::System.now(),
                })
                .map_err(|e| e.to_string())?;
            println!("{id}");
            eprintln!(
                "source {id}: {platform} into {env:?}; run it with `dialback sync --source {id}`"
            );
            Ok(())
        }
        SourceCommand::List { env, db } => {
            let store = db.open(false)?;
            let only = env.map(|e| env_id(&*store, &e, &db)).transpose()?;
            let names = store.tokens().environments().map_err(|e| e.to_string())?;
            let sources = store.sources().sources().map_err(|e| e.to_string())?;
            for s in sources.iter().filter(|s| only.is_none_or(|e| e == s.env)) {
                let env = names
                    .iter()
                    .find_map(|(id, n)| (*id == s.env).then_some(n.as_str()))
                    .unwrap_or("?");
                println!("{}", describe(s, env));
            }
            Ok(())
        }
        SourceCommand::Remove { id, db } => {
            let store = db.open(false)?;
            match store
                .sources()
                .remove_source(id)
                .map_err(|e| e.to_string())?
            {
                true => {
                    eprintln!("source {id} removed; what it synced stays");
                    Ok(())
                }
                false => Err(format!("no source {id} in {}", db.name())),
            }
        }
    }
}

fn describe(s: &Source, env: &str) -> String {
    let st = &s.state;
    let last = match (&st.last_error, st.last_ok_at) {
        (Some(e), _) => format!("last run failed: {e}"),
        (None, Some(at)) => format!("last synced {at}"),
        (None, None) => "never synced".to_owned(),
    };
    format!(
        "{}\t{}\t{env}\t{}\ttoken {}\t{} agents, {} numbers, {} calls\tcursor {}\t{last}",
        s.id,
        s.platform,
        s.base_url,
        s.token,
        st.agents,
        st.numbers,
        st.calls,
        st.cursor.map_or_else(|| "-".to_owned(), |c| c.to_string()),
    )
}

/// A progress bar on a terminal; log lines otherwise.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn phase(&self, name: &str, total: Option<u64>) {
        let unit = if name == "storing" { "calls" } else { "pages" };
        self.0.set_length(total.unwrap_or(0));
        self.0.set_position(0);
        self.0.reset_elapsed();
        self.0.set_style(
            ProgressStyle::with_template(&format!(
                "{name:>8} [{{bar:30}}] {{pos}}/{{len}} {unit} ({{per_sec}}, {{elapsed}})"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        if self.0.is_hidden() {
            tracing::info!(phase = name, total, "sync");
        }
    }
    fn advance(&self, by: u64) {
        self.0.inc(by);
    }
}

pub fn sync(args: SyncArgs) -> Result<(), String> {
    let store = args.db.open(false)?;
    // a SQLite database is one server's: the sync runs in that server ("Sync now") or with
    // the server stopped
    let _lock = args
        .db
        .file()
        .map(super::serve::serve_lock)
        .transpose()
        .map_err(|e| {
            format!(
                "{e}; while it serves, use its \"Sync now\" (POST /api/v1/sources/{}/sync)",
                args.source
            )
        })?;
    let source = store
        .sources()
        .sources()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|s| s.id == args.source)
        .ok_or_else(|| format!("no source {} in {}", args.source, args.db.name()))?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let report: Report = runtime.block_on(async move {
        let app: Arc<App> = tokio::task::spawn_blocking(move || {
            on_storage_thread(|| App::load(store, Settings::default()).map_err(|e| e.to_string()))
        })
        .await
        .map_err(|e| e.to_string())??;
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let progress = Bar(bar.clone());
        let out = sources::run(&app, &source, &progress).await;
        bar.finish_and_clear();
        out.map_err(|e| e.to_string())
    })?;
    runtime.shutdown_timeout(Duration::from_secs(1));
    match args.json {
        true => super::print_json(&report),
        false => {
            println!(
                "source {}: {} agents, {} numbers ({} written); {} pages; {} calls stored, {} \
                 stored before, {} in progress, {} refused; {:.1} s",
                report.source,
                report.agents,
                report.numbers,
                report.agents_written + report.numbers_written,
                report.pages,
                report.calls_created,
                report.calls_existing,
                report.calls_in_progress,
                report.calls_refused,
                report.seconds
            );
            for why in &report.refusals {
                println!("  refused: {why}");
            }
            Ok(())
        }
    }
}
