//! AgentPhone's webhooks, received (see `crate::http::hooks`).
