//! Dialback's operator endpoints beside Talkover's: `GET /api/v1/health` (the one Talkover's
//! auth page probes, whose answer it does not print) and the `GET /api/v1/token` extension.

use serde::{Deserialize, Serialize};

use crate::token::Scope;

/// Whether a part of the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// It answers.
    Ok,
    /// It does not.
    Unavailable,
}

/// The health answer: `/healthz` as is, `/api/v1/health` in Talkover's envelope (with
/// `success: false` and status 503 when storage does not answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Health {
    /// The server as a whole: `ok` when every part is.
    pub status: HealthStatus,
    /// The database.
    pub database: HealthStatus,
    /// The server's version.
    pub version: String,
    /// The IANA tz database release its answers follow (`2026f`): the one compiled in, or the
    /// one `--tzdata` loaded.
    pub tzdata: String,
}

impl Health {
    /// The health of a server whose database answers or not.
    pub fn of(database_answers: bool, version: &str, tzdata: &str) -> Self {
        let status = if database_answers {
            HealthStatus::Ok
        } else {
            HealthStatus::Unavailable
        };
        Health {
            status,
            database: status,
            version: version.to_owned(),
            tzdata: tzdata.to_owned(),
        }
    }
}

/// `data` of `GET /api/v1/token` (a Dialback extension): the connected token, never its
/// secret, so that a console can say what it may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TokenBody {
    /// The token's id, as `dialback token list` shows it.
    pub id: i64,
    /// What it is for.
    pub label: String,
    /// What it may do.
    pub scope: Scope,
    /// The environment it opens.
    pub environment: String,
    /// When it was made (RFC 3339, UTC).
    pub created_at: String,
    /// When it stops working, if ever (RFC 3339, UTC).
    pub expires_at: Option<String>,
}
