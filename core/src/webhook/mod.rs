//! Webhooks: the rules behind what Dialback tells receivers. Which webhooks an event goes to
//! ([`endpoint::recipients`]), what the body says in each API's dialect (`payload`), how it
//! is signed (`signature`), when a failed delivery is tried again ([`retry`]), which URLs
//! and addresses a receiver may have ([`url`], [`address`]), and what the delivery log adds up
//! to ([`delivery`]). The server stores, sends and schedules; none of that is decided there.
//!
//! The bodies and the signature need the `webhooks` feature (libphonenumber's metadata for the
//! calls' written forms, and SHA-256), which only the server turns on; the rest (and the wire
//! shapes in `wire::{agentphone, talkover}::webhooks`) is plain data the console reads too.

pub mod address;
pub mod delivery;
pub mod endpoint;
pub mod event;
#[cfg(feature = "webhooks")]
pub mod payload;
pub mod retry;
#[cfg(feature = "webhooks")]
pub mod signature;
pub mod url;

pub use endpoint::{Api, AuthScheme, Method, Webhook, recipients};

/// A webhook id a request names that the agent does not have (Talkover's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Webhook not found.")]
pub struct WebhookNotFound;

impl crate::error::ErrorCode for WebhookNotFound {
    fn code(&self) -> &'static str {
        "WEBHOOK_NOT_FOUND"
    }
}
pub use event::EventKind;
