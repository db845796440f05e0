//! Webhooks: the rules behind what Dialback tells receivers. Which webhooks an event goes to
//! ([`endpoint::recipients`]), what the body says in each API's dialect ([`payload`]), how it
//! is signed ([`signature`]), when a failed delivery is tried again ([`retry`]), which URLs
//! and addresses a receiver may have ([`url`], [`address`]), and what the delivery log adds up
//! to ([`delivery`]). The server stores, sends and schedules; none of that is decided there.
//!
//! Behind the `webhooks` feature, which only the server turns on.

pub mod address;
pub mod delivery;
pub mod endpoint;
pub mod event;
pub mod payload;
pub mod retry;
pub mod signature;
pub mod url;

pub use endpoint::{Api, AuthScheme, Method, Webhook, recipients};
pub use event::EventKind;
