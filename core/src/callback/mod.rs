//! Callbacks: which inbound agent takes a contact's return call, and how those calls went.
//!
//! - [`config`]: a callback agent's configuration and its validation;
//! - [`index`]: every outbound call by contact, what routing looks calls up in;
//! - `routes`: what each dialed number leads to, from the directory;
//! - [`router`] and [`routing`]: the once-per-call decision and its reasons;
//! - [`CallbackRouting`]: the index and its routes, held together;
//! - [`stats`]: aggregation of routed callbacks over a date range, in total and by day;
//! - [`trend`]: shares and changes against the previous period, for an overview.

pub mod config;
pub mod index;
pub mod router;
mod routes;
pub mod routing;
mod routing_state;
pub mod stats;
pub mod trend;

pub use config::{CallbackConfig, ConfigError, LookbackDays, validate_callback_config};
pub use index::{OutboundCall, OutboundIndex};
pub use router::Router;
pub use routing::{Caller, InboundCall, LastCall, Reason, RoutingDecision};
pub use routing_state::CallbackRouting;
pub use stats::{CallbackLog, CallbackRecord, callback_stats};

#[cfg(test)]
mod config_tests;
#[cfg(test)]
mod routing_tests;
