//! Environment tokens: `talq_` + 40 random base62 characters, stored only as SHA-256, each
//! with a scope, an optional expiry, and a revocation time once revoked.
//!
//! A presented token is looked up by its hash on every request (see `App::authenticate`):
//! timing can only tell an attacker about a SHA-256 of what they sent, which does not help
//! them find a stored one.

use sha2::{Digest, Sha256};

use crate::store::{EnvId, Store, StoreError};

pub use crate::store::tokens::{Grant, NewToken, Scope, TokenInfo};

/// The token prefix Talkover uses.
pub const PREFIX: &str = dialback_core::token::TOKEN_PREFIX;
const BODY_LEN: usize = 40;
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A new random token (about 238 bits of entropy).
pub fn generate() -> Result<String, getrandom::Error> {
    let mut out = String::with_capacity(PREFIX.len() + BODY_LEN);
    out.push_str(PREFIX);
    while out.len() < PREFIX.len() + BODY_LEN {
        let mut bytes = [0u8; 64];
        getrandom::fill(&mut bytes)?;
        // rejection sampling keeps every character equally likely
        for b in bytes.iter().filter(|b| **b < 248) {
            if out.len() == PREFIX.len() + BODY_LEN {
                break;
            }
            if let Some(c) = BASE62.get(usize::from(*b % 62)) {
                out.push(char::from(*c));
            }
        }
    }
    Ok(out)
}

/// Issues a token for an environment and returns its id and the token (shown once, never
/// stored); with `replace`, revokes the environment's earlier tokens of the same label.
pub fn issue(
    store: &dyn Store,
    env: EnvId,
    token: &NewToken,
    replace: bool,
    at: dialback_core::Timestamp,
) -> Result<(i64, String), StoreError> {
    let secret = generate().map_err(|e| StoreError::Internal(format!("no randomness: {e}")))?;
    let id = store
        .tokens()
        .add_token(env, &hash(&secret), token, replace, at)?;
    Ok((id, secret))
}

/// The stored form of a token.
pub fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The token of an `Authorization: Bearer ...` header value, if it has the shape the core
/// checks (the console checks the same before sending it).
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && dialback_core::ApiToken::parse(token).is_ok())
        .then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_talkover_shape_and_differ() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 45);
        assert!(a.starts_with("talq_") && a[5..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
    }

    #[test]
    fn bearer_header() {
        assert_eq!(bearer("Bearer talq_abc"), Some("talq_abc"));
        assert_eq!(bearer("bearer  talq_abc "), Some("talq_abc"));
        assert_eq!(bearer("Basic talq_abc"), None);
        assert_eq!(bearer("Bearer abc"), None);
        assert_eq!(bearer("talq_abc"), None);
        assert_eq!(bearer("Bearer talq_a%b"), None);
    }
}
