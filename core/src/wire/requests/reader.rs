//! [`Reader`]: reads one JSON object field by field, collecting every problem instead of
//! stopping at the first, so a client sees all of them at once.

use serde_json::{Map, Value};

use super::{Expected, MAX_NAME_CHARS, MAX_NUMBERS_PER_AGENT, RequestError, clip};
use crate::agent::{AgentId, Direction};
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

/// Collects problems while reading one JSON object.
pub(crate) struct Reader<'a> {
    pub(crate) body: Option<&'a Map<String, Value>>,
    pub(crate) errors: Vec<RequestError>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(body: &'a Value) -> Self {
        let body = body.as_object();
        Reader {
            errors: if body.is_none() {
                vec![RequestError::NotAnObject]
            } else {
                Vec::new()
            },
            body,
        }
    }

    /// A field's value; `null` counts as absent.
    pub(crate) fn get(&self, field: &str) -> Option<&'a Value> {
        self.body?.get(field).filter(|v| !v.is_null())
    }

    pub(crate) fn fail(&mut self, field: &'static str, expected: Expected, got: &Value) {
        self.errors
            .push(RequestError::invalid(field, expected, got));
    }

    pub(crate) fn required(&mut self, field: &'static str) -> Option<&'a Value> {
        let v = self.get(field);
        if v.is_none() && self.body.is_some() {
            self.errors.push(RequestError::Required { field });
        }
        v
    }

    /// A string field, or a problem coded as `expected` if it is another type.
    pub(crate) fn string(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        expected: Expected,
    ) -> Option<&'a str> {
        let v = v?;
        let s = v.as_str();
        if s.is_none() {
            self.fail(field, expected, v);
        }
        s
    }

    /// A string parsed by `parse`, or a problem coded as `expected`.
    pub(crate) fn parsed<T>(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        expected: Expected,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let s = self.string(field, v, expected)?;
        let parsed = parse(s);
        if parsed.is_none() {
            self.fail(field, expected, v.unwrap_or(&Value::Null));
        }
        parsed
    }

    pub(crate) fn direction(&mut self, v: Option<&'a Value>) -> Option<Direction> {
        self.parsed("direction", v, Expected::Direction, Direction::parse)
    }

    pub(crate) fn number(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
    ) -> Option<PhoneNumber> {
        self.parsed(field, v, Expected::PhoneNumber, |s| {
            PhoneNumber::parse(s).ok()
        })
    }

    pub(crate) fn timestamp(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
    ) -> Option<Timestamp> {
        self.parsed(field, v, Expected::Timestamp, |s| Timestamp::parse(s).ok())
    }

    pub(crate) fn agent_id(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
    ) -> Option<AgentId> {
        self.parsed(field, v, Expected::AgentId, |s| AgentId::parse(s).ok())
    }

    /// A name or label: at most 255 characters, not only white space (which is trimmed), none
    /// of them control, invisible or direction-changing (so that one name cannot be made to
    /// read as another).
    pub(crate) fn name(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        expected: Expected,
    ) -> Option<String> {
        let raw = self.string(field, v, expected)?;
        let s = raw.trim();
        if s.is_empty() || raw.chars().count() > MAX_NAME_CHARS || s.chars().any(hidden_in_name) {
            self.fail(field, expected, v.unwrap_or(&Value::Null));
            return None;
        }
        Some(s.to_owned())
    }

    /// Free text of at most `max` characters; line breaks and tabs are allowed, other
    /// control and invisible characters are not.
    pub(crate) fn text(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        max: usize,
    ) -> Option<String> {
        let expected = Expected::Text(max);
        let s = self.string(field, v, expected)?;
        if s.chars().count() > max || s.chars().any(hidden_in_text) {
            self.fail(field, expected, v.unwrap_or(&Value::Null));
            return None;
        }
        Some(s.to_owned())
    }

    pub(crate) fn boolean(&mut self, field: &'static str, v: Option<&'a Value>) -> Option<bool> {
        let v = v?;
        let b = v.as_bool();
        if b.is_none() {
            self.fail(field, Expected::Boolean, v);
        }
        b
    }

    /// An integer in `lo..=hi`.
    pub(crate) fn integer(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        lo: u64,
        hi: u64,
    ) -> Option<u64> {
        let v = v?;
        let n = whole_number(v).filter(|n| (lo..=hi).contains(n));
        if n.is_none() {
            self.fail(field, Expected::Integer(lo, hi), v);
        }
        n
    }

    /// A number in `lo..=hi` (`range` is how the message writes it).
    pub(crate) fn float(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        lo: f64,
        hi: f64,
        range: &'static str,
    ) -> Option<f64> {
        let v = v?;
        let n = v.as_f64().filter(|n| *n >= lo && *n <= hi);
        if n.is_none() {
            self.fail(field, Expected::Number(range), v);
        }
        n
    }

    /// An array of at most `max` entries.
    pub(crate) fn array(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
        max: usize,
    ) -> Option<&'a Vec<Value>> {
        let v = v?;
        let Some(items) = v.as_array() else {
            self.fail(field, Expected::Array, v);
            return None;
        };
        if items.len() > max {
            self.errors.push(RequestError::TooMany {
                field,
                max,
                got: items.len(),
            });
            return None;
        }
        Some(items)
    }

    /// A list of phone numbers in E.164 (written plainly), without repeats.
    pub(crate) fn numbers(
        &mut self,
        field: &'static str,
        v: Option<&'a Value>,
    ) -> Option<Vec<PhoneNumber>> {
        let items = self.array(field, v, MAX_NUMBERS_PER_AGENT)?;
        let mut out: Vec<PhoneNumber> = Vec::with_capacity(items.len());
        // in a list, each number is written one way (E.164, no formatting), so that a repeat
        // is a repeat of the same string, as the schema's `uniqueItems` says
        let mut first: crate::hash::FastMap<PhoneNumber, usize> = Default::default();
        let mut ok = true;
        for (index, item) in items.iter().enumerate() {
            let plain = |s: &str| PhoneNumber::parse(s).ok().filter(|n| n.to_string() == s);
            match item.as_str().and_then(plain) {
                Some(n) => match first.get(&n) {
                    Some(&f) => {
                        ok = false;
                        self.errors.push(RequestError::Duplicate {
                            field,
                            index,
                            first: f,
                            value: n.to_string(),
                        });
                    }
                    None => {
                        first.insert(n, index);
                        out.push(n);
                    }
                },
                None => {
                    ok = false;
                    self.errors.push(RequestError::Invalid {
                        field,
                        index: Some(index),
                        expected: Expected::PhoneNumber,
                        got: clip(item),
                    });
                }
            }
        }
        ok.then_some(out)
    }

    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, Vec<RequestError>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

/// A JSON number that is a whole number, as JSON Schema's `integer` counts them (`53` and
/// `53.0` alike), and not negative.
pub(crate) fn whole_number(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 18_446_744_073_709_551_616.0)
            .map(|f| f as u64)
    })
}

/// Characters that show nothing or change the reading direction (Unicode's format
/// characters, category Cf), as inclusive ranges: accepted in a name, they let one name be
/// made to read as another. The one table behind the parser ([`is_invisible`]) and the
/// OpenAPI document's patterns (`wire::schema`, which names the ranges of the Basic
/// Multilingual Plane; a test checks the two agree on every character).
pub const INVISIBLE: [(char, char); 21] = [
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

/// Refused in a name: a control character or an invisible one.
pub fn hidden_in_name(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// Refused in free text: as in a name, but line breaks and tabs are text.
pub fn hidden_in_text(c: char) -> bool {
    hidden_in_name(c) && !matches!(c, '\n' | '\r' | '\t')
}

/// Whether `c` is one of the [`INVISIBLE`] characters.
pub fn is_invisible(c: char) -> bool {
    INVISIBLE
        .iter()
        .any(|(low, high)| (*low..=*high).contains(&c))
}
