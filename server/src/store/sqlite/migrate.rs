//! Versioned schema migrations for SQLite.
//!
//! Each migration moves the schema from `version - 1` to `version` in one transaction, and
//! `PRAGMA user_version` records where a database stands. A new database runs them all; a
//! database written by an earlier release runs the ones it lacks; a database written by a
//! later release is refused rather than guessed at. Migrations are never edited once
//! released: a change is a new migration.

use dialback_core::{Direction, RoutingDecision, call_agent};
use rusqlite::{Connection, Transaction, params};

use crate::store::{Result, StoreError};

/// One step of the schema's history.
struct Migration {
    version: i64,
    /// SQL run first.
    sql: &'static str,
    /// Work SQL cannot do (domain rules), run after the SQL in the same transaction.
    then: Option<fn(&Transaction<'_>) -> Result<()>>,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: V1,
        then: None,
    },
    Migration {
        version: 2,
        sql: V2,
        then: Some(agents_of_inbound_calls),
    },
    Migration {
        version: 3,
        sql: V3,
        then: None,
    },
    Migration {
        version: 4,
        sql: V4,
        then: None,
    },
    Migration {
        version: 5,
        sql: V5,
        then: None,
    },
    Migration {
        version: 6,
        sql: V6,
        then: None,
    },
];

/// The schema version this release writes.
pub const CURRENT: i64 = 6;

/// Brings a database to [`CURRENT`].
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > CURRENT {
        return Err(StoreError::TooNew(format!(
            "this database was written by a newer Dialback (schema {version}; this release \
             understands up to {CURRENT}): upgrade Dialback, or restore a backup"
        )));
    }
    // a table rebuild breaks foreign keys for a moment; the switch only works outside a
    // transaction, and each migration checks the keys before it commits
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    for m in MIGRATIONS.iter().filter(|m| m.version > version) {
        // the write lock from the start (BEGIN IMMEDIATE), and the version read again under
        // it: processes opening a new file at once take turns, and each finds what the one
        // before it did instead of running a migration twice
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now >= m.version {
            continue;
        }
        tx.execute_batch(m.sql)?;
        if let Some(then) = m.then {
            then(&tx)?;
        }
        let broken: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            return Err(StoreError::Corrupt(format!(
                "migration to schema {} would leave {broken} rows pointing nowhere",
                m.version
            )));
        }
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
        tracing::info!(version = m.version, "database schema migrated");
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// The first released schema.
const V1: &str = r#"
CREATE TABLE IF NOT EXISTS environments (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    hash            BLOB PRIMARY KEY,
    environment_id  INTEGER NOT NULL REFERENCES environments(id),
    label           TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS agents (
    id               TEXT PRIMARY KEY,
    environment_id   INTEGER NOT NULL REFERENCES environments(id),
    seq              INTEGER NOT NULL,
    name             TEXT NOT NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    callback_config  TEXT,
    created_at       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS agents_by_env ON agents (environment_id, seq);
CREATE TABLE IF NOT EXISTS phone_numbers (
    id              TEXT PRIMARY KEY,
    environment_id  INTEGER NOT NULL REFERENCES environments(id),
    agent_id        TEXT NOT NULL REFERENCES agents(id),
    position        INTEGER NOT NULL,
    number          TEXT NOT NULL,
    UNIQUE (environment_id, number)
);
CREATE INDEX IF NOT EXISTS numbers_by_agent ON phone_numbers (agent_id, position);
CREATE TABLE IF NOT EXISTS calls (
    id                INTEGER PRIMARY KEY,
    environment_id    INTEGER NOT NULL REFERENCES environments(id),
    external_id       TEXT,
    direction         TEXT NOT NULL,
    agent_id          TEXT,
    from_number       TEXT,
    to_number         TEXT NOT NULL,
    started_at        INTEGER NOT NULL,
    status            TEXT NOT NULL,
    duration_seconds  INTEGER NOT NULL,
    routing           TEXT,
    UNIQUE (environment_id, external_id)
);
CREATE INDEX IF NOT EXISTS calls_newest ON calls (environment_id, started_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS messages (
    id              INTEGER PRIMARY KEY,
    environment_id  INTEGER NOT NULL REFERENCES environments(id),
    agent_id        TEXT,
    direction       TEXT NOT NULL,
    from_number     TEXT NOT NULL,
    to_number       TEXT NOT NULL,
    sent_at         INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_env ON messages (environment_id, id);
"#;

/// Talkover's documented shapes: agents get a status, a profile (label, language, voice
/// settings) and an update time; numbers become resources that may be unassigned and have
/// times of their own; environments get a plan; inbound calls name the agent they went to.
const V2: &str = r#"
ALTER TABLE agents ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'published'));
ALTER TABLE agents ADD COLUMN profile TEXT;
ALTER TABLE agents ADD COLUMN updated_at INTEGER;
UPDATE agents SET updated_at = created_at;

CREATE TABLE phone_numbers_v2 (
    id              TEXT PRIMARY KEY,
    environment_id  INTEGER NOT NULL REFERENCES environments(id),
    agent_id        TEXT REFERENCES agents(id),
    position        INTEGER NOT NULL DEFAULT 0,
    number          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (environment_id, number)
);
INSERT INTO phone_numbers_v2
    (id, environment_id, agent_id, position, number, created_at, updated_at)
    SELECT p.id, p.environment_id, p.agent_id, p.position, p.number, a.created_at, a.created_at
    FROM phone_numbers p JOIN agents a ON a.id = p.agent_id;
DROP TABLE phone_numbers;
ALTER TABLE phone_numbers_v2 RENAME TO phone_numbers;
CREATE INDEX numbers_by_agent ON phone_numbers (agent_id, position);
CREATE INDEX numbers_by_env ON phone_numbers (environment_id, created_at, id);

ALTER TABLE environments ADD COLUMN plan TEXT;

CREATE INDEX calls_by_agent ON calls (environment_id, agent_id, started_at DESC, id DESC);
"#;

/// Tokens that can be listed, scoped, made to expire and revoked: each gets an id (so it can
/// be named without the token), a scope, and times. Existing tokens keep working, with every
/// right they had.
const V3: &str = r#"
CREATE TABLE tokens_v3 (
    id              INTEGER PRIMARY KEY,
    hash            BLOB NOT NULL UNIQUE,
    environment_id  INTEGER NOT NULL REFERENCES environments(id),
    label           TEXT NOT NULL,
    scope           TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('write', 'read')),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER,
    revoked_at      INTEGER,
    last_used_at    INTEGER
);
INSERT INTO tokens_v3 (hash, environment_id, label, scope, created_at)
    SELECT hash, environment_id, label, 'write', created_at FROM tokens ORDER BY created_at;
DROP TABLE tokens;
ALTER TABLE tokens_v3 RENAME TO tokens;
CREATE INDEX tokens_by_env ON tokens (environment_id, id);
"#;

/// Webhooks and their outbox. A webhook's settings are one JSON document (the core's
/// `Webhook`), beside the columns it is found by. A delivery keeps the exact body it sends;
/// `next_attempt_ms` is when a pending one is due (or until when it is leased), and the
/// partial index finds a webhook's due deliveries without reading its finished ones.
const V4: &str = r#"
CREATE TABLE webhooks (
    id              TEXT PRIMARY KEY,
    environment_id  INTEGER NOT NULL REFERENCES environments(id),
    api             TEXT NOT NULL CHECK (api IN ('agentphone', 'talkover')),
    agent_id        TEXT,
    enabled         INTEGER NOT NULL,
    config          TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX webhooks_by_env ON webhooks (environment_id, created_at, id);
CREATE TABLE webhook_deliveries (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    environment_id   INTEGER NOT NULL REFERENCES environments(id),
    webhook_id       TEXT NOT NULL,
    event            TEXT NOT NULL,
    channel          TEXT,
    message_id       TEXT,
    body             BLOB NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    next_attempt_ms  INTEGER,
    http_status      INTEGER,
    error            TEXT,
    response_body    TEXT,
    response_ms      INTEGER,
    last_attempt_ms  INTEGER,
    created_ms       INTEGER NOT NULL,
    test             INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX deliveries_due ON webhook_deliveries (webhook_id, next_attempt_ms)
    WHERE status = 'pending';
CREATE INDEX deliveries_by_env ON webhook_deliveries (environment_id, seq);
CREATE INDEX deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
"#;

/// Sources: the platforms environments sync from. Credentials are references (`env:NAME`,
/// `file:PATH`), never values; a run's state is one JSON document. `source_receipts` holds
/// the `X-Webhook-ID`s a source's webhook deliveries were stored under (with the signature
/// they came with, which tells a platform's retry from a replay of the same request), written
/// in the transaction that stores what they carried, so a delivery sent again stores nothing
/// twice.
const V5: &str = r#"
CREATE TABLE sources (
    id              INTEGER PRIMARY KEY,
    environment_id  INTEGER NOT NULL REFERENCES environments(id),
    platform        TEXT NOT NULL CHECK (platform IN ('talkover', 'agentphone')),
    base_url        TEXT NOT NULL,
    token_ref       TEXT NOT NULL,
    secret_ref      TEXT,
    created_at      INTEGER NOT NULL,
    state           TEXT NOT NULL
);
CREATE TABLE source_receipts (
    source_id    INTEGER NOT NULL,
    delivery_id  TEXT NOT NULL,
    signature    TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (source_id, delivery_id)
);
"#;

/// The live event log (`store/events.rs`): each event a write caused, in the write's
/// transaction; `event_horizon` keeps the newest id pruning removed, per environment.
const V6: &str = r#"
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    environment_id  INTEGER NOT NULL REFERENCES environments(id),
    kind            TEXT NOT NULL,
    agents          TEXT NOT NULL,
    body            BLOB NOT NULL,
    created_ms      INTEGER NOT NULL
);
CREATE INDEX events_by_env ON events (environment_id, seq);
CREATE INDEX events_by_age ON events (created_ms);
CREATE TABLE event_horizon (
    environment_id  INTEGER PRIMARY KEY,
    pruned_through  INTEGER NOT NULL
);
"#;

/// Schema 1 recorded no agent on inbound calls; schema 2 records the one its routing
/// decision sent it to (the core's `call_agent`), so that lists and filters by agent need no
/// decision parsing.
fn agents_of_inbound_calls(tx: &Transaction<'_>) -> Result<()> {
    let mut read = tx.prepare(
        "SELECT id, routing FROM calls WHERE direction = 'inbound' AND routing IS NOT NULL",
    )?;
    let mut write = tx.prepare("UPDATE calls SET agent_id = ?1 WHERE id = ?2")?;
    let rows = read.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, routing) = row?;
        let decision: RoutingDecision = serde_json::from_str(&routing)
            .map_err(|e| StoreError::Corrupt(format!("call {id}: routing: {e}")))?;
        let agent = call_agent(Direction::Inbound, None, Some(&decision));
        write.execute(params![agent.map(|a| a.to_string()), id])?;
    }
    Ok(())
}
