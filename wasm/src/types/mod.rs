//! The TypeScript shapes of every value that crosses the boundary.
//!
//! The core's types carry no JS dependency, so they cannot derive `Tsify`. These mirrors carry
//! the same serde attributes and derive the declarations instead; `tests/shapes.rs` serialises
//! real core values, reads them back through each mirror with unknown fields denied and
//! compares the JSON, so a field renamed or added in the core fails the build's tests until
//! its mirror follows. API-shaped data keeps the APIs' snake_case; the package's own argument
//! and result objects are camelCase.

#![allow(missing_docs)] // the fields mirror documented core types one to one

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// `'week' | 'month' | 'year'`.
#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PeriodName {
    Week,
    Month,
    Year,
}

/// An IANA time zone name, such as `America/New_York`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct ZoneName(pub String);

/// An RFC 3339 instant, such as `2024-03-10T07:00:00Z`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct Rfc3339(pub String);

/// A local date, `YYYY-MM-DD`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct LocalDate(pub String);

/// `loadTzdata`'s options.
#[derive(Tsify, Serialize, Deserialize, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadTzdataOptions {
    /// Take a table older than the one compiled in.
    #[serde(default)]
    #[tsify(optional)]
    pub allow_older: bool,
}

/// What `loadTzdata` put in force.
#[derive(Tsify, Serialize, Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TzdataLoaded {
    /// The release now in force.
    pub version: String,
    /// How many zones the table has.
    pub zones: u32,
}

/// `{ period, periodStart, periodEnd }`, bounds in UTC with seconds.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeriodBounds {
    pub period: PeriodName,
    pub period_start: String,
    pub period_end: String,
}

#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CallStatus {
    Initiated,
    Ringing,
    Answered,
    Completed,
    Failed,
    Busy,
    NoAnswer,
    Voicemail,
}

/// An agent status.
#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AgentStatus {
    Draft,
    Published,
}

/// A callback trigger status, spelled as Talkover's callback pages spell them.
#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TriggerStatus {
    Initiated,
    Ringing,
    Answered,
    Completed,
    Failed,
    Busy,
    NoAnswer,
    Voicemail,
}

mod agents;
mod calls;
mod checks;
mod reports;

pub use agents::*;
pub use calls::*;
pub use checks::*;
pub use reports::*;
