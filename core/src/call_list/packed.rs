//! A column of integers, narrow while they fit.

/// One column of integers, held in 4 bytes each while they fit around a base, in 8 past that.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "snapshot", derive(serde::Serialize, serde::Deserialize))]
pub(super) enum Packed {
    Narrow { base: i64, values: Vec<u32> },
    Wide(Vec<i64>),
}

impl Default for Packed {
    fn default() -> Self {
        Packed::Narrow {
            base: 0,
            values: Vec::new(),
        }
    }
}

impl Packed {
    pub(super) fn get(&self, i: usize) -> i64 {
        match self {
            Packed::Narrow { base, values } => {
                values.get(i).map_or(i64::MIN, |v| base + i64::from(*v))
            }
            Packed::Wide(values) => values.get(i).copied().unwrap_or(i64::MIN),
        }
    }

    pub(super) fn push(&mut self, x: i64) {
        if let Packed::Narrow { base, values } = self {
            if values.is_empty() {
                // centred on the first value: a window of 2^32 around it
                *base = x.saturating_sub(1 << 31);
            }
            if let Some(v) = x.checked_sub(*base).and_then(|d| u32::try_from(d).ok()) {
                values.push(v);
                return;
            }
            let wide: Vec<i64> = values.iter().map(|v| *base + i64::from(*v)).collect();
            *self = Packed::Wide(wide);
        }
        if let Packed::Wide(values) = self {
            values.push(x);
        }
    }

    pub(super) fn reorder(&mut self, perm: &[u32]) {
        match self {
            Packed::Narrow { values, .. } => crate::order::apply(values, perm),
            Packed::Wide(values) => crate::order::apply(values, perm),
        }
    }

    pub(super) fn shrink_to_fit(&mut self) {
        match self {
            Packed::Narrow { values, .. } => values.shrink_to_fit(),
            Packed::Wide(values) => values.shrink_to_fit(),
        }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            Packed::Narrow { values, .. } => values.capacity() * 4,
            Packed::Wide(values) => values.capacity() * 8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_widen_past_their_window() {
        let mut p = Packed::default();
        p.push(1_000);
        p.push(1_000 + (1 << 31) - 1);
        assert!(matches!(p, Packed::Narrow { .. }));
        p.push(1_000 + (1 << 33));
        assert!(matches!(p, Packed::Wide(_)));
        assert_eq!(
            (p.get(0), p.get(1), p.get(2)),
            (1_000, 1_000 + (1 << 31) - 1, 1_000 + (1 << 33))
        );
    }
}
