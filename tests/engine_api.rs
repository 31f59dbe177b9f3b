//! The engine's public API as the browser layer uses it: a JSON catalog in,
//! events and declarations, ranked results and explanations out as JSON.

use inkling::catalog::Catalog;
use inkling::error::ErrorKind;
use inkling::explain::{explain, model_card};
use inkling::profile::{Event, EventKind, Preference, Profile, ProfileConfig};
use inkling::rank::{rank, RankOptions};

const DAY: i64 = 86_400_000;
const NOW: i64 = 20_400 * DAY;

const CATALOG: &str = r#"{
  "site": "a shop's own field, ignored",
  "topics": [{"id": "outdoors", "label": "Outdoors"}, {"id": "hiking", "label": "Hiking", "parent": "outdoors"},
             {"id": "cooking", "label": "Cooking"}, {"id": "health", "label": "Health", "sensitive": true},
             {"id": "pregnancy", "label": "Pregnancy", "parent": "health"}],
  "items": [
    {"id": "a17", "title": "Ten trails", "url": "https://shop.example/a17?session=abc", "topics": {"hiking": 1.0}, "popularity": 0.2},
    {"id": "a18", "title": "Boots", "kind": "offer", "campaign": "winter-sale", "topics": {"hiking": 0.6, "outdoors": 0.4}, "popularity": 0.9},
    {"id": "c1", "title": "Soup", "topics": {"cooking": 1.0}, "popularity": 0.5, "published": "2025-11-07"},
    {"id": "p1", "title": "Test kit", "topics": {"pregnancy": 1.0}, "popularity": 1.0}
  ]}"#;

/// `v` as the crate writes it, parsed back for inspection.
fn value<T: inkling::json::ToJson + ?Sized>(v: &T) -> serde_json::Value {
    serde_json::from_str(&inkling::json::to_string(v)).unwrap()
}

#[test]
fn a_visit_from_catalog_to_explanations() {
    let catalog = Catalog::from_json(CATALOG).unwrap();
    let tax = catalog.taxonomy();
    assert!(
        tax.is_sensitive(tax.get("pregnancy").unwrap()),
        "inherited from health"
    );
    let cfg = ProfileConfig::default();
    let mut profile = Profile::new();
    for (k, day) in [(EventKind::View, 0), (EventKind::Click, 1)] {
        let e = Event {
            kind: k,
            item: "a17".into(),
            gift: false,
            at_ms: NOW - DAY + day * 1000 * 3600 * 20,
        };
        profile.record(&catalog, &e, &cfg).unwrap();
    }
    profile
        .record(
            &catalog,
            &Event {
                kind: EventKind::Purchase,
                item: "p1".into(),
                gift: false,
                at_ms: NOW,
            },
            &cfg,
        )
        .unwrap();

    let opts = RankOptions {
        now_ms: NOW,
        ..RankOptions::default()
    };
    let ranked = rank(Some(&profile), &catalog, &opts);
    let ids: Vec<&str> = ranked.iter().map(|r| r.id.as_str()).collect();
    assert!(
        !ids.contains(&"p1"),
        "a sensitive item is never shown from behaviour alone"
    );
    assert!(!ids.contains(&"a17"), "clicked: left out with excludeSeen");
    let json = value(&ranked);
    let first = &json[0];
    assert!(first["id"].is_string() && first["score"].is_number());
    let reason = &first["reasons"][0];
    for key in ["topic", "label", "source", "text"] {
        assert!(reason.get(key).is_some(), "reason has {key}: {reason}");
    }

    let why = value(&explain(Some(&profile), &catalog, "p1", NOW).unwrap());
    assert_eq!(why["included"], false);
    assert!(why["excludedBecause"]
        .as_str()
        .unwrap()
        .contains("Pregnancy"));
    let e = explain(Some(&profile), &catalog, "nope", NOW).unwrap_err();
    assert_eq!((e.kind(), e.path()), (ErrorKind::NotFound, "/item"));

    profile.declare("pregnancy", Preference::Like, NOW).unwrap();
    let ranked = rank(
        Some(&profile),
        &catalog,
        &RankOptions {
            exclude_seen: false,
            ..opts.clone()
        },
    );
    assert_eq!(ranked[0].id, "p1", "declared: the visitor chose it");
    assert_eq!(ranked[0].reasons[0].text, "You said you like Pregnancy");

    let stored = profile.to_json();
    assert!(
        !stored.contains("https://") && !stored.contains("session"),
        "no URLs or identifiers"
    );
    assert!(stored.len() < 32 * 1024);
    assert_eq!(Profile::from_json(&stored).unwrap(), profile);

    let card = value(&model_card());
    assert!(card["signals"].as_array().unwrap().len() >= 6);
    assert!(card["eventWeights"]["click"].is_number());
}

#[test]
fn catalog_errors_carry_a_path_and_a_kind() {
    let cases = [
        (
            r#"{"topics":[{"id":"hiking"}],"items":[{"id":"a","topics":{"hikin":1}}]}"#,
            "/items/0/topics/hikin",
        ),
        (
            r#"{"topics":[{"id":"a","parent":"b"},{"id":"b","parent":"a"}]}"#,
            "/topics/0/parent",
        ),
        (
            r#"{"items":[{"id":"a","published":"02/11/2026"}]}"#,
            "/items/0/published",
        ),
        (
            r#"{"items":[{"id":"a","related":{"zz":0.5}}]}"#,
            "/items/0/related/zz",
        ),
        (r#"{"items":[{"id":"a","title":5}]}"#, "/items/0/title"),
    ];
    for (doc, path) in cases {
        let e = Catalog::from_json(doc).unwrap_err();
        assert_eq!(e.path(), path, "{doc}: {e}");
        assert!(!e.message().is_empty());
    }
    let long = "x".repeat(257);
    let doc = ["{\"items\":[{\"id\":\"", &long, "\"}]}"].concat();
    assert_eq!(
        Catalog::from_json(&doc).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
}
