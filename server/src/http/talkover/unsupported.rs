//! The documented Talkover endpoints whose meaning needs what Dialback does not have:
//! telephony (placing calls, campaigns and their webhooks), voices and trainings. They answer
//! 501 with a code and the reason, so a client learns at once that this server will not do
//! it, instead of a 404 that looks like a typo.

use axum::extract::OriginalUri;

use super::super::error::{Refusal, TalkoverError};

/// Why each group of endpoints is out of scope.
fn reason(path: &str) -> &'static str {
    if path.contains("/campaigns") {
        "campaigns place calls on a schedule, and Dialback places no calls"
    } else if path.ends_with("/call") {
        "placing a call needs telephony, which Dialback does not have: record calls your \
         telephony placed with POST /api/v1/calls"
    } else if path.contains("/voice") {
        "voices need speech synthesis, which Dialback does not have"
    } else if path.contains("/trainings") {
        "trainings teach a voice agent, which Dialback does not run"
    } else {
        "Dialback does not implement this endpoint"
    }
}

/// Every out-of-scope route.
pub async fn refuse(OriginalUri(uri): OriginalUri) -> TalkoverError {
    TalkoverError::new(
        Refusal::NotImplemented,
        "NOT_SUPPORTED",
        format!("{} is not supported: {}", uri.path(), reason(uri.path())),
        "",
    )
}
