//! The zone table in force: which tz database release answers, and loading a newer one.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use dialback_core::{OlderTables, Tzdata, Zone};

use crate::boundary::{Failure, with_bytes};

/// The IANA tz database release in force, such as `2026f`: the one compiled in
/// (`TZDATA_VERSION`) unless `loadTzdata` put another in force since.
#[wasm_bindgen(js_name = tzdataVersion)]
pub fn tzdata_version() -> String {
    Zone::database_version().to_owned()
}

/// Puts a zone table in force for every later call of the module: periods, stats ranges,
/// daily buckets. `table` is a table in Dialback's compact form (`GET /tzdata` of a Dialback
/// server, or `dialback tzdata compile --from /usr/share/zoneinfo`).
///
/// A table older than the one compiled in is refused (`TZDATA_OLDER`) unless
/// `{ allowOlder: true }`. A damaged one is refused whole (`TZDATA_MALFORMED`, ...) and the
/// table in force stays. Names the table lacks (tables Dialback writes have them all) keep
/// answering as before. Resolves to `{ version, zones }`.
#[wasm_bindgen(js_name = loadTzdata, unchecked_return_type = "TzdataLoaded")]
pub fn load_tzdata(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] table: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "LoadTzdataOptions | undefined")] options: &JsValue,
) -> Result<JsValue, JsValue> {
    // read by hand rather than through serde: this export is rarely called, and serde's code
    // for two small shapes would cost the package more than the rest of it
    let allow = if options.is_undefined() || options.is_null() {
        JsValue::FALSE
    } else {
        // throws for a value that is not an object, which is refused below too
        Reflect::get(options, &"allowOlder".into()).unwrap_or(JsValue::NULL)
    };
    let allow_older = match allow.as_bool() {
        Some(b) => b,
        None if allow.is_undefined() => false,
        None => {
            let why = "options must be { allowOlder: true | false }";
            return Err(Failure::new("INVALID_ARGUMENT", why).into());
        }
    };
    let table = with_bytes(table, Tzdata::from_compact)?.map_err(|e| Failure::core(&e))?;
    let older = if allow_older {
        OlderTables::Allow
    } else {
        OlderTables::Refuse
    };
    let installed = table.install(older).map_err(|e| Failure::core(&e))?;
    let result = Object::new();
    let _ = Reflect::set(&result, &"version".into(), &installed.version.into());
    let _ = Reflect::set(&result, &"zones".into(), &(installed.zones as f64).into());
    Ok(result.into())
}
