//! The signature every delivery carries, exactly as AgentPhone documents it and its official
//! SDK verifies it (`verify_webhook`, `construct_event`): `X-Webhook-Signature: sha256=` and
//! the lowercase hex HMAC-SHA256 of `"{X-Webhook-Timestamp}.{body}"`, keyed with the secret's
//! UTF-8 bytes, `whsec_` prefix included. Talkover documents no scheme, so its deliveries are
//! signed the same way with the webhook's `webhook_secret`: one verifier serves both.
//!
//! HMAC (RFC 2104) is written out here over `sha2` rather than taken from another crate: it
//! is twelve lines, pinned below by RFC 4231's vectors and the SDK's own.

use sha2::{Digest, Sha256};

/// How far a receiver's clock may be from the timestamp, either way, before it refuses
/// (the SDK's default tolerance).
pub const TOLERANCE_SECONDS: i64 = 300;

const BLOCK: usize = 64;

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[&[u8]]) -> [u8; 32] {
    let hashed;
    let key = if key.len() > BLOCK {
        hashed = Sha256::digest(key);
        hashed.as_slice()
    } else {
        key
    };
    let mut block = [0u8; BLOCK];
    for (b, k) in block.iter_mut().zip(key) {
        *b = *k;
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    for part in message {
        inner.update(part);
    }
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The `X-Webhook-Signature` value for `body` sent at `timestamp` (Unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let ts = timestamp.to_string();
    let mac = hmac_sha256(secret.as_bytes(), &[ts.as_bytes(), b".", body]);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for b in mac {
        use std::fmt::Write;
        // writing to a String cannot fail
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Why a delivery was not accepted by [`verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The timestamp is not a decimal integer.
    #[error("the timestamp is not Unix seconds")]
    BadTimestamp,
    /// The timestamp is more than [`TOLERANCE_SECONDS`] away from now.
    #[error("the timestamp is outside the tolerance")]
    Stale,
    /// The signature does not match the body.
    #[error("the signature does not match")]
    Mismatch,
    /// A header the signature needs (`X-Webhook-Signature`, `X-Webhook-Timestamp`,
    /// `X-Webhook-ID`) is missing or empty.
    #[error("{0} is missing")]
    Missing(&'static str),
    /// The very same signed delivery was received before: a replay (a retry is signed anew).
    #[error("this delivery was received before, with this very signature: a replay")]
    Replayed,
}

impl crate::error::ErrorCode for SignatureError {
    fn code(&self) -> &'static str {
        match self {
            SignatureError::BadTimestamp => "WEBHOOK_BAD_TIMESTAMP",
            SignatureError::Stale => "WEBHOOK_STALE",
            SignatureError::Mismatch => "WEBHOOK_SIGNATURE_MISMATCH",
            SignatureError::Missing(_) => "WEBHOOK_HEADER_MISSING",
            SignatureError::Replayed => "WEBHOOK_REPLAYED",
        }
    }
}

/// What a receiver does: checks the timestamp against `now` and the signature against the
/// body, in constant time.
pub fn verify(
    secret: &str,
    timestamp: &str,
    body: &[u8],
    signature: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    if now.abs_diff(ts) > TOLERANCE_SECONDS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    let expected = sign(secret, ts, body);
    let (a, b) = (expected.as_bytes(), signature.trim().as_bytes());
    let differ = a.len() != b.len() || a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) != 0;
    if differ {
        Err(SignatureError::Mismatch)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn rfc_4231_vectors() {
        // test case 1
        let key = [0x0bu8; 20];
        assert_eq!(
            hex(&hmac_sha256(&key, &[b"Hi There"])),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        // test case 2: a short key
        assert_eq!(
            hex(&hmac_sha256(
                b"Jefe",
                &[b"what do ya want ", b"for nothing?"]
            )),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // test case 6: a key longer than the block
        let key = [0xaau8; 131];
        assert_eq!(
            hex(&hmac_sha256(
                &key,
                &[b"Test Using Larger Than Block-Size Key - Hash Key First"]
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// The vector the AgentPhone SDK accepts (WEBHOOKS.md §1.3).
    const BODY: &str = concat!(
        r#"{"event":"agent.message","channel":"sms","timestamp":"2025-01-15T12:00:00Z","#,
        r#""agentId":"agt_abc123","data":{"from":"+15559876543","to":"+15551234567","#,
        r#""message":"hi"}}"#
    );

    #[test]
    fn the_sdks_vector_is_signed_and_verified() {
        let sig = sign("whsec_test_secret", 1_736_942_400, BODY.as_bytes());
        assert_eq!(
            sig,
            "sha256=04b1a13173c9f1a8f7b7d9f24992584916e24e089395b5df592f80c7869721de"
        );
        assert_eq!(
            verify(
                "whsec_test_secret",
                "1736942400",
                BODY.as_bytes(),
                &sig,
                1_736_942_400 + 299
            ),
            Ok(())
        );
    }

    #[test]
    fn a_tampered_body_a_stale_time_or_another_secret_is_refused() {
        let sig = sign("whsec_test_secret", 1_736_942_400, BODY.as_bytes());
        let now = 1_736_942_400;
        let tampered = BODY.replace("hi", "ho");
        assert_eq!(
            verify(
                "whsec_test_secret",
                "1736942400",
                tampered.as_bytes(),
                &sig,
                now
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("whsec_other", "1736942400", BODY.as_bytes(), &sig, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                "whsec_test_secret",
                "1736942400",
                BODY.as_bytes(),
                &sig,
                now + 301
            ),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(
                "whsec_test_secret",
                "1736942400",
                BODY.as_bytes(),
                &sig,
                now - 301
            ),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify("whsec_test_secret", "soon", BODY.as_bytes(), &sig, now),
            Err(SignatureError::BadTimestamp)
        );
        assert_eq!(
            verify(
                "whsec_test_secret",
                "1736942400",
                BODY.as_bytes(),
                "sha256=00",
                now
            ),
            Err(SignatureError::Mismatch)
        );
    }
}
