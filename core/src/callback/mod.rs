//! Callbacks: which inbound agent takes a contact's return call, and how those calls went.
//!
//! - [`config`]: a callback agent's configuration and its validation;
//! - [`routing`]: the once-per-call decision, made against an [`OutboundIndex`];
//! - [`stats`]: aggregation of routed callbacks over a date range.

pub mod config;
pub mod routing;
pub mod stats;

pub use config::{CallbackConfig, ConfigError, LookbackDays, validate_callback_config};
pub use routing::{Caller, InboundCall, LastCall, OutboundCall, OutboundIndex, Reason, Router, RoutingDecision};
pub use stats::{CallbackLog, CallbackRecord, callback_stats};

#[cfg(test)]
mod config_tests;
#[cfg(test)]
mod routing_tests;
