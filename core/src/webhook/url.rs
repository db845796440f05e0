//! A receiver's URL, checked before anything is stored: `http` or `https`, a host, an
//! optional port, no credentials (a secret in a URL ends up in logs; use
//! `authorization_scheme` or custom headers), nothing a client could read two ways
//! (whitespace, control characters, non-ASCII: international names go in their `xn--` form).
//! The host comes back parsed, so the server can check where it resolves without parsing the
//! URL again.

use core::net::{IpAddr, Ipv6Addr};

/// Where a URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A name, to be resolved (lowercased, no trailing dot).
    Name(String),
    /// An address literal.
    Ip(IpAddr),
}

/// A checked receiver URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiverUrl {
    /// The host.
    pub host: Host,
    /// The port (the scheme's default when none is written).
    pub port: u16,
    /// `https`.
    pub tls: bool,
}

/// Why a URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// Longer than the API allows.
    #[error("the URL is longer than {0} characters")]
    TooLong(usize),
    /// Not `http://` or `https://`.
    #[error("the URL must start with http:// or https://")]
    Scheme,
    /// User name or password in the URL.
    #[error("the URL may not carry credentials (user:password@); use authorization_scheme")]
    Credentials,
    /// No host, or one that is not a host name or address.
    #[error("the URL has no valid host")]
    Host,
    /// A port that is not 1 to 65535.
    #[error("the URL's port must be 1 to 65535")]
    Port,
    /// Whitespace, control or non-ASCII characters.
    #[error("the URL may contain only printable ASCII (international names in their xn-- form)")]
    Characters,
}

impl crate::error::ErrorCode for UrlError {
    fn code(&self) -> &'static str {
        "INVALID_WEBHOOK_URL"
    }
}

/// Checks `url` (at most `max_chars` characters).
pub fn check_url(url: &str, max_chars: usize) -> Result<ReceiverUrl, UrlError> {
    if url.chars().count() > max_chars {
        return Err(UrlError::TooLong(max_chars));
    }
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(UrlError::Characters);
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let (tls, rest) = if lower.starts_with("https://") {
        (true, url.get(8..).unwrap_or(""))
    } else if lower.starts_with("http://") {
        (false, url.get(7..).unwrap_or(""))
    } else {
        return Err(UrlError::Scheme);
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end).unwrap_or("");
    if authority.contains('@') {
        return Err(UrlError::Credentials);
    }
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let (addr, after) = inner.split_once(']').ok_or(UrlError::Host)?;
        let ip: Ipv6Addr = addr.parse().map_err(|_| UrlError::Host)?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or(UrlError::Host)?),
        };
        (Host::Ip(IpAddr::V6(ip)), port)
    } else {
        let (name, port) = match authority.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (authority, None),
        };
        (host_name(name)?, port)
    };
    let port = match port {
        None => {
            if tls {
                443
            } else {
                80
            }
        }
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => return Err(UrlError::Port),
        },
    };
    Ok(ReceiverUrl { host, port, tls })
}

fn host_name(name: &str) -> Result<Host, UrlError> {
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    if name.is_empty() || name.len() > 253 {
        return Err(UrlError::Host);
    }
    if let Ok(ip) = name.parse::<core::net::Ipv4Addr>() {
        return Ok(Host::Ip(IpAddr::V4(ip)));
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    // an all-digit last label is an address written some other way (0x7f.1, 2130706433):
    // clients read those as addresses, so they are refused rather than resolved
    let last_numeric = name
        .rsplit('.')
        .next()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()) || l.starts_with("0x"));
    if name.split('.').all(label_ok) && !last_numeric {
        Ok(Host::Name(name))
    } else {
        Err(UrlError::Host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_receivers_are_read() {
        let u = check_url("https://hooks.example.com/in?x=1", 500);
        assert_eq!(
            u,
            Ok(ReceiverUrl {
                host: Host::Name("hooks.example.com".into()),
                port: 443,
                tls: true
            })
        );
        let u = check_url("http://127.0.0.1:8080/h", 500);
        assert_eq!(
            u,
            Ok(ReceiverUrl {
                host: Host::Ip(
                    "127.0.0.1"
                        .parse()
                        .unwrap_or(IpAddr::V4(core::net::Ipv4Addr::UNSPECIFIED))
                ),
                port: 8080,
                tls: false
            })
        );
        assert!(matches!(
            check_url("HTTP://[::1]:9/", 500),
            Ok(ReceiverUrl { port: 9, .. })
        ));
        assert!(matches!(check_url("https://Example.COM.", 500),
                Ok(ReceiverUrl { host: Host::Name(h), .. }) if h == "example.com"));
    }

    #[test]
    fn anything_else_is_refused_with_why() {
        assert_eq!(check_url("ftp://example.com", 500), Err(UrlError::Scheme));
        assert_eq!(check_url("example.com/h", 500), Err(UrlError::Scheme));
        assert_eq!(
            check_url("https://user:pw@example.com/", 500),
            Err(UrlError::Credentials)
        );
        assert_eq!(check_url("https:///path", 500), Err(UrlError::Host));
        assert_eq!(
            check_url("https://exa mple.com", 500),
            Err(UrlError::Characters)
        );
        assert_eq!(
            check_url("https://exämple.com", 500),
            Err(UrlError::Characters)
        );
        assert_eq!(
            check_url("https://example.com:0/", 500),
            Err(UrlError::Port)
        );
        assert_eq!(
            check_url("https://example.com:99999/", 500),
            Err(UrlError::Port)
        );
        assert_eq!(
            check_url("https://example.com:+80/", 500),
            Err(UrlError::Port)
        );
        assert_eq!(check_url("http://2130706433/", 500), Err(UrlError::Host));
        assert_eq!(check_url("http://0x7f.1/", 500), Err(UrlError::Host));
        assert_eq!(check_url("http://[::1/", 500), Err(UrlError::Host));
        let long = format!("https://example.com/{}", "a".repeat(500));
        assert_eq!(check_url(&long, 500), Err(UrlError::TooLong(500)));
    }
}
