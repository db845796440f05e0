//! Which external ids an environment has stored, as 64-bit hashes: 8 bytes a call, where a
//! map from hash to call id took about 35. A hit is confirmed against storage (by the
//! external id itself, which is unique there); a miss is certain.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// See the module docs. Hashes are kept sorted in one vector, with the most recent in a small
/// set that is merged in when it grows past an eighth of the vector (so inserting stays
/// amortised O(log n), and the vector carries no spare capacity after a load).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ExternalIds {
    sorted: Vec<u64>,
    recent: HashSet<u64>,
}

fn key(external_id: &str) -> u64 {
    // DefaultHasher::new() has fixed keys: the same id hashes the same in every process
    let mut h = DefaultHasher::new();
    external_id.hash(&mut h);
    h.finish()
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
    use super::ExternalIds;

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
