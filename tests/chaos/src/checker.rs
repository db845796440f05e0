//! Linearizability of a recorded history, by the Wing–Gong–Lowe search: try to order the
//! operations, one at a time, each after every operation that returned before it was called,
//! so that a sequential model gives every answer the history recorded; backtrack when no
//! pending operation fits. Lowe's memo (the set of operations ordered so far, and the model's
//! state) keeps it from exploring the same situation twice.
//!
//! An operation whose answer never came (a timeout, a 5xx) may or may not have taken effect:
//! its return is placed after everything, so it may be ordered anywhere after its call, or
//! effectively not at all, and its answer is not checked.

use std::collections::HashSet;
use std::hash::Hash;
use std::time::Duration;

/// A sequential specification.
pub trait Model {
    /// What the object holds.
    type State: Clone + Eq + Hash;
    /// An operation.
    type Input: Clone + std::fmt::Debug;
    /// An answer.
    type Output: Clone + std::fmt::Debug + PartialEq;
    /// The state before any operation.
    fn init(&self) -> Self::State;
    /// The state after `input`, if it could have answered `output` (`None`: not known) in
    /// `state`; `None` if it could not.
    fn step(
        &self,
        state: &Self::State,
        input: &Self::Input,
        output: Option<&Self::Output>,
    ) -> Option<Self::State>;
}

/// One operation as a client saw it.
#[derive(Debug, Clone)]
pub struct Op<I, O> {
    /// Which client.
    pub client: usize,
    /// When it was sent, since the run began.
    pub call: Duration,
    /// When its answer came; `None`: never (it may or may not have taken effect).
    pub ret: Option<Duration>,
    /// What was asked.
    pub input: I,
    /// What was answered (`None` with `ret: None`).
    pub output: Option<O>,
}

/// What the search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// An order exists.
    Linearizable,
    /// None does; the operations that could not be placed at the deepest point the search
    /// reached, by index.
    Violation { stuck_at: Vec<usize> },
    /// The search gave up after its budget of steps.
    Unknown,
}

#[derive(Clone, Copy)]
struct Node {
    op: usize,
    call: bool,
    prev: usize,
    next: usize,
    /// A call's return node.
    partner: usize,
}

const NIL: usize = usize::MAX;

/// Checks `history` against `model`, giving up after `budget` steps.
pub fn check<M: Model>(model: &M, history: &[Op<M::Input, M::Output>], budget: u64) -> Verdict {
    let n = history.len();
    // events: (time, is_return, op); calls before returns at equal times (concurrent)
    let mut events: Vec<(Duration, bool, usize)> = Vec::with_capacity(2 * n);
    for (i, op) in history.iter().enumerate() {
        events.push((op.call, false, i));
        events.push((op.ret.unwrap_or(Duration::MAX), true, i));
    }
    events.sort_by_key(|e| (e.0, e.1, e.2));
    // node 0 is the head
    let mut nodes = vec![Node {
        op: NIL,
        call: false,
        prev: NIL,
        next: NIL,
        partner: NIL,
    }];
    let mut call_node = vec![NIL; n];
    for (k, (_, is_return, op)) in events.iter().enumerate() {
        let idx = k + 1;
        nodes.push(Node {
            op: *op,
            call: !is_return,
            prev: idx - 1,
            next: if k + 1 < events.len() { idx + 1 } else { NIL },
            partner: NIL,
        });
        if *is_return {
            nodes[call_node[*op]].partner = idx;
        } else {
            call_node[*op] = idx;
        }
    }
    nodes[0].next = if events.is_empty() { NIL } else { 1 };

    let words = n.div_ceil(64).max(1);
    let mut linearized = vec![0u64; words];
    let mut state = model.init();
    let mut stack: Vec<(usize, M::State)> = Vec::new();
    let mut seen: HashSet<(Vec<u64>, M::State)> = HashSet::new();
    let mut deepest: (usize, Vec<usize>) = (0, Vec::new());
    let mut steps = 0u64;
    let mut entry = nodes[0].next;

    let lift = |nodes: &mut Vec<Node>, i: usize| {
        for j in [i, nodes[i].partner] {
            let (p, q) = (nodes[j].prev, nodes[j].next);
            nodes[p].next = q;
            if q != NIL {
                nodes[q].prev = p;
            }
        }
    };
    let unlift = |nodes: &mut Vec<Node>, i: usize| {
        for j in [nodes[i].partner, i] {
            let (p, q) = (nodes[j].prev, nodes[j].next);
            nodes[p].next = j;
            if q != NIL {
                nodes[q].prev = j;
            }
        }
    };

    while nodes[0].next != NIL {
        steps += 1;
        if steps > budget {
            return Verdict::Unknown;
        }
        if entry == NIL {
            // cannot happen: the list always ends with a return
            return Verdict::Unknown;
        }
        let node = nodes[entry];
        if node.call {
            let op = &history[node.op];
            let output = if op.ret.is_some() {
                op.output.as_ref()
            } else {
                None
            };
            if let Some(next_state) = model.step(&state, &op.input, output) {
                let mut next_set = linearized.clone();
                next_set[node.op / 64] |= 1 << (node.op % 64);
                if seen.insert((next_set.clone(), next_state.clone())) {
                    stack.push((entry, state));
                    state = next_state;
                    linearized = next_set;
                    lift(&mut nodes, entry);
                    if stack.len() > deepest.0 {
                        deepest.0 = stack.len();
                    }
                    entry = nodes[0].next;
                    continue;
                }
            }
            entry = node.next;
        } else {
            // a return of an operation not yet ordered: nothing fits here, go back
            if stack.len() >= deepest.0 {
                deepest.1 = pending_calls(&nodes);
            }
            let Some((back, previous)) = stack.pop() else {
                return Verdict::Violation {
                    stuck_at: deepest.1,
                };
            };
            state = previous;
            linearized[nodes[back].op / 64] &= !(1 << (nodes[back].op % 64));
            unlift(&mut nodes, back);
            entry = nodes[back].next;
        }
    }
    Verdict::Linearizable
}

/// The operations whose calls are still in the list, up to the first return.
fn pending_calls(nodes: &[Node]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = nodes[0].next;
    while i != NIL {
        if !nodes[i].call {
            out.push(nodes[i].op);
            break;
        }
        out.push(nodes[i].op);
        i = nodes[i].next;
    }
    out
}

/// A register's history as JSON: its first value and each operation (`client`, `call_us`,
/// `ret_us` or null, and `write` or `read`), for keeping a history a run found as a test.
pub fn register_history_json(
    initial: &str,
    ops: &[Op<crate::models::RegisterOp<String>, Option<String>>],
) -> serde_json::Value {
    use crate::models::RegisterOp;
    let ops: Vec<serde_json::Value> = ops
        .iter()
        .map(|o| {
            let mut v = serde_json::json!({
                "client": o.client,
                "call_us": o.call.as_micros() as u64,
                "ret_us": o.ret.map(|r| r.as_micros() as u64),
            });
            match (&o.input, &o.output) {
                (RegisterOp::Write(w), _) => v["write"] = w.clone().into(),
                (RegisterOp::Read, Some(Some(r))) => v["read"] = r.clone().into(),
                (RegisterOp::Read, _) => v["read"] = serde_json::Value::Null,
            }
            v
        })
        .collect();
    serde_json::json!({"initial": initial, "ops": ops})
}

/// A register's recorded operations.
#[cfg(test)]
type RegisterOps = Vec<Op<crate::models::RegisterOp<String>, Option<String>>>;

/// A history [`register_history_json`] wrote, read back.
#[cfg(test)]
pub fn register_history_from_json(json: &serde_json::Value) -> (String, RegisterOps) {
    use crate::models::RegisterOp;
    let ops = json["ops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let write = o.get("write").and_then(|w| w.as_str()).map(str::to_owned);
            let read = o.get("read").and_then(|r| r.as_str()).map(str::to_owned);
            let ret = o["ret_us"].as_u64().map(Duration::from_micros);
            let (input, output) = match write {
                Some(w) => (RegisterOp::Write(w), ret.map(|_| None)),
                None => (RegisterOp::Read, ret.map(|_| read)),
            };
            Op {
                client: o["client"].as_u64().unwrap_or(0) as usize,
                call: Duration::from_micros(o["call_us"].as_u64().unwrap()),
                ret,
                input,
                output,
            }
        })
        .collect();
    (json["initial"].as_str().unwrap().to_owned(), ops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{Counter, CounterOp, Register, RegisterOp};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn op<I, O>(
        client: usize,
        call: u64,
        ret: Option<u64>,
        input: I,
        output: Option<O>,
    ) -> Op<I, O> {
        Op {
            client,
            call: ms(call),
            ret: ret.map(ms),
            input,
            output,
        }
    }

    type R = Op<RegisterOp<u32>, Option<u32>>;
    type C = Op<CounterOp, u64>;

    fn w(client: usize, call: u64, ret: Option<u64>, v: u32) -> R {
        op(client, call, ret, RegisterOp::Write(v), Some(None))
    }
    fn r(client: usize, call: u64, ret: u64, v: u32) -> R {
        op(client, call, Some(ret), RegisterOp::Read, Some(Some(v)))
    }

    const BUDGET: u64 = 1_000_000;

    #[test]
    fn a_sequential_history_is_linearizable() {
        let h = [
            w(0, 0, Some(10), 1),
            r(1, 20, 30, 1),
            w(0, 40, Some(50), 2),
            r(1, 60, 70, 2),
        ];
        assert_eq!(check(&Register::new(0), &h, BUDGET), Verdict::Linearizable);
    }

    #[test]
    fn concurrent_operations_may_go_either_way() {
        // the read overlaps the write: it may see the old value or the new one
        for seen in [0, 1] {
            let h = [w(0, 0, Some(100), 1), r(1, 10, 90, seen)];
            assert_eq!(check(&Register::new(0), &h, BUDGET), Verdict::Linearizable);
        }
    }

    #[test]
    fn a_stale_read_after_an_acknowledged_write_is_a_violation() {
        // known bad: the write was acknowledged before the read began, yet the read sees the
        // value before it (what a replica that did not catch up would answer)
        let h = [w(0, 0, Some(10), 1), r(1, 20, 30, 0)];
        assert!(matches!(
            check(&Register::new(0), &h, BUDGET),
            Verdict::Violation { .. }
        ));
    }

    #[test]
    fn reads_may_not_go_back_in_time() {
        // known bad: two sequential reads see the new value, then the old one
        let h = [w(0, 0, Some(100), 1), r(1, 10, 20, 1), r(2, 30, 40, 0)];
        assert!(matches!(
            check(&Register::new(0), &h, BUDGET),
            Verdict::Violation { .. }
        ));
    }

    #[test]
    fn a_write_with_no_answer_may_or_may_not_have_happened() {
        let never = w(0, 0, None, 1);
        assert_eq!(
            check(&Register::new(0), &[never.clone(), r(1, 20, 30, 1)], BUDGET),
            Verdict::Linearizable
        );
        assert_eq!(
            check(&Register::new(0), &[never.clone(), r(1, 20, 30, 0)], BUDGET),
            Verdict::Linearizable
        );
        // but once seen, it stays seen
        let h = [never, r(1, 20, 30, 1), r(1, 40, 50, 0)];
        assert!(matches!(
            check(&Register::new(0), &h, BUDGET),
            Verdict::Violation { .. }
        ));
        // and a value nobody wrote is never read
        assert!(matches!(
            check(&Register::new(0), &[r(1, 20, 30, 7)], BUDGET),
            Verdict::Violation { .. }
        ));
    }

    fn add(client: usize, call: u64, ret: Option<u64>) -> C {
        op(client, call, ret, CounterOp::Add, ret.map(|_| 0))
    }
    fn read(client: usize, call: u64, ret: u64, n: u64) -> C {
        op(client, call, Some(ret), CounterOp::Read, Some(n))
    }

    #[test]
    fn a_counter_read_counts_what_was_acknowledged_before_it() {
        let good = [
            add(0, 0, Some(10)),
            add(1, 5, Some(15)),
            add(2, 12, None),
            read(3, 20, 30, 2),
            read(3, 40, 50, 3),
        ];
        assert_eq!(check(&Counter, &good, BUDGET), Verdict::Linearizable);
        // known bad: a lost acknowledged increment
        let lost = [add(0, 0, Some(10)), add(1, 5, Some(15)), read(3, 20, 30, 1)];
        assert!(matches!(
            check(&Counter, &lost, BUDGET),
            Verdict::Violation { .. }
        ));
        // known bad: counted twice (a retried write that stored twice)
        let twice = [add(0, 0, Some(10)), read(3, 20, 30, 2)];
        assert!(matches!(
            check(&Counter, &twice, BUDGET),
            Verdict::Violation { .. }
        ));
        // known bad: non-monotonic reads
        let back = [
            add(0, 0, Some(100)),
            add(1, 0, Some(100)),
            read(3, 10, 20, 2),
            read(4, 30, 40, 1),
        ];
        assert!(matches!(
            check(&Counter, &back, BUDGET),
            Verdict::Violation { .. }
        ));
    }

    /// Recorded by `cargo xtask chaos` against a server with a deliberate bug (replicas
    /// answered reads from their views without first catching up with the others' commits):
    /// a label was read stale after its write was acknowledged through another replica.
    #[test]
    fn a_recorded_history_of_stale_replica_reads_is_refused() {
        let json: serde_json::Value =
            serde_json::from_str(include_str!("../histories/reads-without-catching-up.json"))
                .unwrap();
        let (initial, ops) = register_history_from_json(&json);
        assert!(ops.len() > 100);
        assert!(matches!(
            check(&Register::new(initial.clone()), &ops, 20_000_000),
            Verdict::Violation { .. }
        ));
        // the same history without its reads is fine: the violation is in what was read
        let writes: Vec<_> = ops
            .into_iter()
            .filter(|o| matches!(o.input, RegisterOp::Write(_)))
            .collect();
        assert_eq!(
            check(&Register::new(initial), &writes, 20_000_000),
            Verdict::Linearizable
        );
    }

    #[test]
    fn many_concurrent_clients_stay_cheap_to_check() {
        // 8 clients, 400 operations, overlapping, with some answers lost
        let mut h = Vec::new();
        let mut value = 0u32;
        for k in 0..400u64 {
            let client = (k % 8) as usize;
            let t = k * 10;
            if k % 3 == 0 {
                value += 1;
                let ret = if k % 37 == 0 { None } else { Some(t + 25) };
                h.push(w(client, t, ret, value));
            } else {
                // reads the latest value acknowledged or in flight
                h.push(r(client, t + 30, t + 35, value));
            }
        }
        assert_eq!(
            check(&Register::new(0), &h, 10_000_000),
            Verdict::Linearizable
        );
    }
}
