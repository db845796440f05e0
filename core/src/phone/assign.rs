//! Giving an agent its numbers: the one rule behind creating an agent with numbers and
//! changing an agent's `phone_numbers`, whichever API asks.

use std::collections::HashSet;

use super::{NumberId, NumberResource, PhoneNumber};
use crate::agent::AgentId;
use crate::time::Timestamp;

impl NumberResource {
    /// A number new to the environment, assigned to no agent yet (`POST /v1/numbers`,
    /// `POST /api/v1/phone-numbers`).
    pub fn unassigned(id: NumberId, number: PhoneNumber, at: Timestamp) -> NumberResource {
        NumberResource {
            id,
            number,
            agent: None,
            position: 0,
            created_at: at,
            updated_at: at,
        }
    }
}

/// The number resources to write so that `agent` owns exactly `wanted`, in that order:
/// a number it keeps in place is left alone; one it keeps at another place, or that was
/// unassigned, is (re)positioned; a number the environment does not have yet is added with
/// `new_id()`; a number it owned but no longer lists is released (unassigned, position 0).
/// Every changed resource is stamped `at`.
///
/// `existing` finds the environment's resource of a number and `owned` lists `agent`'s
/// current numbers. Whether another agent owns one of `wanted` is the caller's check first
/// ([`AgentDirectory::numbers_taken`](crate::agent::AgentDirectory::numbers_taken)): this
/// takes any number it is given.
pub fn assignment(
    agent: AgentId,
    wanted: &[PhoneNumber],
    existing: impl Fn(PhoneNumber) -> Option<NumberResource>,
    owned: &[NumberResource],
    at: Timestamp,
    mut new_id: impl FnMut() -> NumberId,
) -> Vec<NumberResource> {
    let mut changes = Vec::with_capacity(wanted.len());
    for (i, number) in wanted.iter().enumerate() {
        let position = u32::try_from(i).unwrap_or(u32::MAX);
        match existing(*number) {
            Some(n) if n.agent == Some(agent) && n.position == position => {}
            Some(n) => changes.push(NumberResource {
                agent: Some(agent),
                position,
                updated_at: at,
                ..n
            }),
            None => changes.push(NumberResource {
                agent: Some(agent),
                position,
                ..NumberResource::unassigned(new_id(), *number, at)
            }),
        }
    }
    // a set, so an agent with thousands of numbers is changed in linear time
    let wanted: HashSet<&PhoneNumber> = wanted.iter().collect();
    for n in owned {
        if !wanted.contains(&n.number) {
            changes.push(NumberResource {
                agent: None,
                position: 0,
                updated_at: at,
                ..*n
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(s: &str) -> PhoneNumber {
        PhoneNumber::parse(s).unwrap()
    }

    fn id(n: u8) -> NumberId {
        NumberId::parse(&format!("00000000-0000-4000-8000-0000000000{n:02}")).unwrap()
    }

    fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn resource(i: u8, n: &str, agent: Option<AgentId>, position: u32) -> NumberResource {
        NumberResource {
            id: id(i),
            number: number(n),
            agent,
            position,
            created_at: at("2026-01-01T00:00:00Z"),
            updated_at: at("2026-01-01T00:00:00Z"),
        }
    }

    #[test]
    fn keeps_adds_repositions_and_releases() {
        let agent = AgentId::parse("11111111-1111-4111-8111-111111111111").unwrap();
        let kept = resource(1, "+14155550101", Some(agent), 0);
        let moved = resource(2, "+14155550102", Some(agent), 1);
        let dropped = resource(3, "+14155550103", Some(agent), 2);
        let spare = resource(4, "+14155550104", None, 0);
        let all = [kept, moved, dropped, spare];
        let now = at("2026-12-06T12:00:00Z");
        let mut fresh = 10;
        let changes = assignment(
            agent,
            &[
                number("+14155550101"),
                number("+14155550104"),
                number("+14155550102"),
                number("+14155550105"),
            ],
            |n| all.iter().find(|r| r.number == n).copied(),
            &[kept, moved, dropped],
            now,
            || {
                fresh += 1;
                id(fresh)
            },
        );
        let expected = [
            // kept in place: not written
            // an unassigned number taken, at position 1
            NumberResource {
                agent: Some(agent),
                position: 1,
                updated_at: now,
                ..spare
            },
            // moved from 1 to 2
            NumberResource {
                position: 2,
                updated_at: now,
                ..moved
            },
            // new to the environment
            NumberResource {
                id: id(11),
                number: number("+14155550105"),
                agent: Some(agent),
                position: 3,
                created_at: now,
                updated_at: now,
            },
            // no longer listed: released
            NumberResource {
                agent: None,
                position: 0,
                updated_at: now,
                ..dropped
            },
        ];
        assert_eq!(changes, expected);
    }

    #[test]
    fn the_same_numbers_in_the_same_order_change_nothing() {
        let agent = AgentId::parse("11111111-1111-4111-8111-111111111111").unwrap();
        let mine = [
            resource(1, "+14155550101", Some(agent), 0),
            resource(2, "+14155550102", Some(agent), 1),
        ];
        let changes = assignment(
            agent,
            &[number("+14155550101"), number("+14155550102")],
            |n| mine.iter().find(|r| r.number == n).copied(),
            &mine,
            at("2026-12-06T12:00:00Z"),
            || unreachable!("nothing is new"),
        );
        assert!(changes.is_empty());
        // and none at all releases every one
        let released = assignment(
            agent,
            &[],
            |_| None,
            &mine,
            at("2026-12-06T12:00:00Z"),
            || unreachable!("nothing is new"),
        );
        assert_eq!(released.len(), 2);
        assert!(
            released
                .iter()
                .all(|n| n.agent.is_none() && n.position == 0)
        );
    }
}
