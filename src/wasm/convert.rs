//! Values across the boundary: errors as JavaScript `Error`s, inputs and outputs as JSON.
//!
//! Inputs are read with `JSON.stringify` and the crate's JSON reader ([`crate::json`]),
//! outputs written with the crate's JSON writer and `JSON.parse`, so each type's code exists once,
//! for the JSON the stored documents need anyway. A direct JavaScript-value
//! (de)serializer would add a second copy of it: serde-wasm-bindgen cost 34 KB of code
//! this way. The values that cross here are small (options, one event, twenty ranked
//! items), and both JSON calls are native in the engine.

use super::builtins;
use crate::error::{Error, ErrorKind};
use crate::json::{read_fields, FromJson, Reader, Record, ToJson};
use crate::session::{time_from, RankInput};
use crate::store::document::nest;
use crate::text::concat;
use wasm_bindgen::{JsCast, JsValue};

/// The JavaScript error for `e`: `TypeError` for malformed input, `RangeError`
/// for values out of bounds, `Error` otherwise; the message names the path,
/// and the error carries it as `error.path`.
///
/// It takes the error by value and is kept out of line, so that dropping the core
/// error happens here once rather than at every place a method can fail.
#[inline(never)]
pub fn js_error(e: Error) -> JsValue {
    let message = e.describe();
    let value: JsValue = match e.kind() {
        ErrorKind::Invalid => builtins::type_error(&message),
        ErrorKind::OutOfRange => builtins::range_error(&message),
        _ => builtins::error(&message),
    };
    let _ = builtins::reflect_set(
        &value,
        &JsValue::from_str("path"),
        &JsValue::from_str(e.path()),
    );
    value
}

/// Converts a core result for JavaScript.
pub fn js<T>(r: crate::error::Result<T>) -> Result<T, JsValue> {
    r.map_err(js_error)
}

/// A `TypeError` about the input at `path`: the boundary's own checks (not an object,
/// not turned into JSON) share this one call instead of each building a core error inline.
#[inline(never)]
pub fn type_error(path: &str, message: &str) -> JsValue {
    js_error(Error::invalid(path, message))
}

/// `undefined` as an argument: a reference to a constant in the module's data, where
/// `&JsValue::UNDEFINED` is a temporary that each call site then drops.
pub const UNDEFINED: &JsValue = &JsValue::UNDEFINED;

/// `target[key]`, or `undefined` when reading it throws (as `Reflect.get` does on a
/// non-object). One out-of-line copy for every property the boundary reads: options,
/// a response's status, an error's message, `navigator`'s features.
#[inline(never)]
pub fn prop(target: &JsValue, key: &str) -> JsValue {
    builtins::reflect_get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `target[name]` when it is a function.
pub fn method(target: &JsValue, name: &str) -> Option<builtins::Function> {
    prop(target, name).dyn_into().ok()
}

/// `target[name](a, b)`, or what it threw: the page's objects (`localStorage`, event
/// targets, promises) are called by method name through one import, where a typed
/// binding was an import and its glue per method. A method that is missing fails with
/// `undefined`, as the callers treat any failure alike.
#[inline(never)]
pub fn call(target: &JsValue, name: &str, a: &JsValue, b: &JsValue) -> Result<JsValue, JsValue> {
    match method(target, name) {
        Some(f) => f.call2(target, a, b),
        None => Err(JsValue::UNDEFINED),
    }
}

/// Reads an input value. For objects, `fields` lists the known keys: any
/// other key is a `TypeError` naming it (a misspelt `personalise` must not be
/// silently ignored).
pub fn input<T: FromJson>(value: &JsValue, path: &str, fields: &[&str]) -> Result<T, JsValue> {
    let text = input_text(value, path, fields)?;
    // The reader's path is inside this input: prefix where the input was given.
    crate::json::from_str(&text).map_err(|e| js_error(nest(path, e)))
}

/// The checks and the JSON text of [`input`]: one copy for every type read, where
/// a generic body was one copy per type.
#[inline(never)]
fn input_text(value: &JsValue, path: &str, fields: &[&str]) -> Result<String, JsValue> {
    if !fields.is_empty() {
        if !value.is_object() || builtins::Array::is_array(value) {
            return Err(type_error(path, "expected an object"));
        }
        let keys = builtins::object_keys(value);
        for i in 0..keys.length() {
            // `Object.keys` lists strings only.
            let Some(key) = keys.get(i).as_string() else {
                continue;
            };
            // `JSON.stringify` writes NaN and ±Infinity as null, which an option reads
            // as absent: `rank({ now: NaN })` would quietly rank at the real time.
            let problem = if !fields.contains(&key.as_str()) {
                (ErrorKind::Invalid, "unknown field")
            } else if prop(value, &key).as_f64().is_some_and(|x| !x.is_finite()) {
                (ErrorKind::OutOfRange, "must be a finite number")
            } else {
                continue;
            };
            // One error for both problems: the field's path is built in one place.
            let path = concat(&[path, "/", &key]);
            return Err(js_error(Error::new(problem.0, path, problem.1)));
        }
    }
    match builtins::json_stringify(value) {
        Ok(t) => Ok(t.as_string().unwrap_or_else(|| "null".into())), // `undefined` reads as null
        Err(_) => Err(type_error(path, "cannot be turned into JSON")),
    }
}

/// Reads a record given as an object: [`input`] for a [`Record`], read in place over
/// `record`, which holds the value of every field left out. `fields` are the keys
/// JavaScript may give (the record's own, or fewer).
///
/// Through `from_str`, each record type had its own copy of it, of its whole-value
/// reader and of the move out of both; here the record is read where it stays, and
/// all but the call and the move is [`read_input`], once for every record type.
pub fn record_input<T: Record>(
    value: &JsValue,
    path: &str,
    fields: &[&str],
    mut record: T,
) -> Result<T, JsValue> {
    read_input(
        value,
        path,
        fields,
        T::KEYS,
        T::OPTIONAL,
        T::SKIP_UNKNOWN,
        &mut record,
    )?;
    Ok(record)
}

/// A record read by [`read_input`]: each record type's field reader behind one call, so
/// that the text, the reader and the error's path are handled once for all of them.
trait Input {
    fn field(&mut self, r: &mut Reader<'_>, i: usize) -> crate::error::Result<()>;
}

impl<T: Record> Input for T {
    fn field(&mut self, r: &mut Reader<'_>, i: usize) -> crate::error::Result<()> {
        self.read_field(r, i)
    }
}

/// The body of [`record_input`]: the checks and the text of [`input_text`], the record's
/// fields (`keys`, `optional` and `skip_unknown` as its [`Record`] has them) read over
/// `record`, then nothing but whitespace.
#[inline(never)]
fn read_input(
    value: &JsValue,
    path: &str,
    fields: &[&str],
    keys: &[&str],
    optional: u32,
    skip_unknown: bool,
    record: &mut dyn Input,
) -> Result<(), JsValue> {
    let text = input_text(value, path, fields)?;
    let mut r = Reader::new(&text);
    read_fields(&mut r, keys, optional, skip_unknown, |r, i| {
        record.field(r, i)
    })
    .and_then(|_| r.finish())
    .map_err(|e| js_error(nest(path, e)))
}

/// [`record_input`] for an optional object: `undefined` or `null` reads as `record`.
pub fn record_input_or<T: Record>(
    value: &JsValue,
    path: &str,
    fields: &[&str],
    record: T,
) -> Result<T, JsValue> {
    if value.is_null_or_undefined() {
        return Ok(record);
    }
    record_input(value, path, fields, record)
}

/// `options.now` of `explain`, `pendingReports`, `privacyBudget` and `flush`, checked;
/// `None` when not given. It is the time to work at, as `rank`'s `now` and `record`'s
/// `at` give it, so a page on its own clock (a replayed history) sees one timeline.
///
/// `{ now? }` is read with `rank`'s reader: [`input`] lets no field but `now` through
/// (and refuses a NaN before it would turn into `null`), so its `now` reads exactly
/// as `rank`'s does, and the wasm holds one reader for both instead of two.
pub fn given_now(options: &JsValue) -> Result<Option<i64>, JsValue> {
    let options = record_input_or(options, "", &["now"], RankInput::default())?;
    js(options.now.map(|t| time_from("/now", t)).transpose())
}

/// The time a call works at: `options.now` if given, else the real clock.
pub fn at(options: &JsValue) -> Result<i64, JsValue> {
    Ok(given_now(options)?.unwrap_or_else(super::now))
}

/// JSON text as plain JavaScript data.
pub fn output_json(text: &str) -> JsValue {
    builtins::json_parse(text).unwrap_or(JsValue::NULL)
}

/// A Rust value as plain JavaScript data (objects, not `Map`s; `null` for `None`).
pub fn output<T: ToJson + ?Sized>(value: &T) -> JsValue {
    output_json(&crate::json::to_string(value))
}
