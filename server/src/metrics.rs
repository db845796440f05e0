//! What the server counts, in Prometheus' text format at `GET /metrics` (`prometheus-client`).
//!
//! Labels stay bounded: routes are the router's templates (`/api/v1/agents/{id}`), never raw
//! paths; environments are their numeric ids, never names; routing outcomes are the core's
//! reason codes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::PoisonError;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use dialback_core::CallRecord;

/// `route`, `method`, `status`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The route template, or `unmatched`.
    pub route: String,
    /// The HTTP method.
    pub method: String,
    /// The status answered.
    pub status: u16,
}

/// `route`, `method`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// The route template.
    pub route: String,
    /// The HTTP method.
    pub method: String,
}

/// One label, by name.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Direction {
    /// `inbound` or `outbound`.
    pub direction: String,
}

/// A routing decision's reason code.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Reason {
    /// `MATCHED`, `NO_OUTBOUND_CALL`, ...
    pub reason: String,
}

/// An import line's fate.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Outcome {
    /// `created`, `existing` or `rejected`.
    pub outcome: String,
}

/// An environment, by id.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Environment {
    /// Its id.
    pub environment: String,
}

/// The build.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Build {
    version: String,
    tzdata: String,
}

/// Every metric.
pub struct Metrics {
    registry: Mutex<Registry>,
    /// Requests answered.
    pub requests: Family<RequestLabels, Counter>,
    /// How long they took.
    pub latency: Family<RouteLabels, Histogram>,
    /// Calls stored.
    pub calls: Family<Direction, Counter>,
    /// Routing decisions made.
    pub routing: Family<Reason, Counter>,
    /// Import lines, by what became of them.
    pub import_lines: Family<Outcome, Counter>,
    /// Requests refused by the rate limit.
    pub rate_limited: Counter,
    /// Calls in each environment's view.
    pub view_calls: Family<Environment, Gauge>,
    /// Agents in each environment's view.
    pub view_agents: Family<Environment, Gauge>,
    /// Seconds the last load of each environment's view took (milliseconds precision).
    pub view_load_ms: Family<Environment, Gauge>,
    /// Webhook attempts, by what they came to (`delivered`, `retry`, `failed`).
    pub webhook_attempts: Family<Outcome, Counter>,
    /// Seconds from an event's commit to its receiver's 2xx.
    pub webhook_latency: Histogram,
    /// Deliveries waiting (pending), over every environment.
    pub webhook_queue: Gauge,
    /// Live streams open (`GET /api/v1/events`).
    pub event_streams: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Every metric registered, at zero.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("dialback");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time from request to response headers",
            latency.clone(),
        );
        let calls = Family::<Direction, Counter>::default();
        registry.register("calls_ingested", "Calls stored", calls.clone());
        let routing = Family::<Reason, Counter>::default();
        registry.register(
            "routing_decisions",
            "Inbound calls routed, by the core's reason code",
            routing.clone(),
        );
        let import_lines = Family::<Outcome, Counter>::default();
        registry.register(
            "import_lines",
            "NDJSON import lines: created, existing (already stored) or rejected",
            import_lines.clone(),
        );
        let rate_limited = Counter::default();
        registry.register(
            "rate_limited_requests",
            "Requests refused with 429",
            rate_limited.clone(),
        );
        let view_calls = Family::<Environment, Gauge>::default();
        registry.register(
            "view_calls",
            "Calls in an environment's in-memory view",
            view_calls.clone(),
        );
        let view_agents = Family::<Environment, Gauge>::default();
        registry.register(
            "view_agents",
            "Agents in an environment's in-memory view",
            view_agents.clone(),
        );
        let view_load_ms = Family::<Environment, Gauge>::default();
        registry.register(
            "view_load_milliseconds",
            "How long the last load of an environment's view from storage took",
            view_load_ms.clone(),
        );
        let webhook_attempts = Family::<Outcome, Counter>::default();
        registry.register(
            "webhook_attempts",
            "Webhook delivery attempts: delivered, retry (to be tried again) or failed (no \
             attempts left)",
            webhook_attempts.clone(),
        );
        let webhook_latency = Histogram::new(exponential_buckets(0.002, 2.0, 16));
        registry.register(
            "webhook_delivery_seconds",
            "Time from an event's commit to its receiver's 2xx",
            webhook_latency.clone(),
        );
        let webhook_queue = Gauge::default();
        registry.register(
            "webhook_queue_depth",
            "Webhook deliveries pending (waiting for an attempt or a retry)",
            webhook_queue.clone(),
        );
        let event_streams = Gauge::default();
        registry.register(
            "event_streams",
            "Live event streams open (GET /api/v1/events)",
            event_streams.clone(),
        );
        let build = Family::<Build, Gauge>::default();
        build
            .get_or_create(&Build {
                version: env!("CARGO_PKG_VERSION").to_owned(),
                tzdata: dialback_core::Zone::database_version().to_owned(),
            })
            .set(1);
        registry.register("build_info", "The running build (always 1)", build);
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            calls,
            routing,
            import_lines,
            rate_limited,
            view_calls,
            view_agents,
            view_load_ms,
            webhook_attempts,
            webhook_latency,
            event_streams,
            webhook_queue,
        }
    }

    /// Counts a webhook attempt by where it left its delivery; `latency` (seconds since the
    /// event's commit) for one that delivered it.
    pub fn webhook_attempt(
        &self,
        status: dialback_core::webhook::delivery::DeliveryStatus,
        latency: Option<f64>,
    ) {
        use dialback_core::webhook::delivery::DeliveryStatus as S;
        let outcome = match status {
            S::Delivered => "delivered",
            S::Pending => "retry",
            S::Failed => "failed",
        };
        self.webhook_attempts
            .get_or_create(&Outcome {
                outcome: outcome.to_owned(),
            })
            .inc();
        if let Some(s) = latency {
            self.webhook_latency.observe(s);
        }
    }

    /// Counts stored calls by direction, and inbound routing decisions by reason code, tallied
    /// first so that a million-call import touches each series once.
    pub fn calls_stored(&self, rows: &[CallRecord]) {
        let mut directions: HashMap<&'static str, u64> = HashMap::new();
        let mut reasons: HashMap<&'static str, u64> = HashMap::new();
        for row in rows {
            *directions.entry(row.direction.as_str()).or_default() += 1;
            if let Some(decision) = &row.routing {
                *reasons.entry(decision.reason_code()).or_default() += 1;
            }
        }
        for (direction, n) in directions {
            self.calls
                .get_or_create(&Direction {
                    direction: direction.to_owned(),
                })
                .inc_by(n);
        }
        for (reason, n) in reasons {
            self.routing
                .get_or_create(&Reason {
                    reason: reason.to_owned(),
                })
                .inc_by(n);
        }
    }

    /// Counts an import's lines by outcome (`created`, `existing`, `rejected`).
    pub fn import_lines(&self, outcome: &str, n: u64) {
        if n > 0 {
            self.import_lines
                .get_or_create(&Outcome {
                    outcome: outcome.to_owned(),
                })
                .inc_by(n);
        }
    }

    /// The text format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        let registry = self.registry.lock().unwrap_or_else(PoisonError::into_inner);
        if prometheus_client::encoding::text::encode(&mut out, &registry).is_err() {
            out.clear();
        }
        out
    }
}
