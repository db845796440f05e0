//! The main job's data: `serve --demo` creates a consistent demo environment once and rotates
//! its token on every start.

use std::sync::Arc;

use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::talkover::CallbackStatsData;
use dialback_core::{Zone, validate_callback_stats, validate_usage_by_agent};
use dialback_server::app::{App, Settings};
use dialback_server::store::{SqliteStore, Store};

use crate::harness::{TempDir, waits};

#[tokio::test]
async fn demo_data_is_consistent_and_tokens_rotate() {
    let dir = TempDir::new();
    let app = waits(|| {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.db(), false).unwrap());
        App::load(store, Settings::default()).unwrap()
    });
    // the demo takes views' write locks as writers do: from the blocking pool
    let ensure = |app: Arc<App>| {
        tokio::task::spawn_blocking(move || waits(|| dialback_server::demo::ensure(&app)))
    };
    let first = ensure(app.clone()).await.unwrap().unwrap();
    let second = ensure(app.clone()).await.unwrap().unwrap();
    assert_ne!(first, second);
    assert!(
        app.authenticate(&first).await.unwrap().is_none(),
        "the previous demo token still works"
    );
    let env = app
        .authenticate(&second)
        .await
        .unwrap()
        .expect("the new demo token works")
        .env;
    assert_eq!(
        waits(|| app.store.tokens().environments().unwrap().len()),
        1,
        "a second start created a second environment"
    );

    let view = env.view.read().await;
    let names: Vec<&str> = view.agents.all().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Callback Handler",
            "Support Line",
            "Sales Outbound",
            "Survey Outbound",
            "Renewals Outbound"
        ]
    );
    assert!(
        view.routing.index().len() > 2_500,
        "ninety days of outbound calls: {}",
        view.routing.index().len()
    );

    assert!(
        view.agents
            .all()
            .iter()
            .all(|r| r.status == dialback_core::AgentStatus::Published),
        "the demo's agents are live"
    );
    assert_eq!(
        view.numbers
            .all()
            .iter()
            .filter(|n| n.agent.is_none())
            .count(),
        1,
        "the shared SMS line"
    );
    let now = app.now();
    let range = dialback_core::DateRange::parse(None, None, None, now).unwrap();
    let stats = CallbackStatsData::new(&view.callbacks.stats(&range), &view.directory);
    assert!(
        stats.total_callbacks_received > 100
            && stats.callbacks_unmatched > 10
            && stats.callbacks_answered > 10
    );
    assert!(
        stats.callbacks_answered < stats.total_callbacks_received,
        "some callbacks are missed"
    );
    assert_eq!(stats.callbacks_by_source_agent.len(), 2);
    assert!(validate_callback_stats(&stats).is_empty());

    let zone = Zone::parse("America/New_York").unwrap();
    let usage = UsageByAgentResponse::from(&view.activity.by_agent(
        &dialback_core::usage_period(dialback_core::Period::Year, zone, now),
        &view.directory,
    ));
    assert!(
        usage.data.last().is_some_and(|r| r.is_orphan),
        "some activity has no agent"
    );
    assert!(validate_usage_by_agent(&usage, Some(zone)).is_empty());
}
