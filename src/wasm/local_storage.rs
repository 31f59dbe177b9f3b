//! The browser's `localStorage` as a [`Store`], turning its exceptions into [`StoreError`]s.
//!
//! Browsers fail in three ways: no `localStorage` at all (some workers, old
//! embedded views), a `SecurityError` on access when the visitor or the browser
//! disabled storage, and a `QuotaExceededError` on write when it is full. None
//! of them reaches the page: the session falls back to memory and says why.
//!
//! The storage and `navigator` are reached by property and method name ([`prop`],
//! [`call`]) rather than through `web_sys`' typed bindings: those are an import
//! and its glue apiece, where these calls share the two the boundary has anyway.

use super::convert::{call, prop, UNDEFINED};
use crate::store::{Store, StoreError};
use wasm_bindgen::JsValue;

/// `window.localStorage`, opened once, or the reason it cannot be used: every
/// operation then reports it, and the session stays in memory.
pub struct LocalStorage {
    storage: Result<JsValue, StoreError>,
}

/// The name of a thrown `DOMException` (`"SecurityError"`, `"QuotaExceededError"`, ...).
fn exception_name(err: &JsValue) -> Option<String> {
    prop(err, "name").as_string()
}

/// Maps a thrown value to the failure it stands for.
fn classify(err: JsValue) -> StoreError {
    match exception_name(&err).as_deref() {
        Some("QuotaExceededError") | Some("NS_ERROR_DOM_QUOTA_REACHED") => StoreError::Quota,
        Some("SecurityError") => StoreError::Denied,
        _ => StoreError::Unavailable,
    }
}

impl LocalStorage {
    /// Opens `window.localStorage`, or keeps why it cannot be used.
    pub fn open() -> LocalStorage {
        // Reading the property itself throws where storage is disabled.
        let storage = match super::builtins::reflect_get(&super::global(), &"localStorage".into()) {
            Ok(s) if s.is_null_or_undefined() => Err(StoreError::Unavailable),
            Ok(s) => Ok(s),
            Err(e) => Err(classify(e)),
        };
        let mut opened = LocalStorage { storage };
        // Some browsers throw only on the first use: probe with a read.
        if let Err(e) = opened.get("inkling:probe") {
            opened.storage = Err(e);
        }
        opened
    }

    /// `localStorage[method](key, value)`, its exception classified.
    fn call(&self, method: &str, key: &str, value: &JsValue) -> Result<JsValue, StoreError> {
        let storage = self.storage.as_ref().map_err(StoreError::clone)?;
        call(storage, method, &JsValue::from_str(key), value).map_err(classify)
    }
}

impl Store for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        // `null` for a missing key.
        Ok(self.call("getItem", key, UNDEFINED)?.as_string())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.call("setItem", key, &JsValue::from_str(value))?;
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.call("removeItem", key, UNDEFINED)?;
        Ok(())
    }
}

/// `navigator`, or `undefined` where the global object has none.
pub fn navigator() -> JsValue {
    prop(&super::global(), "navigator")
}

/// `navigator.globalPrivacyControl === true`.
pub fn global_privacy_control() -> bool {
    prop(&navigator(), "globalPrivacyControl").as_bool() == Some(true)
}

/// `navigator.locks`, when the Web Locks API is present (`undefined` otherwise).
pub fn web_locks() -> JsValue {
    prop(&navigator(), "locks")
}
