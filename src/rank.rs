//! On-device ranking of the catalog, with reasons.
//!
//! ## Score
//!
//! For item *i* with topic weights `w_it` (zero weights dropped), and the
//! coefficients of [`ScoringWeights`]:
//!
//! ```text
//! affinity(t) = declared            if the visitor likes t
//!             = observed · o(t)     otherwise, o(t) = eff(t) / max_u eff(u) clipped to [−1, 1]
//!               (eff = decayed, one-off-damped observed weight; sensitive topics: 0)
//! topic(i)    = Σ_t w_it · affinity(t) / max(1, Σ_t w_it)      (a weighted mean, not a sum)
//! score(i)    = topic(i)
//!             + vector     · (v_i · taste)                   taste = unit Σ_e w_e v_e over engaged items
//!             + related    · Σ_e w_e r(e, i) / Σ_e w_e         r = the site's neighbour weights, in [0, 1]
//!             + popularity · pop(i)                            pop in [0, 1] (relative to the most popular)
//!             + freshness  · 2^(−age_days / freshness_half_life_days)   (0 without a date)
//! ```
//!
//! Because a declared like counts `declared` (default 2) and an observed
//! interest at most `observed` (default 0.125), **declared likes beat observed ones**.
//! The defaults were tuned on MovieLens 100k (EVALUATION.md).
//!
//! ## Exclusions
//!
//! Left out: items with a topic the visitor muted or disliked; items with a
//! sensitive topic the visitor did not declare a like for; dismissed items;
//! with `exclude_seen` (default) items clicked or bought; ids in `exclude`;
//! offers over their frequency cap (default 3 impressions per item and 5 per
//! campaign in 24 hours, counted from `impression` events).
//!
//! ## Without a profile, or paused
//!
//! `profile: None` (no consent) or a paused profile gives the non-personalized
//! order: popularity + freshness, and reasons that say so ("Popular on this
//! site"). Sensitive items are left out. A paused profile's protective choices
//! (mutes, dislikes, dismissals, frequency caps) still apply; its interests do not.
//!
//! ## Diversity (default on)
//!
//! No more than `ceil(limit / 3)` results share the same primary topic (the
//! item's heaviest topic; ties to the topic listed first in the catalog). Results are picked
//! greedily in score order; when the catalog cannot fill the list otherwise, the
//! skipped items fill it, best first. The final list is in score order.
//!
//! ## Determinism and speed
//!
//! Equal scores are ordered by item id. Top-k uses selection
//! (`select_nth_unstable_by`), not a full sort; the scoring loop reads the
//! catalog's flat arrays and the vector dot product is written to vectorize.

pub(crate) mod context;
mod reasons;
mod select;

use crate::catalog::Catalog;
use crate::json::{ToJson, Writer};
use crate::profile::Profile;

pub(crate) use context::{Context, Exclusion};

/// What to rank and how.
#[derive(Clone, Debug, PartialEq)]
pub struct RankOptions {
    /// How many results (default 10).
    pub limit: usize,
    /// Keep one topic from filling the list (default true). See the module docs.
    pub diversity: bool,
    /// Ids the page already shows.
    pub exclude: Vec<String>,
    /// Leave out items the visitor clicked, bought or dismissed (default true).
    pub exclude_seen: bool,
    /// The time to rank at (epoch ms).
    pub now_ms: i64,
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions {
            limit: 10,
            diversity: true,
            exclude: Vec::new(),
            exclude_seen: true,
            now_ms: 0,
        }
    }
}

/// The coefficients of the score (see the module docs for the formula).
///
/// The defaults are documented in [`model_card`](crate::explain::model_card) with why.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoringWeights {
    /// A declared like (default 2.0: far above the strongest observed interest).
    pub declared: f32,
    /// The strongest observed interest (default 0.125; others in proportion).
    pub observed: f32,
    /// Dot product of the item vector with the unit taste vector (default 4.0).
    pub vector: f32,
    /// Weighted mean of the site's related-item weights from engaged items (default 16.0).
    pub related: f32,
    /// Relative popularity (default 0.125).
    pub popularity: f32,
    /// Freshness (default 0.04).
    pub freshness: f32,
    /// Half-life of freshness, in days (default 7).
    pub freshness_half_life_days: f32,
}

impl Default for ScoringWeights {
    fn default() -> Self {
        ScoringWeights::DEFAULT
    }
}

impl ScoringWeights {
    /// The defaults, as a constant the ranking can borrow when the configured
    /// coefficients are not valid.
    pub(crate) const DEFAULT: ScoringWeights = ScoringWeights {
        // Tuned on MovieLens 100k (EVALUATION.md): the site's vectors and related
        // items far above topic interests and popularity (only ratios matter
        // there); the strongest observed interest equal to popularity, so topic
        // interests still order a topic-only catalog; the scale keeps a declared
        // like (2) above a typical top vector (~0.9) or related (~1.5) term.
        declared: 2.0,
        observed: 0.125,
        vector: 4.0,
        related: 16.0,
        popularity: 0.125,
        freshness: 0.04,
        freshness_half_life_days: 7.0,
    };
}

impl ScoringWeights {
    /// Whether every coefficient is finite and not negative, and the half-life positive.
    pub fn is_valid(&self) -> bool {
        // On the bits, as one comparison: the finite numbers of 0 or more are the bit
        // patterns up to `f32::MAX`'s once −0 is made +0 (adding +0 does that, and
        // keeps every other number). Spelled as float tests, the compiler tested the
        // bits of each coefficient three ways.
        let ok = |x: f32| (x + 0.0).to_bits() <= f32::MAX.to_bits();
        ok(self.declared)
            && ok(self.observed)
            && ok(self.vector)
            && ok(self.related)
            && ok(self.popularity)
            && ok(self.freshness)
            && self.freshness_half_life_days.to_bits().wrapping_sub(1) < f32::MAX.to_bits()
    }
}

/// Frequency caps for `kind: "offer"` items, counted from `impression` events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrequencyCaps {
    /// Impressions of one offer allowed within the window (default 3).
    pub per_item: u32,
    /// Impressions of one campaign's offers allowed within the window (default 5).
    pub per_campaign: u32,
    /// The window, in milliseconds (default 24 h; impressions are kept at most 7 days).
    pub window_ms: i64,
}

impl Default for FrequencyCaps {
    fn default() -> Self {
        FrequencyCaps {
            per_item: 3,
            per_campaign: 5,
            window_ms: 86_400_000,
        }
    }
}

impl ToJson for FrequencyCaps {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("perItem", &self.per_item);
            o.field("perCampaign", &self.per_campaign);
            o.field("windowMs", &self.window_ms);
        });
    }
}

/// Everything about ranking that is not per call: coefficients and caps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RankConfig {
    /// Score coefficients.
    pub weights: ScoringWeights,
    /// Frequency caps for offers.
    pub caps: FrequencyCaps,
}

/// Where a reason comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReasonSource {
    /// The visitor said they like the topic.
    Declared,
    /// The visitor's own activity on the topic.
    Observed,
    /// Popular on the site (non-personalized).
    Popular,
    /// Recently published.
    Fresh,
    /// Similar (by the site's item vectors) to something the visitor engaged with.
    Similar,
    /// Listed by the site as related to something the visitor engaged with.
    Related,
}

impl ToJson for ReasonSource {
    fn write_json(&self, w: &mut Writer) {
        w.str(match self {
            ReasonSource::Declared => "declared",
            ReasonSource::Observed => "observed",
            ReasonSource::Popular => "popular",
            ReasonSource::Fresh => "fresh",
            ReasonSource::Similar => "similar",
            ReasonSource::Related => "related",
        });
    }
}

/// One reason an item was chosen, with a ready sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    /// The topic id, for topic reasons.
    pub topic: Option<String>,
    /// The topic's label, for topic reasons.
    pub label: Option<String>,
    /// Where the reason comes from.
    pub source: ReasonSource,
    /// The item in the visitor's history it relates to, for `similar` and `related`.
    pub item: Option<String>,
    /// A sentence for the visitor, e.g. "You said you like Hiking".
    pub text: String,
}

impl ToJson for Reason {
    /// `topic` and `label` are `null` when absent; `item` is left out.
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("topic", &self.topic);
            o.field("label", &self.label);
            o.field("source", &self.source);
            o.field_some("item", &self.item);
            o.field("text", &self.text);
        });
    }
}

/// One ranked item.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    /// The item id.
    pub id: String,
    /// Its score (higher first). Scores are computed in `f32`, and written with the
    /// digits an `f32` needs (`0.5748161`), not the 15 to 17 of its widening to a double
    /// (`0.574816107749939`), which would claim a precision the score does not have.
    pub score: f32,
    /// Up to 3 reasons, strongest first.
    pub reasons: Vec<Reason>,
}

impl ToJson for Ranked {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("id", &self.id);
            o.field("score", &self.score);
            o.field("reasons", &self.reasons);
        });
    }
}

/// Ranks the catalog for `profile` with the default coefficients and caps.
///
/// `None` (no consent) or a paused profile gives the non-personalized order.
pub fn rank(profile: Option<&Profile>, catalog: &Catalog, opts: &RankOptions) -> Vec<Ranked> {
    rank_with_config(profile, catalog, opts, &RankConfig::default())
}

/// Ranks with the given score coefficients (and default caps), so an evaluation
/// can tune them without changing the library.
pub fn rank_with_weights(
    profile: Option<&Profile>,
    catalog: &Catalog,
    opts: &RankOptions,
    weights: &ScoringWeights,
) -> Vec<Ranked> {
    let cfg = RankConfig {
        weights: weights.clone(),
        caps: FrequencyCaps::default(),
    };
    rank_with_config(profile, catalog, opts, &cfg)
}

/// Ranks with the given coefficients and caps. Invalid coefficients
/// (see [`ScoringWeights::is_valid`]) fall back to the defaults.
pub fn rank_with_config(
    profile: Option<&Profile>,
    catalog: &Catalog,
    opts: &RankOptions,
    cfg: &RankConfig,
) -> Vec<Ranked> {
    if opts.limit == 0 || catalog.is_empty() {
        return Vec::new();
    }
    let ctx = Context::new(profile, catalog, opts, cfg);
    let scores = ctx.score_all();
    let top = select::top_k(catalog, &scores, opts.limit, opts.diversity);
    let mut out = Vec::with_capacity(top.len());
    // Over a borrow: consuming the list compiled an iterator and its drop for this loop alone.
    for &i in &top {
        let i = i as usize;
        out.push(Ranked {
            id: catalog.item_id(i).to_string(),
            score: scores[i],
            reasons: reasons::reasons(&ctx, i),
        });
    }
    out
}

/// The score of every item (`-inf` for excluded ones), in item order: for
/// evaluations and reference checks that want the full list.
pub fn score_all(
    profile: Option<&Profile>,
    catalog: &Catalog,
    opts: &RankOptions,
    cfg: &RankConfig,
) -> Vec<f32> {
    Context::new(profile, catalog, opts, cfg).score_all()
}

pub(crate) use reasons::reasons as reasons_for;

#[cfg(test)]
mod tests;
