//! Shared test helpers: fixture paths and small constructors.

use std::path::PathBuf;

use dialback_core::*;

/// A file under the repository's `tests/fixtures/`.
pub fn shared_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

/// A file under `core/tests/fixtures/`.
pub fn core_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn read_json(path: PathBuf) -> serde_json::Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn t(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

pub fn agent(id: u128, name: &str, direction: Direction) -> Agent {
    Agent {
        id: AgentId::from_u128(id),
        name: name.to_owned(),
        direction,
        phone_numbers: vec![],
        callback_config: None,
    }
}
