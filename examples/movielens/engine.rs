//! Drives the shipped engine: `Catalog::from_json`, `Profile::record` for
//! every training rating in time order, then `rank` for the top 10. Nothing
//! here re-implements scoring; it only feeds events and reads results.

use inkling::catalog::Catalog;
use inkling::profile::{Event, EventKind, Profile, ProfileConfig};
use inkling::rank::{rank_with_weights, RankOptions, ScoringWeights};

use crate::catalog_json::item_id;
use crate::metrics::Score;
use crate::split::{Case, POSITIVE};

/// One user's replayed profile and what the ranking must leave out.
pub struct Replayed {
    pub profile: Profile,
    /// Every movie in the history (views included: "already seen").
    pub exclude: Vec<String>,
    pub now_ms: i64,
}

/// Replays each case's history through `Profile::record`.
pub fn replay(catalog: &Catalog, cases: &[Case], cfg: &ProfileConfig) -> Vec<Replayed> {
    cases
        .iter()
        .map(|c| {
            let mut profile = Profile::new();
            for r in &c.history {
                let event = Event {
                    kind: if r.stars >= POSITIVE {
                        EventKind::Click
                    } else {
                        EventKind::View
                    },
                    item: item_id(r.item),
                    gift: false,
                    at_ms: r.time_s * 1000,
                };
                profile
                    .record(catalog, &event, cfg)
                    .expect("every history movie is in the catalog");
            }
            let exclude = c.history.iter().map(|r| item_id(r.item)).collect();
            Replayed {
                profile,
                exclude,
                now_ms: c.at_s * 1000,
            }
        })
        .collect()
}

/// Ranks every replayed profile (or none, for the non-personalized order)
/// and scores the top 10 against the held-out movies.
pub fn evaluate(
    catalog: &Catalog,
    cases: &[Case],
    replayed: &[Replayed],
    personalized: bool,
    weights: &ScoringWeights,
    diversity: bool,
    k: usize,
) -> Score {
    let mut score = Score::default();
    for (c, r) in cases.iter().zip(replayed) {
        let opts = RankOptions {
            limit: k,
            diversity,
            exclude: r.exclude.clone(),
            exclude_seen: true,
            now_ms: r.now_ms,
        };
        let ranked = rank_with_weights(personalized.then_some(&r.profile), catalog, &opts, weights);
        let top: Vec<usize> = ranked
            .iter()
            .filter_map(|x| catalog.item_index(&x.id))
            .collect();
        score.add(&top, &c.targets, k);
    }
    score
}
