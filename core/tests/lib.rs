//! dialback-core's integration tests: one binary, one module per area.

// Test code: a failing test should panic loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod architecture;
#[cfg(feature = "lists")]
mod call_list;
mod golden;
#[cfg(all(feature = "webhooks", feature = "live"))]
mod live;
mod properties;
#[cfg(feature = "sources")]
mod sources;
mod stats;
mod support;
mod tz_changed;
mod tz_reference;
mod tzdb;
mod usage;
mod validators;
