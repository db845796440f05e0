//! Calendar periods, zones and the other small parsers.

use tsify::Ts;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use dialback_core::phone::PhoneError;
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

/// `usagePeriod` for many inputs at once: `periods[i]`, `zones[i]` and `instants[i]` give the
/// `i`th result. The inputs cross into wasm together and the results come back together, and
/// each zone is looked up once. Throws as `usagePeriod` does, naming the first bad index
/// (`usagePeriods[3]: ...`; `INVALID_ARGUMENT` when the arrays differ in length).
#[wasm_bindgen(js_name = usagePeriods, unchecked_return_type = "PeriodBounds[]")]
pub fn usage_periods(
    #[wasm_bindgen(unchecked_param_type = "PeriodName[]")] periods: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "ZoneName[]")] zones: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Rfc3339[]")] instants: &JsValue,
) -> Result<JsValue, JsValue> {
    let packed = pack_many(periods, zones, instants);
    if packed.is_null() {
        return usage_periods_slowly(periods, zones, instants);
    }
    let get = |name: &str| {
        js_sys::Reflect::get(&packed, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    };
    let bytes = js_sys::Uint8Array::new(&get("bytes")).to_vec();
    let ends = js_sys::Uint32Array::new(&get("ends")).to_vec();
    let n = ends.len() / 3;
    let mut known: std::collections::HashMap<&str, Zone> = std::collections::HashMap::new();
    let mut out = vec![0u8; 41 * n];
    let mut from = 0usize;
    for (i, (e, cell)) in ends
        .chunks_exact(3)
        .zip(out.chunks_exact_mut(41))
        .enumerate()
    {
        let at = |e: Failure| -> JsValue { e.at(&format!("usagePeriods[{i}]")).into() };
        let &[p, z, t] = e else { continue };
        let (p, z, t) = (p as usize, z as usize, t as usize);
        let text = |r: std::ops::Range<usize>| {
            bytes
                .get(r)
                .and_then(|s| std::str::from_utf8(s).ok())
                .unwrap_or_default()
        };
        let period = Period::parse(text(from..p)).map_err(|e| at(Failure::core(&e)))?;
        let name = text(p..z);
        let zone = match known.get(name) {
            Some(zone) => *zone,
            None => {
                let zone = Zone::parse(name).map_err(|e| at(Failure::core(&e)))?;
                known.insert(name, zone);
                zone
            }
        };
        let now = Timestamp::parse(text(z..t)).map_err(|e| at(Failure::core(&e)))?;
        from = t;
        let b = core_usage_period(period, zone, now);
        if let [index, rest @ ..] = cell {
            *index = b.period as u8;
            let (start, end) = rest.split_at_mut(20);
            start.copy_from_slice(b.period_start.rfc3339().as_str().as_bytes());
            end.copy_from_slice(b.period_end.rfc3339().as_str().as_bytes());
        }
    }
    Ok(MEMORY.with(|m| make_many(m, out.as_ptr() as usize as u32, n as u32)))
}

/// The general path of `usagePeriods`, for inputs that are not all ASCII strings: each is read
/// and checked on its own, so the error names it.
fn usage_periods_slowly(
    periods: &JsValue,
    zones: &JsValue,
    instants: &JsValue,
) -> Result<JsValue, JsValue> {
    let array = |v: &JsValue, name: &str| {
        v.dyn_ref::<js_sys::Array>()
            .cloned()
            .ok_or_else(|| Failure::new("INVALID_ARGUMENT", format!("{name}: expected an array")))
    };
    let (periods, zones, instants) = (
        array(periods, "periods")?,
        array(zones, "zones")?,
        array(instants, "instants")?,
    );
    let n = periods.length();
    if zones.length() != n || instants.length() != n {
        return Err(Failure::new(
            "INVALID_ARGUMENT",
            "periods, zones and instants must have the same length",
        )
        .into());
    }
    let out = js_sys::Array::new();
    for i in 0..n {
        let at = |e: Failure| -> JsValue { e.at(&format!("usagePeriods[{i}]")).into() };
        let b = bounds(
            &string(&periods.get(i), "period", "INVALID_PERIOD").map_err(at)?,
            &string(&zones.get(i), "tz", "INVALID_TIMEZONE").map_err(at)?,
            &string(&instants.get(i), "now", "INVALID_TIMESTAMP").map_err(at)?,
        )
        .map_err(at)?;
        let mut text = [0u8; 40];
        let (start, end) = text.split_at_mut(20);
        start.copy_from_slice(b.period_start.rfc3339().as_str().as_bytes());
        end.copy_from_slice(b.period_end.rfc3339().as_str().as_bytes());
        out.push(&MEMORY.with(|m| make_bounds(m, b.period as u8, text.as_ptr() as usize as u32)));
    }
    Ok(out.into())
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
    fn pack_many(periods: &JsValue, zones: &JsValue, instants: &JsValue) -> JsValue;
    fn make_many(memory: &JsValue, ptr: u32, n: u32) -> JsValue;
}

/// Every IANA zone name the package knows, sorted.
#[wasm_bindgen(js_name = zoneNames, unchecked_return_type = "string[]")]
pub fn zone_names() -> js_sys::Array {
    // built here rather than as a `Vec<String>`: no copies of 597 names on the way out
    Zone::all_names().map(JsValue::from_str).collect()
}

/// A phone number in E.164 (`+14155550100`); throws `INVALID_PHONE_NUMBER`.
#[wasm_bindgen(js_name = parsePhoneNumber)]
pub fn parse_phone_number(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<String, JsValue> {
    let input = string(&input, "phone number", PhoneError::CODE)?;
    Ok(PhoneNumber::parse(&input)
        .map_err(|e| Failure::core(&e))?
        .to_string())
}
