//! Listening for other servers' commits (`LISTEN dialback_changes`) on a connection of its
//! own, reconnecting after a second whenever it is lost.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc::UnboundedSender;
use tokio_postgres::{AsyncMessage, NoTls};

use super::CHANNEL;
use crate::store::{EnvId, Version};

/// Forwards `(environment, version)` for every commit announced, until nobody receives.
pub async fn listen(config: tokio_postgres::Config, commits: UnboundedSender<(EnvId, Version)>) {
    while !commits.is_closed() {
        match config.connect(NoTls).await {
            Ok((client, mut connection)) => {
                let forward = commits.clone();
                let messages = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(Ok(message)) = messages.next().await {
                        if let AsyncMessage::Notification(n) = message
                            && let Some(commit) = parse(n.payload())
                            && forward.send(commit).is_err()
                        {
                            break;
                        }
                    }
                });
                if client
                    .batch_execute(&format!("LISTEN {CHANNEL}"))
                    .await
                    .is_ok()
                {
                    tracing::debug!("following other servers' commits");
                }
                // until the connection ends
                let _ = messages.await;
                drop(client);
                tracing::warn!("lost the connection that follows other servers' commits");
            }
            Err(e) => tracing::warn!(error = %e, "cannot follow other servers' commits"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

fn parse(payload: &str) -> Option<(EnvId, Version)> {
    let (env, version) = payload.split_once(':')?;
    Some((env.parse().ok()?, version.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn payloads_are_environment_and_version() {
        assert_eq!(parse("3:1042"), Some((3, 1042)));
        assert_eq!(parse("3"), None);
        assert_eq!(parse("x:1"), None);
        assert_eq!(parse("-1:-1"), None);
    }
}
