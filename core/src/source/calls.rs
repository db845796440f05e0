//! Which of a platform's listed calls are recorded, as what, and where the next run starts.
//!
//! A call is recorded once it has ended: a call still in progress on the platform would
//! otherwise be stored with a status that is about to change, and `external_id` makes a
//! stored call final. The cursor is therefore held at the earliest call that was still in
//! progress, so the next run reads it again, and every run reads a day before its cursor
//! (`OVERLAP_SECONDS`): Talkover's `date_from` is a day in a zone it does not document, and a
//! call can be listed a little after calls that started later.

use super::Platform;
use super::identity;
use super::page::PageError;
use crate::agent::{AgentDirectory, Direction};
use crate::call::CallStatus;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;
use crate::wire::requests::NewCall;

/// Whether a listed call has ended, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Still ringing or talking: not recorded yet.
    InProgress,
    /// Over, with this status.
    Ended(CallStatus),
}

/// A call as a platform lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformCall {
    /// Its id there.
    pub id: String,
    /// Which way, when the platform says.
    pub direction: Option<Direction>,
    /// Its agent's id there.
    pub agent: Option<String>,
    /// The caller as presented (`None` when withheld).
    pub from: Option<String>,
    /// The dialed number.
    pub to: PhoneNumber,
    /// When it started.
    pub started_at: Timestamp,
    /// Ended or not.
    pub progress: Progress,
    /// How long it lasted.
    pub duration_seconds: u32,
}

/// Every run reads from a day before its cursor.
pub const OVERLAP_SECONDS: i64 = 86_400;

/// A call in progress for longer than this no longer holds the cursor back (a platform may
/// never update a call it lost track of); it is recorded if it is ever listed as ended within
/// a run's window.
pub const STALE_OPEN_SECONDS: i64 = 6 * 3600;

/// Where a source's next run starts: the start of the latest call it recorded, or of the
/// earliest call still in progress when it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor(pub Timestamp);

/// What one run has seen of the calls, newest first as the lists come.
#[derive(Debug, Clone)]
pub struct Window {
    from: Option<Timestamp>,
    now: Timestamp,
    latest: Option<Timestamp>,
    earliest_open: Option<Timestamp>,
    previous_start: Option<Timestamp>,
    ordered: bool,
}

impl Window {
    /// A run from `cursor` (none: every call), at `now`.
    pub fn new(cursor: Option<Cursor>, now: Timestamp) -> Self {
        Window {
            from: cursor.map(|c| c.0.saturating_add_seconds(-OVERLAP_SECONDS)),
            now,
            latest: None,
            earliest_open: None,
            previous_start: None,
            ordered: true,
        }
    }

    /// The earliest start this run reads (none: from the first call).
    pub fn from(&self) -> Option<Timestamp> {
        self.from
    }

    /// Notes a listed call; whether to record it (it has ended, and started in the window).
    pub fn see(&mut self, call: &PlatformCall) -> bool {
        let at = call.started_at;
        if self.previous_start.is_some_and(|p| at > p) {
            self.ordered = false;
        }
        self.previous_start = Some(at);
        if self.from.is_some_and(|from| at < from) {
            return false;
        }
        self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
        match call.progress {
            Progress::Ended(_) => true,
            Progress::InProgress => {
                if at.unix_seconds() >= self.now.unix_seconds() - STALE_OPEN_SECONDS {
                    self.earliest_open = Some(self.earliest_open.map_or(at, |e| e.min(at)));
                }
                false
            }
        }
    }

    /// After a page of a newest-first list: whether later pages can hold nothing this run
    /// reads. Only while every call so far came newest first (an order AgentPhone does not
    /// document): otherwise the run reads to the end.
    pub fn past(&self) -> bool {
        match (self.from, self.previous_start) {
            (Some(from), Some(last)) => self.ordered && last < from,
            _ => false,
        }
    }

    /// The cursor after a run that recorded everything it saw.
    pub fn next(&self, previous: Option<Cursor>) -> Option<Cursor> {
        match (self.earliest_open, self.latest) {
            (Some(open), _) => Some(Cursor(open)),
            (None, Some(latest)) => Some(Cursor(latest)),
            (None, None) => previous,
        }
    }
}

/// Why a listed call cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallProblem {
    /// No direction, and neither side is one of the environment's numbers.
    Direction,
}

/// The call to record for a listed, ended call: its `external_id` names the platform and its
/// id there; its agent is the platform's, mapped (an outbound call's; an inbound call's is
/// decided by the environment's own rules, as for any recorded call). Without a direction,
/// the side that is one of the environment's numbers decides. `None` for a call in progress.
pub fn new_call(
    platform: Platform,
    call: &PlatformCall,
    directory: &AgentDirectory,
) -> Result<Option<NewCall>, PageError> {
    let Progress::Ended(status) = call.progress else {
        return Ok(None);
    };
    let direction = match call.direction {
        Some(d) => d,
        None if directory.owner_of(call.to).is_some() => Direction::Inbound,
        None if call
            .from
            .as_deref()
            .and_then(|f| PhoneNumber::parse(f).ok())
            .is_some_and(|f| directory.owner_of(f).is_some()) =>
        {
            Direction::Outbound
        }
        None => {
            return Err(PageError {
                field: format!("call {}", call.id),
                problem: "no direction, and neither number is one of this environment's".into(),
            });
        }
    };
    let agent_id = match direction {
        Direction::Outbound => call
            .agent
            .as_deref()
            .map(|a| identity::local_agent_id(platform, a))
            .filter(|id| directory.get(id).is_some()),
        Direction::Inbound => None,
    };
    Ok(Some(NewCall {
        external_id: Some(identity::call_key(platform, &call.id)),
        direction,
        agent_id,
        from_raw: call.from.clone(),
        to: call.to,
        started_at: call.started_at,
        status,
        duration_seconds: call.duration_seconds,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn call(id: &str, start: &str, progress: Progress) -> PlatformCall {
        PlatformCall {
            id: id.into(),
            direction: Some(Direction::Outbound),
            agent: None,
            from: None,
            to: PhoneNumber::parse("+14155550100").unwrap(),
            started_at: at(start),
            progress,
            duration_seconds: 0,
        }
    }

    #[test]
    fn the_cursor_waits_for_calls_in_progress_and_every_run_rereads_a_day() {
        let now = at("2026-12-06T12:00:00Z");
        let mut w = Window::new(None, now);
        assert!(w.see(&call(
            "3",
            "2026-12-06T11:00:00Z",
            Progress::Ended(CallStatus::Completed)
        )));
        assert!(!w.see(&call("2", "2026-12-06T10:00:00Z", Progress::InProgress)));
        assert!(w.see(&call(
            "1",
            "2026-12-06T09:00:00Z",
            Progress::Ended(CallStatus::Busy)
        )));
        // stuck for a day: it does not hold the cursor
        assert!(!w.see(&call("0", "2026-12-05T01:00:00Z", Progress::InProgress)));
        let next = w.next(None);
        assert_eq!(next, Some(Cursor(at("2026-12-06T10:00:00Z"))));

        let mut again = Window::new(next, now);
        assert_eq!(again.from(), Some(at("2026-12-05T10:00:00Z")));
        assert!(!again.see(&call(
            "0",
            "2026-12-05T01:00:00Z",
            Progress::Ended(CallStatus::Failed)
        )));
        assert!(again.past());
        // nothing in the window: the cursor stays
        assert_eq!(again.next(next), next);
    }

    #[test]
    fn a_list_out_of_order_is_read_to_its_end() {
        let now = at("2026-12-06T12:00:00Z");
        let mut w = Window::new(Some(Cursor(at("2026-12-06T11:00:00Z"))), now);
        w.see(&call(
            "1",
            "2026-12-01T00:00:00Z",
            Progress::Ended(CallStatus::Completed),
        ));
        assert!(w.past());
        w.see(&call(
            "2",
            "2026-12-06T11:30:00Z",
            Progress::Ended(CallStatus::Completed),
        ));
        w.see(&call(
            "3",
            "2026-12-01T00:00:00Z",
            Progress::Ended(CallStatus::Completed),
        ));
        assert!(!w.past());
    }
}
