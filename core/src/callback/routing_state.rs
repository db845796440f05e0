//! [`CallbackRouting`]: the outbound index and the routes resolved from it, held together.

use std::borrow::Cow;

use crate::agent::AgentDirectory;
use crate::callback::index::{OutboundCall, OutboundIndex};
use crate::callback::router::Router;
use crate::callback::routes::Routes;
use crate::callback::routing::{InboundCall, RoutingDecision};

/// Everything routing needs, as one value: the outbound calls (an [`OutboundIndex`]) and the
/// directory's part of routing (the private `Routes`: each number's owner, each callback agent's
/// sources, window and trigger statuses).
///
/// Routes number source agents as *their* index numbers them, so the two are only valid
/// together; owning both, this type cannot be handed a mismatched pair. Inserting an outbound
/// call keeps them in step (a source placing its first call is numbered at once), and
/// routing a call costs the same whatever the number of agents: nothing is re-resolved per
/// call.
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
/// let mut routing = CallbackRouting::new(&dir, []);
/// routing.insert_outbound(OutboundCall { id: CallId(7), agent_id: sales, to: contact,
///     started_at: at("2024-01-02T10:00:00Z"), status: CallStatus::NoAnswer });
/// let decision = routing.route(&InboundCall { from: Caller::Number(contact), to: line,
///     at: at("2024-01-05T09:00:00Z") });
/// assert_eq!(decision.source_agent_id(), Some(sales));
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallbackRouting {
    index: OutboundIndex,
    routes: Routes,
}

impl CallbackRouting {
    /// Indexes outbound calls and resolves the directory's routes against them.
    pub fn new(
        directory: &AgentDirectory,
        outbound: impl IntoIterator<Item = OutboundCall>,
    ) -> Self {
        let index = OutboundIndex::build(outbound);
        let routes = Routes::new(directory, &index);
        CallbackRouting { index, routes }
    }

    /// An index (restored from a saved view) with the directory's routes resolved against it.
    pub fn from_index(directory: &AgentDirectory, index: OutboundIndex) -> Self {
        let routes = Routes::new(directory, &index);
        CallbackRouting { index, routes }
    }

    /// Takes the index back (to save it).
    pub fn into_index(self) -> OutboundIndex {
        self.index
    }

    /// Routes for a changed directory (agents, numbers or callback configurations), over
    /// the same outbound calls.
    pub fn set_directory(&mut self, directory: &AgentDirectory) {
        self.routes = Routes::new(directory, &self.index);
    }

    /// Adds an outbound call.
    pub fn insert_outbound(&mut self, call: OutboundCall) {
        self.index.insert(call);
        self.routes.follow(&self.index);
    }

    /// The outbound calls.
    pub fn index(&self) -> &OutboundIndex {
        &self.index
    }

    /// Gives back the index's spare capacity (after a bulk load).
    pub fn shrink_to_fit(&mut self) {
        self.index.shrink_to_fit();
    }

    /// A router over the current state, for many calls at once.
    pub fn router(&self) -> Router<'_> {
        Router::with_routes(Cow::Borrowed(&self.routes), &self.index)
    }

    /// Where one inbound call goes and why.
    pub fn route(&self, call: &InboundCall) -> RoutingDecision {
        self.router().route(call)
    }
}
