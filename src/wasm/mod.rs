//! The JavaScript boundary: `#[wasm_bindgen]` wrappers over the core, nothing else.
//!
//! `Inkling` wraps a [`Session`](crate::session::Session) over the page's
//! `localStorage`. Every method converts values and errors; the behaviour lives
//! in the core, where it is tested natively. The class JavaScript sees is written by
//! the glue (`scripts/glue-methods.mjs`): its methods and statics reach the module
//! through one export, `__call`, by number (`methods`).

mod alloc;
mod builtins;
mod convert;
pub mod local_storage;
#[cfg(feature = "measurement")]
mod measure;
mod methods;
pub(crate) mod numbers;
mod tabs;
mod types;

use crate::catalog::Catalog;
use crate::consent::ConsentChoice;
use crate::error::Error;
use crate::json::Record;
use crate::profile::Preference;
use crate::session::{EventInput, OpenOptions, RankInput, Session};
use convert::{at, input, js, output, output_json, prop, record_input, record_input_or};
use local_storage::LocalStorage;
use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The module's allocator: TLSF, its requests rounded up to its size classes (`alloc`).
#[global_allocator]
static ALLOCATOR: alloc::ClassRounded = alloc::ClassRounded::new();

#[wasm_bindgen]
extern "C" {
    /// The global object's own `globalThis` property.
    type GlobalThis;

    /// `globalThis.globalThis`: the global object itself, read at each call by one
    /// import. A `thread_local_v2` static held it in a lazily filled cell instead, whose
    /// upkeep was code of its own.
    #[wasm_bindgen(static_method_of = GlobalThis, js_class = globalThis, getter = globalThis)]
    fn get() -> JsValue;
}

/// The global object, read from `globalThis`, which every supported browser has: one
/// import, where `js_sys::global()` tries four names in turn and `web_sys::window()`
/// also checks that the object is a `Window` (0.6 KB of the download, measured). In a
/// worker it is a worker's global scope: the properties read from it (`localStorage`,
/// `navigator`) are then absent or a worker's own, which the callers handle.
pub(crate) fn global() -> JsValue {
    GlobalThis::get()
}

/// The version of the Inkling package.
#[wasm_bindgen(js_name = version)]
pub fn version() -> builtins::JsString {
    js_string(crate::version())
}

/// `text` as a JavaScript string, for a method that returns one: a `String` result is
/// handed back as memory for the glue to read and free, with glue of its own per method.
fn js_string(text: &str) -> builtins::JsString {
    JsValue::from_str(text).unchecked_into()
}

/// The page's storage: `localStorage`, or the reason it cannot be used.
pub type BrowserStore = LocalStorage;

/// The session the JavaScript class wraps.
pub type BrowserSession = Session<BrowserStore>;

/// Now, in epoch milliseconds.
fn now() -> i64 {
    builtins::date_now() as i64
}

/// A random id for this page's writes, below 2^53 so it reads the same in JavaScript.
fn writer_id() -> u64 {
    let mut bytes = [0u8; 8];
    if !builtins::random_bytes(&mut bytes) {
        return (builtins::math_random() * 9_007_199_254_740_991.0) as u64;
    }
    u64::from_le_bytes(bytes) >> 11
}

/// On-device personalization for one site: consent, profile, catalog and ranking.
///
/// Not a `#[wasm_bindgen]` class: the glue writes the class (`methods`), whose objects
/// hold a handle to an instance kept here.
pub struct Inkling {
    session: Rc<RefCell<BrowserSession>>,
    tabs: tabs::Tabs,
}

impl Inkling {
    /// The session, for measurement's methods.
    #[allow(dead_code)]
    pub(crate) fn session(&self) -> Ref<'_, BrowserSession> {
        self.session.borrow()
    }

    /// The shared session, for work that finishes later (a report's network outcome).
    #[cfg(feature = "measurement")]
    pub(crate) fn session_handle(&self) -> Rc<RefCell<BrowserSession>> {
        self.session.clone()
    }

    /// The session, mutable, for measurement's methods.
    #[allow(dead_code)]
    pub(crate) fn session_mut(&self) -> RefMut<'_, BrowserSession> {
        self.session.borrow_mut()
    }

    /// After a change: let concurrent pages take turns checking that nothing was lost.
    pub(crate) fn after_change(&self) {
        let session = self.session.borrow();
        if session.remembers() {
            self.tabs.reconcile_under_lock(&session);
        }
    }
}

/// `Inkling`'s statics, which JavaScript reaches through `__call` (`methods`) with the
/// types and documentation of the class's declaration there.
impl Inkling {
    /// Opens Inkling for a site. Storage problems never throw: they put Inkling in
    /// memory mode, which `status()` explains. Throws a `TypeError`/`RangeError` for bad options.
    pub fn open(options: &JsValue) -> Result<Inkling, JsValue> {
        let options: OpenOptions =
            record_input(options, "", OpenOptions::KEYS, OpenOptions::default())?;
        let store = LocalStorage::open();
        let gpc = local_storage::global_privacy_control();
        let session = js(Session::open(options, store, gpc, now(), writer_id()))?;
        let session = Rc::new(RefCell::new(session));
        let tabs = tabs::Tabs::attach(&session);
        Ok(Inkling { session, tabs })
    }

    /// Checks a catalog exactly as `loadCatalog` does and returns it compiled: bytes
    /// to serve instead of the JSON, which `loadCatalog` loads with almost no parsing.
    /// Meant for build time; the format is versioned (see `Catalog::to_bytes`).
    pub fn compile_catalog(
        catalog: &JsValue,
        options: &JsValue,
    ) -> Result<builtins::Uint8Array, JsValue> {
        let parsed = catalog_from_js(catalog, options)?;
        Ok(builtins::Uint8Array::new(&parsed.to_bytes()))
    }

    /// What the ranking uses and why, as data.
    pub fn model_card() -> JsValue {
        output_json(crate::explain::MODEL_CARD_JSON)
    }
}

/// The methods JavaScript reaches through `Inkling.__call` ([`methods`]), with the types
/// the class declares for them; the browser tests call them directly.
impl Inkling {
    /// `loadCatalog`, as the class declares and documents it (`methods`).
    pub fn load_catalog(&self, catalog: &JsValue, options: &JsValue) -> Result<(), JsValue> {
        let parsed = catalog_from_js(catalog, options)?;
        self.session.borrow_mut().load_catalog(parsed);
        Ok(())
    }

    /// `consent`, as the class declares and documents it (`methods`).
    pub fn consent(&self) -> JsValue {
        output(self.session.borrow().consent())
    }

    /// `setConsent`, as the class declares and documents it (`methods`).
    pub fn set_consent(&self, choice: &JsValue) -> Result<JsValue, JsValue> {
        let choice: ConsentChoice =
            record_input(choice, "", ConsentChoice::KEYS, ConsentChoice::default())?;
        Ok(output(
            self.session.borrow_mut().set_consent(&choice, now()),
        ))
    }

    /// `record`, as the class declares and documents it (`methods`).
    pub fn record(&self, event: &JsValue) -> Result<bool, JsValue> {
        let event: EventInput = record_input(event, "", EventInput::KEYS, EventInput::default())?;
        let learned = js(self.session.borrow_mut().record(event, now()))?;
        self.after_change();
        Ok(learned)
    }

    /// `declare`, as the class declares and documents it (`methods`).
    pub fn declare(
        &self,
        topic: &str,
        preference: &JsValue,
        options: &JsValue,
    ) -> Result<(), JsValue> {
        let preference: Preference = input(preference, "/preference", &[])?;
        let now_ms = at(options)?;
        js(self.session.borrow_mut().declare(topic, preference, now_ms))?;
        self.after_change();
        Ok(())
    }

    /// `rank`, as the class declares and documents it (`methods`).
    pub fn rank(&self, options: &JsValue) -> Result<JsValue, JsValue> {
        let options = record_input_or(options, "", RankInput::KEYS, RankInput::default())?;
        let ranked = js(self.session.borrow().rank(options, now()))?;
        Ok(output(&ranked))
    }

    /// `explain`, as the class declares and documents it (`methods`).
    pub fn explain(&self, item: &str, options: &JsValue) -> Result<JsValue, JsValue> {
        let now_ms = at(options)?;
        let explanation = js(self.session.borrow().explain(item, now_ms))?;
        Ok(output(&explanation))
    }

    /// `profile`, as the class declares and documents it (`methods`).
    pub fn profile(&self) -> JsValue {
        output_json(&self.session.borrow().holdings().to_json())
    }

    /// `forget`, as the class declares and documents it (`methods`).
    pub fn forget(&self, topic: &str) -> bool {
        let any = self.session.borrow_mut().forget(topic, now());
        self.after_change();
        any
    }

    /// `mute`, as the class declares and documents it (`methods`).
    pub fn mute(&self, topic: &str) -> Result<(), JsValue> {
        js(self.session.borrow_mut().mute(topic, now()))?;
        self.after_change();
        Ok(())
    }

    /// `unmute`, as the class declares and documents it (`methods`).
    pub fn unmute(&self, topic: &str) -> bool {
        let was = self.session.borrow_mut().unmute(topic, now());
        self.after_change();
        was
    }

    /// `undo`, as the class declares and documents it (`methods`).
    pub fn undo(&self) -> Result<JsValue, JsValue> {
        let undone = js(self.session.borrow_mut().undo(now()))?;
        self.after_change();
        Ok(match undone {
            Some(e) => output(&EventOut {
                kind: e.kind,
                item: &e.item,
                gift: e.gift,
                at: e.at_ms as f64,
            }),
            None => JsValue::NULL,
        })
    }

    /// `pause`, as the class declares and documents it (`methods`).
    pub fn pause(&self, paused: bool) {
        self.session.borrow_mut().pause(paused, now());
        self.after_change();
    }

    /// `erase`, as the class declares and documents it (`methods`).
    pub fn erase(&self) {
        self.session.borrow_mut().erase(now());
        self.after_change();
    }

    /// `exportProfile`, as the class declares and documents it (`methods`).
    pub fn export_profile(&self) -> builtins::JsString {
        js_string(&self.session.borrow().export_profile())
    }

    /// `importProfile`, as the class declares and documents it (`methods`).
    pub fn import_profile(&self, json: &str) -> Result<(), JsValue> {
        js(self.session.borrow_mut().import_profile(json, now()))?;
        self.after_change();
        Ok(())
    }

    /// `status`, as the class declares and documents it (`methods`).
    pub fn status(&self) -> JsValue {
        output(&self.session.borrow().status())
    }
}

/// Reads a catalog given to `loadCatalog` or `compileCatalog`: compiled bytes, a JSON
/// string or an object, then `options.vectors` if given.
fn catalog_from_js(catalog: &JsValue, options: &JsValue) -> Result<Catalog, JsValue> {
    // Every failure, the boundary's own checks too, is a core error turned into a
    // JavaScript one at this single exit: the catalog is then moved out once, not
    // converted at each step that can fail.
    js(read_catalog(catalog, options))
}

/// [`catalog_from_js`] with its errors still the core's.
fn read_catalog(catalog: &JsValue, options: &JsValue) -> crate::error::Result<Catalog> {
    let parsed = parse_catalog(catalog)?;
    if !options.is_object() {
        if !options.is_null_or_undefined() {
            return Err(Error::invalid("/options", "must be an object"));
        }
        return Ok(parsed);
    }
    let vectors = prop(options, "vectors");
    if vectors.is_null_or_undefined() {
        return Ok(parsed);
    }
    let Some(array) = vectors.dyn_ref::<builtins::Float32Array>() else {
        return Err(Error::invalid("/vectors", "must be a Float32Array"));
    };
    let flat = array.to_vec();
    let n = parsed.len();
    if n == 0 || flat.is_empty() || flat.len() % n != 0 {
        return Err(Error::out_of_range(
            "/vectors",
            "length must be the number of items times the vector size",
        ));
    }
    parsed.with_vector_data(flat.len() / n, flat)
}

/// The catalog itself, from compiled bytes or JSON: either reader's result is returned
/// as it is, written once where the caller keeps it.
#[inline(never)]
fn parse_catalog(catalog: &JsValue) -> crate::error::Result<Catalog> {
    match catalog.dyn_ref::<builtins::Uint8Array>() {
        Some(bytes) => Catalog::from_bytes(&bytes.to_vec()),
        None => Catalog::from_json(&catalog_text(catalog)?),
    }
}

/// The JSON text of a catalog given as a string or an object.
fn catalog_text(catalog: &JsValue) -> crate::error::Result<String> {
    if let Some(text) = catalog.as_string() {
        return Ok(text);
    }
    if !catalog.is_object() {
        return Err(Error::invalid(
            "",
            "the catalog must be an object, a JSON string or a compiled catalog (Uint8Array)",
        ));
    }
    builtins::json_stringify(catalog)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::invalid("", "the catalog cannot be turned into JSON"))
}

/// An undone event as JavaScript sees it.
struct EventOut<'a> {
    kind: crate::profile::EventKind,
    item: &'a str,
    gift: bool,
    at: f64,
}

impl crate::json::ToJson for EventOut<'_> {
    /// `gift` is always written here, unlike in the stored event log.
    fn write_json(&self, w: &mut crate::json::Writer) {
        w.object(|o| {
            o.field("type", &self.kind);
            o.field("item", self.item);
            o.field("gift", &self.gift);
            o.field("at", &self.at);
        });
    }
}
