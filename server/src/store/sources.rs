//! Sources as stored configuration: which platform an environment syncs from, where, with
//! which credentials (by reference: the name of an environment variable or a file, never the
//! secret itself, so a database copy or backup leaks none), and where its last run left off.
//!
//! A source's state is one JSON document beside the columns it is found by, so a release can
//! add to what a run records without a migration.

use dialback_core::Timestamp;
use dialback_core::source::Platform;
use serde::{Deserialize, Serialize};

use super::{EnvId, Result};

/// A secret by reference: `env:NAME` or `file:/path`, read when a run needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum SecretRef {
    /// An environment variable of the process that runs the sync.
    Env(String),
    /// A file (its content, without surrounding white space).
    File(String),
}

impl SecretRef {
    /// Reads the secret; the error names the reference, never the value.
    pub fn read(&self) -> std::result::Result<String, String> {
        let value = match self {
            SecretRef::Env(name) => std::env::var(name)
                .map_err(|_| format!("environment variable {name} is not set"))?,
            SecretRef::File(path) => {
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
            }
        };
        let value = value.trim();
        match value.is_empty() {
            true => Err(format!("{self} is empty")),
            false => Ok(value.to_owned()),
        }
    }
}

impl std::fmt::Display for SecretRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretRef::Env(name) => write!(f, "env:{name}"),
            SecretRef::File(path) => write!(f, "file:{path}"),
        }
    }
}

impl TryFrom<String> for SecretRef {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        match s.split_once(':') {
            Some(("env", name)) if !name.is_empty() => Ok(SecretRef::Env(name.to_owned())),
            Some(("file", path)) if !path.is_empty() => Ok(SecretRef::File(path.to_owned())),
            _ => Err(format!("{s:?} is neither env:NAME nor file:PATH")),
        }
    }
}

impl From<SecretRef> for String {
    fn from(r: SecretRef) -> String {
        r.to_string()
    }
}

/// Whether a webhook delivery was stored before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// First seen now.
    New,
    /// Sent again with a new timestamp and signature: the platform retrying.
    Retried,
    /// The same request again, signature and all: a replay.
    Replayed,
}

/// A source to add.
#[derive(Debug, Clone)]
pub struct NewSource {
    /// The environment it syncs into.
    pub env: EnvId,
    /// The platform's API.
    pub platform: Platform,
    /// Its base URL (`https://app.talkover.ai`, `https://api.agentphone.ai`).
    pub base_url: String,
    /// The API token.
    pub token: SecretRef,
    /// The `whsec_` secret its webhooks are signed with (AgentPhone), if it sends them here.
    pub webhook_secret: Option<SecretRef>,
    /// When it was added.
    pub created_at: Timestamp,
}

/// Where a source's runs stand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// Where the next run starts reading calls (RFC 3339), if one ran.
    pub cursor: Option<Timestamp>,
    /// When the last run started.
    pub last_run_at: Option<Timestamp>,
    /// When the last run that succeeded ended.
    pub last_ok_at: Option<Timestamp>,
    /// Why the last run failed (none if it succeeded).
    pub last_error: Option<String>,
    /// Agents the platform listed, at the last successful run.
    pub agents: u64,
    /// Numbers the platform listed, at the last successful run.
    pub numbers: u64,
    /// Calls its runs stored, over every run (webhook deliveries are not counted here).
    pub calls: u64,
}

/// A stored source.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its id.
    pub id: i64,
    /// The environment it syncs into.
    pub env: EnvId,
    /// The platform's API.
    pub platform: Platform,
    /// Its base URL.
    pub base_url: String,
    /// The API token, by reference.
    pub token: SecretRef,
    /// The webhook secret, by reference.
    pub webhook_secret: Option<SecretRef>,
    /// When it was added.
    pub created_at: Timestamp,
    /// Its runs.
    pub state: SyncState,
}

/// The durable side of sources.
pub trait Sources: Send + Sync {
    /// Every source, of every environment, oldest first.
    fn sources(&self) -> Result<Vec<Source>>;
    /// Adds a source; its id.
    fn add_source(&self, source: &NewSource) -> Result<i64>;
    /// Removes a source (what it synced stays); `false` when there was none.
    fn remove_source(&self, id: i64) -> Result<bool>;
    /// Records where a source's runs stand.
    fn save_state(&self, id: i64, state: &SyncState) -> Result<()>;
}

/// The columns a source row is read from, in this order.
pub(super) const SOURCE_COLUMNS: &str =
    "id, environment_id, platform, base_url, token_ref, secret_ref, created_at, state";

/// A source from its columns.
pub(super) fn decode(
    (id, env, platform, base_url, token, secret, created, state): (
        i64,
        EnvId,
        String,
        String,
        String,
        Option<String>,
        i64,
        String,
    ),
) -> Result<Source> {
    let corrupt =
        |what: &str, e: String| super::StoreError::Corrupt(format!("source {id}: {what}: {e}"));
    Ok(Source {
        id,
        env,
        platform: Platform::parse(&platform)
            .ok_or_else(|| corrupt("platform", platform.clone()))?,
        base_url,
        token: SecretRef::try_from(token).map_err(|e| corrupt("token", e))?,
        webhook_secret: secret
            .map(SecretRef::try_from)
            .transpose()
            .map_err(|e| corrupt("webhook secret", e))?,
        created_at: Timestamp::from_unix_seconds(created)
            .ok_or_else(|| corrupt("created_at", created.to_string()))?,
        state: serde_json::from_str(&state).map_err(|e| corrupt("state", e.to_string()))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_kept_by_reference_and_read_when_needed() {
        let r = SecretRef::try_from("env:DIALBACK_TEST_SOURCE_TOKEN".to_owned()).unwrap();
        assert_eq!(r.to_string(), "env:DIALBACK_TEST_SOURCE_TOKEN");
        let e = r.read().unwrap_err();
        assert!(e.contains("DIALBACK_TEST_SOURCE_TOKEN"), "{e}");
        assert!(SecretRef::try_from("talq_abc".to_owned()).is_err());
        let dir = std::env::temp_dir().join(format!("dialback-secret-{}", std::process::id()));
        std::fs::write(&dir, "  whsec_abc\n").unwrap();
        let f = SecretRef::File(dir.display().to_string());
        assert_eq!(f.read().unwrap(), "whsec_abc");
        let _ = std::fs::remove_file(dir);
    }
}
