//! # dialback-web
//!
//! The admin console: a client-side Leptos app that runs `dialback-core` in the browser to
//! check what users type and what the APIs return, and talks to any server that speaks the
//! Talkover and AgentPhone shapes (`api.rs` is the only module that touches the network).
//!
//! Pages: Overview (where a connected console lands), Connect, Agents, Callback routing, the
//! routing simulator, Callback stats, Usage, Webhooks, and the API reference. Each page keeps its
//! filters in the URL's query, so a view can be bookmarked.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{Lazy, path};

mod access;
mod agents;
mod api;
mod callbacks;
pub mod charts;
mod connect;
pub mod format;
pub mod live;
mod overview;
pub mod panic;
mod reference;
mod simulate;
mod sources;
mod stats;
pub mod tzdata;
pub mod ui;
pub mod usage;
mod webhooks;

pub use agents::filter as filter_agents;
pub use api::{ApiError, Connection, refusal};
pub use callbacks::{callback_body, check as check_callback};
pub use simulate::simulation_body;
pub use ui::split_failure;

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    // a token in the URL fragment (the demo's printed link) connects at once
    let connection = Connection::adopt_fragment_token().unwrap_or_else(Connection::load);
    let connection = RwSignal::new(connection);
    provide_context(connection);
    access::Access::provide(connection);
    tzdata::Release::provide();
    live::Live::provide(connection);
    view! {
        <Router>
            <header class="bar">
                <strong class="brand">"Dialback"</strong>
                <nav aria-label="Main">
                    <A href="/" exact=true>
                        "Overview"
                    </A>
                    <A href="/agents">"Agents"</A>
                    <A href="/callbacks">"Callback routing"</A>
                    <A href="/simulate">"Simulator"</A>
                    <A href="/stats">"Callback stats"</A>
                    <A href="/usage">"Usage"</A>
                    <A href="/webhooks">"Webhooks"</A>
                    <A href="/sources">"Sources"</A>
                    <A href="/api">"API"</A>
                    <A href="/connect">"Connect"</A>
                </nav>
                <access::ScopeBadge />
                <live::LinkBadge />
            </header>
            <main>
                <Routes fallback=|| view! { <p>"No such page."</p> }>
                    <Route path=path!("/") view=overview::Home />
                    <Route path=path!("/connect") view=connect::Connect />
                    <Route path=path!("/agents") view={Lazy::<AgentsPage>::new()} />
                    <Route path=path!("/callbacks") view={Lazy::<CallbacksPage>::new()} />
                    <Route path=path!("/simulate") view={Lazy::<SimulatePage>::new()} />
                    <Route path=path!("/stats") view={Lazy::<StatsPage>::new()} />
                    <Route path=path!("/usage") view={Lazy::<UsagePage>::new()} />
                    <Route path=path!("/webhooks") view={Lazy::<WebhooksPage>::new()} />
                    <Route path=path!("/sources") view={Lazy::<SourcesPage>::new()} />
                    <Route path=path!("/api") view={Lazy::<ReferencePage>::new()} />
                </Routes>
            </main>
        </Router>
    }
}

/// A page the console downloads only when it is first opened.
///
/// The Overview and Connect pages are in the first download, since one of them is where every
/// visit lands; every other page is a route whose view, in a `split` build (`cargo xtask
/// web`), lives in a wasm module of its own, fetched when the route is first matched. Without
/// the feature (unit tests, `cargo check`) the same routes are plain async views, so both
/// builds run the same component code.
///
/// A module that cannot be fetched (offline, or the server was upgraded mid-session) leaves
/// the page saying so, not a stopped console: the split function is `fallible`, and a later
/// visit to the page tries again.
macro_rules! later_page {
    ($(#[$doc:meta])* $page:ident, $module:ident => $component:path) => {
        $(#[$doc])*
        struct $page;

        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $module() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
            Ok($component().into_any())
        }

        impl leptos_router::LazyRoute for $page {
            fn data() -> Self {
                $page
            }

            async fn view(this: Self) -> AnyView {
                let $page = this;
                #[cfg(feature = "split")]
                return $module().await.unwrap_or_else(|_| ui::PageUnavailable().into_any());
                #[cfg(not(feature = "split"))]
                $component().into_any()
            }
        }
    };
}

later_page!(/// Agents: list, search, create and edit.
    AgentsPage, agents_page => agents::Agents);
later_page!(/// Callback routing: which inbound agent answers for which sources.
    CallbacksPage, callbacks_page => callbacks::Callbacks);
later_page!(/// The routing simulator.
    SimulatePage, simulate_page => simulate::Simulate);
later_page!(/// Callback stats over a range.
    StatsPage, stats_page => stats::Stats);
later_page!(/// Usage by agent.
    UsagePage, usage_page => usage::Usage);
later_page!(/// Webhooks: the project's and an agent's, and the delivery log.
    WebhooksPage, webhooks_page => webhooks::Webhooks);
later_page!(/// Sources: the platforms the environment syncs from.
    SourcesPage, sources_page => sources::Sources);
later_page!(/// The API reference.
    ReferencePage, reference_page => reference::Reference);
