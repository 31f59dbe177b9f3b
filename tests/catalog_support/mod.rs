//! Random catalogs for the property tests of the engine and of compiled catalogs:
//! one generator, with the few ways the two suites need them to differ.
#![allow(dead_code)]

use inkling::catalog::{
    Catalog, CatalogDocument, ItemDocument, ItemKind, TopicDocument, WeightMap,
};
use proptest::prelude::*;

/// How the generated catalogs look.
#[derive(Clone, Copy)]
pub struct Shape {
    /// The id of item `i`.
    pub item_id: fn(usize) -> String,
    /// The day (since 1970) publication dates are counted back from.
    pub today: i64,
    /// Also what a loader must keep apart from the common case: weights of 0 (the
    /// builder drops them), items without a title or url, topics without a label,
    /// and dates up to 3000 days back.
    pub sparse: bool,
}

pub fn topic_id(t: usize) -> String {
    ["tp", &t.to_string(), "x"].concat()
}

/// 1 to 9 topics (some sensitive, parents only pointing backwards, so no cycles)
/// and 1 to 39 items with up to 3 topics, 2 related items, a kind, a campaign, a
/// popularity and a date each; 8-dimensional vectors on about half the catalogs.
pub fn catalogs(shape: Shape) -> impl Strategy<Value = Catalog> {
    let least_weight = u8::from(!shape.sparse);
    let oldest = if shape.sparse { -3000i64 } else { -30 };
    (1usize..10, 1usize..40).prop_flat_map(move |(nt, ni)| {
        let topics = proptest::collection::vec((any::<bool>(), proptest::option::of(0..nt)), nt);
        let items = proptest::collection::vec(
            (
                proptest::collection::vec((0..nt, least_weight..=10), 0..4),
                0u8..3,
                proptest::option::of(0u32..5),
                proptest::option::of(0u32..20),
                proptest::option::of(oldest..5),
                proptest::collection::vec((0..ni, least_weight..=10), 0..3),
            ),
            ni,
        );
        let vectors = proptest::option::of(proptest::collection::vec(-4i8..=4, ni * 8));
        (topics, items, vectors).prop_map(move |(topics, items, vectors)| {
            let item_id = shape.item_id;
            let topics = topics
                .into_iter()
                .enumerate()
                .map(|(t, (sensitive, parent))| TopicDocument {
                    id: topic_id(t),
                    label: (!shape.sparse || t % 2 == 0)
                        .then(|| ["Topic ", &t.to_string()].concat()),
                    parent: parent.filter(|&p| p < t).map(topic_id),
                    sensitive: sensitive && t % 3 == 0,
                })
                .collect();
            let items = items
                .into_iter()
                .enumerate()
                .map(|(i, (ts, kind, camp, pop, published, rel))| ItemDocument {
                    id: item_id(i),
                    title: (!shape.sparse || i % 3 != 0)
                        .then(|| ["Item ", &i.to_string()].concat()),
                    url: (shape.sparse && i % 2 == 0).then(|| ["/items/", &i.to_string()].concat()),
                    kind: if kind == 0 {
                        ItemKind::Offer
                    } else {
                        ItemKind::Article
                    },
                    campaign: camp.map(|c| ["c", &c.to_string()].concat()),
                    topics: weights(ts.into_iter().map(|(t, w)| (topic_id(t), w))),
                    popularity: pop.map(|p| p as f64),
                    published: published.map(|d| date_string(shape.today + d)),
                    related: weights(rel.into_iter().map(|(j, w)| (item_id(j), w))),
                    ..Default::default()
                })
                .collect();
            let c = Catalog::from_document(CatalogDocument { topics, items })
                .expect("generated catalogs are valid");
            match vectors {
                Some(v) => {
                    let flat: Vec<f32> = v.into_iter().map(|x| x as f32 / 4.0).collect();
                    c.with_vectors(8, &flat).expect("valid vectors")
                }
                None => c,
            }
        })
    })
}

/// Weights in tenths, the first of each id kept.
fn weights(pairs: impl Iterator<Item = (String, u8)>) -> WeightMap {
    let mut kept: Vec<(String, f64)> = Vec::new();
    for (id, w) in pairs {
        if !kept.iter().any(|(k, _)| *k == id) {
            kept.push((id, w as f64 / 10.0));
        }
    }
    WeightMap(kept)
}

/// Day `day` since 1970 as `YYYY-MM-DD` (civil_from_days, H. Hinnant).
pub fn date_string(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}
