//! Where the profile is kept, behind a trait.
//!
//! A [`Store`] is a small string key/value store (in the browser it is
//! `localStorage`; natively and in tests a [`MemoryStore`]). Its errors say
//! whether storage is unavailable (missing or denied) or full, so the session
//! can fall back to memory and say why.
//!
//! One key per site, `inkling:<siteId>`, holds a versioned [`document`]. Writes
//! go first to `inkling:<siteId>:next` and then to the main key, so a failed
//! write leaves the previous document readable; a document that cannot be read
//! is kept under `inkling:<siteId>:quarantine` for inspection.

pub mod document;
pub mod memory;
pub mod migrate;
pub mod slot;

use crate::text::concat;

pub use memory::MemoryStore;

/// Why a store operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// Storage does not exist here (no `localStorage`, or not in a browser).
    Unavailable,
    /// Storage exists but access is refused (`SecurityError`: storage disabled by the visitor or the browser).
    Denied,
    /// The write did not fit (`QuotaExceededError`).
    Quota,
}

impl StoreError {
    /// A stable, short code for `status().reason`: `unavailable`, `denied` or `quota`.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Unavailable => "unavailable",
            StoreError::Denied => "denied",
            StoreError::Quota => "quota",
        }
    }
}

/// A string key/value store.
pub trait Store {
    /// The value under `key`, or `None` when there is none.
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Sets `key` to `value`; on error the previous value is unchanged.
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    /// Removes `key` (no error when it is absent).
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
}

/// The keys of one site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    /// `inkling:<siteId>`: the current document.
    pub main: String,
    /// `inkling:<siteId>:next`: the document being written, before the switch.
    pub next: String,
    /// `inkling:<siteId>:quarantine`: a document that could not be read, kept for inspection.
    pub quarantine: String,
}

impl Keys {
    /// The keys for `site_id`.
    pub fn for_site(site_id: &str) -> Keys {
        let main = concat(&["inkling:", site_id]);
        Keys {
            next: concat(&[main.as_str(), ":next"]),
            quarantine: concat(&[main.as_str(), ":quarantine"]),
            main,
        }
    }
}
