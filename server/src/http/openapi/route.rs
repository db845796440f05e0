//! What an operation of the table is answered by: its method and handler, made the way axum's
//! `get(handler)` is, so that the table's entry is both the route and its description.

use std::sync::Arc;

use axum::handler::Handler;
use axum::routing::{self, MethodRouter};

use crate::app::App;

/// An operation's method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Verb {
    /// The method as the document's path items name it.
    pub fn name(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::Post => "post",
            Verb::Put => "put",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
        }
    }
}

/// The handler of one operation, with the method it is documented under.
pub struct Served {
    /// The documented method.
    pub verb: Verb,
    /// The handler, for that method or (see [`every`]) for every method of the path.
    pub serve: MethodRouter<Arc<App>>,
    /// Whether `serve` answers every method of the path.
    pub any: bool,
}

macro_rules! verbs {
    ($($name:ident => $verb:ident),*) => {$(
        #[doc = concat!("`", stringify!($name), "(handler)`: answers ", stringify!($verb),
            " with `handler`.")]
        pub fn $name<H: Handler<T, Arc<App>>, T: 'static>(handler: H) -> Served {
            Served { verb: Verb::$verb, serve: routing::$name(handler), any: false }
        }
    )*};
}

verbs!(get => Get, post => Post, put => Put, patch => Patch, delete => Delete);

/// Documented under `verb`, answered by `handler` whatever the method: the paths of features
/// Dialback refuses (501) answer so for every method the real API has there.
pub fn every<H: Handler<T, Arc<App>>, T: 'static>(verb: Verb, handler: H) -> Served {
    Served {
        verb,
        serve: routing::any(handler),
        any: true,
    }
}
