//! Tidy checks, in the manner of rust-analyzer's: tests that read the repository's own sources
//! and fail when a shell (`server/`, `web/`, `wasm/`) takes over a rule the core owns. They run
//! with `cargo test --workspace`; ARCHITECTURE.md's invariants name them.
//!
//! The checks are textual on purpose: cheap, and easy to read when they fail. Each failure
//! says where the leak is and what to call instead.

use std::path::{Path, PathBuf};

use crate::root;

mod codes;
mod length;
mod regrowth;
mod width;

/// The shell crates: everything that is not the core or this crate.
const SHELLS: [&str; 3] = ["server", "web", "wasm"];

/// Date and time libraries: calendar work belongs to the core's `time` and `usage` modules.
const DATE_CRATES: [&str; 5] = ["chrono", "chrono-tz", "time", "jiff", "humantime"];

/// Spellings of "a day in seconds": a shell that needs one is computing calendar ranges.
const DAY_ARITHMETIC: [&str; 5] = ["86_400", "86400", "24 * 3600", "24 * 60 * 60", "3600 * 24"];

/// Files allowed what the checks forbid, and why.
const ALLOWED: [(&str, &str); 1] = [(
    "server/src/demo.rs",
    "demo data is laid out on UTC days; it generates input, it decides nothing",
)];

/// One source file of a shell, its tests cut off (test code may spell out expected answers).
struct Source {
    path: String,
    text: String,
}

fn sources(crate_dir: &str) -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join(crate_dir).join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let text = match text.find("#[cfg(test)]") {
                Some(i) => text.get(..i).unwrap_or_default().to_owned(),
                None => text,
            };
            let path = file
                .strip_prefix(root())
                .unwrap_or(&file)
                .to_string_lossy()
                .into_owned();
            Source { path, text }
        })
        .collect()
}

fn allowed(path: &str) -> bool {
    ALLOWED.iter().any(|(p, _)| *p == path)
}

/// The shells' non-test source, line by line, without comments.
fn code_lines(sources: &[Source]) -> impl Iterator<Item = (&str, usize, &str)> {
    sources.iter().flat_map(|s| {
        s.text.lines().enumerate().filter_map(move |(i, line)| {
            let code = line.split("//").next().unwrap_or_default();
            (!code.trim().is_empty()).then_some((s.path.as_str(), i + 1, code))
        })
    })
}

fn shell_sources() -> Vec<Source> {
    SHELLS.iter().flat_map(|s| sources(s)).collect()
}

/// The string literals of the core's `code()` arms: every stable error code it defines.
fn core_codes() -> Vec<String> {
    let mut codes = Vec::new();
    for source in sources("core") {
        for piece in source.text.split("=> \"").skip(1) {
            let code: String = piece
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if code.len() > 2 && piece.get(code.len()..).is_some_and(|r| r.starts_with('"')) {
                codes.push(code);
            }
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

/// The core's free functions (`pub fn` at the start of a line): its rules.
/// The core's free functions, the rules a shell must not re-derive. The OpenAPI schema
/// builders (`core/src/wire/schema/`) describe parameters rather than decide anything, so a
/// handler named like the operation it serves (`stats`) is not a second copy of a rule.
fn core_functions() -> Vec<String> {
    let mut names: Vec<String> = sources("core")
        .iter()
        .filter(|s| !s.path.starts_with("core/src/wire/schema/"))
        .flat_map(|s| s.text.lines())
        .filter_map(|l| l.strip_prefix("pub fn "))
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
        })
        .map(String::from_iter)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn report(problems: Vec<String>, what: &str) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

/// Architecture Invariant (tidy): no shell depends on a date library; dates are the core's.
#[test]
fn shells_use_no_date_library() {
    let mut problems = Vec::new();
    for shell in SHELLS {
        let manifest =
            std::fs::read_to_string(root().join(shell).join("Cargo.toml")).unwrap_or_default();
        for line in manifest.lines() {
            let name = line.split(['=', '.', ' ']).next().unwrap_or_default();
            if DATE_CRATES.contains(&name) {
                problems.push(format!("{shell}/Cargo.toml depends on {name}"));
            }
        }
    }
    for (path, line, code) in code_lines(&shell_sources()) {
        if (code.contains("chrono::") || code.contains("chrono_tz")) && !allowed(path) {
            problems.push(format!("{path}:{line} uses chrono: {}", code.trim()));
        }
    }
    report(
        problems,
        "a shell does date work; use dialback_core::{Timestamp, Zone, DateRange, usage_period}",
    );
}

/// Where the server may read the wall clock: `App`'s `Clock` (every "now" a rule or a stored
/// timestamp gets), the webhook dispatcher's millisecond schedule, and a `Retry-After` date
/// (a wait, not a record).
const CLOCK_READERS: [&str; 3] = [
    "server/src/app/mod.rs",
    "server/src/webhooks/mod.rs",
    "server/src/sources/fetch.rs",
];

/// Architecture Invariant (tidy): the server reads the wall clock in one place; storage and
/// the operations are given the time (`App::now`), so a fixed clock fixes every timestamp.
#[test]
fn the_server_reads_the_clock_in_one_place() {
    let problems = code_lines(&shell_sources())
        .filter(|(path, _, code)| {
            path.starts_with("server/src/")
                && !CLOCK_READERS.contains(path)
                && code.contains("SystemTime::now")
        })
        .map(|(path, line, code)| format!("{path}:{line}: {}", code.trim()))
        .collect();
    report(
        problems,
        "the server reads the clock; take the time from App::now (its Clock) and pass it in",
    );
}

/// Architecture Invariant (tidy): no shell does calendar arithmetic with day lengths.
#[test]
fn shells_do_no_calendar_arithmetic() {
    let problems = code_lines(&shell_sources())
        .filter(|(path, _, code)| !allowed(path) && DAY_ARITHMETIC.iter().any(|d| code.contains(d)))
        .map(|(path, line, code)| format!("{path}:{line}: {}", code.trim()))
        .collect();
    report(
        problems,
        "a shell computes days from seconds; use DateRange::last_days, Zone::day_start and friends",
    );
}

/// Architecture Invariant (tidy): the outcome codes of the rules (every core code but the
/// `INVALID_*` ones, which say what shape an input had and which a boundary may reuse when an
/// argument is not even of the right type) are decided by the core and spelled only there.
#[test]
fn shells_take_rule_outcomes_from_the_core() {
    let codes: Vec<String> = core_codes()
        .into_iter()
        .filter(|c| !c.starts_with("INVALID_"))
        .collect();
    assert!(
        codes.iter().any(|c| c == "NUMBER_ALREADY_ASSIGNED"),
        "the code scan found {codes:?}"
    );
    let problems = code_lines(&shell_sources())
        .flat_map(|(path, line, code)| {
            codes
                .iter()
                .filter(move |c| code.contains(&format!("\"{c}\"")))
                .map(move |c| format!("{path}:{line} spells {c}"))
        })
        .collect();
    report(
        problems,
        "a shell decides an outcome the core owns; return the core's error instead",
    );
}

/// Architecture Invariant (tidy): no shell defines a function named like one of the core's
/// rules, except the npm package's exports (`#[wasm_bindgen]`), which are those rules under
/// their JavaScript names.
#[test]
fn shells_do_not_redefine_core_rules() {
    let rules = core_functions();
    assert!(
        rules.iter().any(|r| r == "usage_period"),
        "the rule scan found {rules:?}"
    );
    let mut problems = Vec::new();
    for source in shell_sources() {
        let lines: Vec<&str> = source.text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(rest) = line.trim_start().split("fn ").nth(1) else {
                continue;
            };
            if !line.trim_start().starts_with("fn ") && !line.trim_start().starts_with("pub") {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let exported = lines
                .get(i.saturating_sub(3)..i)
                .is_some_and(|above| above.iter().any(|l| l.contains("#[wasm_bindgen")));
            if rules.contains(&name) && !exported {
                problems.push(format!("{}:{} defines {name}", source.path, i + 1));
            }
        }
    }
    report(
        problems,
        "a shell re-implements a core rule; call dialback_core's instead",
    );
}
