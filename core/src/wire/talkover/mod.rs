//! Talkover's shapes (snake_case), as its documentation prints them: the `{"success": ..}`
//! envelopes, the two pagination layouts, the error body, and the objects of each area.
//!
//! - [`agents`]: the agent object, its phone numbers, and the callback endpoints' views of it;
//! - [`numbers`]: the phone number object;
//! - [`calls`]: the call object, routing decisions, imports;
//! - [`stats`]: callback stats;
//! - [`service`]: health and the connected token;
//! - [`sources`]: the platforms an environment syncs from (an extension).

pub mod agents;
pub mod calls;
pub mod numbers;
pub mod service;
pub mod sources;
pub mod stats;
pub mod webhooks;

use serde::{Deserialize, Serialize};

use super::FieldError;

pub use agents::{
    AgentBody, AgentRef, CallbackAgentCreated, CallbackAgentDetail, CallbackAgentItem,
    CallbackAgentSummary, CallbackAgentTotals, CallbackAgentUpdated, CallbackConfigBody,
    CallingSettings, CheckConstraintsRequest, PhoneNumberRef, SetCallbackRequest, SourceAgent,
};
pub use calls::{CallBody, CallItem, ImportReport, MessageBody as MessageObject, RoutingBody};
pub use numbers::PhoneNumberBody;
pub use service::{Health, HealthStatus, TokenBody};
pub use stats::{CallbackStatsData, CallbackStatsDay, SourceAgentCount, StatsPeriod};

/// `{"success": true, "data": ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "openapi", schemars(rename = "{T}Envelope"))]
pub struct Envelope<T> {
    /// Always `true` on success.
    pub success: bool,
    /// The payload.
    pub data: T,
}

impl<T> Envelope<T> {
    /// A successful envelope.
    pub fn ok(data: T) -> Self {
        Envelope {
            success: true,
            data,
        }
    }
}

/// `{"success": true, "message": ..., "data": ...}`: what the agent mutations answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "openapi", schemars(rename = "{T}MessageEnvelope"))]
pub struct MessageEnvelope<T> {
    /// Always `true` on success.
    pub success: bool,
    /// What happened, e.g. `Agent created successfully`.
    pub message: String,
    /// The payload.
    pub data: T,
}

impl<T> MessageEnvelope<T> {
    /// A successful envelope with a message.
    pub fn ok(message: &str, data: T) -> Self {
        MessageEnvelope {
            success: true,
            message: message.to_owned(),
            data,
        }
    }
}

/// `{"success": true, "message": "Callback role removed"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MessageBody {
    /// Always `true`.
    pub success: bool,
    /// What happened.
    pub message: String,
}

impl MessageBody {
    /// A success with a message and no data.
    pub fn ok(message: &str) -> Self {
        MessageBody {
            success: true,
            message: message.to_owned(),
        }
    }
}

/// `meta` of `GET /api/v1/agents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PageMeta {
    /// 1-based page number.
    pub current_page: u64,
    /// Page size.
    pub per_page: u64,
    /// Items over all pages.
    pub total: u64,
    /// Last page number (at least 1).
    pub last_page: u64,
}

impl PageMeta {
    /// The paging of page `page` (1-based) of `per_page` items out of `total`.
    pub fn new(page: u64, per_page: u64, total: u64) -> Self {
        PageMeta {
            current_page: page,
            per_page,
            total,
            last_page: last_page(total, per_page),
        }
    }
}

/// The last page of `total` items at `per_page` a page: at least 1 (an empty list has one
/// empty page), and no division by zero whatever `per_page` is.
pub fn last_page(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}

/// `{"success": true, "data": [...], "meta": {...}}`: the agent list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "openapi", schemars(rename = "{T}Page"))]
pub struct Page<T> {
    /// Always `true`.
    pub success: bool,
    /// This page's items.
    pub data: Vec<T>,
    /// Paging.
    pub meta: PageMeta,
}

/// `pagination` of the call lists: Laravel's paginator, `from`/`to` being the 1-based
/// positions of the page's first and last items (`null` on an empty page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Pagination {
    /// 1-based page number.
    pub current_page: u64,
    /// Last page number (at least 1).
    pub last_page: u64,
    /// Page size.
    pub per_page: u64,
    /// Items over all pages.
    pub total: u64,
    /// Position of the page's first item.
    pub from: Option<u64>,
    /// Position of the page's last item.
    pub to: Option<u64>,
}

impl Pagination {
    /// The paging of page `page` (1-based) of `per_page` items out of `total`, holding `len`.
    pub fn new(page: u64, per_page: u64, total: u64, len: u64) -> Self {
        let first = page.saturating_sub(1).saturating_mul(per_page) + 1;
        Pagination {
            current_page: page,
            last_page: last_page(total, per_page),
            per_page,
            total,
            from: (len > 0).then_some(first),
            to: (len > 0).then(|| first + len - 1),
        }
    }
}

/// `{"success": true, "data": [...], "pagination": {...}}`: the call lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "openapi", schemars(rename = "{T}CallsPage"))]
pub struct CallsPage<T> {
    /// Always `true`.
    pub success: bool,
    /// This page's items.
    pub data: Vec<T>,
    /// Paging.
    pub pagination: Pagination,
}

/// How many problems an error body lists before it only counts the rest.
pub const MAX_LISTED_PROBLEMS: usize = 20;

/// Talkover's error body. The documented keys, `success`, `message` and `code` (the first
/// problem's), then two of ours:
/// - `errors`: Laravel's validation map, field to messages (`source_agent_ids.1` for an
///   array entry), the shape Talkover's own 422 example uses;
/// - `details`: every problem with its stable code, field and index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// Always `false` (absent in Laravel's validation body, which some pages show).
    #[serde(default)]
    pub success: bool,
    /// The first problem's message.
    pub message: String,
    /// The first problem's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Messages by field (validation errors only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<std::collections::BTreeMap<String, Vec<String>>>,
    /// Every problem, coded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<FieldError>>,
}

impl ErrorBody {
    /// The body for a list of problems (the first one leads); `None` if the list is empty.
    /// `errors` (the field map) is filled for validation problems, those about a field of
    /// the request.
    ///
    /// At most [`MAX_LISTED_PROBLEMS`] are listed, then one `MORE_PROBLEMS` entry counting the
    /// rest: an answer stays small whatever the request held (a thousand bad numbers are not
    /// echoed a thousand times).
    pub fn from_errors(mut problems: Vec<FieldError>) -> Option<Self> {
        let first = problems.first()?.clone();
        if problems.len() > MAX_LISTED_PROBLEMS {
            let more = problems.len() - MAX_LISTED_PROBLEMS;
            problems.truncate(MAX_LISTED_PROBLEMS);
            problems.push(FieldError::new(
                "MORE_PROBLEMS",
                format!("{more} more problems are not listed; fix these and send again"),
                "",
                None,
            ));
        }
        let mut by_field: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for p in problems.iter().filter(|p| !p.field.is_empty()) {
            let key = match p.index {
                Some(i) => format!("{}.{i}", p.field),
                None => p.field.clone(),
            };
            by_field.entry(key).or_default().push(p.message.clone());
        }
        Some(ErrorBody {
            success: false,
            message: first.message,
            code: Some(first.code),
            errors: (!by_field.is_empty()).then_some(by_field),
            details: Some(problems),
        })
    }

    /// The coded problems this body carries, whichever of its shapes a server used: our
    /// `details`, or just `code` and `message` (the seed's shape).
    pub fn problems(&self) -> Vec<FieldError> {
        if let Some(details) = self.details.as_ref().filter(|d| !d.is_empty()) {
            return details.clone();
        }
        let code = self.code.clone().unwrap_or_default();
        let field = crate::callback::ConfigError::field_of_code(&code).unwrap_or("");
        let mut out = vec![FieldError::new(&code, self.message.clone(), field, None)];
        // a Laravel map alone still says which field each message is about
        if let Some(map) = &self.errors {
            out = map
                .iter()
                .flat_map(|(key, messages)| {
                    let (field, index) = match key.rsplit_once('.') {
                        Some((f, i)) if i.parse::<usize>().is_ok() => (f, i.parse().ok()),
                        _ => (key.as_str(), None),
                    };
                    messages
                        .iter()
                        .map(move |m| FieldError::new("VALIDATION_ERROR", m.clone(), field, index))
                })
                .collect();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_page_layouts_have_one_last_page_rule() {
        assert_eq!(last_page(0, 20), 1);
        assert_eq!(last_page(20, 20), 1);
        assert_eq!(last_page(21, 20), 2);
        // a zero page size (no parser gives one) divides nothing by zero
        assert_eq!(last_page(5, 0), 5);
        assert_eq!(
            PageMeta::new(2, 10, 25).last_page,
            Pagination::new(2, 10, 25, 5).last_page
        );
    }

    #[test]
    fn an_error_body_lists_twenty_problems_then_counts_the_rest() {
        let problems: Vec<FieldError> = (0..1000)
            .map(|i| {
                FieldError::new(
                    "INVALID_PHONE_NUMBER",
                    "bad number",
                    "phone_numbers",
                    Some(i),
                )
            })
            .collect();
        let body = ErrorBody::from_errors(problems).unwrap_or_else(|| unreachable!());
        let details = body.details.unwrap_or_default();
        assert_eq!(details.len(), MAX_LISTED_PROBLEMS + 1);
        assert_eq!(
            details.last().map(|d| d.code.as_str()),
            Some("MORE_PROBLEMS")
        );
        assert!(
            details
                .last()
                .is_some_and(|d| d.message.starts_with("980 more"))
        );
        assert_eq!(body.errors.map(|e| e.len()), Some(MAX_LISTED_PROBLEMS));
        assert_eq!(body.code.as_deref(), Some("INVALID_PHONE_NUMBER"));
    }
}
