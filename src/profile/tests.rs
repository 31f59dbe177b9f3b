use super::*;

const DAY: i64 = 86_400_000;
const T0: i64 = 20_000 * DAY;

fn catalog() -> Catalog {
    Catalog::from_json(
        r#"{"topics": [{"id": "hiking", "label": "Hiking"}, {"id": "travel"}, {"id": "cooking"},
                      {"id": "health", "sensitive": true}, {"id": "pregnancy", "parent": "health"}],
            "items": [{"id": "a1", "url": "https://example.com/secret-path", "topics": {"hiking": 1.0, "travel": 0.5}},
                      {"id": "a2", "topics": {"cooking": 1.0}},
                      {"id": "s1", "topics": {"pregnancy": 1.0, "cooking": 0.5}},
                      {"id": "o1", "kind": "offer", "campaign": "winter", "topics": {"travel": 1.0}}]}"#,
    )
    .unwrap()
}

fn ev(kind: EventKind, item: &str, at_ms: i64) -> Event {
    Event {
        kind,
        item: item.into(),
        gift: false,
        at_ms,
    }
}

fn rec(p: &mut Profile, c: &Catalog, kind: EventKind, item: &str, at: i64) {
    p.record(c, &ev(kind, item, at), &ProfileConfig::default())
        .unwrap();
}

#[test]
fn events_raise_observed_weights_with_documented_event_weights() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Click, "a1", T0);
    let s = p.topic("hiking").unwrap();
    assert_eq!((s.w, s.days), (2.0, 1));
    assert_eq!(p.topic("travel").unwrap().w, 1.0);
    assert_eq!(p.recent().len(), 1);
    assert!(p.has_seen("a1"));
    rec(&mut p, &c, EventKind::View, "a2", T0);
    assert!(!p.has_seen("a2"), "a view is not 'seen' for excludeSeen");
}

#[test]
fn unknown_items_are_an_error_and_change_nothing() {
    let c = catalog();
    let mut p = Profile::new();
    let e = p
        .record(
            &c,
            &ev(EventKind::Click, "nope", T0),
            &ProfileConfig::default(),
        )
        .unwrap_err();
    assert_eq!((e.kind(), e.path()), (ErrorKind::NotFound, "/item"));
    assert!(p.is_empty());
}

#[test]
fn gift_purchases_never_feed_the_profile() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::View, "a2", T0);
    let before = p.clone();
    let gift = Event {
        gift: true,
        ..ev(EventKind::Purchase, "a1", T0 + 5)
    };
    p.record(&c, &gift, &ProfileConfig::default()).unwrap();
    assert_eq!(p, before);
}

#[test]
fn sensitive_topics_are_never_learned_from_behaviour() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Purchase, "s1", T0);
    rec(&mut p, &c, EventKind::Click, "s1", T0 + DAY);
    assert!(p.topic("pregnancy").is_none());
    assert!(p.topic("health").is_none());
    assert!(
        p.topic("cooking").is_some(),
        "its non-sensitive topics still count"
    );
    assert!(
        p.engaged().all(|(id, _)| id != "s1"),
        "sensitive items are not kept as engaged"
    );
    assert!(!p.to_json().contains("pregnancy"));
}

#[test]
fn dismiss_pulls_topics_down_and_is_remembered() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Click, "a1", T0);
    let before = p.observed("hiking", T0);
    rec(&mut p, &c, EventKind::Dismiss, "a1", T0 + 1);
    assert!(p.observed("hiking", T0 + 1) < before);
    assert!(p.is_dismissed("a1") && p.has_seen("a1"));
}

#[test]
fn one_off_topics_are_damped_until_a_second_day() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Purchase, "a2", T0);
    assert!((p.observed("cooking", T0) - 1.0).abs() < 1e-9, "4 × 25%");
    rec(&mut p, &c, EventKind::View, "a2", T0 + DAY);
    assert!(p.observed("cooking", T0 + DAY) > 4.0);
}

#[test]
fn weights_decay_with_the_half_life() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Click, "a2", T0);
    rec(&mut p, &c, EventKind::Click, "a2", T0 + DAY);
    let w = p.observed("cooking", T0 + DAY);
    assert!((p.observed("cooking", T0 + 15 * DAY) - w / 2.0).abs() < 1e-6);
}

#[test]
fn muted_topics_are_not_learned_and_paused_profiles_learn_nothing() {
    let c = catalog();
    let mut p = Profile::new();
    p.mute("hiking").unwrap();
    rec(&mut p, &c, EventKind::Click, "a1", T0);
    assert!(!p.topic("hiking").unwrap().has_observed());
    assert!(p.topic("travel").is_some());
    let mut q = Profile::new();
    q.set_paused(true);
    rec(&mut q, &c, EventKind::Click, "a1", T0);
    assert!(q.topics().next().is_none() && q.recent().is_empty());
    rec(&mut q, &c, EventKind::Impression, "o1", T0);
    assert_eq!(
        q.impressions().len(),
        1,
        "frequency caps still count while paused"
    );
    assert!(p.unmute("hiking"));
}

#[test]
fn impressions_are_kept_for_offers_only_and_are_not_learned() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Impression, "a1", T0);
    assert!(p.is_empty());
    rec(&mut p, &c, EventKind::Impression, "o1", T0);
    assert_eq!(p.impressions()[0].campaign.as_deref(), Some("winter"));
    assert!(p.topics().next().is_none() && p.recent().is_empty());
}

#[test]
fn declare_forget_mute_and_erase() {
    let c = catalog();
    let mut p = Profile::new();
    p.declare("hiking", Preference::Like, T0).unwrap();
    assert_eq!(p.declared("hiking"), Preference::Like);
    p.declare("hiking", Preference::None, T0).unwrap();
    assert!(
        p.topic("hiking").is_none(),
        "clearing the only fact removes the entry"
    );
    assert!(p.declare("", Preference::Like, T0).is_err());
    rec(&mut p, &c, EventKind::Click, "a1", T0);
    p.declare("travel", Preference::Dislike, T0).unwrap();
    assert!(p.forget("hiking"));
    assert!(!p.to_json().contains("hiking"));
    assert!(!p.forget("hiking"));
    p.erase();
    assert!(p.is_empty());
    assert_eq!(p.to_json(), Profile::new().to_json());
}

#[test]
fn forget_everywhere_leaves_no_item_of_the_topic() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Click, "a1", T0);
    rec(&mut p, &c, EventKind::Click, "a2", T0);
    assert!(p.forget_everywhere(&c, "hiking"));
    let j = p.to_json();
    assert!(!j.contains("hiking") && !j.contains("\"a1\""), "{j}");
    assert!(j.contains("a2"));
}

#[test]
fn undo_takes_the_last_event_back() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Click, "a2", T0);
    let before = p.clone();
    rec(&mut p, &c, EventKind::Click, "a1", T0 + DAY);
    rec(&mut p, &c, EventKind::Dismiss, "a2", T0 + DAY);
    let cfg = ProfileConfig::default();
    assert_eq!(p.undo(&c, &cfg).map(|e| e.kind), Some(EventKind::Dismiss));
    assert!(!p.is_dismissed("a2"));
    assert_eq!(p.undo(&c, &cfg).map(|e| e.item), Some("a1".to_string()));
    assert!(p.topic("hiking").is_none());
    let cooking = p.topic("cooking").unwrap();
    assert_eq!(
        cooking.days, 1,
        "the second day came from the undone dismissal"
    );
    assert!(
        (cooking.effective(T0 + DAY, 14.0, 0.25) - before.observed("cooking", T0 + DAY)).abs()
            < 1e-4
    );
    assert!(p.engaged().all(|(id, _)| id != "a1"));
    assert!(p.undo(&c, &cfg).is_some());
    assert!(p.undo(&c, &cfg).is_none());
}

#[test]
fn top_interests_put_declared_likes_first_and_skip_sensitive_and_muted() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Click, "a1", T0);
    rec(&mut p, &c, EventKind::Click, "a1", T0 + DAY);
    p.declare("cooking", Preference::Like, T0).unwrap();
    p.declare("health", Preference::Like, T0).unwrap();
    let tax = c.taxonomy();
    let ids = |v: Vec<TopicIx>| {
        v.into_iter()
            .map(|t| tax.id(t).to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(p.top_interests(&c, T0 + DAY, 5)),
        ["cooking", "hiking", "travel"]
    );
    p.mute("hiking").unwrap();
    assert_eq!(ids(p.top_interests(&c, T0 + DAY, 2)), ["cooking", "travel"]);
}

/// The top `k` are the first `k` of the candidates sorted as documented: likes first
/// by topic, then observed weights strongest first, ties by topic; for every `k`.
#[test]
fn top_interests_are_the_first_k_of_the_documented_order() {
    let n = 12;
    let topics: Vec<String> = (0..n).map(|i| format!(r#"{{"id":"t{i:02}"}}"#)).collect();
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"i{i:02}","topics":{{"t{i:02}":{}}}}}"#,
                [1.0, 0.5][i % 2]
            )
        })
        .collect();
    let c = Catalog::from_json(&format!(
        r#"{{"topics":[{}],"items":[{}]}}"#,
        topics.join(","),
        items.join(",")
    ))
    .unwrap();
    let mut p = Profile::new();
    for i in 0..n {
        rec(&mut p, &c, EventKind::Click, &format!("i{i:02}"), T0);
        if i % 3 == 0 {
            rec(&mut p, &c, EventKind::Click, &format!("i{i:02}"), T0 + DAY);
        }
    }
    for (i, pref) in [
        (7, Preference::Like),
        (2, Preference::Like),
        (4, Preference::Dislike),
    ] {
        p.declare(&format!("t{i:02}"), pref, T0).unwrap();
    }
    p.mute("t05").unwrap();
    let tax = c.taxonomy();
    let now = T0 + 2 * DAY;
    let mut expected: Vec<(bool, f64, TopicIx)> = Vec::new();
    for (id, s) in p.topics() {
        let t = tax.get(id).unwrap();
        if s.is_muted() || s.preference() == Preference::Dislike {
            continue;
        }
        let w = s.effective(now, p.half_life_days(), p.one_off_factor());
        if s.preference() == Preference::Like {
            expected.push((true, 0.0, t));
        } else if w > 0.0 {
            expected.push((false, w, t));
        }
    }
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    let expected: Vec<TopicIx> = expected.into_iter().map(|c| c.2).collect();
    assert_eq!(expected.len(), n - 2);
    for k in 0..=n + 1 {
        assert_eq!(
            p.top_interests(&c, now, k),
            expected[..k.min(expected.len())],
            "k = {k}"
        );
    }
}

#[test]
fn bounded_topics_events_and_size() {
    let n = 700;
    let topics: Vec<String> = (0..n)
        .map(|i| ["{\"id\":\"", &"t".repeat(200), &i.to_string(), "\"}"].concat())
        .collect();
    let items: Vec<String> = (0..n)
        .map(|i| {
            [
                "{\"id\":\"",
                &"i".repeat(200),
                &i.to_string(),
                "\",\"topics\":{\"",
                &"t".repeat(200),
                &i.to_string(),
                "\":1}}",
            ]
            .concat()
        })
        .collect();
    let c = Catalog::from_json(
        &[
            "{\"topics\":[",
            &topics.join(","),
            "],\"items\":[",
            &items.join(","),
            "]}",
        ]
        .concat(),
    )
    .unwrap();
    let mut p = Profile::new();
    for i in 0..n {
        let id = c.item_id(i).to_string();
        rec(&mut p, &c, EventKind::Click, &id, T0 + i as i64 * 1000);
        if i % 50 == 0 {
            rec(&mut p, &c, EventKind::Dismiss, &id, T0 + i as i64 * 1000);
        }
    }
    assert!(p.topics().count() <= MAX_TOPICS);
    assert!(p.recent().len() <= MAX_RECENT);
    assert!(p.engaged().count() <= MAX_ENGAGED);
    let j = p.to_json();
    assert!(
        j.len() <= MAX_SERIALIZED_BYTES && j.len() < 32 * 1024,
        "{}",
        j.len()
    );
    assert_eq!(Profile::from_json(&j).unwrap(), p);
}

#[test]
fn declarations_are_refused_when_the_profile_is_full() {
    let mut p = Profile::new();
    let mut refused = None;
    for i in 0..600 {
        let id = ["topic-", &"x".repeat(100), &i.to_string()].concat();
        if let Err(e) = p.declare(&id, Preference::Like, T0) {
            refused = Some((i, e));
            break;
        }
    }
    let (i, e) = refused.expect("the profile must refuse at some point");
    assert_eq!(e.kind(), ErrorKind::OutOfRange);
    assert_eq!(p.topics().count(), i, "nothing half-done");
    assert!(p.to_json().len() <= MAX_SERIALIZED_BYTES);
}

#[test]
fn export_round_trips_and_import_is_strict() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Click, "a1", T0);
    rec(&mut p, &c, EventKind::Impression, "o1", T0);
    p.declare("cooking", Preference::Dislike, T0).unwrap();
    p.mute("travel").unwrap();
    p.set_paused(true);
    let j = p.to_json();
    assert!(j.starts_with("{\"v\":1"));
    assert!(!j.contains("secret-path"), "no URLs in the profile");
    assert_eq!(Profile::from_json(&j).unwrap(), p);
    for bad in [
        "",
        "[]",
        "{}",
        r#"{"v":2}"#,
        r#"{"v":1,"age":42}"#,
        r#"{"v":1,"topics":{"a":{"w":1e39,"days":1}}}"#,
        r#"{"v":1,"topics":{"a":{"w":1,"days":0}}}"#,
        r#"{"v":1,"halfLifeDays":-1}"#,
        r#"{"v":1,"recent":[{"kind":"impression","item":"a","at":1}]}"#,
        r#"{"v":1,"topics":{"":{"pref":"like"}}}"#,
    ] {
        assert!(Profile::from_json(bad).is_err(), "{bad}");
    }
    assert_eq!(
        Profile::from_json(r#"{"v":7}"#).unwrap_err().kind(),
        ErrorKind::Unsupported
    );
    let huge = ["{\"v\":1,\"x\":\"", &"a".repeat(MAX_IMPORT_BYTES), "\"}"].concat();
    assert_eq!(
        Profile::from_json(&huge).unwrap_err().kind(),
        ErrorKind::OutOfRange
    );
}

#[test]
fn taste_vector_is_the_weighted_unit_sum_of_engaged_items() {
    let c = catalog();
    let mut flat = vec![0f32; 4 * 8];
    flat[0] = 1.0; // a1 → e0
    flat[8 + 1] = 1.0; // a2 → e1
    flat[16 + 2] = 1.0; // s1 (sensitive) → e2
    let c = c.with_vectors(8, &flat).unwrap();
    let mut p = Profile::new();
    assert!(p.taste_vector(&c, T0).is_none());
    rec(&mut p, &c, EventKind::Click, "a1", T0);
    rec(&mut p, &c, EventKind::View, "a2", T0);
    rec(&mut p, &c, EventKind::Purchase, "s1", T0);
    let t = p.taste_vector(&c, T0).unwrap();
    let n = 4.25f32.sqrt(); // click 2, view 0.5
    assert!((t[0] - 2.0 / n).abs() < 1e-6 && (t[1] - 0.5 / n).abs() < 1e-6);
    assert_eq!(t[2], 0.0, "sensitive items never shape the taste");
}

#[test]
fn config_is_validated() {
    assert!(ProfileConfig::default().validate().is_ok());
    let bad = ProfileConfig {
        half_life_days: f64::NAN,
        ..Default::default()
    };
    assert!(bad.validate().is_err());
    let bad = ProfileConfig {
        one_off_factor: 2.0,
        ..Default::default()
    };
    assert!(bad.validate().is_err());
    let mut bad = ProfileConfig::default();
    bad.weights.dismiss = 1.0;
    assert!(bad.validate().is_err());
}

fn import_error(text: &str) -> (ErrorKind, String, String) {
    let e = Profile::from_json(text).unwrap_err();
    (e.kind(), e.path().to_string(), e.message().to_string())
}

#[test]
fn import_errors_name_the_field_and_what_is_wrong() {
    let invalid = |path: &str, message: &str| (ErrorKind::Invalid, path.into(), message.into());
    assert_eq!(
        import_error(r#"{"v":1,"age":42}"#),
        invalid("/age", "unknown field")
    );
    assert_eq!(
        import_error(r#"{"v":1,"topics":{"a":{"days":1,"colour":"red"}}}"#),
        invalid("/topics/a/colour", "unknown field")
    );
    assert_eq!(
        import_error(r#"{"v":1,"recent":[{"kind":"view","item":"a"}]}"#),
        invalid("/recent/0", "missing field `at`")
    );
    assert_eq!(
        import_error(r#"{"v":1,"engaged":{"a":{"at":1}}}"#),
        invalid("/engaged/a", "missing field `w`")
    );
    assert_eq!(
        import_error(r#"{"v":1,"paused":true,"paused":false}"#),
        invalid("/paused", "duplicate field")
    );
    assert_eq!(
        import_error(r#"{"v":1,"topics":{"hiking":{"w":"heavy"}}}"#),
        invalid("/topics/hiking/w", "expected a number")
    );
    assert_eq!(
        import_error(r#"{"v":1,"recent":[{"kind":"view","item":"a","at":1.5}]}"#),
        invalid("/recent/0/at", "expected an integer")
    );
    assert_eq!(
        import_error(r#"{"v":1,"recent":[{"kind":"view","item":"a","gift":null,"at":1}]}"#),
        invalid("/recent/0/gift", "expected true or false")
    );
    assert_eq!(
        import_error(r#"{"v":1,"topics":{"a":{"pref":"love"}}}"#),
        invalid(
            "/topics/a/pref",
            "unknown value `love`, expected one of `like`, `dislike`, `none`"
        )
    );
    assert_eq!(
        import_error(r#"{"v":1,"topics":{"a":{"w":1e39,"days":1}}}"#),
        (
            ErrorKind::OutOfRange,
            "/topics/a/w".into(),
            "number out of range".into()
        )
    );
    // The checks after reading, in their order: the id, the weight, then the evidence.
    assert_eq!(
        import_error(r#"{"v":1,"topics":{"a":{"w":1,"days":2,"first":5,"last":4}}}"#),
        invalid("/topics/a", "inconsistent evidence for this topic")
    );
    assert_eq!(
        import_error(r#"{"v":1,"topics":{"a":{"w":1}}}"#),
        invalid("/topics/a", "inconsistent evidence for this topic")
    );
    assert_eq!(
        import_error(r#"{"v":1,"topics":{"":{"w":1}}}"#),
        invalid("/topics/", "an id must not be empty")
    );
    assert_eq!(
        import_error(r#"{"v":1,"recent":[{"kind":"view","item":"a","gift":true,"at":1}]}"#),
        invalid(
            "/recent/0",
            "impressions and gifts are never kept in the recent-event log"
        )
    );
    assert_eq!(
        import_error(r#"{"v":1,"recent":[{"kind":"impression","item":"","at":1}]}"#),
        invalid("/recent/0/item", "an id must not be empty")
    );
    // Every part's entries, at their paths: a map's at its key, a list's at its index.
    let long = "x".repeat(257);
    assert_eq!(
        import_error(&format!(
            r#"{{"v":1,"engaged":{{"{long}":{{"w":1,"at":1}}}}}}"#
        )),
        (
            ErrorKind::OutOfRange,
            format!("/engaged/{long}"),
            "an id may be at most 256 bytes long".into()
        )
    );
    assert_eq!(
        import_error(r#"{"v":1,"dismissed":{"":1}}"#),
        invalid("/dismissed/", "an id must not be empty")
    );
    assert_eq!(
        import_error(r#"{"v":1,"shown":[{"item":"o","at":1},{"item":"","at":2}]}"#),
        invalid("/shown/1/item", "an id must not be empty")
    );
    assert_eq!(
        import_error(
            r#"{"v":1,"recent":[{"kind":"view","item":"a","at":1},{"kind":"click","item":"b","gift":true,"at":2}]}"#
        ),
        invalid(
            "/recent/1",
            "impressions and gifts are never kept in the recent-event log"
        )
    );
    assert_eq!(import_error(r#"{"v":1} {}"#).0, ErrorKind::Invalid);
    // Optional values may be null; a bad document is never half read.
    let p = Profile::from_json(r#"{"v":1,"shown":[{"item":"o","campaign":null,"at":3}]}"#).unwrap();
    assert_eq!(p.impressions()[0].campaign, None);
}

#[test]
fn the_version_is_judged_before_the_fields() {
    let version = |text: &str| {
        let (kind, path, _) = import_error(text);
        (kind, path)
    };
    let unsupported = (ErrorKind::Unsupported, "/v".to_string());
    let invalid = (ErrorKind::Invalid, "/v".to_string());
    assert_eq!(version(r#"{"age":1,"v":2}"#), unsupported);
    assert_eq!(version(r#"{"v":300}"#), unsupported);
    assert_eq!(version(r#"{"v":2,"topics":[]}"#), unsupported);
    for bad in [
        r#"{"v":0}"#,
        r#"{"v":"1"}"#,
        r#"{"v":1.0}"#,
        r#"{"v":-1}"#,
        r#"{"v":null}"#,
        r#"{"topics":{}}"#,
    ] {
        assert_eq!(version(bad), invalid, "{bad}");
    }
    assert_eq!(
        import_error(r#"{"v":1,"v":1}"#),
        (ErrorKind::Invalid, "/v".into(), "duplicate field".into())
    );
}

/// A profile with every kind of entry, in the export layout: fields in this order,
/// zeros, `false` and absent values left out of topics, `w` as the shortest `f32`.
const EXPORT: &str = r#"{"v":1,"paused":true,"halfLifeDays":7.5,"oneOffFactor":0.1,"topics":{"a\"b":{"pref":"like","prefAt":5},"d":{"pref":"dislike","prefAt":1,"muted":true},"hiking":{"w":0.1,"at":1000,"days":2,"first":19000,"last":19001},"m":{"muted":true},"neg":{"w":-0.3,"at":1,"days":1,"first":3,"last":3}},"recent":[{"kind":"view","item":"x\n\u0001y","at":1},{"kind":"purchase","item":"g","at":2},{"kind":"click","item":"c","at":-3},{"kind":"dismiss","item":"z","at":4}],"engaged":{"e1":{"w":0.1,"at":5},"e2":{"w":3.5,"at":6,"clicks":2}},"dismissed":{"z":7,"é":8},"shown":[{"item":"o1","at":9},{"item":"o2","campaign":"c\"1","at":10}]}"#;

#[test]
fn the_export_layout_is_pinned() {
    assert_eq!(
        Profile::new().to_json(),
        r#"{"v":1,"paused":false,"halfLifeDays":14.0,"oneOffFactor":0.25,"topics":{},"recent":[],"engaged":{},"dismissed":{},"shown":[]}"#
    );
    assert_eq!(Profile::from_json(EXPORT).unwrap().to_json(), EXPORT);
    let gift = Event {
        kind: EventKind::Purchase,
        item: "g".into(),
        gift: true,
        at_ms: 2,
    };
    assert_eq!(
        crate::json::to_string(&gift),
        r#"{"kind":"purchase","item":"g","gift":true,"at":2}"#
    );
}
