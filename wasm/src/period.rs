//! Calendar periods, zones and the other small parsers.

use tsify::Ts;
use wasm_bindgen::prelude::*;

use dialback_core::{Period, PhoneNumber, Timestamp, Zone, usage_period as core_usage_period};

use crate::boundary::{Failure, string, to_js};
use crate::types::{PeriodBounds, PeriodName, Rfc3339, ZoneName};

/// The calendar week (Monday first), month or year containing `now` in the zone `tz`, as UTC
/// instants: `periodStart` is the first instant of the period's first local day, `periodEnd`
/// the last whole second before the next period starts (so both are inside the period).
///
/// Throws `INVALID_PERIOD`, `INVALID_TIMEZONE` or `INVALID_TIMESTAMP`.
#[wasm_bindgen(js_name = usagePeriod)]
pub fn usage_period(
    period: Ts<PeriodName>,
    tz: Ts<ZoneName>,
    now: Ts<Rfc3339>,
) -> Result<Ts<PeriodBounds>, JsValue> {
    let period = string(&period.js_value(), "period", "INVALID_PERIOD")?;
    let tz = string(&tz.js_value(), "tz", "INVALID_TIMEZONE")?;
    let now = string(&now.js_value(), "now", "INVALID_TIMESTAMP")?;
    let period = Period::parse(&period).map_err(|e| Failure::core(&e))?;
    let zone = Zone::parse(&tz).map_err(|e| Failure::core(&e))?;
    let now = Timestamp::parse(&now).map_err(|e| Failure::core(&e))?;
    let bounds = core_usage_period(period, zone, now);
    Ok(Ts::new_unchecked(to_js(&bounds)?))
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
