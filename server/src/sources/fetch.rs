//! Reading a platform's pages over HTTP, politely: `429` waits as long as `Retry-After` asks
//! (the run is slower, not failed), a `5xx`, a timeout or a dropped connection is tried again
//! with backoff, and any other refusal stops the run naming the page. The token goes in the
//! `Authorization` header only; nothing here logs or reports it.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, RETRY_AFTER};

use super::SyncError;

/// Tries of one page that fail with a `5xx`, a timeout or a connection error.
const TRIES: u32 = 6;

/// `429`s in a row that one page may get (each waiting what it asks, up to [`LONGEST_WAIT`]).
const RATE_LIMITED_TRIES: u32 = 60;

/// The longest wait a `Retry-After` is granted.
const LONGEST_WAIT: Duration = Duration::from_secs(120);

/// One page may take this long to arrive.
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);

/// The first backoff after a failure; it doubles each time.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

/// A platform's API, with its token.
#[derive(Clone)]
pub struct Platform {
    http: reqwest::Client,
    base: String,
    bearer: String,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Platform {
    /// The API at `base` (scheme, host and any path prefix), with `token`.
    pub fn new(base: &str, token: &str) -> Result<Self, SyncError> {
        let http = reqwest::Client::builder()
            .timeout(PAGE_TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("dialback/", env!("CARGO_PKG_VERSION"), " (sync)"))
            .build()
            .map_err(|e| SyncError::Setup(format!("HTTP client: {e}")))?;
        Ok(Platform {
            http,
            base: base.trim_end_matches('/').to_owned(),
            bearer: format!("Bearer {token}"),
        })
    }

    /// The body of `path` (with its query), after every retry it deserves.
    pub async fn get(&self, path: &str) -> Result<bytes::Bytes, SyncError> {
        let url = format!("{}{path}", self.base);
        let (mut failures, mut limited) = (0u32, 0u32);
        loop {
            let why = match self
                .http
                .get(&url)
                .header(AUTHORIZATION, &self.bearer)
                .header("Accept", "application/json")
                .send()
                .await
            {
                Ok(answer) if answer.status().is_success() => match answer.bytes().await {
                    Ok(body) => return Ok(body),
                    Err(e) => format!("the body broke off: {}", without_url(&e)),
                },
                Ok(answer) if answer.status() == StatusCode::TOO_MANY_REQUESTS => {
                    limited += 1;
                    if limited > RATE_LIMITED_TRIES {
                        return Err(SyncError::Unreachable {
                            page: path.to_owned(),
                            why: format!("still rate limited after {RATE_LIMITED_TRIES} waits"),
                        });
                    }
                    let wait = retry_after(answer.headers().get(RETRY_AFTER))
                        .unwrap_or(FIRST_BACKOFF * 2u32.pow(limited.min(8)))
                        .min(LONGEST_WAIT);
                    tracing::info!(
                        page = path,
                        wait_ms = wait.as_millis() as u64,
                        "rate limited; waiting"
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Ok(answer) if answer.status().is_server_error() => {
                    format!("answered {}", answer.status())
                }
                Ok(answer) => {
                    let status = answer.status().as_u16();
                    let body = answer.text().await.unwrap_or_default();
                    return Err(SyncError::Refused {
                        page: path.to_owned(),
                        status,
                        why: dialback_core::time::clip(body.trim()),
                    });
                }
                Err(e) => without_url(&e),
            };
            failures += 1;
            if failures >= TRIES {
                return Err(SyncError::Unreachable {
                    page: path.to_owned(),
                    why: format!("{why} ({TRIES} tries)"),
                });
            }
            tracing::warn!(page = path, error = %why, try_ = failures, "page failed; trying again");
            tokio::time::sleep(FIRST_BACKOFF * 2u32.pow(failures - 1)).await;
        }
    }
}

/// reqwest's error without the URL (which holds no secret, but is said once, as the page).
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    match detail.is_empty() {
        true => kind.to_owned(),
        false => format!("{kind}: {detail}"),
    }
}

/// `Retry-After` in seconds, or as an HTTP date (then from now).
fn retry_after(value: Option<&reqwest::header::HeaderValue>) -> Option<Duration> {
    let text = value?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_read_in_both_forms() {
        let v = reqwest::header::HeaderValue::from_static("3");
        assert_eq!(retry_after(Some(&v)), Some(Duration::from_secs(3)));
        let past = reqwest::header::HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(retry_after(Some(&past)), Some(Duration::ZERO));
        let junk = reqwest::header::HeaderValue::from_static("soon");
        assert_eq!(retry_after(Some(&junk)), None);
    }
}
