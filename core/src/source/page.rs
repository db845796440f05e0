//! Reading a platform's list page: one JSON document, every problem naming the field it is
//! about (`data[17].startedAt`), so that a sync stopped by a page it cannot understand says
//! where to look.

use std::fmt;

use serde_json::{Map, Value};

use crate::agent::Direction;
use crate::error::ErrorCode;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

/// A page that cannot be understood: the field, and what is wrong with it. The server adds
/// which page (its path and query) when it reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    /// The field, as a path into the document (`data[3].status`), or `(body)` for the whole.
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

impl PageError {
    fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        PageError {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for PageError {}

impl ErrorCode for PageError {
    fn code(&self) -> &'static str {
        "SOURCE_PAGE_UNREADABLE"
    }
}

/// The result of reading part of a page.
pub type Read<T> = Result<T, PageError>;

/// Parses a page's body; it must be a JSON object.
pub fn read_document(body: &[u8]) -> Read<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(PageError::new("(body)", "not a JSON object")),
        Err(e) => Err(PageError::new("(body)", format!("not JSON: {e}"))),
    }
}

/// One object of a page, and its path, for reading fields with their names.
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    map: &'a Map<String, Value>,
    path: &'a str,
}

impl<'a> Object<'a> {
    /// The document itself.
    pub fn root(map: &'a Map<String, Value>) -> Self {
        Object { map, path: "" }
    }

    fn field(&self, key: &str) -> String {
        match self.path {
            "" => key.to_owned(),
            path => format!("{path}.{key}"),
        }
    }

    fn error(&self, key: &str, problem: impl Into<String>) -> PageError {
        PageError::new(self.field(key), problem)
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// A required array, each element an object, handed to `read` with its path.
    pub fn objects<T>(
        &self,
        key: &str,
        mut read: impl FnMut(Object<'_>) -> Read<T>,
    ) -> Read<Vec<T>> {
        let Some(value) = self.get(key) else {
            return Err(self.error(key, "missing"));
        };
        let Some(items) = value.as_array() else {
            return Err(self.error(key, "not an array"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", self.field(key));
            let Some(map) = item.as_object() else {
                return Err(PageError::new(path, "not an object"));
            };
            out.push(read(Object { map, path: &path })?);
        }
        Ok(out)
    }

    /// An optional array of objects (missing or `null`: none).
    pub fn objects_or_none<T>(
        &self,
        key: &str,
        read: impl FnMut(Object<'_>) -> Read<T>,
    ) -> Read<Vec<T>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(_) => self.objects(key, read),
        }
    }

    /// A required object.
    pub fn object<T>(&self, key: &str, read: impl FnOnce(Object<'_>) -> Read<T>) -> Read<T> {
        match self.get(key) {
            Some(Value::Object(map)) => {
                let path = self.field(key);
                read(Object { map, path: &path })
            }
            Some(_) => Err(self.error(key, "not an object")),
            None => Err(self.error(key, "missing")),
        }
    }

    /// An optional object (missing or `null`: `None`).
    pub fn object_or_none<T>(
        &self,
        key: &str,
        read: impl FnOnce(Object<'_>) -> Read<T>,
    ) -> Read<Option<T>> {
        match self.get(key) {
            None => Ok(None),
            Some(_) => self.object(key, read).map(Some),
        }
    }

    /// A value as it is (for a configuration passed on to the core's own validation).
    pub fn value(&self, key: &str) -> Option<&'a Value> {
        self.get(key)
    }

    /// A required id: a non-empty string, or a number written as one.
    pub fn id(&self, key: &str) -> Read<String> {
        self.id_or_none(key)?
            .ok_or_else(|| self.error(key, "missing"))
    }

    /// An optional id.
    pub fn id_or_none(&self, key: &str) -> Read<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(Value::Number(n)) if n.is_u64() => Ok(Some(n.to_string())),
            Some(_) => Err(self.error(key, "not an id (a non-empty string)")),
        }
    }

    /// A required string.
    pub fn text(&self, key: &str) -> Read<&'a str> {
        self.text_or_none(key)?
            .ok_or_else(|| self.error(key, "missing"))
    }

    /// An optional string.
    pub fn text_or_none(&self, key: &str) -> Read<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.error(key, "not a string")),
        }
    }

    /// A required boolean.
    pub fn flag(&self, key: &str) -> Read<bool> {
        match self.get(key) {
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(self.error(key, "not a boolean")),
            None => Err(self.error(key, "missing")),
        }
    }

    /// A non-negative whole number; `default` when missing or `null`.
    pub fn count(&self, key: &str, default: Option<u64>) -> Read<u64> {
        match (self.get(key), default) {
            (Some(v), _) => v
                .as_u64()
                .or_else(|| {
                    v.as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                        .map(|f| f as u64)
                })
                .ok_or_else(|| self.error(key, "not a whole number of at least 0")),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(self.error(key, "missing")),
        }
    }

    /// A required E.164 number.
    pub fn number(&self, key: &str) -> Read<PhoneNumber> {
        let text = self.text(key)?;
        PhoneNumber::parse(text).map_err(|e| self.error(key, e.to_string()))
    }

    /// A required RFC 3339 instant.
    pub fn instant(&self, key: &str) -> Read<Timestamp> {
        let text = self.text(key)?;
        Timestamp::parse(text).map_err(|e| self.error(key, e.to_string()))
    }

    /// An optional `inbound` / `outbound`.
    pub fn direction_or_none(&self, key: &str) -> Read<Option<Direction>> {
        match self.text_or_none(key)? {
            None | Some("") => Ok(None),
            Some(s) => Direction::parse(s)
                .map(Some)
                .ok_or_else(|| self.error(key, format!("{s:?} is neither inbound nor outbound"))),
        }
    }

    /// A problem with a field of this object found after reading it.
    pub fn problem(&self, key: &str, problem: impl Into<String>) -> PageError {
        self.error(key, problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_the_field_by_its_path() {
        let doc = read_document(br#"{"data": [{"id": "a"}, {"id": 7, "to": 5}]}"#).unwrap();
        let root = Object::root(&doc);
        let err = root
            .objects("data", |o| {
                let id = o.id("id")?;
                o.text_or_none("to")?;
                Ok(id)
            })
            .err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("data[1].to: not a string".to_owned())
        );
        assert_eq!(
            read_document(b"[1]").err().map(|e| e.to_string()),
            Some("(body): not a JSON object".to_owned())
        );
        assert!(root.object("meta", |m| m.count("last_page", None)).is_err());
    }
}
