//! The fast path of the bulk reader: one pass over a call's bytes that picks out the fields
//! stats and usage need and steps over the rest (explanations, `last_call` details) eight
//! bytes at a time.
//!
//! It only ever says "here is the call" or "not sure": anything unusual (an escape inside a
//! field it reads, a repeated or missing field, a number that is not a plain integer, a line
//! break inside the object) makes it give up on that call, and the serde reader, the
//! reference, reads it instead and reports any error. Values it skips are checked for
//! structure (strings closed, brackets balanced), not for every detail of JSON.

use std::borrow::Cow;

use super::line::{AgentLine, CallLine, LastCallLine, RoutingLine, Text};

/// Reads one call object starting at `b[i]`; returns it and the index just after its `}`.
pub(super) fn call(b: &[u8], i: usize) -> Option<(CallLine<'_>, usize)> {
    let mut s = Scanner { b, i };
    let mut direction = None;
    let mut agent_id = None;
    let mut agent = None;
    let mut from = None;
    let mut to = None;
    let mut started_at = None;
    let mut status = None;
    let mut duration_seconds = None;
    let mut routing = None;
    s.object(|s, key| match key {
        b"direction" => set(&mut direction, s.string()?),
        b"agent_id" => set(&mut agent_id, s.nullable_string()?),
        b"agent" => set(&mut agent, s.nullable(Scanner::agent)?),
        b"from" => set(&mut from, s.nullable_string()?),
        b"to" => set(&mut to, s.string()?),
        b"created_at" | b"started_at" => set(&mut started_at, s.string()?),
        b"status" => set(&mut status, s.string()?),
        b"duration" | b"duration_seconds" => set(&mut duration_seconds, s.integer()?),
        b"routing" => set(&mut routing, s.nullable(Scanner::routing)?),
        _ => s.skip_value(),
    })?;
    let call = CallLine {
        direction: direction?,
        agent_id: agent_id.flatten(),
        agent,
        from: from.flatten(),
        to: to?,
        started_at: started_at?,
        status: status?,
        duration_seconds: duration_seconds.unwrap_or(0),
        routing: routing.flatten(),
    };
    Some((call, s.i))
}

/// A whole JSON document of calls, an array or an object with one under `data` (a
/// `GET /api/v1/calls` page), read in the same one pass as NDJSON lines, each call handed to
/// `each`. `None` as soon as anything is unusual (a call the scanner is not sure of, a line
/// break inside a call, a second `data`, `each` refusing a call), and the serde reader reads
/// the whole document instead, reporting any error where it is.
pub(super) fn document<'a>(
    b: &'a [u8],
    mut each: impl FnMut(CallLine<'a>) -> Option<()>,
) -> Option<()> {
    let mut s = Scanner { b, i: 0 };
    s.blanks();
    match s.peek()? {
        b'[' => s.calls(&mut each)?,
        b'{' => {
            let mut found = false;
            s.object(|s, key| {
                if key != b"data" {
                    return s.skip_value();
                }
                if found {
                    return None;
                }
                found = true;
                s.calls(&mut each)
            })?;
            if !found {
                return None;
            }
        }
        _ => return None,
    }
    s.blanks();
    (s.i == b.len()).then_some(())
}

/// Stores a field's value, refusing a second one (serde reports duplicates).
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

const QUOTES: u64 = 0x2222_2222_2222_2222;
const BACKSLASHES: u64 = 0x5c5c_5c5c_5c5c_5c5c;
const NEWLINES: u64 = 0x0a0a_0a0a_0a0a_0a0a;
const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each zero byte of `x` (the classic SWAR test: bytes above the lowest zero
/// may be flagged falsely, the lowest flagged one is always right).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LOW) & !x & HIGH
}

impl<'a> Scanner<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Skips blanks inside a line (a line break ends the call, so it is not skipped).
    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// Skips blanks between a document's values, line breaks included.
    fn blanks(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.peek() {
            self.i += 1;
        }
    }

    /// `[ call, call, ... ]`, each call read by [`call`] and handed to `each`.
    fn calls(&mut self, each: &mut impl FnMut(CallLine<'a>) -> Option<()>) -> Option<()> {
        self.blanks();
        if self.peek()? != b'[' {
            return None;
        }
        self.i += 1;
        self.blanks();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            self.blanks();
            let (item, after) = call(self.b, self.i)?;
            each(item)?;
            self.i = after;
            self.blanks();
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    #[inline(always)]
    fn eat(&mut self, byte: u8) -> Option<()> {
        self.ws();
        (self.peek()? == byte).then(|| self.i += 1)
    }

    /// `{ "key": value, ... }`, calling `field` with the scanner at each value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            self.ws();
            let key = self.raw_string()?;
            self.eat(b':')?;
            self.ws();
            field(self, key)?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A string without escapes, as bytes (the quote must be at `i`).
    // the helpers a call's every key goes through are always inlined: at the core's
    // size-optimised level they were calls, 10% of reading NDJSON (573 -> 507 ms for 1M calls)
    #[inline(always)]
    fn raw_string(&mut self) -> Option<&'a [u8]> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.i + 1;
        let mut at = start;
        loop {
            at = self.skip_plain(at);
            match *self.b.get(at)? {
                b'"' => break,
                b'\\' | b'\n' => return None,
                _ => at += 1,
            }
        }
        self.i = at + 1;
        self.b.get(start..at)
    }

    fn string(&mut self) -> Option<Text<'a>> {
        self.raw_string().map(|s| Text(Cow::Borrowed(s)))
    }

    fn nullable_string(&mut self) -> Option<Option<Text<'a>>> {
        self.nullable(Self::string)
    }

    fn nullable<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.b.get(self.i..self.i + 4) == Some(b"null") {
            self.i += 4;
            Some(None)
        } else {
            read(self).map(Some)
        }
    }

    /// A plain non-negative integer that fits a `u32`.
    fn integer(&mut self) -> Option<u32> {
        let start = self.i;
        let mut v: u32 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            v = v.checked_mul(10)?.checked_add(u32::from(d - b'0'))?;
            self.i += 1;
        }
        let digits = self.i - start;
        let leading_zero = digits > 1 && self.b.get(start) == Some(&b'0');
        let fraction = matches!(self.peek(), Some(b'.' | b'e' | b'E'));
        (digits > 0 && !leading_zero && !fraction).then_some(v)
    }

    /// Steps eight bytes at a time over string contents holding no `"`, `\\` or line break.
    /// The first `"`, `\\` or line break at or after `at`, found eight bytes at a time;
    /// near the end of the input (less than a word left) it stops at the last whole word
    /// and the caller steps byte by byte.
    // always inlined: at the core's size-optimised level a call here per string would cost
    // more than the scan itself
    #[inline(always)]
    fn skip_plain(&self, mut at: usize) -> usize {
        while let Some(chunk) = self.b.get(at..at + 8) {
            let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            let word = u64::from_le_bytes(bytes);
            let found = zero_bytes(word ^ QUOTES)
                | zero_bytes(word ^ BACKSLASHES)
                | zero_bytes(word ^ NEWLINES);
            if found != 0 {
                // the lowest flagged byte is always a true match
                return at + (found.trailing_zeros() / 8) as usize;
            }
            at += 8;
        }
        at
    }

    /// Where the string whose contents start at `from` closes: the next `"` not escaped.
    fn string_end(&self, mut at: usize) -> Option<usize> {
        loop {
            at = self.skip_plain(at);
            match *self.b.get(at)? {
                b'"' => return Some(at),
                b'\\' => at += 2,
                b'\n' => return None,
                _ => at += 1,
            }
        }
    }

    /// Steps over any value: strings to their closing quote, objects and arrays to their
    /// matching bracket, scalars over their characters.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            self.ws();
            match self.peek()? {
                b'"' => self.i = self.string_end(self.i + 1)? + 1,
                b'{' | b'[' => {
                    depth += 1;
                    self.i += 1;
                    continue;
                }
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    self.i += 1;
                }
                b',' | b':' if depth > 0 => {
                    self.i += 1;
                    continue;
                }
                b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'E' => {
                    let start = self.i;
                    while let Some(b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'E') =
                        self.peek()
                    {
                        self.i += 1;
                    }
                    let token = self.b.get(start..self.i)?;
                    let word = token.first()?.is_ascii_lowercase();
                    if word && !matches!(token, b"true" | b"false" | b"null") {
                        return None;
                    }
                }
                _ => return None,
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    fn routing(&mut self) -> Option<RoutingLine<'a>> {
        let mut callback_agent_id = None;
        let mut agent_id = None;
        let mut last_call = None;
        self.object(|s, key| match key {
            b"callback_agent_id" => set(&mut callback_agent_id, s.nullable_string()?),
            b"agent_id" => set(&mut agent_id, s.nullable_string()?),
            b"last_call" => set(&mut last_call, s.nullable(Scanner::last_call)?),
            _ => s.skip_value(),
        })?;
        Some(RoutingLine {
            callback_agent_id: callback_agent_id.flatten(),
            agent_id: agent_id.flatten(),
            last_call: last_call.flatten(),
        })
    }

    fn agent(&mut self) -> Option<AgentLine<'a>> {
        let mut id = None;
        self.object(|s, key| match key {
            b"id" => set(&mut id, s.string()?),
            _ => s.skip_value(),
        })?;
        Some(AgentLine { id: id? })
    }

    fn last_call(&mut self) -> Option<LastCallLine<'a>> {
        let mut source_agent_id = None;
        self.object(|s, key| match key {
            b"source_agent_id" => set(&mut source_agent_id, s.nullable_string()?),
            _ => s.skip_value(),
        })?;
        Some(LastCallLine {
            source_agent_id: source_agent_id.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(line: &str) -> Option<usize> {
        call(line.as_bytes(), 0).map(|(_, end)| end)
    }

    #[test]
    fn reads_a_plain_call_and_stops_after_it() {
        let line = concat!(
            r#"{"id":1,"external_id":null,"direction":"outbound","agent_id":"a","from":"+1","#,
            r#""to":"+2","started_at":"2024-01-01T00:00:00Z","status":"completed","#,
            r#""duration_seconds":42,"x":[1,{"y":"z\"}"},-2.5e3,true]} "#
        );
        let (c, end) = call(line.as_bytes(), 0).unwrap();
        assert_eq!(end, line.len() - 1);
        assert_eq!(
            (&*c.direction.0, c.duration_seconds),
            (&b"outbound"[..], 42)
        );
        assert_eq!(c.agent_id.map(|a| a.0.into_owned()), Some(b"a".to_vec()));
    }

    #[test]
    fn gives_up_on_anything_unusual() {
        let base = r#""direction":"inbound","to":"+2","started_at":"t","status":"s""#;
        assert!(fast(&format!("{{{base},\"duration_seconds\":1}}")).is_some());
        for odd in [
            format!("{{{base},\"duration_seconds\":1.0}}"),
            format!("{{{base},\"duration_seconds\":01}}"),
            format!("{{{base},\"duration_seconds\":99999999999}}"),
            format!("{{{base},\"duration_seconds\":1,\"status\":\"s\"}}"),
            r#"{"direction":"inbound","to":"+2","status":"s"}"#.to_owned(),
            format!("{{{base},\"duration_seconds\":1,\"x\":\"a\nb\"}}"),
            // a raw line break deep inside a long string, past the eight-byte steps
            format!("{{{base},\"duration_seconds\":1,\"x\":\"0123456789abcdef\n0123456789\"}}"),
            format!(
                "{{\"direction\":\"0123456789abcdef\n0123456789\",{}",
                &base[23..]
            ),
            format!("{{{base},\"duration_seconds\":1,\"x\":nope}}"),
            format!("{{{base},\"duration_seconds\":1,\"x\":[1}}"),
            format!("{{\"direction\":\"in\\u0062ound\",{}", &base[23..]),
            format!("{{{base},\"duration_seconds\":1"),
        ] {
            assert_eq!(fast(&odd), None, "{odd}");
        }
    }
}
