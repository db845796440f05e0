//! Environments, their plans, and the records of their tokens: what every request's
//! authentication reads. The tokens themselves (their form, their hashing) are `auth`'s; the
//! store keeps only these records, so it depends on nothing above it.

use dialback_core::{Plan, Timestamp};

pub use dialback_core::token::Scope;

use super::{EnvId, Result};

/// What a valid (stored, unrevoked) token grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    /// The token's id (not the token).
    pub token_id: i64,
    /// Its environment.
    pub env: EnvId,
    /// What it may do.
    pub scope: Scope,
    /// When it stops working, if ever.
    pub expires_at: Option<Timestamp>,
}

/// A token as `dialback token list` shows it: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Its id, for `dialback token revoke`.
    pub id: i64,
    /// What it is for.
    pub label: String,
    /// What it may do.
    pub scope: Scope,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was last used (recorded in batches, so up to a few seconds late).
    pub last_used_at: Option<Timestamp>,
    /// When it stops working.
    pub expires_at: Option<Timestamp>,
    /// When it was revoked.
    pub revoked_at: Option<Timestamp>,
}

/// A token to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// What it is for.
    pub label: String,
    /// What it may do.
    pub scope: Scope,
    /// When it stops working.
    pub expires_at: Option<Timestamp>,
}

/// Environments, plans and token records, on either backend.
pub trait Tokens {
    /// All environments.
    fn environments(&self) -> Result<Vec<(EnvId, String)>>;
    /// Creates an environment.
    fn create_environment(&self, name: &str, at: Timestamp) -> Result<EnvId>;
    /// An environment's plan (the default plan when none was set).
    fn plan(&self, env: EnvId) -> Result<Plan>;
    /// Sets an environment's plan.
    fn set_plan(&self, env: EnvId, plan: &Plan) -> Result<()>;
    /// Adds a token (stored as its SHA-256), issued `at`, and returns its id; with `replace`,
    /// first revokes the environment's tokens with the same label (as of `at`).
    fn add_token(
        &self,
        env: EnvId,
        hash: &[u8; 32],
        token: &NewToken,
        replace: bool,
        at: Timestamp,
    ) -> Result<i64>;
    /// What a token (by its SHA-256) grants, unless it is unknown or revoked (expiry is the
    /// caller's to check, against its clock). Asked on every request, so a token created or
    /// revoked by another process counts at once: a point look-up that never waits behind
    /// long reads.
    fn token(&self, hash: &[u8; 32]) -> Result<Option<Grant>>;
    /// An environment's tokens, oldest first.
    fn tokens_of(&self, env: EnvId) -> Result<Vec<TokenInfo>>;
    /// Revokes a token by id; `false` if there is none (or it was revoked before).
    fn revoke_token(&self, id: i64, at: Timestamp) -> Result<bool>;
    /// Records when tokens were last used (batched by the server).
    fn touch_tokens(&self, used: &[(i64, Timestamp)]) -> Result<()>;
}
