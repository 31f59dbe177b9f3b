//! Other tabs: the `storage` event and Web Locks.
//!
//! Every page writes the document under the same key. A `storage` event tells
//! this page that another one wrote; the session takes their state and
//! re-applies its own changes that are missing. Where the Web Locks API exists,
//! a check of that kind also runs under the lock `inkling:<siteId>` after each
//! change, so concurrent pages take turns.
//!
//! Every function handed to JavaScript here, and `flush`'s promise handlers, take one
//! value and return one (`dyn FnMut(JsValue) -> JsValue`), so their calling glue is
//! in the package once.

use super::convert::{call, method, prop, UNDEFINED};
use super::local_storage::web_locks;
use super::BrowserSession;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;

/// The page's `storage` listener, removed when dropped.
pub struct StorageListener {
    closure: Closure<dyn FnMut(JsValue) -> JsValue>,
}

/// `addEventListener` or `removeEventListener` of the global object, for `storage`.
fn listen(method: &str, listener: &JsValue) -> Result<JsValue, JsValue> {
    call(
        &super::global(),
        method,
        &JsValue::from_str("storage"),
        listener,
    )
}

impl StorageListener {
    /// Listens for changes of the session's document made by other pages.
    pub fn attach(session: &Rc<RefCell<BrowserSession>>) -> Option<StorageListener> {
        let weak: Weak<RefCell<BrowserSession>> = Rc::downgrade(session);
        let closure = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |event: JsValue| {
            if let Some(session) = weak.upgrade() {
                if let Ok(mut session) = session.try_borrow_mut() {
                    // `key` is null when another page called `localStorage.clear()`.
                    let changed = prop(&event, "key").as_string();
                    if changed.is_none_or(|k| k == session.keys().main) {
                        let value = prop(&event, "newValue").as_string();
                        session.external_change(value.as_deref(), super::now());
                    }
                }
            }
            JsValue::UNDEFINED
        });
        listen("addEventListener", closure.as_ref()).ok()?;
        Some(StorageListener { closure })
    }
}

impl Drop for StorageListener {
    fn drop(&mut self) {
        let _ = listen("removeEventListener", self.closure.as_ref());
    }
}

/// Under the site's Web Lock (when the API exists), named after its document's key,
/// re-reads the document and re-applies this page's missing changes.
pub fn reconcile_under_lock(session: &Rc<RefCell<BrowserSession>>) {
    let locks = web_locks();
    // Checked before the callback is made: a callback never called is never freed.
    let Some(request) = method(&locks, "request") else {
        return;
    };
    let lock_name = JsValue::from_str(&session.borrow().keys().main);
    let weak = Rc::downgrade(session);
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        if let Some(session) = weak.upgrade() {
            if let Ok(mut session) = session.try_borrow_mut() {
                session.reconcile(super::now());
            }
        }
        JsValue::UNDEFINED
    });
    // The returned promise resolves when the callback has run; a rejection (no lock
    // manager in this context) only means the check is skipped: merge on write still
    // holds. It is caught by the page's own `Boolean`, which takes any value and never
    // throws: a handler of the module's own would be one more closure to keep.
    if let Ok(promise) = request.call2(&locks, &lock_name, &callback) {
        let ignore = prop(&super::global(), "Boolean");
        let _ = call(&promise, "catch", &ignore, UNDEFINED);
    }
}
