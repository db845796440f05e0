//! `dialback env create|plan`.

use dialback_server::auth::{self, NewToken, Scope};

use super::{DbArg, env_id, print_json};

#[derive(clap::Subcommand)]
pub enum EnvCommand {
    /// Create an environment and print its first token (read-write, no expiry).
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: DbArg,
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
        #[command(flatten)]
        db: DbArg,
    },
}

pub fn run(command: EnvCommand) -> Result<(), String> {
    match command {
        EnvCommand::Create { name, db } => {
            let store = db.open(false)?;
            let now = dialback_server::app::Clock::System.now();
            let id = store
                .tokens()
                .create_environment(&name, now)
                .map_err(|e| e.to_string())?;
            let first = NewToken {
                label: "cli".to_owned(),
                scope: Scope::Write,
                expires_at: None,
            };
            let (_, token) =
                auth::issue(&*store, id, &first, false, now).map_err(|e| e.to_string())?;
            println!("{token}");
            eprintln!(
                "environment {name:?} created in {}; the token above is shown only once",
                db.name()
            );
            Ok(())
        }
        EnvCommand::Plan {
            name,
            plan,
            numbers,
            messages_per_month,
            voice_minutes_per_month,
            max_call_duration_minutes,
            concurrent_calls,
            db,
        } => {
            let store = db.open(false)?;
            let env = env_id(&*store, &name, &db)?;
            let mut current = store.tokens().plan(env).map_err(|e| e.to_string())?;
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
                store
                    .tokens()
                    .set_plan(env, &current)
                    .map_err(|e| e.to_string())?;
            }
            print_json(&current)
        }
    }
}
