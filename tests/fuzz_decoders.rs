//! The stored-document and import decoders on hostile input, on stable Rust:
//! any text in, an error or a valid document out, never a panic. (The same
//! properties run under libFuzzer in `fuzz/` with nightly.)

use inkling::consent::ConsentChoice;
use inkling::profile::{EventKind, Preference, Profile};
use inkling::session::{EventInput, OpenOptions, Session};
use inkling::store::document::Document;
use inkling::store::slot::Decoded;
use inkling::store::{MemoryStore, Store};
use proptest::prelude::*;

const T0: i64 = 1_764_000_000_000;

const CATALOG: &str = r#"{"topics": [{"id": "hiking"}, {"id": "travel"}, {"id": "health", "sensitive": true}],
  "items": [{"id": "a1", "topics": {"hiking": 1}}, {"id": "a2", "topics": {"travel": 0.5, "hiking": 0.5}},
            {"id": "o1", "kind": "offer", "campaign": "c", "topics": {"travel": 1}}]}"#;

fn options() -> OpenOptions {
    OpenOptions {
        site_id: "f".into(),
        policy_version: "p".into(),
        half_life_days: None,
    }
}

/// A realistic stored document and exported profile to mutate.
fn seed_texts() -> (String, String) {
    let mut s = Session::open(options(), MemoryStore::new(), false, T0, 7).unwrap();
    s.load_catalog_json(CATALOG).unwrap();
    s.set_consent(
        &ConsentChoice {
            personalize: Some(true),
            remember: Some(true),
            measure: Some(true),
        },
        T0,
    );
    for (i, item) in ["a1", "a2", "o1", "a1"].iter().enumerate() {
        let kind = if *item == "o1" {
            EventKind::Impression
        } else {
            EventKind::Click
        };
        let e = EventInput {
            kind,
            item: item.to_string(),
            gift: false,
            at: Some((T0 + i as i64 * 86_400_000) as f64),
        };
        s.record(e, T0).unwrap();
    }
    s.declare("travel", Preference::Like, T0).unwrap();
    s.mute("health", T0).unwrap();
    let doc = s.store().get("inkling:f").unwrap().unwrap();
    (doc, s.export_profile())
}

/// Tokens that break types and bounds when spliced into JSON.
const TOKENS: &[&str] = &[
    "null",
    "1e999",
    "-1e999",
    "-1",
    "0",
    "1.5",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "true",
    "18446744073709551616",
    "{\"v\":2}",
    "\"\\u0000\"",
];

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Splice { at: usize, len: usize, token: usize },
    Insert { at: usize, ch: char },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 0usize..12, 0..TOKENS.len())
            .prop_map(|(at, len, token)| Mutation::Splice { at, len, token }),
        (any::<usize>(), any::<char>()).prop_map(|(at, ch)| Mutation::Insert { at, ch }),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut i = at % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut t = text.to_string();
    for m in mutations {
        match *m {
            Mutation::Truncate(at) => {
                let i = boundary(&t, at);
                t.truncate(i);
            }
            Mutation::Splice { at, len, token } => {
                let i = boundary(&t, at);
                let j = boundary(&t, i + len).max(i);
                t.replace_range(i..j, TOKENS[token]);
            }
            Mutation::Insert { at, ch } => {
                let i = boundary(&t, at);
                t.insert(i, ch);
            }
        }
    }
    t
}

/// The decoder's contract on one input.
fn check_document(text: &str) {
    if let Decoded::Ok(doc, rev) = Document::decode(text) {
        match Document::decode(&doc.encode()) {
            Decoded::Ok(_, rev2) => assert_eq!(rev, rev2),
            other => panic!("a decoded document must re-encode to a readable one: {other:?}"),
        }
    }
}

/// Opening a site over the input never panics and never keeps garbage in place.
fn check_session(text: &str) {
    let mut store = MemoryStore::new();
    store.set("inkling:f", text).unwrap();
    let s = Session::open(options(), store, false, T0, 9).unwrap();
    let status = s.status();
    if status.quarantine().is_some() {
        assert_eq!(s.store().get("inkling:f").unwrap(), None);
        assert!(s.profile().is_empty());
    }
    if status.newer_version().is_some() {
        assert_eq!(s.store().get("inkling:f").unwrap().as_deref(), Some(text));
    }
}

fn check_import(text: &str) {
    let mut s = Session::open(options(), MemoryStore::new(), false, T0, 3).unwrap();
    s.load_catalog_json(CATALOG).unwrap();
    let before = s.export_profile();
    match s.import_profile(text, T0) {
        Ok(()) => assert!(Profile::from_json(&s.export_profile()).is_ok()),
        Err(_) => assert_eq!(s.export_profile(), before, "a bad file changes nothing"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn any_text_is_a_document_an_error_or_newer(text in any::<String>()) {
        check_document(&text);
        check_session(&text);
        check_import(&text);
    }

    #[test]
    fn mutated_documents_never_panic(mutations in prop::collection::vec(mutation(), 1..4)) {
        let (doc, profile) = seed_texts();
        let text = apply(&doc, &mutations);
        check_document(&text);
        check_session(&text);
        let text = apply(&profile, &mutations);
        check_import(&text);
    }
}

#[test]
fn the_seed_texts_are_valid() {
    let (doc, profile) = seed_texts();
    assert!(matches!(Document::decode(&doc), Decoded::Ok(..)));
    assert!(Profile::from_json(&profile).is_ok());
}
