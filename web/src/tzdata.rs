//! The time zone table the console answers by: the release compiled into it, or, when the
//! server that served the console answers by another (`dialback serve --tzdata`), that one,
//! fetched once at start. The bounds the console computes then match the server's answers.

use dialback_core::{OlderTables, Tzdata, Zone};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// The release in force, as a signal: what depends on zone rules reads it, so it is computed
/// again when the server's table arrives.
#[derive(Clone, Copy)]
pub struct Release(pub RwSignal<&'static str>);

impl Release {
    /// Provides the release in force, and asks the page's server for its table.
    pub fn provide() {
        let release = RwSignal::new(Zone::database_version());
        provide_context(Release(release));
        spawn_local(async move {
            let Some(bytes) = api::server_tzdata(Zone::database_version()).await else {
                return;
            };
            // the server's table is the one its answers follow, older or not
            match Tzdata::from_compact(&bytes).and_then(|t| t.install(OlderTables::Allow)) {
                Ok(installed) => {
                    web_sys::console::info_1(
                        &format!(
                            "time zone rules: tzdata {} from the server",
                            installed.version
                        )
                        .into(),
                    );
                    release.set(Zone::database_version());
                }
                Err(e) => web_sys::console::warn_1(
                    &format!("the server's time zone table was not used: {e}").into(),
                ),
            }
        });
    }

    /// The release in force (tracked), `2026f`; the compiled-in one outside the console.
    pub fn get() -> &'static str {
        use_context::<Release>().map_or_else(Zone::database_version, |r| r.0.get())
    }
}
