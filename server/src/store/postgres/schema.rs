//! Versioned schema migrations for PostgreSQL.
//!
//! The same discipline as SQLite's (`store/sqlite/migrate.rs`): each migration moves the schema
//! from `version - 1` to `version` in one transaction, `dialback_schema` records where a database
//! stands, a database written by a later release is refused, and migrations are never edited once
//! released. Replicas starting together take a transaction-scoped advisory lock, so one migrates
//! and the others find the work done.

use tokio_postgres::Client;

use super::pg;
use crate::store::{Result, StoreError};

/// The schema version this release writes.
pub const CURRENT: i32 = 5;

/// The advisory lock key that serialises migrations (`dialback` in ASCII).
const MIGRATION_LOCK: i64 = 0x0064_6961_6c62_6163;

const MIGRATIONS: &[(i32, &str)] = &[(1, V1), (2, V2), (3, V3), (4, V4), (5, V5)];

/// Brings a database to [`CURRENT`].
pub async fn migrate(client: &mut Client) -> Result<()> {
    let tx = client.transaction().await.map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(pg)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS dialback_schema (version integer NOT NULL)")
        .await
        .map_err(pg)?;
    let version: i32 = tx
        .query_opt("SELECT version FROM dialback_schema", &[])
        .await
        .map_err(pg)?
        .map_or(0, |r| r.get(0));
    if version > CURRENT {
        return Err(StoreError::TooNew(format!(
            "this database was written by a newer Dialback (schema {version}; this release \
             understands up to {CURRENT}): upgrade Dialback"
        )));
    }
    for (to, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > version) {
        tx.batch_execute(sql).await.map_err(pg)?;
        tx.execute("DELETE FROM dialback_schema", &[])
            .await
            .map_err(pg)?;
        tx.execute("INSERT INTO dialback_schema (version) VALUES ($1)", &[to])
            .await
            .map_err(pg)?;
        tracing::info!(version = to, "database schema migrated");
    }
    tx.commit().await.map_err(pg)
}

/// Schema 3: webhooks and their outbox, as in SQLite's schema 4 (`store/sqlite/migrate.rs`).
/// Replicas claim due deliveries with `FOR UPDATE SKIP LOCKED`, so two never claim the same
/// one at once.
/// Schema 4: sources (SQLite's schema 5 says why).
/// The live event log (`store/events.rs`), as SQLite's schema 6.
const V5: &str = r#"
CREATE TABLE events (
    seq             BIGSERIAL PRIMARY KEY,
    environment_id  BIGINT NOT NULL REFERENCES environments(id),
    kind            TEXT NOT NULL,
    agents          TEXT NOT NULL,
    body            BYTEA NOT NULL,
    created_ms      BIGINT NOT NULL
);
CREATE INDEX events_by_env ON events (environment_id, seq);
CREATE INDEX events_by_age ON events (created_ms);
CREATE TABLE event_horizon (
    environment_id  BIGINT PRIMARY KEY,
    pruned_through  BIGINT NOT NULL
);
"#;

const V4: &str = r#"
CREATE TABLE sources (
    id              BIGSERIAL PRIMARY KEY,
    environment_id  BIGINT NOT NULL REFERENCES environments(id),
    platform        TEXT NOT NULL CHECK (platform IN ('talkover', 'agentphone')),
    base_url        TEXT NOT NULL,
    token_ref       TEXT NOT NULL,
    secret_ref      TEXT,
    created_at      BIGINT NOT NULL,
    state           TEXT NOT NULL
);
CREATE TABLE source_receipts (
    source_id    BIGINT NOT NULL,
    delivery_id  TEXT NOT NULL,
    signature    TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    PRIMARY KEY (source_id, delivery_id)
);
"#;

const V3: &str = r#"
CREATE TABLE webhooks (
    id              TEXT PRIMARY KEY,
    environment_id  BIGINT NOT NULL REFERENCES environments(id),
    api             TEXT NOT NULL CHECK (api IN ('agentphone', 'talkover')),
    agent_id        TEXT,
    enabled         BOOLEAN NOT NULL,
    config          TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX webhooks_by_env ON webhooks (environment_id, created_at, id);
CREATE TABLE webhook_deliveries (
    seq              BIGSERIAL PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    environment_id   BIGINT NOT NULL REFERENCES environments(id),
    webhook_id       TEXT NOT NULL,
    event            TEXT NOT NULL,
    channel          TEXT,
    message_id       TEXT,
    body             BYTEA NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    next_attempt_ms  BIGINT,
    http_status      INTEGER,
    error            TEXT,
    response_body    TEXT,
    response_ms      BIGINT,
    last_attempt_ms  BIGINT,
    created_ms       BIGINT NOT NULL,
    test             BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX deliveries_due ON webhook_deliveries (webhook_id, next_attempt_ms)
    WHERE status = 'pending';
CREATE INDEX deliveries_by_env ON webhook_deliveries (environment_id, seq);
CREATE INDEX deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
"#;

/// Schema 2: a search's SID part (the start of an external id) found through an index. The
/// unique index on external ids orders them by the database's collation, which a prefix range
/// cannot rely on; this one orders them byte by byte.
const V2: &str = r#"
CREATE INDEX calls_by_sid ON calls (environment_id, external_id COLLATE "C");
"#;

/// The first schema: SQLite's schema 3, plus what several servers need to agree:
/// - `environments.version` (advanced by every committed write, under the row's lock) and
///   `directory_version` (the version at which agents or numbers last changed);
/// - `version` on calls and messages, so a server can read exactly what it has not seen;
/// - `dialback_ids`, the counters call and message ids are reserved from;
/// - `saved_views`, each environment's view saved whole (a cache, in 64 MB parts);
/// - `phone_numbers.added`, the order numbers were added in (SQLite's `rowid`);
/// - no foreign key from calls and messages to their environment: they are only written
///   under that environment's row lock, environments are never deleted, and a per-row
///   check is work every imported row would pay for nothing.
const V1: &str = r#"
CREATE TABLE environments (
    id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name               text NOT NULL UNIQUE,
    created_at         bigint NOT NULL,
    plan               text,
    version            bigint NOT NULL DEFAULT 0,
    directory_version  bigint NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    hash            bytea NOT NULL UNIQUE,
    environment_id  bigint NOT NULL REFERENCES environments(id),
    label           text NOT NULL,
    scope           text NOT NULL DEFAULT 'write' CHECK (scope IN ('write', 'read')),
    created_at      bigint NOT NULL,
    expires_at      bigint,
    revoked_at      bigint,
    last_used_at    bigint
);
CREATE INDEX tokens_by_env ON tokens (environment_id, id);
CREATE TABLE agents (
    id               text PRIMARY KEY,
    environment_id   bigint NOT NULL REFERENCES environments(id),
    seq              bigint NOT NULL,
    name             text NOT NULL,
    direction        text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    callback_config  text,
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    profile          text,
    created_at       bigint NOT NULL,
    updated_at       bigint
);
CREATE INDEX agents_by_env ON agents (environment_id, seq);
CREATE TABLE phone_numbers (
    id              text PRIMARY KEY,
    environment_id  bigint NOT NULL REFERENCES environments(id),
    agent_id        text REFERENCES agents(id),
    position        bigint NOT NULL DEFAULT 0,
    number          text NOT NULL,
    created_at      bigint NOT NULL,
    updated_at      bigint NOT NULL,
    added           bigint GENERATED ALWAYS AS IDENTITY,
    UNIQUE (environment_id, number)
);
CREATE INDEX numbers_by_agent ON phone_numbers (agent_id, position);
CREATE INDEX numbers_by_env ON phone_numbers (environment_id, created_at, added);
CREATE TABLE calls (
    id                bigint PRIMARY KEY,
    environment_id    bigint NOT NULL,
    version           bigint NOT NULL,
    external_id       text,
    direction         text NOT NULL,
    agent_id          text,
    from_number       text,
    to_number         text NOT NULL,
    started_at        bigint NOT NULL,
    status            text NOT NULL,
    duration_seconds  bigint NOT NULL,
    routing           text,
    UNIQUE (environment_id, external_id)
);
CREATE INDEX calls_newest ON calls (environment_id, started_at DESC, id DESC);
CREATE INDEX calls_by_agent ON calls (environment_id, agent_id, started_at DESC, id DESC);
CREATE INDEX calls_by_version ON calls (environment_id, version);
CREATE TABLE messages (
    id              bigint PRIMARY KEY,
    environment_id  bigint NOT NULL,
    version         bigint NOT NULL,
    agent_id        text,
    direction       text NOT NULL,
    from_number     text NOT NULL,
    to_number       text NOT NULL,
    sent_at         bigint NOT NULL
);
CREATE INDEX messages_by_version ON messages (environment_id, version);
CREATE TABLE dialback_ids (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    calls     bigint NOT NULL,
    messages  bigint NOT NULL
);
INSERT INTO dialback_ids (calls, messages) VALUES (0, 0);
CREATE TABLE saved_views (
    environment_id  bigint NOT NULL REFERENCES environments(id),
    part            integer NOT NULL,
    data            bytea NOT NULL,
    PRIMARY KEY (environment_id, part)
);
"#;
