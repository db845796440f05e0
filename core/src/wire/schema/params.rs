//! The query parameters of every list and report, with their limits, written beside their
//! parsers (`wire::requests::{queries, usage}`) from the same constants.

use serde_json::{Value, json};

use super::requests::call_status;
use crate::time::Zone;
use crate::wire::requests::MAX_SEARCH_CHARS;
use crate::wire::requests::queries::{DEFAULT_PER_PAGE, MAX_PER_PAGE};
use crate::wire::requests::usage::{MAX_DAYS, MAX_MONTHS};

/// One query parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Its name.
    pub name: &'static str,
    /// What it does.
    pub description: &'static str,
    /// Its schema.
    pub schema: Value,
}

fn param(name: &'static str, description: &'static str, schema: Value) -> Param {
    Param {
        name,
        description,
        schema,
    }
}

/// The shared schema of `tz`: every IANA zone name the server knows (it refuses others).
/// Referenced as `#/components/schemas/TimeZone`.
pub fn time_zone() -> Value {
    json!({"type": "string", "enum": Zone::all_names().collect::<Vec<_>>(),
        "description": format!("An IANA time zone (tzdata {}).", Zone::database_version())})
}

fn zone() -> Value {
    json!({"$ref": "#/components/schemas/TimeZone", "default": "UTC"})
}

fn date() -> Value {
    json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
}

fn direction() -> Param {
    param(
        "direction",
        "Only `inbound` or only `outbound`.",
        json!({"type": "string", "enum": ["inbound", "outbound"]}),
    )
}

fn search(description: &'static str) -> Param {
    param(
        "search",
        description,
        json!({"type": "string", "maxLength": MAX_SEARCH_CHARS}),
    )
}

fn paging() -> [Param; 2] {
    [
        param(
            "page",
            "The page, from 1.",
            json!({"type": "integer", "minimum": 1, "maximum": 1_000_000_000, "default": 1}),
        ),
        param(
            "per_page",
            "Items per page.",
            json!({"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                "default": DEFAULT_PER_PAGE}),
        ),
    ]
}

/// `GET /api/v1/agents`.
pub fn agent_list() -> Vec<Param> {
    let mut out = vec![
        param(
            "status",
            "Only agents in this state.",
            json!({"type": "string", "enum": ["draft", "published"]}),
        ),
        direction(),
        search("Part of the name or label (any case), or digits of one of its numbers."),
    ];
    out.extend(paging());
    out
}

fn zone_param(description: &'static str) -> Param {
    param("tz", description, zone())
}

/// `GET /api/v1/calls` and (without `agent_id`) `GET /api/v1/agents/{id}/calls`.
pub fn call_list(with_agent: bool) -> Vec<Param> {
    let mut out = vec![
        param("status", "Only calls that ended so.", call_status()),
        direction(),
    ];
    if with_agent {
        out.push(param(
            "agent_id",
            "Only this agent's calls (placed or taken); an id of no agent here lists none.",
            json!({"type": "string"}),
        ));
    }
    out.extend([
        param("date_from", "From this local day (inclusive).", date()),
        param("date_to", "To this local day (inclusive).", date()),
        zone_param("Extension: the zone of `date_from` and `date_to` (default UTC)."),
        search("A call SID (part of it), or three or more digits of the `to` or `from` number."),
    ]);
    out.extend(paging());
    out
}

/// `GET /api/v1/phone-numbers`.
pub fn number_list() -> Vec<Param> {
    vec![
        param(
            "type",
            "Only numbers of this type (every Dialback number is `voice`).",
            json!({"type": "string", "enum": ["voice", "sms", "whatsapp", "mms", "fax"]}),
        ),
        param(
            "has_voice",
            "Only numbers that do (or do not) take calls.",
            json!({"type": "boolean"}),
        ),
        param(
            "has_whatsapp",
            "Only numbers that do (or do not) take WhatsApp.",
            json!({"type": "boolean"}),
        ),
        search("Digits of the number, or its id."),
    ]
}

/// `GET /api/v1/callback-agents/stats`.
pub fn stats() -> Vec<Param> {
    vec![
        param(
            "start_date",
            "First local day (inclusive); 30 days before `end_date` by default. At most \
             `end_date`.",
            date(),
        ),
        param(
            "end_date",
            "Last local day (inclusive); today in `tz` by default.",
            date(),
        ),
        zone_param("Extension: the zone whose days these are (default UTC)."),
        param(
            "group_by",
            "Extension: `day` adds `days`, each local day's counts (at most 3,660 days), which add \
             up to the totals.",
            json!({"type": "string", "enum": ["day"]}),
        ),
    ]
}

/// The AgentPhone usage endpoints: `period` (usage, by agent, by number), `days` (daily),
/// `months` (monthly), and `tz` on all.
pub fn usage(period: bool, days: bool, months: bool) -> Vec<Param> {
    let mut out = Vec::new();
    if period {
        out.push(param(
            "period",
            "The calendar period containing now, in `tz`.",
            json!({"type": "string", "enum": ["week", "month", "year"], "default": "month"}),
        ));
    }
    if days {
        out.push(param(
            "days",
            "How many local days, ending today.",
            json!({"type": "integer", "minimum": 1, "maximum": MAX_DAYS, "default": 30}),
        ));
    }
    if months {
        out.push(param(
            "months",
            "How many calendar months, ending with this one.",
            json!({"type": "integer", "minimum": 1, "maximum": MAX_MONTHS, "default": 6}),
        ));
    }
    out.push(zone_param(
        "Extension: the zone of the days and periods (default UTC).",
    ));
    out
}

/// AgentPhone's call lists.
/// `GET /v1/agents` and `GET /v1/numbers`: a page.
pub fn agentphone_page(what: &'static str) -> Vec<Param> {
    vec![
        param(
            "limit",
            what,
            json!({"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
        ),
        param(
            "offset",
            "How many to skip.",
            json!({"type": "integer", "minimum": 0, "maximum": u32::MAX, "default": 0}),
        ),
    ]
}

/// `GET /v1/calls` and a number's and an agent's calls.
pub fn agentphone_calls() -> Vec<Param> {
    vec![
        param(
            "limit",
            "Calls per page.",
            json!({"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
        ),
        param(
            "offset",
            "Calls skipped.",
            json!({"type": "integer", "minimum": 0, "maximum": u32::MAX, "default": 0}),
        ),
        param(
            "status",
            "Only calls that ended so (`in-progress` lists none: calls are recorded when over).",
            json!({"type": "string",
                "enum": ["initiated", "ringing", "answered", "completed", "failed",
                "busy", "no-answer", "voicemail", "in-progress"]}),
        ),
        direction(),
        param(
            "type",
            "`pstn` (every call here) or `web` (none).",
            json!({"type": "string", "enum": ["pstn", "web"]}),
        ),
        search("Digits of a number the call involves."),
    ]
}

/// `GET /api/v1/events`: which events a stream carries.
pub fn events() -> Vec<Param> {
    let names = crate::live::EventType::ALL
        .map(crate::live::EventType::name)
        .join("|");
    vec![
        param(
            "types",
            "Only these event types, comma-separated (absent: all).",
            json!({"type": "string",
                "pattern": format!("^\\s*({names})\\s*(,\\s*({names})\\s*)*$")}),
        ),
        param(
            "agent_id",
            "Only the events that involve this agent (a call it placed or took, a callback routed \
             to it or attributed to its call, its messages, its own changes).",
            json!({"type": "string", "format": "uuid"}),
        ),
    ]
}
