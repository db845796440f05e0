//! Why a sync run stopped, or did not start: its kind and stable code. The server's error
//! carries the particulars (the page, the status, what storage said); what the outcome is
//! called, in a source's last run and in `POST /api/v1/sources/{id}/sync`, is decided here.

/// The kinds of a sync's failure that are the source's own (a page that cannot be read and a
/// merge that breaks a rule have their own errors, `PageError` and `MergeError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStop {
    /// The platform answered with an error status (a bad key, a missing permission).
    Refused,
    /// The platform could not be reached, or did not answer in time, after the retries.
    Unreachable,
    /// The platform's agents and numbers do not merge into the environment's.
    MergeFailed,
    /// The source cannot run as configured (a missing secret, a removed environment).
    Misconfigured,
    /// A run of this source is already going on.
    Busy,
    /// No source with this id in this environment.
    NotFound,
}

impl SyncStop {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            SyncStop::Refused => "SOURCE_REFUSED",
            SyncStop::Unreachable => "SOURCE_UNREACHABLE",
            SyncStop::MergeFailed => "SOURCE_MERGE_FAILED",
            SyncStop::Misconfigured => "SOURCE_MISCONFIGURED",
            SyncStop::Busy => "SOURCE_BUSY",
            SyncStop::NotFound => "SOURCE_NOT_FOUND",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code() {
        let all = [
            SyncStop::Refused,
            SyncStop::Unreachable,
            SyncStop::MergeFailed,
            SyncStop::Misconfigured,
            SyncStop::Busy,
            SyncStop::NotFound,
        ];
        let mut codes: Vec<_> = all.iter().map(|s| s.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert!(codes.iter().all(|c| c.starts_with("SOURCE_")), "{codes:?}");
    }
}
