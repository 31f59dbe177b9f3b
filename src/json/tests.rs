use super::{from_str, read_record, read_record_from, FromJson, Reader, Record};
use crate::error::{ErrorKind, Result};
use crate::sorted_map::SortedMap;
use proptest::prelude::*;

fn err<T: FromJson + std::fmt::Debug>(text: &str) -> (String, String) {
    let e = from_str::<T>(text).unwrap_err();
    (e.path().to_string(), e.message().to_string())
}

#[test]
fn reads_scalars_strings_and_containers() {
    assert!(from_str::<bool>(" true ").unwrap());
    assert_eq!(from_str::<f64>("-1.5e2").unwrap(), -150.0);
    assert_eq!(from_str::<f32>("0.25").unwrap(), 0.25);
    assert_eq!(
        from_str::<i64>("-9007199254740993").unwrap(),
        -9007199254740993
    );
    assert_eq!(from_str::<u64>("18446744073709551615").unwrap(), u64::MAX);
    assert_eq!(from_str::<Option<u8>>("null").unwrap(), None);
    assert_eq!(from_str::<Vec<u16>>("[1, 2 ,3]").unwrap(), [1, 2, 3]);
    assert_eq!(
        from_str::<String>(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00z""#).unwrap(),
        "a\"\\/\u{8}\u{c}\n\r\té😀z"
    );
    assert_eq!(from_str::<String>("\"ünï\"").unwrap(), "ünï");
    let m: SortedMap<u8> = from_str(r#"{"b":1,"a":2,"b":3}"#).unwrap();
    assert_eq!(
        m.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(),
        [("a", 2), ("b", 3)]
    );
}

#[test]
fn read_into_replaces_the_value_in_place() {
    fn over<T: FromJson>(text: &str, mut place: T) -> T {
        let mut r = Reader::new(text);
        r.read_into(&mut place).unwrap();
        r.finish().unwrap();
        place
    }
    assert_eq!(over("[3, 4]", vec![1u8, 2, 5]), [3, 4]);
    assert_eq!(over("null", Some(1u16)), None);
    assert_eq!(over("7", Some(1u16)), Some(7));
    assert_eq!(over("9", 1usize), 9);
    let mut old = SortedMap::new();
    old.insert("z".to_string(), 1i64);
    let m = over(r#"{"a": 2}"#, old);
    assert_eq!(
        m.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(),
        [("a", 2)]
    );
    // Errors are those of reading the value aside.
    let mut r = Reader::new(r#"{"a": [1, "x"]}"#);
    let mut place = SortedMap::<Vec<u8>>::new();
    let e = r.read_into(&mut place).unwrap_err();
    assert_eq!((e.path(), e.message()), ("/a/1", "expected an integer"));
}

#[test]
fn integer_reads_any_range_exactly() {
    let read = |text: &str, min: i64, max: u64| Reader::new(text).integer(min, max);
    assert_eq!(read(" -0", -1, 1), Ok(0));
    assert_eq!(read("-0", 0, 1), Ok(0));
    assert_eq!(
        read("-9223372036854775808", i64::MIN, u64::MAX),
        Ok(i64::MIN.into())
    );
    assert_eq!(
        read("18446744073709551615", i64::MIN, u64::MAX),
        Ok(u64::MAX.into())
    );
    assert_eq!(read("-7", -7, 3), Ok(-7));
    assert_eq!(read("3", -7, 3), Ok(3));
    assert_eq!(read("5", 5, 9), Ok(5));
    for (text, min, max) in [
        ("-8", -7, 3),
        ("4", -7, 3),
        ("-1", 0, 3),
        ("2", 0, 1),
        ("4", 5, 9),
        ("-0", 5, 9),
    ] {
        let e = read(text, min, max).unwrap_err();
        assert_eq!(e.message(), "integer out of range", "{text}");
    }
}

#[test]
fn errors_name_the_path_of_the_value() {
    assert_eq!(
        err::<Vec<SortedMap<u8>>>(r#"[{}, {"a": 1, "b/~": "x"}]"#),
        ("/1/b~1~0".into(), "expected an integer".into())
    );
    assert_eq!(err::<u8>("256").1, "integer out of range");
    assert_eq!(
        from_str::<u8>("256").unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
    assert_eq!(err::<u32>("1.0").1, "expected an integer");
    assert_eq!(err::<u32>("-1").1, "integer out of range");
    assert_eq!(from_str::<i64>("-9223372036854775808").unwrap(), i64::MIN);
    assert_eq!(from_str::<i64>("-0").unwrap(), 0);
    assert_eq!(err::<i64>("-9223372036854775809").1, "integer out of range");
    assert_eq!(err::<i64>("9223372036854775808").1, "integer out of range");
    assert_eq!(err::<u64>("18446744073709551616").1, "integer out of range");
    assert_eq!(
        err::<u64>("123456789012345678901234567890").1,
        "integer out of range"
    );
    assert_eq!(err::<f64>("1e999").1, "number out of range");
    assert_eq!(err::<bool>("1").1, "expected true or false");
    assert_eq!(err::<String>("{}").1, "expected a string");
    assert!(err::<bool>("true x").1.starts_with("trailing characters"));
    assert!(err::<Vec<u8>>("[1,]").1.starts_with("invalid JSON"));
    assert!(err::<Vec<u8>>("[1 2]").1.starts_with("expected `,` or `]`"));
    assert!(err::<String>("\"a").1.starts_with("unexpected end"));
    assert!(err::<String>(r#""\ud800""#).1.starts_with("lone surrogate"));
    assert!(err::<String>(r#""\x""#).1.starts_with("invalid escape"));
    assert!(err::<String>("\"a\nb\"").1.starts_with("control character"));
    assert!(
        err::<f64>("01").1.starts_with("trailing characters")
            || err::<f64>("01").1.starts_with("invalid number")
    );
    assert!(err::<f64>("-").1.starts_with("invalid number"));
    assert!(err::<f64>("1.").1.starts_with("invalid number"));
    // Where the grammar breaks: right after the last character that fits it.
    for (bad, at) in [
        ("1e", 2),
        ("1e+", 3),
        ("1.e5", 2),
        ("-.5", 1),
        ("--1", 1),
        ("1.5e-", 5),
    ] {
        let expected = ["invalid number (at byte ", &at.to_string(), ")"].concat();
        assert_eq!(err::<f64>(bad).1, expected, "{bad}");
    }
    assert!(err::<f64>(".5").1.starts_with("invalid JSON"));
    assert!(err::<f64>("").1.starts_with("unexpected end"));
    let deep = "[".repeat(200) + &"]".repeat(200);
    assert_eq!(err::<Vec<Vec<Vec<u8>>>>(&deep).1, "expected an integer");
    let mut r = Reader::new(&deep);
    assert_eq!(r.skip().unwrap_err().message(), "nested too deeply");
    // Skipping scans without tracking the path, but its errors still name it.
    let mut r = Reader::new(r#"{"a": [1, {"b": tru}]}"#);
    assert_eq!(r.skip().unwrap_err().path(), "/a/1/b");
    let mut r = Reader::new(r#"[{"a": 1}, {"b": [2, 3}]"#);
    assert_eq!(r.raw().unwrap_err().path(), "/1/b");
}

#[derive(Debug)]
struct Point {
    x: f64,
    tag: Option<String>,
}

impl FromJson for Point {
    fn read(r: &mut Reader<'_>) -> Result<Point> {
        let (mut x, mut tag) = (None, None);
        r.object(|r, key| match key {
            "x" => r.field(&mut x),
            "tag" => r.field(&mut tag),
            _ => Err(r.unknown_field()),
        })?;
        Ok(Point {
            x: r.required(x, "x")?,
            tag: tag.flatten(),
        })
    }
}

/// A record with two required fields around an optional one, and its open variant.
#[derive(Debug, Default)]
struct Line {
    from: f64,
    label: String,
    to: f64,
}

impl Record for Line {
    const KEYS: &'static [&'static str] = &["from", "label", "to"];
    const OPTIONAL: u32 = 1 << 1;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.from),
            1 => r.read_into(&mut self.label),
            _ => r.read_into(&mut self.to),
        }
    }
}

impl FromJson for Line {
    fn read(r: &mut Reader<'_>) -> Result<Line> {
        read_record(r)
    }
}

#[derive(Debug, Default)]
struct OpenLine(Line);

impl Record for OpenLine {
    const KEYS: &'static [&'static str] = Line::KEYS;
    const OPTIONAL: u32 = Line::OPTIONAL;
    const SKIP_UNKNOWN: bool = true;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        self.0.read_field(r, i)
    }
}

impl FromJson for OpenLine {
    fn read(r: &mut Reader<'_>) -> Result<OpenLine> {
        read_record_from(
            r,
            OpenLine(Line {
                label: "none".into(),
                ..Line::default()
            }),
        )
    }
}

#[test]
fn records_read_in_place_and_reject_unknown_missing_and_repeated_fields() {
    let l: Line = from_str(r#"{"to": 2, "from": 1}"#).unwrap();
    assert_eq!((l.from, l.label.as_str(), l.to), (1.0, "", 2.0));
    assert_eq!(
        err::<Vec<Line>>(r#"[{"from": 1, "to": 2, "via": 3}]"#),
        ("/0/via".into(), "unknown field".into())
    );
    assert_eq!(
        err::<Line>(r#"{"from": 1, "from": 2}"#),
        ("/from".into(), "duplicate field".into())
    );
    // The first required field missing, in the order of `KEYS`.
    assert_eq!(
        err::<Vec<Line>>(r#"[{"label": "x"}]"#),
        ("/0".into(), "missing field `from`".into())
    );
    assert_eq!(
        err::<Line>(r#"{"from": 1}"#),
        ("".into(), "missing field `to`".into())
    );
    assert_eq!(
        err::<Line>(r#"{"from": 1, "to": "2"}"#),
        ("/to".into(), "expected a number".into())
    );
    let l: OpenLine = from_str(r#"{"via": [3], "to": 2, "from": 1}"#).unwrap();
    assert_eq!((l.0.from, l.0.label.as_str(), l.0.to), (1.0, "none", 2.0));
    assert_eq!(
        err::<OpenLine>(r#"{"to": 1, "to": 2}"#),
        ("/to".into(), "duplicate field".into())
    );
}

#[test]
fn struct_readers_reject_unknown_missing_and_repeated_fields() {
    let p: Point = from_str(r#"{"tag": null, "x": 2}"#).unwrap();
    assert_eq!((p.x, p.tag), (2.0, None));
    assert_eq!(
        err::<Vec<Point>>(r#"[{"x": 1, "y": 2}]"#),
        ("/0/y".into(), "unknown field".into())
    );
    assert_eq!(
        err::<Vec<Point>>(r#"[{"tag": "t"}]"#),
        ("/0".into(), "missing field `x`".into())
    );
    assert_eq!(
        err::<Point>(r#"{"x": 1, "x": 2}"#),
        ("/x".into(), "duplicate field".into())
    );
    let mut r = Reader::new(r#""walk""#);
    assert_eq!(r.one_of(&["view", "walk"]).unwrap(), 1);
    let mut r = Reader::new(r#""run""#);
    assert_eq!(
        r.one_of(&["view", "walk"]).unwrap_err().message(),
        "unknown value `run`, expected one of `view`, `walk`"
    );
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Whatever serde_json writes, the reader reads back the same strings and numbers, and
    /// `raw` spans exactly one value.
    #[test]
    fn reads_what_serde_json_writes(v in json_value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { serde_json::to_string(&v).unwrap() };
        let mut r = Reader::new(&text);
        let raw = r.raw().unwrap();
        r.finish().unwrap();
        prop_assert_eq!(raw, text.as_str());
        if let serde_json::Value::String(s) = &v {
            prop_assert_eq!(&from_str::<String>(&text).unwrap(), s);
        }
        if v.is_number() {
            // Exact, as Rust's own parser (serde_json without float_roundtrip may differ in the last bit).
            prop_assert_eq!(from_str::<f64>(&text).unwrap(), text.parse::<f64>().unwrap());
        }
    }

    /// On arbitrary short text, the reader accepts exactly what serde_json accepts.
    #[test]
    fn accepts_exactly_what_serde_json_accepts(text in "[\\[\\]{}\",:0-9.eE+\\- a-z\\\\/u]{0,16}") {
        let ours = Reader::new(&text).raw().is_ok() && { let mut r = Reader::new(&text); r.skip().is_ok() && r.finish().is_ok() };
        let theirs = serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok();
        prop_assert_eq!(ours, theirs, "{}", text);
    }
}

#[test]
fn numbers_beyond_the_fast_path_still_read_exactly() {
    for text in [
        "0.1",
        "-0",
        "-0.0",
        "9007199254740993",
        "1e22",
        "1e23",
        "123456789012345678901",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "4.9e-324",
        "0.30000000000000004",
        "1E+2",
        "1e-22",
        "12345678901234567e-5",
        "0.00000000000000000000001",
        "-0.0000000000000000000000123e-3",
    ] {
        let expected: f64 = text.parse().unwrap();
        assert_eq!(
            from_str::<f64>(text).unwrap().to_bits(),
            expected.to_bits(),
            "{text}"
        );
    }
}

/// Reads `T` over its default, as a record reads its fields.
fn over<T: FromJson + Default>(text: &str) -> Result<T> {
    let mut value = T::default();
    let mut r = Reader::new(text);
    T::read_over(&mut r, &mut value).and_then(|()| r.finish())?;
    Ok(value)
}

#[test]
fn lists_maps_and_options_read_each_value_from_its_start() {
    use crate::profile::{Engaged, Impression};
    // A repeated key is read anew: its clicks are not kept from the first value.
    let m: SortedMap<Engaged> =
        over(r#"{"b":{"w":1,"at":2,"clicks":3},"a":{"w":1,"at":1},"b":{"w":4,"at":5}}"#).unwrap();
    let expect = Engaged {
        w: 4.0,
        at: 5,
        clicks: 0,
    };
    assert_eq!((m.len(), m.get("b")), (2, Some(&expect)));
    let v: Vec<Impression> =
        over(r#"[{"item":"x","campaign":"c","at":1},{"item":"y","at":2}]"#).unwrap();
    assert_eq!(
        v.iter()
            .map(|i| (i.item.as_str(), i.campaign.as_deref(), i.at))
            .collect::<Vec<_>>(),
        [("x", Some("c"), 1), ("y", None, 2)]
    );
    let e = over::<Vec<Impression>>(r#"[{"item":"x","at":1},{"at":2}]"#).unwrap_err();
    assert_eq!((e.path(), e.message()), ("/1", "missing field `item`"));
    let e = over::<SortedMap<Engaged>>(r#"{"a":{"w":1,"at":"2"}}"#).unwrap_err();
    assert_eq!((e.path(), e.message()), ("/a/at", "expected an integer"));
    let m: SortedMap<i64> = over(r#"{"a":1,"b":-2,"a":3}"#).unwrap();
    assert_eq!(
        m.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(),
        [("a", 3), ("b", -2)]
    );
    assert_eq!(over::<Option<i64>>("-7").unwrap(), Some(-7));
    assert_eq!(over::<Option<i64>>("null").unwrap(), None);
    let e = over::<Option<u8>>("256").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutOfRange);
}
