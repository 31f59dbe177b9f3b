//! Loading a catalog streams its items into the catalog as they are read. When
//! "items" comes before "topics", the items are read after the topics instead;
//! these tests hold both orders, and a `CatalogDocument` read whole, to the same
//! results and the same errors.

use inkling::catalog::{Catalog, CatalogDocument};
use inkling::error::ErrorKind;
use inkling::json;
use proptest::prelude::*;

/// Everything the catalog tells about itself, as text to compare.
fn summary(c: &Catalog) -> String {
    let mut s = format!(
        "n={} topics={} vectors={} related={} bytes={}\n",
        c.len(),
        c.taxonomy().len(),
        c.has_vectors(),
        c.has_related(),
        c.memory_bytes()
    );
    for t in c.taxonomy().non_sensitive() {
        s += &format!("topic {} {}\n", c.taxonomy().id(t), c.taxonomy().label(t));
    }
    for i in 0..c.len() {
        s += &format!(
            "{} {:?} {:?} {:?} {:?} {:?} {} {} {:?} {:?} {:?} {:?}\n",
            c.item_id(i),
            c.item_title(i),
            c.item_url(i),
            c.item_kind(i),
            c.item_campaign(i),
            c.item_published_day(i),
            c.item_popularity(i),
            c.item_is_sensitive(i),
            c.item_topics(i).collect::<Vec<_>>(),
            c.item_related(i).collect::<Vec<_>>(),
            c.vectors().map(|v| v.row(i).to_vec()),
            c.item_index(c.item_id(i)),
        );
    }
    s
}

fn outcome(r: inkling::error::Result<Catalog>) -> String {
    match r {
        Ok(c) => summary(&c),
        // Syntax errors say where in the text; the two orders differ there.
        Err(e) => {
            let msg = e.message().split(" (at byte ").next().unwrap_or_default();
            format!("{:?} {} {}", e.kind(), e.path(), msg)
        }
    }
}

/// The document with "topics" first (streamed) and with "items" first (read after the topics).
fn both_orders(topics: &str, items: &str) -> (String, String) {
    let streamed = [
        "{\"topics\":",
        topics,
        ",\"site\":{\"x\":[1]},\"items\":",
        items,
        "}",
    ]
    .concat();
    let buffered = ["{\"items\":", items, ",\"topics\":", topics, "}"].concat();
    (
        outcome(Catalog::from_json(&streamed)),
        outcome(Catalog::from_json(&buffered)),
    )
}

/// The document read whole into a `CatalogDocument`, then laid out.
fn whole(topics: &str, items: &str) -> String {
    let text = ["{\"topics\":", topics, ",\"items\":", items, "}"].concat();
    outcome(json::from_str::<CatalogDocument>(&text).and_then(Catalog::from_document))
}

const TOPICS: &str = r#"[{"id":"outdoors","label":"Outdoors"},{"id":"hiking","label":"Hiking","parent":"outdoors"},
    {"id":"health","sensitive":true},{"id":"travel"}]"#;

fn vec8(x: f64) -> String {
    let v: Vec<String> = (0..8).map(|k| (x + k as f64 * 0.5).to_string()).collect();
    ["[", &v.join(","), "]"].concat()
}

#[test]
fn items_before_topics_load_identically() {
    let items = [
        r#"[{"id":"b2","title":"Boots","url":"/b2","kind":"offer","campaign":"winter","#,
        r#""topics":{"hiking":0.5,"outdoors":1.0},"popularity":20,"related":{"a1":0.5},"vector":"#,
        &vec8(1.0),
        r#","extra":{"mine":true}},{"id":"a1","topics":{"hiking":1.0,"health":0.0},"published":"2026-11-02","#,
        r#""popularity":40,"related":{"b2":0.25,"c3":1.0,"a1":0.7},"vector":"#,
        &vec8(-2.0),
        r#"},{"id":"c3","title":"","topics":{"health":0.3,"travel":0.9},"campaign":"winter","kind":"offer","vector":"#,
        &vec8(0.0),
        "}]",
    ]
    .concat();
    let (streamed, buffered) = both_orders(TOPICS, &items);
    assert!(
        streamed.starts_with("n=3 topics=4 vectors=true related=true"),
        "{streamed}"
    );
    assert_eq!(streamed, buffered);
    assert_eq!(whole(TOPICS, &items), streamed);
    // A document with no topics, or no items, loads the same either way too.
    let (a, b) = both_orders("[]", r#"[{"id":"x"},{"id":"y","popularity":2}]"#);
    assert_eq!(a, b);
    assert!(a.starts_with("n=2"));
    assert_eq!(
        outcome(Catalog::from_json(&["{\"topics\":", TOPICS, "}"].concat())),
        outcome(Catalog::from_json(
            &["{\"items\":[],\"topics\":", TOPICS, "}"].concat()
        ))
    );
}

#[test]
fn streamed_items_report_the_same_errors() {
    let cases: &[(&str, &str, &str, ErrorKind)] = &[
        // A validation error names its item and key.
        (
            TOPICS,
            r#"[{"id":"a"},{"id":"b","topics":{"hiking":1,"hikin":1}}]"#,
            "/items/1/topics/hikin",
            ErrorKind::NotFound,
        ),
        (
            TOPICS,
            r#"[{"id":"a","topics":{"hiking":1.5}}]"#,
            "/items/0/topics/hiking",
            ErrorKind::OutOfRange,
        ),
        // A type error in a later item wins over a validation error in an earlier one.
        (
            TOPICS,
            r#"[{"id":"a","topics":{"hikin":1}},{"id":"b","topics":{"hiking":"heavy"}}]"#,
            "/items/1/topics/hiking",
            ErrorKind::Invalid,
        ),
        // A duplicate id is checked before item contents, wherever it is.
        (
            TOPICS,
            r#"[{"id":"a","topics":{"hikin":1}},{"id":"b"},{"id":"a"}]"#,
            "/items/2/id",
            ErrorKind::Invalid,
        ),
        (
            TOPICS,
            r#"[{"id":"a","published":"2026-02-30"},{"id":""}]"#,
            "/items/1/id",
            ErrorKind::Invalid,
        ),
        // Related ids may point forward; unknown ones are errors.
        (
            TOPICS,
            r#"[{"id":"a","related":{"b":0.5,"zz":0.1}},{"id":"b"}]"#,
            "/items/0/related/zz",
            ErrorKind::NotFound,
        ),
        // A related error comes before a later item's error.
        (
            TOPICS,
            r#"[{"id":"a","related":{"b":-1}},{"id":"b","popularity":-1}]"#,
            "/items/0/related/b",
            ErrorKind::OutOfRange,
        ),
        // The first vector shows that item 0 lacked one: that error comes first.
        (
            TOPICS,
            &[
                r#"[{"id":"a"},{"id":"b","related":{"zz":1}},{"id":"c","vector":"#,
                &vec8(1.0),
                "}]",
            ]
            .concat(),
            "/items/0/vector",
            ErrorKind::Invalid,
        ),
        (
            TOPICS,
            &[
                r#"[{"id":"a","topics":{"nope":1},"vector":"#,
                &vec8(1.0),
                r#"},{"id":"b","vector":[1,2,3,4,5,6,7,8,9]}]"#,
            ]
            .concat(),
            "/items/0/topics/nope",
            ErrorKind::NotFound,
        ),
        // Item 0's own error wins over what a later vector shows, whatever their lengths.
        (
            TOPICS,
            &[
                r#"[{"id":"a","popularity":-1,"vector":"#,
                &vec8(1.0),
                r#"},{"id":"b","vector":[1,2,3]}]"#,
            ]
            .concat(),
            "/items/0/popularity",
            ErrorKind::OutOfRange,
        ),
        // Related items after the first item error are not looked at.
        (
            TOPICS,
            r#"[{"id":"a","published":"x"},{"id":"b","related":{"zz":1}}]"#,
            "/items/0/published",
            ErrorKind::Invalid,
        ),
        // The taxonomy is checked before any item.
        (
            r#"[{"id":"x"},{"id":"x"}]"#,
            r#"[{"id":"a","topics":{"hikin":1}}]"#,
            "/topics/1/id",
            ErrorKind::Invalid,
        ),
        // ... but a type error in an item wins over the taxonomy's error.
        (
            r#"[{"id":"x"},{"id":"x"}]"#,
            r#"[{"id":"a"},{"id":"b","popularity":"high"}]"#,
            "/items/1/popularity",
            ErrorKind::Invalid,
        ),
        // A type error in the topics wins over one in the items, in either order.
        (
            r#"[{"id":"x","sensitive":1}]"#,
            r#"[{"id":"a","topics":{"x":"y"}}]"#,
            "/topics/0/sensitive",
            ErrorKind::Invalid,
        ),
        // Numbers too large for a weight are out of range, wherever they are.
        (
            TOPICS,
            r#"[{"id":"a"},{"id":"b","related":{"a":1e999}}]"#,
            "/items/1/related/a",
            ErrorKind::OutOfRange,
        ),
        // Not a list, or a list of something else.
        (TOPICS, "3", "/items", ErrorKind::Invalid),
        (
            TOPICS,
            r#"[{"id":"a"},"b"]"#,
            "/items/1",
            ErrorKind::Invalid,
        ),
        (
            TOPICS,
            r#"[{"id":"a","id":"b"}]"#,
            "/items/0/id",
            ErrorKind::Invalid,
        ),
    ];
    for (topics, items, path, kind) in cases {
        let (streamed, buffered) = both_orders(topics, items);
        assert_eq!(streamed, buffered, "{items}");
        assert_eq!(whole(topics, items), streamed, "{items}");
        let e = Catalog::from_json(&["{\"topics\":", topics, ",\"items\":", items, "}"].concat())
            .unwrap_err();
        assert_eq!(
            (e.path(), e.kind()),
            (*path, *kind),
            "{items}: {}",
            e.message()
        );
    }
    // Syntax errors after a bad item, and duplicate keys, stop loading as before.
    let bad = [
        r#"{"topics":"#,
        TOPICS,
        r#","items":[{"id":"a","topics":{"hikin":1}},{"id":"b"#,
    ]
    .concat();
    let e = Catalog::from_json(&bad).unwrap_err();
    assert_eq!((e.path(), e.kind()), ("/items/1/id", ErrorKind::Invalid));
    assert!(
        e.message().starts_with("unexpected end of a string"),
        "{}",
        e.message()
    );
    // With "items" first, their syntax is checked as they are met, before the topics.
    let e =
        Catalog::from_json(r#"{"items":[{"id":"a"},{"id" "b"}],"topics":[{"id":1}]}"#).unwrap_err();
    assert_eq!(e.path(), "/items/1");
    assert!(e.message().starts_with("expected `:`"), "{}", e.message());
    let dup = [r#"{"topics":"#, TOPICS, r#","items":[],"topics":[]}"#].concat();
    let e = Catalog::from_json(&dup).unwrap_err();
    assert_eq!((e.path(), e.message()), ("/topics", "duplicate field"));
    for dup in [
        r#"{"topics":[],"items":[],"items":[]}"#,
        r#"{"items":[],"topics":[],"items":[]}"#,
        r#"{"items":[],"items":[],"topics":[]}"#,
    ] {
        let e = Catalog::from_json(dup).unwrap_err();
        assert_eq!(
            (e.path(), e.message()),
            ("/items", "duplicate field"),
            "{dup}"
        );
    }
    let e = Catalog::from_json(r#"{"topics":[],"items":[]} x"#).unwrap_err();
    assert_eq!(e.path(), "");
    assert!(
        e.message().starts_with("trailing characters"),
        "{}",
        e.message()
    );
    let e = Catalog::from_json(r#"[{"topics":[]}]"#).unwrap_err();
    assert_eq!((e.path(), e.message()), ("", "expected an object"));
}

/// A random item as JSON, sometimes with one mistake.
fn item_json(i: usize, n: usize, mistake: u8, picks: &[usize]) -> String {
    let tid = |k: usize| ["\"t", &(k % 5).to_string(), "\""].concat();
    let iid = |k: usize| ["\"i", &(k % n.max(1)).to_string(), "\""].concat();
    let mut s = String::from("{\"id\":");
    s += &match mistake {
        1 => "\"\"".to_string(),
        2 => iid(i + 1),
        _ => iid(i),
    };
    s += ",\"topics\":{";
    s += &[
        tid(picks[0]),
        ":0.5,".into(),
        tid(picks[1] + 1),
        ":1".into(),
    ]
    .concat();
    s += match mistake {
        3 => ",\"nope\":1}",
        4 => ",\"t9\":2}",
        _ => "}",
    };
    if picks[2] % 3 == 0 {
        s += ",\"popularity\":";
        s += if mistake == 5 { "-1" } else { "7" };
    }
    if picks[3] % 2 == 0 || mistake == 6 {
        s += ",\"related\":{";
        s += &iid(picks[4]);
        s += if mistake == 6 {
            ":0.5,\"zz\":1}"
        } else {
            ":0.5}"
        };
    }
    if picks[5] % 4 != 0 || mistake == 7 {
        s += ",\"vector\":";
        s += &if mistake == 7 {
            "[1,2,3,4,5,6,7,8,9]".to_string()
        } else {
            vec8(picks[6] as f64)
        };
    }
    if mistake == 8 {
        s += ",\"published\":\"2026-13-01\"";
    }
    s + "}"
}

proptest! {
    #[test]
    fn streamed_and_buffered_loads_agree(
        items in prop::collection::vec((0u8..40, prop::collection::vec(0usize..50, 7)), 0..12)
    ) {
        let topics = r#"[{"id":"t0"},{"id":"t1","parent":"t0"},{"id":"t2","sensitive":true},{"id":"t3"},{"id":"t4"},{"id":"t9"}]"#;
        let n = items.len();
        let list: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, (m, picks))| item_json(i, n, *m, picks))
            .collect();
        let items = ["[", &list.join(","), "]"].concat();
        let (streamed, buffered) = both_orders(topics, &items);
        prop_assert_eq!(&streamed, &buffered);
        prop_assert_eq!(whole(topics, &items), streamed);
    }
}
