//! AgentPhone's documented lists, read into platform records: `GET /v1/agents` and
//! `/v1/numbers` (`offset` only, as the official SDKs send it), and `GET /v1/calls`
//! (`limit`/`offset`). Every list is `{"data": [...], "hasMore": ..., "total": ...}`.

use super::calls::{PlatformCall, Progress};
use super::merge::{PlatformAgent, PlatformNumber};
use super::page::{Object, Read, read_document};
use crate::call::CallStatus;

/// Items of one list page, and whether more follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed<T> {
    /// This page's items.
    pub items: Vec<T>,
    /// Whether more follow.
    pub has_more: bool,
    /// Items over all pages.
    pub total: u64,
}

/// Calls are read 100 to a page, the documented maximum.
pub const LIMIT: u64 = 100;

/// The path and query of an agent list page.
pub fn agents_path(offset: u64) -> String {
    format!("/v1/agents?offset={offset}")
}

/// The path and query of a number list page.
pub fn numbers_path(offset: u64) -> String {
    format!("/v1/numbers?offset={offset}")
}

/// The path and query of a call list page.
pub fn calls_path(offset: u64) -> String {
    format!("/v1/calls?limit={LIMIT}&offset={offset}")
}

fn listed<T>(body: &[u8], read: impl FnMut(Object<'_>) -> Read<T>) -> Read<Listed<T>> {
    let doc = read_document(body)?;
    let root = Object::root(&doc);
    Ok(Listed {
        items: root.objects("data", read)?,
        has_more: root.flag("hasMore")?,
        total: root.count("total", None)?,
    })
}

/// `GET /v1/agents`: agents and their numbers. AgentPhone's agent object has no direction;
/// Dialback's own server adds one, which is read when present.
pub fn agents_page(body: &[u8]) -> Read<Listed<PlatformAgent>> {
    listed(body, |a| {
        Ok(PlatformAgent {
            id: a.id("id")?,
            name: a.text("name")?.to_owned(),
            direction: a.direction_or_none("direction")?,
            status: None,
            label: None,
            description: a.text_or_none("description")?.map(str::to_owned),
            language: a.text_or_none("language")?.map(str::to_owned),
            numbers: a.objects_or_none("numbers", |n| {
                Ok(PlatformNumber {
                    id: n.id_or_none("id")?,
                    number: n.number("phoneNumber")?,
                    agent: None,
                })
            })?,
        })
    })
}

/// `GET /v1/numbers`: numbers, each with its agent.
pub fn numbers_page(body: &[u8]) -> Read<Listed<PlatformNumber>> {
    listed(body, |n| {
        Ok(PlatformNumber {
            id: n.id_or_none("id")?,
            number: n.number("phoneNumber")?,
            agent: n.id_or_none("agentId")?,
        })
    })
}

/// The status of an AgentPhone call: its documented and observed vocabularies (`completed`,
/// `in-progress`, `failed`, `ringing`, `busy`, `no-answer`), Dialback's own, and `queued` /
/// `canceled`, which telephony providers report too.
pub(super) fn progress(status: &str) -> Option<Progress> {
    Some(match status {
        "in-progress" | "in_progress" | "queued" => Progress::InProgress,
        "canceled" | "cancelled" => Progress::Ended(CallStatus::Failed),
        other => match CallStatus::parse(other)? {
            CallStatus::Initiated | CallStatus::Ringing | CallStatus::Answered => {
                Progress::InProgress
            }
            s => Progress::Ended(s),
        },
    })
}

/// `GET /v1/calls`: calls, newest first (their order is read, not assumed: see
/// `calls::Window`). `direction` is optional: without it, the side that is one of the
/// environment's numbers decides, when the call is recorded.
pub fn calls_page(body: &[u8]) -> Read<Listed<PlatformCall>> {
    listed(body, |c| {
        let status = c.text("status")?;
        let progress = progress(status)
            .ok_or_else(|| c.problem("status", format!("{status:?} is not a call status")))?;
        let from = c.text("fromNumber")?;
        Ok(PlatformCall {
            id: c.id("id")?,
            direction: c.direction_or_none("direction")?,
            agent: c.id_or_none("agentId")?,
            from: (!from.is_empty()).then(|| from.to_owned()),
            to: c.number("toNumber")?,
            started_at: c.instant("startedAt")?,
            progress,
            duration_seconds: u32::try_from(c.count("durationSeconds", Some(0))?)
                .map_err(|_| c.problem("durationSeconds", "too large"))?,
        })
    })
}
