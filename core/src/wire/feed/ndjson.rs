//! NDJSON, one call per line: whole ([`CallFeed::from_ndjson`]) or in chunks as it arrives
//! ([`NdjsonReader`]). Each line goes to the fast scanner first and to the serde reader (and its
//! errors) when the scanner is not sure.

use super::{CallFeed, FeedError, scan};

/// NDJSON read in chunks, as it arrives or as it is copied in pieces, so the whole input never
/// has to sit in memory at once: a line cut by a chunk boundary waits for the rest.
#[derive(Debug, Default)]
pub struct NdjsonReader {
    feed: CallFeed,
    line: usize,
    partial: Vec<u8>,
}

impl NdjsonReader {
    /// A reader with nothing read.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads every line that `chunk` completes.
    pub fn push(&mut self, mut chunk: &[u8]) -> Result<(), FeedError> {
        if !self.partial.is_empty() {
            let Some(nl) = chunk.iter().position(|b| *b == b'\n') else {
                self.partial.extend_from_slice(chunk);
                return Ok(());
            };
            let (head, rest) = chunk.split_at(nl + 1);
            self.partial.extend_from_slice(head);
            let partial = std::mem::take(&mut self.partial);
            self.feed.read_ndjson(&partial, &mut self.line)?;
            chunk = rest;
        }
        match chunk.iter().rposition(|b| *b == b'\n') {
            Some(last) => {
                let (lines, rest) = chunk.split_at(last + 1);
                self.feed.read_ndjson(lines, &mut self.line)?;
                self.partial.extend_from_slice(rest);
            }
            None => self.partial.extend_from_slice(chunk),
        }
        Ok(())
    }

    /// Reads the last line (if it had no line break) and returns the calls.
    pub fn finish(mut self) -> Result<CallFeed, FeedError> {
        let partial = std::mem::take(&mut self.partial);
        self.feed.read_ndjson(&partial, &mut self.line)?;
        Ok(self.feed)
    }
}

impl CallFeed {
    /// Reads the lines of `bytes`, numbering them after `line` (which it advances).
    pub(super) fn read_ndjson(&mut self, bytes: &[u8], line: &mut usize) -> Result<(), FeedError> {
        let mut at = 0;
        while at < bytes.len() {
            *line += 1;
            let line = *line;
            let location = || format!("line {line}");
            // the fast scanner when it is sure (it never reads past a line break)...
            let start = skip_blanks(bytes, at);
            let fast = scan::call(bytes, start).and_then(|(call, after)| {
                let after = skip_blanks(bytes, after);
                matches!(bytes.get(after), None | Some(b'\n')).then_some((call, after + 1))
            });
            let call = match fast {
                Some((call, next)) => {
                    at = next;
                    call
                }
                // ...the serde reader, and its errors, otherwise
                None => {
                    let end = line_end(bytes, at);
                    let text = bytes.get(at..end).unwrap_or_default();
                    at = end + 1;
                    if text.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    serde_json::from_slice(text).map_err(|e| FeedError {
                        code: "INVALID_JSON",
                        location: location(),
                        message: e.to_string(),
                    })?
                }
            };
            self.push(&call).map_err(|(code, message)| FeedError {
                code,
                location: location(),
                message,
            })?;
        }
        Ok(())
    }
}

/// Where the line starting at `at` ends (its `\n`, or the end of the input).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
        .map_or(bytes.len(), |n| at + n)
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}
