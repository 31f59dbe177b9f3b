//! The JavaScript boundary: `#[wasm_bindgen]` wrappers over the core, nothing else.

use wasm_bindgen::prelude::*;

/// The version of the Inkling package.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    crate::version().to_string()
}
