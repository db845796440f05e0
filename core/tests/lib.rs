//! dialback-core's integration tests: one binary, one module per area.

mod architecture;
mod golden;
mod properties;
mod stats;
mod support;
mod tz_reference;
mod usage;
mod validators;
