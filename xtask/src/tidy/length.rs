//! File length: long files hide more than one concept.

use std::path::{Path, PathBuf};

use super::report;
use crate::root;

/// The longest a source file may be, in lines before its `#[cfg(test)]` tests (the style
/// guide keeps tests beside the rules they pin, so they do not count against it).
const MAX_LINES: usize = 400;

/// Longer files, each with its reason.
const LONG_FILES: [(&str, &str); 13] = [
    (
        "server/src/http/openapi/operations.rs",
        "the route table: each of Talkover's and AgentPhone's operations, handler and description, \
         one entry each",
    ),
    (
        "core/src/wire/requests/webhooks.rs",
        "both APIs' webhook requests and their limits: one reader per request shape, each short",
    ),
    (
        "server/src/sources/run.rs",
        "one sync run from first page to cursor, read top to bottom as the sync does it",
    ),
    (
        "core/src/source/merge.rs",
        "the merge of a platform's agents and numbers: one rule with its many cases",
    ),
    (
        "core/src/wire/requests/agents.rs",
        "the agent requests of both APIs, field by field",
    ),
    (
        "core/src/wire/agentphone/mod.rs",
        "AgentPhone's documented shapes, one struct per documented object",
    ),
    (
        "core/src/callback/config.rs",
        "the callback configuration rule and every error it can give",
    ),
    (
        "server/src/store/postgres/writes.rs",
        "one write transaction on PostgreSQL, each statement beside the SQLite one it mirrors",
    ),
    (
        "core/src/wire/requests/queries.rs",
        "every list query's parameters, each parser short",
    ),
    (
        "core/src/wire/talkover/agents.rs",
        "Talkover's documented agent shapes",
    ),
    (
        "server/src/ops/agents.rs",
        "the agent operations of both APIs, each a short function",
    ),
    (
        "xtask/src/load.rs",
        "the load test's client, server and report in one command",
    ),
    (
        "tests/chaos/src/workload.rs",
        "the chaos run's clients and faults, each operation beside what the history records",
    ),
];

/// Architecture Invariant (tidy): no source file is longer than [`MAX_LINES`] without a
/// named reason. Test suites (`tests/` directories, `*_tests.rs`, `tests.rs`) are scenarios,
/// each read alone, and are not held to it.
#[test]
fn no_source_file_is_long_without_a_reason() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if !matches!(
                    name.to_str(),
                    Some("target" | "node_modules" | "pkg" | "tests" | "fuzz" | ".git")
                ) {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in [
        "core/src",
        "server/src",
        "web/src",
        "wasm",
        "xtask/src",
        "tests",
    ] {
        let dir = root().join(dir);
        if dir.ends_with("tests") {
            // the test tools (benchmarks, chaos, hostile clients) are programs, not suites
            for tool in ["webhook-bench", "chaos", "hostile"] {
                walk(&dir.join(tool).join("src"), &mut files);
            }
        } else {
            walk(&dir, &mut files);
        }
    }
    let mut problems = Vec::new();
    let mut used = Vec::new();
    for file in files {
        let path = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .to_string_lossy()
            .into_owned();
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let lines = text
            .lines()
            .take_while(|l| !l.starts_with("#[cfg(test)]"))
            .count();
        if lines <= MAX_LINES {
            continue;
        }
        match LONG_FILES.iter().find(|(p, _)| *p == path) {
            Some(_) => used.push(path),
            None => problems.push(format!("{path}: {lines} lines")),
        }
    }
    for (path, _) in LONG_FILES {
        if !used.iter().any(|u| u == path) {
            problems.push(format!(
                "{path} is named as long but is not: take it off the list"
            ));
        }
    }
    report(
        problems,
        "a file is over 400 lines: split it by concept, or name why not in LONG_FILES",
    );
}
