//! What the connected token may do, asked once per connection (`GET /api/v1/token`, a
//! Dialback extension). A read-only token's write controls are disabled with the reason; a
//! server that does not answer the question (a real Talkover) leaves them enabled, and its
//! own 403s say the rest.

use dialback_core::token::Scope;
use dialback_core::wire::talkover::{Envelope, TokenBody};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Connection;

/// The connected token as the server described it; `None` until it has, or if it cannot.
#[derive(Debug, Clone, Copy)]
pub struct Access(pub RwSignal<Option<TokenBody>>);

/// Why writes are disabled, shown beside each disabled control.
pub const READ_ONLY_REASON: &str = "This token is read-only: it can see everything and change \
nothing. Connect with a token made without --read-only to make changes.";

impl Access {
    /// Asks the server about `connection`'s token whenever the connection changes.
    pub fn provide(connection: RwSignal<Connection>) -> Access {
        let access = Access(RwSignal::new(None));
        Effect::new(move |_| {
            let c = connection.get();
            access.0.set(None);
            if c.token.is_none() {
                return;
            }
            spawn_local(async move {
                let answer = c.talkover::<Envelope<TokenBody>>("/api/v1/token").await;
                // only the answer for the connection still in use counts
                if connection.get_untracked() == c {
                    access.0.set(answer.ok().map(|e| e.data));
                }
            });
        });
        provide_context(access);
        access
    }

    /// Whether the token is known to be read-only.
    pub fn read_only(self) -> bool {
        self.0.get().is_some_and(|t| !t.scope.may_write())
    }
}

/// The page's [`Access`].
pub fn access() -> Access {
    expect_context::<Access>()
}

/// The token's scope as the bar shows it.
#[component]
pub fn ScopeBadge() -> impl IntoView {
    let access = access();
    move || {
        access.0.get().map(|t| {
            let (class, text) = match t.scope {
                Scope::Read => ("badge read-only", "read-only token"),
                Scope::Write => ("badge", "read-write token"),
            };
            view! {
                <span
                    class=class
                    title=format!("Token “{}” of environment “{}”", t.label, t.environment)
                >
                    {text}
                </span>
            }
        })
    }
}

/// The reason writes are disabled, where a form would be used (nothing for a token that may
/// write).
#[component]
pub fn ReadOnlyNote() -> impl IntoView {
    let access = access();
    move || {
        access.read_only().then(|| {
            view! {
                <p class="read-only-note" role="note">
                    {READ_ONLY_REASON}
                </p>
            }
        })
    }
}
