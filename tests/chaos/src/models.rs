//! The sequential specifications the history is checked against.

use std::hash::Hash;

use crate::checker::Model;

/// A read/write register: an agent's label, or a callback agent's set of sources (written
/// whole, read whole).
pub struct Register<V> {
    initial: V,
}

impl<V> Register<V> {
    pub fn new(initial: V) -> Self {
        Register { initial }
    }
}

/// An operation on a register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterOp<V> {
    Write(V),
    Read,
}

impl<V: Clone + Eq + Hash + std::fmt::Debug> Model for Register<V> {
    type State = V;
    type Input = RegisterOp<V>;
    /// A read's value; a write answers `None`.
    type Output = Option<V>;

    fn init(&self) -> V {
        self.initial.clone()
    }

    fn step(&self, state: &V, input: &RegisterOp<V>, output: Option<&Option<V>>) -> Option<V> {
        match (input, output) {
            (RegisterOp::Write(v), _) => Some(v.clone()),
            (RegisterOp::Read, Some(Some(seen))) => (seen == state).then(|| state.clone()),
            // a read with no answer changes nothing
            (RegisterOp::Read, _) => Some(state.clone()),
        }
    }
}

/// A counter: recording a call adds one to its agent's total; the calls list's total and
/// the usage report's count read it.
pub struct Counter;

/// An operation on a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterOp {
    Add,
    Read,
}

impl Model for Counter {
    type State = u64;
    type Input = CounterOp;
    /// A read's total (an add answers 0).
    type Output = u64;

    fn init(&self) -> u64 {
        0
    }

    fn step(&self, state: &u64, input: &CounterOp, output: Option<&u64>) -> Option<u64> {
        match (input, output) {
            (CounterOp::Add, _) => Some(state + 1),
            (CounterOp::Read, Some(seen)) => (seen == state).then_some(*state),
            (CounterOp::Read, None) => Some(*state),
        }
    }
}
