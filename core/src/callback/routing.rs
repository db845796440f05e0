//! Routing an inbound call: is it a contact calling back after one of a callback agent's
//! source agents called them?
//!
//! Routing is a decision made **once**, when the call arrives, with the configuration in force
//! at that moment; whoever stores calls stores the decision with them and never recomputes it.
//! The [`OutboundIndex`] keeps every contact's outbound history sorted by time, so a decision
//! is two hash look-ups and a short backwards walk, never a scan of all calls.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::agent::{AgentDirectory, AgentId};
use crate::call::{CallId, CallStatus};
use crate::callback::config::LookbackDays;
use crate::hash::FastMap;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

/// An outbound call as the index needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundCall {
    /// Its id (larger = more recent, for calls started in the same second).
    pub id: CallId,
    /// The outbound agent that placed it.
    pub agent_id: AgentId,
    /// The contact's number.
    pub to: PhoneNumber,
    /// When it started.
    pub started_at: Timestamp,
    /// How it ended.
    pub status: CallStatus,
}

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
        let Some(raw) = from.map(str::trim) else { return Caller::Withheld };
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Reason {
    /// The caller withheld their number.
    CallerWithheld,
    /// The caller is anonymous.
    CallerAnonymous,
    /// The caller's number is not a valid phone number.
    CallerInvalid {
        /// What was presented.
        caller: String,
    },
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
        trigger_statuses: Vec<CallStatus>,
    },
}

/// What routing decided for one inbound call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
                Reason::CallerInvalid { .. } => "CALLER_INVALID",
                Reason::NoOutboundCall => "NO_OUTBOUND_CALL",
                Reason::OutsideLookback { .. } => "OUTSIDE_LOOKBACK",
                Reason::StatusNotTrigger { .. } => "STATUS_NOT_TRIGGER",
            },
        }
    }

    /// The agent the call goes to, if any agent owns the dialed number.
    pub fn routed_to(&self) -> Option<AgentId> {
        match self {
            RoutingDecision::Matched { callback_agent_id, .. }
            | RoutingDecision::Unmatched { callback_agent_id, .. } => Some(*callback_agent_id),
            RoutingDecision::NotCallbackAgent { agent_id } => Some(*agent_id),
            RoutingDecision::NumberNotOwned { .. } => None,
        }
    }

    /// Whether the call hit a callback agent (matched or not): what callback stats count.
    pub fn is_callback(&self) -> bool {
        matches!(self, RoutingDecision::Matched { .. } | RoutingDecision::Unmatched { .. })
    }

    /// The source agent a matched callback is attributed to.
    pub fn source_agent_id(&self) -> Option<AgentId> {
        match self {
            RoutingDecision::Matched { last_call, .. } => Some(last_call.source_agent_id),
            _ => None,
        }
    }
}

/// One contact's slice of [`OutboundIndex::entries`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

/// 24 bytes per outbound call.
#[derive(Debug, Clone, Copy)]
struct Entry {
    at: i64,
    id: u64,
    agent: u32,
    status: CallStatus,
}

/// Every outbound call, grouped by contact number and sorted by (start, id) within a contact.
///
/// Built once from a batch ([`OutboundIndex::build`]) and queried many times; calls recorded
/// later go through [`OutboundIndex::insert`] into a small side table that is folded into the
/// main arrays when it grows past a quarter of them, so inserts stay amortised O(log n).
#[derive(Debug, Clone, Default)]
pub struct OutboundIndex {
    contacts: FastMap<PhoneNumber, Span>,
    entries: Vec<Entry>,
    recent: FastMap<PhoneNumber, Vec<Entry>>,
    recent_len: usize,
    agents: Vec<AgentId>,
    agent_slots: FastMap<AgentId, u32>,
}

impl OutboundIndex {
    /// Indexes a batch of outbound calls.
    pub fn build(calls: impl IntoIterator<Item = OutboundCall>) -> Self {
        let mut index = OutboundIndex::default();
        let mut rows: Vec<(PhoneNumber, Entry)> =
            calls.into_iter().map(|c| (c.to, index.entry(&c))).collect();
        index.rebuild(&mut rows);
        index
    }

    /// Adds one outbound call.
    pub fn insert(&mut self, call: OutboundCall) {
        let entry = self.entry(&call);
        let list = self.recent.entry(call.to).or_default();
        let pos = list.partition_point(|e| (e.at, e.id) <= (entry.at, entry.id));
        list.insert(pos, entry);
        self.recent_len += 1;
        if self.recent_len > 1024.max(self.entries.len() / 4) {
            self.compact();
        }
    }

    /// How many calls are indexed.
    pub fn len(&self) -> usize {
        self.entries.len() + self.recent_len
    }

    /// Whether no call is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Heap bytes held (capacity, not just length), for memory budgets.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        // hashbrown: one control byte per bucket plus the bucket itself
        let map = |cap: usize, item: usize| cap.next_power_of_two() * 8 / 7 * (item + 1);
        self.entries.capacity() * size_of::<Entry>()
            + map(self.contacts.capacity(), size_of::<(PhoneNumber, Span)>())
            + map(self.agent_slots.capacity(), size_of::<(AgentId, u32)>())
            + self.agents.capacity() * size_of::<AgentId>()
            + map(self.recent.capacity(), size_of::<(PhoneNumber, Vec<Entry>)>())
            + self.recent.values().map(|v| v.capacity() * size_of::<Entry>()).sum::<usize>()
    }

    fn entry(&mut self, call: &OutboundCall) -> Entry {
        let next = u32::try_from(self.agents.len()).unwrap_or(u32::MAX);
        let agents = &mut self.agents;
        let agent = *self.agent_slots.entry(call.agent_id).or_insert_with(|| {
            agents.push(call.agent_id);
            next
        });
        Entry { at: call.started_at.unix_seconds(), id: call.id.0, agent, status: call.status }
    }

    fn compact(&mut self) {
        let mut rows: Vec<(PhoneNumber, Entry)> = Vec::with_capacity(self.len());
        for (number, span) in &self.contacts {
            rows.extend(self.history(span).iter().map(|e| (*number, *e)));
        }
        for (number, list) in self.recent.drain() {
            rows.extend(list.into_iter().map(|e| (number, e)));
        }
        self.recent_len = 0;
        self.rebuild(&mut rows);
    }

    fn rebuild(&mut self, rows: &mut [(PhoneNumber, Entry)]) {
        rows.sort_unstable_by_key(|(n, e)| (*n, e.at, e.id));
        self.entries = Vec::with_capacity(rows.len());
        self.contacts = FastMap::default();
        let mut start = 0usize;
        for group in rows.chunk_by(|a, b| a.0 == b.0) {
            let (Some((number, _)), Ok(s), Ok(len)) =
                (group.first(), u32::try_from(start), u32::try_from(group.len()))
            else {
                continue; // beyond 4 billion calls; not reachable in memory anyway
            };
            self.contacts.insert(*number, Span { start: s, len });
            self.entries.extend(group.iter().map(|(_, e)| *e));
            start += group.len();
        }
        self.entries.shrink_to_fit();
        self.contacts.shrink_to_fit();
    }

    fn history(&self, span: &Span) -> &[Entry] {
        let start = span.start as usize;
        self.entries.get(start..start + span.len as usize).unwrap_or(&[])
    }

    /// The contact's calls in (start, id) order, main arrays and side table merged.
    fn calls_to(&self, number: PhoneNumber) -> Cow<'_, [Entry]> {
        let base = self.contacts.get(&number).map_or(&[][..], |s| self.history(s));
        match self.recent.get(&number) {
            None => Cow::Borrowed(base),
            Some(extra) => {
                let mut all: Vec<Entry> = base.iter().chain(extra).copied().collect();
                all.sort_unstable_by_key(|e| (e.at, e.id));
                Cow::Owned(all)
            }
        }
    }
}

/// What the router knows about a dialed number, resolved once per configuration.
#[derive(Debug, Clone)]
enum Target {
    Plain(AgentId),
    Callback { agent: AgentId, sources: Vec<u32>, lookback: LookbackDays, mask: u16, triggers: Vec<CallStatus> },
}

/// Routes inbound calls with one snapshot of the configuration (the directory's agents,
/// numbers and callback configs) against an [`OutboundIndex`].
///
/// ```
/// use dialback_core::*;
/// let inbound = AgentId::from_u128(1);
/// let sales = AgentId::from_u128(2);
/// let line = PhoneNumber::parse("+1 415 555 0100").unwrap();
/// let contact = PhoneNumber::parse("+44 20 7946 0958").unwrap();
/// let config = CallbackConfig { source_agent_ids: vec![sales], lookback_days: None, callback_trigger_statuses: None };
/// let dir = AgentDirectory::new([
///     Agent { id: inbound, name: "Callback Handler".into(), direction: Direction::Inbound, phone_numbers: vec![line], callback_config: Some(config) },
///     Agent { id: sales, name: "Sales Outbound".into(), direction: Direction::Outbound, phone_numbers: vec![], callback_config: None },
/// ]).unwrap();
/// let at = |s: &str| Timestamp::parse(s).unwrap();
/// let index = OutboundIndex::build([OutboundCall {
///     id: CallId(7), agent_id: sales, to: contact, started_at: at("2024-01-02T10:00:00Z"), status: CallStatus::NoAnswer,
/// }]);
/// let router = Router::new(&dir, &index);
/// let decision = router.route(&InboundCall { from: Caller::Number(contact), to: line, at: at("2024-01-05T09:00:00Z") });
/// assert_eq!(decision.source_agent_id(), Some(sales));
/// assert_eq!(decision.explain(&dir), "matched: Sales Outbound called this contact 2 days ago (within the 30-day window)");
/// ```
#[derive(Debug, Clone)]
pub struct Router<'a> {
    index: &'a OutboundIndex,
    targets: FastMap<PhoneNumber, Target>,
}

impl<'a> Router<'a> {
    /// Resolves every number's owner and callback configuration once.
    pub fn new(directory: &AgentDirectory, index: &'a OutboundIndex) -> Self {
        let mut targets = FastMap::default();
        for agent in directory.iter() {
            let target = match &agent.callback_config {
                None => Target::Plain(agent.id),
                Some(config) => Target::Callback {
                    agent: agent.id,
                    sources: config
                        .source_agent_ids
                        .iter()
                        .filter_map(|id| index.agent_slots.get(id).copied())
                        .collect(),
                    lookback: config.lookback(),
                    mask: config.trigger_mask(),
                    triggers: config.callback_trigger_statuses.clone().unwrap_or_default(),
                },
            };
            for number in &agent.phone_numbers {
                targets.insert(*number, target.clone());
            }
        }
        Router { index, targets }
    }

    /// Decides where one inbound call goes and why.
    pub fn route(&self, call: &InboundCall) -> RoutingDecision {
        let Some(target) = self.targets.get(&call.to) else {
            return RoutingDecision::NumberNotOwned { number: call.to };
        };
        let (agent, sources, lookback, mask, triggers) = match target {
            Target::Plain(agent) => return RoutingDecision::NotCallbackAgent { agent_id: *agent },
            Target::Callback { agent, sources, lookback, mask, triggers } => {
                (*agent, sources, *lookback, *mask, triggers)
            }
        };
        let unmatched = |reason| RoutingDecision::Unmatched { callback_agent_id: agent, reason };
        let contact = match &call.from {
            Caller::Number(n) => *n,
            Caller::Withheld => return unmatched(Reason::CallerWithheld),
            Caller::Anonymous => return unmatched(Reason::CallerAnonymous),
            Caller::Invalid(raw) => return unmatched(Reason::CallerInvalid { caller: raw.clone() }),
        };
        let history = self.index.calls_to(contact);
        let now = call.at.unix_seconds();
        let before = history.partition_point(|e| e.at <= now);
        let window_start = now - lookback.seconds();
        let last_call = |e: &Entry| LastCall {
            source_agent_id: self.index.agents.get(e.agent as usize).copied().unwrap_or(agent),
            outbound_call_id: CallId(e.id),
            started_at: Timestamp::from_unix_seconds(e.at).unwrap_or(call.at),
            status: e.status,
            age_seconds: now - e.at,
        };
        // Most recent source call inside the window whose status did not trigger.
        let mut skipped: Option<&Entry> = None;
        for e in history.get(..before).unwrap_or(&[]).iter().rev() {
            if !sources.contains(&e.agent) {
                continue;
            }
            if e.at < window_start {
                return unmatched(match skipped {
                    Some(s) => Reason::StatusNotTrigger { last_call: last_call(s), trigger_statuses: triggers.clone() },
                    None => Reason::OutsideLookback { last_call: last_call(e), lookback_days: lookback },
                });
            }
            if mask & e.status.bit() != 0 {
                return RoutingDecision::Matched { callback_agent_id: agent, last_call: last_call(e), lookback_days: lookback };
            }
            skipped.get_or_insert(e);
        }
        unmatched(match skipped {
            Some(s) => Reason::StatusNotTrigger { last_call: last_call(s), trigger_statuses: triggers.clone() },
            None => Reason::NoOutboundCall,
        })
    }
}

impl RoutingDecision {
    /// The decision in plain words, with agent names from `names`, e.g. "matched: Sales
    /// Outbound called this contact 3 days ago (within the 30-day window)".
    pub fn explain(&self, names: &AgentDirectory) -> String {
        let name = |id: &AgentId| names.get(id).map_or_else(|| format!("agent {id}"), |a| a.name.clone());
        match self {
            RoutingDecision::Matched { last_call, lookback_days, .. } => format!(
                "matched: {} called this contact {} (within the {}-day window)",
                name(&last_call.source_agent_id),
                ago(last_call.age_seconds),
                lookback_days.days()
            ),
            RoutingDecision::NotCallbackAgent { agent_id } => {
                format!("not a callback: {} owns this number but is not a callback agent", name(agent_id))
            }
            RoutingDecision::NumberNotOwned { number } => format!("not routed: no agent owns {number}"),
            RoutingDecision::Unmatched { callback_agent_id, reason } => match reason {
                Reason::CallerWithheld => "unmatched: the caller withheld their number".to_owned(),
                Reason::CallerAnonymous => "unmatched: the caller is anonymous".to_owned(),
                Reason::CallerInvalid { caller } => {
                    format!("unmatched: the caller's number {caller:?} is not a valid phone number")
                }
                Reason::NoOutboundCall => format!(
                    "unmatched: none of {}'s source agents has called this contact before",
                    name(callback_agent_id)
                ),
                Reason::OutsideLookback { last_call, lookback_days } => format!(
                    "unmatched: the last call from {} to this contact was {}, outside the {}-day window",
                    name(&last_call.source_agent_id),
                    ago(last_call.age_seconds),
                    lookback_days.days()
                ),
                Reason::StatusNotTrigger { last_call, trigger_statuses } => format!(
                    "unmatched: the last call from {} to this contact ({}) ended {}, and only calls that ended {} trigger callbacks",
                    name(&last_call.source_agent_id),
                    ago(last_call.age_seconds),
                    last_call.status,
                    trigger_statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
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
