//! `dialback token create|list|revoke`: an environment's API tokens. Servers look a token up
//! on every request, so each change here counts at once on every running server.

use dialback_core::Timestamp;
use dialback_server::app::Clock;
use dialback_server::auth::{self, NewToken, Scope, TokenInfo};

use super::{DbArg, env_id};

#[derive(clap::Subcommand)]
pub enum TokenCommand {
    /// Issue a token and print it (shown only this once; only its SHA-256 is stored).
    Create {
        /// The environment it opens.
        #[arg(long = "env")]
        env: String,
        /// What it is for, shown by `token list`.
        #[arg(long, default_value = "cli")]
        label: String,
        /// Reads only: every write answers 403.
        #[arg(long)]
        read_only: bool,
        /// Days until it stops working (default: never).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=36_500))]
        expires: Option<u32>,
        #[command(flatten)]
        db: DbArg,
    },
    /// List an environment's tokens (never the tokens themselves).
    List {
        /// The environment.
        #[arg(long = "env")]
        env: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Revoke a token by its id (from `token list`): refused at once by every server.
    Revoke {
        /// The token's id.
        id: i64,
        #[command(flatten)]
        db: DbArg,
    },
}

pub fn run(command: TokenCommand) -> Result<(), String> {
    let now = Clock::System.now();
    match command {
        TokenCommand::Create {
            env,
            label,
            read_only,
            expires,
            db,
        } => {
            let store = db.open(false)?;
            let id = env_id(&*store, &env, &db)?;
            let expires_at = expires
                .map(|days| {
                    dialback_core::token::expiry(now, days)
                        .ok_or_else(|| format!("--expires {days}: past the last representable day"))
                })
                .transpose()?;
            let token = NewToken {
                label,
                scope: if read_only { Scope::Read } else { Scope::Write },
                expires_at,
            };
            let (token_id, secret) =
                auth::issue(&*store, id, &token, false, now).map_err(|e| e.to_string())?;
            println!("{secret}");
            eprintln!(
                "token {token_id} ({}, {}) for {env:?}; it is shown only once",
                token.scope.as_str(),
                expires_at.map_or_else(|| "no expiry".to_owned(), |t| format!("expires {t}")),
            );
            Ok(())
        }
        TokenCommand::List { env, db } => {
            let store = db.open(false)?;
            let id = env_id(&*store, &env, &db)?;
            let tokens = store.tokens().tokens_of(id).map_err(|e| e.to_string())?;
            print!("{}", table(&tokens, now));
            Ok(())
        }
        TokenCommand::Revoke { id, db } => {
            let store = db.open(false)?;
            if store
                .tokens()
                .revoke_token(id, now)
                .map_err(|e| e.to_string())?
            {
                eprintln!("token {id} revoked");
                Ok(())
            } else {
                Err(format!(
                    "no token {id} to revoke in {} (unknown, or revoked already)",
                    db.name()
                ))
            }
        }
    }
}

/// Whether a token still works, as the list shows it.
fn state(t: &TokenInfo, now: Timestamp) -> &'static str {
    if t.revoked_at.is_some() {
        "revoked"
    } else if t.expires_at.is_some_and(|at| at <= now) {
        "expired"
    } else {
        "active"
    }
}

/// The list as aligned columns, one token a line.
fn table(tokens: &[TokenInfo], now: Timestamp) -> String {
    let never =
        |t: Option<Timestamp>, none: &str| t.map_or_else(|| none.to_owned(), |t| t.to_string());
    let mut rows = vec![[
        "ID".to_owned(),
        "LABEL".to_owned(),
        "SCOPE".to_owned(),
        "STATE".to_owned(),
        "CREATED".to_owned(),
        "LAST USED".to_owned(),
        "EXPIRES".to_owned(),
    ]];
    for t in tokens {
        rows.push([
            t.id.to_string(),
            t.label.chars().filter(|c| !c.is_control()).collect(),
            t.scope.as_str().to_owned(),
            state(t, now).to_owned(),
            t.created_at.to_string(),
            never(t.last_used_at, "never"),
            never(t.expires_at, "never"),
        ]);
    }
    let mut widths = [0usize; 7];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    #[test]
    fn the_list_says_which_tokens_still_work() {
        let now = at("2026-06-01T00:00:00Z");
        let token = |id, expires: Option<&str>, revoked: Option<&str>| TokenInfo {
            id,
            label: "ci\u{1b}[31m".into(),
            scope: Scope::Read,
            created_at: at("2026-01-01T00:00:00Z"),
            last_used_at: None,
            expires_at: expires.map(at),
            revoked_at: revoked.map(at),
        };
        let text = table(
            &[
                token(1, None, None),
                token(2, Some("2026-05-01T00:00:00Z"), None),
                token(3, None, Some("2026-02-01T00:00:00Z")),
            ],
            now,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("ID  LABEL"));
        assert!(lines[1].contains("active") && lines[1].ends_with("never"));
        assert!(lines[2].contains("expired") && lines[2].ends_with("2026-05-01T00:00:00Z"));
        assert!(lines[3].contains("revoked"));
        // a label cannot move the terminal's cursor or colour
        assert!(!text.contains('\u{1b}'));
    }
}
