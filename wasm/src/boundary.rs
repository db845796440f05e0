//! Crossing the boundary safely: every value from JavaScript is checked here, every failure
//! becomes a thrown `Error` with a stable `code`, and nothing on these paths can panic (a
//! panic in wasm traps and leaves the instance unusable for every later call).

use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

use dialback_core::ErrorCode;
use dialback_core::wire::FieldError;

/// The most bytes one call accepts (1 GiB), so a runaway input is refused with a code instead
/// of exhausting the 4 GiB address space mid-parse.
pub const MAX_INPUT_BYTES: u32 = 1 << 30;

/// A failure on its way to becoming a thrown `Error`.
#[derive(Debug)]
pub struct Failure {
    code: String,
    message: String,
    errors: Vec<FieldError>,
}

impl Failure {
    /// A failure with a code and a message.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Failure {
            code: code.to_owned(),
            message: message.into(),
            errors: Vec::new(),
        }
    }

    /// The first of several problems, with all of them attached as `errors`.
    pub fn many(errors: Vec<FieldError>) -> Self {
        let (code, message) = match errors.first() {
            Some(e) => (e.code.clone(), e.message.clone()),
            None => ("INVALID_ARGUMENT".to_owned(), "invalid input".to_owned()),
        };
        Failure {
            code,
            message,
            errors,
        }
    }

    /// Any core error.
    pub fn core(e: &impl ErrorCode) -> Self {
        Failure::new(e.code(), e.to_string())
    }

    /// The same failure, its message prefixed with where it happened (`usagePeriods[3]`).
    pub fn at(mut self, location: &str) -> Self {
        self.message = format!("{location}: {}", self.message);
        self
    }

    /// The code, for tests.
    pub fn code(&self) -> &str {
        &self.code
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        let error = js_sys::Error::new(&f.message);
        error.set_name("DialbackError");
        // Setting a property on a fresh Error object cannot fail; if it somehow did, the
        // Error still carries the message.
        let _ = Reflect::set(&error, &"code".into(), &f.code.as_str().into());
        if !f.errors.is_empty()
            && let Ok(list) = to_js(&f.errors)
        {
            let _ = Reflect::set(&error, &"errors".into(), &list);
        }
        error.into()
    }
}

/// A string argument; anything else fails with `code`.
pub fn string(value: &JsValue, name: &str, code: &str) -> Result<String, Failure> {
    value.as_string().ok_or_else(|| {
        Failure::new(
            code,
            format!("{name} must be a string, got {}", type_of(value)),
        )
    })
}

/// An optional string argument (`undefined` or `null` → `None`).
pub fn optional_string(value: &JsValue, name: &str, code: &str) -> Result<Option<String>, Failure> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        string(value, name, code).map(Some)
    }
}

/// A structured argument, read through serde; `code` names what it should have been.
///
/// Arguments cross as JSON text (`JSON.stringify`, then serde_json), not through
/// serde-wasm-bindgen: a cyclic or absurdly deep object then fails in `JSON.stringify`, or at
/// serde_json's nesting limit, with an error, where walking it recursively in wasm would
/// overflow the stack, which in wasm corrupts memory silently. Values JSON cannot hold
/// (`undefined`, a `BigInt`, a `Symbol`) are reported, not guessed.
pub fn from_js<T: DeserializeOwned>(value: JsValue, name: &str, code: &str) -> Result<T, Failure> {
    let text = json_text(&value).ok_or_else(|| {
        Failure::new(
            code,
            format!("{name}: expected a JSON value, got {}", type_of(&value)),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| Failure::new(code, format!("{name}: {e}")))
}

/// `JSON.stringify(value)`, or `None` when it throws or gives `undefined`.
pub fn json_text(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|t| t.as_string())
}

/// A result, as plain JSON-like objects (maps as objects, no `Map`, numbers as numbers).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Failure::new("INTERNAL", format!("could not convert the result: {e}")))
}

/// A large result (thousands of objects), as [`to_js`] gives it but made from JSON text:
/// serde_json writes it in wasm and `JSON.parse` builds every object in one crossing, where
/// [`to_js`] crosses the boundary for each property and each string.
pub fn to_js_many<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Failure> {
    let text = serde_json::to_string(value)
        .map_err(|e| Failure::new("INTERNAL", format!("could not convert the result: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| Failure::new("INTERNAL", "could not convert the result"))
}

/// How much of a large input is copied into wasm memory at a time.
const CHUNK: u32 = 1 << 22;

/// Feeds bytes from a `Uint8Array`, an `ArrayBuffer` or a string to `read` in pieces of at
/// most 4 MiB: a large input is never copied into wasm memory whole, so memory stays the
/// size of what is kept from it, and each piece is read while it is still in cache.
pub fn in_chunks<E>(
    value: &JsValue,
    mut read: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<Result<(), E>, Failure> {
    if let Some(s) = value.as_string() {
        return Ok(read(s.as_bytes()));
    }
    let array = typed_array(value)?;
    let len = array.length();
    let mut buffer: Vec<u8> = Vec::new();
    buffer
        .try_reserve_exact(len.min(CHUNK) as usize)
        .map_err(|_| Failure::new("OUT_OF_MEMORY", "no room for the input in wasm memory"))?;
    let mut start = 0;
    while start < len {
        let end = len.min(start.saturating_add(CHUNK));
        let spare = buffer.spare_capacity_mut();
        let piece = array
            .subarray(start, end)
            .copy_to_uninit(spare.get_mut(..(end - start) as usize).unwrap_or_default());
        if let Err(e) = read(piece) {
            return Ok(Err(e));
        }
        start = end;
    }
    Ok(Ok(()))
}

fn typed_array(value: &JsValue) -> Result<Uint8Array, Failure> {
    if let Some(a) = value.dyn_ref::<Uint8Array>() {
        Ok(a.clone())
    } else if let Some(b) = value.dyn_ref::<ArrayBuffer>() {
        Ok(Uint8Array::new(b))
    } else {
        Err(Failure::new(
            "INVALID_ARGUMENT",
            format!(
                "expected a Uint8Array, an ArrayBuffer or a string, got {}",
                type_of(value)
            ),
        ))
    }
}

/// Runs `read` over bytes from a `Uint8Array`, an `ArrayBuffer` or a string, copied once into
/// wasm memory (reserved first, so a input too big for memory is an error, not a trap).
pub fn with_bytes<R>(value: &JsValue, read: impl FnOnce(&[u8]) -> R) -> Result<R, Failure> {
    if let Some(s) = value.as_string() {
        return Ok(read(s.as_bytes()));
    }
    let array = typed_array(value)?;
    let len = array.length();
    if len > MAX_INPUT_BYTES {
        return Err(Failure::new(
            "INPUT_TOO_LARGE",
            format!(
                "{len} bytes is more than the {MAX_INPUT_BYTES} one call accepts; split the input"
            ),
        ));
    }
    let mut buffer: Vec<u8> = Vec::new();
    buffer.try_reserve_exact(len as usize).map_err(|_| {
        Failure::new(
            "OUT_OF_MEMORY",
            format!("no room for {len} bytes in wasm memory"),
        )
    })?;
    let spare = buffer.spare_capacity_mut();
    let bytes = array.copy_to_uninit(spare.get_mut(..len as usize).unwrap_or_default());
    Ok(read(bytes))
}

fn type_of(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_owned()
    } else if js_sys::Array::is_array(value) {
        "an array".to_owned()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}
