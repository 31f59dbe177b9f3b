//! The browser's `localStorage` as a [`Store`], turning its exceptions into [`StoreError`]s.
//!
//! Browsers fail in three ways: no `localStorage` at all (some workers, old
//! embedded views), a `SecurityError` on access when the visitor or the browser
//! disabled storage, and a `QuotaExceededError` on write when it is full. None
//! of them reaches the page: the session falls back to memory and says why.

use super::convert::prop;
use crate::store::{Store, StoreError};
use wasm_bindgen::{JsCast, JsValue};

/// `window.localStorage`, opened once.
pub struct LocalStorage {
    storage: web_sys::Storage,
}

/// The name of a thrown `DOMException` (`"SecurityError"`, `"QuotaExceededError"`, ...).
fn exception_name(err: &JsValue) -> Option<String> {
    prop(err, "name").as_string()
}

/// Maps a thrown value to the failure it stands for.
fn classify(err: &JsValue) -> StoreError {
    match exception_name(err).as_deref() {
        Some("QuotaExceededError") | Some("NS_ERROR_DOM_QUOTA_REACHED") => StoreError::Quota,
        Some("SecurityError") => StoreError::Denied,
        _ => StoreError::Unavailable,
    }
}

impl LocalStorage {
    /// Opens `window.localStorage`, or says why it cannot be used.
    pub fn open() -> Result<LocalStorage, StoreError> {
        let window = super::window();
        // Some browsers throw only on the first use: probe with a read.
        let storage = window
            .local_storage()
            .map_err(|e| classify(&e))?
            .ok_or(StoreError::Unavailable)?;
        storage
            .get_item("inkling:probe")
            .map_err(|e| classify(&e))?;
        Ok(LocalStorage { storage })
    }
}

impl Store for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.storage.get_item(key).map_err(|e| classify(&e))
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.storage.set_item(key, value).map_err(|e| classify(&e))
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.storage.remove_item(key).map_err(|e| classify(&e))
    }
}

/// `navigator.globalPrivacyControl === true`.
pub fn global_privacy_control() -> bool {
    let navigator: JsValue = super::window().navigator().into();
    prop(&navigator, "globalPrivacyControl").as_bool() == Some(true)
}

/// `navigator.locks` and its `request` method, when the Web Locks API is present.
pub fn web_locks() -> Option<(JsValue, js_sys::Function)> {
    let navigator: JsValue = super::window().navigator().into();
    let locks = prop(&navigator, "locks");
    let request = prop(&locks, "request")
        .dyn_into::<js_sys::Function>()
        .ok()?;
    Some((locks, request))
}
