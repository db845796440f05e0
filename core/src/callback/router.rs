//! [`Router`]: routes inbound calls with one snapshot of the configuration.

use std::borrow::Cow;

use crate::agent::{AgentDirectory, AgentId};
use crate::call::{CallId, StatusSet};
use crate::callback::config::LookbackDays;
use crate::callback::index::{Entry, OutboundIndex};
use crate::callback::routes::{Routes, Target};
use crate::callback::routing::{Caller, InboundCall, LastCall, Reason, RoutingDecision};
use crate::phone::PhoneNumber;
use crate::slots::SlotSet;
use crate::time::Timestamp;

/// Routes inbound calls with one snapshot of the configuration (the directory's agents,
/// numbers and callback configs) against an [`OutboundIndex`].
///
/// ```
/// use dialback_core::*;
/// let inbound = AgentId::from_u128(1);
/// let sales = AgentId::from_u128(2);
/// let line = PhoneNumber::parse("+1 415 555 0100").unwrap();
/// let contact = PhoneNumber::parse("+44 20 7946 0958").unwrap();
/// let config = CallbackConfig { source_agent_ids: vec![sales], lookback_days: None,
///     callback_trigger_statuses: None };
/// let dir = AgentDirectory::new([
///     Agent { id: inbound, name: "Callback Handler".into(), direction: Direction::Inbound,
///         phone_numbers: vec![line], callback_config: Some(config) },
///     Agent { id: sales, name: "Sales Outbound".into(), direction: Direction::Outbound,
///         phone_numbers: vec![], callback_config: None },
/// ]).unwrap();
/// let at = |s: &str| Timestamp::parse(s).unwrap();
/// let index = OutboundIndex::build([OutboundCall {
///     id: CallId(7), agent_id: sales, to: contact, started_at: at("2024-01-02T10:00:00Z"),
///         status: CallStatus::NoAnswer,
/// }]);
/// let router = Router::new(&dir, &index);
/// let decision = router.route(&InboundCall { from: Caller::Number(contact), to: line,
///     at: at("2024-01-05T09:00:00Z") });
/// assert_eq!(decision.source_agent_id(), Some(sales));
/// assert_eq!(decision.explain(&dir),
///     "matched: Sales Outbound called this contact 2 days ago (within the 30-day window)");
/// ```
#[derive(Debug, Clone)]
pub struct Router<'a> {
    index: &'a OutboundIndex,
    routes: Cow<'a, Routes>,
}

impl<'a> Router<'a> {
    /// Resolves every number's owner and callback configuration once (see
    /// [`CallbackRouting`](super::CallbackRouting) to keep that work across inserts into the
    /// index).
    pub fn new(directory: &AgentDirectory, index: &'a OutboundIndex) -> Self {
        Router::with_routes(Cow::Owned(Routes::new(directory, index)), index)
    }

    pub(crate) fn with_routes(routes: Cow<'a, Routes>, index: &'a OutboundIndex) -> Self {
        Router { index, routes }
    }

    /// Decides where one inbound call goes and why.
    pub fn route(&self, call: &InboundCall) -> RoutingDecision {
        match self.plan(call) {
            Err(done) => done,
            Ok(plan) => self.decide_before(&plan, call.at, &self.index.calls_to(plan.contact)),
        }
    }

    /// Routes many calls, each exactly as [`Router::route`] would, several times faster.
    pub fn route_many(&self, calls: &[InboundCall]) -> Vec<RoutingDecision> {
        let mut out = Vec::with_capacity(calls.len());
        self.route_many_into(calls, &mut out);
        out
    }

    /// [`Router::route_many`] into a buffer the caller reuses (cleared first), so a bulk
    /// importer does not pay for fresh pages on every batch.
    ///
    /// One call at a time, a decision waits on two dependent cache misses (the contact's
    /// table slot, then its calls), and the branchy code between calls leaves the CPU no room
    /// to overlap them. So calls go through a three-stage pipeline, a chunk per stage: while
    /// one chunk is planned and its table slots are prefetched, the chunk before it reads
    /// those slots (arrived by now) and prefetches its histories, and the chunk before that
    /// is decided with its histories in cache. A prefetch, unlike a load, does not hold up
    /// the instructions after it, so a whole chunk's misses are in flight at once. Output is
    /// written in input order.
    pub fn route_many_into(&self, calls: &[InboundCall], out: &mut Vec<RoutingDecision>) {
        const CHUNK: usize = 8;
        out.clear();
        out.reserve(calls.len());
        let has_recent = !self.index.recent.is_empty();
        let mut chunks = calls.chunks(CHUNK);
        // [being planned, being looked up, being decided]
        let mut stages: [Stage<'_, '_>; 3] = Default::default();
        loop {
            let [planned, looked_up, decided] = &mut stages;
            if let Some(chunk) = chunks.next() {
                planned.plan(self, chunk);
            }
            looked_up.look_up(self.index);
            let decisions = decided
                .calls
                .iter()
                .zip(&decided.plans)
                .zip(&decided.histories);
            out.extend(decisions.map(|((call, plan), history)| match plan {
                Err(done) => *done,
                Ok(plan) if has_recent && self.index.recent.contains_key(&plan.contact) => {
                    self.route(call)
                }
                Ok(plan) => self.decide_before(plan, call.at, history),
            }));
            decided.clear();
            if stages.iter().all(Stage::is_empty) {
                break;
            }
            stages.rotate_right(1);
        }
    }

    /// Everything decided before the contact's history is needed.
    fn plan(&self, call: &InboundCall) -> Result<Plan<'_>, RoutingDecision> {
        let Some(target) = self.routes.target(&call.to) else {
            return Err(RoutingDecision::NumberNotOwned { number: call.to });
        };
        let (agent, sources, lookback, triggers) = match target {
            Target::Plain(agent) => {
                return Err(RoutingDecision::NotCallbackAgent { agent_id: *agent });
            }
            Target::Callback {
                agent,
                sources,
                lookback,
                triggers,
                ..
            } => (*agent, sources, *lookback, *triggers),
        };
        let unmatched = |reason| {
            Err(RoutingDecision::Unmatched {
                callback_agent_id: agent,
                reason,
            })
        };
        let contact = match &call.from {
            Caller::Number(n) => *n,
            Caller::Withheld => return unmatched(Reason::CallerWithheld),
            Caller::Anonymous => return unmatched(Reason::CallerAnonymous),
            Caller::Invalid(_) => return unmatched(Reason::CallerInvalid),
        };
        Ok(Plan {
            agent,
            sources,
            lookback,
            triggers,
            contact,
        })
    }

    /// The decision, given all of the contact's calls (oldest first) and the inbound instant.
    fn decide_before(&self, plan: &Plan<'_>, at: Timestamp, history: &[Entry]) -> RoutingDecision {
        // sorted, so the calls up to `at` are a prefix; most histories are a few calls, where
        // a count has no branch to mispredict and a binary search has one per step
        let now = at.unix_seconds();
        let before = if history.len() <= 16 {
            history.iter().filter(|e| e.at <= now).count()
        } else {
            history.partition_point(|e| e.at <= now)
        };
        let history = history.get(..before).unwrap_or(&[]);
        let Plan {
            agent,
            sources,
            lookback,
            triggers,
            ..
        } = *plan;
        let unmatched = |reason| RoutingDecision::Unmatched {
            callback_agent_id: agent,
            reason,
        };
        let window_start = now - lookback.seconds();
        let last_call = |e: &Entry| LastCall {
            source_agent_id: self.index.agents.id(e.agent).unwrap_or(agent),
            outbound_call_id: CallId(e.id),
            started_at: Timestamp::from_unix_seconds(e.at).unwrap_or(at),
            status: e.status,
            age_seconds: now - e.at,
        };
        // Most recent source call inside the window whose status did not trigger.
        let mut skipped: Option<&Entry> = None;
        for e in history.iter().rev() {
            if !sources.contains(e.agent) {
                continue;
            }
            if e.at < window_start {
                return unmatched(match skipped {
                    Some(s) => Reason::StatusNotTrigger {
                        last_call: last_call(s),
                        trigger_statuses: triggers,
                    },
                    None => Reason::OutsideLookback {
                        last_call: last_call(e),
                        lookback_days: lookback,
                    },
                });
            }
            if triggers.contains(e.status) {
                return RoutingDecision::Matched {
                    callback_agent_id: agent,
                    last_call: last_call(e),
                    lookback_days: lookback,
                };
            }
            skipped.get_or_insert(e);
        }
        unmatched(match skipped {
            Some(s) => Reason::StatusNotTrigger {
                last_call: last_call(s),
                trigger_statuses: triggers,
            },
            None => Reason::NoOutboundCall,
        })
    }
}

/// One chunk of [`Router::route_many_into`]'s pipeline.
#[derive(Default)]
struct Stage<'c, 'r> {
    calls: &'c [InboundCall],
    plans: Vec<Result<Plan<'r>, RoutingDecision>>,
    positions: Vec<usize>,
    histories: Vec<&'r [Entry]>,
}

impl<'c, 'r> Stage<'c, 'r> {
    /// Decides what needs no history and prefetches the contacts' table slots.
    fn plan(&mut self, router: &'r Router<'_>, calls: &'c [InboundCall]) {
        self.calls = calls;
        self.plans
            .extend(calls.iter().map(|call| router.plan(call)));
        self.positions
            .extend(self.plans.iter().map(|plan| match plan {
                Ok(p) => router.index.prefetch_slot(p.contact),
                Err(_) => 0,
            }));
    }

    /// Reads the slots and prefetches the contacts' calls.
    fn look_up(&mut self, index: &'r OutboundIndex) {
        for (plan, &position) in self.plans.iter().zip(&self.positions) {
            let history = match plan {
                Ok(p) => index
                    .slot_from(p.contact, position)
                    .map_or(&[][..], |s| index.history(s)),
                Err(_) => &[],
            };
            index.prefetch_history(history);
            self.histories.push(history);
        }
    }

    fn clear(&mut self) {
        self.calls = &[];
        self.plans.clear();
        self.positions.clear();
        self.histories.clear();
    }

    fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }
}

/// A call to a callback agent from a real number: what is left to decide needs its history.
#[derive(Clone, Copy)]
struct Plan<'r> {
    agent: AgentId,
    sources: &'r SlotSet,
    lookback: LookbackDays,
    triggers: StatusSet,
    contact: PhoneNumber,
}
