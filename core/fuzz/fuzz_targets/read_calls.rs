//! Bulk call reading on arbitrary bytes: it never panics, NDJSON read in chunks of any size
//! gives the same answer (or the same error, at the same line) as read whole, and JSON
//! documents either read or fail with a code.
#![no_main]

use dialback_core::wire::feed::{CallFeed, NdjsonReader};
use dialback_core::{DateRange, ErrorCode, Timestamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&size, input)) = data.split_first() else {
        return;
    };
    let whole = CallFeed::from_ndjson(input);
    let mut reader = NdjsonReader::new();
    let chunked = input
        .chunks(usize::from(size).max(1))
        .try_for_each(|c| reader.push(c))
        .and_then(|()| reader.finish());
    let range = DateRange::parse(
        Some("1970-01-01"),
        Some("2100-12-31"),
        None,
        Timestamp::EPOCH,
    )
    .unwrap_or_else(|_| unreachable!());
    match (whole, chunked) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.calls, b.calls);
            assert_eq!(a.callbacks.stats(&range), b.callbacks.stats(&range));
        }
        (Err(a), Err(b)) => {
            assert_eq!((a.code(), &a.location), (b.code(), &b.location));
        }
        (a, b) => panic!(
            "whole {:?} but chunked {:?}",
            a.map(|f| f.calls),
            b.map(|f| f.calls)
        ),
    }
    if let Err(e) = CallFeed::from_json(input) {
        assert!(!e.code().is_empty());
    }
});
