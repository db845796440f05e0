//! Environment tokens: `talq_` + 40 random base62 characters, stored only as SHA-256.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

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

/// The stored form of a token.
pub fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Whether a presented token's hash equals a stored one, in constant time.
pub fn matches(presented: &[u8; 32], stored: &[u8; 32]) -> bool {
    presented.ct_eq(stored).into()
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
        assert!(matches(&hash(&a), &hash(&a)));
        assert!(!matches(&hash(&a), &hash(&b)));
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
