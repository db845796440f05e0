//! Keeping columnar logs in time order, so a query over a range reads only that range.
//!
//! Records usually arrive in time order; those that do not wait in an unsorted tail, and the
//! whole log is re-sorted when the tail outgrows the sorted part (so re-sorting costs
//! O(n log n) amortised over doubling sizes). A query scans its slice of the sorted part
//! (found by binary search) plus the whole tail.

/// Where the sorted prefix of a log ends, and how to keep it.
#[derive(Debug, Clone, Copy, Default)]
#[cfg_attr(feature = "snapshot", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct Order {
    sorted: usize,
}

/// What a query must scan: a slice of the sorted prefix, and the unsorted tail.
pub(crate) struct Scan {
    /// Indices `sorted.0..sorted.1` are all inside the range.
    pub sorted: (usize, usize),
    /// Indices `tail..len` must each be checked.
    pub tail: usize,
}

impl Order {
    /// Records that a value was appended at position `at.len() - 1`; returns `true` if the
    /// log should now be re-sorted with [`permutation`].
    pub(crate) fn appended(&mut self, at: &[i64]) -> bool {
        let len = at.len();
        if self.sorted + 1 == len {
            let prev = len.checked_sub(2).and_then(|i| at.get(i));
            let last = at.last();
            if prev.is_none() || prev <= last {
                self.sorted = len;
                return false;
            }
        }
        len - self.sorted > self.sorted.max(1024)
    }

    /// Marks the whole log sorted (after reordering it by [`permutation`]).
    pub(crate) fn all_sorted(&mut self, len: usize) {
        self.sorted = len;
    }

    /// What to scan for `[lo, hi)`.
    pub(crate) fn scan(&self, at: &[i64], lo: i64, hi: i64) -> Scan {
        let sorted = at.get(..self.sorted).unwrap_or(&[]);
        let a = sorted.partition_point(|t| *t < lo);
        let b = sorted.partition_point(|t| *t < hi).max(a);
        Scan {
            sorted: (a, b),
            tail: self.sorted,
        }
    }
}

/// The stable order of `at`.
pub(crate) fn permutation(at: &[i64]) -> Vec<u32> {
    let mut perm: Vec<u32> = (0..at.len())
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    perm.sort_by_key(|&i| at.get(i as usize).copied().unwrap_or(i64::MAX));
    perm
}

/// Reorders one column by a permutation from [`permutation`].
pub(crate) fn apply<T: Copy>(column: &mut Vec<T>, perm: &[u32]) {
    let reordered: Vec<T> = perm
        .iter()
        .filter_map(|&i| column.get(i as usize).copied())
        .collect();
    if reordered.len() == column.len() {
        *column = reordered;
    }
}
