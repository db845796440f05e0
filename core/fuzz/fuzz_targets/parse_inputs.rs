//! Every parser of user input, and callback config validation, on arbitrary bytes: none may
//! panic, and every error must carry a code.
#![no_main]

use dialback_core::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = PhoneNumber::parse_bytes(data);
    if let Err(e) = PhoneNumber::parse(&text) {
        assert_eq!(e.code(), "INVALID_PHONE_NUMBER");
    }
    if let Ok(t) = Timestamp::parse(&text) {
        assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
    }
    let _ = Zone::parse(&text);
    let _ = Period::parse(&text);
    let _ = AgentId::parse(&text);
    let _ = Caller::parse(Some(&text));
    let mut parts = text.splitn(3, '|');
    let (a, b, c) = (parts.next(), parts.next(), parts.next());
    if let Ok(range) = DateRange::parse(a, b, c, Timestamp::EPOCH) {
        let (lo, hi) = range.instants();
        assert!(lo <= hi);
        let _ = ActivityLog::new().daily(&range);
    }
    if let Ok(body) = serde_json::from_slice::<serde_json::Value>(data) {
        let dir = AgentDirectory::new([
            Agent {
                id: AgentId::from_u128(1),
                name: "In".into(),
                direction: Direction::Inbound,
                phone_numbers: vec![],
                callback_config: None,
            },
            Agent {
                id: AgentId::from_u128(2),
                name: "Out".into(),
                direction: Direction::Outbound,
                phone_numbers: vec![],
                callback_config: None,
            },
        ])
        .unwrap_or_default();
        let target = AgentId::from_u128(1).to_string();
        if let Err(errors) = validate_callback_config(&target, &body, &dir) {
            assert!(!errors.is_empty() && errors.iter().all(|e| !e.code().is_empty()));
        }
    }
});
