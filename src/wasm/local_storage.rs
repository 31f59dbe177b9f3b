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

use super::convert::{call, prop};
use crate::store::{Store, StoreError};
use wasm_bindgen::JsValue;

/// `window.localStorage`, opened once.
pub struct LocalStorage {
    storage: JsValue,
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
    /// Opens `window.localStorage`, or says why it cannot be used.
    pub fn open() -> Result<LocalStorage, StoreError> {
        // Reading the property itself throws where storage is disabled.
        let storage = js_sys::Reflect::get(&super::global(), &JsValue::from_str("localStorage"))
            .map_err(classify)?;
        if storage.is_null_or_undefined() {
            return Err(StoreError::Unavailable);
        }
        let storage = LocalStorage { storage };
        // Some browsers throw only on the first use: probe with a read.
        storage.get("inkling:probe")?;
        Ok(storage)
    }

    /// `localStorage[method](key, value)`, its exception classified.
    fn call(&self, method: &str, key: &str, value: &JsValue) -> Result<JsValue, StoreError> {
        call(&self.storage, method, &JsValue::from_str(key), value).map_err(classify)
    }
}

impl Store for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        // `null` for a missing key.
        Ok(self.call("getItem", key, &JsValue::UNDEFINED)?.as_string())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.call("setItem", key, &JsValue::from_str(value))?;
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.call("removeItem", key, &JsValue::UNDEFINED)?;
        Ok(())
    }
}

/// `navigator`, or `undefined` where the global object has none.
fn navigator() -> JsValue {
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
