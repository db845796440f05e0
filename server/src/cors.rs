//! Which other web origins may call the APIs from a browser (CORS).
//!
//! The console is served by this server, so it needs none of this. Another page — an app
//! built on the npm package during development, or a console served elsewhere — can call
//! the APIs only if the server names its origin. Tokens travel in the `Authorization`
//! header, never in cookies, so allowing an origin lets its pages send requests they must
//! still authorise: it grants nothing a `curl` with the token could not do.

use axum::http::{HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The origins allowed to call the APIs from a browser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AllowedOrigins {
    /// None: only pages served by this server (the default).
    #[default]
    None,
    /// Any origin (`*`).
    Any,
    /// These exact origins (`scheme://host[:port]`).
    List(Vec<HeaderValue>),
}

impl AllowedOrigins {
    /// Parses `--allow-origin` values: `*`, or origins such as `http://localhost:5173`.
    pub fn parse<S: AsRef<str>>(values: &[S]) -> Result<AllowedOrigins, String> {
        let values: Vec<&str> = values.iter().map(|v| v.as_ref().trim()).collect();
        if values.is_empty() {
            return Ok(AllowedOrigins::None);
        }
        if values.contains(&"*") {
            return match values.as_slice() {
                ["*"] => Ok(AllowedOrigins::Any),
                _ => Err("--allow-origin: `*` already allows every origin; give it alone".into()),
            };
        }
        values
            .iter()
            .map(|v| origin(v))
            .collect::<Result<_, _>>()
            .map(AllowedOrigins::List)
    }

    /// The layer that answers preflight requests and marks responses, if any origin is
    /// allowed.
    pub fn layer(&self) -> Option<CorsLayer> {
        let origins = match self {
            AllowedOrigins::None => return None,
            AllowedOrigins::Any => AllowOrigin::any(),
            AllowedOrigins::List(list) => AllowOrigin::list(list.iter().cloned()),
        };
        Some(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([
                    Method::GET,
                    Method::POST,
                    Method::PUT,
                    Method::PATCH,
                    Method::DELETE,
                ])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .max_age(std::time::Duration::from_secs(600)),
        )
    }
}

/// One origin as browsers send it: `http` or `https`, a host, an optional port, nothing else.
fn origin(value: &str) -> Result<HeaderValue, String> {
    let bad =
        |why: &str| format!("--allow-origin {value:?}: {why} (example: http://localhost:5173)");
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| bad("an origin starts with http:// or https://"))?;
    // `[v6 address]` or a name, then an optional `:port`
    let (host, port) = match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
        Some((v6, after)) => (v6, after),
        None => rest
            .find(':')
            .and_then(|i| rest.split_at_checked(i))
            .unwrap_or((rest, "")),
    };
    let host_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':');
    if host.is_empty() || !host.chars().all(host_ok) {
        return Err(bad(
            "an origin is a scheme, a host and an optional port, with no path",
        ));
    }
    if let Some(port) = port.strip_prefix(':') {
        if port.parse::<u16>().is_err() {
            return Err(bad("the port must be a number up to 65535"));
        }
    } else if !port.is_empty() {
        return Err(bad(
            "an origin is a scheme, a host and an optional port, with no path",
        ));
    }
    HeaderValue::from_str(value).map_err(|_| bad("not a valid header value"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_parsed_strictly() {
        assert_eq!(AllowedOrigins::parse::<&str>(&[]), Ok(AllowedOrigins::None));
        assert_eq!(AllowedOrigins::parse(&["*"]), Ok(AllowedOrigins::Any));
        let list = AllowedOrigins::parse(&["http://localhost:5173", "https://admin.example.com"]);
        assert_eq!(
            list,
            Ok(AllowedOrigins::List(vec![
                HeaderValue::from_static("http://localhost:5173"),
                HeaderValue::from_static("https://admin.example.com"),
            ]))
        );
        assert!(AllowedOrigins::parse(&["http://[::1]:8080"]).is_ok());
        for bad in [
            "localhost:5173",
            "http://",
            "http://example.com/",
            "http://example.com/app",
            "http://example.com:port",
            "http://example.com:70000",
            "ftp://example.com",
            "http://exa mple.com",
        ] {
            let err = AllowedOrigins::parse(&[bad]).expect_err(bad);
            assert!(err.contains("--allow-origin"), "{err}");
        }
        assert!(AllowedOrigins::parse(&["*", "http://localhost"]).is_err());
    }
}
