//! Callbacks: which inbound agent takes a contact's return call, and how those calls went.
//!
//! - [`config`]: a callback agent's configuration and its validation;
//! - [`index`]: every outbound call by contact, what routing looks calls up in;
//! - [`routes`]: what each dialed number leads to, from the directory;
//! - [`router`] and [`routing`]: the once-per-call decision and its reasons;
//! - [`stats`]: aggregation of routed callbacks over a date range.

pub mod config;
pub mod index;
pub mod router;
pub mod routes;
pub mod routing;
pub mod stats;

pub use config::{CallbackConfig, ConfigError, LookbackDays, validate_callback_config};
pub use index::{OutboundCall, OutboundIndex};
pub use router::Router;
pub use routes::Routes;
pub use routing::{Caller, InboundCall, LastCall, Reason, RoutingDecision};
pub use stats::{CallbackLog, CallbackRecord, callback_stats};

#[cfg(test)]
mod config_tests;
#[cfg(test)]
mod routing_tests;
