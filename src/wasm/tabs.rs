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

use super::convert::{call, prop, UNDEFINED};
use super::local_storage::web_locks;
use super::BrowserSession;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A function handed to the page, of the one shape they all have.
type Callback = Closure<dyn FnMut(JsValue) -> JsValue>;

/// The page's ties to other tabs, made once when Inkling opens: the `storage`
/// listener, removed when dropped, and the function run under the site's Web Lock.
/// Both reach the session weakly, so a session dropped meanwhile is left alone.
pub struct Tabs {
    /// The `storage` listener, when the page took it.
    listener: Option<Callback>,
    /// The check run under the lock. It is made once and handed to every lock request,
    /// where a function made per request needed the code that frees a function once
    /// it has run.
    under_lock: Callback,
}

/// A function for the page that runs on the session, when it still exists and is not
/// in use (a call of the page's own still running): the check under the lock when
/// `under_lock`, else the `storage` listener. Both are one closure type, so its body and
/// the glue that calls and frees it are in the wasm once, not once per function.
fn on_session(session: &Rc<RefCell<BrowserSession>>, under_lock: bool) -> Callback {
    let weak = Rc::downgrade(session);
    Closure::new(move |value: JsValue| -> JsValue {
        if let Some(session) = weak.upgrade() {
            if let Ok(mut session) = session.try_borrow_mut() {
                if under_lock {
                    session.reconcile(super::now());
                } else {
                    storage_event(&mut session, &value);
                }
            }
        }
        JsValue::UNDEFINED
    })
}

/// A `storage` event: another page changed a key of this origin's storage.
fn storage_event(session: &mut BrowserSession, event: &JsValue) {
    // `key` is null when another page called `localStorage.clear()`.
    let changed = prop(event, "key").as_string();
    if changed.is_none_or(|k| k == session.keys().main) {
        // `newValue` is null when the document was removed; its text is not
        // needed (the session reads the document again), so it is not copied in.
        let removed = prop(event, "newValue").is_null_or_undefined();
        session.external_change(removed, super::now());
    }
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

impl Tabs {
    /// Listens for changes of the session's document made by other pages, and makes
    /// the check [`reconcile_under_lock`](Tabs::reconcile_under_lock) runs.
    pub fn attach(session: &Rc<RefCell<BrowserSession>>) -> Tabs {
        let listener = on_session(session, false);
        let listener = listen("addEventListener", listener.as_ref())
            .ok()
            .map(|_| listener);
        let under_lock = on_session(session, true);
        Tabs {
            listener,
            under_lock,
        }
    }

    /// Under the site's Web Lock (when the API exists), named after its document's key,
    /// re-reads the document and re-applies this page's missing changes.
    pub fn reconcile_under_lock(&self, session: &BrowserSession) {
        let locks = web_locks();
        let lock_name = JsValue::from_str(&session.keys().main);
        // The returned promise resolves when the check has run; a rejection (no lock
        // manager in this context) only means the check is skipped: merge on write still
        // holds. It is caught by the page's own `Boolean`, which takes any value and never
        // throws: a handler of the module's own would be one more function to keep.
        if let Ok(promise) = call(&locks, "request", &lock_name, self.under_lock.as_ref()) {
            let _ = call(
                &promise,
                "catch",
                &prop(&super::global(), "Boolean"),
                UNDEFINED,
            );
        }
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        if let Some(listener) = &self.listener {
            let _ = listen("removeEventListener", listener.as_ref());
        }
    }
}
