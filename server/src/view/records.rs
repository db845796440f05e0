//! The environment's agents and numbers as records, in their order, with the indexes every
//! write and look-up needs: one lookup per id, number or owner, never a scan of the
//! environment (a thousand-number agent in an environment of many would otherwise make each
//! write quadratic).

use std::collections::HashMap;

use dialback_core::{AgentId, AgentRecord, NumberId, NumberResource, PhoneNumber};

/// Agents in creation order, by id.
#[derive(Debug, Default)]
pub struct Agents {
    list: Vec<AgentRecord>,
    by_id: HashMap<AgentId, usize>,
}

impl Agents {
    /// From stored records, in their order.
    pub fn new(list: Vec<AgentRecord>) -> Self {
        let by_id = list.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        Agents { list, by_id }
    }

    /// Every agent, in creation order.
    pub fn all(&self) -> &[AgentRecord] {
        &self.list
    }

    /// The agent with this id.
    pub fn get(&self, id: &AgentId) -> Option<&AgentRecord> {
        self.by_id.get(id).and_then(|&i| self.list.get(i))
    }

    /// Replaces or adds an agent.
    pub fn put(&mut self, record: AgentRecord) {
        match self
            .by_id
            .get(&record.id)
            .and_then(|&i| self.list.get_mut(i))
        {
            Some(slot) => *slot = record,
            None => {
                self.by_id.insert(record.id, self.list.len());
                self.list.push(record);
            }
        }
    }
}

/// Numbers, assigned or not, in the order they were added; by id, by number and by owner.
#[derive(Debug, Default)]
pub struct Numbers {
    list: Vec<NumberResource>,
    by_id: HashMap<NumberId, usize>,
    by_number: HashMap<PhoneNumber, usize>,
    by_agent: HashMap<AgentId, Vec<usize>>,
}

impl Numbers {
    /// From stored records, in their order.
    pub fn new(list: Vec<NumberResource>) -> Self {
        let mut numbers = Numbers::default();
        for n in list {
            numbers.put(n);
        }
        numbers
    }

    /// Every number, in the order they were added.
    pub fn all(&self) -> &[NumberResource] {
        &self.list
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The number resource with this id.
    pub fn get(&self, id: NumberId) -> Option<&NumberResource> {
        self.by_id.get(&id).and_then(|&i| self.list.get(i))
    }

    /// The resource of this phone number.
    pub fn find(&self, number: PhoneNumber) -> Option<&NumberResource> {
        self.by_number.get(&number).and_then(|&i| self.list.get(i))
    }

    /// An agent's numbers, in their order.
    pub fn of_agent(&self, agent: AgentId) -> Vec<NumberResource> {
        let mut mine: Vec<NumberResource> = self
            .by_agent
            .get(&agent)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.list.get(i).copied())
            .collect();
        mine.sort_by_key(|n| n.position);
        mine
    }

    /// Replaces or adds a number, keeping every index in step.
    pub fn put(&mut self, n: NumberResource) {
        let slot = match self.by_id.get(&n.id) {
            Some(&i) => {
                let old = self.list.get(i).copied();
                if let Some(owner) = old.and_then(|o| o.agent).filter(|&a| Some(a) != n.agent)
                    && let Some(mine) = self.by_agent.get_mut(&owner)
                {
                    mine.retain(|&j| j != i);
                }
                if let Some(cell) = self.list.get_mut(i) {
                    *cell = n;
                }
                if old.and_then(|o| o.agent) == n.agent {
                    return;
                }
                i
            }
            None => {
                let i = self.list.len();
                self.by_id.insert(n.id, i);
                self.by_number.insert(n.number, i);
                self.list.push(n);
                i
            }
        };
        if let Some(owner) = n.agent {
            self.by_agent.entry(owner).or_default().push(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(i: u32, agent: Option<AgentId>) -> NumberResource {
        NumberResource {
            id: NumberId::from_uuid(uuid::Uuid::from_u128(u128::from(i) + 1)),
            number: PhoneNumber::parse(&format!("+1415555{i:04}"))
                .unwrap_or_else(|_| unreachable!()),
            agent,
            position: i,
            created_at: dialback_core::Timestamp::EPOCH,
            updated_at: dialback_core::Timestamp::EPOCH,
        }
    }

    #[test]
    fn owners_follow_every_reassignment() {
        let (a, b) = (AgentId::from_u128(1), AgentId::from_u128(2));
        let mut numbers = Numbers::new(vec![
            number(1, Some(a)),
            number(2, Some(a)),
            number(3, None),
        ]);
        assert_eq!(numbers.of_agent(a).len(), 2);
        numbers.put(number(2, Some(b)));
        numbers.put(number(3, Some(b)));
        numbers.put(number(1, None));
        assert!(numbers.of_agent(a).is_empty());
        let of_b: Vec<u32> = numbers.of_agent(b).iter().map(|n| n.position).collect();
        assert_eq!(of_b, [2, 3]);
        numbers.put(number(3, Some(b)));
        assert_eq!(
            numbers.of_agent(b).len(),
            2,
            "a rewrite is not a second entry"
        );
        assert_eq!(numbers.len(), 3);
        assert!(
            numbers
                .find(number(1, None).number)
                .is_some_and(|n| n.agent.is_none())
        );
    }
}
