//! Other tabs: the `storage` event and Web Locks.
//!
//! Every page writes the document under the same key. A `storage` event tells
//! this page that another one wrote; the session takes their state and
//! re-applies its own changes that are missing. Where the Web Locks API exists,
//! a check of that kind also runs under the lock `inkling:<siteId>` after each
//! change, so concurrent pages take turns.

use super::local_storage::web_locks;
use super::BrowserSession;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The page's `storage` listener, removed when dropped.
pub struct StorageListener {
    closure: Closure<dyn FnMut(web_sys::StorageEvent)>,
}

impl StorageListener {
    /// Listens for changes of `key` made by other pages.
    pub fn attach(session: &Rc<RefCell<BrowserSession>>, key: String) -> Option<StorageListener> {
        let weak: Weak<RefCell<BrowserSession>> = Rc::downgrade(session);
        let closure = Closure::<dyn FnMut(web_sys::StorageEvent)>::new(
            move |event: web_sys::StorageEvent| {
                // `key` is null when another page called `localStorage.clear()`.
                let changed = event.key();
                if changed.as_deref().is_some_and(|k| k != key) {
                    return;
                }
                let Some(session) = weak.upgrade() else {
                    return;
                };
                let Ok(mut session) = session.try_borrow_mut() else {
                    return;
                };
                session.external_change(event.new_value().as_deref(), js_sys::Date::now() as i64);
            },
        );
        super::window()
            .add_event_listener_with_callback("storage", closure.as_ref().unchecked_ref())
            .ok()?;
        Some(StorageListener { closure })
    }
}

impl Drop for StorageListener {
    fn drop(&mut self) {
        let _ = super::window()
            .remove_event_listener_with_callback("storage", self.closure.as_ref().unchecked_ref());
    }
}

thread_local! {
    /// One shared rejection handler, so no closure is leaked per change.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
}

/// Under the site's Web Lock (when the API exists), re-reads the document and re-applies this page's missing changes.
pub fn reconcile_under_lock(session: &Rc<RefCell<BrowserSession>>, lock_name: &str) {
    let Some((locks, request)) = web_locks() else {
        return;
    };
    let weak = Rc::downgrade(session);
    let callback = Closure::once_into_js(move || {
        if let Some(session) = weak.upgrade() {
            if let Ok(mut session) = session.try_borrow_mut() {
                session.reconcile(js_sys::Date::now() as i64);
            }
        }
    });
    // The returned promise resolves when the callback has run; a rejection (no lock
    // manager in this context) only means the check is skipped: merge on write still holds.
    if let Ok(promise) = request.call2(&locks, &JsValue::from_str(lock_name), &callback) {
        if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
            IGNORE.with(|ignore| {
                let _ = promise.catch(ignore);
            });
        }
    }
}
