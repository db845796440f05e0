//! Usage: messages, completed calls and call seconds per agent, per calendar period and per
//! local day.
//!
//! - [`period`]: the current week, month or year in a zone, with the DST rule for its bounds;
//! - [`activity`]: the columnar log of activity records aggregations run over;
//! - [`by_agent`] and [`buckets`]: the aggregations.

pub mod activity;
pub mod buckets;
pub mod by_agent;
pub mod period;

pub use activity::{Activity, ActivityLog, ActivityRecord, call_agent};
pub use buckets::{DayUsage, MonthUsage};
pub use period::{Period, PeriodBounds, usage_period};
