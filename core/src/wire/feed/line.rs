//! One call as the serde reader sees it: the keys stats and usage need, in either the
//! documented shape or the one Dialback wrote before, borrowed from the input.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Visitor};

/// A string field's bytes, borrowed from the input when it has no escapes. The fast scanner
/// hands them over unchecked (each is then read by a byte parser that accepts ASCII only);
/// through serde they are read as strings, so UTF-8 is checked there.
pub(super) struct Text<'a>(pub(super) Cow<'a, [u8]>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v.as_bytes())))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.as_bytes().to_vec())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.into_bytes())))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

/// The fields of a call that stats and usage need, borrowed from the input.
#[derive(Deserialize)]
pub(super) struct CallLine<'a> {
    #[serde(borrow)]
    pub(super) direction: Text<'a>,
    #[serde(borrow, default)]
    pub(super) agent_id: Option<Text<'a>>,
    /// `Some(None)`: the list says the call has no agent; `None`: it does not say.
    #[serde(borrow, default, deserialize_with = "present")]
    pub(super) agent: Option<Option<AgentLine<'a>>>,
    #[serde(borrow, default)]
    pub(super) from: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) to: Text<'a>,
    #[serde(borrow, alias = "created_at")]
    pub(super) started_at: Text<'a>,
    #[serde(borrow)]
    pub(super) status: Text<'a>,
    #[serde(default, alias = "duration")]
    pub(super) duration_seconds: u32,
    #[serde(borrow, default)]
    pub(super) routing: Option<RoutingLine<'a>>,
}

/// A field that was present, `null` or not.
pub(super) fn present<'de, D: de::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
pub(super) struct AgentLine<'a> {
    #[serde(borrow)]
    pub(super) id: Text<'a>,
}

#[derive(Deserialize)]
pub(super) struct RoutingLine<'a> {
    #[serde(borrow, default)]
    pub(super) callback_agent_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) agent_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) last_call: Option<LastCallLine<'a>>,
}

#[derive(Deserialize)]
pub(super) struct LastCallLine<'a> {
    #[serde(borrow, default)]
    pub(super) source_agent_id: Option<Text<'a>>,
}
