//! Compiled catalogs: what `Catalog::to_bytes` saves, `Catalog::from_bytes` gives
//! back exactly, and no damaged or hostile file gets past `from_bytes` as anything
//! but an error or a catalog that keeps every invariant.

mod catalog_support;

use catalog_support::{catalogs, Shape};
use inkling::catalog::binary::{MAGIC, VERSION};
use inkling::catalog::Catalog;
use inkling::error::ErrorKind;
use inkling::explain::explain;
use inkling::profile::{Event, EventKind, Preference, Profile, ProfileConfig};
use inkling::rank::{rank, RankOptions};
use proptest::prelude::*;

const DAY: i64 = 86_400_000;
const T0: i64 = 20_400 * DAY;

fn vec8(x: f64) -> String {
    let v: Vec<String> = (0..8).map(|k| (x + k as f64 * 0.5).to_string()).collect();
    ["[", &v.join(","), "]"].concat()
}

/// Catalogs that use every field: offers and campaigns, dates, vectors, related
/// items (including an item related only to itself), sensitive subtopics, and
/// ids that are not ASCII.
fn test_catalogs() -> Vec<Catalog> {
    let full = [
        r#"{"topics":[{"id":"outdoors","label":"Outdoors"},{"id":"hiking","label":"Hiking","parent":"outdoors"},
            {"id":"health","sensitive":true},{"id":"yoga","parent":"health"},{"id":"travel","label":"Voyages ✈"}],
          "items":[{"id":"b2","title":"Boots","url":"/b2","kind":"offer","campaign":"winter",
            "topics":{"hiking":0.5,"outdoors":1.0},"popularity":20,"related":{"a1":0.5},"vector":"#,
        &vec8(1.0),
        r#"},{"id":"a1","topics":{"hiking":1.0,"health":0.0},"published":"2026-11-02",
            "popularity":40,"related":{"b2":0.25,"c3":1.0,"a1":0.7},"vector":"#,
        &vec8(-2.0),
        r#"},{"id":"c3","title":"","topics":{"yoga":0.3,"travel":0.9},"campaign":"winter","kind":"offer",
            "published":"9999-12-31","vector":"#,
        &vec8(0.0),
        r#"},{"id":"ñandú/1~","title":"Ñandú","topics":{"travel":1},"campaign":"spring","kind":"offer","vector":"#,
        &vec8(3.0),
        "}]}",
    ]
    .concat();
    let json = [
        full.as_str(),
        "{}",
        r#"{"topics":[{"id":"x"}]}"#,
        r#"{"items":[{"id":"a","related":{"a":1}},{"id":"b","popularity":0}]}"#,
        r#"{"topics":[{"id":"hiking"},{"id":"travel"},{"id":"health","sensitive":true}],
           "items":[{"id":"a1","topics":{"hiking":1}},{"id":"a2","topics":{"travel":0.5,"hiking":0.5}},
                    {"id":"o1","kind":"offer","campaign":"c","topics":{"travel":1}}]}"#,
    ];
    let mut out: Vec<Catalog> = json
        .iter()
        .map(|j| Catalog::from_json(j).unwrap())
        .collect();
    // Vectors attached afterwards, as `loadCatalog(doc, { vectors })` does.
    let flat: Vec<f32> = (0..16).map(|k| k as f32 - 7.5).collect();
    out.push(out[3].clone().with_vectors(8, &flat).unwrap());
    out.push(out[1].clone().with_vectors(8, &[]).unwrap());
    out
}

fn reload(c: &Catalog) -> Catalog {
    Catalog::from_bytes(&c.to_bytes()).expect("a compiled catalog loads")
}

/// A visitor who likes the first topic and clicked the first items.
fn profile(c: &Catalog) -> Profile {
    let mut p = Profile::new();
    let cfg = ProfileConfig::default();
    if let Some(t) = c.taxonomy().all().next() {
        p.declare(c.taxonomy().id(t), Preference::Like, T0).unwrap();
    }
    for i in 0..c.len().min(3) {
        let e = Event {
            kind: EventKind::Click,
            item: c.item_id(i).into(),
            gift: false,
            at_ms: T0 + i as i64 * DAY,
        };
        p.record(c, &e, &cfg).unwrap();
    }
    p
}

/// Rankings and explanations, with and without a profile, as comparable text.
fn results(c: &Catalog, p: &Profile) -> String {
    let opts = RankOptions {
        limit: 20,
        now_ms: T0 + 5 * DAY,
        ..RankOptions::default()
    };
    let mut out = String::new();
    for prof in [Some(p), None] {
        for r in rank(prof, c, &opts) {
            out += &format!("{} {} {:?}\n", r.id, r.score, r.reasons);
        }
    }
    for i in 0..c.len() {
        let e = explain(Some(p), c, c.item_id(i), opts.now_ms).unwrap();
        out += &format!("{} {} {:?}\n", e.included, e.score, e.reasons);
    }
    out
}

#[test]
fn test_catalogs_round_trip_and_rank_identically() {
    for c in test_catalogs() {
        let back = reload(&c);
        assert_eq!(back, c);
        let p = profile(&c);
        assert_eq!(results(&back, &p), results(&c, &p));
        assert_eq!(back.to_bytes(), c.to_bytes(), "saving is deterministic");
    }
}

#[test]
fn every_truncation_is_an_error() {
    for c in test_catalogs() {
        let bytes = c.to_bytes();
        for len in 0..bytes.len() {
            let e = Catalog::from_bytes(&bytes[..len]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Invalid, "{len}: {e}");
        }
    }
}

#[test]
fn other_versions_are_unsupported_and_other_files_invalid() {
    let bytes = test_catalogs()[0].to_bytes();
    for v in [0, VERSION + 1, u32::MAX] {
        let mut b = bytes.clone();
        b[8..12].copy_from_slice(&v.to_le_bytes());
        let e = Catalog::from_bytes(&b).unwrap_err();
        assert_eq!((e.kind(), e.path()), (ErrorKind::Unsupported, "/binary"));
        assert!(e.message().contains("compile the catalog again"), "{e}");
    }
    for start in [
        &b"{\"topics\":[]}"[..],
        b"INKLCAT",
        b"\0\0\0\0\0\0\0\0\x01\0\0\0",
    ] {
        let e = Catalog::from_bytes(start).unwrap_err();
        assert_eq!((e.kind(), e.path()), (ErrorKind::Invalid, "/binary"), "{e}");
    }
    let mut b = bytes.clone();
    b[0] ^= 0x20;
    let e = Catalog::from_bytes(&b).unwrap_err();
    assert_eq!((e.kind(), e.path()), (ErrorKind::Invalid, "/binary"));
}

/// The header and empty taxonomy, then `n` as the item count and nothing more.
fn header_with_items(n: u32) -> Vec<u8> {
    let mut b = MAGIC.to_vec();
    b.extend_from_slice(&VERSION.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes()); // no topics
    b.extend_from_slice(&0u32.to_le_bytes()); // their ids: one offset
    b.extend_from_slice(&0u32.to_le_bytes()); // their labels: one offset
    b.extend_from_slice(&n.to_le_bytes());
    b
}

#[test]
fn forged_counts_fail_before_allocating() {
    let e = Catalog::from_bytes(&header_with_items(1_000_001)).unwrap_err();
    assert_eq!((e.kind(), e.path()), (ErrorKind::OutOfRange, "/items"));
    // A million items claimed in a few bytes: refused when the offsets run out.
    let e = Catalog::from_bytes(&header_with_items(1_000_000)).unwrap_err();
    assert_eq!((e.kind(), e.path()), (ErrorKind::Invalid, "/binary"));
    let mut b = header_with_items(u32::MAX);
    b.extend_from_slice(&[0; 64]);
    assert_eq!(
        Catalog::from_bytes(&b).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
}

/// Byte offset of the first `pattern` in `bytes`.
fn find(bytes: &[u8], pattern: &[u8]) -> usize {
    bytes
        .windows(pattern.len())
        .position(|w| w == pattern)
        .expect("pattern present")
}

#[test]
fn broken_invariants_are_named() {
    // items a1, a2, o1 over hiking, travel, health (catalog 4).
    let c = &test_catalogs()[4];
    let bytes = c.to_bytes();
    let check = |f: &dyn Fn(&mut Vec<u8>), kind: ErrorKind, path: &str| {
        let mut b = bytes.clone();
        f(&mut b);
        let e = Catalog::from_bytes(&b).unwrap_err();
        assert_eq!((e.kind(), e.path()), (kind, path), "{e}");
    };
    // The item id blob "a1a2o1" is followed by the empty titles' and urls' offsets,
    // then by_id = [0, 1, 2].
    let ids = find(&bytes, b"a1a2o1");
    let by_id = ids + 6 + 2 * 16;
    assert_eq!(
        &bytes[by_id..by_id + 12],
        &[0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0]
    );
    check(&|b| b[by_id] = 1, ErrorKind::Invalid, "/binary");
    check(&|b| b[by_id] = 7, ErrorKind::Invalid, "/binary");
    check(&|b| b[ids + 3] = b'1', ErrorKind::Invalid, "/items/1/id");
    check(&|b| b[ids + 1] = 0xC3, ErrorKind::Invalid, "/items/0/id");
    let kinds = by_id + 12;
    assert_eq!(&bytes[kinds..kinds + 3], &[0, 0, 1]);
    check(&|b| b[kinds + 1] = 2, ErrorKind::Invalid, "/items/1/kind");
    // One campaign "c", then campaign = [none, none, 0].
    let campaign = kinds + 3 + 4 + 8 + 1;
    assert_eq!(&bytes[campaign + 8..campaign + 12], &[0, 0, 0, 0]);
    check(
        &|b| b[campaign + 8] = 1,
        ErrorKind::NotFound,
        "/items/2/campaign",
    );
    let published = campaign + 12;
    check(
        &|b| b[published..published + 4].copy_from_slice(&3_000_000i32.to_le_bytes()),
        ErrorKind::OutOfRange,
        "/items/0/published",
    );
    let popularity = published + 12;
    check(
        &|b| b[popularity + 4..popularity + 8].copy_from_slice(&f32::INFINITY.to_le_bytes()),
        ErrorKind::OutOfRange,
        "/items/1/popularity",
    );
    // Topic offsets [0, 1, 3, 4], indices [0, 1, 0, 1], weights [1, .5, .5, 1].
    let off = popularity + 12;
    assert_eq!(bytes[off + 8], 3);
    check(&|b| b[off + 8] = 0, ErrorKind::Invalid, "/items/1/topics");
    check(
        &|b| b[off + 4] = 99,
        ErrorKind::OutOfRange,
        "/items/0/topics",
    );
    let ix = off + 16;
    check(
        &|b| b[ix + 4] = 1,
        ErrorKind::Invalid,
        "/items/1/topics/travel",
    );
    check(&|b| b[ix + 2] = 9, ErrorKind::NotFound, "/items/1/topics");
    let w = ix + 8;
    check(
        &|b| b[w..w + 4].copy_from_slice(&0f32.to_le_bytes()),
        ErrorKind::OutOfRange,
        "/items/0/topics/hiking",
    );
    // No vectors, no related items: the last eight bytes are two zero u32s.
    let end = bytes.len();
    assert_eq!(w + 16, end - 8);
    check(&|b| b[end - 1] = 1, ErrorKind::Invalid, "/binary");
    check(&|b| b[end - 8] = 7, ErrorKind::OutOfRange, "/vectors");
    check(&|b| b[end - 8] = 8, ErrorKind::Invalid, "/binary");
}

#[test]
fn topic_cycles_and_bad_parents_are_refused() {
    let c = Catalog::from_json(r#"{"topics":[{"id":"aa"},{"id":"bb","parent":"aa"}]}"#).unwrap();
    let bytes = c.to_bytes();
    // Ids "aabb", label offsets, labels "aabb", then parents [none, 0].
    let parents = find(&bytes, b"aabb") + 4 + 12 + 4;
    assert_eq!(&bytes[parents..parents + 4], &[0xFF, 0xFF, 0, 0]);
    let mut b = bytes.clone();
    b[parents..parents + 2].copy_from_slice(&[1, 0]);
    assert_eq!(
        Catalog::from_bytes(&b).unwrap_err().path(),
        "/topics/0/parent"
    );
    let mut b = bytes.clone();
    b[parents + 2] = 2;
    let e = Catalog::from_bytes(&b).unwrap_err();
    assert_eq!(
        (e.kind(), e.path()),
        (ErrorKind::NotFound, "/topics/1/parent")
    );
    let mut b = bytes;
    b[parents + 4] = 3;
    assert_eq!(
        Catalog::from_bytes(&b).unwrap_err().path(),
        "/topics/0/sensitive"
    );
}

fn item_id(i: usize) -> String {
    ["it", &(i * 7919 % 1000).to_string(), "é"].concat()
}

/// Every field in use, ids that are not ASCII and not in index order, and the
/// values a compiled file must keep apart: zero weights, absent titles and urls.
const SHAPE: Shape = Shape {
    item_id,
    today: T0 / DAY,
    sparse: true,
};

/// What damages a file: a byte set, a bit flipped, a u32 overwritten with a
/// count-like value, bytes cut or inserted.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Flip(usize, u8),
    Word(usize, u32),
    Cut(usize, usize),
    Insert(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let word = prop_oneof![
        Just(0u32),
        Just(1),
        Just(2),
        Just(0xFFFF),
        Just(u32::MAX),
        Just(1_000_000),
        0u32..64
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Set(at, b)),
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip(at, bit)),
        (any::<usize>(), word).prop_map(|(at, w)| Mutation::Word(at, w)),
        (any::<usize>(), 1usize..9).prop_map(|(at, n)| Mutation::Cut(at, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Insert(at, b)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
    match *m {
        Mutation::Set(i, b) => {
            let i = at(i, bytes.len());
            if let Some(x) = bytes.get_mut(i) {
                *x = b;
            }
        }
        Mutation::Flip(i, bit) => {
            let i = at(i, bytes.len());
            if let Some(x) = bytes.get_mut(i) {
                *x ^= 1 << bit;
            }
        }
        Mutation::Word(i, w) => {
            if bytes.len() >= 4 {
                let i = at(i, bytes.len() - 3);
                bytes[i..i + 4].copy_from_slice(&w.to_le_bytes());
            }
        }
        Mutation::Cut(i, n) => {
            let i = at(i, bytes.len() + 1);
            let j = (i + n).min(bytes.len());
            bytes.drain(i..j);
        }
        Mutation::Insert(i, b) => {
            let i = at(i, bytes.len() + 1);
            bytes.insert(i, b);
        }
    }
}

/// A catalog that loaded from damaged bytes is still a catalog: it ranks,
/// explains and looks up every item without panicking, and saves and loads again.
fn use_everything(c: &Catalog) {
    let p = profile(c);
    let _ = results(c, &p);
    for i in 0..c.len() {
        assert_eq!(c.item_index(c.item_id(i)), Some(i));
        let _ = (c.item_title(i), c.item_url(i), c.item_campaign(i));
        for (t, _) in c.item_topics(i) {
            let _ = c.taxonomy().label(t);
        }
        for (j, _) in c.item_related(i) {
            let _ = c.item_id(j);
        }
    }
    assert_eq!(&reload(c), c);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn generated_catalogs_round_trip_and_rank_identically(c in catalogs(SHAPE)) {
        let back = reload(&c);
        prop_assert_eq!(&back, &c);
        let p = profile(&c);
        prop_assert_eq!(results(&back, &p), results(&c, &p));
    }

    #[test]
    fn damaged_files_are_errors_or_valid_catalogs(
        c in catalogs(SHAPE),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let mut bytes = c.to_bytes();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        match Catalog::from_bytes(&bytes) {
            Ok(loaded) => use_everything(&loaded),
            Err(e) => prop_assert!(!e.path().is_empty() && !e.message().is_empty()),
        }
    }
}

#[test]
fn the_magic_and_version_lead_the_file() {
    let bytes = test_catalogs()[1].to_bytes();
    assert_eq!(&bytes[..8], b"INKLCAT\0");
    assert_eq!(&bytes[8..12], &VERSION.to_le_bytes());
}
