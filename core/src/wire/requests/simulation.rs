//! `POST /api/v1/routing/simulate`: the decision for a hypothetical inbound call.

use serde_json::Value;

use super::{Expected, MAX_FROM_CHARS, Reader, RequestError};
use crate::callback::Caller;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

/// A hypothetical inbound call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    /// The caller.
    pub from: Caller,
    /// The dialed number.
    pub to: PhoneNumber,
    /// When (default: now).
    pub at: Option<Timestamp>,
}

/// Parses `{from, to, at?}`.
pub fn parse_simulation(body: &Value) -> Result<Simulation, Vec<RequestError>> {
    let mut r = Reader::new(body);
    let from_value = r.get("from");
    let from = match r.string("from", from_value, Expected::Caller) {
        Some(s) if s.chars().count() > MAX_FROM_CHARS => {
            r.fail("from", Expected::Caller, from_value.unwrap_or(&Value::Null));
            None
        }
        other => other,
    };
    let to = r.required("to");
    let to = r.number("to", to);
    let at = match r.get("at") {
        Some(v) => r.timestamp("at", Some(v)).map(Some),
        None => Some(None),
    };
    let value = match (to, at) {
        (Some(to), Some(at)) => Some(Simulation {
            from: Caller::parse(from),
            to,
            at,
        }),
        _ => None,
    };
    r.finish(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_caller_may_be_withheld() {
        let s = parse_simulation(&json!({"to": "+14155550100"})).unwrap();
        assert_eq!((s.from, s.at), (Caller::Withheld, None));
    }
}
