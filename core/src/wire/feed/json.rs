//! A JSON document of calls: an array, or an object whose `data` is one (a `GET /api/v1/calls`
//! page), read element by element without building the array.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::line::CallLine;
use super::{CallFeed, FeedError};

impl CallFeed {
    pub(super) fn read_json(&mut self, bytes: &[u8]) -> Result<(), FeedError> {
        let mut failure = None;
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let read = Document {
            feed: self,
            failure: &mut failure,
            nested: false,
        }
        .deserialize(&mut de)
        .and_then(|()| de.end());
        match (read, failure) {
            (_, Some(e)) => Err(e),
            (Err(e), None) => Err(FeedError {
                code: "INVALID_JSON",
                location: format!("line {} column {}", e.line(), e.column()),
                message: e.to_string(),
            }),
            (Ok(()), None) => Ok(()),
        }
    }
}

/// The whole JSON document: an array of calls, or an object with one under `data`.
struct Document<'f> {
    feed: &'f mut CallFeed,
    failure: &'f mut Option<FeedError>,
    /// Inside `data`: only an array will do.
    nested: bool,
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of calls or an object with `data`")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            let call = match seq.next_element::<CallLine<'de>>() {
                Ok(Some(call)) => call,
                Ok(None) => break,
                Err(e) => {
                    *self.failure = Some(FeedError {
                        code: "INVALID_CALL",
                        location: format!("data[{index}]"),
                        message: e.to_string(),
                    });
                    return Err(e);
                }
            };
            if let Err((code, message)) = self.feed.push(&call) {
                *self.failure = Some(FeedError {
                    code,
                    location: format!("data[{index}]"),
                    message,
                });
                return Err(de::Error::custom("stopped at a bad call"));
            }
            index += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.nested {
            return Err(de::Error::invalid_type(
                de::Unexpected::Map,
                &"an array of calls",
            ));
        }
        let mut found = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "data" && !found {
                found = true;
                map.next_value_seed(Document {
                    feed: &mut *self.feed,
                    failure: &mut *self.failure,
                    nested: true,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if found {
            Ok(())
        } else {
            Err(de::Error::missing_field("data"))
        }
    }
}
