//! Tests in a real browser (headless Chromium), through the JavaScript boundary.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn version_reaches_javascript() {
    assert_eq!(inkling::version(), env!("CARGO_PKG_VERSION"));
    let window = web_sys::window().expect("a window");
    assert!(window.local_storage().is_ok());
}
