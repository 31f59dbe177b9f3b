//! The façade natively: consent gating, storage modes, corruption, migration, two pages.

use super::*;
use crate::store::MemoryStore;
use std::cell::RefCell;
use std::rc::Rc;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_764_000_000_000;

const CATALOG: &str = r#"{
  "topics": [
    {"id": "outdoors", "label": "Outdoors"},
    {"id": "hiking", "label": "Hiking", "parent": "outdoors"},
    {"id": "travel", "label": "Travel"},
    {"id": "cooking", "label": "Cooking"},
    {"id": "health", "label": "Health", "sensitive": true}
  ],
  "items": [
    {"id": "a1", "title": "Ridge walks", "topics": {"hiking": 1.0}, "popularity": 0.1},
    {"id": "a2", "title": "Trail food", "topics": {"hiking": 0.6, "cooking": 0.5}, "popularity": 0.2},
    {"id": "a3", "title": "City breaks", "topics": {"travel": 1.0}, "popularity": 0.9},
    {"id": "a4", "title": "Soup", "topics": {"cooking": 1.0}, "popularity": 0.8},
    {"id": "a5", "title": "Sleep well", "topics": {"health": 1.0}, "popularity": 0.7},
    {"id": "o1", "title": "Boots sale", "kind": "offer", "campaign": "winter", "topics": {"hiking": 1.0}, "popularity": 1.0}
  ]
}"#;

/// A store shared by several sessions, like `localStorage` shared by tabs.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<MemoryStore>>);

impl Store for Shared {
    fn get(&self, key: &str) -> std::result::Result<Option<String>, StoreError> {
        self.0.borrow().get(key)
    }
    fn set(&mut self, key: &str, value: &str) -> std::result::Result<(), StoreError> {
        self.0.borrow_mut().set(key, value)
    }
    fn remove(&mut self, key: &str) -> std::result::Result<(), StoreError> {
        self.0.borrow_mut().remove(key)
    }
}

fn options(policy: &str) -> OpenOptions {
    OpenOptions {
        site_id: "demo".into(),
        policy_version: policy.into(),
        half_life_days: None,
    }
}

fn open_with<S: Store>(store: S, gpc: bool, writer: u64) -> Session<S> {
    let mut s = Session::open(options("2026-11"), store, gpc, T0, writer).unwrap();
    s.load_catalog_json(CATALOG).unwrap();
    s
}

fn open(store: MemoryStore) -> Session<MemoryStore> {
    open_with(store, false, 1)
}

fn grant(personalize: bool, remember: bool, measure: bool) -> ConsentChoice {
    ConsentChoice {
        personalize: Some(personalize),
        remember: Some(remember),
        measure: Some(measure),
    }
}

fn event(kind: EventKind, item: &str, at: i64) -> EventInput {
    EventInput {
        kind,
        item: item.into(),
        gift: false,
        at: Some(at as f64),
    }
}

fn ids(ranked: &[Ranked]) -> Vec<String> {
    ranked.iter().map(|r| r.id.clone()).collect()
}

fn stored(store: &MemoryStore) -> Option<String> {
    store.get("inkling:demo").unwrap()
}

/// Clicks on hiking items over three days.
fn learn_hiking<S: Store>(s: &mut Session<S>) {
    for d in 0..3 {
        assert!(s
            .record(event(EventKind::Click, "a1", T0 + d * DAY), T0 + d * DAY)
            .unwrap());
    }
}

#[test]
fn before_consent_nothing_is_learned_and_ranking_is_not_personalized() {
    let mut s = open(MemoryStore::new());
    assert!(s.consent().needs_decision);
    let before = ids(&s.rank(RankInput::default(), T0).unwrap());
    assert!(!s.record(event(EventKind::Click, "a1", T0), T0).unwrap());
    assert!(s.profile().is_empty());
    assert_eq!(ids(&s.rank(RankInput::default(), T0).unwrap()), before);
    assert_eq!(s.status().storage(), "memory");
    assert_eq!(s.status().reason(), Some("no-remember-consent"));
    // Nothing about the visitor was stored.
    assert_eq!(stored(s.store()), None);
}

#[test]
fn unknown_items_are_errors_with_a_path_even_without_consent() {
    let mut s = open(MemoryStore::new());
    let err = s
        .record(event(EventKind::Click, "nope", T0), T0)
        .unwrap_err();
    assert_eq!(err.path(), "/item");
    s.set_consent(&grant(true, false, false), T0);
    assert_eq!(
        s.record(event(EventKind::Click, "nope", T0), T0)
            .unwrap_err()
            .path(),
        "/item"
    );
}

#[test]
fn personalize_learns_and_changes_the_ranking() {
    let mut s = open(MemoryStore::new());
    let cold = ids(&s.rank(RankInput::default(), T0).unwrap());
    s.set_consent(&grant(true, false, false), T0);
    learn_hiking(&mut s);
    assert!(s.profile().observed("hiking", T0 + 3 * DAY) > 0.0);
    let warm = ids(&s
        .rank(
            RankInput {
                exclude_seen: Some(false),
                ..Default::default()
            },
            T0 + 3 * DAY,
        )
        .unwrap());
    assert_ne!(warm, cold);
    // Withdrawing personalize: ranking falls back, learning stops, the profile is kept.
    s.set_consent(
        &ConsentChoice {
            personalize: Some(false),
            ..Default::default()
        },
        T0 + 3 * DAY,
    );
    assert_eq!(ids(&s.rank(RankInput::default(), T0).unwrap()), cold);
    let snapshot = s.export_profile();
    assert!(!s
        .record(event(EventKind::Click, "a3", T0 + 3 * DAY), T0 + 3 * DAY)
        .unwrap());
    assert_eq!(s.export_profile(), snapshot);
}

#[test]
fn impressions_count_for_caps_without_personalize_but_are_not_stored() {
    let mut s = open(MemoryStore::new());
    s.set_consent(&grant(false, true, false), T0);
    let shown = |s: &Session<MemoryStore>| {
        ids(&s.rank(RankInput::default(), T0 + 10).unwrap()).contains(&"o1".to_string())
    };
    assert!(shown(&s));
    for i in 0..3 {
        assert!(!s
            .record(event(EventKind::Impression, "o1", T0 + i), T0 + i)
            .unwrap());
    }
    assert!(!shown(&s), "the offer is over its cap of 3 a day");
    assert!(s.profile().is_empty());
    assert!(!stored(s.store()).unwrap().contains("o1"));
}

#[test]
fn remember_keeps_the_profile_across_visits_and_its_withdrawal_deletes_it_at_once() {
    let mut s = open(MemoryStore::new());
    s.set_consent(&grant(true, true, false), T0);
    learn_hiking(&mut s);
    s.declare("travel", Preference::Like, T0).unwrap();
    assert_eq!(s.status().storage(), "local");
    let text = stored(s.store()).unwrap();
    assert!(text.contains("\"hiking\"") && text.contains("\"v\":1"));

    // A later visit.
    let mut again = open(s.store().clone());
    assert_eq!(again.export_profile(), s.export_profile());
    assert!(again.consent().remember && !again.consent().needs_decision);

    again.set_consent(
        &ConsentChoice {
            remember: Some(false),
            ..Default::default()
        },
        T0 + DAY,
    );
    let text = stored(again.store()).unwrap();
    assert!(
        !text.contains("hiking") && !text.contains("travel"),
        "profile still stored: {text}"
    );
    assert!(text.contains("\"remember\":false"));
    // This page keeps it in memory; the next visit does not.
    assert!(again.profile().observed("hiking", T0 + DAY) > 0.0);
    let third = open(again.store().clone());
    assert!(third.profile().is_empty());
    assert!(third.consent().personalize && !third.consent().remember);
}

#[test]
fn without_remember_only_the_consent_record_is_stored() {
    let mut s = open(MemoryStore::new());
    s.set_consent(&grant(true, false, false), T0);
    learn_hiking(&mut s);
    let text = stored(s.store()).unwrap();
    assert!(!text.contains("hiking") && !text.contains("profile\":{"));
    let again = open(s.store().clone());
    assert!(again.profile().is_empty());
    assert!(again.consent().personalize);
}

#[test]
fn a_new_policy_version_asks_again() {
    let mut s = open(MemoryStore::new());
    s.set_consent(&grant(true, true, true), T0);
    let mut newer = Session::open(options("2027-01"), s.store().clone(), false, T0, 2).unwrap();
    assert!(newer.consent().needs_decision);
    assert_eq!(newer.consent().policy_version, "2026-11");
    assert!(newer.status().needs_decision());
    newer.set_consent(&grant(true, true, false), T0 + 1);
    assert_eq!(newer.consent().policy_version, "2027-01");
    assert!(!newer.consent().needs_decision);
}

#[test]
fn gpc_turns_measure_off_until_an_explicit_choice() {
    let mut s = open(MemoryStore::new());
    s.set_consent(&grant(true, true, true), T0);
    let mut with_gpc = open_with(s.store().clone(), true, 2);
    assert!(with_gpc.consent().gpc && !with_gpc.consent().measure);
    with_gpc.set_consent(
        &ConsentChoice {
            personalize: Some(true),
            ..Default::default()
        },
        T0 + 1,
    );
    assert!(!with_gpc.consent().allows_measure());
    with_gpc.set_consent(
        &ConsentChoice {
            measure: Some(true),
            ..Default::default()
        },
        T0 + 2,
    );
    assert!(with_gpc.consent().allows_measure());
    let later = open_with(with_gpc.store().clone(), true, 3);
    assert!(later.consent().allows_measure());
}

#[test]
fn denied_or_missing_storage_runs_in_memory_and_says_why() {
    for (error, code) in [
        (StoreError::Denied, "denied"),
        (StoreError::Unavailable, "unavailable"),
    ] {
        let mut store = MemoryStore::new();
        store.fail_with(Some(error));
        let mut s = open(store);
        s.set_consent(&grant(true, true, false), T0);
        learn_hiking(&mut s);
        let st = s.status();
        assert_eq!((st.storage(), st.reason()), ("memory", Some(code)));
        assert!(s.profile().observed("hiking", T0 + 2 * DAY) > 0.0);
    }
}

#[test]
fn a_full_store_falls_back_to_memory_and_recovers_when_space_frees() {
    let mut s = open(MemoryStore::with_quota(1500));
    s.set_consent(&grant(true, true, false), T0);
    assert_eq!(s.status().storage(), "local");
    let mut i = 0;
    while s.status().storage() == "local" && i < 200 {
        let item = ["a1", "a2", "a3", "a4"][i % 4];
        s.record(event(EventKind::Click, item, T0 + i as i64), T0 + i as i64)
            .unwrap();
        i += 1;
    }
    let st = s.status();
    assert_eq!((st.storage(), st.reason()), ("memory", Some("quota")));
    // The last document that fit is still readable.
    assert!(matches!(
        Document::decode(&stored(s.store()).unwrap()),
        crate::store::slot::Decoded::Ok(..)
    ));
    // Space frees up: the next change is stored again.
    *s.store_mut() = {
        let mut bigger = MemoryStore::with_quota(1 << 20);
        for k in ["inkling:demo"] {
            if let Some(v) = s.store().get(k).unwrap() {
                bigger.set(k, &v).unwrap();
            }
        }
        bigger
    };
    s.declare("travel", Preference::Like, T0 + DAY).unwrap();
    assert_eq!(s.status().storage(), "local");
    assert_eq!(open(s.store().clone()).export_profile(), s.export_profile());
}

#[test]
fn corrupt_documents_are_quarantined_and_the_site_starts_clean() {
    let nan_weight = r#"{"v":1,"rev":3,"savedAt":0,"consent":null,"profile":{"v":1,"topics":{"hiking":{"w":1e999}}}}"#;
    let cases: Vec<(&str, String)> = vec![
        (
            "truncated",
            r#"{"v":1,"rev":3,"savedAt":0,"consent":{"personalize":tr"#.to_string(),
        ),
        (
            "wrong types",
            r#"{"v":1,"rev":"three","savedAt":0}"#.to_string(),
        ),
        ("bad profile", nan_weight.to_string()),
        ("not json", "hello".to_string()),
        ("huge", ["\"", &"x".repeat(10 << 20), "\""].concat()),
    ];
    for (name, text) in cases {
        let mut store = MemoryStore::new();
        store.set("inkling:demo", &text).unwrap();
        let mut s = open(store);
        let q = s
            .status()
            .quarantine()
            .unwrap_or_else(|| panic!("{name}: not quarantined"));
        assert_eq!(q.key, "inkling:demo:quarantine", "{name}");
        assert!(s.profile().is_empty(), "{name}");
        assert!(s.consent().needs_decision, "{name}");
        let kept = s.store().get("inkling:demo:quarantine").unwrap().unwrap();
        assert!(
            text.starts_with(&kept),
            "{name}: the bad document is kept for inspection"
        );
        assert_eq!(stored(s.store()), None, "{name}");
        // The site works normally afterwards.
        s.set_consent(&grant(true, true, false), T0);
        learn_hiking(&mut s);
        assert_eq!(
            open(s.store().clone()).export_profile(),
            s.export_profile(),
            "{name}"
        );
    }
}

#[test]
fn a_hand_written_version_0_document_is_migrated() {
    let v0 = r#"{"consent": {"personalize": true, "remember": true, "measure": false,
                 "policy": "2026-11", "at": 1750000000000},
                 "likes": ["hiking"], "dislikes": ["cooking"], "muted": ["travel"], "paused": false}"#;
    let mut store = MemoryStore::new();
    store.set("inkling:demo", v0).unwrap();
    let s = open(store);
    assert_eq!(s.status().migrated_from(), Some(0));
    assert!(s.consent().personalize && s.consent().remember && !s.consent().measure);
    assert_eq!(s.consent().decided_at, Some(1_750_000_000_000));
    assert!(!s.consent().needs_decision);
    assert_eq!(s.profile().declared("hiking"), Preference::Like);
    assert_eq!(s.profile().declared("cooking"), Preference::Dislike);
    assert!(s.profile().is_muted("travel"));
    // Rewritten in the current layout.
    let text = stored(s.store()).unwrap();
    assert!(text.starts_with("{\"v\":1"), "{text}");
    let again = open(s.store().clone());
    assert_eq!(again.status().migrated_from(), None);
    assert_eq!(again.profile().declared("hiking"), Preference::Like);
}

#[test]
fn a_bad_version_0_document_is_quarantined() {
    let mut store = MemoryStore::new();
    store.set("inkling:demo", r#"{"likes": [""]}"#).unwrap();
    let s = open(store);
    let q = s.status().quarantine().unwrap();
    let error = q.error.describe();
    assert!(error.starts_with("/likes/0"), "{error}");
}

#[test]
fn a_newer_document_is_left_untouched_and_the_session_runs_in_memory() {
    let newer = r#"{"v":2,"whatever":"the future holds"}"#;
    let mut store = MemoryStore::new();
    store.set("inkling:demo", newer).unwrap();
    let mut s = open(store);
    let st = s.status();
    assert_eq!(
        (st.storage(), st.reason(), st.newer_version()),
        ("memory", Some("newer-version"), Some(2))
    );
    s.set_consent(&grant(true, true, false), T0);
    learn_hiking(&mut s);
    s.erase(T0);
    assert_eq!(stored(s.store()).as_deref(), Some(newer));
}

#[test]
fn an_interrupted_write_is_finished_on_the_next_visit() {
    let mut s = open(MemoryStore::new());
    s.set_consent(&grant(true, true, false), T0);
    learn_hiking(&mut s);
    let before = stored(s.store()).unwrap();
    s.declare("travel", Preference::Like, T0).unwrap();
    let after = stored(s.store()).unwrap();
    // The page closed between writing `:next` and switching.
    let mut store = s.store().clone();
    store.set("inkling:demo", &before).unwrap();
    store.set("inkling:demo:next", &after).unwrap();
    let again = open(store);
    assert_eq!(again.profile().declared("travel"), Preference::Like);
}

#[test]
fn import_validates_and_a_bad_file_changes_nothing() {
    let mut s = open(MemoryStore::new());
    s.set_consent(&grant(true, true, false), T0);
    learn_hiking(&mut s);
    let exported = s.export_profile();
    let doc_before = stored(s.store()).unwrap();
    for bad in [
        "",
        "{",
        r#"{"v":1,"topics":{"x":{"w":"heavy"}}}"#,
        r#"{"v":7}"#,
        "[1,2,3]",
    ] {
        assert!(s.import_profile(bad, T0).is_err(), "{bad}");
        assert_eq!(s.export_profile(), exported);
        assert_eq!(stored(s.store()).unwrap(), doc_before);
    }
    let mut other = open(MemoryStore::new());
    other.set_consent(&grant(true, true, false), T0);
    other.import_profile(&exported, T0).unwrap();
    assert_eq!(other.export_profile(), exported);
    assert_eq!(open(other.store().clone()).export_profile(), exported);
}

#[test]
fn erase_removes_everything_including_the_quarantine() {
    let mut store = MemoryStore::new();
    store.set("inkling:demo", "garbage").unwrap();
    let mut s = open(store);
    s.set_consent(&grant(true, true, false), T0);
    learn_hiking(&mut s);
    s.erase(T0 + DAY);
    assert!(s.profile().is_empty());
    assert!(s.status().quarantine().is_none());
    assert_eq!(s.store().get("inkling:demo:quarantine").unwrap(), None);
    let text = stored(s.store()).unwrap();
    assert!(!text.contains("hiking"));
    assert!(open(s.store().clone()).profile().is_empty());
}

#[test]
fn two_pages_writing_in_turn_lose_nothing() {
    let shared = Shared::default();
    let mut a = open_with(shared.clone(), false, 11);
    a.set_consent(&grant(true, true, false), T0);
    let mut b = open_with(shared.clone(), false, 22);
    assert!(b.consent().remember);
    for i in 0..10 {
        let t = T0 + i;
        a.record(event(EventKind::View, "a1", t), t).unwrap();
        b.record(event(EventKind::View, "a3", t), t).unwrap();
    }
    let last = open_with(shared.clone(), false, 33);
    let recent = last.profile().recent();
    assert_eq!(recent.iter().filter(|e| e.item == "a1").count(), 10);
    assert_eq!(recent.iter().filter(|e| e.item == "a3").count(), 10);
}

#[test]
fn a_change_lost_to_a_simultaneous_write_is_applied_again() {
    let shared = Shared::default();
    let mut a = open_with(shared.clone(), false, 11);
    a.set_consent(&grant(true, true, false), T0);
    let mut b = open_with(shared.clone(), false, 22);
    // Both read the same document; A writes, then B overwrites it without having seen A's write.
    let common = shared.0.borrow().get("inkling:demo").unwrap().unwrap();
    a.record(event(EventKind::Click, "a1", T0), T0).unwrap();
    shared.0.borrow_mut().set("inkling:demo", &common).unwrap();
    b.record(event(EventKind::Click, "a3", T0), T0).unwrap();
    let after_b = shared.0.borrow().get("inkling:demo").unwrap().unwrap();
    assert!(!after_b.contains("\"a1\""), "A's click is lost for now");
    // A hears about B's write (the `storage` event) and puts its click back.
    a.external_change(false, T0 + 1);
    let text = shared.0.borrow().get("inkling:demo").unwrap().unwrap();
    assert!(text.contains("\"a1\"") && text.contains("\"a3\""), "{text}");
    b.external_change(false, T0 + 2);
    assert_eq!(a.export_profile(), b.export_profile());
    assert_eq!(a.status().unconfirmed_changes(), 0);
    // B's click was confirmed by A's document: nothing to redo, nothing written.
    let rev = b.status().revision();
    b.reconcile(T0 + 3);
    assert_eq!(b.status().revision(), rev);
}

#[test]
fn kept_changes_are_forgotten_once_another_page_has_written_them() {
    let shared = Shared::default();
    let mut a = open_with(shared.clone(), false, 11);
    a.set_consent(&grant(true, true, false), T0);
    for i in 0..3 {
        a.record(event(EventKind::View, "a1", T0 + i), T0 + i)
            .unwrap();
    }
    // Only this page has written them: a page that never saw them may still overwrite them.
    assert_eq!(a.status().kept_changes(), 3);
    let mut b = open_with(shared.clone(), false, 22);
    b.record(event(EventKind::View, "a3", T0 + 5), T0 + 5)
        .unwrap();
    // B's document includes A's first three changes, not the one A makes meanwhile.
    a.record(event(EventKind::View, "a2", T0 + 6), T0 + 6)
        .unwrap();
    assert_eq!(a.status().kept_changes(), 1);
    a.external_change(false, T0 + 7);
    assert_eq!(a.status().kept_changes(), 1);
}

#[test]
fn another_page_withdrawing_remember_is_honoured() {
    let shared = Shared::default();
    let mut a = open_with(shared.clone(), false, 11);
    a.set_consent(&grant(true, true, false), T0);
    learn_hiking(&mut a);
    let mut b = open_with(shared.clone(), false, 22);
    b.set_consent(
        &ConsentChoice {
            remember: Some(false),
            ..Default::default()
        },
        T0 + DAY,
    );
    a.external_change(false, T0 + DAY);
    assert!(!a.consent().remember);
    a.record(event(EventKind::Click, "a2", T0 + DAY), T0 + DAY)
        .unwrap();
    let text = shared.0.borrow().get("inkling:demo").unwrap().unwrap();
    assert!(!text.contains("hiking"), "{text}");
}

#[test]
fn bad_options_are_errors_with_paths() {
    let bad_site = OpenOptions {
        site_id: "".into(),
        ..options("p")
    };
    assert_eq!(
        Session::open(bad_site, MemoryStore::new(), false, T0, 1)
            .err()
            .unwrap()
            .path(),
        "/siteId"
    );
    let bad_half_life = OpenOptions {
        half_life_days: Some(-1.0),
        ..options("p")
    };
    assert!(Session::open(bad_half_life, MemoryStore::new(), false, T0, 1).is_err());
    let s = open(MemoryStore::new());
    let e = s
        .rank(
            RankInput {
                limit: Some(0.0),
                ..Default::default()
            },
            T0,
        )
        .unwrap_err();
    assert_eq!(e.path(), "/limit");
    let e = s
        .rank(
            RankInput {
                now: Some(f64::NAN),
                ..Default::default()
            },
            T0,
        )
        .unwrap_err();
    assert_eq!(e.path(), "/now");
    let fresh = Session::open(options("p"), MemoryStore::new(), false, T0, 1).unwrap();
    assert!(
        fresh.rank(RankInput::default(), T0).is_err(),
        "no catalog yet"
    );
}

#[test]
fn interleaved_pages_with_late_storage_events_converge_without_loss() {
    // A small deterministic generator: pages act in a shuffled order and storage
    // events (saying whether the document was removed) reach the other page late.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..20 {
        let shared = Shared::default();
        let mut pages = [
            open_with(shared.clone(), false, 11),
            open_with(shared.clone(), false, 22),
        ];
        pages[0].set_consent(&grant(true, true, false), T0);
        let removed = shared.0.borrow().get("inkling:demo").unwrap().is_none();
        pages[1].external_change(removed, T0);
        let mut queues: [Vec<bool>; 2] = [Vec::new(), Vec::new()];
        let mut done = [0usize; 2];
        let items = ["a1", "a3"];
        while done[0] < 15 || done[1] < 15 {
            let p = (next() % 2) as usize;
            if next() % 3 == 0 && !queues[p].is_empty() {
                let removed = queues[p].remove(0);
                pages[p].external_change(removed, T0);
            } else if done[p] < 15 {
                let before = shared.0.borrow().get("inkling:demo").unwrap();
                pages[p]
                    .record(event(EventKind::View, items[p], T0 + done[p] as i64), T0)
                    .unwrap();
                done[p] += 1;
                let after = shared.0.borrow().get("inkling:demo").unwrap();
                if after != before {
                    queues[1 - p].push(after.is_none());
                }
            }
        }
        // Deliver everything left, as the browser eventually does, until quiet.
        for _ in 0..10 {
            for p in 0..2 {
                while !queues[p].is_empty() {
                    let removed = queues[p].remove(0);
                    let before = shared.0.borrow().get("inkling:demo").unwrap();
                    pages[p].external_change(removed, T0);
                    let after = shared.0.borrow().get("inkling:demo").unwrap();
                    if after != before {
                        queues[1 - p].push(after.is_none());
                    }
                }
            }
        }
        let last = open_with(shared.clone(), false, 33);
        let count = |item: &str| {
            last.profile()
                .recent()
                .iter()
                .filter(|e| e.item == item)
                .count()
        };
        assert_eq!((count("a1"), count("a3")), (15, 15), "round {round}");
    }
}

fn input_error<T: FromJson + std::fmt::Debug>(text: &str) -> (String, String) {
    let e = crate::json::from_str::<T>(text).unwrap_err();
    (e.path().to_string(), e.message().to_string())
}

#[test]
fn page_inputs_are_read_strictly_with_paths() {
    let e: EventInput =
        crate::json::from_str(r#"{"type":"purchase","item":"a1","gift":true,"at":null}"#).unwrap();
    assert_eq!(
        (e.kind, e.item.as_str(), e.gift, e.at),
        (EventKind::Purchase, "a1", true, None)
    );
    assert_eq!(
        input_error::<EventInput>(r#"{"type":"walk","item":"a1"}"#),
        (
            "/type".into(),
            "unknown value `walk`, expected one of `view`, `click`, `purchase`, `dismiss`, `impression`".into()
        )
    );
    assert_eq!(
        input_error::<EventInput>(r#"{"item":"a1"}"#),
        ("".into(), "missing field `type`".into())
    );
    assert_eq!(
        input_error::<EventInput>(r#"{"type":"view","item":"a1","when":1}"#),
        ("/when".into(), "unknown field".into())
    );
    assert_eq!(
        input_error::<EventInput>(r#"{"type":"view","item":"a1","at":1,"at":2}"#),
        ("/at".into(), "duplicate field".into())
    );
    assert_eq!(
        input_error::<EventInput>(r#"{"type":"view","item":7}"#),
        ("/item".into(), "expected a string".into())
    );

    let o: OpenOptions =
        crate::json::from_str(r#"{"siteId":"s","policyVersion":"p","halfLifeDays":null}"#).unwrap();
    assert_eq!((o.site_id.as_str(), o.half_life_days), ("s", None));
    assert_eq!(
        input_error::<OpenOptions>(r#"{"siteId":"s"}"#),
        ("".into(), "missing field `policyVersion`".into())
    );
    assert_eq!(
        input_error::<OpenOptions>(r#"{"site_id":"s","policyVersion":"p"}"#),
        ("/site_id".into(), "unknown field".into())
    );
    assert_eq!(
        input_error::<OpenOptions>("null"),
        ("".into(), "expected an object".into())
    );

    let r: RankInput = crate::json::from_str(r#"{"exclude":["a3"],"excludeSeen":false}"#).unwrap();
    assert_eq!(
        (r.exclude, r.exclude_seen, r.limit),
        (vec!["a3".to_string()], Some(false), None)
    );
    assert_eq!(
        input_error::<RankInput>(r#"{"limit":"ten"}"#),
        ("/limit".into(), "expected a number".into())
    );
    assert_eq!(
        input_error::<RankInput>(r#"{"exclude":["a",1]}"#),
        ("/exclude/1".into(), "expected a string".into())
    );
    assert_eq!(
        input_error::<RankInput>(r#"{"diversity":true,"diversity":false}"#),
        ("/diversity".into(), "duplicate field".into())
    );
}

#[test]
fn the_status_and_holdings_layouts_are_pinned() {
    let s = open(MemoryStore::new());
    assert_eq!(
        crate::json::to_string(&s.status()),
        concat!(
            r#"{"siteId":"demo","storage":"memory","reason":"no-remember-consent","newerVersion":null,"#,
            r#""quarantine":null,"migratedFrom":null,"catalogItems":6,"catalogVectors":false,"#,
            r#""personalized":false,"needsDecision":true,"revision":0,"unconfirmedChanges":0,"keptChanges":0}"#
        )
    );
    let q = Quarantine {
        key: "k".into(),
        error: Error::invalid("", "bad \"json\""),
        bytes: 12,
        complete: false,
    };
    assert_eq!(
        crate::json::to_string(&QuarantineStatus(&q)),
        r#"{"key":"k","error":"bad \"json\"","bytes":12,"complete":false}"#
    );
    let mut s = Session::open(
        OpenOptions {
            site_id: "demo".into(),
            policy_version: "p".into(),
            half_life_days: None,
        },
        MemoryStore::new(),
        false,
        T0,
        1,
    )
    .unwrap();
    let mut holdings = |measure: Option<&str>| {
        s.measure = measure.map(str::to_string);
        s.holdings().to_json()
    };
    let start = concat!(
        r#"{"consent":{"personalize":false,"remember":false,"measure":false,"gpc":false,"#,
        r#""policyVersion":"p","decidedAt":null,"needsDecision":true,"measureDespiteGpc":false},"#,
        r#""profile":{"v":1,"paused":false,"halfLifeDays":14.0,"oneOffFactor":0.25,"topics":{},"#,
        r#""recent":[],"engaged":{},"dismissed":{},"shown":[]},"storage":"memory","measure":"#
    );
    assert_eq!(holdings(None), [start, "null}"].concat());
    assert_eq!(
        holdings(Some(r#"{"v":1}"#)),
        [start, r#"{"v":1}}"#].concat()
    );
}

#[test]
fn names_with_control_characters_are_refused_exactly_as_char_is_control_says() {
    // The check reads bytes; every character up to U+0800, alone and between letters,
    // and a few beyond, must be judged as `char::is_control` judges it.
    let chars = (0..0x800u32)
        .chain([0xfeff, 0x2028, 0x1f600])
        .filter_map(char::from_u32);
    for c in chars {
        for name in [c.to_string(), format!("a{c}b")] {
            let refused = validate_name("/siteId", &name).is_err();
            assert_eq!(refused, c.is_control(), "U+{:04X}", c as u32);
        }
    }
}
