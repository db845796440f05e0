//! AgentPhone's documented paths that Dialback does not serve (those of the official SDK's
//! resources beyond usage and calls): each answers 501 `NOT_SUPPORTED` in AgentPhone's
//! dialect, with a sentence saying why and what to use instead, never a bare 404, so that a
//! client of the AgentPhone API learns that the path exists and is not served here.

use super::super::error::UsageError;

fn not_served(why: &str) -> UsageError {
    UsageError::Status(501, why.to_owned(), "NOT_SUPPORTED", "api_error")
}

/// Agents and numbers, in AgentPhone's shapes.
pub async fn directory() -> UsageError {
    not_served(
        "Dialback keeps agents and numbers in Talkover's dialect: list and change them at \
         /api/v1/agents and /api/v1/phone-numbers (their AgentPhone shapes are not served yet)",
    )
}

/// Buying, looking up, registering and verifying numbers; SIP trunks; caller location.
pub async fn carrier() -> UsageError {
    not_served(
        "buying, looking up, registering and verifying numbers, SIP trunks and caller location \
         need a carrier, which Dialback does not have: add the numbers you own with \
         POST /api/v1/phone-numbers",
    )
}

/// Voices.
pub async fn voices() -> UsageError {
    not_served("Dialback routes and counts calls; it has no voices")
}

/// Sending messages, conversations and contacts.
pub async fn messaging() -> UsageError {
    not_served(
        "Dialback counts the messages your system records (POST /api/v1/messages); it does \
         not send messages or keep conversations or contacts",
    )
}

/// Sub-accounts and feedback.
pub async fn account() -> UsageError {
    not_served(
        "sub-accounts and feedback belong to an AgentPhone account; Dialback's environments \
         and tokens are managed with `dialback env` and `dialback token`",
    )
}
