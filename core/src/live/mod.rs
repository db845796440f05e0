//! Live events: what `GET /api/v1/events` streams as it happens. The same events a Talkover
//! webhook receives (a call ended, a callback routed, a message received, in the webhook's
//! body less its `webhook_id` and `webhook_name`), and the configuration changes a console
//! shows (an agent, with its numbers and callback role; a number left unassigned).
//!
//! - [`kind`]: the event types and their names on the wire.
//! - [`filter`]: which events a stream carries (`types`, `agent_id`), one rule for the
//!   server's filter and anyone who wants to know what it will pass.
//! - [`sse`]: the Server-Sent Events framing, written by the server and read incrementally
//!   by the console and the npm package, chunk by chunk as they arrive.
//! - [`check`]: an event as a client reads it, checked: its name, its id, its body's shape.
//! - `body` (server only, behind `webhooks`): each event's body, built from stored records.

#[cfg(feature = "webhooks")]
pub mod body;
pub mod check;
pub mod error;
pub mod filter;
pub mod kind;
pub mod resume;
pub mod sse;

pub use check::{LiveEvent, StreamItem, read_message};
pub use error::LiveError;
pub use filter::EventFilter;
pub use kind::EventType;
pub use resume::{Gap, Resume, resume};
pub use sse::{SseDecoder, SseMessage};
