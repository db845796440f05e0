//! Extension: a source (a platform an environment syncs from) as `GET /api/v1/sources` lists
//! it: where it reads, where its runs stand, and the path its webhooks are received at. Its
//! credentials appear only as the references they are stored by (`env:NAME`, `file:PATH`).

use serde::{Deserialize, Serialize};

use crate::source::Platform;
use crate::time::Timestamp;

/// A source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SourceBody {
    /// Its id.
    pub id: i64,
    /// `talkover` or `agentphone`.
    pub platform: Platform,
    /// The platform's base URL.
    pub base_url: String,
    /// Where its API token is read from (`env:NAME` or `file:PATH`), never the token.
    pub token: String,
    /// Where AgentPhone's webhooks for it are received (`/hooks/agentphone/{id}`), when it
    /// has a webhook secret.
    pub webhook_path: Option<String>,
    /// When it was added.
    pub created_at: Timestamp,
    /// Where its next run starts reading calls.
    pub cursor: Option<Timestamp>,
    /// When its last run started.
    pub last_run_at: Option<Timestamp>,
    /// When its last successful run ended.
    pub last_ok_at: Option<Timestamp>,
    /// Why its last run failed (none if it succeeded).
    pub last_error: Option<String>,
    /// Agents the platform listed at the last successful run.
    pub agents: u64,
    /// Numbers the platform listed at the last successful run.
    pub numbers: u64,
    /// Calls its runs stored.
    pub calls: u64,
    /// A run is going on now.
    pub syncing: bool,
}
