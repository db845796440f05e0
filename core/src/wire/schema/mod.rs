//! JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of everything on the wire, for the
//! server's OpenAPI document. Feature `openapi`, off by default: only the server needs it.
//!
//! - Responses: derived (`schemars`) from the very types that serialise them, so the document
//!   cannot drift from the answers. [`responses`] makes the generator that collects them.
//! - Requests ([`requests`]) and query parameters ([`params`]): the parsers read `Value`s so
//!   that they can report every problem at once, so their schemas are written beside them,
//!   from the same limits, lists and patterns the parsers use. Schemathesis holds the two
//!   to each other from both sides: what the schema allows must be accepted, what it forbids
//!   must be refused.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::call::StatusSet;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

pub mod params;
pub mod requests;
pub mod webhooks;

/// The pattern of a phone number as the API reads it: E.164 (`+`, then 2 to 15 digits, the
/// first not 0), with spaces, `-`, `.`, `(` and `)` allowed anywhere as formatting.
pub const PHONE_PATTERN: &str = r"^[ .()-]*\+[ .()-]*[1-9](?:[ .()-]*[0-9]){1,14}[ .()-]*$";

/// The pattern of a phone number as the API writes it: plain E.164.
pub const E164_PATTERN: &str = r"^\+[1-9][0-9]{1,14}$";

/// A generator for response schemas: OpenAPI's `#/components/schemas/` for shared ones, and
/// the serialising side of each type (a field with a default is still always written).
pub fn responses() -> SchemaGenerator {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12().for_serialize();
    settings.definitions_path = "/components/schemas".into();
    settings.into_generator()
}

impl JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, UTC, whole seconds (`2024-06-01T04:00:00Z`).",
            "examples": ["2024-06-01T04:00:00Z"]
        })
    }
}

impl JsonSchema for PhoneNumber {
    fn schema_name() -> Cow<'static, str> {
        "PhoneNumber".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": E164_PATTERN,
            "description": "E.164.",
            "examples": ["+14155550100"]
        })
    }
}

impl JsonSchema for StatusSet {
    fn schema_name() -> Cow<'static, str> {
        "StatusSet".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "array",
            "items": generator.subschema_for::<crate::call::CallStatus>(),
            "uniqueItems": true
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The pattern the document promises is exactly the parser's rule.
        #[test]
        fn the_phone_pattern_is_the_parsers_rule(s in "[ .()+0-9a-]{0,22}") {
            let pattern = regex::Regex::new(PHONE_PATTERN).unwrap_or_else(|_| unreachable!());
            prop_assert_eq!(pattern.is_match(&s), PhoneNumber::parse(&s).is_ok(), "{:?}", s);
        }

        #[test]
        fn written_numbers_match_the_e164_pattern(digits in "[1-9][0-9]{1,14}") {
            let pattern = regex::Regex::new(E164_PATTERN).unwrap_or_else(|_| unreachable!());
            let n = PhoneNumber::parse(&format!("+{digits}")).unwrap_or_else(|_| unreachable!());
            prop_assert!(pattern.is_match(&n.to_string()));
        }
    }
}
