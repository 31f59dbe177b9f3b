//! Number conversions and functions the page already has, for the core's JSON text
//! (`json::shortest`, `json::float`) and its `math`: one call each instead of a copy of
//! the algorithm in the module.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// ECMAScript's `String(x)`: the shortest decimal text of `x` as JavaScript writes
    /// it (`0.00123`, `1.5e-7`, `1e+21`): the fewest digits that read back as `x`, the
    /// closest of them to `x`, the even one of two equally close (`Number::toString`).
    #[wasm_bindgen(js_name = String)]
    pub(crate) fn to_string(x: f64) -> String;

    /// ECMAScript's `parseFloat`: `text` (JSON number syntax) as the nearest double.
    /// Browsers round correctly at any length (V8, SpiderMonkey and JavaScriptCore all
    /// do, and the browser tests check it); the language only requires it up to 20
    /// significant digits.
    #[wasm_bindgen(js_name = parseFloat)]
    pub(crate) fn parse(text: &str) -> f64;

    /// `Math.exp`.
    #[wasm_bindgen(js_namespace = Math, js_name = exp)]
    pub(crate) fn exp(x: f64) -> f64;

    /// `Math.log`.
    #[wasm_bindgen(js_namespace = Math, js_name = log)]
    pub(crate) fn ln(x: f64) -> f64;
}
