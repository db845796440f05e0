//! A fast, deterministic hasher for the hot maps (phone numbers, agent ids, dense indices).
//!
//! std's SipHash costs ~20 ns per `u64` key, which alone would cap routing well below its
//! 20M calls/s target. The core may not use randomness, so this is a fixed-seed folded
//! multiply (the mixing step of foldhash/wyhash): one 64×64→128 multiply per word. It is not
//! collision-resistant against an adversary who can choose millions of keys; hashbrown's
//! probing keeps that a slowdown, never a wrong answer.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` using [`FoldHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FoldHasher>>;

/// A `HashSet` using [`FoldHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FoldHasher>>;

const K0: u64 = 0x243f_6a88_85a3_08d3;
const K1: u64 = 0x1319_8a2e_0370_7344;

/// See the module docs.
#[derive(Default, Clone, Copy)]
pub struct FoldHasher(u64);

#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

impl Hasher for FoldHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            for (dst, src) in word.iter_mut().zip(chunk) {
                *dst = *src;
            }
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = fold_mul(self.0 ^ n ^ K0, K1);
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}
