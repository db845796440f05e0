//! Sources: a platform's own records brought into an environment. A team that runs its agents
//! on Talkover or AgentPhone already has its agents, numbers, callback roles and calls there,
//! behind the APIs Dialback speaks; a sync reads them through the documented endpoints only.
//!
//! The rules of a sync live here, the reading of HTTP pages and the writing to storage in the
//! server:
//! - [`origin`]: which platform a record came from, and its id there (shown on the agent);
//! - `identity`: the Dialback id of a platform record, the same on every run, so that a
//!   second sync finds what the first stored instead of adding it again;
//! - `page`, `talkover`, `agentphone`: each documented list page read into platform records,
//!   every problem naming the field it is about;
//! - `merge`: what to write so that the environment's agents and numbers match a platform's;
//! - `calls`: which listed calls are recorded (ended ones), as what, and where the next run
//!   starts reading (`Cursor`);
//! - `delivery`: an AgentPhone webhook delivery, read into a call or a message;
//! - [`stop`]: why a run stopped, by kind, with its code.
//!
//! All but [`origin`] need the `sources` feature, which only the server turns on.

#[cfg(feature = "sources")]
pub mod agentphone;
#[cfg(feature = "sources")]
pub mod calls;
#[cfg(feature = "sources")]
pub mod delivery;
#[cfg(feature = "sources")]
pub mod identity;
#[cfg(feature = "sources")]
pub mod merge;
pub mod origin;
#[cfg(feature = "sources")]
pub mod page;
pub mod stop;
#[cfg(feature = "sources")]
pub mod talkover;

pub use origin::{Origin, Platform};
pub use stop::SyncStop;
