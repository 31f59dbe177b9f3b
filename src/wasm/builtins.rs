//! The JavaScript built-ins the boundary calls (`Reflect`, `JSON`, `Object.keys`, typed
//! arrays, `Function.prototype.call`, the error constructors, `crypto.getRandomValues`),
//! imported here one by one with the same JavaScript behind each as js-sys has.
//!
//! Why not js-sys: linked into the module, it brings more than the bindings used. Each of
//! its bindings that takes a closure keeps that closure type's calling code in the
//! function table, and its JSPI task runner is an export whose waker functions stay in
//! the table after wasm-bindgen removes the export: code no call reaches but nothing can
//! remove. Linking js-sys with none of its functions called cost 0.4 KB of the package
//! (gzip, measured).

use std::fmt;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Reflect.get(target, key)`, or what it threw (on a non-object).
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    pub fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;

    /// `Reflect.set(target, key, value)`, or what it threw.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = set)]
    pub fn reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> Result<bool, JsValue>;

    /// `JSON.parse(text)`, or its `SyntaxError`.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub fn json_parse(text: &str) -> Result<JsValue, JsValue>;

    /// `JSON.stringify(value)`: a string, `undefined` for what JSON cannot hold, or what
    /// it threw (a cycle, a BigInt, a throwing `toJSON`).
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = stringify)]
    pub fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;

    /// `Promise.resolve(value)`.
    #[wasm_bindgen(js_namespace = Promise, js_name = resolve)]
    pub fn promise_resolve(value: &JsValue) -> JsValue;

    /// `Date.now()`: epoch milliseconds.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub fn date_now() -> f64;

    /// `Math.random()`.
    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    pub fn math_random() -> f64;

    /// `crypto.getRandomValues(bytes)`: the platform's cryptographic source, written
    /// straight into module memory, or what it threw (no `crypto` in this context).
    #[wasm_bindgen(catch, js_namespace = ["globalThis", "crypto"], js_name = getRandomValues)]
    fn get_random_values(bytes: &mut [u8]) -> Result<(), JsValue>;

    /// A JavaScript array.
    pub type Array;

    /// `Array.isArray(value)`.
    #[wasm_bindgen(static_method_of = Array, js_name = isArray)]
    pub fn is_array(value: &JsValue) -> bool;

    /// `Object.keys(value)`: its own enumerable string keys.
    #[wasm_bindgen(js_namespace = Object, js_name = keys)]
    pub fn object_keys(value: &JsValue) -> Array;

    /// `array.length`; a typed array's too (`length` is read by name), so one import
    /// serves all three instead of one each.
    #[wasm_bindgen(method, structural, getter)]
    pub fn length(this: &Array) -> u32;

    /// `array[index]`.
    #[wasm_bindgen(method, structural, indexing_getter)]
    pub fn get(this: &Array, index: u32) -> JsValue;

    /// A function: `typeof value === "function"`, from any realm.
    #[wasm_bindgen(is_type_of = JsValue::is_function)]
    pub type Function;

    /// `f.call(context, a, b)`, or what it threw.
    #[wasm_bindgen(catch, method, js_name = call)]
    pub fn call2(
        this: &Function,
        context: &JsValue,
        a: &JsValue,
        b: &JsValue,
    ) -> Result<JsValue, JsValue>;

    /// A `Uint8Array` (`instanceof`).
    #[wasm_bindgen(typescript_type = "Uint8Array")]
    #[derive(Debug)]
    pub type Uint8Array;

    /// `new Uint8Array(bytes)`: a copy of `bytes`.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Uint8Array;

    /// `Uint8Array.prototype.set.call(into, from)`: `from` copied into module memory.
    #[wasm_bindgen(static_method_of = Uint8Array, js_name = "prototype.set.call")]
    fn copy_into(into: &mut [u8], from: &Uint8Array);

    /// A `Float32Array` (`instanceof`).
    pub type Float32Array;

    /// `Float32Array.prototype.set.call(into, from)`, as for bytes.
    #[wasm_bindgen(static_method_of = Float32Array, js_name = "prototype.set.call")]
    fn copy_into(into: &mut [f32], from: &Float32Array);

    /// A JavaScript string, for a method that returns one: typed `string` in the `.d.ts`.
    #[wasm_bindgen(typescript_type = "string")]
    #[derive(Clone, PartialEq, Eq)]
    pub type JsString;

    type TypeError;

    /// `new TypeError(message)`.
    #[wasm_bindgen(constructor, js_class = TypeError)]
    fn new(message: &str) -> TypeError;

    type RangeError;

    /// `new RangeError(message)`.
    #[wasm_bindgen(constructor, js_class = RangeError)]
    fn new(message: &str) -> RangeError;

    #[wasm_bindgen(js_name = Error)]
    type PlainError;

    /// `new Error(message)`.
    #[wasm_bindgen(constructor, js_class = Error)]
    fn new(message: &str) -> PlainError;
}

/// Fills `bytes` from `crypto.getRandomValues`; `false`, with `bytes` left as they
/// were, where it is missing or throws. One import of the module's own, where the
/// `getrandom` crate added its byte-filling loop and error type around the same call.
pub fn random_bytes(bytes: &mut [u8]) -> bool {
    get_random_values(bytes).is_ok()
}

/// `new TypeError(message)`.
pub fn type_error(message: &str) -> JsValue {
    TypeError::new(message).into()
}

/// `new RangeError(message)`.
pub fn range_error(message: &str) -> JsValue {
    RangeError::new(message).into()
}

/// `new Error(message)`.
pub fn error(message: &str) -> JsValue {
    PlainError::new(message).into()
}

impl Uint8Array {
    /// The bytes, copied into a vector in one call.
    pub fn to_vec(&self) -> Vec<u8> {
        filled(self.unchecked_ref::<Array>().length() as usize, |into| {
            Uint8Array::copy_into(into, self)
        })
    }
}

impl Float32Array {
    /// The numbers, copied into a vector in one call.
    pub fn to_vec(&self) -> Vec<f32> {
        filled(self.unchecked_ref::<Array>().length() as usize, |into| {
            Float32Array::copy_into(into, self)
        })
    }
}

/// A vector of `len` numbers, all written by `copy` (a typed array's `set`, which
/// writes as many as the array holds). Zeroed first, so no reference ever points at
/// uninitialized memory: the zeroed allocation costs little beside the copy.
fn filled<T: Copy + Default>(len: usize, copy: impl FnOnce(&mut [T])) -> Vec<T> {
    let mut out = vec![T::default(); len];
    copy(&mut out);
    out
}

/// The text, for Rust callers (the browser tests compare results with it).
impl From<JsString> for String {
    fn from(s: JsString) -> String {
        s.as_string().unwrap_or_default()
    }
}

impl PartialEq<&str> for JsString {
    fn eq(&self, other: &&str) -> bool {
        self.as_string().as_deref() == Some(*other)
    }
}

impl fmt::Debug for JsString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.as_string(), f)
    }
}
