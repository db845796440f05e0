//! Webhook request bodies in each API: AgentPhone's `{url, contextLimit, timeout}` (problems
//! as FastAPI writes them) and Talkover's create and update bodies (every problem coded).

use serde_json::{Value, json};

use super::reader::Reader;
use super::{Expected, field_errors};
use crate::agent::AgentId;
use crate::time::Timestamp;
use crate::webhook::endpoint::limits;
use crate::webhook::event::is_talkover_event;
use crate::webhook::url::check_url;
use crate::webhook::{Api, AuthScheme, Method, Webhook};
use crate::wire::FieldError;
use crate::wire::agentphone::ValidationDetail;

/// What a Talkover webhook URL should be.
const URL: (&str, &str) = (
    "INVALID_WEBHOOK_URL",
    "an http:// or https:// URL of at most 500 characters, with a host, without credentials, \
     in printable ASCII",
);
/// What `events` should be.
const EVENTS: (&str, &str) = (
    "INVALID_EVENTS",
    "1 or more event names from available_events (GET /api/v1/agents/{id}/webhooks)",
);
/// What `http_method` should be.
const METHOD: (&str, &str) = ("INVALID_HTTP_METHOD", "POST, PUT or PATCH");
/// What `authorization_scheme` should be.
const SCHEME: (&str, &str) = (
    "INVALID_AUTHORIZATION_SCHEME",
    "none, bearer, basic, api_key or custom",
);
/// What each of `custom_headers` should be.
const HEADER: (&str, &str) = (
    "INVALID_HEADER",
    "{key, value}: a header name (letters, digits, '-', not one Dialback sets) and a value of \
     at most 1000 printable characters",
);

/// A webhook field's problem. These are [`FieldError`]s of their own rather than
/// [`RequestError`]s: their words live with this parser, so the npm package, which parses no
/// webhook, does not carry them.
fn problem(
    field: &str,
    (code, what): (&str, &str),
    got: &Value,
    index: Option<usize>,
) -> FieldError {
    let at = match index {
        Some(i) => format!("{field}[{i}]"),
        None => field.to_owned(),
    };
    FieldError::new(
        code,
        format!("{at}: expected {what}, got {}", super::clip(got)),
        field,
        index,
    )
}

/// `POST /v1/webhooks` and `POST /v1/agents/{id}/webhook`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentPhoneWebhookInput {
    /// Where deliveries go.
    pub url: String,
    /// `contextLimit` (default 10).
    pub context_limit: u8,
    /// `timeout` (default 30).
    pub timeout: u32,
}

fn body_integer(
    body: &serde_json::Map<String, Value>,
    field: &str,
    (default, lo, hi): (u64, u64, u64),
    detail: &mut Vec<ValidationDetail>,
) -> u64 {
    let Some(v) = body.get(field).filter(|v| !v.is_null()) else {
        return default;
    };
    let Some(n) = super::reader::whole_number(v) else {
        detail.push(ValidationDetail::body(
            field,
            "int_type",
            "Input should be a valid integer",
            Some(v.clone()),
        ));
        return default;
    };
    if n < lo || n > hi {
        let (kind, msg, ctx) = if n < lo {
            (
                "greater_than_equal",
                format!("Input should be greater than or equal to {lo}"),
                json!({"ge": lo}),
            )
        } else {
            (
                "less_than_equal",
                format!("Input should be less than or equal to {hi}"),
                json!({"le": hi}),
            )
        };
        detail.push(ValidationDetail::body(field, kind, msg, Some(v.clone())).with_ctx(ctx));
        return default;
    }
    n
}

/// Parses AgentPhone's webhook body.
pub fn parse_agentphone_webhook(
    body: &Value,
) -> Result<AgentPhoneWebhookInput, Vec<ValidationDetail>> {
    let Some(obj) = body.as_object() else {
        return Err(vec![ValidationDetail {
            kind: "model_attributes_type".into(),
            loc: vec![Value::from("body")],
            msg: "Input should be a valid dictionary or object to extract fields from".into(),
            input: None,
            ctx: None,
        }]);
    };
    let mut detail = Vec::new();
    let url = match obj.get("url").filter(|v| !v.is_null()) {
        None => {
            detail.push(ValidationDetail::body(
                "url",
                "missing",
                "Field required",
                None,
            ));
            None
        }
        Some(Value::String(s)) => match check_url(s, limits::AGENTPHONE_URL_CHARS) {
            Ok(_) => Some(s.clone()),
            Err(e) => {
                detail.push(ValidationDetail::body(
                    "url",
                    "url_parsing",
                    format!("Input should be a valid URL, {e}"),
                    Some(Value::from(crate::time::clip(s))),
                ));
                None
            }
        },
        Some(other) => {
            detail.push(ValidationDetail::body(
                "url",
                "string_type",
                "Input should be a valid string",
                Some(other.clone()),
            ));
            None
        }
    };
    let (d, lo, hi) = limits::CONTEXT_LIMIT;
    let context_limit = body_integer(
        obj,
        "contextLimit",
        (d.into(), lo.into(), hi.into()),
        &mut detail,
    );
    let (d, lo, hi) = limits::TIMEOUT;
    let timeout = body_integer(
        obj,
        "timeout",
        (d.into(), lo.into(), hi.into()),
        &mut detail,
    );
    match url {
        Some(url) if detail.is_empty() => Ok(AgentPhoneWebhookInput {
            url,
            context_limit: u8::try_from(context_limit).unwrap_or(limits::CONTEXT_LIMIT.0),
            timeout: u32::try_from(timeout).unwrap_or(limits::TIMEOUT.0),
        }),
        _ => Err(detail),
    }
}

impl AgentPhoneWebhookInput {
    /// The webhook it makes (or, with `previous`, replaces: the id and creation time stay,
    /// the secret is new).
    pub fn webhook(
        self,
        id: String,
        agent: Option<AgentId>,
        secret: String,
        previous: Option<&Webhook>,
        now: Timestamp,
    ) -> Webhook {
        Webhook {
            id: previous.map_or(id, |p| p.id.clone()),
            api: Api::AgentPhone,
            agent,
            name: String::new(),
            url: self.url,
            secret: Some(secret),
            events: Vec::new(),
            timeout_seconds: self.timeout,
            attempts: Webhook::AGENTPHONE_ATTEMPTS,
            enabled: true,
            method: Method::Post,
            auth_scheme: AuthScheme::None,
            auth_token: None,
            headers: Vec::new(),
            context_limit: self.context_limit,
            created_at: previous.map_or(now, |p| p.created_at),
            updated_at: now,
        }
    }
}

/// Parses a test send's body (`{from?, to?, message?, channel?}`, every field optional).
pub fn parse_test_sample(
    body: &Value,
) -> Result<crate::webhook::event::TestSample, Vec<ValidationDetail>> {
    if !body.is_object() {
        return Err(vec![ValidationDetail {
            kind: "model_attributes_type".into(),
            loc: vec![Value::from("body")],
            msg: "Input should be a valid dictionary or object to extract fields from".into(),
            input: None,
            ctx: None,
        }]);
    }
    let mut detail = Vec::new();
    let obj = body.as_object();
    let mut text = |field: &str, max: usize| -> Option<String> {
        let v = obj?.get(field).filter(|v| !v.is_null())?;
        match v.as_str() {
            Some(s) if s.chars().count() <= max => Some(s.to_owned()),
            Some(_) => {
                detail.push(
                    ValidationDetail::body(
                        field,
                        "string_too_long",
                        format!("String should have at most {max} characters"),
                        Some(v.clone()),
                    )
                    .with_ctx(json!({"max_length": max})),
                );
                None
            }
            None => {
                detail.push(ValidationDetail::body(
                    field,
                    "string_type",
                    "Input should be a valid string",
                    Some(v.clone()),
                ));
                None
            }
        }
    };
    let from = text("from", 64);
    let to = text("to", 64);
    let message = text("message", 1600);
    let channel = text("channel", 16);
    if let Some(c) = &channel
        && !["sms", "mms", "imessage", "whatsapp", "rcs"].contains(&c.as_str())
    {
        detail.push(
            ValidationDetail::body(
                "channel",
                "enum",
                "Input should be 'sms', 'mms', 'imessage', 'whatsapp' or 'rcs'",
                Some(Value::from(c.clone())),
            )
            .with_ctx(json!({"expected": "'sms', 'mms', 'imessage', 'whatsapp' or 'rcs'"})),
        );
    }
    if detail.is_empty() {
        Ok(crate::webhook::event::TestSample {
            from,
            to,
            message,
            channel,
        })
    } else {
        Err(detail)
    }
}

/// The delivery log's query: `limit` (1 to 100, default 50), `offset`, `hours` (1 to 168,
/// none by default: every delivery).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryQuery {
    /// Page size.
    pub limit: u64,
    /// How many to skip.
    pub offset: u64,
    /// Only the last this many hours.
    pub hours: Option<u32>,
    /// Extension (`webhookId`): only this webhook's deliveries, of either API.
    pub webhook: Option<String>,
}

/// The longest window the delivery log and its stats look back over, in hours (a week).
pub const MAX_HOURS: u64 = 168;

/// Parses the delivery log's query.
pub fn parse_delivery_query(
    q: &super::queries::Params,
) -> Result<DeliveryQuery, Vec<ValidationDetail>> {
    let mut detail = Vec::new();
    let limit = super::usage::integer(q, "limit", 50, 1, 100, &mut detail);
    let offset = super::usage::integer(q, "offset", 0, 0, u64::from(u32::MAX), &mut detail);
    let hours = q
        .contains_key("hours")
        .then(|| super::usage::integer(q, "hours", 24, 1, MAX_HOURS, &mut detail));
    if detail.is_empty() {
        Ok(DeliveryQuery {
            limit,
            offset,
            hours: hours.and_then(|h| u32::try_from(h).ok()),
            webhook: q.get("webhookId").filter(|id| !id.is_empty()).cloned(),
        })
    } else {
        Err(detail)
    }
}

/// Parses the stats' `hours` (1 to 168, default 24).
pub fn parse_stats_hours(q: &super::queries::Params) -> Result<u32, Vec<ValidationDetail>> {
    let mut detail = Vec::new();
    let hours = super::usage::integer(q, "hours", 24, 1, MAX_HOURS, &mut detail);
    if detail.is_empty() {
        Ok(u32::try_from(hours).unwrap_or(24))
    } else {
        Err(detail)
    }
}

/// A Talkover create (every required field present) or update (any subset) body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TalkoverWebhookPatch {
    /// `name`.
    pub name: Option<String>,
    /// `webhook_url`.
    pub url: Option<String>,
    /// `webhook_secret` (`Some("")` removes it on update).
    pub secret: Option<String>,
    /// `events`.
    pub events: Option<Vec<String>>,
    /// `timeout`.
    pub timeout: Option<u32>,
    /// `max_retries`.
    pub max_retries: Option<u8>,
    /// `enabled`.
    pub enabled: Option<bool>,
    /// `http_method`.
    pub method: Option<Method>,
    /// `authorization_scheme`.
    pub auth_scheme: Option<AuthScheme>,
    /// Extension: `authorization_token`.
    pub auth_token: Option<String>,
    /// `custom_headers`.
    pub headers: Option<Vec<(String, String)>>,
}

/// Headers Dialback writes itself: a custom header may not replace them.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "x-webhook-signature",
    "x-webhook-timestamp",
    "x-webhook-id",
    "user-agent",
];

fn header(item: &Value) -> Option<(String, String)> {
    let key = item.get("key")?.as_str()?.trim();
    let value = item.get("value")?.as_str()?;
    let key_ok = !key.is_empty()
        && key.len() <= 100
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !RESERVED_HEADERS.contains(&key.to_ascii_lowercase().as_str());
    let value_ok = value.chars().count() <= limits::HEADER_VALUE_CHARS
        && value
            .chars()
            .all(|c| c == '\t' || (!c.is_control() && c != '\u{7f}'));
    (key_ok && value_ok).then(|| (key.to_owned(), value.to_owned()))
}

/// Parses a Talkover webhook body; `create` makes `webhook_url` and `events` required.
pub fn parse_talkover_webhook(
    body: &Value,
    create: bool,
) -> Result<TalkoverWebhookPatch, Vec<FieldError>> {
    let mut r = Reader::new(body);
    let mut own: Vec<FieldError> = Vec::new();
    let mut p = TalkoverWebhookPatch::default();
    if let Some(v) = r.get("name") {
        p.name = r.name("name", Some(v), Expected::Name);
    }
    let url = if create {
        r.required("webhook_url")
    } else {
        r.get("webhook_url")
    };
    p.url = url.and_then(|v| {
        let ok = v
            .as_str()
            .filter(|s| check_url(s, limits::TALKOVER_URL_CHARS).is_ok());
        if ok.is_none() {
            own.push(problem("webhook_url", URL, v, None));
        }
        ok.map(str::to_owned)
    });
    if let Some(v) = r.get("webhook_secret") {
        p.secret = r.text("webhook_secret", Some(v), limits::SECRET_CHARS);
    }
    let events = if create {
        r.required("events")
    } else {
        r.get("events")
    };
    if let Some(v) = events {
        let names: Option<Vec<String>> = v.as_array().and_then(|items| {
            let mut out: Vec<String> = Vec::new();
            for item in items {
                let name = item.as_str().filter(|n| is_talkover_event(n))?;
                if !out.iter().any(|o| o == name) {
                    out.push(name.to_owned());
                }
            }
            (!out.is_empty()).then_some(out)
        });
        if names.is_none() {
            own.push(problem("events", EVENTS, v, None));
        }
        p.events = names;
    }
    let (_, lo, hi) = limits::TIMEOUT;
    p.timeout = r
        .integer("timeout", r.get("timeout"), lo.into(), hi.into())
        .and_then(|n| u32::try_from(n).ok());
    let (_, lo, hi) = limits::MAX_RETRIES;
    p.max_retries = r
        .integer("max_retries", r.get("max_retries"), lo.into(), hi.into())
        .and_then(|n| u8::try_from(n).ok());
    p.enabled = r.boolean("enabled", r.get("enabled"));
    if let Some(v) = r.get("http_method") {
        p.method = v.as_str().and_then(Method::parse);
        if p.method.is_none() {
            own.push(problem("http_method", METHOD, v, None));
        }
    }
    if let Some(v) = r.get("authorization_scheme") {
        p.auth_scheme = v.as_str().and_then(AuthScheme::parse);
        if p.auth_scheme.is_none() {
            own.push(problem("authorization_scheme", SCHEME, v, None));
        }
    }
    if let Some(v) = r.get("authorization_token") {
        p.auth_token = r.text("authorization_token", Some(v), limits::HEADER_VALUE_CHARS);
    }
    if let Some(items) = r.array("custom_headers", r.get("custom_headers"), limits::HEADERS) {
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match header(item) {
                Some(h) => out.push(h),
                None => own.push(problem("custom_headers", HEADER, item, Some(index))),
            }
        }
        p.headers = Some(out);
    }
    let mut errors = field_errors(&r.errors);
    errors.extend(own);
    if errors.is_empty() {
        Ok(p)
    } else {
        Err(errors)
    }
}

impl TalkoverWebhookPatch {
    /// The webhook a create body makes for `agent`.
    pub fn create(self, id: String, agent: AgentId, now: Timestamp) -> Webhook {
        let mut w = Webhook {
            id,
            api: Api::Talkover,
            agent: Some(agent),
            name: String::new(),
            url: String::new(),
            secret: None,
            events: Vec::new(),
            timeout_seconds: limits::TIMEOUT.0,
            attempts: limits::MAX_RETRIES.0 + 1,
            enabled: true,
            method: Method::Post,
            auth_scheme: AuthScheme::None,
            auth_token: None,
            headers: Vec::new(),
            context_limit: 0,
            created_at: now,
            updated_at: now,
        };
        self.apply(&mut w, now);
        if w.name.is_empty() {
            w.name = "Webhook".to_owned();
        }
        w
    }

    /// Applies an update to `w`.
    pub fn apply(self, w: &mut Webhook, now: Timestamp) {
        if let Some(v) = self.name {
            w.name = v;
        }
        if let Some(v) = self.url {
            w.url = v;
        }
        if let Some(v) = self.secret {
            w.secret = (!v.is_empty()).then_some(v);
        }
        if let Some(v) = self.events {
            w.events = v;
        }
        if let Some(v) = self.timeout {
            w.timeout_seconds = v;
        }
        if let Some(v) = self.max_retries {
            w.attempts = v.saturating_add(1);
        }
        if let Some(v) = self.enabled {
            w.enabled = v;
        }
        if let Some(v) = self.method {
            w.method = v;
        }
        if let Some(v) = self.auth_scheme {
            w.auth_scheme = v;
        }
        if let Some(v) = self.auth_token {
            w.auth_token = (!v.is_empty()).then_some(v);
        }
        if let Some(v) = self.headers {
            w.headers = v;
        }
        w.updated_at = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_talkover_example_is_read() {
        let body = json!({
            "name": "My Webhook",
            "webhook_url": "https://example.com/webhook",
            "webhook_secret": "optional_secret_for_hmac",
            "events": ["event_phone_call_started", "event_phone_call_ended"],
            "timeout": 30, "max_retries": 3, "enabled": true
        });
        let p = parse_talkover_webhook(&body, true);
        assert!(p.is_ok(), "{p:?}");
        let agent = AgentId::parse("9fbef0b7-8d4e-4a08-9207-66c22155721d");
        if let (Ok(p), Ok(agent)) = (p, agent) {
            let w = p.create("id".into(), agent, Timestamp::EPOCH);
            assert_eq!(w.attempts, 4);
            assert_eq!(w.secret.as_deref(), Some("optional_secret_for_hmac"));
            assert_eq!(w.events.len(), 2);
        }
    }

    #[test]
    fn every_talkover_problem_is_reported_with_its_code() {
        let codes = |body: Value, create: bool| -> Vec<String> {
            parse_talkover_webhook(&body, create)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.code)
                .collect()
        };
        assert_eq!(codes(json!({}), true), ["FIELD_REQUIRED", "FIELD_REQUIRED"]);
        assert_eq!(codes(json!({}), false), Vec::<&str>::new());
        assert_eq!(
            codes(
                json!({"webhook_url": "ftp://x", "events": [], "timeout": 3, "max_retries": 11,
                    "http_method": "GET", "authorization_scheme": "oauth",
                    "custom_headers": [{"key": "X-Webhook-Signature", "value": "x"},
                        {"key": "A", "value": "b\r\nc"}]}),
                true
            ),
            [
                "INVALID_NUMBER",
                "INVALID_NUMBER",
                "INVALID_WEBHOOK_URL",
                "INVALID_EVENTS",
                "INVALID_HTTP_METHOD",
                "INVALID_AUTHORIZATION_SCHEME",
                "INVALID_HEADER",
                "INVALID_HEADER"
            ]
        );
        assert_eq!(
            codes(json!({"events": ["event_nope"]}), false),
            ["INVALID_EVENTS"]
        );
    }

    #[test]
    fn agentphone_bodies_get_defaults_and_fastapi_problems() {
        let ok = parse_agentphone_webhook(&json!({"url": "https://example.com/h"}));
        assert_eq!(
            ok,
            Ok(AgentPhoneWebhookInput {
                url: "https://example.com/h".into(),
                context_limit: 10,
                timeout: 30
            })
        );
        let bad = parse_agentphone_webhook(&json!({"contextLimit": 51, "timeout": "x"}))
            .err()
            .unwrap_or_default();
        let kinds: Vec<&str> = bad.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(kinds, ["missing", "less_than_equal", "int_type"]);
        assert!(parse_agentphone_webhook(&json!({"url": "http://u:p@example.com"})).is_err());
    }
}
