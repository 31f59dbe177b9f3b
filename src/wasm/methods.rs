//! `Inkling` as JavaScript sees it: one export, [`call`], and the class, written by
//! `scripts/glue-methods.mjs` with a method per operation.
//!
//! Why one export: each method wasm-bindgen exports brings code of its own into the
//! module (the object's borrow check, its arguments' conversions, its result's shim) and
//! its own method in the glue. Here the 21 instance methods share one of each: the glue's
//! `rank(options)` is `__call(this.__h, 5, options)`, and the match below converts the
//! arguments and calls the Rust method. Measured: 4.6 KB less code, the whole API
//! 65,892 -> 65,057 bytes gzip and `inkling/personalize` 52,894 -> 52,267 (wasm + glue,
//! the glue's methods included).
//!
//! The class is the glue's too, not wasm-bindgen's: an object holds a handle, a slot in
//! the list of open instances here ([`OPEN`]), and the statics (`open`, `compileCatalog`,
//! `modelCard`) and `free` go through the same export. Measured without wasm-bindgen's
//! class machinery (its borrow flags and their messages, its object shims and free
//! export): the whole API 62,903 -> 62,667 bytes gzip, `inkling/personalize` 50,795 ->
//! 50,598. An instance in use stays alive until its call returns, even if the page frees
//! it meanwhile (a getter of an argument calling `free()`): a call holds its own `Rc`.
//!
//! The numbers are the contract between the two halves, kept in one place: the script
//! reads the constants in [`op`] from this file and writes a method for each method
//! name the build's `.d.ts` declares on `Inkling` (the `interface Inkling` below, and
//! measurement's in `measure.rs` when that feature is built, and the statics of the
//! `class Inkling` below), failing the build if a declared method has no number.

use super::builtins;
use super::convert::type_error;
use super::Inkling;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_METHODS: &'static str = r#"
/**
 * On-device personalization for one site: consent, profile, catalog and ranking.
 */
export class Inkling {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Checks a catalog exactly as `loadCatalog` does and returns it compiled: bytes
     * to serve instead of the JSON, which `loadCatalog` loads with almost no parsing.
     * Meant for build time; the format is versioned (see `Catalog::to_bytes`).
     */
    static compileCatalog(catalog: CatalogInput | Uint8Array, options?: LoadCatalogOptions | null): Uint8Array;
    /**
     * What the ranking uses and why, as data.
     */
    static modelCard(): ModelCard;
    /**
     * Opens Inkling for a site. Storage problems never throw: they put Inkling in
     * memory mode, which `status()` explains. Throws a `TypeError`/`RangeError` for bad options.
     */
    static open(options: InklingOptions): Inkling;
}

export interface Inkling {
    /**
     * Loads the site's catalog into wasm memory, once: an object, a JSON string, or
     * the bytes `compileCatalog` made (a `Uint8Array`, loaded with almost no parsing).
     * `options.vectors` is a `Float32Array` of n × dims numbers in item order.
     */
    loadCatalog(catalog: CatalogInput | Uint8Array, options?: LoadCatalogOptions | null): void;
    /**
     * The consent record.
     */
    consent(): ConsentRecord;
    /**
     * Applies the visitor's choice; returns the new record. Its time is always the real
     * clock, never a page's own: the record is evidence of when the visitor chose.
     */
    setConsent(choice: ConsentChoice): ConsentRecord;
    /**
     * Records an event; returns whether the profile learned from it.
     */
    record(event: InklingEvent): boolean;
    /**
     * The visitor says they like, dislike, or have no preference about a topic, at
     * `options.now` (default now), the time the profile keeps with the declaration.
     */
    declare(topic: string, preference: Preference, options?: AtOptions | null): void;
    /**
     * Ranks the catalog; only the top results cross the boundary.
     */
    rank(options?: RankOptions | null): RankedItem[];
    /**
     * Why an item would (or would not) be shown, at `options.now` (default now):
     * the same time as the ranking it explains.
     */
    explain(item: string, options?: AtOptions | null): Explanation;
    /**
     * Everything the device holds, readable.
     */
    profile(): Holdings;
    /**
     * Forgets everything about a topic; returns whether there was anything.
     */
    forget(topic: string): boolean;
    /**
     * Never uses a topic again until unmuted.
     */
    mute(topic: string): void;
    /**
     * Lets a muted topic be used again; returns whether it was muted.
     */
    unmute(topic: string): boolean;
    /**
     * Undoes the last recorded event; returns it, or `null` when there is nothing to undo.
     */
    undo(): InklingEvent | null;
    /**
     * Pauses (`true`) or resumes (`false`) personalization.
     */
    pause(paused: boolean): void;
    /**
     * Erases the profile here and in storage (the consent record stays).
     */
    erase(): void;
    /**
     * The profile as a JSON string the visitor can keep.
     */
    exportProfile(): string;
    /**
     * Replaces the profile by an exported one; a bad file throws and changes nothing.
     */
    importProfile(json: string): void;
    /**
     * Where the profile lives and why, the catalog size, and what happened to stored data.
     */
    status(): InklingStatus;
}
"#;

/// The number of each instance method: `scripts/glue-methods.mjs` reads these lines
/// (`pub const NAME: u32 = N;`, the JavaScript name in capitals) to write the glue.
pub(crate) mod op {
    pub const LOAD_CATALOG: u32 = 0;
    pub const CONSENT: u32 = 1;
    pub const SET_CONSENT: u32 = 2;
    pub const RECORD: u32 = 3;
    pub const DECLARE: u32 = 4;
    pub const RANK: u32 = 5;
    pub const EXPLAIN: u32 = 6;
    pub const PROFILE: u32 = 7;
    pub const FORGET: u32 = 8;
    pub const MUTE: u32 = 9;
    pub const UNMUTE: u32 = 10;
    pub const UNDO: u32 = 11;
    pub const PAUSE: u32 = 12;
    pub const ERASE: u32 = 13;
    pub const EXPORT_PROFILE: u32 = 14;
    pub const IMPORT_PROFILE: u32 = 15;
    pub const STATUS: u32 = 16;
    #[cfg(feature = "measurement")]
    pub const CONFIGURE_MEASUREMENT: u32 = 17;
    #[cfg(feature = "measurement")]
    pub const PENDING_REPORTS: u32 = 18;
    #[cfg(feature = "measurement")]
    pub const PRIVACY_BUDGET: u32 = 19;
    #[cfg(feature = "measurement")]
    pub const FLUSH: u32 = 20;
    pub const OPEN: u32 = 21;
    pub const COMPILE_CATALOG: u32 = 22;
    pub const MODEL_CARD: u32 = 23;
    pub const FREE: u32 = 24;
}

thread_local! {
    /// The open instances: a JavaScript object's handle is its slot's index plus one, so
    /// that 0, the handle of a freed object, names none. A freed slot is reused.
    static OPEN: RefCell<Vec<Option<Rc<Inkling>>>> = const { RefCell::new(Vec::new()) };
}

/// Keeps `inkling` and returns its handle.
fn keep(inkling: Inkling) -> u32 {
    let inkling = Some(Rc::new(inkling));
    OPEN.with_borrow_mut(|open| {
        let slot = match open.iter().position(Option::is_none) {
            Some(i) => {
                open[i] = inkling;
                i
            }
            None => {
                open.push(inkling);
                open.len() - 1
            }
        };
        slot as u32 + 1
    })
}

/// Runs operation `op` (one of [`op`]) on the instance `handle` names, or a static one
/// (`handle` unused); missing arguments arrive as `undefined`.
#[wasm_bindgen(js_name = __call, skip_typescript)]
pub fn call(handle: u32, op: u32, a: JsValue, b: JsValue, c: JsValue) -> Result<JsValue, JsValue> {
    match op {
        op::OPEN => return Ok((keep(Inkling::open(&a)?) as f64).into()),
        op::COMPILE_CATALOG => return Ok(Inkling::compile_catalog(&a, &b)?.into()),
        op::MODEL_CARD => return Ok(Inkling::model_card()),
        _ => {}
    }
    // The instance `handle` names, if it is open; `free` takes it out of its slot. It is
    // dropped once the list is no longer borrowed (dropping it calls the page: its
    // `storage` listener is removed), after the call, which for `free` does nothing.
    let inkling = OPEN.with_borrow_mut(|open| {
        let slot = open.get_mut(handle.wrapping_sub(1) as usize)?;
        if op == op::FREE {
            slot.take()
        } else {
            slot.clone()
        }
    });
    match inkling {
        Some(inkling) => inkling.call(op, &a, &b, &c),
        None if op == op::FREE => Ok(JsValue::UNDEFINED),
        None => Err(builtins::error("this Inkling was freed")),
    }
}

/// A string argument (a topic, an item id, an exported profile, an endpoint). Anything
/// else is a `TypeError` naming the parameter: wasm-bindgen's own string parameters
/// failed on `undefined` with the glue's internal message instead.
fn text(value: &JsValue, path: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| type_error(path, "expected a string"))
}

impl Inkling {
    /// Runs instance method `op` (one of [`op`]) with the arguments JavaScript gave it;
    /// missing ones arrive as `undefined`. The methods borrow their arguments: [`call`]
    /// owns them and drops each once, where handing them on by value left a drop and its
    /// flag in every arm (461 bytes of code with the callees', measured).
    pub fn call(&self, op: u32, a: &JsValue, b: &JsValue, c: &JsValue) -> Result<JsValue, JsValue> {
        let done = JsValue::UNDEFINED;
        Ok(match op {
            op::LOAD_CATALOG => self.load_catalog(a, b).map(|()| done)?,
            op::CONSENT => self.consent(),
            op::SET_CONSENT => self.set_consent(a)?,
            op::RECORD => self.record(a)?.into(),
            op::DECLARE => self.declare(&text(a, "/topic")?, b, c).map(|()| done)?,
            op::RANK => self.rank(a)?,
            op::EXPLAIN => self.explain(&text(a, "/item")?, b)?,
            op::PROFILE => self.profile(),
            op::FORGET => self.forget(&text(a, "/topic")?).into(),
            op::MUTE => self.mute(&text(a, "/topic")?).map(|()| done)?,
            op::UNMUTE => self.unmute(&text(a, "/topic")?).into(),
            op::UNDO => self.undo()?,
            op::PAUSE => {
                let paused = a
                    .as_bool()
                    .ok_or_else(|| type_error("/paused", "expected true or false"))?;
                self.pause(paused);
                done
            }
            op::ERASE => {
                self.erase();
                done
            }
            // Taken out of its slot already (`call`).
            op::FREE => done,
            op::EXPORT_PROFILE => self.export_profile().into(),
            op::IMPORT_PROFILE => self.import_profile(&text(a, "/json")?).map(|()| done)?,
            op::STATUS => self.status(),
            #[cfg(feature = "measurement")]
            op::CONFIGURE_MEASUREMENT => self.configure_measurement(a).map(|()| done)?,
            #[cfg(feature = "measurement")]
            op::PENDING_REPORTS => self.pending_reports(a)?,
            #[cfg(feature = "measurement")]
            op::PRIVACY_BUDGET => self.privacy_budget(a)?,
            #[cfg(feature = "measurement")]
            op::FLUSH => self.flush(&text(a, "/endpoint")?, b)?,
            _ => return Err(builtins::error("no such method")),
        })
    }
}
