//! NDJSON split into numbered lines as it arrives: the one splitter behind the server's
//! `POST /api/v1/calls/import` and the package's `CallFeed::from_ndjson` and `NdjsonReader`.
//!
//! A line ends at `\n`; one `\r` before it is dropped (CRLF files); a blank line (spaces,
//! tabs, a lone `\r`) counts for numbering but holds no record and is not handed over; the
//! last line needs no line break. Each byte is looked at once: a line cut by a chunk boundary
//! waits in a buffer, and a line longer than the limit is neither kept nor rescanned as more
//! of it arrives, only reported once.

use crate::error::ErrorCode;

/// A line longer than the limit: reported with its number, never read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the line is longer than {max} bytes and was not read")]
pub struct LineTooLong {
    /// The limit, in bytes.
    pub max: usize,
}

impl ErrorCode for LineTooLong {
    fn code(&self) -> &'static str {
        "LINE_TOO_LONG"
    }
}

/// The splitter's state between chunks.
#[derive(Debug)]
pub struct NdjsonLines {
    pending: Vec<u8>,
    /// Inside a line already reported as too long: bytes are dropped until its line break.
    skipping: bool,
    line: u64,
    max: usize,
}

impl Default for NdjsonLines {
    fn default() -> Self {
        NdjsonLines::with_limit(usize::MAX)
    }
}

impl NdjsonLines {
    /// A splitter that keeps lines of any length (the input is the caller's own).
    pub fn new() -> Self {
        Self::default()
    }

    /// A splitter that keeps lines of at most `max` bytes (the server's, whose input is
    /// anyone's).
    pub fn with_limit(max: usize) -> Self {
        NdjsonLines {
            pending: Vec::new(),
            skipping: false,
            line: 0,
            max,
        }
    }

    /// How many lines have ended so far, blank and too-long ones included.
    pub fn lines(&self) -> u64 {
        self.line
    }

    /// Hands every line `chunk` completes to `each`, with its 1-based number: its text
    /// (borrowed from `chunk` when it lies wholly within it), or [`LineTooLong`]. Stops at
    /// the first error `each` returns.
    pub fn push<E>(
        &mut self,
        mut chunk: &[u8],
        mut each: impl FnMut(u64, Result<&[u8], LineTooLong>) -> Result<(), E>,
    ) -> Result<(), E> {
        loop {
            let newline = find_newline(chunk);
            let (head, rest) = match newline {
                Some(i) => (
                    chunk.get(..i).unwrap_or_default(),
                    chunk.get(i + 1..).unwrap_or_default(),
                ),
                None => (chunk, &[][..]),
            };
            if self.skipping {
                if newline.is_none() {
                    return Ok(());
                }
                self.skipping = false;
            } else if self.pending.len().saturating_add(head.len()) > self.max {
                self.pending.clear();
                self.line += 1;
                self.skipping = newline.is_none();
                each(self.line, Err(LineTooLong { max: self.max }))?;
            } else if newline.is_none() {
                self.pending.extend_from_slice(head);
                return Ok(());
            } else if self.pending.is_empty() {
                self.line += 1;
                self.hand_over(head, &mut each)?;
            } else {
                self.pending.extend_from_slice(head);
                let text = std::mem::take(&mut self.pending);
                self.line += 1;
                let handed = self.hand_over(&text, &mut each);
                self.pending = text;
                self.pending.clear();
                handed?;
            }
            if newline.is_none() {
                return Ok(());
            }
            chunk = rest;
        }
    }

    /// Hands over the last line, if it had no line break.
    pub fn finish<E>(
        &mut self,
        mut each: impl FnMut(u64, Result<&[u8], LineTooLong>) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.skipping || self.pending.is_empty() {
            self.skipping = false;
            return Ok(());
        }
        let text = std::mem::take(&mut self.pending);
        self.line += 1;
        self.hand_over(&text, &mut each)
    }

    fn hand_over<E>(
        &self,
        text: &[u8],
        each: &mut impl FnMut(u64, Result<&[u8], LineTooLong>) -> Result<(), E>,
    ) -> Result<(), E> {
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.iter().all(u8::is_ascii_whitespace) {
            return Ok(()); // a blank line is a line, not a record
        }
        each(self.line, Ok(text))
    }
}

/// Where the first `\n` is: eight bytes at a time (a word has a zero byte where it equals the
/// pattern), the rest one by one. Looking for line ends is most of what splitting costs, and
/// the package reads hundreds of megabytes through here; byte by byte, NDJSON read half as
/// fast again as the scanner alone.
fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let mut words = bytes.chunks_exact(8);
    let mut start = 0;
    for word in &mut words {
        let Ok(eight) = <[u8; 8]>::try_from(word) else {
            break;
        };
        let x = u64::from_ne_bytes(eight) ^ NEWLINES;
        if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
            break;
        }
        start += 8;
    }
    let rest = bytes.get(start..).unwrap_or_default();
    rest.iter().position(|b| *b == b'\n').map(|i| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]], max: usize) -> Vec<(u64, Option<Vec<u8>>)> {
        let mut lines = NdjsonLines::with_limit(max);
        let mut out = Vec::new();
        let mut take = |n, line: Result<&[u8], LineTooLong>| {
            out.push((n, line.ok().map(<[u8]>::to_vec)));
            Ok::<(), ()>(())
        };
        for c in chunks {
            lines.push(c, &mut take).unwrap();
        }
        lines.finish(&mut take).unwrap();
        out
    }

    #[test]
    fn lines_are_numbered_as_the_file_numbers_them_and_blank_ones_are_skipped() {
        assert_eq!(
            split(&[b"a\n\nb", b"c\r\n", b" \t\r\nd"], 10),
            [
                (1, Some(b"a".to_vec())),
                (3, Some(b"bc".to_vec())),
                (5, Some(b"d".to_vec())),
            ]
        );
    }

    #[test]
    fn a_long_line_is_reported_once_and_skipped_whatever_the_chunks() {
        let long = [b'x'; 25];
        for size in [1, 3, 7, 30, 100] {
            let body = [&long[..], b"\nok\n", &long[..]].concat();
            let chunks: Vec<&[u8]> = body.chunks(size).collect();
            assert_eq!(
                split(&chunks, 10),
                [(1, None), (2, Some(b"ok".to_vec())), (3, None)],
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn any_chunking_gives_the_same_lines() {
        let body = b"{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}";
        let whole = split(&[&body[..]], usize::MAX);
        assert_eq!(whole.len(), 3);
        for size in 1..body.len() {
            let chunks: Vec<&[u8]> = body.chunks(size).collect();
            assert_eq!(split(&chunks, usize::MAX), whole, "chunks of {size}");
        }
    }

    #[test]
    fn newlines_are_found_wherever_they_are() {
        for len in 0..40 {
            for at in 0..len {
                let mut b = vec![b'x'; len];
                b[at] = b'\n';
                if at + 3 < len {
                    b[at + 3] = b'\n';
                }
                assert_eq!(find_newline(&b), Some(at), "{len} {at}");
            }
            assert_eq!(find_newline(&vec![b'x'; len]), None);
            // bytes that differ from a line break by one bit are not one
            assert_eq!(find_newline(&vec![b'\n' ^ 0x80; len]), None);
            assert_eq!(find_newline(&vec![b'\x0b'; len]), None);
        }
    }

    #[test]
    fn an_error_stops_the_split_and_the_code_is_stable() {
        let mut lines = NdjsonLines::new();
        let mut seen = 0;
        let stopped = lines.push(b"a\nb\nc\n", |n, _| {
            seen += 1;
            if n == 2 { Err(n) } else { Ok(()) }
        });
        assert_eq!((stopped, seen), (Err(2), 2));
        let e = LineTooLong { max: 10 };
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            (
                "LINE_TOO_LONG",
                "the line is longer than 10 bytes and was not read"
            )
        );
    }
}
