//! [`ApiToken`]: the shape of a Talkover bearer token, checked before any request is made
//! with it (by the console as the user types or pastes it, by the server on every request).

use std::fmt;

use crate::error::ErrorCode;

/// Every token starts with this.
pub const TOKEN_PREFIX: &str = "talq_";
/// The longest token accepted, prefix included.
pub const MAX_TOKEN_LEN: usize = 200;

/// A token of the right shape: `talq_` followed by 1–195 letters, digits, `_` or `-`. (Tokens
/// this server issues are `talq_` + 40 base62 characters; hosted Talkover tokens may differ in
/// length, so only the shape is checked here and the server decides whether it is valid.)
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApiToken(String);

/// Why a text is not a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Nothing was given.
    #[error("paste the API token (it starts with {TOKEN_PREFIX})")]
    Missing,
    /// It does not start with the prefix.
    #[error("an API token starts with {TOKEN_PREFIX}")]
    Prefix,
    /// Characters other than letters, digits, `_` and `-`.
    #[error("an API token has only letters, digits, _ and - after {TOKEN_PREFIX}")]
    Characters,
    /// Too long, or nothing after the prefix.
    #[error("an API token is {min} to {MAX_TOKEN_LEN} characters long, this one is {0}",
        min = TOKEN_PREFIX.len() + 1)]
    Length(usize),
}

impl ErrorCode for TokenError {
    fn code(&self) -> &'static str {
        match self {
            TokenError::Missing => "TOKEN_MISSING",
            TokenError::Prefix => "TOKEN_PREFIX",
            TokenError::Characters => "TOKEN_CHARACTERS",
            TokenError::Length(_) => "TOKEN_LENGTH",
        }
    }
}

impl ApiToken {
    /// Parses a token as a user would paste it: surrounding blanks and a leading `Bearer `
    /// are dropped.
    ///
    /// ```
    /// use dialback_core::ApiToken;
    /// let t =
    ///     ApiToken::parse(" Bearer talq_0123456789abcdefABCDEF0123456789abcdefABCD ").unwrap();
    /// assert_eq!(t.as_str(), "talq_0123456789abcdefABCDEF0123456789abcdefABCD");
    /// assert_eq!(ApiToken::parse("sk_live_123").unwrap_err().to_string(),
    ///     "an API token starts with talq_");
    /// ```
    pub fn parse(input: &str) -> Result<Self, TokenError> {
        let text = input.trim();
        let text = match text.split_once(char::is_whitespace) {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ if text.eq_ignore_ascii_case("bearer") => "",
            _ => text,
        };
        if text.is_empty() {
            return Err(TokenError::Missing);
        }
        let Some(body) = text.strip_prefix(TOKEN_PREFIX) else {
            return Err(TokenError::Prefix);
        };
        if !body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(TokenError::Characters);
        }
        let len = text.chars().count();
        if body.is_empty() || len > MAX_TOKEN_LEN {
            return Err(TokenError::Length(len));
        }
        Ok(ApiToken(text.to_owned()))
    }

    /// The token text, for the `Authorization` header.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never prints the secret: `ApiToken(talq_…, 45 chars)`.
impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiToken({TOKEN_PREFIX}…, {} chars)", self.0.len())
    }
}

/// What a token may do. The server refuses a read-only token's writes with 403; the console
/// disables its write controls for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Everything.
    Write,
    /// Read everything, change nothing.
    Read,
}

impl Scope {
    /// As stored and shown: `write` or `read`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Write => "write",
            Scope::Read => "read",
        }
    }

    /// From its stored form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "write" => Some(Scope::Write),
            "read" => Some(Scope::Read),
            _ => None,
        }
    }

    /// Whether a token of this scope may change data.
    pub fn may_write(self) -> bool {
        self == Scope::Write
    }
}

/// When a token made at `issued` for `days` days stops working: `days` × 24 hours later (a
/// span of time, not local calendar days, so a zone's clock changes do not move it). `None`
/// past the last representable second.
pub fn expiry(issued: crate::Timestamp, days: u32) -> Option<crate::Timestamp> {
    let seconds = i64::from(days).checked_mul(86_400)?;
    crate::Timestamp::from_unix_seconds(issued.unix_seconds().checked_add(seconds)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_expires_whole_days_of_24_hours_after_it_was_made() {
        let at = |s: &str| crate::Timestamp::parse(s).unwrap();
        // across New York's spring-forward night: still 24 hours a day
        assert_eq!(
            expiry(at("2026-03-07T12:00:00Z"), 2),
            Some(at("2026-03-09T12:00:00Z"))
        );
        assert_eq!(expiry(at("9999-12-31T00:00:00Z"), 1), None);
    }

    fn check(input: &str, expected: Result<&str, &str>) {
        let got = ApiToken::parse(input);
        match expected {
            Ok(text) => assert_eq!(got.map(|t| t.0).as_deref(), Ok(text), "{input:?}"),
            Err(code) => assert_eq!(got.map_err(|e| e.code()).err(), Some(code), "{input:?}"),
        }
    }

    #[test]
    fn shapes() {
        let t = format!("talq_{}", "a".repeat(40));
        check(&t, Ok(&t));
        check(&format!("  {t}\n"), Ok(&t));
        check(&format!("Bearer {t}"), Ok(&t));
        check(&format!("bearer   {t}"), Ok(&t));
        check("talq_x", Ok("talq_x"));
        check("talq_a-b_C9", Ok("talq_a-b_C9"));
        check("", Err("TOKEN_MISSING"));
        check("   ", Err("TOKEN_MISSING"));
        check("Bearer ", Err("TOKEN_MISSING"));
        check("sk_live_abc", Err("TOKEN_PREFIX"));
        check("TALQ_abc", Err("TOKEN_PREFIX"));
        check("talq_", Err("TOKEN_LENGTH"));
        check(&format!("talq_{}", "a".repeat(196)), Err("TOKEN_LENGTH"));
        check("talq_ab cd", Err("TOKEN_CHARACTERS"));
        check("talq_abé", Err("TOKEN_CHARACTERS"));
    }

    #[test]
    fn debug_hides_the_secret() {
        let t = ApiToken::parse("talq_secretsecret").unwrap();
        assert!(!format!("{t:?}").contains("secret"));
    }
}
