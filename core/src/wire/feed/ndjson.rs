//! NDJSON, one call per line: whole ([`CallFeed::from_ndjson`]) or in chunks as it arrives
//! ([`NdjsonReader`]), split by the core's one splitter ([`NdjsonLines`]). Each line goes to
//! the fast scanner first and to the serde reader (and its errors) when the scanner is not
//! sure.

use super::{CallFeed, FeedError, scan};
use crate::wire::lines::NdjsonLines;

/// NDJSON read in chunks, as it arrives or as it is copied in pieces, so the whole input never
/// has to sit in memory at once: a line cut by a chunk boundary waits for the rest.
#[derive(Debug, Default)]
pub struct NdjsonReader {
    feed: CallFeed,
    lines: NdjsonLines,
}

impl NdjsonReader {
    /// A reader with nothing read.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads every line that `chunk` completes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), FeedError> {
        let NdjsonReader { feed, lines } = self;
        lines.push(chunk, |n, line| feed.read_line(n, line.unwrap_or_default()))
    }

    /// Reads the last line (if it had no line break) and returns the calls.
    pub fn finish(mut self) -> Result<CallFeed, FeedError> {
        let NdjsonReader { feed, lines } = &mut self;
        lines.finish(|n, line| feed.read_line(n, line.unwrap_or_default()))?;
        Ok(self.feed)
    }
}

impl CallFeed {
    /// Reads every line of `bytes`.
    pub(super) fn read_ndjson(&mut self, bytes: &[u8]) -> Result<(), FeedError> {
        let mut lines = NdjsonLines::new();
        lines.push(bytes, |n, line| self.read_line(n, line.unwrap_or_default()))?;
        lines.finish(|n, line| self.read_line(n, line.unwrap_or_default()))
    }

    /// Reads line `number`, `text` (not blank; the splitter skips those).
    fn read_line(&mut self, number: u64, text: &[u8]) -> Result<(), FeedError> {
        let location = || format!("line {number}");
        // the fast scanner when it is sure...
        let start = skip_blanks(text, 0);
        let fast = scan::call(text, start)
            .and_then(|(call, after)| (skip_blanks(text, after) == text.len()).then_some(call));
        let call = match fast {
            Some(call) => call,
            // ...the serde reader, and its errors, otherwise
            None => serde_json::from_slice(text).map_err(|e| FeedError {
                code: "INVALID_JSON",
                location: location(),
                message: e.to_string(),
            })?,
        };
        self.push(&call).map_err(|(code, message)| FeedError {
            code,
            location: location(),
            message,
        })
    }
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}
