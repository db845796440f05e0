//! # dialback-wasm
//!
//! The thin layer between `dialback-core` and JavaScript: the code behind the `dialback-core`
//! npm package (built by `cargo xtask pkg`). Every function here converts its arguments,
//! calls the core and converts the answer; no rule lives here.
//!
//! Conventions, the same in every export:
//! - API-shaped data (agents, calls, stats and usage responses) keeps the APIs' JSON shapes;
//!   the package's own arguments and results are camelCase;
//! - failures throw an `Error` named `DialbackError` whose `code` is the core's stable code
//!   (and whose `errors` lists every problem when there are several);
//! - nothing here panics on any input, so one bad call never poisons the module.

mod boundary;
mod call_log;
mod checks;
mod columns;
mod period;
mod router;
pub mod types;
mod tzdata;

pub use boundary::MAX_INPUT_BYTES;
pub use call_log::CallLog;
pub use checks::{
    validate_callback_config, validate_callback_stats_js as validate_callback_stats,
    validate_request, validate_usage_by_agent_js as validate_usage_by_agent,
};
pub use period::{parse_phone_number, usage_period, zone_names};
pub use router::CallbackRouter;
pub use tzdata::{load_tzdata, tzdata_version};
