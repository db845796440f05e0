//! The codes a shell may spell: an allowlist, so a new outcome invented in a shell fails here
//! rather than drifting from the core's.

use super::{code_lines, report, shell_sources};

/// Transport outcomes: the request could not be taken as one (no token, no route, too
/// large, not JSON, too many, the server or its storage unavailable). Every shell may spell
/// these; they decide nothing about the domain.
const TRANSPORT: [&str; 18] = [
    "UNAUTHORIZED",
    "INVALID_TOKEN",
    "FORBIDDEN",
    "NOT_FOUND",
    "METHOD_NOT_ALLOWED",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE",
    "INVALID_JSON",
    "INVALID_BODY",
    "INVALID_QUERY",
    "INVALID_PATH",
    "VALIDATION_ERROR",
    "RATE_LIMIT_EXCEEDED",
    "TOO_MANY_STREAMS",
    "SERVICE_UNAVAILABLE",
    "STORAGE_UNAVAILABLE",
    "SHUTTING_DOWN",
    "INTERNAL_ERROR",
];

/// The npm package's JavaScript boundary: a value that is not of the type an export takes,
/// before any rule sees it (`wasm/src/` only).
const JS_BOUNDARY: [&str; 11] = [
    "INVALID_ARGUMENT",
    "INPUT_TOO_LARGE",
    "OUT_OF_MEMORY",
    "INVALID_CALL",
    "INVALID_AGENTS",
    "INVALID_AGENT_ID",
    "INVALID_RESPONSE",
    "INVALID_TIMESTAMP",
    "INVALID_TIMEZONE",
    "INVALID_PERIOD",
    "INVALID_DATE_RANGE",
];

/// Codes shells still spell that belong in a core error enum: the debt, each with where it
/// goes. The list only shrinks: a code no longer spelled must come off it.
const DEBT: [(&str, &str); 17] = [
    (
        "NOT_IMPLEMENTED",
        "http: an operation we do not serve (a transport kind to name)",
    ),
    (
        "NOT_SUPPORTED",
        "http: a documented operation we do not serve",
    ),
    (
        "INVALID_BOOLEAN",
        "the import's `?webhooks=` parameter: a core query parser",
    ),
    (
        "INVALID_PHONE_NUMBER",
        "wasm/src/period.rs: the core's PhoneError",
    ),
    (
        "INVALID_WEBHOOK_URL",
        "web/src/webhooks: the core's webhook URL rule",
    ),
    ("EVENTS_AHEAD", "live: the resume rule, a core LiveError"),
    ("EVENTS_EXPIRED", "live: the resume rule, a core LiveError"),
    ("SOURCE_BUSY", "sources: a core SyncError"),
    ("SOURCE_MERGE_FAILED", "sources: a core SyncError"),
    ("SOURCE_MISCONFIGURED", "sources: a core SyncError"),
    ("SOURCE_NOT_FOUND", "sources: a core SyncError"),
    ("SOURCE_REFUSED", "sources: a core SyncError"),
    ("SOURCE_UNREACHABLE", "sources: a core SyncError"),
    (
        "WEBHOOK_HEADER_MISSING",
        "the webhook receiver: a core receipt error",
    ),
    ("WEBHOOK_NOT_FOUND", "webhooks: a core webhook error"),
    (
        "WEBHOOK_REPLAYED",
        "the webhook receiver: a core receipt error",
    ),
    (
        "WEBHOOK_URL_NOT_PUBLIC",
        "webhooks: the core's receiver address rule",
    ),
];

/// The code-like string literals of a line: `SCREAMING_CASE` with at least one underscore,
/// less environment variables and serde's own spelling.
fn codes_in(code: &str) -> Vec<&str> {
    code.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.contains('_')
                && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && s.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && !s.starts_with("DIALBACK_")
                && !s.starts_with("CARGO_")
                && *s != "SCREAMING_SNAKE_CASE"
        })
        .collect()
}

/// Architecture Invariant (tidy): outside the core, only transport codes (and, in the npm
/// package's boundary, its argument codes) are spelled; every outcome of a rule is the core's
/// to name. What remains to move is listed, and the list only shrinks.
#[test]
fn shells_spell_only_transport_codes() {
    let sources = shell_sources();
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for (path, line, code) in code_lines(&sources) {
        for c in codes_in(code) {
            let allowed = TRANSPORT.contains(&c)
                || (path.starts_with("wasm/src/") && JS_BOUNDARY.contains(&c))
                || DEBT.iter().any(|(d, _)| *d == c);
            if allowed {
                seen.push(c.to_owned());
            } else {
                problems.push(format!("{path}:{line} spells {c}"));
            }
        }
    }
    for (c, _) in DEBT {
        if !seen.iter().any(|s| s == c) {
            problems.push(format!(
                "{c} is no longer spelled in a shell: take it off DEBT"
            ));
        }
    }
    report(
        problems,
        "a shell spells an outcome code; name it in a core error enum and return that",
    );
}
