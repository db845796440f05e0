//! The OpenAPI 3.1 document of everything this server answers, served at `GET /openapi.json`
//! and checked in as `openapi.json` (`cargo xtask openapi`).
//!
//! Response schemas are derived from the core's wire types, the very types that serialise
//! the answers; request and parameter schemas are the core's, written beside its parsers
//! (`dialback_core::wire::schema`). This module only lays them out: the operations
//! (`operations.rs`), their error dialects, security, and the documents' own examples.

use std::sync::OnceLock;

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use dialback_core::wire::schema::params::Param;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::app::Settings;

mod events;
mod operations;
pub mod route;
mod sources;
mod webhooks;

pub use operations::operations;

/// Which API an operation belongs to: it decides the error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `/api/v1`: `{success: false, message, code, errors, details}`.
    Talkover,
    /// `/v1`: FastAPI's `{detail}` with the error guide's `{error}`.
    AgentPhone,
    /// Neither (health, this document).
    Plain,
}

/// A request body.
pub struct Body {
    /// Its media type.
    pub content_type: &'static str,
    /// Its schema.
    pub schema: Value,
    /// A documented example, if one is valid here.
    pub example: Option<Value>,
}

/// The success answer.
pub struct Success {
    /// Its status.
    pub status: u16,
    /// What it means.
    pub description: &'static str,
    /// Its media type.
    pub content_type: &'static str,
    /// Its schema.
    pub schema: Value,
    /// The documents' example, if they have one.
    pub example: Option<Value>,
    /// Where a client goes next (OpenAPI links, which Schemathesis follows).
    pub links: Value,
}

/// One operation: one entry of the table that both the router and this document are made
/// from (`http::router` takes `served` out of each).
pub struct Operation {
    /// `get`, `post`, ...
    pub method: &'static str,
    /// What answers it (taken by the router; the document needs only the method).
    pub served: Option<route::Served>,
    /// Served only where the settings say so (`/metrics` on the main listener, the demo
    /// receiver with `--demo`).
    pub when: Option<fn(&Settings) -> bool>,
    /// The path, `{id}` for the one path parameter.
    pub path: &'static str,
    /// `operationId`.
    pub id: &'static str,
    /// Its group.
    pub tag: &'static str,
    /// One line.
    pub summary: &'static str,
    /// More, where it helps.
    pub description: &'static str,
    /// The API (error dialect).
    pub api: Api,
    /// Whether a token is needed.
    pub auth: bool,
    /// Whether it changes data: a read-only token gets 403.
    pub writes: bool,
    /// What the `{id}` names, if the path has one.
    pub path_id: Option<&'static str>,
    /// Query parameters.
    pub params: Vec<Param>,
    /// The body, if any.
    pub body: Option<Body>,
    /// The success answer.
    pub ok: Success,
    /// Other successes with the same body (`POST /api/v1/calls` answers 200 for a call it
    /// had already stored).
    pub also: Vec<(u16, &'static str)>,
    /// The error statuses it can answer besides 401 (and 5xx, for every operation).
    pub errors: Vec<(u16, &'static str)>,
}

/// Schemas of the core's response types, collected into `components/schemas`.
pub struct Schemas(SchemaGenerator);

impl Default for Schemas {
    fn default() -> Self {
        Self::new()
    }
}

impl Schemas {
    /// Empty but for the core's response schemas.
    pub fn new() -> Self {
        Schemas(dialback_core::wire::schema::responses())
    }

    /// A `$ref` to `T`'s schema (inline for simple types).
    pub fn of<T: JsonSchema>(&mut self) -> Value {
        self.0.subschema_for::<T>().to_value()
    }
}

/// A documentation example, checked in under `tests/fixtures/`.
pub fn example(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

/// The document, built once.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(build)
}

/// `GET /openapi.json`.
pub async fn serve() -> Response {
    (
        [(CONTENT_TYPE, "application/json")],
        serde_json::to_string_pretty(document()).unwrap_or_default(),
    )
        .into_response()
}

fn build() -> Value {
    let mut schemas = Schemas::new();
    let talkover_error = schemas.of::<dialback_core::wire::talkover::ErrorBody>();
    let validation_error = schemas.of::<dialback_core::wire::agentphone::ValidationErrorBody>();
    let agentphone_error = schemas.of::<dialback_core::wire::agentphone::ErrorEnvelope>();
    let mut paths: Map<String, Value> = Map::new();
    for op in operations(&mut schemas) {
        let error_schema = |status: u16| match (op.api, status) {
            (Api::AgentPhone, 422) => validation_error.clone(),
            (Api::AgentPhone, _) => agentphone_error.clone(),
            _ => talkover_error.clone(),
        };
        let mut responses = Map::new();
        let mut ok = json!({
            "description": op.ok.description,
            "content": {op.ok.content_type: {"schema": op.ok.schema}}
        });
        if let (Some(example), Some(content)) = (
            &op.ok.example,
            ok.pointer_mut(&format!(
                "/content/{}",
                op.ok.content_type.replace('/', "~1")
            )),
        ) && let Some(map) = content.as_object_mut()
        {
            map.insert("example".into(), example.clone());
        }
        if op.ok.links.as_object().is_some_and(|l| !l.is_empty())
            && let Some(map) = ok.as_object_mut()
        {
            map.insert("links".into(), op.ok.links.clone());
        }
        for (status, description) in &op.also {
            // 204 and 304 answers have no body
            let answer = if matches!(status, 204 | 304) {
                json!({"description": description})
            } else {
                json!({"description": description,
                    "content": {op.ok.content_type: {"schema": op.ok.schema}}})
            };
            responses.insert(status.to_string(), answer);
        }
        responses.insert(op.ok.status.to_string(), ok);
        let mut errors = op.errors.clone();
        if op.auth {
            errors.push((
                401,
                "No token, or one that is not valid (unknown, revoked or expired).",
            ));
        }
        if op.writes {
            errors.push((403, "The token is read-only (`UNAUTHORIZED`)."));
        }
        if op.auth {
            errors.push((503, "Storage cannot be reached now; try again."));
            errors.push((500, "Storage failed; the server log has the details."));
        }
        for (status, description) in errors {
            responses.insert(
                status.to_string(),
                json!({
                    "description": description,
                    "content": {"application/json": {"schema": error_schema(status)}}
                }),
            );
        }
        if op.auth {
            responses.insert(
                "429".into(),
                json!({
                    "description": "The token made more requests than the server's `--rate-limit` \
                        allows (off by default).",
                    "headers": rate_limit_headers(),
                    "content": {"application/json": {"schema": error_schema(429)}}
                }),
            );
        }
        let mut parameters: Vec<Value> = Vec::new();
        if let Some(what) = op.path_id {
            parameters.push(json!({
                "name": "id", "in": "path", "required": true,
                "description": what,
                "schema": {"type": "string", "minLength": 1}
            }));
        }
        // the path's other parameters (`{number_id}`), on routes that take any value
        let others = op
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            .filter(|name| *name != "id");
        for name in others {
            parameters.push(json!({
                "name": name, "in": "path", "required": true,
                "description": "Any value.",
                "schema": {"type": "string", "minLength": 1}
            }));
        }
        for p in &op.params {
            parameters.push(json!({
                "name": p.name, "in": "query", "required": false,
                "description": p.description, "schema": p.schema
            }));
        }
        let mut operation = json!({
            "operationId": op.id,
            "tags": [op.tag],
            "summary": op.summary,
            "responses": responses,
        });
        if let Some(map) = operation.as_object_mut() {
            if !op.description.is_empty() {
                map.insert("description".into(), op.description.into());
            }
            if !parameters.is_empty() {
                map.insert("parameters".into(), parameters.into());
            }
            if !op.auth {
                map.insert("security".into(), json!([]));
            }
            if let Some(body) = &op.body {
                let mut media = json!({"schema": body.schema});
                if let (Some(example), Some(m)) = (&body.example, media.as_object_mut()) {
                    m.insert("example".into(), example.clone());
                }
                map.insert(
                    "requestBody".into(),
                    json!({"required": true, "content": {body.content_type: media}}),
                );
            }
        }
        let item = paths
            .entry(op.path)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(item) = item.as_object_mut() {
            item.insert(op.method.into(), operation);
        }
    }
    let mut definitions = schemas.0.take_definitions(true);
    definitions.insert(
        "TimeZone".into(),
        dialback_core::wire::schema::params::time_zone(),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Dialback",
            "version": env!("CARGO_PKG_VERSION"),
            "summary": "Callback routing and usage by agent for voice-AI phone agents.",
            "description": DESCRIPTION,
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"}
        },
        "servers": [{"url": "/", "description": "This server"}],
        "security": [{"bearer": []}],
        "tags": [
            {"name": "Agents", "description": "Talkover's agents and their calling settings."},
            {"name": "Callback agents", "description": "Talkover's callback endpoints (the seed)."},
            {"name": "Phone numbers", "description": "Talkover's phone numbers."},
            {"name": "Calls", "description": "Talkover's call lists, and how calls get in \
                (extensions)."},
            {"name": "Usage", "description": "AgentPhone's usage endpoints."},
            {"name": "AgentPhone calls", "description": "AgentPhone's call lists."},
            {"name": "Not supported", "description": "Documented upstream; they need telephony or \
                voices Dialback does not have, and answer 501."},
            {"name": "Service", "description": "Health, metrics, the connected token, and this \
                document."}
        ],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http", "scheme": "bearer", "bearerFormat": "talq_…",
                    "description": "An environment token: `talq_` and 40 base62 characters \
                        (`dialback env create`)."
                }
            },
            "schemas": definitions
        }
    })
}

/// The headers of a rate-limited server's answers to a token's requests.
fn rate_limit_headers() -> Value {
    let header =
        |text: &str| json!({"description": text, "schema": {"type": "integer", "minimum": 0}});
    json!({
        "Retry-After": header("Seconds until the next request is allowed."),
        "X-RateLimit-Limit": header("Requests a minute this token may make."),
        "X-RateLimit-Remaining": header("Requests it may make now."),
        "X-RateLimit-Reset": header("Seconds until it may burst the whole limit again."),
    })
}

const DESCRIPTION: &str = "Talkover's callback, agent, phone number and call endpoints under \
`/api/v1`, and AgentPhone's usage and call endpoints under `/v1`, as their documents describe \
them, with Dialback's extensions named in each operation. Every request needs an environment \
token (`Authorization: Bearer talq_…`) but the health checks, metrics and this document; a \
read-only token gets 403 on writes. With `--rate-limit N`, each token may make N requests a \
minute (429 beyond, with `Retry-After` and `X-RateLimit-*` headers). Errors keep \
each API's dialect: Talkover's `{success: false, message, code, errors, details}`, AgentPhone's \
FastAPI `{detail}` with its error guide's `{error}`.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        let text = doc.to_string();
        for piece in text.split("\"$ref\":\"").skip(1) {
            let target = piece.split('"').next().unwrap_or_default();
            let pointer = target.trim_start_matches('#');
            assert!(doc.pointer(pointer).is_some(), "dangling {target}");
        }
    }
}
