//! The SQLite schema, applied idempotently at open.

/// Bumped when the schema changes; stored in `PRAGMA user_version`.
pub const VERSION: i64 = 1;

pub const SCHEMA: &str = r#"
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
