//! JSON: a small pull parser that every document Inkling reads goes through, and a writer
//! ([`ToJson`], [`to_string`]) for what it writes.
//!
//! Why not serde's derived `Deserialize`: in WebAssembly each derived type instantiates
//! serde_json's parser around its own visitor, and those copies were most of the shipped
//! code (136 KB of 357 KB before this reader). Here the parser exists once; a type's reader
//! is a `match` on its field names that calls back into it ([`FromJson`]). Writing is the
//! same idea the other way ([`ToJson`]): serde is not in the shipped code at all.
//!
//! Every error carries the JSON pointer of the value it is about (`/items/3/topics/hiking`),
//! which the reader keeps as it descends, so no type has to track where it is. It keeps
//! the steps (where each key starts, each index) and spells the pointer out only for an
//! error: writing every key into a string cost a fifth of loading a catalog.
//!
//! ```
//! use inkling::json::{self, FromJson, Reader};
//!
//! struct Point { x: f64, y: f64 }
//! impl FromJson for Point {
//!     fn read(r: &mut Reader<'_>) -> inkling::error::Result<Point> {
//!         let (mut x, mut y) = (None, None);
//!         r.object(|r, key| match key {
//!             "x" => r.field(&mut x),
//!             "y" => r.field(&mut y),
//!             _ => Err(r.unknown_field()),
//!         })?;
//!         Ok(Point { x: r.required(x, "x")?, y: r.required(y, "y")? })
//!     }
//! }
//! let p: Point = json::from_str(r#"{"x": 1, "y": 2.5}"#).unwrap();
//! assert_eq!((p.x, p.y), (1.0, 2.5));
//! let e = json::from_str::<Point>(r#"{"x": 1, "y": "2"}"#).err().unwrap();
//! assert_eq!((e.path(), e.message()), ("/y", "expected a number"));
//! ```
//!
//! The crate's own records are read another way, with less code per type: a `Record`
//! names its fields, starts from a value with every default in place, and reads each
//! field into its place by index, while one shared object loop (`fields`) finds
//! the unknown, repeated and missing fields.

mod float;
mod shortest;
mod write;

pub use write::{to_string, ObjectWriter, ToJson, Writer};

use crate::error::{Error, Result};
use crate::sorted_map::SortedMap;
use crate::text::{concat, parse_uint, push_key, push_uint};
use std::borrow::Cow;

/// How deeply arrays and objects may nest; deeper input is an error, not a stack overflow.
const MAX_DEPTH: usize = 128;

/// Reads `T` from the whole of `text`; anything after the value but whitespace is an error.
pub fn from_str<T: FromJson>(text: &str) -> Result<T> {
    let mut r = Reader::new(text);
    // The value is read straight into the result, which a trailing-input error then
    // replaces: chained through `and_then`, each type's copy of this function moved the
    // value out of the result and back into a new one (about 40 bytes of code a type).
    let mut value = T::read(&mut r);
    if value.is_ok() {
        if let Err(e) = r.finish() {
            value = Err(e);
        }
    }
    value
}

/// Reads the record that is the whole of `text` over `place`, as [`from_str`] reads a
/// value: anything after it but whitespace is an error. On an error `place` holds part
/// of the record, which the caller drops.
// Always inlined: a generic function of its own per record type was more code than the
// three calls it wraps.
#[inline(always)]
pub(crate) fn read_text_in<T: Record>(text: &str, place: &mut T) -> Result<()> {
    let mut r = Reader::new(text);
    read_in(&mut r, place).and_then(|()| r.finish())
}

/// What [`Reader::object`] calls for each field, as a trait object.
///
/// A trait of its own rather than `dyn FnMut`: a `dyn FnMut` table also holds a by-value
/// `call_once` that nothing here calls, yet every closure type passed brought its copy
/// into the wasm (about 45 bytes each, over some 50 types read).
trait OnField<'a> {
    /// Reads (or skips) the value of the field `key`.
    fn on_field(&mut self, r: &mut Reader<'a>, key: &str) -> Result<()>;
}

impl<'a, F: FnMut(&mut Reader<'a>, &str) -> Result<()>> OnField<'a> for F {
    fn on_field(&mut self, r: &mut Reader<'a>, key: &str) -> Result<()> {
        self(r, key)
    }
}

/// What [`Reader::array`] calls for each element (a trait for the same reason as
/// [`OnField`]).
pub(crate) trait OnElement<'a> {
    /// Reads the element at `index`.
    fn on_element(&mut self, r: &mut Reader<'a>, index: usize) -> Result<()>;
}

impl<'a, F: FnMut(&mut Reader<'a>, usize) -> Result<()>> OnElement<'a> for F {
    fn on_element(&mut self, r: &mut Reader<'a>, index: usize) -> Result<()> {
        self(r, index)
    }
}

/// A record: a JSON object whose fields are [`KEYS`](Record::KEYS), each given at most
/// once and each required unless [`OPTIONAL`](Record::OPTIONAL). This is how the crate
/// reads its records (see [`read_record`]).
///
/// Why not one `Option` per field, read with [`Reader::field`] and checked with
/// [`Reader::require`]: each reader then compiled its own key `match`, its options and
/// their unwrapping. A record starts from a value with every default in place and reads
/// each field into its place by index, and one object loop ([`fields`]) for every
/// record finds the unknown, repeated and missing fields.
pub(crate) trait Record {
    /// The field names, in the order [`read_field`](Record::read_field) numbers them
    /// (at most 32). Of the required fields missing, the first in this order is the
    /// error.
    const KEYS: &'static [&'static str];
    /// The fields that may be left out, as a mask: bit `i` for `KEYS[i]`.
    const OPTIONAL: u32 = 0;
    /// Whether a field not in `KEYS` is skipped rather than an error (a stored record
    /// that a later release may extend).
    const SKIP_UNKNOWN: bool = false;
    /// Reads the value of the field `KEYS[i]` into its place, with
    /// [`Reader::read_into`] unless the field needs more.
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()>;
}

/// Reads a [`Record`] that starts from its default: see [`read_record_from`].
pub(crate) fn read_record<T: Record + Default>(r: &mut Reader<'_>) -> Result<T> {
    read_record_from(r, T::default())
}

/// Reads a [`Record`] over `start`, which holds the value of every field left out. Each
/// field is read in place, so no field is moved twice; unknown, repeated and missing
/// fields are errors, as with [`Reader::field`] and [`Reader::require`].
pub(crate) fn read_record_from<T: Record>(r: &mut Reader<'_>, mut start: T) -> Result<T> {
    read_in(r, &mut start)?;
    Ok(start)
}

/// Reads a [`Record`] over `place`, field by field, as [`read_record_from`] reads one
/// over `start`: for a record read inside another (a report's mechanism, the stored
/// measurement state's lists), whose place already holds its default.
///
/// `read_record` builds the record aside and moves it into place, one copy of that
/// reader, its move and `Reader::read_into` per record type; read in place, a
/// record type costs this call alone. The record itself is what the object loop
/// calls ([`Fill`]), and the loop's result is this one's, so the call is all there is.
pub(crate) fn read_in<T: Record>(r: &mut Reader<'_>, place: &mut T) -> Result<()> {
    fields(r, T::KEYS, T::OPTIONAL, T::SKIP_UNKNOWN, place)
}

/// `FromJson` for a [`Record`] that lists, maps and options read in place over
/// `$start` ([`FromJson::read_new`]), with [`read_in`]: its whole-value reader
/// ([`read_record_from`] over `$start`) is then compiled only where the record is
/// read alone, and none of the crate's are.
macro_rules! record_read_in_place {
    ($t:ty, $start:expr) => {
        impl $crate::json::FromJson for $t {
            fn read(r: &mut $crate::json::Reader<'_>) -> $crate::error::Result<$t> {
                $crate::json::read_record_from(r, $start)
            }

            fn read_over(
                r: &mut $crate::json::Reader<'_>,
                place: &mut $t,
            ) -> $crate::error::Result<()> {
                $crate::json::read_in(r, place)
            }

            #[inline(always)]
            fn read_new<'p>(
                r: &mut $crate::json::Reader<'_>,
                put: impl FnOnce($t) -> &'p mut $t,
            ) -> $crate::error::Result<()> {
                $crate::json::read_in(r, put($start))
            }
        }
    };
}
pub(crate) use record_read_in_place;

/// What the record loop ([`fields`]) calls for each field, by its index: a record
/// itself, or the closure given to [`read_fields`] (in [`Each`]).
///
/// Not [`OnElement`], which every closure implements: a record passed as one needed
/// a closure around it, built on the stack by a function of its own per record type.
trait Fill<'a> {
    /// Reads the field at `index`.
    fn fill(&mut self, r: &mut Reader<'a>, index: usize) -> Result<()>;
}

impl<'a, T: Record> Fill<'a> for T {
    fn fill(&mut self, r: &mut Reader<'a>, index: usize) -> Result<()> {
        self.read_field(r, index)
    }
}

/// A closure as a [`Fill`].
struct Each<F>(F);

impl<'a, F: FnMut(&mut Reader<'a>, usize) -> Result<()>> Fill<'a> for Each<F> {
    fn fill(&mut self, r: &mut Reader<'a>, index: usize) -> Result<()> {
        (self.0)(r, index)
    }
}

/// The object loop of [`read_record_from`], for a record that cannot be a [`Record`]
/// (one that borrows from the text, or is read over the previous one): calls `read`
/// with the index in `keys` of each field, then checks that every field not in the
/// mask `optional` was given. A field not in `keys` is skipped if `skip_unknown`, else
/// an error. Returns the fields given, as a mask.
// Always inlined: a handful of callers, each wrapping its closure for `fields`.
#[inline(always)]
pub(crate) fn read_fields<'a>(
    r: &mut Reader<'a>,
    keys: &[&str],
    optional: u32,
    skip_unknown: bool,
    read: impl FnMut(&mut Reader<'a>, usize) -> Result<()>,
) -> Result<u32> {
    fields(r, keys, optional, skip_unknown, &mut Each(read)).map(|()| r.given)
}

/// The object loop of every record, once: see [`read_fields`]. The mask of the fields
/// given is left in [`Reader::given`], so that the loop's result is a record reader's
/// own (`Result<()>`, one word) and [`read_in`] only passes it on.
fn fields<'a>(
    r: &mut Reader<'a>,
    keys: &[&str],
    optional: u32,
    skip_unknown: bool,
    read: &mut dyn Fill<'a>,
) -> Result<()> {
    let mut seen = 0u32;
    // The field after the last one found is tried first: fields mostly come in the
    // order of `keys` (a catalog's items do, 10,000 at a time).
    let mut next = 0;
    r.object(|r, key| {
        let found = match keys.get(next) {
            Some(k) if *k == key => Some(next),
            _ => keys.iter().position(|k| *k == key),
        };
        let Some(i) = found else {
            return if skip_unknown {
                r.skip()
            } else {
                Err(r.unknown_field())
            };
        };
        if seen & (1 << i) != 0 {
            return Err(r.duplicate_field());
        }
        seen |= 1 << i;
        next = i + 1;
        read.fill(r, i)
    })?;
    r.given = seen;
    let given = seen | optional;
    match (0..keys.len()).find(|i| given & (1 << i) == 0) {
        Some(i) => Err(r.missing(keys[i])),
        None => Ok(()),
    }
}

/// A type that can be read from JSON.
pub trait FromJson: Sized {
    /// Reads one value at the reader's position.
    fn read(r: &mut Reader<'_>) -> Result<Self>;

    /// Reads one value over the one in `place`: how a record reads its fields (see
    /// [`Reader::read_into`]). On an error, `place` holds some valid value, which the
    /// caller drops with the record it belongs to.
    ///
    /// A method of the type rather than only [`Reader::read_into`]: a list or a map
    /// reads straight into its place, where the value read aside and moved there was
    /// one more function per type.
    // Not inlined: one copy per value type, shared by every record with such a field,
    // rather than the read, the drop of the old value and the move at every field.
    #[inline(never)]
    fn read_over(r: &mut Reader<'_>, place: &mut Self) -> Result<()> {
        // `map`, not `?`, for the same reason as in `Reader::field`.
        Self::read(r).map(|value| *place = value)
    }

    /// Reads one value into the new place that `put` makes for it: a list's element, a
    /// map's value, an option's content. Unless the type says otherwise, the value is
    /// read with [`read`](FromJson::read) and handed to `put`.
    ///
    /// A record read in place, the integers and strings put a start value there first
    /// and read over it with [`read_over`](FromJson::read_over): built aside, each
    /// compiled a whole-value reader beside its in-place one (a record's
    /// `read_record_from`, an integer's range conversion) for lists, maps and options
    /// alone.
    #[inline(always)]
    fn read_new<'p>(r: &mut Reader<'_>, put: impl FnOnce(Self) -> &'p mut Self) -> Result<()>
    where
        Self: 'p,
    {
        Self::read(r).map(|value| {
            put(value);
        })
    }
}

/// A cursor over JSON text that knows the JSON pointer of where it is.
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    steps: Vec<Step>,
    depth: usize,
    /// The fields the last record read gave, as a mask (see [`fields`]).
    given: u32,
}

/// One step of the path from the document to the value being read.
#[derive(Clone, Copy)]
enum Step {
    /// An object member: the byte offset of its key's opening quote in the text.
    Key(usize),
    /// An array element.
    Index(usize),
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    // Not inlined: `from_str` builds one for each type it reads, and the reader's
    // fields were set up in every copy.
    #[inline(never)]
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            steps: Vec::new(),
            depth: 0,
            given: 0,
        }
    }

    /// The JSON pointer of the value being read (`""` for the document itself).
    pub fn path(&self) -> String {
        let mut path = String::new();
        for step in &self.steps {
            path.push('/');
            match *step {
                Step::Index(i) => push_uint(&mut path, i as u64),
                Step::Key(at) => {
                    // The key was read once already, so reading it again succeeds.
                    let mut key = Reader::new(self.text);
                    key.pos = at;
                    push_key(&mut path, &key.str().unwrap_or_default());
                }
            }
        }
        path
    }

    /// An "invalid input" error about the value being read.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::invalid(self.path(), message)
    }

    /// An "out of range" error about the value being read.
    pub fn out_of_range(&self, message: impl Into<String>) -> Error {
        Error::out_of_range(self.path(), message)
    }

    /// The error for a field the type does not have (the path names it).
    pub fn unknown_field(&self) -> Error {
        self.error("unknown field")
    }

    /// The error for a field given twice (the path names it).
    pub fn duplicate_field(&self) -> Error {
        self.error("duplicate field")
    }

    /// `value` if the field was present, else "missing field `name`" at the object's path.
    pub fn required<T>(&self, value: Option<T>, name: &str) -> Result<T> {
        value.ok_or_else(|| self.missing(name))
    }

    /// The "missing field `name`" error at the object's path, built in one place for
    /// every reader.
    #[inline(never)]
    pub fn missing(&self, name: &str) -> Error {
        self.error(concat(&["missing field `", name, "`"]))
    }

    /// Checks that every required field of a record was present (the first one missing,
    /// in the order given, is the error). Checked once for all the fields, which are then
    /// taken with `unwrap_or_default`: a `?` per field copied the error out of each call,
    /// about 100 bytes of the shipped code per field (measured while errors were
    /// three fields wide, before `Error` became one pointer).
    pub fn require(&self, fields: &[(&str, bool)]) -> Result<()> {
        match fields.iter().find(|f| !f.1) {
            None => Ok(()),
            Some(&(name, _)) => Err(self.missing(name)),
        }
    }

    /// Reads a field's value into `slot`; a field given twice is an error.
    pub fn field<T: FromJson>(&mut self, slot: &mut Option<T>) -> Result<()> {
        if slot.is_some() {
            return Err(self.duplicate_field());
        }
        // Stored through `map` rather than `?`: with `?`, each type's copy of this
        // function moved its error and its value on separate paths, about 900 bytes
        // more of the shipped code over the types read (measured while errors were three
        // fields wide, before `Error` became one pointer).
        T::read(self).map(|value| *slot = Some(value))
    }

    /// Reads a value over the one in `place`: how a record reads most of its fields
    /// (see `Record::read_field`).
    #[inline(always)]
    pub(crate) fn read_into<T: FromJson>(&mut self, place: &mut T) -> Result<()> {
        T::read_over(self, place)
    }

    /// Checks that only whitespace follows the value read.
    pub fn finish(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(Error::invalid(
                "",
                "trailing characters after the JSON value",
            )),
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not whitespace, without consuming it.
    fn peek(&mut self) -> Option<u8> {
        let b = self.bytes();
        while let Some(&c) = b.get(self.pos) {
            match c {
                b' ' | b'\n' | b'\r' | b'\t' => self.pos += 1,
                _ => return Some(c),
            }
        }
        None
    }

    fn syntax(&self, what: &str) -> Error {
        let mut message = concat(&[what, " (at byte "]);
        push_uint(&mut message, self.pos as u64);
        message.push(')');
        self.error(message)
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.syntax(what))
        }
    }

    fn literal(&mut self, word: &str) -> Result<()> {
        if self.bytes()[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.syntax("invalid JSON"))
        }
    }

    /// What the next value is, for error messages and for optional values.
    fn kind(&mut self) -> Result<u8> {
        self.peek()
            .ok_or_else(|| self.syntax("unexpected end of JSON input"))
    }

    fn type_error(&mut self, expected: &str) -> Error {
        match self.kind() {
            Ok(b'"' | b'{' | b'[' | b't' | b'f' | b'n' | b'-' | b'0'..=b'9') => {
                self.error(expected)
            }
            Ok(_) => self.syntax("invalid JSON"),
            Err(e) => e,
        }
    }

    /// Whether the next value is `null`; consumes it if so.
    pub fn null(&mut self) -> Result<bool> {
        if self.kind()? == b'n' {
            self.literal("null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Reads `true` or `false`.
    pub fn bool(&mut self) -> Result<bool> {
        match self.kind()? {
            b't' => self.literal("true").map(|_| true),
            b'f' => self.literal("false").map(|_| false),
            _ => Err(self.type_error("expected true or false")),
        }
    }

    /// One JSON number, checked against the JSON grammar in one pass that also
    /// gathers what [`Number::to_f64`] needs for all but rare numbers: scanning the
    /// text a second time to convert it was a fifth of loading a catalog.
    fn number(&mut self) -> Result<Number<'a>> {
        let b = self.bytes();
        let start = self.pos;
        let mut p = start;
        let mut n = Number {
            text: "",
            integer: true,
            negative: b.get(p) == Some(&b'-'),
            mantissa: 0,
            digits: 0,
            exp10: 0,
        };
        p += usize::from(n.negative);
        let leading_zero = b.get(p) == Some(&b'0');
        let int_start = p;
        n.digits_at(b, &mut p, 0);
        let ok = p > int_start && !(leading_zero && p - int_start > 1);
        let ok = ok && {
            if b.get(p) == Some(&b'.') {
                p += 1;
                n.integer = false;
                let frac = p;
                n.digits_at(b, &mut p, -1);
                p > frac
            } else {
                true
            }
        };
        let ok = ok && {
            if matches!(b.get(p), Some(b'e' | b'E')) {
                p += 1;
                n.integer = false;
                let negative = b.get(p) == Some(&b'-');
                if matches!(b.get(p), Some(b'+' | b'-')) {
                    p += 1;
                }
                let (exp_start, mut e) = (p, 0i32);
                while let Some(c) = b.get(p).filter(|c| c.is_ascii_digit()) {
                    // Exact below 10^9, then it stops growing: an exponent of 10^8 or
                    // more makes the number zero or infinite unless some 10^8 digits
                    // come before it.
                    if e < 100_000_000 {
                        e = e * 10 + i32::from(c - b'0');
                    }
                    p += 1;
                }
                n.exp10 += if negative { -e } else { e };
                p > exp_start
            } else {
                true
            }
        };
        self.pos = p;
        if !ok {
            return Err(self.syntax("invalid number"));
        }
        n.text = &self.text[start..p];
        Ok(n)
    }

    /// Reads a number as an `f64`; a number too large for it is out of range.
    pub fn f64(&mut self) -> Result<f64> {
        match self.kind()? {
            b'-' | b'0'..=b'9' => {}
            _ => return Err(self.type_error("expected a number")),
        }
        let x = self.number()?.to_f64();
        if x.is_finite() {
            Ok(x)
        } else {
            Err(self.out_of_range("number out of range"))
        }
    }

    /// Reads a whole number within `min..=max` (no fraction, no exponent).
    pub fn integer(&mut self, min: i64, max: u64) -> Result<i128> {
        let negative = self.peek() == Some(b'-');
        let n = self.whole(min.min(0), max)?;
        let n = if negative {
            -i128::from(n.wrapping_neg())
        } else {
            i128::from(n)
        };
        if n < i128::from(min) {
            return Err(self.out_of_range("integer out of range"));
        }
        Ok(n)
    }

    /// [`integer`](Reader::integer) for a range that holds 0, as the integer types
    /// read it: the number's two's-complement bits, which `as` turns into the type's
    /// value. In 64-bit arithmetic rather than 128-bit, which in wasm is several
    /// words per step.
    fn whole(&mut self, min: i64, max: u64) -> Result<u64> {
        match self.kind()? {
            b'-' | b'0'..=b'9' => {}
            _ => return Err(self.type_error("expected an integer")),
        }
        let Number {
            text,
            integer,
            negative,
            ..
        } = self.number()?;
        if !integer {
            return Err(self.error("expected an integer"));
        }
        // The text is digits after an optional sign (checked above).
        let digits = &text[usize::from(negative)..];
        match parse_uint(digits) {
            Some(m) if negative && m <= min.unsigned_abs() => Ok(m.wrapping_neg()),
            Some(m) if !negative && m <= max => Ok(m),
            _ => Err(self.out_of_range("integer out of range")),
        }
    }

    /// Reads a string. Borrowed from the text unless it has escapes.
    pub fn str(&mut self) -> Result<Cow<'a, str>> {
        if self.kind()? != b'"' {
            return Err(self.type_error("expected a string"));
        }
        self.pos += 1;
        let b = self.bytes();
        let start = self.pos;
        // The common case: no escapes, so the string is a slice of the text.
        while let Some(&c) = b.get(self.pos) {
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(Cow::Borrowed(&self.text[start..self.pos - 1]));
                }
                b'\\' => break,
                0..=0x1f => return Err(self.syntax("control character in a string")),
                _ => self.pos += 1,
            }
        }
        let mut out = String::from(&self.text[start..self.pos]);
        loop {
            let Some(&c) = b.get(self.pos) else {
                return Err(self.syntax("unexpected end of a string"));
            };
            self.pos += 1;
            match c {
                b'"' => return Ok(Cow::Owned(out)),
                b'\\' => {
                    let Some(&e) = b.get(self.pos) else {
                        return Err(self.syntax("unexpected end of a string"));
                    };
                    self.pos += 1;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.syntax("invalid escape in a string")),
                    });
                }
                0..=0x1f => return Err(self.syntax("control character in a string")),
                _ => {
                    // Copy the rest of this run of plain characters at once (whole UTF-8
                    // sequences: the text is a `str` and runs end at ASCII bytes).
                    let run = self.pos - 1;
                    while b
                        .get(self.pos)
                        .is_some_and(|&c| c != b'"' && c != b'\\' && c >= 0x20)
                    {
                        self.pos += 1;
                    }
                    out.push_str(&self.text[run..self.pos]);
                }
            }
        }
    }

    /// The four hex digits of a `\u` escape, read by hand: `u32::from_str_radix` and
    /// slicing the text brought in code that nothing else in the package needs.
    fn hex4(&mut self) -> Result<u32> {
        let mut n = 0;
        for i in 0..4 {
            let digit = self
                .bytes()
                .get(self.pos + i)
                .and_then(|&c| char::from(c).to_digit(16));
            match digit {
                Some(d) => n = n * 16 + d,
                None => return Err(self.syntax("invalid \\u escape in a string")),
            }
        }
        self.pos += 4;
        Ok(n)
    }

    fn unicode_escape(&mut self) -> Result<char> {
        let first = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&first) {
            // A high surrogate must be followed by an escaped low one.
            if !self.bytes()[self.pos..].starts_with(b"\\u") {
                return Err(self.syntax("lone surrogate in a string"));
            }
            self.pos += 2;
            let second = self.hex4()?;
            if !(0xdc00..0xe000).contains(&second) {
                return Err(self.syntax("lone surrogate in a string"));
            }
            0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.syntax("lone surrogate in a string"))
    }

    /// Reads a string as an owned `String`.
    pub fn string(&mut self) -> Result<String> {
        self.str().map(Cow::into_owned)
    }

    /// Reads a string that must be one of `names`; returns its index.
    pub fn one_of(&mut self, names: &[&str]) -> Result<usize> {
        let s = self.str()?;
        names.iter().position(|n| *n == s).ok_or_else(|| {
            let mut message = concat(&["unknown value `", &s, "`, expected one of `"]);
            for (i, name) in names.iter().enumerate() {
                if i > 0 {
                    message.push_str("`, `");
                }
                message.push_str(name);
            }
            message.push('`');
            self.error(message)
        })
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        Ok(())
    }

    /// Reads an object, calling `field` with each key; `field` must read (or
    /// [`skip`](Reader::skip)) the value. While it runs, the path names the key.
    // Always inlined: as a function of its own per closure type, this one call was
    // about 30 bytes of the package for each of some 35 types read.
    #[inline(always)]
    pub fn object(&mut self, mut field: impl FnMut(&mut Self, &str) -> Result<()>) -> Result<()> {
        self.object_dyn(&mut field)
    }

    // One copy of the object loop for every caller: generic, it was instantiated per
    // type read (1.2 KB each, a fifth of the package); a call through `dyn` per key
    // costs nothing next to reading the key.
    fn object_dyn(&mut self, field: &mut dyn OnField<'a>) -> Result<()> {
        if self.kind()? != b'{' {
            return Err(self.type_error("expected an object"));
        }
        self.enter()?;
        self.pos += 1;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.syntax("expected a key in double quotes"));
            }
            let at = self.pos;
            let key = self.str()?;
            self.expect(b':', "expected `:` after a key")?;
            self.steps.push(Step::Key(at));
            field.on_field(self, &key)?;
            self.steps.pop();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.syntax("expected `,` or `}` in an object")),
            }
        }
    }

    /// Reads an array, calling `element` with each index; `element` must read the value.
    /// While it runs, the path names the index.
    // Always inlined, as `object` is.
    #[inline(always)]
    pub fn array(&mut self, mut element: impl FnMut(&mut Self, usize) -> Result<()>) -> Result<()> {
        self.array_dyn(&mut element)
    }

    fn array_dyn(&mut self, element: &mut dyn OnElement<'a>) -> Result<()> {
        if self.kind()? != b'[' {
            return Err(self.type_error("expected an array"));
        }
        self.enter()?;
        self.pos += 1;
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        let mut i = 0;
        loop {
            self.steps.push(Step::Index(i));
            element.on_element(self, i)?;
            self.steps.pop();
            i += 1;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.syntax("expected `,` or `]` in an array")),
            }
        }
    }

    /// Skips one value of any kind, checking its syntax.
    pub fn skip(&mut self) -> Result<()> {
        // The scan does not track keys and indexes, which would cost more than the scan
        // itself; only on an error is the value scanned again, tracking them, so the
        // error names the exact path.
        self.peek();
        let (start, depth) = (self.pos, self.depth);
        self.skip_untracked().or_else(|_| {
            (self.pos, self.depth) = (start, depth);
            self.skip_tracked()
        })
    }

    fn skip_tracked(&mut self) -> Result<()> {
        match self.kind()? {
            b'{' => self.object(|r, _| r.skip_tracked()),
            b'[' => self.array(|r, _| r.skip_tracked()),
            _ => self.skip_untracked(),
        }
    }

    fn skip_untracked(&mut self) -> Result<()> {
        match self.kind()? {
            b'{' => self.skip_container(b'}'),
            b'[' => self.skip_container(b']'),
            b'"' => self.str().map(drop),
            b't' | b'f' => self.bool().map(drop),
            b'n' => self.literal("null"),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            _ => Err(self.syntax("invalid JSON")),
        }
    }

    /// Skips an object (`close` = `}`) or an array (`]`) at the reader's position.
    fn skip_container(&mut self, close: u8) -> Result<()> {
        self.enter()?;
        self.pos += 1;
        if self.peek() == Some(close) {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            if close == b'}' {
                if self.peek() != Some(b'"') {
                    return Err(self.syntax("expected a key in double quotes"));
                }
                self.str()?;
                self.expect(b':', "expected `:` after a key")?;
            }
            self.skip_untracked()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if c == close => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ if close == b'}' => return Err(self.syntax("expected `,` or `}` in an object")),
                _ => return Err(self.syntax("expected `,` or `]` in an array")),
            }
        }
    }

    /// Skips one value and returns its JSON text.
    pub fn raw(&mut self) -> Result<&'a str> {
        self.peek();
        let start = self.pos;
        self.skip()?;
        Ok(&self.text[start..self.pos])
    }
}

/// A number as [`Reader::number`] scanned it.
struct Number<'a> {
    /// Its text, which follows the JSON grammar.
    text: &'a str,
    /// No fraction and no exponent.
    integer: bool,
    negative: bool,
    /// The first 19 significant digits, as an integer.
    mantissa: u64,
    /// How many significant digits there are, leading zeros not counted (past 19, the
    /// mantissa is incomplete; 0 for a zero).
    digits: u32,
    /// The exponent less the number of fraction digits: the number is all its digits,
    /// read as one integer, times 10^exp10.
    exp10: i32,
}

impl Number<'_> {
    /// Reads digits from `p` on into the mantissa, `scale` (0, or -1 for a fraction)
    /// added to the power of ten for each.
    fn digits_at(&mut self, b: &[u8], p: &mut usize, scale: i32) {
        while let Some(c) = b.get(*p).filter(|c| c.is_ascii_digit()) {
            if self.digits < 19 {
                self.mantissa = self.mantissa * 10 + u64::from(c - b'0');
                // Leading zeros leave the mantissa 0 and are not counted.
                self.digits += u32::from(self.mantissa != 0);
            } else {
                self.digits = self.digits.saturating_add(1);
            }
            self.exp10 += scale;
            *p += 1;
        }
    }
}

impl FromJson for bool {
    fn read(r: &mut Reader<'_>) -> Result<bool> {
        r.bool()
    }
}

impl FromJson for f64 {
    fn read(r: &mut Reader<'_>) -> Result<f64> {
        r.f64()
    }
}

impl FromJson for f32 {
    fn read(r: &mut Reader<'_>) -> Result<f32> {
        let mut x = 0.0;
        Self::read_over(r, &mut x).map(|()| x)
    }

    // The reading itself is here: records read their f32 fields in place, and with
    // `read` beside it the conversion compiled twice.
    fn read_over(r: &mut Reader<'_>, place: &mut f32) -> Result<()> {
        let x = r.f64()?;
        if x.abs() > f32::MAX as f64 {
            return Err(r.out_of_range("number out of range"));
        }
        *place = x as f32;
        Ok(())
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            // Through `read_over`, as for f32: the conversion is compiled once.
            fn read(r: &mut Reader<'_>) -> Result<$t> {
                let mut n = 0;
                Self::read_over(r, &mut n).map(|()| n)
            }

            fn read_over(r: &mut Reader<'_>, place: &mut $t) -> Result<()> {
                r.whole(<$t>::MIN as i64, <$t>::MAX as u64).map(|n| *place = n as $t)
            }

            #[inline(always)]
            fn read_new<'p>(r: &mut Reader<'_>, put: impl FnOnce($t) -> &'p mut $t) -> Result<()> {
                Self::read_over(r, put(0))
            }
        }
    )*};
}
integers!(u8, u16, u32, u64, i64, usize);

impl FromJson for String {
    fn read(r: &mut Reader<'_>) -> Result<String> {
        r.string()
    }

    /// In place over an empty string, as the records are: the string read aside was
    /// `Reader::string` and `Cow::into_owned`, compiled for lists, maps and options alone.
    #[inline(always)]
    fn read_new<'p>(r: &mut Reader<'_>, put: impl FnOnce(String) -> &'p mut String) -> Result<()> {
        Self::read_over(r, put(String::new()))
    }

    /// Reuses the allocation already in `place`: a catalog's items are all read into
    /// one document, whose texts then allocate nothing once the first few are read.
    fn read_over(r: &mut Reader<'_>, place: &mut String) -> Result<()> {
        r.str().map(|s| {
            place.clear();
            place.push_str(&s);
        })
    }
}

impl<T: FromJson> FromJson for Option<T> {
    /// `null` reads as `None`.
    fn read(r: &mut Reader<'_>) -> Result<Option<T>> {
        if r.null()? {
            Ok(None)
        } else {
            T::read(r).map(Some)
        }
    }

    fn read_over(r: &mut Reader<'_>, place: &mut Option<T>) -> Result<()> {
        if r.null()? {
            *place = None;
            return Ok(());
        }
        T::read_new(r, |value| place.insert(value))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn read(r: &mut Reader<'_>) -> Result<Vec<T>> {
        // Its own loop rather than a call to `read_over`: most lists are only read in
        // place, and the few read whole (a catalog's topics) would then compile both
        // (measured: 74 bytes more code).
        let mut v = Vec::new();
        // `map`, not `?`, for the same reason as in `Reader::field`.
        r.array(|r, _| T::read(r).map(|x| v.push(x)))?;
        Ok(v)
    }

    /// Each element read with [`FromJson::read_new`]; on an error, the list keeps what
    /// was read.
    fn read_over(r: &mut Reader<'_>, place: &mut Vec<T>) -> Result<()> {
        place.clear();
        r.array(|r, _| {
            T::read_new(r, |x| {
                let i = place.len();
                place.push(x);
                &mut place[i]
            })
        })
    }
}

impl<V: FromJson> FromJson for SortedMap<V> {
    /// An object; a repeated key keeps its last value.
    fn read(r: &mut Reader<'_>) -> Result<SortedMap<V>> {
        // Its own loop rather than a call to `read_over`, as for lists.
        let mut m = SortedMap::new();
        // `map`, not `?`, for the same reason as in `Reader::field`.
        r.object(|r, key| {
            V::read(r).map(|x| {
                m.insert(key.to_string(), x);
            })
        })?;
        Ok(m)
    }

    /// Each value read with [`FromJson::read_new`] (a repeated key's value is read
    /// anew, so the last one is kept); on an error, the map keeps what was read.
    fn read_over(r: &mut Reader<'_>, place: &mut SortedMap<V>) -> Result<()> {
        *place = SortedMap::new();
        r.object(|r, key| V::read_new(r, |x| place.insert(key.to_string(), x)))
    }
}

#[cfg(test)]
mod tests;
