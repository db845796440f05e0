//! Usage: messages, completed calls and call seconds per agent, per calendar period and per
//! local day.
//!
//! - [`period`]: the current week, month or year in a zone, with the DST rule for its bounds;
//! - [`activity`]: the columnar log of activity records aggregations run over;
//! - [`by_agent`], [`buckets`] and [`summary`]: the aggregations.

pub mod activity;
pub mod buckets;
pub mod by_agent;
pub mod period;
pub mod plan;
pub mod summary;

pub use activity::{Activity, ActivityLog, ActivityRecord, agent_side_number};
pub use buckets::{DayUsage, MonthUsage};
pub use by_agent::{AgentUsage, AgentUsageLine};
pub use period::{Period, PeriodBounds, usage_period};
pub use plan::{NumberQuota, Plan};
pub use summary::{NumberUsage, UsageSummary, Window};
