//! The only module that talks to the network: where the APIs are, the token, and requests
//! whose failures come back in plain words.

use dialback_core::ApiToken;
use dialback_core::wire::FieldError;
use dialback_core::wire::agentphone::ValidationDetail;
use dialback_core::wire::agents::{DirectoryRead, directory_from_bodies};
use dialback_core::wire::talkover::{AgentBody, CallbackAgentItem, Envelope, ErrorBody, Page};
use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::JsCast;

const TOKEN_KEY: &str = "dialback.token";
const TALKOVER_KEY: &str = "dialback.talkover";
const AGENTPHONE_KEY: &str = "dialback.agentphone";

/// Where the two APIs are and the token to send them. Bases default to the page's origin.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Connection {
    /// Base URL of the Talkover side (`""` = this origin).
    pub talkover: String,
    /// Base URL of the AgentPhone side (`""` = this origin).
    pub agentphone: String,
    /// The token, if one was given.
    pub token: Option<ApiToken>,
}

/// The zone table of the server this page came from (`GET /tzdata`, no token), unless it is
/// the release the console already answers by (`have`, sent as `If-None-Match`) or the server
/// serves none (it is not a Dialback server). Any failure is `None`: the console then keeps
/// the table compiled into it.
pub async fn server_tzdata(have: &str) -> Option<Vec<u8>> {
    let res = RequestBuilder::new("/tzdata")
        .method(Method::GET)
        .header("if-none-match", &format!("\"tzdata-{have}\""))
        .send()
        .await
        .ok()?;
    if res.status() != 200 {
        return None;
    }
    res.binary().await.ok()
}

/// What went wrong with a request, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No token yet.
    NotConnected,
    /// 401: the server refused the token.
    Unauthorized,
    /// The request never got an answer: server down, wrong URL, or CORS.
    Unreachable(String),
    /// The server refused the request's content (4xx with field errors): each problem with
    /// its field, so forms can show it next to the right input.
    Rejected(u16, Vec<FieldError>),
    /// Any other non-2xx answer, with the server's message when it sent one.
    Status(u16, String),
    /// The answer was not the expected JSON.
    BadResponse(String),
    /// Nothing was asked: what the user typed is not a valid question (an unknown zone, dates
    /// in the wrong order). The field says so; this repeats it where the answer would be.
    Input(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::NotConnected => {
                f.write_str("Not connected: paste an API token on the Connect page.")
            }
            ApiError::Unauthorized => f.write_str(
                "The server refused the token (401). Check that it is complete and still valid.",
            ),
            ApiError::Unreachable(url) => write!(
                f,
                "Could not reach {url}. The server may be down or the URL wrong; if it is \
                 another site, it may not allow requests from this page (CORS: a dialback \
                 server allows them when started with --allow-origin and this page's origin)."
            ),
            ApiError::Rejected(code, errors) => {
                write!(f, "The server refused the request ({code})")?;
                for e in errors {
                    write!(f, "; {}: {} ({})", e.field, e.message, e.code)?;
                }
                Ok(())
            }
            ApiError::Status(code, message) => write!(f, "The server answered {code}: {message}"),
            ApiError::BadResponse(why) => {
                write!(f, "The server's answer was not understood: {why}")
            }
            ApiError::Input(why) => write!(f, "Nothing was asked yet: {why}"),
        }
    }
}

fn storage(persistent: bool) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    if persistent {
        window.local_storage().ok().flatten()
    } else {
        window.session_storage().ok().flatten()
    }
}

fn stored(key: &str) -> Option<String> {
    storage(false)
        .and_then(|s| s.get_item(key).ok().flatten())
        .or_else(|| storage(true).and_then(|s| s.get_item(key).ok().flatten()))
}

impl Connection {
    /// The connection saved in this tab (or remembered on this device).
    pub fn load() -> Connection {
        Connection {
            talkover: stored(TALKOVER_KEY).unwrap_or_default(),
            agentphone: stored(AGENTPHONE_KEY).unwrap_or_default(),
            token: stored(TOKEN_KEY).and_then(|t| ApiToken::parse(&t).ok()),
        }
    }

    /// Saves it for this tab, or also on this device when `remember` is set (otherwise any
    /// remembered copy is forgotten).
    pub fn save(&self, remember: bool) {
        let token = self.token.as_ref().map(|t| t.as_str()).unwrap_or("");
        for (persistent, keep) in [(false, true), (true, remember)] {
            let Some(s) = storage(persistent) else {
                continue;
            };
            for (key, value) in [
                (TOKEN_KEY, token),
                (TALKOVER_KEY, self.talkover.as_str()),
                (AGENTPHONE_KEY, self.agentphone.as_str()),
            ] {
                let _ = if keep && !value.is_empty() {
                    s.set_item(key, value)
                } else {
                    s.remove_item(key)
                };
            }
        }
    }

    /// A `#token=...` fragment (what `dialback serve --demo` prints) moves into this tab's
    /// storage and out of the address bar, so it is not bookmarked or shared by accident.
    pub fn adopt_fragment_token() -> Option<Connection> {
        let window = web_sys::window()?;
        let location = window.location();
        let hash = location.hash().ok()?;
        let token = hash.strip_prefix("#token=")?;
        let token = js_sys::decode_uri_component(token).ok()?.as_string()?;
        let path = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
        let mut connection = Connection::load();
        connection.token = Some(ApiToken::parse(&token).ok()?);
        connection.save(false);
        Some(connection)
    }

    /// `GET` a Talkover path (`/api/v1/...`).
    pub async fn talkover<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.send(Method::GET, &self.talkover, path, None).await
    }

    /// A Talkover write (`POST`, `PATCH`, `DELETE`) with an optional JSON body.
    pub async fn talkover_send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, ApiError> {
        self.send(method, &self.talkover, path, body).await
    }

    /// `GET` an AgentPhone path (`/v1/...`).
    pub async fn agentphone<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.send(Method::GET, &self.agentphone, path, None).await
    }

    /// An AgentPhone write (`POST`, `DELETE`) with an optional JSON body.
    pub async fn agentphone_send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, ApiError> {
        self.send(method, &self.agentphone, path, body).await
    }

    /// Every agent with its callback role, and the directory the rules run on (agents the
    /// rules cannot use are left out of it and named in its `problems`).
    ///
    /// Talkover's agent object has no callback role: `GET /api/v1/callback-agents` has them.
    /// Both are read and merged, so the console shows roles from any server that speaks the
    /// documented shapes; a callback agent missing from the agent list is listed too.
    pub async fn agents_and_directory(&self) -> Result<(Vec<AgentBody>, DirectoryRead), ApiError> {
        let mut list = self.all_agents().await?;
        let roles: Envelope<Vec<CallbackAgentItem>> =
            self.talkover("/api/v1/callback-agents").await?;
        with_roles(&mut list, roles.data);
        let read = directory_from_bodies(&list);
        Ok((list, read))
    }

    /// Every agent, page after page (the API pages at most 100 at a time).
    pub async fn all_agents(&self) -> Result<Vec<AgentBody>, ApiError> {
        let mut agents = Vec::new();
        for page in 1..=MAX_AGENT_PAGES {
            let body: Page<AgentBody> = self
                .talkover(&format!("/api/v1/agents?per_page=100&page={page}"))
                .await?;
            agents.extend(body.data);
            if page >= body.meta.last_page {
                break;
            }
        }
        Ok(agents)
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        base: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, ApiError> {
        let token = self.token.as_ref().ok_or(ApiError::NotConnected)?;
        let url = format!("{}{path}", base.trim_end_matches('/'));
        let request = RequestBuilder::new(&url)
            .method(method)
            .header("Authorization", &format!("Bearer {}", token.as_str()));
        let request = match body {
            Some(body) => request.json(body),
            None => request.build(),
        }
        .map_err(|e| ApiError::BadResponse(e.to_string()))?;
        let response = request.send().await.map_err(|_| unreachable(base))?;
        match response.status() {
            200..=299 => response
                .json::<T>()
                .await
                .map_err(|e| ApiError::BadResponse(e.to_string())),
            _ => Err(refused(response).await),
        }
    }
}

/// The request got no answer from `base` (`""`: this server).
fn unreachable(base: &str) -> ApiError {
    ApiError::Unreachable(if base.is_empty() {
        "this server".into()
    } else {
        base.into()
    })
}

/// What a non-2xx answer means: 401, field errors, or the status and the server's message.
async fn refused(response: gloo_net::http::Response) -> ApiError {
    let code = response.status();
    if code == 401 {
        return ApiError::Unauthorized;
    }
    let body: Value = response.json().await.unwrap_or_default();
    refusal(code, &body).unwrap_or_else(|| {
        ApiError::Status(code, message_of(&body).unwrap_or(response.status_text()))
    })
}

/// An open live stream (`GET /api/v1/events`): its body, read chunk by chunk as it arrives.
pub struct EventStream {
    reader: web_sys::ReadableStreamDefaultReader,
}

impl EventStream {
    /// The next chunk; `None` when the stream ended (or was aborted).
    pub async fn next_chunk(&self) -> Option<Vec<u8>> {
        let result = wasm_bindgen_futures::JsFuture::from(self.reader.read())
            .await
            .ok()?;
        let done = js_sys::Reflect::get(&result, &"done".into()).ok()?;
        if done.as_bool() != Some(false) {
            return None;
        }
        let value = js_sys::Reflect::get(&result, &"value".into()).ok()?;
        Some(js_sys::Uint8Array::new(&value).to_vec())
    }
}

impl Connection {
    /// Opens the live stream, resuming after `last_id`; `signal` closes it. Browsers'
    /// `EventSource` cannot send the token, so this is `fetch` with the header.
    pub async fn events(
        &self,
        last_id: Option<&str>,
        signal: &web_sys::AbortSignal,
    ) -> Result<EventStream, ApiError> {
        let token = self.token.as_ref().ok_or(ApiError::NotConnected)?;
        let base = self.talkover.trim_end_matches('/');
        let mut request = RequestBuilder::new(&format!("{base}/api/v1/events"))
            .method(Method::GET)
            .header("Authorization", &format!("Bearer {}", token.as_str()))
            .header("Accept", "text/event-stream")
            .abort_signal(Some(signal));
        if let Some(id) = last_id {
            request = request.header("Last-Event-ID", id);
        }
        let response = request.send().await.map_err(|_| unreachable(base))?;
        match response.status() {
            200 => {
                let body = response
                    .body()
                    .ok_or_else(|| ApiError::BadResponse("the stream has no body".into()))?;
                let reader = body
                    .get_reader()
                    .unchecked_into::<web_sys::ReadableStreamDefaultReader>();
                Ok(EventStream { reader })
            }
            _ => Err(refused(response).await),
        }
    }
}

/// Puts each callback agent's role on its agent, adding the agents the list did not have.
pub fn with_roles(agents: &mut Vec<AgentBody>, roles: Vec<CallbackAgentItem>) {
    for role in roles {
        match agents.iter_mut().find(|a| a.id == role.id) {
            Some(a) => a.callback_config = Some(role.callback_config),
            None => {
                let listed = serde_json::json!({
                    "id": role.id, "name": role.name, "label": role.label,
                    "direction": role.direction, "current_status": role.current_status,
                    "callback_config": role.callback_config,
                });
                if let Ok(agent) = serde_json::from_value(listed) {
                    agents.push(agent);
                }
            }
        }
    }
}

/// Enough pages for 10,000 agents; a directory larger than that is not a console's job.
const MAX_AGENT_PAGES: u64 = 100;

/// The field errors in a refusal, from either API's shape: Talkover's error body (our
/// `details`, or Laravel's `errors` map, or only `message` and `code`), or AgentPhone's
/// (FastAPI's `detail` list).
pub fn refusal(status: u16, body: &Value) -> Option<ApiError> {
    if !(400..500).contains(&status) {
        return None;
    }
    if let Ok(talkover) = serde_json::from_value::<ErrorBody>(body.clone())
        && (talkover.code.is_some() || talkover.details.is_some() || talkover.errors.is_some())
    {
        let problems = talkover.problems();
        if !problems.is_empty() {
            return Some(ApiError::Rejected(status, problems));
        }
    }
    let detail = body.get("detail")?.as_array()?;
    let errors: Vec<FieldError> = detail
        .iter()
        .filter_map(|d| {
            let d: ValidationDetail = serde_json::from_value(d.clone()).ok()?;
            Some(FieldError::new(&d.kind, d.msg.clone(), &d.field(), None))
        })
        .collect();
    (!errors.is_empty()).then_some(ApiError::Rejected(status, errors))
}

fn message_of(body: &Value) -> Option<String> {
    ["message", "error", "detail"]
        .iter()
        .find_map(|k| body.get(k).and_then(Value::as_str).map(str::to_owned))
        .or_else(|| {
            body.pointer("/error/message")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
}
