//! [`AgentQuery`]: which agents a list query matches, the one rule behind
//! `GET /api/v1/agents?search=&direction=&status=` and the console's agent filter.

use super::{AgentStatus, Direction};

/// A list query over agents. Text matches an agent's name or label, case-insensitively, as a
/// substring. Text that reads as a phone number (digits with the formatting people type:
/// spaces, `+`, `-`, `.`, parentheses) also matches the agents owning a number whose digits
/// contain the query's digits, so `+1 415` finds `+14155550100`. Text with letters is never
/// a number search, so `Sales 2` does not match every agent with a 2 in a number.
///
/// ```
/// use dialback_core::agent::{AgentQuery, AgentStatus, Direction};
/// let q = AgentQuery::new("+1 (415)", None, None);
/// assert!(q.matches("Front desk", "Front desk", Direction::Inbound, AgentStatus::Draft,
///     ["+14155550100"]));
/// let q = AgentQuery::new("Sales 2", None, None);
/// assert!(!q.matches("Support", "Support", Direction::Inbound, AgentStatus::Draft,
///     ["+14155550122"]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgentQuery {
    text: String,
    digits: Option<String>,
    direction: Option<Direction>,
    status: Option<AgentStatus>,
}

/// Digits a number search needs before it matches anything: one or two digits would match
/// nearly every number.
const MIN_NUMBER_DIGITS: usize = 3;

impl AgentQuery {
    /// A query: free text (trimmed; empty matches every agent), and optional filters.
    pub fn new(text: &str, direction: Option<Direction>, status: Option<AgentStatus>) -> Self {
        let text = text.trim().to_lowercase();
        let number_like = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        AgentQuery {
            digits: (number_like && digits.len() >= MIN_NUMBER_DIGITS).then_some(digits),
            text,
            direction,
            status,
        }
    }

    /// Whether an agent with these fields matches. `numbers` are its numbers as text, in any
    /// formatting (only their digits are compared).
    pub fn matches<N: AsRef<str>>(
        &self,
        name: &str,
        label: &str,
        direction: Direction,
        status: AgentStatus,
        numbers: impl IntoIterator<Item = N>,
    ) -> bool {
        if self.direction.is_some_and(|d| d != direction)
            || self.status.is_some_and(|s| s != status)
        {
            return false;
        }
        if self.text.is_empty()
            || name.to_lowercase().contains(&self.text)
            || label.to_lowercase().contains(&self.text)
        {
            return true;
        }
        let Some(digits) = &self.digits else {
            return false;
        };
        numbers.into_iter().any(|n| {
            let own: String = n.as_ref().chars().filter(char::is_ascii_digit).collect();
            own.contains(digits.as_str())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, name: &str, label: &str, numbers: &[&str], expected: bool) {
        let q = AgentQuery::new(query, None, None);
        let got = q.matches(name, label, Direction::Inbound, AgentStatus::Draft, numbers);
        assert_eq!(
            got, expected,
            "{query:?} against {name:?}/{label:?}/{numbers:?}"
        );
    }

    #[test]
    fn text_matches_name_or_label_in_any_case() {
        check("", "Anything", "", &[], true);
        check("  sales ", "Sales Outbound", "", &[], true);
        check("support", "Bot", "Customer Support Agent", &[], true);
        check("sales", "Bot", "Support", &["+14155550100"], false);
    }

    #[test]
    fn number_like_text_matches_digits_in_any_formatting() {
        check("+1 415", "Desk", "Desk", &["+14155550100"], true);
        check("(415) 555-01", "Desk", "Desk", &["+14155550100"], true);
        check("555 0199", "Desk", "Desk", &["+14155550100"], false);
        check("0100", "Desk", "Desk", &["+1 415 555 0100"], true);
    }

    #[test]
    fn text_with_letters_or_too_few_digits_is_not_a_number_search() {
        check("Sales 2", "Support", "Support", &["+14155550122"], false);
        check("2", "Support", "Support", &["+14155550122"], false);
        check("41", "Support", "Support", &["+14155550122"], false);
    }

    #[test]
    fn filters_are_exact() {
        let q = AgentQuery::new("", Some(Direction::Outbound), Some(AgentStatus::Published));
        let m = |d, s| q.matches("A", "A", d, s, [""; 0]);
        assert!(m(Direction::Outbound, AgentStatus::Published));
        assert!(!m(Direction::Inbound, AgentStatus::Published));
        assert!(!m(Direction::Outbound, AgentStatus::Draft));
    }
}
