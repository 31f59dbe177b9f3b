//! Writing JSON: compact text, byte for byte what serde_json writes for the same data
//! (but for a few `f32`s, written one digit longer so that this crate's reader reads them
//! back: see `shortest`).
//!
//! Why not serde's `Serialize`: with the reader hand-written, serde's derived writers
//! were the last serde code in the package (about 30 KB of wasm). Here each type writes
//! itself through one small writer. The output format is a contract (stored documents,
//! reports on the wire), so strings are escaped exactly as serde_json escapes them and
//! floats are written in their shortest form, laid out as serde_json lays them out
//! (`shortest`), which the tests check against serde_json.

use crate::sorted_map::SortedMap;
use crate::text::push_uint;

/// A type that can be written as JSON.
pub trait ToJson {
    /// Appends this value's JSON to `w`.
    fn write_json(&self, w: &mut Writer);
}

/// The compact JSON text of `value`.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut w = Writer::new();
    value.write_json(&mut w);
    w.finish()
}

/// Compact JSON being written.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

/// The fields of one object being written (see [`Writer::object`]): the writer itself.
///
/// Not a struct of its own holding the writer and a "first field" flag: every object's
/// closure then built one on the stack and passed its address to each field. The
/// writer needs no flag, since its text still ends with the object's `{` until the
/// first field is written (see `Writer::comma`).
pub type ObjectWriter = Writer;

impl Writer {
    /// An empty writer.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.out.push_str("null");
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, b: bool) {
        self.out.push_str(if b { "true" } else { "false" });
    }

    /// Writes an unsigned integer.
    pub fn u64(&mut self, n: u64) {
        push_uint(&mut self.out, n);
    }

    /// Writes a signed integer.
    pub fn i64(&mut self, n: i64) {
        if n < 0 {
            self.out.push('-');
        }
        push_uint(&mut self.out, n.unsigned_abs());
    }

    /// Writes a number in its shortest form (`1.0`, `0.1`, `1e21`); `null` if not finite,
    /// as serde_json does.
    pub fn f64(&mut self, x: f64) {
        if x.is_finite() {
            super::shortest::write_f64(&mut self.out, x);
        } else {
            self.null();
        }
    }

    /// Writes an `f32` in its own shortest form (so `0.1f32` is `0.1`, not
    /// `0.10000000149011612`); `null` if not finite.
    pub fn f32(&mut self, x: f32) {
        if x.is_finite() {
            super::shortest::write_f32(&mut self.out, x);
        } else {
            self.null();
        }
    }

    /// Writes a string, escaped as serde_json escapes: `"`, `\` and control characters.
    pub fn str(&mut self, s: &str) {
        self.out.push('"');
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            // The letter after the backslash; `u` for `\u00XX`.
            let escape = match b {
                b'"' | b'\\' => b,
                b'\n' => b'n',
                b'\r' => b'r',
                b'\t' => b't',
                0x08 => b'b',
                0x0c => b'f',
                0..=0x1f => b'u',
                _ => continue,
            };
            self.out.push_str(&s[start..i]);
            self.out.push('\\');
            self.out.push(escape as char);
            if escape == b'u' {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.push_str("00");
                self.out.push(HEX[(b >> 4) as usize] as char);
                self.out.push(HEX[(b & 0xf) as usize] as char);
            }
            start = i + 1;
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
    }

    /// Writes JSON text that is already JSON (an embedded document), as it is.
    pub fn raw(&mut self, json: &str) {
        self.out.push_str(json);
    }

    /// Writes an object; `fields` writes its fields, in order.
    pub fn object(&mut self, fields: impl FnOnce(&mut ObjectWriter)) {
        self.out.push('{');
        fields(self);
        self.out.push('}');
    }

    /// Writes an array of `items`.
    pub fn array<T: ToJson>(&mut self, items: &[T]) {
        self.out.push('[');
        for item in items {
            self.comma();
            item.write_json(self);
        }
        self.out.push(']');
    }

    /// Writes the comma before an array's item or an object's field, unless it is the
    /// first: the text then ends with the `[` or `{` that opened it, and no JSON value
    /// ends with either. Out of line, so an array or object writer needs no counter or
    /// flag of its own.
    #[inline(never)]
    fn comma(&mut self) {
        if !matches!(self.out.as_bytes().last(), Some(b'[' | b'{')) {
            self.out.push(',');
        }
    }
}

impl ObjectWriter {
    /// Starts the field `key` (a field name: plain ASCII, written as it is) and returns the
    /// writer for its value, which the caller must then write. Only within
    /// [`Writer::object`]'s closure.
    pub fn key(&mut self, key: &str) -> &mut Writer {
        self.comma();
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self
    }

    /// Writes the field `key` with `value`.
    pub fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        value.write_json(self.key(key));
    }

    /// Writes the field `key` with `value` unless it is `None` (serde's
    /// `skip_serializing_if = "Option::is_none"`).
    pub fn field_some<T: ToJson>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.field(key, v);
        }
    }
}

impl ToJson for bool {
    fn write_json(&self, w: &mut Writer) {
        w.bool(*self);
    }
}

impl ToJson for f64 {
    fn write_json(&self, w: &mut Writer) {
        w.f64(*self);
    }
}

impl ToJson for f32 {
    fn write_json(&self, w: &mut Writer) {
        w.f32(*self);
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, w: &mut Writer) {
                w.u64(*self as u64);
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, w: &mut Writer) {
                w.i64(*self as i64);
            }
        }
    )*};
}
signed!(i32, i64);

impl ToJson for str {
    fn write_json(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl ToJson for String {
    fn write_json(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, w: &mut Writer) {
        (**self).write_json(w);
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, w: &mut Writer) {
        (**self).write_json(w);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    /// `None` is `null`.
    fn write_json(&self, w: &mut Writer) {
        match self {
            Some(v) => v.write_json(w),
            None => w.null(),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, w: &mut Writer) {
        w.array(self);
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, w: &mut Writer) {
        w.array(self.as_slice());
    }
}

impl<V: ToJson> ToJson for SortedMap<V> {
    /// An object with the keys in order (escaped: map keys are data, not field names).
    fn write_json(&self, w: &mut Writer) {
        w.out.push('{');
        for (k, v) in self.iter() {
            w.comma();
            w.str(k);
            w.out.push(':');
            v.write_json(w);
        }
        w.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::{to_string, ToJson, Writer};
    use crate::sorted_map::SortedMap;
    use proptest::prelude::*;

    fn same<T: ToJson + serde::Serialize + ?Sized>(v: &T) -> Result<(), TestCaseError> {
        prop_assert_eq!(to_string(v), serde_json::to_string(v).unwrap());
        Ok(())
    }

    proptest! {
        #[test]
        fn numbers_and_strings_match_serde_json(
            x in any::<f64>(), y in any::<f32>(), i in any::<i64>(), u in any::<u64>(),
            s in "\\PC*", c in prop::collection::vec(0u8..0x80, 0..20),
        ) {
            same(&x)?;
            same(&y)?;
            same(&i)?;
            same(&u)?;
            same(&s)?;
            same(&String::from_utf8(c).unwrap())?;
        }
    }

    #[test]
    fn special_values_match_serde_json() {
        for x in [
            0.0,
            -0.0,
            1.0,
            0.1,
            1e21,
            1e-7,
            123456789.125,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
        ] {
            same(&x).unwrap();
        }
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(to_string(&x), "null");
        }
        same(&0.1f32).unwrap();
        same(&(0..0x20u8).map(char::from).collect::<String>()).unwrap();
        same("\"\\/\u{7f}é😀").unwrap();
        same(&vec![Some(1u32), None]).unwrap();
        let pairs = [("b\"".to_string(), 0.5f32), ("a".to_string(), 1.0)];
        let m: SortedMap<f32> = pairs.clone().into_iter().collect();
        let btree: std::collections::BTreeMap<String, f32> = pairs.into_iter().collect();
        assert_eq!(to_string(&m), serde_json::to_string(&btree).unwrap());
    }

    #[test]
    fn objects_write_fields_in_order_and_skip_absent_ones() {
        let mut w = Writer::new();
        w.object(|o| {
            o.field("v", &1u8);
            o.field_some("gone", &None::<u8>);
            o.field_some("kept", &Some("x"));
            o.key("raw").raw("[1,2]");
            o.key("empty").object(|_| {});
            o.key("inner").object(|o| {
                o.field("a", &1u8);
                o.field("b", &SortedMap::<u8>::default());
            });
            o.field("last", &true);
        });
        assert_eq!(
            w.finish(),
            r#"{"v":1,"kept":"x","raw":[1,2],"empty":{},"inner":{"a":1,"b":{}},"last":true}"#
        );
    }
}
