//! A webhook as Dialback keeps it: one record for both APIs, created through either. The API
//! it was created through decides the dialect of what it receives (payload keys, event
//! names) and which of its settings mean anything.

use serde::{Deserialize, Serialize};

use super::event::EventKind;
use super::retry::{AGENTPHONE_ATTEMPTS, FIRST_WAIT_MS, RetryPolicy};
use crate::agent::AgentId;
use crate::time::Timestamp;

/// The API a webhook belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// `/v1/webhooks`, `/v1/agents/{id}/webhook`: camelCase payloads, `agent.*` events.
    AgentPhone,
    /// `/api/v1/agents/{id}/webhooks`: snake_case payloads, `event_*` events.
    Talkover,
}

impl Api {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Api::AgentPhone => "agentphone",
            Api::Talkover => "talkover",
        }
    }
}

/// The HTTP method a Talkover webhook is called with (AgentPhone's always `POST`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// The default.
    #[default]
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
}

impl Method {
    /// As written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
        }
    }

    /// From the wire (`POST`, `PUT`, `PATCH`, any case).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "PATCH" => Some(Method::Patch),
            _ => None,
        }
    }
}

/// How a Talkover webhook authenticates to its receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthScheme {
    /// Nothing beyond the signature.
    #[default]
    None,
    /// `Authorization: Bearer {authorization_token}`.
    Bearer,
    /// `Authorization: Basic {authorization_token}` (already `base64(user:password)`).
    Basic,
    /// `X-API-Key: {authorization_token}`.
    ApiKey,
    /// Whatever `custom_headers` carry.
    Custom,
}

impl AuthScheme {
    /// As written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthScheme::None => "none",
            AuthScheme::Bearer => "bearer",
            AuthScheme::Basic => "basic",
            AuthScheme::ApiKey => "api_key",
            AuthScheme::Custom => "custom",
        }
    }

    /// From the wire.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "none" => AuthScheme::None,
            "bearer" => AuthScheme::Bearer,
            "basic" => AuthScheme::Basic,
            "api_key" => AuthScheme::ApiKey,
            "custom" => AuthScheme::Custom,
            _ => return None,
        })
    }
}

/// One webhook. `secret` is what deliveries are signed with: AgentPhone's `whsec_…`, made
/// anew on every create and update; Talkover's `webhook_secret`, when one was given (without
/// one, deliveries carry no signature).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    /// `wh_…` (AgentPhone) or a UUID (Talkover).
    pub id: String,
    /// The API it belongs to.
    pub api: Api,
    /// Its agent; `None` only for AgentPhone's project webhook.
    pub agent: Option<AgentId>,
    /// Talkover's `name` (empty for AgentPhone's).
    #[serde(default)]
    pub name: String,
    /// Where deliveries go (http or https, checked by [`super::url::check_url`]).
    pub url: String,
    /// The signing secret.
    #[serde(default)]
    pub secret: Option<String>,
    /// Talkover's subscribed event names; AgentPhone's webhooks receive every event.
    #[serde(default)]
    pub events: Vec<String>,
    /// Seconds one attempt may take (5 to 120).
    pub timeout_seconds: u32,
    /// Every attempt, the first included.
    pub attempts: u8,
    /// Whether deliveries are made (a disabled webhook receives nothing, tests aside).
    pub enabled: bool,
    /// Talkover's `http_method`.
    #[serde(default)]
    pub method: Method,
    /// Talkover's `authorization_scheme`.
    #[serde(default)]
    pub auth_scheme: AuthScheme,
    /// Extension: the credential the scheme sends (never echoed).
    #[serde(default)]
    pub auth_token: Option<String>,
    /// Talkover's `custom_headers`, in order.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// AgentPhone's `contextLimit` (0 to 50).
    #[serde(default)]
    pub context_limit: u8,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// Talkover's defaults and bounds, as documented.
pub mod limits {
    /// Default and range of `timeout`, seconds.
    pub const TIMEOUT: (u32, u32, u32) = (30, 5, 120);
    /// Default and range of `max_retries`.
    pub const MAX_RETRIES: (u8, u8, u8) = (3, 0, 10);
    /// Default and range of AgentPhone's `contextLimit`.
    pub const CONTEXT_LIMIT: (u8, u8, u8) = (10, 0, 50);
    /// Longest `name`.
    pub const NAME_CHARS: usize = 255;
    /// Longest Talkover `webhook_url`.
    pub const TALKOVER_URL_CHARS: usize = 500;
    /// Longest AgentPhone `url`.
    pub const AGENTPHONE_URL_CHARS: usize = 2083;
    /// Longest `webhook_secret`.
    pub const SECRET_CHARS: usize = 255;
    /// Most `custom_headers`.
    pub const HEADERS: usize = 20;
    /// Longest header value.
    pub const HEADER_VALUE_CHARS: usize = 1000;
}

impl Webhook {
    /// How its deliveries are retried.
    pub fn retry_policy(&self, first_wait_ms: u64) -> RetryPolicy {
        RetryPolicy {
            attempts: self.attempts.max(1),
            first_wait_ms,
        }
    }

    /// The attempts an AgentPhone webhook makes.
    pub const AGENTPHONE_ATTEMPTS: u8 = AGENTPHONE_ATTEMPTS;

    /// The published first wait.
    pub const FIRST_WAIT_MS: u64 = FIRST_WAIT_MS;

    /// Whether it wants `kind` (enabled, and for Talkover's, subscribed to its name).
    pub fn wants(&self, kind: EventKind) -> bool {
        self.enabled
            && match self.api {
                Api::AgentPhone => true,
                Api::Talkover => self.events.iter().any(|e| e == kind.talkover_name()),
            }
    }

    /// `active` or `disabled`, as both APIs show it.
    pub fn status(&self) -> &'static str {
        if self.enabled { "active" } else { "disabled" }
    }
}

/// The webhooks an event about `agent` goes to, in the order given: every Talkover webhook of
/// that agent subscribed to it, and in AgentPhone's API the agent's own webhook if it has one,
/// otherwise the project's ("delivered to exactly one endpoint, never both"). An event with no
/// agent goes to the project webhook only.
pub fn recipients(webhooks: &[Webhook], agent: Option<AgentId>, kind: EventKind) -> Vec<&Webhook> {
    let own_agentphone = agent.is_some()
        && webhooks
            .iter()
            .any(|w| w.api == Api::AgentPhone && w.agent == agent);
    webhooks
        .iter()
        .filter(|w| match w.api {
            Api::Talkover => agent.is_some() && w.agent == agent,
            Api::AgentPhone if own_agentphone => w.agent == agent,
            Api::AgentPhone => w.agent.is_none(),
        })
        .filter(|w| w.wants(kind))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(id: &str, api: Api, agent: Option<AgentId>, events: &[&str]) -> Webhook {
        Webhook {
            id: id.into(),
            api,
            agent,
            name: String::new(),
            url: "https://example.com/h".into(),
            secret: None,
            events: events.iter().map(|e| (*e).to_owned()).collect(),
            timeout_seconds: 30,
            attempts: 6,
            enabled: true,
            method: Method::Post,
            auth_scheme: AuthScheme::None,
            auth_token: None,
            headers: Vec::new(),
            context_limit: 10,
            created_at: Timestamp::EPOCH,
            updated_at: Timestamp::EPOCH,
        }
    }

    fn ids(hooks: Vec<&Webhook>) -> Vec<&str> {
        hooks.into_iter().map(|w| w.id.as_str()).collect()
    }

    #[test]
    fn an_agents_own_agentphone_webhook_replaces_the_projects_for_its_events() {
        let a = AgentId::parse("9fbef0b7-8d4e-4a08-9207-66c22155721d").ok();
        let b = AgentId::parse("11111111-8d4e-4a08-9207-66c22155721d").ok();
        let mut hooks = vec![
            hook("project", Api::AgentPhone, None, &[]),
            hook("a-own", Api::AgentPhone, a, &[]),
            hook("a-talkover", Api::Talkover, a, &["event_phone_call_ended"]),
            hook(
                "a-talkover-other",
                Api::Talkover,
                a,
                &["event_phone_call_started"],
            ),
        ];
        assert_eq!(
            ids(recipients(&hooks, a, EventKind::CallEnded)),
            ["a-own", "a-talkover"]
        );
        assert_eq!(
            ids(recipients(&hooks, b, EventKind::CallEnded)),
            ["project"]
        );
        assert_eq!(
            ids(recipients(&hooks, None, EventKind::CallEnded)),
            ["project"]
        );
        // deleting the agent's webhook falls back to the project's
        hooks.remove(1);
        assert_eq!(
            ids(recipients(&hooks, a, EventKind::CallEnded)),
            ["project", "a-talkover"]
        );
        // a disabled webhook receives nothing
        if let Some(h) = hooks.get_mut(0) {
            h.enabled = false;
        }
        assert_eq!(
            ids(recipients(&hooks, a, EventKind::CallEnded)),
            ["a-talkover"]
        );
    }
}
