//! Which events a stream carries: some types, one agent's, or all.
//!
//! `?types=event_callback_routed,event_phone_call_ended&agent_id=…`. An agent's events are
//! the ones that involve it: a call it placed or took, a callback routed to it or attributed
//! to its outbound call, its messages, its own changes, and a number it released.

use super::error::LiveError;
use super::kind::EventType;
use crate::agent::AgentId;

/// The set of types and the agent a stream is limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventFilter {
    types: u8,
    agent: Option<AgentId>,
}

impl Default for EventFilter {
    fn default() -> Self {
        EventFilter::all()
    }
}

pub(crate) fn type_list() -> String {
    EventType::ALL.map(EventType::name).join(", ")
}

impl EventFilter {
    /// Every event.
    pub fn all() -> EventFilter {
        EventFilter {
            types: EventType::ALL.iter().fold(0, |set, t| set | t.bit()),
            agent: None,
        }
    }

    /// A filter from the query's `types` (comma-separated names; absent or empty: all) and
    /// `agent_id`. Every problem is returned, not only the first.
    pub fn parse(
        types: Option<&str>,
        agent_id: Option<&str>,
    ) -> Result<EventFilter, Vec<LiveError>> {
        let mut errors = Vec::new();
        let mut filter = EventFilter::all();
        if let Some(list) = types.filter(|l| !l.trim().is_empty()) {
            filter.types = 0;
            for name in list.split(',').map(str::trim) {
                match EventType::parse(name) {
                    Some(t) => filter.types |= t.bit(),
                    None => errors.push(LiveError::UnknownType(crate::time::clip(name))),
                }
            }
        }
        if let Some(id) = agent_id {
            match AgentId::parse(id) {
                Ok(a) => filter.agent = Some(a),
                Err(_) => errors.push(LiveError::AgentId(crate::time::clip(id))),
            }
        }
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }

    /// Only these types.
    pub fn with_types(mut self, types: &[EventType]) -> EventFilter {
        self.types = types.iter().fold(0, |set, t| set | t.bit());
        self
    }

    /// Only the events involving `agent`.
    pub fn with_agent(mut self, agent: AgentId) -> EventFilter {
        self.agent = Some(agent);
        self
    }

    /// Whether an event of type `kind`, involving `agents`, passes.
    pub fn matches(&self, kind: EventType, agents: &[AgentId]) -> bool {
        self.types & kind.bit() != 0 && self.agent.is_none_or(|a| agents.contains(&a))
    }

    /// The types it passes, in [`EventType::ALL`]'s order.
    pub fn types(&self) -> impl Iterator<Item = EventType> + '_ {
        EventType::ALL
            .into_iter()
            .filter(|t| self.types & t.bit() != 0)
    }

    /// The agent it is limited to.
    pub fn agent(&self) -> Option<AgentId> {
        self.agent
    }

    /// The query string that asks for it (empty for every event), for clients.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if self.types != EventFilter::all().types {
            parts.push(format!(
                "types={}",
                self.types()
                    .map(EventType::name)
                    .collect::<Vec<_>>()
                    .join(",")
            ));
        }
        if let Some(a) = self.agent {
            parts.push(format!("agent_id={a}"));
        }
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    const A: &str = "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const B: &str = "00000000-0000-4000-8000-000000000001";

    #[test]
    fn no_parameters_pass_everything() {
        let f = EventFilter::parse(None, None).unwrap();
        assert_eq!(f, EventFilter::all());
        for t in EventType::ALL {
            assert!(f.matches(t, &[]));
        }
        assert_eq!(f.query(), "");
        assert_eq!(
            EventFilter::parse(Some(" "), None).unwrap(),
            EventFilter::all()
        );
    }

    #[test]
    fn types_and_agent_narrow_it() {
        let a = AgentId::parse(A).unwrap();
        let b = AgentId::parse(B).unwrap();
        let f = EventFilter::parse(Some("event_callback_routed, event_agent_changed"), Some(A))
            .unwrap();
        assert!(f.matches(EventType::CallbackRouted, &[b, a]));
        assert!(!f.matches(EventType::CallbackRouted, &[b]));
        assert!(!f.matches(EventType::CallEnded, &[a]));
        assert!(!f.matches(EventType::AgentChanged, &[]));
        assert_eq!(
            f.query(),
            format!("types=event_callback_routed,event_agent_changed&agent_id={A}")
        );
        assert_eq!(
            EventFilter::parse(Some("event_callback_routed,event_agent_changed"), Some(A)),
            Ok(f)
        );
    }

    #[test]
    fn every_problem_has_a_code() {
        let errors =
            EventFilter::parse(Some("event_callback_routed,calls"), Some("x")).unwrap_err();
        let codes: Vec<_> = errors.iter().map(ErrorCode::code).collect();
        assert_eq!(codes, ["INVALID_EVENT_TYPE", "INVALID_AGENT_ID"]);
        assert!(errors[0].to_string().contains("event_agent_changed"));
    }
}
