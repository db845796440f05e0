//! One attempt: the request a webhook's settings describe, signed, sent to an address the
//! receiver rule allows, bounded by the webhook's timeout, its answer read up to
//! [`RESPONSE_BODY_BYTES`].
//!
//! Where a receiver may be is checked on every attempt, not only when the webhook was saved:
//! our resolver refuses a name that resolves to any address the core's rule refuses, and
//! reqwest connects only to the addresses it returns, so a name cannot be made to point
//! inside between the check and the connection. Redirects are not followed and proxies from
//! the environment are not used: either would send the request somewhere unchecked.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dialback_core::webhook::address::why_refused;
use dialback_core::webhook::delivery::{AttemptResult, RESPONSE_BODY_BYTES};
use dialback_core::webhook::signature::sign;
use dialback_core::webhook::url::{Host, check_url};
use dialback_core::webhook::{AuthScheme, Method, Webhook};

/// What an attempt came to.
#[derive(Debug, Clone)]
pub struct Attempted {
    /// The answer's status, or no answer.
    pub result: AttemptResult,
    /// Why it failed, in words (`None` on a 2xx).
    pub error: Option<String>,
    /// The answer's body, clipped.
    pub body: Option<String>,
    /// How long it took.
    pub elapsed: Duration,
}

/// Resolves names for the webhook client, refusing any that reach a refused address.
struct CheckedResolver {
    allow_private: bool,
}

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private && let Some(why) = addrs.iter().find_map(|a| why_refused(a.ip())) {
                return Err(format!("{host} resolves to {why}").into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// The client every attempt goes through.
pub fn client(allow_private: bool) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(CheckedResolver { allow_private }))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("Dialback-Webhooks/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(10))
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
}

/// Whether `url` may be sent to (its address, for a literal; a name is checked when it is
/// resolved): `Err` says why not.
pub fn check_target(url: &str, allow_private: bool) -> Result<(), String> {
    let parsed = check_url(url, usize::MAX).map_err(|e| e.to_string())?;
    if let (Host::Ip(ip), false) = (&parsed.host, allow_private)
        && let Some(why) = why_refused(*ip)
    {
        return Err(format!(
            "the receiver is {why}; start the server with --webhook-allow-private to allow it"
        ));
    }
    Ok(())
}

/// Resolves a receiver's host now, for the check when a webhook is saved.
pub async fn check_resolves(url: &str, allow_private: bool) -> Result<(), String> {
    check_target(url, allow_private)?;
    let parsed = check_url(url, usize::MAX).map_err(|e| e.to_string())?;
    let Host::Name(name) = parsed.host else {
        return Ok(());
    };
    if allow_private {
        return Ok(());
    }
    let lookup = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::lookup_host((name.as_str(), parsed.port)),
    )
    .await;
    match lookup {
        // a name that does not resolve now may later: it is checked again on every send
        Err(_) | Ok(Err(_)) => Ok(()),
        Ok(Ok(addrs)) => {
            let ips: Vec<IpAddr> = addrs.map(|a| a.ip()).collect();
            match ips.iter().find_map(|ip| why_refused(*ip)) {
                Some(why) => Err(format!(
                    "{name} resolves to {why}; start the server with --webhook-allow-private to \
                     allow it"
                )),
                None => Ok(()),
            }
        }
    }
}

/// Sends `body` to `hook` once, as delivery `id`, signed at `unix_now`.
pub async fn attempt(
    client: &reqwest::Client,
    hook: &Webhook,
    id: &str,
    body: Vec<u8>,
    unix_now: i64,
    allow_private: bool,
) -> Attempted {
    let started = Instant::now();
    let failed = |error: String, elapsed| Attempted {
        result: AttemptResult::NoAnswer,
        error: Some(error),
        body: None,
        elapsed,
    };
    if let Err(why) = check_target(&hook.url, allow_private) {
        return failed(why, started.elapsed());
    }
    let method = match hook.method {
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
    };
    let timeout = Duration::from_secs(u64::from(hook.timeout_seconds.max(1)));
    let mut req = client
        .request(method, &hook.url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("X-Webhook-ID", id)
        .header("X-Webhook-Timestamp", unix_now.to_string());
    if let Some(secret) = &hook.secret {
        req = req.header("X-Webhook-Signature", sign(secret, unix_now, &body));
    }
    if let Some(token) = &hook.auth_token {
        req = match hook.auth_scheme {
            AuthScheme::Bearer => req.header("Authorization", format!("Bearer {token}")),
            AuthScheme::Basic => req.header("Authorization", format!("Basic {token}")),
            AuthScheme::ApiKey => req.header("X-API-Key", token.as_str()),
            AuthScheme::None | AuthScheme::Custom => req,
        };
    }
    for (k, v) in &hook.headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let sent = tokio::time::timeout(timeout, async {
        let mut resp = req.body(body).send().await?;
        let status = resp.status().as_u16();
        let mut kept: Vec<u8> = Vec::new();
        while kept.len() < RESPONSE_BODY_BYTES {
            match resp.chunk().await? {
                Some(chunk) => kept.extend_from_slice(&chunk),
                None => break,
            }
        }
        kept.truncate(RESPONSE_BODY_BYTES);
        Ok::<_, reqwest::Error>((status, kept))
    })
    .await;
    let elapsed = started.elapsed();
    match sent {
        Err(_) => failed(format!("no answer within {} s", timeout.as_secs()), elapsed),
        Ok(Err(e)) => failed(describe(&e), elapsed),
        Ok(Ok((status, kept))) => Attempted {
            result: AttemptResult::Answered(status),
            error: (!(200..300).contains(&status))
                .then(|| format!("the receiver answered {status}")),
            body: (!kept.is_empty()).then(|| String::from_utf8_lossy(&kept).into_owned()),
            elapsed,
        },
    }
}

/// A transport error in words (reqwest's top line hides the cause).
fn describe(e: &reqwest::Error) -> String {
    let mut out = if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "could not connect".to_owned()
    } else {
        "the request failed".to_owned()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out.chars().take(500).collect()
}
