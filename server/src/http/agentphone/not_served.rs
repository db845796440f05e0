//! AgentPhone's documented paths that Dialback does not serve (those of the official SDK's
//! resources beyond usage and calls): each answers 501 `NOT_SUPPORTED` in AgentPhone's
//! dialect, with a sentence saying why and what to use instead, never a bare 404, so that a
//! client of the AgentPhone API learns that the path exists and is not served here.

use super::super::error::AgentPhoneError;

fn not_served(why: &str) -> AgentPhoneError {
    AgentPhoneError::Status {
        status: 501,
        message: why.to_owned(),
        code: "NOT_SUPPORTED",
        kind: "api_error",
    }
}

/// Deleting an agent.
pub async fn delete_agent() -> AgentPhoneError {
    not_served(
        "Dialback keeps every agent: its calls, callback stats and usage name it. Detach its \
         numbers (DELETE /v1/agents/{id}/numbers/{number_id}) so that it takes no more calls",
    )
}

/// Buying, looking up, registering and verifying numbers; SIP trunks; caller location.
pub async fn carrier() -> AgentPhoneError {
    not_served(
        "buying, looking up, registering and verifying numbers, SIP trunks and caller location \
         need a carrier, which Dialback does not have: add the numbers you own with \
         POST /api/v1/phone-numbers",
    )
}

/// Voices.
pub async fn voices() -> AgentPhoneError {
    not_served("Dialback routes and counts calls; it has no voices")
}

/// Sending messages, conversations and contacts.
pub async fn messaging() -> AgentPhoneError {
    not_served(
        "Dialback counts the messages your system records (POST /api/v1/messages); it does \
         not send messages or keep conversations or contacts",
    )
}

/// Sub-accounts and feedback.
pub async fn account() -> AgentPhoneError {
    not_served(
        "sub-accounts and feedback belong to an AgentPhone account; Dialback's environments \
         and tokens are managed with `dialback env` and `dialback token`",
    )
}
