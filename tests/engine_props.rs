//! Property tests of the engine on random catalogs, profiles and options.

use std::cmp::Ordering;

mod catalog_support;

use catalog_support::{catalogs, topic_id, Shape};
use inkling::catalog::Catalog;
use inkling::explain::explain_with;
use inkling::profile::{Event, EventKind, Preference, Profile, ProfileConfig};
use inkling::rank::{rank_with_config, RankConfig, RankOptions};
use proptest::prelude::*;

const DAY: i64 = 86_400_000;
const T0: i64 = 20_000 * DAY;

#[derive(Clone, Debug)]
struct World {
    catalog: Catalog,
    ops: Vec<Op>,
    opts: RankOptions,
}

#[derive(Clone, Debug)]
enum Op {
    Record(EventKind, usize, bool, i64),
    Declare(usize, Preference),
    Mute(usize),
    Pause(bool),
}

fn item_id(i: usize) -> String {
    ["it", &i.to_string(), "x"].concat()
}

const SHAPE: Shape = Shape {
    item_id,
    today: T0 / DAY,
    sparse: false,
};

fn world() -> impl Strategy<Value = World> {
    catalogs(SHAPE).prop_flat_map(|catalog| {
        let (ni, nt) = (catalog.len(), catalog.taxonomy().len());
        let kinds = prop_oneof![
            Just(EventKind::View),
            Just(EventKind::Click),
            Just(EventKind::Purchase),
            Just(EventKind::Dismiss),
            Just(EventKind::Impression)
        ];
        let pref = prop_oneof![Just(Preference::Like), Just(Preference::Dislike), Just(Preference::None)];
        let op = prop_oneof![
            6 => (kinds, 0..ni, any::<bool>(), 0i64..20 * DAY).prop_map(|(k, i, g, t)| Op::Record(k, i, g, t)),
            2 => (0..nt, pref).prop_map(|(t, p)| Op::Declare(t, p)),
            1 => (0..nt).prop_map(Op::Mute),
            1 => any::<bool>().prop_map(Op::Pause),
        ];
        let ops = proptest::collection::vec(op, 0..40);
        let opts = (1usize..15, any::<bool>(), proptest::collection::vec(0..ni, 0..4), any::<bool>(), 0i64..25 * DAY)
            .prop_map(|(limit, diversity, ex, exclude_seen, now)| RankOptions {
                limit,
                diversity,
                exclude: ex.into_iter().map(item_id).collect(),
                exclude_seen,
                now_ms: T0 + now,
            });
        (Just(catalog), ops, opts).prop_map(|(catalog, ops, opts)| World { catalog, ops, opts })
    })
}

fn build_profile(w: &World) -> Profile {
    let mut p = Profile::new();
    let cfg = ProfileConfig::default();
    for op in &w.ops {
        match *op {
            Op::Record(kind, i, gift, t) => {
                let e = Event {
                    kind,
                    item: item_id(i),
                    gift,
                    at_ms: T0 + t,
                };
                p.record(&w.catalog, &e, &cfg).expect("known item");
            }
            Op::Declare(t, pref) => p.declare(&topic_id(t), pref, T0).expect("room"),
            Op::Mute(t) => p.mute(&topic_id(t)).expect("room"),
            Op::Pause(b) => p.set_paused(b),
        }
    }
    p
}

/// The primary topic as the diversity rule defines it: heaviest, lowest index on ties.
fn primary(c: &Catalog, i: usize) -> Option<u16> {
    c.item_topics(i)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(t, _)| t.0)
}

/// Brute force: explain every item, sort everything, apply the greedy diversity rule.
fn reference(p: Option<&Profile>, c: &Catalog, o: &RankOptions) -> Vec<(String, f32)> {
    let cfg = RankConfig::default();
    let mut all: Vec<(String, f32, usize)> = (0..c.len())
        .filter_map(|i| {
            let e = explain_with(p, c, c.item_id(i), o, &cfg).unwrap();
            let listed = o.exclude.iter().any(|x| x == c.item_id(i));
            (e.included && !listed).then_some((e.id, e.score, i))
        })
        .collect();
    let cmp = |a: &(String, f32, usize), b: &(String, f32, usize)| -> Ordering {
        b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0))
    };
    all.sort_by(cmp);
    let mut out: Vec<(String, f32, usize)> = if o.diversity {
        let cap = o.limit.div_ceil(3).max(1);
        let mut picked = Vec::new();
        let mut skipped = Vec::new();
        for x in &all {
            if picked.len() == o.limit {
                break;
            }
            let t = primary(c, x.2);
            let n = picked
                .iter()
                .filter(|y: &&(String, f32, usize)| t.is_some() && primary(c, y.2) == t)
                .count();
            if n < cap {
                picked.push(x.clone());
            } else {
                skipped.push(x.clone());
            }
        }
        let missing = o.limit.saturating_sub(picked.len());
        picked.extend(skipped.into_iter().take(missing));
        picked.sort_by(cmp);
        picked
    } else {
        all.into_iter().take(o.limit).collect()
    };
    out.truncate(o.limit);
    out.into_iter().map(|(id, s, _)| (id, s)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn ranking_equals_the_brute_force_reference(w in world()) {
        let p = build_profile(&w);
        for prof in [Some(&p), None] {
            let got: Vec<(String, f32)> = rank_with_config(prof, &w.catalog, &w.opts, &RankConfig::default())
                .into_iter().map(|r| (r.id, r.score)).collect();
            prop_assert_eq!(got, reference(prof, &w.catalog, &w.opts));
        }
    }

    #[test]
    fn scores_are_finite_and_excluded_items_never_appear(w in world()) {
        let p = build_profile(&w);
        let c = &w.catalog;
        let r = rank_with_config(Some(&p), c, &w.opts, &RankConfig::default());
        prop_assert!(r.len() <= w.opts.limit);
        for x in &r {
            prop_assert!(x.score.is_finite());
            prop_assert!(!x.reasons.is_empty() && x.reasons.len() <= 3);
            prop_assert!(!w.opts.exclude.contains(&x.id));
            prop_assert!(!p.is_dismissed(&x.id));
            if w.opts.exclude_seen && !p.is_paused() {
                prop_assert!(!p.has_seen(&x.id));
            }
            let i = c.item_index(&x.id).unwrap();
            for (t, _) in c.item_topics(i) {
                let id = c.taxonomy().id(t);
                prop_assert!(!p.is_muted(id));
                prop_assert!(p.declared(id) != Preference::Dislike);
                if c.taxonomy().is_sensitive(t) {
                    prop_assert!(!p.is_paused() && p.declared(id) == Preference::Like);
                }
            }
        }
    }

    #[test]
    fn a_gift_purchase_leaves_the_profile_unchanged(w in world(), i in 0usize..40, t in 0i64..30 * DAY) {
        let mut p = build_profile(&w);
        let before = p.to_json();
        let i = i % w.catalog.len();
        let gift = Event { kind: EventKind::Purchase, item: item_id(i), gift: true, at_ms: T0 + t };
        p.record(&w.catalog, &gift, &ProfileConfig::default()).unwrap();
        prop_assert_eq!(p.to_json(), before);
    }

    #[test]
    fn forget_and_erase_leave_no_trace(w in world(), t in 0usize..10) {
        let mut p = build_profile(&w);
        let t = t % w.catalog.taxonomy().len();
        let tid = topic_id(t);
        let quoted = ["\"", &tid, "\""].concat();
        p.forget(&tid);
        prop_assert!(!p.to_json().contains(&quoted));
        let mut q = build_profile(&w);
        q.forget_everywhere(&w.catalog, &tid);
        let j = q.to_json();
        prop_assert!(!j.contains(&quoted));
        let ti = w.catalog.taxonomy().get(&tid).unwrap();
        for i in 0..w.catalog.len() {
            if w.catalog.item_topics(i).any(|(x, _)| x == ti) {
                let qi = ["\"", &item_id(i), "\""].concat();
                prop_assert!(!j.contains(&qi), "item {} of the forgotten topic remains", i);
            }
        }
        q.erase();
        prop_assert_eq!(q.to_json(), Profile::new().to_json());
    }

    #[test]
    fn serialize_then_deserialize_round_trips(w in world()) {
        let p = build_profile(&w);
        let j = p.to_json();
        prop_assert!(j.len() < 32 * 1024);
        let back = Profile::from_json(&j).unwrap();
        prop_assert_eq!(&back, &p);
        prop_assert_eq!(back.to_json(), j);
    }

    #[test]
    fn undo_of_everything_leaves_no_observed_weight(w in world()) {
        let mut p = Profile::new();
        let cfg = ProfileConfig::default();
        for op in &w.ops {
            if let Op::Record(kind, i, gift, t) = *op {
                p.record(&w.catalog, &Event { kind, item: item_id(i), gift, at_ms: T0 + t }, &cfg).unwrap();
            }
        }
        while p.undo(&w.catalog, &cfg).is_some() {}
        for (id, s) in p.topics() {
            prop_assert!(!s.has_observed(), "topic {} still observed", id);
        }
        prop_assert!(p.dismissed().next().is_none());
    }
}
