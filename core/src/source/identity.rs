//! The Dialback id of a platform's record: the same on every run and in every server, so a
//! second sync finds the agents and numbers a first one stored, and a call is stored once.
//!
//! A platform id that is a UUID is kept as it is: Talkover's ids are UUIDs, and an agent seen
//! through both of a server's APIs (Dialback's own, which serves both) is then one agent.
//! Any other id (AgentPhone's `agt_…`, the docs' `agent-uuid-1`) is mapped to a version 8
//! UUID made of the first 16 bytes of SHA-256 over `dialback/{platform}/{kind}/{id}`: stable,
//! and distinct across platforms and kinds.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Platform;
use crate::agent::AgentId;
use crate::phone::NumberId;

/// The Dialback id of a platform's agent.
pub fn local_agent_id(platform: Platform, platform_id: &str) -> AgentId {
    AgentId::from_uuid(local(platform, "agent", platform_id))
}

/// The Dialback id of a platform's number (a number is also matched by its E.164 form, so
/// this only names a number the environment did not have).
pub fn local_number_id(platform: Platform, platform_id: &str) -> NumberId {
    NumberId::from_uuid(local(platform, "number", platform_id))
}

/// The `external_id` a platform's call is stored under: the platform and its id there, so that
/// calls are idempotent on `(platform, call id)` and never collide with a telephony
/// provider's SIDs that clients send as `external_id`.
pub fn call_key(platform: Platform, call_id: &str) -> String {
    format!("{platform}:{call_id}")
}

fn local(platform: Platform, kind: &str, id: &str) -> Uuid {
    if let Ok(uuid) = Uuid::try_parse(id) {
        return uuid;
    }
    let digest = Sha256::new()
        .chain_update(b"dialback/")
        .chain_update(platform.as_str())
        .chain_update(b"/")
        .chain_update(kind)
        .chain_update(b"/")
        .chain_update(id)
        .finalize();
    let mut bytes = [0u8; 16];
    for (b, d) in bytes.iter_mut().zip(digest.iter()) {
        *b = *d;
    }
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_is_kept_and_any_other_id_is_mapped_the_same_way_every_time() {
        let uuid = "550e8400-e29b-41d4-a716-446655440000";
        assert_eq!(local_agent_id(Platform::Talkover, uuid).to_string(), uuid);
        assert_eq!(local_agent_id(Platform::Agentphone, uuid).to_string(), uuid);
        // pinned (and checked by hand: SHA-256 of the name, version and variant bits set):
        // a release that mapped ids differently would duplicate every synced agent
        assert_eq!(
            local_agent_id(Platform::Agentphone, "agt_123").to_string(),
            local_agent_id(Platform::Agentphone, "agt_123").to_string()
        );
        let mapped = local_agent_id(Platform::Agentphone, "agt_123").to_string();
        assert_eq!(mapped, "605ccd51-4971-8231-8ae3-f085b48ab34b", "{mapped}");
        assert_ne!(
            local_agent_id(Platform::Agentphone, "agt_123"),
            local_agent_id(Platform::Talkover, "agt_123")
        );
        assert_ne!(
            local_agent_id(Platform::Agentphone, "x").to_string(),
            local_number_id(Platform::Agentphone, "x").to_string()
        );
    }

    #[test]
    fn call_keys_name_the_platform() {
        assert_eq!(call_key(Platform::Talkover, "c-1"), "talkover:c-1");
        assert_eq!(
            call_key(Platform::Agentphone, "call_9"),
            "agentphone:call_9"
        );
    }
}
