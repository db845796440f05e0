//! Routing an inbound call: is it a contact calling back after one of a callback agent's
//! source agents called them?
//!
//! This module is the vocabulary of a decision: who called, what was decided, and why, in
//! words a UI can show. [`Router`](crate::Router) makes decisions against an
//! [`OutboundIndex`](crate::OutboundIndex).
//!
//! Routing is a decision made **once**, when the call arrives, with the configuration in force
//! at that moment; whoever stores calls stores the decision with them and never recomputes it.

use serde::{Deserialize, Serialize};

use crate::agent::{AgentDirectory, AgentId};
use crate::call::{CallId, CallStatus, StatusSet};
use crate::callback::config::LookbackDays;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

/// Who is calling, as far as the network tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Caller {
    /// A valid number.
    Number(PhoneNumber),
    /// No number was presented (missing, empty, `withheld`, `private`, `restricted`,
    /// `unavailable`, `unknown`, `blocked`).
    Withheld,
    /// The network says `anonymous`.
    Anonymous,
    /// Something that is not a phone number.
    Invalid(String),
}

impl Caller {
    /// Classifies the `from` of an inbound call.
    pub fn parse(from: Option<&str>) -> Caller {
        let Some(raw) = from.map(str::trim) else {
            return Caller::Withheld;
        };
        if let Some(n) = PhoneNumber::parse_bytes(raw.as_bytes()) {
            return Caller::Number(n);
        }
        let lower = raw.to_ascii_lowercase();
        let user = lower.strip_prefix("sip:").unwrap_or(&lower);
        let user = user.split('@').next().unwrap_or(user);
        match user {
            "" | "withheld" | "private" | "restricted" | "unavailable" | "unknown" | "blocked" => {
                Caller::Withheld
            }
            "anonymous" => Caller::Anonymous,
            _ => Caller::Invalid(raw.chars().take(64).collect()),
        }
    }
}

/// An inbound call to route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundCall {
    /// The caller.
    pub from: Caller,
    /// The number dialed.
    pub to: PhoneNumber,
    /// When it arrived.
    pub at: Timestamp,
}

/// The outbound call a decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LastCall {
    /// The source agent that placed it.
    pub source_agent_id: AgentId,
    /// Its id.
    pub outbound_call_id: CallId,
    /// When it started.
    pub started_at: Timestamp,
    /// How it ended.
    pub status: CallStatus,
    /// Seconds between it and the inbound call.
    pub age_seconds: i64,
}

/// Why an inbound call to a callback agent matched no recent outbound call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Reason {
    /// The caller withheld their number.
    CallerWithheld,
    /// The caller is anonymous.
    CallerAnonymous,
    /// The caller's number is not a valid phone number (the call itself keeps what was
    /// presented; the reason stays small and `Copy`).
    CallerInvalid,
    /// No source agent ever called this number before the inbound call.
    NoOutboundCall,
    /// The most recent source call is older than the lookback window.
    OutsideLookback {
        /// That call.
        last_call: LastCall,
        /// The window.
        lookback_days: LookbackDays,
    },
    /// Source calls inside the window all ended in statuses that do not trigger callbacks.
    StatusNotTrigger {
        /// The most recent of them.
        last_call: LastCall,
        /// The statuses that would have counted.
        trigger_statuses: StatusSet,
    },
}

/// What routing decided for one inbound call. `Copy`: no heap data, so storing millions of
/// them is plain memory traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RoutingDecision {
    /// A callback: routed to the callback agent, attributed to the source agent whose call
    /// the contact is returning.
    Matched {
        /// The callback agent (owner of the dialed number).
        callback_agent_id: AgentId,
        /// The most recent qualifying source call to the caller.
        last_call: LastCall,
        /// The window it was inside.
        lookback_days: LookbackDays,
    },
    /// A call to a callback agent that is not a return of any recent source call.
    Unmatched {
        /// The callback agent.
        callback_agent_id: AgentId,
        /// Why not.
        reason: Reason,
    },
    /// The dialed number's owner is not a callback agent: an ordinary inbound call.
    NotCallbackAgent {
        /// The owner.
        agent_id: AgentId,
    },
    /// No agent owns the dialed number.
    NumberNotOwned {
        /// The dialed number.
        number: PhoneNumber,
    },
}

impl RoutingDecision {
    /// A stable machine-readable code for the decision: `MATCHED`, `NOT_CALLBACK_AGENT`,
    /// `NUMBER_NOT_OWNED`, or the unmatched [`Reason`]'s code.
    pub fn reason_code(&self) -> &'static str {
        match self {
            RoutingDecision::Matched { .. } => "MATCHED",
            RoutingDecision::NotCallbackAgent { .. } => "NOT_CALLBACK_AGENT",
            RoutingDecision::NumberNotOwned { .. } => "NUMBER_NOT_OWNED",
            RoutingDecision::Unmatched { reason, .. } => match reason {
                Reason::CallerWithheld => "CALLER_WITHHELD",
                Reason::CallerAnonymous => "CALLER_ANONYMOUS",
                Reason::CallerInvalid => "CALLER_INVALID",
                Reason::NoOutboundCall => "NO_OUTBOUND_CALL",
                Reason::OutsideLookback { .. } => "OUTSIDE_LOOKBACK",
                Reason::StatusNotTrigger { .. } => "STATUS_NOT_TRIGGER",
            },
        }
    }

    /// The agent the call goes to, if any agent owns the dialed number.
    pub fn routed_to(&self) -> Option<AgentId> {
        match self {
            RoutingDecision::Matched {
                callback_agent_id, ..
            }
            | RoutingDecision::Unmatched {
                callback_agent_id, ..
            } => Some(*callback_agent_id),
            RoutingDecision::NotCallbackAgent { agent_id } => Some(*agent_id),
            RoutingDecision::NumberNotOwned { .. } => None,
        }
    }

    /// Whether the call hit a callback agent (matched or not): what callback stats count.
    pub fn is_callback(&self) -> bool {
        matches!(
            self,
            RoutingDecision::Matched { .. } | RoutingDecision::Unmatched { .. }
        )
    }

    /// The source agent a matched callback is attributed to.
    pub fn source_agent_id(&self) -> Option<AgentId> {
        match self {
            RoutingDecision::Matched { last_call, .. } => Some(last_call.source_agent_id),
            _ => None,
        }
    }
}

impl RoutingDecision {
    /// The decision in plain words, with agent names from `names`, e.g. "matched: Sales
    /// Outbound called this contact 3 days ago (within the 30-day window)".
    pub fn explain(&self, names: &AgentDirectory) -> String {
        let name = |id: &AgentId| {
            names
                .get(id)
                .map_or_else(|| format!("agent {id}"), |a| a.name.clone())
        };
        match self {
            RoutingDecision::Matched {
                last_call,
                lookback_days,
                ..
            } => format!(
                "matched: {} called this contact {} (within the {}-day window)",
                name(&last_call.source_agent_id),
                ago(last_call.age_seconds),
                lookback_days.days()
            ),
            RoutingDecision::NotCallbackAgent { agent_id } => {
                format!(
                    "not a callback: {} owns this number but is not a callback agent",
                    name(agent_id)
                )
            }
            RoutingDecision::NumberNotOwned { number } => {
                format!("not routed: no agent owns {number}")
            }
            RoutingDecision::Unmatched {
                callback_agent_id,
                reason,
            } => match reason {
                Reason::CallerWithheld => "unmatched: the caller withheld their number".to_owned(),
                Reason::CallerAnonymous => "unmatched: the caller is anonymous".to_owned(),
                Reason::CallerInvalid => {
                    "unmatched: the caller's number is not a valid phone number".to_owned()
                }
                Reason::NoOutboundCall => format!(
                    "unmatched: none of {}'s source agents has called this contact before",
                    name(callback_agent_id)
                ),
                Reason::OutsideLookback {
                    last_call,
                    lookback_days,
                } => format!(
                    "unmatched: the last call from {} to this contact was {}, outside the {}-day \
                     window",
                    name(&last_call.source_agent_id),
                    ago(last_call.age_seconds),
                    lookback_days.days()
                ),
                Reason::StatusNotTrigger {
                    last_call,
                    trigger_statuses,
                } => format!(
                    "unmatched: the last call from {} to this contact ({}) ended {}, and only \
                     calls that ended {} trigger callbacks",
                    name(&last_call.source_agent_id),
                    ago(last_call.age_seconds),
                    last_call.status,
                    trigger_statuses
                        .iter()
                        .map(CallStatus::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            },
        }
    }
}

/// "3 days ago", "5 hours ago", "1 minute ago".
fn ago(seconds: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" });
    match seconds {
        ..60 => "less than a minute ago".to_owned(),
        60..3_600 => plural(seconds / 60, "minute"),
        3_600..172_800 => plural(seconds / 3_600, "hour"),
        _ => plural(seconds / 86_400, "day"),
    }
}
