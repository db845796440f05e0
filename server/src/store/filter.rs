//! The SQL of a call filter: the core's [`CallFilter::matches`], translated once for both
//! backends (`server/tests/store_filters.rs` checks the translation against the rule on random
//! data, on each backend).

use dialback_core::wire::requests::queries::{AgentFilter, CallFilter, CallSearch};

use super::EnvId;

/// Which SQL the clause is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `?` placeholders, `instr`.
    Sqlite,
    /// `$n` placeholders, `strpos`.
    Postgres,
}

/// A bound value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// An integer column (times, ids).
    Int(i64),
    /// A text column.
    Text(String),
}

/// A clause under construction: its text and the values its placeholders stand for.
#[derive(Debug)]
pub struct Clause {
    dialect: Dialect,
    /// The SQL after `WHERE`.
    pub sql: String,
    /// The values, in placeholder order.
    pub args: Vec<Arg>,
}

impl Clause {
    /// Binds a value; returns its placeholder.
    pub fn bind(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        match self.dialect {
            Dialect::Sqlite => "?".to_owned(),
            Dialect::Postgres => format!("${}", self.args.len()),
        }
    }

    /// Appends `text` with `{}` replaced by the placeholder of `arg`.
    fn and(&mut self, text: &str, arg: Arg) {
        let p = self.bind(arg);
        self.sql.push_str(&text.replace("{}", &p));
    }

    fn starts_with(&self, haystack: &str, needle: &str) -> String {
        match self.dialect {
            Dialect::Sqlite => format!("substr({haystack}, 1, length({needle})) = {needle}"),
            Dialect::Postgres => format!("starts_with({haystack}, {needle})"),
        }
    }

    fn contains(&self, haystack: &str, needle: &str) -> String {
        match self.dialect {
            Dialect::Sqlite => format!("instr({haystack}, {needle}) > 0"),
            Dialect::Postgres => format!("strpos({haystack}, {needle}) > 0"),
        }
    }
}

/// The `WHERE` clause selecting an environment's calls that pass `f`.
pub fn where_clause(dialect: Dialect, env: EnvId, f: &CallFilter) -> (String, Vec<Arg>) {
    let mut c = Clause {
        dialect,
        sql: String::new(),
        args: Vec::new(),
    };
    c.and("environment_id = {}", Arg::Int(env));
    if let Some(s) = f.status {
        c.and(" AND status = {}", Arg::Text(s.as_str().to_owned()));
    }
    if let Some(d) = f.direction {
        c.and(" AND direction = {}", Arg::Text(d.as_str().to_owned()));
    }
    match f.agent {
        AgentFilter::Any => {}
        AgentFilter::Agent(a) => c.and(" AND agent_id = {}", Arg::Text(a.to_string())),
        AgentFilter::Unknown => c.sql.push_str(" AND 1 = 0"),
    }
    if let Some(t) = f.since {
        c.and(" AND started_at >= {}", Arg::Int(t.unix_seconds()));
    }
    if let Some(t) = f.until {
        c.and(" AND started_at < {}", Arg::Int(t));
    }
    if let Some(n) = f.number {
        let (a, b) = (
            c.bind(Arg::Text(n.to_string())),
            c.bind(Arg::Text(n.to_string())),
        );
        c.sql.push_str(&format!(
            " AND ((direction = 'inbound' AND to_number = {a}) OR (direction = 'outbound' AND \
             from_number = {b}))"
        ));
    }
    if let Some(search) = &f.search {
        c.sql.push_str(" AND (1 = 0");
        if let Some(text) = &search.text {
            let test = match c.dialect {
                // SQLite's placeholders are positional: the text is bound once per use
                Dialect::Sqlite => {
                    let (a, b) = (
                        c.bind(Arg::Text(text.clone())),
                        c.bind(Arg::Text(text.clone())),
                    );
                    format!("substr(COALESCE(external_id, ''), 1, length({a})) = {b}")
                }
                Dialect::Postgres => {
                    let p = c.bind(Arg::Text(text.clone()));
                    c.starts_with("COALESCE(external_id, '')", &p)
                }
            };
            c.sql.push_str(&format!(" OR {test}"));
        }
        if let Some(digits) = &search.digits {
            let mut from = String::from("COALESCE(from_number, '')");
            for ch in CallSearch::FORMATTING {
                from = format!("replace({from}, '{ch}', '')");
            }
            let (a, b) = (
                c.bind(Arg::Text(digits.clone())),
                c.bind(Arg::Text(digits.clone())),
            );
            let (to, from) = (c.contains("to_number", &a), c.contains(&from, &b));
            c.sql.push_str(&format!(" OR {to} OR {from}"));
        }
        c.sql.push(')');
    }
    (c.sql, c.args)
}
