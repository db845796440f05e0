//! Fingerprints the core's structures that a saved view holds (`src/view/saved.rs`), so that
//! a build only reads back views written by a build with the same structures.

use std::hash::{DefaultHasher, Hasher};

const SAVED: &[&str] = &[
    "../core/src/order.rs",
    "../core/src/slots.rs",
    "../core/src/callback/index.rs",
    "../core/src/callback/stats.rs",
    "../core/src/usage/activity.rs",
    "../core/src/call.rs",
    "src/view/external.rs",
    "src/view/saved.rs",
];

fn main() {
    let mut h = DefaultHasher::new();
    for path in SAVED {
        println!("cargo:rerun-if-changed={path}");
        match std::fs::read(path) {
            Ok(bytes) => h.write(&bytes),
            // a packaged build without the core's sources: the crate version stands in
            Err(_) => h.write(env!("CARGO_PKG_VERSION").as_bytes()),
        }
    }
    println!("cargo:rustc-env=DIALBACK_VIEW_LAYOUT={:016x}", h.finish());
}
