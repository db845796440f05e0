//! Which external ids an environment has stored, as 64-bit hashes: 8 bytes a call, where a
//! map from hash to call id took about 35. A hit is confirmed against storage (by the
//! external id itself, which is unique there); a miss is certain.

use std::collections::HashSet;

/// See the module docs. Hashes are kept sorted in one vector, with the most recent in a small
/// set that is merged in when it grows past an eighth of the vector (so inserting stays
/// amortised O(log n), and the vector carries no spare capacity after a load).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ExternalIds {
    sorted: Vec<u64>,
    /// Saved in order, so that a saved view's bytes depend only on what it holds.
    #[serde(serialize_with = "in_order")]
    recent: HashSet<u64>,
}

fn in_order<S: serde::Serializer>(set: &HashSet<u64>, s: S) -> Result<S::Ok, S::Error> {
    let mut keys: Vec<u64> = set.iter().copied().collect();
    keys.sort_unstable();
    serde::Serialize::serialize(&keys, s)
}

/// An external id's 64-bit key: FNV-1a, then a final mix. Keys are saved (in saved views) and
/// compared with keys computed by later builds, so the function is this crate's own, fixed
/// for good; std's `DefaultHasher` may change with any Rust release.
fn key(external_id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in external_id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    // FNV's low bits mix poorly for short keys; fold the high half in
    h ^= h >> 32;
    h = h.wrapping_mul(0xd6e8_feb8_6659_fd93);
    h ^ (h >> 32)
}

impl ExternalIds {
    /// Remembers an external id.
    pub fn insert(&mut self, external_id: &str) {
        self.recent.insert(key(external_id));
        if self.recent.len() > 4_096.max(self.sorted.len() / 8) {
            self.merge();
        }
    }

    /// Whether the id may be stored (if not, it certainly is not).
    pub fn may_contain(&self, external_id: &str) -> bool {
        let k = key(external_id);
        self.recent.contains(&k) || self.sorted.binary_search(&k).is_ok()
    }

    /// Merges the recent hashes in, and gives back spare capacity (after a load).
    pub fn compact(&mut self) {
        self.merge();
        self.sorted.shrink_to_fit();
        self.recent.shrink_to_fit();
    }

    fn merge(&mut self) {
        self.sorted.extend(self.recent.drain());
        self.sorted.sort_unstable();
        self.sorted.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::{ExternalIds, key};

    /// Saved views hold these keys: they must never change.
    #[test]
    fn keys_are_fixed_for_good() {
        assert_eq!(key(""), 0xfdbd_f6ac_4fc5_2e7f);
        assert_eq!(
            key("CA2f8a9e0b1c4d5e6f7a8b9c0d1e2f3a4b"),
            0xd9fd_4ac6_18e0_9d2b
        );
    }

    #[test]
    fn every_inserted_id_is_found_and_others_are_not() {
        let mut ids = ExternalIds::default();
        for i in 0..20_000 {
            ids.insert(&format!("call-{i}"));
        }
        ids.compact();
        for i in 20_000..25_000 {
            ids.insert(&format!("call-{i}"));
        }
        assert!((0..25_000).all(|i| ids.may_contain(&format!("call-{i}"))));
        let strays = (25_000..125_000)
            .filter(|i| ids.may_contain(&format!("call-{i}")))
            .count();
        assert_eq!(strays, 0, "64-bit hashes of 125k ids should not collide");
    }
}
