//! The webhook request bodies' schemas, from the parsers' own limits and lists
//! (`wire::requests::webhooks`).

use serde_json::{Value, json};

use super::requests::{name, text};
use crate::webhook::endpoint::limits;
use crate::webhook::event::TALKOVER_EVENTS;

/// A receiver URL as `check_url` takes it: `http` or `https`, a host name of up to four
/// labels whose last starts with a letter (short enough that the name stays within DNS's 253
/// characters), or an IPv4 address, an optional port, then RFC 3986's characters. Narrower
/// than the parser (which takes any valid name and any printable ASCII), never wider: a test
/// holds them to that.
const URL_PATTERN: &str = concat!(
    r"^https?://(",
    r"([A-Za-z0-9_]([A-Za-z0-9_-]{0,48}[A-Za-z0-9_])?\.){0,3}",
    r"[A-Za-z]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?",
    r"|((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}",
    r"(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9]))",
    r"(:[1-9][0-9]{0,3})?",
    r"(/([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)*",
    r"(\?([A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?",
    r"(#([A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$",
);

fn url(max: usize) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max, "pattern": URL_PATTERN,
        "description": "http(s), a host (public unless the server allows private receivers), no \
            credentials, printable ASCII."})
}

/// Optional here means `null` is allowed too: the parsers read `null` as absent.
fn nullable(mut schema: Value) -> Value {
    if let Some(map) = schema.as_object_mut() {
        if let Some(t) = map.get("type").cloned() {
            map.insert("type".into(), json!([t, "null"]));
        }
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            values.push(Value::Null);
        }
    }
    schema
}

/// AgentPhone's `{url, contextLimit?, timeout?}`.
pub fn agentphone_webhook() -> Value {
    let (d, lo, hi) = limits::CONTEXT_LIMIT;
    let (td, tlo, thi) = limits::TIMEOUT;
    json!({
        "type": "object",
        "required": ["url"],
        "properties": {
            "url": url(limits::AGENTPHONE_URL_CHARS),
            "contextLimit": {"type": ["integer", "null"], "minimum": lo, "maximum": hi,
                "default": d},
            "timeout": {"type": ["integer", "null"], "minimum": tlo, "maximum": thi, "default": td}
        }
    })
}

/// A test send's optional overrides.
pub fn test_sample() -> Value {
    json!({
        "type": "object",
        "properties": {
            "from": nullable(json!({"type": "string", "maxLength": 64})),
            "to": nullable(json!({"type": "string", "maxLength": 64})),
            "message": nullable(json!({"type": "string", "maxLength": 1600})),
            "channel": {"enum": ["sms", "mms", "imessage", "whatsapp", "rcs", null]}
        }
    })
}

/// Talkover's create body (`create`: `webhook_url` and `events` required) or update body
/// (every field optional, `null` meaning unchanged).
pub fn talkover_webhook(create: bool) -> Value {
    let events: Vec<&str> = TALKOVER_EVENTS.iter().map(|(n, _)| *n).collect();
    let (td, tlo, thi) = limits::TIMEOUT;
    let (rd, rlo, rhi) = limits::MAX_RETRIES;
    let properties = [
        ("name", name()),
        ("webhook_url", url(limits::TALKOVER_URL_CHARS)),
        ("webhook_secret", text(limits::SECRET_CHARS)),
        (
            "events",
            json!({"type": "array", "minItems": 1, "items": {"type": "string", "enum": events}}),
        ),
        (
            "timeout",
            json!({"type": "integer", "minimum": tlo, "maximum": thi, "default": td}),
        ),
        (
            "max_retries",
            json!({"type": "integer", "minimum": rlo, "maximum": rhi, "default": rd}),
        ),
        ("enabled", json!({"type": "boolean", "default": true})),
        (
            "http_method",
            json!({"type": "string", "enum": ["POST", "PUT", "PATCH"], "default": "POST"}),
        ),
        (
            "authorization_scheme",
            json!({"type": "string", "enum": ["none", "bearer", "basic", "api_key", "custom"],
                "default": "none"}),
        ),
        ("authorization_token", text(limits::HEADER_VALUE_CHARS)),
        (
            "custom_headers",
            json!({"type": "array", "maxItems": limits::HEADERS, "items": {
            "type": "object", "required": ["key", "value"],
            "properties": {
                "key": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,100}$",
                    "description": "Not one Dialback sets (Content-Type, X-Webhook-*, Host, …)."},
                "value": {"type": "string", "maxLength": limits::HEADER_VALUE_CHARS,
                    "pattern": "^[^\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f]*$"}
            }}}),
        ),
    ];
    let properties: serde_json::Map<String, Value> = properties
        .into_iter()
        .map(|(k, v)| {
            let required = create && matches!(k, "webhook_url" | "events");
            (k.to_owned(), if required { v } else { nullable(v) })
        })
        .collect();
    let mut body = serde_json::Map::new();
    body.insert("type".into(), json!("object"));
    body.insert("properties".into(), Value::Object(properties));
    if create {
        body.insert("required".into(), json!(["webhook_url", "events"]));
    }
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::webhook::url::check_url;

    proptest! {
        /// Every URL the document's pattern admits, `check_url` takes: a client that follows
        /// the document is never refused for the URL's form.
        #[test]
        fn urls_the_pattern_admits_are_taken(
            s in URL_PATTERN.trim_start_matches('^').trim_end_matches('$')
        ) {
            prop_assume!(s.len() <= limits::TALKOVER_URL_CHARS);
            prop_assert!(check_url(&s, limits::TALKOVER_URL_CHARS).is_ok(), "{:?}", s);
        }
    }

    #[test]
    fn the_pattern_refuses_what_check_url_refuses() {
        let pattern = regex::Regex::new(URL_PATTERN).unwrap_or_else(|_| unreachable!());
        for bad in [
            "ftp://x.com",
            "https://u:p@x.com",
            "http://2130706433/",
            "https://x .com",
            "https://",
        ] {
            assert!(!pattern.is_match(bad), "{bad}");
            assert!(check_url(bad, 500).is_err(), "{bad}");
        }
        assert!(pattern.is_match("https://hooks.example.com:8443/in?x=1"));
    }
}
