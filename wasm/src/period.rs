//! Calendar periods, zones and the other small parsers.

use tsify::Ts;
use wasm_bindgen::prelude::*;

use dialback_core::{Period, PhoneNumber, Timestamp, Zone, usage_period as core_usage_period};

use crate::boundary::{Failure, string};
use crate::types::PeriodBounds;

/// The calendar week (Monday first), month or year containing `now` in the zone `tz`, as UTC
/// instants: `periodStart` is the first instant of the period's first local day, `periodEnd`
/// the last whole second before the next period starts (so both are inside the period).
///
/// Throws `INVALID_PERIOD`, `INVALID_TIMEZONE` or `INVALID_TIMESTAMP`.
#[wasm_bindgen(js_name = usagePeriod)]
pub fn usage_period(
    #[wasm_bindgen(unchecked_param_type = "PeriodName")] period: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "ZoneName")] tz: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Rfc3339")] now: &JsValue,
) -> Result<Ts<PeriodBounds>, JsValue> {
    // plain `JsValue`s, typed by the generated declarations (`Ts` would clone each handle)
    let mut scratch = [0u8; 160];
    let packed = MEMORY.with(|memory| {
        read_args(
            memory,
            scratch.as_mut_ptr() as usize as u32,
            scratch.len() as u32,
            period,
            tz,
            now,
        )
    });
    let bounds = match u32::try_from(packed) {
        Ok(packed) => {
            let len = |shift: u32| (packed >> shift & 0x3ff) as usize;
            let (a, b, c) = (len(0), len(0) + len(10), len(0) + len(10) + len(20));
            let text = |r: std::ops::Range<usize>| {
                scratch
                    .get(r)
                    .and_then(|s| std::str::from_utf8(s).ok())
                    .unwrap_or_default()
            };
            bounds(text(0..a), text(a..b), text(b..c))?
        }
        Err(_) => bounds(
            &string(period, "period", "INVALID_PERIOD")?,
            &string(tz, "tz", "INVALID_TIMEZONE")?,
            &string(now, "now", "INVALID_TIMESTAMP")?,
        )?,
    };
    let mut out = [0u8; 40];
    let (start, end) = out.split_at_mut(20);
    start.copy_from_slice(bounds.period_start.rfc3339().as_str().as_bytes());
    end.copy_from_slice(bounds.period_end.rfc3339().as_str().as_bytes());
    let result = MEMORY.with(|m| make_bounds(m, bounds.period as u8, out.as_ptr() as usize as u32));
    Ok(Ts::new_unchecked(result))
}

fn bounds(period: &str, tz: &str, now: &str) -> Result<dialback_core::PeriodBounds, Failure> {
    let period = Period::parse(period).map_err(|e| Failure::core(&e))?;
    let zone = Zone::parse(tz).map_err(|e| Failure::core(&e))?;
    let now = Timestamp::parse(now).map_err(|e| Failure::core(&e))?;
    Ok(core_usage_period(period, zone, now))
}

thread_local! {
    /// The module's memory, fetched once.
    static MEMORY: JsValue = wasm_bindgen::memory();
}

#[wasm_bindgen(module = "/src/period.js")]
extern "C" {
    fn read_args(
        memory: &JsValue,
        ptr: u32,
        cap: u32,
        period: &JsValue,
        tz: &JsValue,
        now: &JsValue,
    ) -> i32;
    fn make_bounds(memory: &JsValue, period: u8, ptr: u32) -> JsValue;
}

/// Every IANA zone name the package knows, sorted.
#[wasm_bindgen(js_name = zoneNames)]
pub fn zone_names() -> Vec<String> {
    Zone::all_names().map(str::to_owned).collect()
}

/// The IANA tz database release compiled in, such as `2025b`.
#[wasm_bindgen(js_name = tzdataVersion)]
pub fn tzdata_version() -> String {
    Zone::database_version().to_owned()
}

/// A phone number in E.164 (`+14155550100`); throws `INVALID_PHONE_NUMBER`.
#[wasm_bindgen(js_name = parsePhoneNumber)]
pub fn parse_phone_number(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<String, JsValue> {
    let input = string(&input, "phone number", "INVALID_PHONE_NUMBER")?;
    Ok(PhoneNumber::parse(&input)
        .map_err(|e| Failure::core(&e))?
        .to_string())
}
