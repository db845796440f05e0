//! An environment's plan: the limits AgentPhone's `GET /v1/usage` reports beside usage.
//!
//! Dialback bills nothing and enforces none of these limits; an operator sets them
//! (`dialback env plan`) so that clients that show "used of limit" have numbers to show.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;

/// A plan's name and limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// Its name, e.g. `pro`.
    pub name: String,
    /// Phone numbers an environment may hold.
    pub numbers: u32,
    /// Messages a month.
    pub messages_per_month: u32,
    /// Minutes of calls a month.
    pub voice_minutes_per_month: u32,
    /// The longest call, in minutes.
    pub max_call_duration_minutes: u32,
    /// Calls at once.
    pub concurrent_calls: u32,
}

impl Default for Plan {
    /// Limits generous enough that a self-hosted team never sees "0 remaining" by surprise;
    /// the longest call matches the longest call Dialback accepts (a day).
    fn default() -> Self {
        Plan {
            name: "self-hosted".to_owned(),
            numbers: 100,
            messages_per_month: 100_000,
            voice_minutes_per_month: 100_000,
            max_call_duration_minutes: 1_440,
            concurrent_calls: 100,
        }
    }
}

/// Why a plan was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid plan name {0:?}: 1 to 64 printable characters")]
pub struct PlanError(pub String);

impl ErrorCode for PlanError {
    fn code(&self) -> &'static str {
        "INVALID_PLAN"
    }
}

impl Plan {
    /// Checks the name (limits are any `u32`).
    pub fn validate(self) -> Result<Self, PlanError> {
        let chars = self.name.chars().count();
        if chars == 0 || chars > 64 || self.name.chars().any(char::is_control) {
            return Err(PlanError(crate::time::clip(&self.name)));
        }
        Ok(self)
    }

    /// Numbers used, the limit, and what remains (never below zero: a limit lowered under
    /// what is held leaves nothing to add, and takes nothing away).
    pub fn numbers_quota(&self, used: u64) -> NumberQuota {
        let limit = u64::from(self.numbers);
        NumberQuota {
            used,
            limit,
            remaining: limit.saturating_sub(used),
        }
    }
}

/// `numbers` of `GET /v1/usage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NumberQuota {
    /// Numbers held.
    pub used: u64,
    /// The plan's limit.
    pub limit: u64,
    /// `limit - used`, at least 0.
    pub remaining: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_never_goes_below_zero() {
        let plan = Plan {
            numbers: 3,
            ..Plan::default()
        };
        assert_eq!(plan.numbers_quota(1).remaining, 2);
        assert_eq!(plan.numbers_quota(5).remaining, 0);
    }

    #[test]
    fn names_are_checked() {
        assert!(Plan::default().validate().is_ok());
        for bad in ["", "a\nb", &"x".repeat(65)] {
            let plan = Plan {
                name: bad.to_owned(),
                ..Plan::default()
            };
            assert_eq!(plan.validate().unwrap_err().code(), "INVALID_PLAN");
        }
    }
}
