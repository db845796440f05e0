//! dialback-server's integration tests: the real server on a random loopback port with a
//! temporary database, spoken to over HTTP.

// Test code: a failing test should panic loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod agentphone;
mod backup;
mod console;
mod cors;
mod demo;
mod durability;
mod frozen;
mod harness;
mod live;
mod migrations;
mod openapi;
mod operations;
mod receiver;
mod replicas;
mod robustness;
mod saved_views;
mod store_filters;
mod sync;
mod talkover_agents;
mod talkover_callbacks;
mod talkover_calls;
mod tokens;
mod tzdata;
mod view_consistency;
mod webhook_faults;
mod webhooks;
