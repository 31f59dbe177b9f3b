use super::*;
use crate::profile::{Event, EventKind, Preference, ProfileConfig};

const DAY: i64 = 86_400_000;
const T0: i64 = 20_400 * DAY;

fn catalog() -> Catalog {
    Catalog::from_json(
        r#"{"topics": [{"id": "hiking", "label": "Hiking"}, {"id": "cooking", "label": "Cooking"},
                      {"id": "travel", "label": "Travel"}, {"id": "health", "label": "Health", "sensitive": true}],
            "items": [
              {"id": "h1", "title": "Ten trails", "topics": {"hiking": 1.0}, "popularity": 10},
              {"id": "h2", "topics": {"hiking": 1.0}, "popularity": 9},
              {"id": "h3", "topics": {"hiking": 1.0}, "popularity": 8},
              {"id": "h4", "topics": {"hiking": 1.0}, "popularity": 7},
              {"id": "c1", "title": "Soup", "topics": {"cooking": 1.0}, "popularity": 1},
              {"id": "c2", "topics": {"cooking": 1.0}, "popularity": 1},
              {"id": "t1", "topics": {"travel": 1.0}, "popularity": 100, "published": "2025-11-10"},
              {"id": "s1", "topics": {"health": 1.0}, "popularity": 90},
              {"id": "o1", "kind": "offer", "campaign": "winter", "topics": {"travel": 0.5}, "popularity": 50},
              {"id": "o2", "kind": "offer", "campaign": "winter", "topics": {"travel": 0.5}, "popularity": 40}
            ]}"#,
    )
    .unwrap()
}

fn rec(p: &mut Profile, c: &Catalog, kind: EventKind, item: &str, at: i64) {
    p.record(
        c,
        &Event {
            kind,
            item: item.into(),
            gift: false,
            at_ms: at,
        },
        &ProfileConfig::default(),
    )
    .unwrap();
}

/// These tests check rules, not tuning: they rank with fixed, round coefficients
/// (observed interests above popularity), so a retuning of the defaults on an
/// evaluation set does not change what they prove. `defaults_keep_the_rules`
/// checks the shipped defaults.
fn test_weights() -> ScoringWeights {
    ScoringWeights {
        declared: 2.0,
        observed: 1.0,
        vector: 1.0,
        related: 1.0,
        popularity: 0.3,
        freshness: 0.1,
        freshness_half_life_days: 7.0,
    }
}

fn rank(p: Option<&Profile>, c: &Catalog, o: &RankOptions) -> Vec<Ranked> {
    rank_with_weights(p, c, o, &test_weights())
}

fn explain(
    p: Option<&Profile>,
    c: &Catalog,
    id: &str,
    now_ms: i64,
) -> crate::error::Result<crate::explain::Explanation> {
    let cfg = RankConfig {
        weights: test_weights(),
        ..RankConfig::default()
    };
    crate::explain::explain_with(
        p,
        c,
        id,
        &RankOptions {
            now_ms,
            ..RankOptions::default()
        },
        &cfg,
    )
}

fn ids(r: &[Ranked]) -> Vec<&str> {
    r.iter().map(|x| x.id.as_str()).collect()
}

fn opts(limit: usize) -> RankOptions {
    RankOptions {
        limit,
        diversity: false,
        now_ms: T0,
        ..RankOptions::default()
    }
}

#[test]
fn cold_start_is_popularity_and_says_so() {
    let c = catalog();
    let r = rank(None, &c, &opts(3));
    assert_eq!(
        ids(&r),
        ["t1", "o1", "o2"],
        "the sensitive s1 is never shown without a declaration"
    );
    assert_eq!(r[0].reasons[0].source, ReasonSource::Popular);
    assert_eq!(r[0].reasons[0].text, "Popular on this site");
    let mut paused = Profile::new();
    rec(&mut paused, &c, EventKind::Click, "c1", T0 - DAY);
    rec(&mut paused, &c, EventKind::Click, "c1", T0);
    paused.set_paused(true);
    let p = rank(Some(&paused), &c, &opts(10));
    let n = rank(None, &c, &opts(10));
    assert_eq!(ids(&p), ids(&n), "paused = non-personalized");
}

#[test]
fn declared_likes_beat_observed_interests() {
    let c = catalog();
    let mut p = Profile::new();
    for d in 0..5 {
        rec(&mut p, &c, EventKind::Purchase, "h1", T0 - d * DAY);
    }
    p.declare("cooking", Preference::Like, T0).unwrap();
    let r = rank(Some(&p), &c, &opts(4));
    assert_eq!(&ids(&r)[..2], ["c1", "c2"]);
    assert_eq!(r[0].reasons[0].text, "You said you like Cooking");
    assert_eq!(r[0].reasons[0].source, ReasonSource::Declared);
    assert_eq!(ids(&r)[2], "h2", "h1 was bought: excludeSeen leaves it out");
    let obs = &r[2].reasons[0];
    assert_eq!(
        (obs.source, obs.topic.as_deref()),
        (ReasonSource::Observed, Some("hiking"))
    );
    assert_eq!(obs.text, "You read 5 Hiking stories in the last 2 weeks");
}

#[test]
fn dismiss_excludes_the_item_and_pulls_its_topic_down() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::View, "h1", T0 - DAY);
    rec(&mut p, &c, EventKind::View, "h1", T0);
    let cfg = RankConfig {
        weights: test_weights(),
        ..RankConfig::default()
    };
    let before = score_all(Some(&p), &c, &opts(10), &cfg);
    rec(&mut p, &c, EventKind::Dismiss, "h2", T0);
    let after = score_all(Some(&p), &c, &opts(10), &cfg);
    let h3 = c.item_index("h3").unwrap();
    assert!(after[h3] < before[h3]);
    let r = rank(
        Some(&p),
        &c,
        &RankOptions {
            exclude_seen: false,
            ..opts(10)
        },
    );
    assert!(
        !ids(&r).contains(&"h2"),
        "dismissed items are out even without excludeSeen"
    );
    let e = explain(Some(&p), &c, "h2", T0).unwrap();
    assert!(!e.included);
    assert_eq!(
        e.excluded_because.as_deref(),
        Some("You said it is not for you")
    );
}

#[test]
fn sensitive_items_only_when_declared() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Click, "s1", T0 - DAY);
    rec(&mut p, &c, EventKind::Click, "s1", T0);
    let r = rank(
        Some(&p),
        &c,
        &RankOptions {
            exclude_seen: false,
            ..opts(10)
        },
    );
    assert!(!ids(&r).contains(&"s1"));
    let e = explain(Some(&p), &c, "s1", T0).unwrap();
    assert!(e.excluded_because.unwrap().contains("sensitive"));
    p.declare("health", Preference::Like, T0).unwrap();
    let r = rank(
        Some(&p),
        &c,
        &RankOptions {
            exclude_seen: false,
            ..opts(1)
        },
    );
    assert_eq!(ids(&r), ["s1"]);
}

#[test]
fn muted_and_disliked_topics_are_left_out_even_when_paused() {
    let c = catalog();
    let mut p = Profile::new();
    p.mute("travel").unwrap();
    p.declare("hiking", Preference::Dislike, T0).unwrap();
    for paused in [false, true] {
        p.set_paused(paused);
        let r = rank(Some(&p), &c, &opts(10));
        assert_eq!(ids(&r), ["c1", "c2"], "paused={paused}");
    }
    assert_eq!(
        explain(Some(&p), &c, "t1", T0)
            .unwrap()
            .excluded_because
            .as_deref(),
        Some("You muted Travel")
    );
    assert_eq!(
        explain(Some(&p), &c, "h1", T0)
            .unwrap()
            .excluded_because
            .as_deref(),
        Some("You said you don't like Hiking")
    );
}

#[test]
fn exclude_and_exclude_seen() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Click, "t1", T0);
    let r = rank(
        Some(&p),
        &c,
        &RankOptions {
            exclude: vec!["o1".into(), "unknown".into()],
            ..opts(10)
        },
    );
    assert!(!ids(&r).contains(&"o1") && !ids(&r).contains(&"t1"));
    let r = rank(
        Some(&p),
        &c,
        &RankOptions {
            exclude_seen: false,
            ..opts(10)
        },
    );
    assert!(ids(&r).contains(&"t1"));
}

#[test]
fn offers_are_capped_per_item_and_per_campaign() {
    let c = catalog();
    let mut p = Profile::new();
    for k in 0..3 {
        rec(&mut p, &c, EventKind::Impression, "o1", T0 - 1000 * k);
    }
    let r = rank(Some(&p), &c, &opts(10));
    assert!(!ids(&r).contains(&"o1") && ids(&r).contains(&"o2"));
    assert!(explain(Some(&p), &c, "o1", T0)
        .unwrap()
        .excluded_because
        .unwrap()
        .contains("3 times"));
    let r = rank(
        Some(&p),
        &c,
        &RankOptions {
            now_ms: T0 + DAY,
            ..opts(10)
        },
    );
    assert!(ids(&r).contains(&"o1"), "the window is 24 hours");
    for k in 0..2 {
        rec(&mut p, &c, EventKind::Impression, "o2", T0 - 10 * k);
    }
    let r = rank(Some(&p), &c, &opts(10));
    assert!(!ids(&r).contains(&"o2"), "5 impressions of the campaign");
    let strict = RankConfig {
        caps: FrequencyCaps {
            per_item: 10,
            per_campaign: 10,
            window_ms: DAY,
        },
        ..Default::default()
    };
    let r = rank_with_config(Some(&p), &c, &opts(10), &strict);
    assert!(ids(&r).contains(&"o1") && ids(&r).contains(&"o2"));
    // Caps of 0 and 1 leave out every offer shown in the window, by its own count
    // before its campaign's.
    for n in [0, 1] {
        let cfg = RankConfig {
            caps: FrequencyCaps {
                per_item: n,
                per_campaign: n,
                window_ms: DAY,
            },
            ..Default::default()
        };
        let r = rank_with_config(Some(&p), &c, &opts(10), &cfg);
        assert!(!ids(&r).contains(&"o1") && !ids(&r).contains(&"o2"));
        let why = crate::explain::explain_with(Some(&p), &c, "o2", &opts(10), &cfg);
        let why = why.unwrap().excluded_because.unwrap();
        assert!(why.starts_with("You have seen this offer"), "{why}");
    }
}

#[test]
fn diversity_keeps_one_topic_from_filling_the_list() {
    let c = catalog();
    let mut p = Profile::new();
    for d in 0..3 {
        rec(&mut p, &c, EventKind::View, "h1", T0 - d * DAY);
    }
    let plain = rank(
        Some(&p),
        &c,
        &RankOptions {
            exclude_seen: false,
            ..opts(3)
        },
    );
    assert_eq!(ids(&plain), ["h1", "h2", "h3"]);
    let div = rank(
        Some(&p),
        &c,
        &RankOptions {
            exclude_seen: false,
            diversity: true,
            ..opts(3)
        },
    );
    assert_eq!(div.iter().filter(|r| r.id.starts_with('h')).count(), 1);
    assert_eq!(div[0].id, "h1");
    let all = rank(
        Some(&p),
        &c,
        &RankOptions {
            exclude_seen: false,
            diversity: true,
            ..opts(9)
        },
    );
    assert_eq!(
        all.len(),
        9,
        "skipped items fill the list when nothing else is left"
    );
}

#[test]
fn ties_are_broken_by_id_and_scores_are_finite() {
    let c = Catalog::from_json(r#"{"items":[{"id":"b"},{"id":"c"},{"id":"a"}]}"#).unwrap();
    let r = rank(None, &c, &opts(3));
    assert_eq!(ids(&r), ["a", "b", "c"]);
    assert!(r.iter().all(|x| x.score.is_finite()));
    assert!(rank(None, &c, &opts(0)).is_empty());
}

#[test]
fn vector_and_related_reasons_name_the_item_from_history() {
    let c = catalog();
    let n = c.len();
    let mut flat = vec![0f32; n * 8];
    let h1 = c.item_index("h1").unwrap();
    let c2 = c.item_index("c2").unwrap();
    flat[h1 * 8] = 1.0;
    flat[c2 * 8] = 0.9;
    let cv = c.clone().with_vectors(8, &flat).unwrap();
    let mut p = Profile::new();
    rec(&mut p, &cv, EventKind::Click, "h1", T0);
    let e = explain(Some(&p), &cv, "c2", T0).unwrap();
    let sim = e
        .reasons
        .iter()
        .find(|r| r.source == ReasonSource::Similar)
        .expect("a similar reason");
    assert_eq!(sim.text, "Because you liked Ten trails");
    assert_eq!(sim.item.as_deref(), Some("h1"));

    let cr = Catalog::from_json(
        r#"{"items":[{"id":"alien","title":"Alien","related":{"aliens":0.8}},{"id":"aliens","title":"Aliens"},{"id":"x","popularity":1}]}"#,
    )
    .unwrap();
    let mut p = Profile::new();
    rec(&mut p, &cr, EventKind::View, "alien", T0);
    let r = rank(Some(&p), &cr, &opts(1));
    assert_eq!(r[0].id, "aliens");
    assert_eq!(r[0].reasons[0].source, ReasonSource::Related);
    assert_eq!(
        r[0].reasons[0].text,
        "Often chosen with Alien, which you viewed"
    );
}

#[test]
fn freshness_counts_and_is_a_reason_for_new_items() {
    let c = Catalog::from_json(
        r#"{"items":[{"id":"old","published":"2020-01-01"},{"id":"new","published":"2025-11-10"}]}"#,
    )
    .unwrap();
    let now = crate::catalog::date::parse_date("2025-11-12").unwrap() as i64 * DAY;
    let r = rank(
        None,
        &c,
        &RankOptions {
            now_ms: now,
            ..opts(2)
        },
    );
    assert_eq!(ids(&r), ["new", "old"]);
    assert_eq!(r[0].reasons[0].source, ReasonSource::Fresh);
}

#[test]
fn tuned_weights_change_the_order() {
    let c = catalog();
    let mut p = Profile::new();
    rec(&mut p, &c, EventKind::Click, "c1", T0 - DAY);
    rec(&mut p, &c, EventKind::Click, "c1", T0);
    let w = ScoringWeights {
        observed: 0.0,
        ..Default::default()
    };
    let r = rank_with_weights(Some(&p), &c, &opts(1), &w);
    assert_eq!(
        ids(&r),
        ["t1"],
        "without the observed term popularity decides"
    );
    let r = rank(Some(&p), &c, &opts(1));
    assert_eq!(ids(&r), ["c2"]);
    assert!(!ScoringWeights {
        vector: f32::NAN,
        ..Default::default()
    }
    .is_valid());
}

#[test]
fn defaults_keep_the_rules() {
    let c = catalog();
    let d = ScoringWeights::default();
    assert!(d.is_valid());
    assert!(
        d.declared > d.observed,
        "a declared like outweighs the strongest observed interest"
    );
    let mut p = Profile::new();
    for k in 0..5 {
        rec(&mut p, &c, EventKind::Purchase, "h1", T0 - k * DAY);
    }
    p.declare("cooking", Preference::Like, T0).unwrap();
    let r = super::rank(Some(&p), &c, &opts(2));
    assert_eq!(ids(&r), ["c1", "c2"]);
    assert!(super::rank(Some(&p), &c, &opts(10))
        .iter()
        .all(|x| x.id != "s1" && x.id != "h1"));
}

#[test]
fn the_ranked_layout_is_pinned() {
    let reasons = vec![
        Reason {
            topic: Some("hiking".into()),
            label: Some("Hiking \"outdoors\"".into()),
            source: ReasonSource::Declared,
            item: None,
            text: "You said you like Hiking".into(),
        },
        Reason {
            topic: None,
            label: None,
            source: ReasonSource::Similar,
            item: Some("a\\1".into()),
            text: "x".into(),
        },
    ];
    let ranked = vec![Ranked {
        id: "i\t".into(),
        score: 0.1,
        reasons,
    }];
    assert_eq!(
        crate::json::to_string(&ranked),
        [
            r#"[{"id":"i\t","score":0.1,"reasons":["#,
            r#"{"topic":"hiking","label":"Hiking \"outdoors\"","source":"declared","text":"You said you like Hiking"},"#,
            r#"{"topic":null,"label":null,"source":"similar","item":"a\\1","text":"x"}]}]"#,
        ]
        .concat()
    );
}

#[test]
fn weights_are_valid_when_finite_and_not_negative() {
    let edges = [
        0.0,
        -0.0,
        f32::MIN_POSITIVE / 2.0,
        -f32::MIN_POSITIVE / 2.0,
        1.0,
        -1.0,
        f32::MAX,
        f32::MIN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
    ];
    for x in edges {
        let coefficient = ScoringWeights {
            related: x,
            ..Default::default()
        };
        assert_eq!(coefficient.is_valid(), x.is_finite() && x >= 0.0, "{x}");
        let half_life = ScoringWeights {
            freshness_half_life_days: x,
            ..Default::default()
        };
        assert_eq!(half_life.is_valid(), x.is_finite() && x > 0.0, "{x}");
    }
}
