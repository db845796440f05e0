//! The codes a shell may spell: an allowlist, so a new outcome invented in a shell fails here
//! rather than drifting from the core's.

use super::{code_lines, report, shell_sources};

/// Transport outcomes: the request could not be taken as one (no token, no route, too
/// large, not JSON, too many, the server or its storage unavailable), or this server does not
/// implement what it names (501: an operation of the real APIs that needs telephony, a
/// carrier or a voice stack). Every shell may spell these; they decide nothing about the
/// domain.
const TRANSPORT: [&str; 20] = [
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
    "NOT_IMPLEMENTED",
    "NOT_SUPPORTED",
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
/// to name.
#[test]
fn shells_spell_only_transport_codes() {
    let sources = shell_sources();
    let mut problems = Vec::new();
    for (path, line, code) in code_lines(&sources) {
        for c in codes_in(code) {
            let allowed = TRANSPORT.contains(&c)
                || (path.starts_with("wasm/src/") && JS_BOUNDARY.contains(&c));
            if !allowed {
                problems.push(format!("{path}:{line} spells {c}"));
            }
        }
    }
    report(
        problems,
        "a shell spells an outcome code; name it in a core error enum and return that",
    );
}
