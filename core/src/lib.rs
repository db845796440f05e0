//! # dialback-core
//!
//! Every rule of Dialback, with no I/O: callback configuration and its validation, routing of
//! inbound calls to callback agents, callback stats, usage by agent over DST-correct calendar
//! periods, and validators for responses of any server speaking the Talkover and AgentPhone
//! shapes.
//!
//! The crate is deterministic. It reads no clock, file or network and draws no random
//! numbers: "now" and the time zone are arguments. The same code runs natively (the server),
//! in Node and browsers (the npm package) and in the admin console, so they cannot disagree.
//!
//! ```
//! use dialback_core::{usage_period, Period, Timestamp, Zone};
//!
//! let now = Timestamp::parse("2024-06-15T12:00:00Z")?;
//! let june = usage_period(Period::Month, Zone::parse("America/New_York")?, now);
//! assert_eq!(june.period_start.to_string(), "2024-06-01T04:00:00Z");
//! assert_eq!(june.period_end.to_string(), "2024-07-01T03:59:59Z");
//! # Ok::<(), dialback_core::TimeError>(())
//! ```
//!
//! ## Map
//! - [`agent`], [`phone`], [`call`]: the vocabulary (ids, E.164 numbers, statuses).
//! - [`time`]: instants, zones, the local-day rule, date ranges.
//! - [`callback`]: configuration, routing, stats.
//! - [`usage`]: periods, usage by agent, daily and monthly buckets.
//! - [`token`]: the shape of an API token.
//! - [`wire`]: the JSON shapes of both APIs and the response validators.
//!
//! Errors: each area has its own enum; all implement [`ErrorCode`], whose `code()` is the
//! stable string put on the wire. No function of this crate panics on any input.

pub mod agent;
pub mod call;
#[cfg(feature = "lists")]
pub mod call_list;
pub mod callback;
pub mod error;
mod hash;
#[cfg(feature = "live")]
pub mod live;
mod order;
pub mod phone;
mod prefetch;
mod slots;
pub mod source;
pub mod time;
pub mod token;
pub mod usage;
pub mod webhook;
pub mod wire;

pub use agent::{
    Agent, AgentDirectory, AgentId, AgentIdError, AgentProfile, AgentQuery, AgentRecord,
    AgentStatus, Direction, DirectoryError,
};
pub use call::{CallId, CallRecord, CallStatus, MessageRecord, StatusSet, call_agent};
#[cfg(feature = "lists")]
pub use call_list::{CallList, ListKey, ListPage};
pub use callback::stats::{AgentCallbackTotals, CallbackDay, CallbackStats, UNKNOWN_AGENT};
pub use callback::{
    CallbackConfig, CallbackLog, CallbackRecord, CallbackRouting, Caller, ConfigError, InboundCall,
    LastCall, LookbackDays, OutboundCall, OutboundIndex, Reason, Router, RoutingDecision,
    callback_stats, validate_callback_config,
};
pub use error::ErrorCode;
pub use phone::{NumberError, NumberId, NumberResource, PhoneError, PhoneNumber};
pub use time::{
    DateRange, OlderTables, TimeError, Timestamp, Tzdata, TzdataError, TzdataVersion, Zone,
};
pub use token::{ApiToken, TokenError};
pub use usage::by_agent::UNASSIGNED;
pub use usage::{
    Activity, ActivityLog, ActivityRecord, AgentUsage, AgentUsageLine, DayUsage, MonthUsage,
    NumberQuota, NumberUsage, Period, PeriodBounds, Plan, UsageSummary, Window, agent_side_number,
    usage_period,
};
pub use wire::validate::{
    Inconsistency, validate_callback_stats, validate_callback_stats_for, validate_usage_by_agent,
};
