//! # dialback-web
//!
//! The admin console: a client-side Leptos app that runs `dialback-core` in the browser to
//! check what users type and what the APIs return, and talks to any server that speaks the
//! Talkover and AgentPhone shapes (`api.rs` is the only module that touches the network).
//!
//! Pages so far: Connect and Usage. Agents, callback routing, the routing simulator and
//! callback stats are the next ones (issue 5).

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

mod api;
mod connect;
mod usage;

pub use api::{ApiError, Connection};

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    // a token in the URL fragment (the demo's printed link) connects at once
    let connection = Connection::adopt_fragment_token().unwrap_or_else(Connection::load);
    provide_context(RwSignal::new(connection));
    view! {
        <Router>
            <header class="bar">
                <strong class="brand">"Dialback"</strong>
                <nav aria-label="Main">
                    <A href="/">"Connect"</A>
                    <A href="/usage">"Usage"</A>
                </nav>
            </header>
            <main>
                <Routes fallback=|| view! { <p>"No such page."</p> }>
                    <Route path=path!("/") view=connect::Connect/>
                    <Route path=path!("/usage") view=usage::Usage/>
                </Routes>
            </main>
        </Router>
    }
}
