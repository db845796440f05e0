//! Talkover's documented list pages, read into platform records: `GET /api/v1/agents`
//! (`meta`), `/api/v1/phone-numbers` (one page), `/api/v1/callback-agents` (one page) and
//! `/api/v1/calls` (`pagination`, `date_from`). Only documented keys are read, so the real
//! platform works; Dialback's extensions are neither needed nor read.

use super::calls::{PlatformCall, Progress};
use super::merge::{PlatformAgent, PlatformCallback, PlatformNumber};
use super::page::{Object, Read, read_document};
use crate::agent::AgentStatus;
use crate::call::CallStatus;
use crate::time::Timestamp;

/// Items of one page, and the last page's number.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    /// This page's items.
    pub items: Vec<T>,
    /// The last page (at least 1).
    pub last_page: u64,
}

/// Calls and agents are read 100 to a page, the documented maximum of the call lists.
pub const PER_PAGE: u64 = 100;

/// The path and query of an agent list page.
pub fn agents_path(page: u64) -> String {
    format!("/api/v1/agents?page={page}&per_page={PER_PAGE}")
}

/// The path of the number list (not paginated).
pub const NUMBERS_PATH: &str = "/api/v1/phone-numbers";

/// The path of the callback agents' list (not paginated).
pub const CALLBACK_AGENTS_PATH: &str = "/api/v1/callback-agents";

/// The path and query of a call list page: from `from`'s UTC date on (the filter is by day),
/// or every call.
pub fn calls_path(page: u64, from: Option<Timestamp>) -> String {
    match from {
        Some(at) => format!(
            "/api/v1/calls?date_from={}&page={page}&per_page={PER_PAGE}",
            at.utc_date()
        ),
        None => format!("/api/v1/calls?page={page}&per_page={PER_PAGE}"),
    }
}

fn last_page(root: Object<'_>, key: &str) -> Read<u64> {
    root.object(key, |m| m.count("last_page", None))
        .map(|n| n.max(1))
}

/// `GET /api/v1/agents`: agents with their numbers, and `meta.last_page`.
pub fn agents_page(body: &[u8]) -> Read<Paged<PlatformAgent>> {
    let doc = read_document(body)?;
    let root = Object::root(&doc);
    let items = root.objects("data", |a| {
        let status = match a.text_or_none("current_status")? {
            None => None,
            Some(s) => Some(AgentStatus::parse(s).ok_or_else(|| {
                a.problem(
                    "current_status",
                    format!("{s:?} is neither draft nor published"),
                )
            })?),
        };
        Ok(PlatformAgent {
            id: a.id("id")?,
            name: a.text("name")?.to_owned(),
            direction: Some(
                a.direction_or_none("direction")?
                    .ok_or_else(|| a.problem("direction", "missing"))?,
            ),
            status,
            label: a.text_or_none("label")?.map(str::to_owned),
            description: a.text_or_none("description")?.map(str::to_owned),
            language: a.text_or_none("language")?.map(str::to_owned),
            numbers: a.objects_or_none("phone_numbers", |n| {
                Ok(PlatformNumber {
                    id: n.id_or_none("id")?,
                    number: n.number("number")?,
                    agent: None,
                })
            })?,
        })
    })?;
    Ok(Paged {
        items,
        last_page: last_page(root, "meta")?,
    })
}

/// `GET /api/v1/phone-numbers`: every number of the environment (owners are on the agents).
pub fn numbers_page(body: &[u8]) -> Read<Vec<PlatformNumber>> {
    let doc = read_document(body)?;
    Object::root(&doc).objects("data", |n| {
        Ok(PlatformNumber {
            id: n.id_or_none("id")?,
            number: n.number("number")?,
            agent: None,
        })
    })
}

/// `GET /api/v1/callback-agents`: each callback agent and its `callback_config`, as it is (the
/// core's validation reads it, after the ids in it are mapped).
pub fn callback_agents_page(body: &[u8]) -> Read<Vec<PlatformCallback>> {
    let doc = read_document(body)?;
    Object::root(&doc).objects("data", |a| {
        let config = a
            .value("callback_config")
            .filter(|v| v.is_object())
            .cloned()
            .ok_or_else(|| a.problem("callback_config", "missing or not an object"))?;
        Ok(PlatformCallback {
            agent: a.id("id")?,
            config,
        })
    })
}

/// `GET /api/v1/calls`: calls, and `pagination.last_page`. A call in `initiated`, `ringing`
/// or `answered` has not ended.
pub fn calls_page(body: &[u8]) -> Read<Paged<PlatformCall>> {
    let doc = read_document(body)?;
    let root = Object::root(&doc);
    let items = root.objects("data", |c| {
        let status = c.text("status")?;
        let progress = match CallStatus::parse(status) {
            Some(CallStatus::Initiated | CallStatus::Ringing | CallStatus::Answered) => {
                Progress::InProgress
            }
            Some(s) => Progress::Ended(s),
            None => return Err(c.problem("status", format!("{status:?} is not a call status"))),
        };
        Ok(PlatformCall {
            id: c.id("id")?,
            direction: c.direction_or_none("direction")?,
            agent: c.object_or_none("agent", |a| a.id("id"))?,
            from: c.text_or_none("from")?.map(str::to_owned),
            to: c.number("to")?,
            started_at: c.instant("created_at")?,
            progress,
            duration_seconds: u32::try_from(c.count("duration", Some(0))?)
                .map_err(|_| c.problem("duration", "too large"))?,
        })
    })?;
    Ok(Paged {
        items,
        last_page: last_page(root, "pagination")?,
    })
}
