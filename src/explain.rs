//! Why an item would (or would not) be shown, and the model card: what the
//! ranking uses, its coefficients and why.

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::json::{ToJson, Writer};
use crate::profile::{EventWeights, Profile, ProfileConfig};
use crate::rank::context::TopicUse;
use crate::rank::{
    Context, Exclusion, FrequencyCaps, RankConfig, RankOptions, Reason, ScoringWeights,
};

/// The explanation of one item.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The item id.
    pub id: String,
    /// Whether the item can appear in the ranking at all.
    pub included: bool,
    /// Why it is left out, as a sentence for the visitor, when it is.
    pub excluded_because: Option<String>,
    /// Its score (0 when left out), as [`Ranked::score`](crate::rank::Ranked::score).
    pub score: f32,
    /// Up to 3 reasons (none when left out), the same as `rank` gives.
    pub reasons: Vec<Reason>,
}

impl ToJson for Explanation {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("id", &self.id);
            o.field("included", &self.included);
            o.field("excludedBecause", &self.excluded_because);
            o.field("score", &self.score);
            o.field("reasons", &self.reasons);
        });
    }
}

/// Explains `item_id` with the default options and configuration at `now_ms`.
///
/// Errors: the item is not in the catalog (`NotFound`, path `/item`).
pub fn explain(
    profile: Option<&Profile>,
    catalog: &Catalog,
    item_id: &str,
    now_ms: i64,
) -> Result<Explanation> {
    let opts = RankOptions {
        now_ms,
        ..RankOptions::default()
    };
    explain_with(profile, catalog, item_id, &opts, &RankConfig::default())
}

/// Explains `item_id` under the given options and configuration.
pub fn explain_with(
    profile: Option<&Profile>,
    catalog: &Catalog,
    item_id: &str,
    opts: &RankOptions,
    cfg: &RankConfig,
) -> Result<Explanation> {
    let i = catalog
        .item_index(item_id)
        .ok_or_else(|| Error::not_found("/item", "no item with this id in the catalog"))?;
    let ctx = Context::new(profile, catalog, opts, cfg);
    let (excluded_because, score, reasons) = match ctx.exclusion(i) {
        Some(ex) => (
            Some(exclusion_sentence(catalog, ex, &cfg.caps)),
            0.0,
            Vec::new(),
        ),
        None => (
            None,
            ctx.scores(i..i + 1)[0],
            crate::rank::reasons_for(&ctx, i),
        ),
    };
    Ok(Explanation {
        id: catalog.item_id(i).to_string(),
        included: excluded_because.is_none(),
        excluded_because,
        score,
        reasons,
    })
}

fn exclusion_sentence(catalog: &Catalog, ex: Exclusion, caps: &FrequencyCaps) -> String {
    use crate::text::push_uint;
    let mut s = String::with_capacity(64);
    match ex {
        Exclusion::Listed => s.push_str("The page already shows it"),
        Exclusion::Dismissed => s.push_str("You said it is not for you"),
        Exclusion::Seen => s.push_str("You have already seen it"),
        Exclusion::ItemCap | Exclusion::CampaignCap => {
            s.push_str(if ex == Exclusion::ItemCap {
                "You have seen this offer "
            } else {
                "You have seen offers from this campaign "
            });
            let n = if ex == Exclusion::ItemCap {
                caps.per_item
            } else {
                caps.per_campaign
            };
            push_uint(&mut s, n as u64);
            s.push_str(if n == 1 { " time" } else { " times" });
            s.push_str(" recently");
        }
        Exclusion::Topic(t, b) => {
            let label = catalog.taxonomy().label(t);
            match b {
                TopicUse::Muted => {
                    s.push_str("You muted ");
                    s.push_str(label);
                }
                TopicUse::Disliked => {
                    s.push_str("You said you don't like ");
                    s.push_str(label);
                }
                // The only other use that blocks a topic.
                _ => {
                    s.push_str("It is about ");
                    s.push_str(label);
                    s.push_str(", a sensitive topic we only use if you choose it");
                }
            }
        }
    }
    s
}

/// One input of the score with its default coefficient and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Signal {
    /// Name of the input.
    pub name: &'static str,
    /// Its default coefficient.
    pub coefficient: f64,
    /// What it is and why it has this weight.
    pub why: &'static str,
}

/// What the ranking uses and why, as data (`Inkling.modelCard()`).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelCard {
    /// What the model is.
    pub summary: &'static str,
    /// The score formula.
    pub formula: &'static str,
    /// The inputs with their default coefficients.
    pub signals: Vec<Signal>,
    /// How much each event counts.
    pub event_weights: EventWeights,
    /// Half-life of observed interests, in days.
    pub half_life_days: f64,
    /// Share of its weight a topic seen on a single day counts for.
    pub one_off_factor: f64,
    /// Half-life of freshness, in days.
    pub freshness_half_life_days: f64,
    /// Frequency caps for offers.
    pub frequency_caps: FrequencyCaps,
    /// The diversity rule.
    pub diversity: &'static str,
    /// What is always left out.
    pub exclusions: Vec<&'static str>,
    /// What the ranking never uses.
    pub never_uses: Vec<&'static str>,
    /// What happens without consent or when paused.
    pub non_personalized: &'static str,
}

impl ToJson for Signal {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("name", self.name);
            o.field("coefficient", &self.coefficient);
            o.field("why", self.why);
        });
    }
}

impl ToJson for ModelCard {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("summary", self.summary);
            o.field("formula", self.formula);
            o.field("signals", &self.signals);
            o.field("eventWeights", &self.event_weights);
            o.field("halfLifeDays", &self.half_life_days);
            o.field("oneOffFactor", &self.one_off_factor);
            o.field("freshnessHalfLifeDays", &self.freshness_half_life_days);
            o.field("frequencyCaps", &self.frequency_caps);
            o.field("diversity", self.diversity);
            o.field("exclusions", &self.exclusions);
            o.field("neverUses", &self.never_uses);
            o.field("nonPersonalized", self.non_personalized);
        });
    }
}

/// [`model_card`] as the JSON text it writes, for the JavaScript boundary: the text is
/// the same every time, and written out here it needs none of the code that builds and
/// writes the card (a test pins it to [`model_card`]).
pub const MODEL_CARD_JSON: &str = r#"{"summary":"A transparent, on-device score: the visitor's declared and observed topic interests, similarity to what they engaged with (when the site provides item vectors or related items), and a small popularity and freshness prior. Everything runs in the visitor's browser.","formula":"score = mean over the item's topics of (declared if liked, else observed × interest relative to the strongest) + vector × (item · taste) + related × (weighted mean of the site's neighbour weights from engaged items) + popularity × relative popularity + freshness × 2^(−age / half-life)","signals":[{"name":"declared","coefficient":2.0,"why":"What visitors tell us outranks what we observe: a declared like counts 16 times the strongest observed interest."},{"name":"observed","coefficient":0.125,"why":"Topics of what the visitor viewed, clicked and bought, decayed with a 14-day half-life and damped until seen on two days."},{"name":"vector","coefficient":4.0,"why":"Dot product with the visitor's taste vector in the site's item space; the item's length is kept because it carries overall appeal (dividing it out lost 40% NDCG@10 on MovieLens)."},{"name":"related","coefficient":16.0,"why":"The site's own item-to-item neighbours of what the visitor engaged with; computed on the device, nothing leaves it."},{"name":"popularity","coefficient":0.125,"why":"A prior so that a thin profile still gets good items; far below declared interests and equal to the strongest observed one (on MovieLens, topic interests above popularity lost relevance)."},{"name":"freshness","coefficient":0.03999999910593033,"why":"A small nudge for new items, halving every 7 days."}],"eventWeights":{"view":0.5,"click":2.0,"purchase":4.0,"dismiss":-2.0},"halfLifeDays":14.0,"oneOffFactor":0.25,"freshnessHalfLifeDays":7.0,"frequencyCaps":{"perItem":3,"perCampaign":5,"windowMs":86400000},"diversity":"At most ceil(limit / 3) results share the same primary (heaviest) topic; picked greedily in score order, and only when nothing else is left do skipped items fill the list.","exclusions":["items of topics the visitor muted or disliked","items of sensitive topics the visitor did not declare a like for","items the visitor dismissed","items the visitor already clicked or bought (unless excludeSeen is false)","offers shown 3 times, or whose campaign was shown 5 times, in the last 24 hours"],"neverUses":["demographics (age, gender, identity)","sensitive topics learned from behaviour","gift purchases","URLs or identifiers","anything from other sites or other visitors' raw data"],"nonPersonalized":"Without consent to personalize, with a paused profile or with no history, items are ordered by popularity and freshness, and the reasons say so."}"#;

/// The model card of this build, with the default coefficients.
pub fn model_card() -> ModelCard {
    let w = ScoringWeights::default();
    let p = ProfileConfig::default();
    ModelCard {
        summary: "A transparent, on-device score: the visitor's declared and observed topic interests, \
                  similarity to what they engaged with (when the site provides item vectors or related items), \
                  and a small popularity and freshness prior. Everything runs in the visitor's browser.",
        formula: "score = mean over the item's topics of (declared if liked, else observed × interest relative to the \
                  strongest) + vector × (item · taste) + related × (weighted mean of the site's neighbour weights from \
                  engaged items) + popularity × relative popularity + freshness × 2^(−age / half-life)",
        signals: vec![
            Signal {
                name: "declared",
                coefficient: w.declared as f64,
                why: "What visitors tell us outranks what we observe: a declared like counts 16 times the strongest observed interest.",
            },
            Signal {
                name: "observed",
                coefficient: w.observed as f64,
                why: "Topics of what the visitor viewed, clicked and bought, decayed with a 14-day half-life and damped until seen on two days.",
            },
            Signal {
                name: "vector",
                coefficient: w.vector as f64,
                why: "Dot product with the visitor's taste vector in the site's item space; the item's length is kept because it carries overall appeal (dividing it out lost 40% NDCG@10 on MovieLens).",
            },
            Signal {
                name: "related",
                coefficient: w.related as f64,
                why: "The site's own item-to-item neighbours of what the visitor engaged with; computed on the device, nothing leaves it.",
            },
            Signal {
                name: "popularity",
                coefficient: w.popularity as f64,
                why: "A prior so that a thin profile still gets good items; far below declared interests and equal to the strongest observed one (on MovieLens, topic interests above popularity lost relevance).",
            },
            Signal {
                name: "freshness",
                coefficient: w.freshness as f64,
                why: "A small nudge for new items, halving every 7 days.",
            },
        ],
        event_weights: p.weights,
        half_life_days: p.half_life_days,
        one_off_factor: p.one_off_factor,
        freshness_half_life_days: w.freshness_half_life_days as f64,
        frequency_caps: FrequencyCaps::default(),
        diversity: "At most ceil(limit / 3) results share the same primary (heaviest) topic; picked greedily in score \
                    order, and only when nothing else is left do skipped items fill the list.",
        exclusions: vec![
            "items of topics the visitor muted or disliked",
            "items of sensitive topics the visitor did not declare a like for",
            "items the visitor dismissed",
            "items the visitor already clicked or bought (unless excludeSeen is false)",
            "offers shown 3 times, or whose campaign was shown 5 times, in the last 24 hours",
        ],
        never_uses: vec![
            "demographics (age, gender, identity)",
            "sensitive topics learned from behaviour",
            "gift purchases",
            "URLs or identifiers",
            "anything from other sites or other visitors' raw data",
        ],
        non_personalized: "Without consent to personalize, with a paused profile or with no history, items are ordered by \
                           popularity and freshness, and the reasons say so.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_explanation_layout_is_pinned() {
        let out = Explanation {
            id: "p2".into(),
            included: false,
            excluded_because: Some("You dismissed it".into()),
            score: 0.0,
            reasons: vec![],
        };
        assert_eq!(
            crate::json::to_string(&out),
            r#"{"id":"p2","included":false,"excludedBecause":"You dismissed it","score":0.0,"reasons":[]}"#
        );
        let included = Explanation {
            excluded_because: None,
            included: true,
            score: 1.5,
            ..out
        };
        assert_eq!(
            crate::json::to_string(&included),
            r#"{"id":"p2","included":true,"excludedBecause":null,"score":1.5,"reasons":[]}"#
        );
    }

    #[test]
    fn the_model_card_layout_is_pinned() {
        let j = crate::json::to_string(&model_card());
        assert!(j.starts_with(r#"{"summary":"A transparent, on-device score"#));
        assert!(
            j.contains(r#","signals":[{"name":"declared","coefficient":2.0,"why":"What visitors"#)
        );
        assert!(j.contains(r#"{"name":"freshness","coefficient":0.03999999910593033,"why":"#));
        assert!(j.contains(concat!(
            r#"],"eventWeights":{"view":0.5,"click":2.0,"purchase":4.0,"dismiss":-2.0},"#,
            r#""halfLifeDays":14.0,"oneOffFactor":0.25,"freshnessHalfLifeDays":7.0,"#,
            r#""frequencyCaps":{"perItem":3,"perCampaign":5,"windowMs":86400000},"diversity":"At most"#
        )));
        assert!(j.contains(r#"","exclusions":["items of topics the visitor muted or disliked","#));
        assert!(j.contains(r#"],"neverUses":["demographics (age, gender, identity)","#));
        assert!(j.contains(r#"],"nonPersonalized":"Without consent"#) && j.ends_with("say so.\"}"));
    }

    #[test]
    fn the_model_card_text_is_the_card_written() {
        assert_eq!(crate::json::to_string(&model_card()), MODEL_CARD_JSON);
    }

    #[test]
    fn model_card_serializes_with_the_defaults() {
        let j = crate::json::to_string(&model_card());
        assert!(j.contains("\"declared\"") && j.contains("\"halfLifeDays\":14.0"));
        assert_eq!(model_card().signals.len(), 6);
        assert_eq!(
            model_card().signals[0].coefficient,
            ScoringWeights::default().declared as f64
        );
    }
}
