//! Starting servers for tests: in-process, or the real binary.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use dialback_server::app::{App, Settings};
use dialback_server::store::{PgStore, SqliteStore, Store};
use serde_json::Value;

/// A fresh temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "dialback-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    pub fn db(&self) -> PathBuf {
        self.0.join("test.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The PostgreSQL server the suite runs against, when `DIALBACK_TEST_POSTGRES` names one
/// (`cargo xtask ci` starts a throw-away cluster and runs the suite on both backends).
/// Without one, the tests that need PostgreSQL say so and pass, unless
/// `DIALBACK_REQUIRE_POSTGRES` is set (as CI's PostgreSQL run sets it): then they fail, so a
/// run that lost its database cannot pass for one that tested it.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("DIALBACK_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var_os("DIALBACK_REQUIRE_POSTGRES").is_some() {
        panic!(
            "DIALBACK_REQUIRE_POSTGRES is set but DIALBACK_TEST_POSTGRES names no database: \
             this run must test PostgreSQL"
        );
    }
    url
}

/// A fresh, empty PostgreSQL database on the test cluster; its URL.
pub fn fresh_database(url: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "dialback_test_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    create_database(url, &name).unwrap()
}

/// A fresh store on the backend under test: a SQLite file in `dir`, or a new PostgreSQL
/// database when `DIALBACK_TEST_POSTGRES` is set.
pub fn store(dir: &TempDir) -> Arc<dyn Store> {
    waits(|| match postgres_url() {
        Some(url) => Arc::new(PgStore::open(&fresh_database(&url), 8).unwrap()) as Arc<dyn Store>,
        None => Arc::new(SqliteStore::open(&dir.db(), false).unwrap()),
    })
}

/// Runs storage work on the test's own thread, which may wait: the server's guard refuses
/// storage calls on an async worker, and a test that sets up or inspects storage directly
/// says that it blocks on purpose.
pub fn waits<T>(f: impl FnOnce() -> T) -> T {
    dialback_server::store::on_storage_thread(f)
}

/// One request to any server: its status and its body (JSON, or the text as a string).
pub async fn request(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = http
        .request(method, format!("{base}{path}"))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// An in-process server with one environment.
pub struct Server {
    pub base: String,
    pub token: String,
    pub app: Arc<App>,
    pub http: reqwest::Client,
    _dir: TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    pub async fn start() -> Server {
        Server::start_with(Settings::default(), |r| r).await
    }

    /// Starts with settings, letting the test add routes under the shared layers.
    pub async fn start_with(
        settings: Settings,
        extra: impl FnOnce(axum::Router<Arc<App>>) -> axum::Router<Arc<App>>,
    ) -> Server {
        let dir = TempDir::new();
        let store = store(&dir);
        Server::start_on(dir, store, settings, extra).await
    }

    /// Starts on a store the test made (in `dir`, which lives as long as the server).
    pub async fn start_on(
        dir: TempDir,
        store: Arc<dyn Store>,
        settings: Settings,
        extra: impl FnOnce(axum::Router<Arc<App>>) -> axum::Router<Arc<App>>,
    ) -> Server {
        let (app, token) = waits(|| {
            let app = App::load(store, settings).unwrap();
            let (_, token) = app.create_environment("test", "test").unwrap();
            (app, token)
        });
        Server::serve(app, token, dir, extra).await
    }

    /// Another server on the same store (as after a restart), answering to `token`.
    pub async fn again(&self, settings: Settings) -> Server {
        let app = waits(|| App::load(self.app.store.clone(), settings).unwrap());
        Server::serve(app, self.token.clone(), TempDir::new(), |r| r).await
    }

    async fn serve(
        app: Arc<App>,
        token: String,
        dir: TempDir,
        extra: impl FnOnce(axum::Router<Arc<App>>) -> axum::Router<Arc<App>>,
    ) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let extra_routes = extra(axum::Router::new());
        let router = dialback_server::http::router(app.clone())
            .merge(dialback_server::http::layers(extra_routes, &app).with_state(app.clone()));
        tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        Server {
            base,
            token,
            app,
            http: reqwest::Client::new(),
            _dir: dir,
            _stop: stop,
        }
    }

    /// A token for a second environment of the same server.
    pub fn second_environment(&self) -> String {
        waits(|| self.app.create_environment("other", "test").unwrap().1)
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.call_as(&self.token.clone(), method, path, body).await
    }

    pub async fn call_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        request(&self.http, &self.base, token, method, path, body).await
    }

    pub async fn agent(&self, name: &str, direction: &str, numbers: &[&str]) -> String {
        let (status, body) = self
            .call(
                "POST",
                "/api/v1/agents",
                Some(serde_json::json!({"name": name, "direction": direction,
                    "phone_numbers": numbers})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["data"]["id"].as_str().unwrap().to_owned()
    }
}

impl Server {
    /// An inbound callback agent on +14155550100 taking callbacks for one outbound source (with
    /// an optional lookback);
    /// returns (handler, source).
    pub async fn callback_setup(
        &self,
        source_name: &str,
        lookback_days: Option<u16>,
    ) -> (String, String) {
        let handler = self
            .agent("Callback Handler", "inbound", &["+14155550100"])
            .await;
        let source = self.agent(source_name, "outbound", &[]).await;
        let mut config = serde_json::json!({"source_agent_ids": [source]});
        if let Some(days) = lookback_days {
            config["lookback_days"] = days.into();
        }
        let (status, body) = self
            .call(
                "POST",
                &format!("/api/v1/agents/{handler}/callback"),
                Some(config),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        (handler, source)
    }

    /// The id of the number resource with this E.164 number.
    pub async fn number_id(&self, number: &str) -> String {
        let (status, body) = self.call("GET", "/api/v1/phone-numbers", None).await;
        assert_eq!(status, 200, "{body}");
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["number"] == number)
            .unwrap_or_else(|| panic!("no number {number}: {body}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// `POST /api/v1/calls/import` of these NDJSON lines.
    pub async fn import(&self, lines: &[String]) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/calls/import", self.base))
            .bearer_auth(&self.token)
            .header("content-type", "application/x-ndjson")
            .body(lines.join("\n"))
            .send()
            .await
            .unwrap()
    }

    /// Every call, page after page.
    pub async fn all_calls(&self) -> Vec<Value> {
        all_calls(&self.http, &self.base, &self.token).await
    }
}

/// Every call of an environment, following `GET /api/v1/calls`'s pages to the last.
pub async fn all_calls(http: &reqwest::Client, base: &str, token: &str) -> Vec<Value> {
    let mut calls = vec![];
    for page in 1.. {
        let res = http
            .get(format!("{base}/api/v1/calls?per_page=100&page={page}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let body: Value = res.json().await.unwrap();
        calls.extend(body["data"].as_array().unwrap().iter().cloned());
        if body["pagination"]["current_page"] == body["pagination"]["last_page"] {
            break;
        }
    }
    calls
}

/// The codes of a Talkover error body's `details`.
pub fn codes(body: &Value) -> Vec<String> {
    body["details"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Every key a documented example has, ours has too, with the same JSON type (our
/// extensions may add keys): what "the documented shape" means for an answer.
pub fn has_shape(ours: &Value, doc: &Value, path: &str) {
    match (ours, doc) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                let mine = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k} is missing: {ours}"));
                has_shape(mine, v, &format!("{path}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if let (Some(x), Some(y)) = (a.first(), b.first()) {
                has_shape(x, y, &format!("{path}[0]"));
            }
        }
        // a documented null (an unset field) may be a value here, and the reverse
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_)) => {}
        (a, b) => panic!("type differs at {path}: ours {a}, documented {b}"),
    }
}

/// A documented example, from `tests/fixtures/docs`.
pub fn doc(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/docs")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Same keys, recursively, and same JSON types — what "the seed's shape" means.
pub fn same_shape(ours: &Value, seed: &Value, path: &str) {
    match (ours, seed) {
        (Value::Object(a), Value::Object(b)) => {
            let mut ka: Vec<&String> = a.keys().collect();
            let mut kb: Vec<&String> = b.keys().collect();
            ka.sort();
            kb.sort();
            assert_eq!(ka, kb, "keys differ at {path}");
            for k in kb {
                same_shape(&a[k], &b[k], &format!("{path}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if let (Some(x), Some(y)) = (a.first(), b.first()) {
                same_shape(x, y, &format!("{path}[0]"));
            }
        }
        (Value::Null, Value::Null)
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_)) => {}
        (a, b) => panic!("type differs at {path}: ours {a}, seed {b}"),
    }
}

pub fn seed(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/seeds")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The real `dialback` binary, serving a database; killed when dropped, so that a failed
/// test leaves no server behind.
pub struct Binary {
    pub child: std::process::Child,
    pub base: String,
    /// The first line it printed (`dialback listening on … (database …; tzdata …)`).
    pub banner: String,
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Binary {
    pub fn start(
        db: impl AsRef<std::ffi::OsStr>,
        log: &std::path::Path,
        extra_env: &[(&str, &str)],
    ) -> Binary {
        use std::io::BufRead;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dialback"));
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--db"])
            .arg(db)
            .arg("--static")
            .arg(log.with_extension("nostatic"));
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap();
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| {
                panic!(
                    "no address in {line:?}: {}",
                    std::fs::read_to_string(log).unwrap_or_default()
                )
            })
            .to_owned();
        Binary {
            child,
            base,
            banner: line.trim().to_owned(),
        }
    }

    pub fn create_env(db: impl AsRef<std::ffi::OsStr>, name: &str) -> String {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dialback"))
            .args(["env", "create", "--name", name, "--db"])
            .arg(db)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }
}

/// Everything of one environment, collected: what a view is built from at start.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub agents: Vec<dialback_core::AgentRecord>,
    pub numbers: Vec<dialback_core::NumberResource>,
    pub calls: Vec<dialback_core::CallRecord>,
    pub messages: Vec<dialback_core::MessageRecord>,
}

impl dialback_server::store::Sink for Snapshot {
    fn directory(
        &mut self,
        agents: Vec<dialback_core::AgentRecord>,
        numbers: Vec<dialback_core::NumberResource>,
    ) {
        self.agents = agents;
        self.numbers = numbers;
    }
    fn calls(&mut self, calls: Vec<dialback_core::CallRecord>) {
        self.calls.extend(calls);
    }
    fn messages(&mut self, messages: Vec<dialback_core::MessageRecord>) {
        self.messages.extend(messages);
    }
}

/// One environment's stored records, read as a server reads them at start.
pub fn snapshot(store: &dyn Store, env: dialback_server::store::EnvId) -> Snapshot {
    let mut snapshot = Snapshot::default();
    store.load_into(env, (0, 0), &mut snapshot).unwrap();
    snapshot
}

/// Creates an empty database named `name` on the server `url` points at, and returns the URL
/// of the new database: each test wants a fresh one.
pub fn create_database(url: &str, name: &str) -> Result<String, String> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("database name {name:?}"));
    }
    let config: tokio_postgres::Config = url.parse().map_err(|e| format!("{url:?}: {e}"))?;
    let sql = format!("CREATE DATABASE {name}");
    // its own thread and runtime: callers may be inside another runtime
    std::thread::scope(|s| {
        s.spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async {
                let (client, connection) = config
                    .connect(tokio_postgres::NoTls)
                    .await
                    .map_err(|e| e.to_string())?;
                let driver = tokio::spawn(connection);
                client
                    .batch_execute(&sql)
                    .await
                    .map_err(|e| e.to_string())?;
                drop(client);
                let _ = driver.await;
                Ok::<(), String>(())
            })
        })
        .join()
        .map_err(|_| "creating the database stopped".to_owned())?
    })?;
    let (base, _) = url.rsplit_once('/').unwrap_or((url, ""));
    Ok(format!("{base}/{name}"))
}
