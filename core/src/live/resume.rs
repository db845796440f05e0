//! Where a stream resumed with `Last-Event-ID` starts, against what the event log keeps.

/// Where a stream starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    /// With the next event: the client sent no `Last-Event-ID`.
    Now,
    /// After this event: every kept event after it is sent first, in order and once.
    After(u64),
    /// From now, after an `event: reset`: what the client missed cannot be sent, so it
    /// reloads what it shows.
    Reset(Gap),
}

/// Why a resumed stream cannot carry on where the client left off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Events after the client's last are older than the log keeps (pruned).
    Expired,
    /// The client's last event is ahead of the log: another database, or one restored from
    /// a backup.
    Ahead,
}

impl Gap {
    /// The stable code the reset carries.
    pub fn code(self) -> &'static str {
        match self {
            Gap::Expired => "EVENTS_EXPIRED",
            Gap::Ahead => "EVENTS_AHEAD",
        }
    }

    /// What the client is told.
    pub fn message(self) -> &'static str {
        match self {
            Gap::Expired => {
                "the events after Last-Event-ID are older than the log keeps; reload what you show"
            }
            Gap::Ahead => {
                "Last-Event-ID is ahead of this environment's log (another database?); reload what \
                 you show"
            }
        }
    }
}

/// Where a stream starts: `last` is the client's `Last-Event-ID`, `pruned_through` the newest
/// id the log no longer keeps (0 when none was pruned), `head` the newest id it has.
pub fn resume(last: Option<u64>, pruned_through: u64, head: u64) -> Resume {
    match last {
        None => Resume::Now,
        Some(id) if id < pruned_through => Resume::Reset(Gap::Expired),
        Some(id) if id > head => Resume::Reset(Gap::Ahead),
        Some(id) => Resume::After(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resume_carries_on_only_from_what_the_log_keeps() {
        // ids 1..=10 were pruned; 11..=20 are kept
        assert_eq!(resume(None, 10, 20), Resume::Now);
        assert_eq!(resume(Some(10), 10, 20), Resume::After(10));
        assert_eq!(resume(Some(20), 10, 20), Resume::After(20));
        assert_eq!(resume(Some(9), 10, 20), Resume::Reset(Gap::Expired));
        assert_eq!(resume(Some(21), 10, 20), Resume::Reset(Gap::Ahead));
        // nothing pruned: every id up to the head resumes
        assert_eq!(resume(Some(0), 0, 0), Resume::After(0));
        assert_ne!(Gap::Expired.code(), Gap::Ahead.code());
    }
}
