//! `POST /api/v1/phone-numbers` (Dialback's extension: Talkover sells numbers in its
//! dashboard): `{"number": "..."}`, in any common formatting, stored in E.164.

use serde_json::Value;

use super::{Reader, RequestError};
use crate::phone::PhoneNumber;

/// A number to add to the environment, unassigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewNumber {
    /// The number.
    pub number: PhoneNumber,
}

/// Parses `{"number": "+1 (415) 555-0100"}`.
pub fn parse_new_number(body: &Value) -> Result<NewNumber, Vec<RequestError>> {
    let mut r = Reader::new(body);
    let number = r.required("number");
    let number = r.number("number", number);
    r.finish(number.map(|number| NewNumber { number }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    #[test]
    fn numbers_in_any_formatting() {
        let n = parse_new_number(&json!({"number": "+1 (415) 555-0100"})).unwrap();
        assert_eq!(n.number.to_string(), "+14155550100");
        let codes: Vec<_> = parse_new_number(&json!({"number": "555"}))
            .unwrap_err()
            .iter()
            .map(|e| e.code())
            .collect();
        assert_eq!(codes, ["INVALID_PHONE_NUMBER"]);
    }
}
