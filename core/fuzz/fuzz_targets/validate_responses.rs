//! The response validators on any JSON a server might send: they report, never panic.
#![no_main]

use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::talkover::{CallbackStatsData, Envelope};
use dialback_core::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(stats) = serde_json::from_slice::<Envelope<CallbackStatsData>>(data) {
        let _ = validate_callback_stats(&stats.data);
    }
    if let Ok(stats) = serde_json::from_slice::<CallbackStatsData>(data) {
        let _ = validate_callback_stats(&stats);
    }
    if let Ok(usage) = serde_json::from_slice::<UsageByAgentResponse>(data) {
        let _ = validate_usage_by_agent(&usage, None);
        for zone in ["UTC", "Pacific/Apia", "America/Havana"] {
            let _ = validate_usage_by_agent(&usage, Zone::parse(zone).ok());
        }
    }
});
