//! `exp` and `ln`, the two transcendental functions the engine uses (decay, and the
//! privacy mechanisms' probabilities).
//!
//! In the package they are the page's `Math.exp` and `Math.log` rather than a compiled-in
//! copy (0.4 KB gzipped); natively, the standard library's. Like every platform's, they
//! may differ from another's in the last bit (the browser tests bound it to one unit),
//! which is why report checks compare probabilities within a tolerance (`report.rs`).

/// `e^x`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn exp(x: f64) -> f64 {
    x.exp()
}

/// The natural logarithm of `x`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn ln(x: f64) -> f64 {
    x.ln()
}

#[cfg(target_arch = "wasm32")]
pub(crate) use crate::wasm::numbers::{exp, ln};
