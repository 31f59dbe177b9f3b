//! # Inkling
//!
//! Personalization that runs on the visitor's own device. Inkling keeps a
//! visitor's interest profile under their control, ranks a site's catalog on
//! the device with a plain-words reason for every result, and sends back only
//! consented, locally differentially private aggregates.
//!
//! This crate is the pure core: it never touches JavaScript, the clock or
//! global randomness. Storage, time and randomness are passed in, so
//! everything here compiles and is tested natively. The `wasm` module (built
//! for `wasm32` only) is a thin boundary that exposes the core to JavaScript.
//!
//! ## Contents
//!
//! - [`catalog`] — the site's items and their validation.
//! - [`taxonomy`] — topics, their labels, parents and sensitivity.
//! - [`profile`] — the visitor's interest profile and the controls over it.
//! - [`rank`] — on-device ranking of the catalog.
//! - [`explain`] — reasons in words a visitor understands.
//! - [`consent`] — consent per purpose, with Global Privacy Control.
//! - [`ldp`] — local differential privacy mechanisms.
//! - [`measure`] — private measurement: daily reports, their privacy budget.
//! - [`report`] — the wire format shared with the collector.
//! - [`store`] — where the profile is kept, behind a trait.
//! - [`error`] — the error type.
#![deny(missing_docs)]

pub mod catalog;
pub mod consent;
pub mod error;
pub mod explain;
pub mod ldp;
pub mod measure;
pub mod profile;
pub mod rank;
pub mod report;
pub mod session;
pub mod sort;
pub mod store;
pub mod taxonomy;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::Error;

/// The version of this crate, as published in the npm package.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
