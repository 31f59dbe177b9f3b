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
//! - [`session`] — the façade the JavaScript API wraps: consent gating, storage, measurement.
//! - [`json`] — the JSON reader every document goes through.
//! - [`hash`] — the id-to-position index of topics and campaigns, and its fast hasher.
//! - [`sort`] — the one index sort every ordering goes through.
//! - [`sorted_map`] — the small sorted map the profile and measurement state keep.
//! - [`error`] — the error type.
//!
//! ## Cargo features
//!
//! - `measurement` (default): the JavaScript boundary's private measurement
//!   (`configureMeasurement`, `flush`, `pendingReports`, `privacyBudget`). The npm
//!   package's `inkling/personalize` entry is built without it. It only gates the
//!   `wasm32` boundary: the core's [`measure`], [`ldp`] and [`report`] are always
//!   here, for the collector and the tests.
//!
//! ## Example
//!
//! A visitor who read two hiking stories on two days sees hiking first, and
//! every result says why in plain words:
//!
//! ```
//! use inkling::catalog::Catalog;
//! use inkling::profile::{Event, EventKind, Profile, ProfileConfig};
//! use inkling::rank::{rank, RankOptions};
//!
//! let catalog = Catalog::from_json(r#"{
//!   "topics": [{"id": "hiking", "label": "Hiking"}, {"id": "baking", "label": "Baking"}],
//!   "items": [
//!     {"id": "a1", "title": "Ridge walks", "topics": {"hiking": 1.0}, "popularity": 0.5},
//!     {"id": "a2", "title": "Sourdough", "topics": {"baking": 1.0}, "popularity": 0.5},
//!     {"id": "a3", "title": "Boots that last", "topics": {"hiking": 0.8}, "popularity": 0.5}
//!   ]}"#)?;
//! let config = ProfileConfig::default();
//! let mut profile = Profile::new();
//! let day = 86_400_000;
//! for (item, at_ms) in [("a1", 20_000 * day), ("a1", 20_001 * day)] {
//!     let event = Event { kind: EventKind::Click, item: item.into(), gift: false, at_ms };
//!     profile.record(&catalog, &event, &config)?;
//! }
//! let options = RankOptions { limit: 2, now_ms: 20_001 * day, ..RankOptions::default() };
//! let ranked = rank(Some(&profile), &catalog, &options);
//! assert_eq!(ranked[0].id, "a3"); // a1 was already read, so it is left out
//! assert!(ranked[0].reasons.iter().any(|r| r.text.contains("Hiking")));
//!
//! // Bad input is an error that names the place, never a panic.
//! let err = Catalog::from_json(r#"{"topics": [], "items": [{"id": "x", "topics": {"hikin": 1}}]}"#)
//!     .unwrap_err();
//! assert_eq!(err.path(), "/items/0/topics/hikin");
//! # Ok::<(), inkling::Error>(())
//! ```
#![deny(missing_docs)]

pub mod catalog;
pub mod consent;
pub mod error;
pub mod explain;
pub mod hash;
pub mod json;
pub mod ldp;
mod list;
mod math;
pub mod measure;
pub mod profile;
pub mod rank;
pub mod report;
pub mod session;
pub mod sort;
pub mod sorted_map;
pub mod store;
pub mod taxonomy;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::Error;

/// The version of this crate, as published in the npm package.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
