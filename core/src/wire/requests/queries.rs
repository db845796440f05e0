//! The list endpoints' query strings: `GET /api/v1/agents`, `GET /api/v1/calls` (and an
//! agent's calls), `GET /api/v1/phone-numbers`. Each parses into a typed query whose
//! `matches` is the rule; a server that filters in SQL translates the typed query and is
//! tested against `matches`.

use std::collections::HashMap;

use serde_json::Value;

use super::{Expected, MAX_SEARCH_CHARS, RequestError};
use crate::agent::{AgentId, AgentQuery, AgentStatus, Direction};
use crate::call::{CallRecord, CallStatus};
use crate::phone::{NumberResource, PhoneNumber};
use crate::time::{DateRange, Timestamp, Zone, parse_date};
use crate::wire::talkover::{PageMeta, Pagination};

/// The largest page a list serves.
pub const MAX_PER_PAGE: u64 = 100;
/// The page size when none is asked for (Talkover's documented default).
pub const DEFAULT_PER_PAGE: u64 = 20;

/// Query parameters by name.
pub type Params = HashMap<String, String>;

/// A parameter's value. An empty value is a value, and wrong for every parameter that has a
/// format (`?direction=` is refused, not ignored): what a client sends is what it means.
fn get<'a>(q: &'a Params, name: &str) -> Option<&'a str> {
    q.get(name).map(String::as_str)
}

fn invalid(field: &'static str, expected: Expected, got: &str) -> RequestError {
    RequestError::invalid(field, expected, &Value::from(got))
}

/// `page` and `per_page`, as parsed: the page is at least 1 and `per_page` 1 to 100, so no
/// shell can build one that divides by zero or skips to page 0 (the fields are private; the
/// page of a list and its metadata come from here):
///
/// ```compile_fail
/// use dialback_core::wire::requests::queries::Paging;
/// let zero = Paging { page: 0, per_page: 0 };
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    page: u64,
    per_page: u64,
}

impl Paging {
    fn parse(q: &Params, errors: &mut Vec<RequestError>) -> Paging {
        let mut read = |field: &'static str, default: u64, max: u64| match get(q, field) {
            None => default,
            Some(v) => match v.parse::<u64>().ok().filter(|n| (1..=max).contains(n)) {
                Some(n) => n,
                None => {
                    errors.push(invalid(field, Expected::Page(max), v));
                    default
                }
            },
        };
        Paging {
            page: read("page", 1, 1_000_000_000),
            per_page: read("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
        }
    }

    /// How many items come before this page.
    pub fn offset(&self) -> u64 {
        self.page.saturating_sub(1).saturating_mul(self.per_page)
    }

    /// The 1-based page asked for.
    pub fn page(&self) -> u64 {
        self.page
    }

    /// Items per page, 1 to 100.
    pub fn per_page(&self) -> u64 {
        self.per_page
    }

    /// This page of `items` (every match, in order) and the agent list's metadata.
    pub fn page_of<T>(&self, items: impl ExactSizeIterator<Item = T>) -> (Vec<T>, PageMeta) {
        let total = items.len() as u64;
        let skip = usize::try_from(self.offset()).unwrap_or(usize::MAX);
        let take = usize::try_from(self.per_page).unwrap_or(usize::MAX);
        let page = items.skip(skip).take(take).collect();
        (page, PageMeta::new(self.page, self.per_page, total))
    }

    /// The call lists' metadata for this page, holding `len` of `total` items.
    pub fn pagination(&self, total: u64, len: usize) -> Pagination {
        Pagination::new(self.page, self.per_page, total, len as u64)
    }
}

fn direction(q: &Params, errors: &mut Vec<RequestError>) -> Option<Direction> {
    let v = get(q, "direction")?;
    let d = Direction::parse(v);
    if d.is_none() {
        errors.push(invalid("direction", Expected::Direction, v));
    }
    d
}

fn search(q: &Params, errors: &mut Vec<RequestError>) -> String {
    match get(q, "search") {
        Some(s) if s.chars().count() > MAX_SEARCH_CHARS => {
            errors.push(invalid("search", Expected::Text(MAX_SEARCH_CHARS), s));
            String::new()
        }
        Some(s) => s.to_owned(),
        None => String::new(),
    }
}

fn finish<T>(value: T, errors: Vec<RequestError>) -> Result<T, Vec<RequestError>> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}

/// `GET /api/v1/agents?status=&direction=&search=&page=&per_page=`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentListQuery {
    /// Which agents.
    pub filter: AgentQuery,
    /// Which page.
    pub paging: Paging,
}

/// Parses the agent list's query.
pub fn parse_agent_list(q: &Params) -> Result<AgentListQuery, Vec<RequestError>> {
    let mut errors = Vec::new();
    let status = get(q, "status").and_then(|v| {
        let s = AgentStatus::parse(v);
        if s.is_none() {
            errors.push(invalid("status", Expected::AgentStatus, v));
        }
        s
    });
    let direction = direction(q, &mut errors);
    let text = search(q, &mut errors);
    let paging = Paging::parse(q, &mut errors);
    finish(
        AgentListQuery {
            filter: AgentQuery::new(&text, direction, status),
            paging,
        },
        errors,
    )
}

/// Which agent's calls a call list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AgentFilter {
    /// Every call.
    #[default]
    Any,
    /// One agent's calls (outbound calls it placed, inbound calls it took).
    Agent(AgentId),
    /// An id that names no agent here: no call.
    Unknown,
}

/// The text search of the call lists: a call's SID (`external_id`) starting with the text
/// (case-sensitive, as ids are), or, when the text reads as a number, its `to` or `from`,
/// written without [`CallSearch::FORMATTING`], containing the text's digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSearch {
    /// The text as given, trimmed, matched against the start of SIDs (`None`: SIDs are not
    /// searched).
    pub text: Option<String>,
    /// The digits matched against numbers (`None`: numbers are not searched).
    pub digits: Option<String>,
}

impl CallSearch {
    /// The characters a number is compared without: the formatting people type.
    pub const FORMATTING: [char; 5] = [' ', '-', '.', '(', ')'];

    fn new(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let number_like = text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        Some(CallSearch {
            text: Some(text.to_owned()),
            digits: (number_like && digits.len() >= 3).then_some(digits),
        })
    }

    /// AgentPhone's search: the text's digits against the from and to numbers only (text
    /// without digits matches nothing).
    pub fn numbers_only(text: &str) -> Self {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        CallSearch {
            text: None,
            digits: (!digits.is_empty()).then_some(digits),
        }
    }

    /// Whether a call matches: its SID starts with the text (SIDs are identifiers people
    /// paste whole or begin; a prefix can be found through an index, where text anywhere in
    /// a SID would mean reading every call), or one of its numbers holds the digits.
    pub fn matches(&self, call: &CallRecord) -> bool {
        let sid = match (&self.text, call.external_id.as_deref()) {
            (Some(text), Some(sid)) => sid.starts_with(text.as_str()),
            _ => false,
        };
        let number = |n: &str| {
            self.digits.as_deref().is_some_and(|d| {
                n.chars()
                    .filter(|c| !Self::FORMATTING.contains(c))
                    .collect::<String>()
                    .contains(d)
            })
        };
        sid || number(&call.to.to_string()) || call.from.as_deref().is_some_and(number)
    }
}

/// The filters of `GET /api/v1/calls` and `GET /api/v1/agents/{id}/calls`; the default
/// passes every call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallFilter {
    /// Only this status.
    pub status: Option<CallStatus>,
    /// Only this direction.
    pub direction: Option<Direction>,
    /// Only this agent's.
    pub agent: AgentFilter,
    /// Started at or after this instant (the start of `date_from` in `tz`).
    pub since: Option<Timestamp>,
    /// Started before this many Unix seconds (the end of `date_to` in `tz`).
    pub until: Option<i64>,
    /// Text search.
    pub search: Option<CallSearch>,
    /// Only calls whose agent-side number (the dialed number of an inbound call, the calling
    /// number of an outbound one) is this.
    pub number: Option<PhoneNumber>,
}

impl CallFilter {
    /// Whether a stored call passes every filter.
    pub fn matches(&self, call: &CallRecord) -> bool {
        self.status.is_none_or(|s| s == call.status)
            && self.direction.is_none_or(|d| d == call.direction)
            && match self.agent {
                AgentFilter::Any => true,
                AgentFilter::Agent(a) => call.agent_id == Some(a),
                AgentFilter::Unknown => false,
            }
            && self.since.is_none_or(|t| call.started_at >= t)
            && self
                .until
                .is_none_or(|t| call.started_at.unix_seconds() < t)
            && self.search.as_ref().is_none_or(|s| s.matches(call))
            && self.number.is_none_or(|n| {
                let from = call
                    .from
                    .as_deref()
                    .and_then(|f| PhoneNumber::parse(f).ok());
                crate::usage::agent_side_number(call.direction, from, Some(call.to)) == Some(n)
            })
    }
}

/// A call list query: filters and a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallListQuery {
    /// Which calls.
    pub filter: CallFilter,
    /// Which page.
    pub paging: Paging,
}

/// Parses a call list's query. `agent` is the path's agent for `GET /agents/{id}/calls`
/// (then `agent_id` is not read). Dates are local days in `tz` (our extension; UTC by
/// default), both ends inclusive.
pub fn parse_call_list(
    q: &Params,
    agent: Option<AgentId>,
) -> Result<CallListQuery, Vec<RequestError>> {
    let mut errors = Vec::new();
    let status = get(q, "status").and_then(|v| {
        let s = CallStatus::parse(v);
        if s.is_none() {
            errors.push(invalid("status", Expected::CallStatus, v));
        }
        s
    });
    let direction = direction(q, &mut errors);
    let agent = match agent {
        Some(a) => AgentFilter::Agent(a),
        None => match get(q, "agent_id") {
            None => AgentFilter::Any,
            // any string is an id somewhere; one that is not ours matches nothing
            Some(v) => AgentId::parse(v).map_or(AgentFilter::Unknown, AgentFilter::Agent),
        },
    };
    let zone = match get(q, "tz") {
        None => Zone::UTC,
        Some(name) => Zone::parse(name).unwrap_or_else(|_| {
            errors.push(RequestError::invalid(
                "tz",
                Expected::String,
                &Value::from(name),
            ));
            Zone::UTC
        }),
    };
    let mut date = |field: &'static str| {
        get(q, field).and_then(|v| {
            let d = parse_date(v);
            if d.is_none() {
                errors.push(invalid(field, Expected::Date, v));
            }
            d
        })
    };
    let (from, to) = (date("date_from"), date("date_to"));
    let since = from.map(|d| zone.day_start(d));
    let until = to.map(|d| DateRange::day_end_secs(zone, d));
    let text = search(q, &mut errors);
    let paging = Paging::parse(q, &mut errors);
    finish(
        CallListQuery {
            filter: CallFilter {
                status,
                direction,
                agent,
                since,
                until,
                search: CallSearch::new(&text),
                number: None,
            },
            paging,
        },
        errors,
    )
}

/// `GET /api/v1/phone-numbers?type=&has_voice=&has_whatsapp=&search=`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NumberListQuery {
    /// Only numbers of this type (`voice`, `sms`, `whatsapp`, `mms`, `fax`).
    pub kind: Option<String>,
    /// Only numbers that do (or do not) take calls.
    pub has_voice: Option<bool>,
    /// Only numbers that do (or do not) take WhatsApp.
    pub has_whatsapp: Option<bool>,
    /// Number (digits) or id.
    pub search: Option<String>,
}

/// A `true`/`false` parameter, if given; anything else is refused (`INVALID_BOOLEAN`).
fn boolean(q: &Params, field: &'static str, errors: &mut Vec<RequestError>) -> Option<bool> {
    get(q, field).and_then(|v| match v {
        "true" => Some(true),
        "false" => Some(false),
        other => {
            errors.push(invalid(field, Expected::Boolean, other));
            None
        }
    })
}

/// `POST /api/v1/calls/import?webhooks=`: whether the import sends each stored call's webhook
/// events. Off unless `true`: a backfill is history, not news.
pub fn parse_import(q: &Params) -> Result<bool, Vec<RequestError>> {
    let mut errors = Vec::new();
    let webhooks = boolean(q, "webhooks", &mut errors).unwrap_or(false);
    finish(webhooks, errors)
}

/// Parses the number list's query.
pub fn parse_number_list(q: &Params) -> Result<NumberListQuery, Vec<RequestError>> {
    let mut errors = Vec::new();
    let kind = get(q, "type").and_then(|v| {
        let ok = matches!(v, "voice" | "sms" | "whatsapp" | "mms" | "fax");
        if !ok {
            errors.push(invalid("type", Expected::String, v));
        }
        ok.then(|| v.to_owned())
    });
    let has_voice = boolean(q, "has_voice", &mut errors);
    let has_whatsapp = boolean(q, "has_whatsapp", &mut errors);
    let text = search(q, &mut errors);
    finish(
        NumberListQuery {
            kind,
            has_voice,
            has_whatsapp,
            search: Some(text.trim().to_owned()).filter(|s| !s.is_empty()),
        },
        errors,
    )
}

impl NumberListQuery {
    /// Whether a number matches. Every number here is a voice number that also takes
    /// messages, and none takes WhatsApp.
    pub fn matches(&self, n: &NumberResource) -> bool {
        let kind_ok = self.kind.as_deref().is_none_or(|k| k == "voice");
        let voice_ok = self.has_voice.is_none_or(|v| v);
        let whatsapp_ok = self.has_whatsapp.is_none_or(|w| !w);
        let search_ok = self.search.as_deref().is_none_or(|s| {
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            n.id.to_string() == s.to_ascii_lowercase()
                || (!digits.is_empty() && n.number.to_string().contains(&digits))
        });
        kind_ok && voice_ok && whatsapp_ok && search_ok
    }
}

#[cfg(test)]
#[path = "queries_tests.rs"]
mod tests;
