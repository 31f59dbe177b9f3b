//! Everything a ranking call derives once from the profile, then the per-item score.

use std::collections::HashMap;

use crate::catalog::date::day_of;
use crate::catalog::vectors::dot;
use crate::catalog::{Catalog, ItemKind, Layout, NO_DATE_DAY};
use crate::profile::{Preference, Profile};
use crate::taxonomy::TopicIx;

use super::{RankConfig, RankOptions, ScoringWeights};

/// Freshness is tabulated for this many days of age; older items get 0.
const FRESH_DAYS: usize = 366;

/// Why a topic cannot be used (items carrying it are left out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TopicBlock {
    Muted,
    Disliked,
    Sensitive,
}

/// Why an item is left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exclusion {
    /// In `exclude` (the page already shows it).
    Listed,
    /// The visitor dismissed it.
    Dismissed,
    /// Clicked or bought, with `exclude_seen`.
    Seen,
    /// Offer shown `per_item` times in the window.
    ItemCap,
    /// Its campaign shown `per_campaign` times in the window.
    CampaignCap,
    /// It carries a blocked topic.
    Topic(TopicIx, TopicBlock),
}

/// Where a topic's affinity comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TopicSource {
    None,
    Declared,
    Observed,
}

pub(crate) struct Context<'a> {
    pub catalog: &'a Catalog,
    /// The profile, when it personalizes (present and not paused).
    pub profile: Option<&'a Profile>,
    pub weights: ScoringWeights,
    pub now_ms: i64,
    today: i64,
    layout: Layout<'a>,
    /// Per topic: the affinity, `-inf` when blocked.
    affinity: Vec<f32>,
    pub source: Vec<TopicSource>,
    pub blocked: Vec<Option<TopicBlock>>,
    /// Unit taste vector, when the catalog has vectors and the profile engaged.
    pub taste: Option<Vec<f32>>,
    /// Per item: the related score (weighted mean of neighbour weights), when used.
    related: Option<Vec<f32>>,
    /// Engaged items (index, decayed weight > 0), in profile order.
    pub engaged: Vec<(usize, f32)>,
    /// Per item exclusion (None = eligible), besides topic blocks.
    excluded: Vec<Option<Exclusion>>,
    fresh: Vec<f32>,
}

impl<'a> Context<'a> {
    pub fn new(
        profile: Option<&'a Profile>,
        catalog: &'a Catalog,
        opts: &RankOptions,
        cfg: &RankConfig,
    ) -> Context<'a> {
        let weights = if cfg.weights.is_valid() {
            cfg.weights.clone()
        } else {
            ScoringWeights::default()
        };
        let tax = catalog.taxonomy();
        let nt = tax.len();
        let personal = profile.filter(|p| !p.is_paused());
        let mut affinity = vec![0f32; nt];
        let mut source = vec![TopicSource::None; nt];
        let mut blocked: Vec<Option<TopicBlock>> = tax
            .all()
            .map(|t| tax.is_sensitive(t).then_some(TopicBlock::Sensitive))
            .collect();

        if let Some(p) = profile {
            // Protective choices apply even when paused.
            for (id, s) in p.topics() {
                let Some(t) = tax.get(id) else { continue };
                if s.is_muted() {
                    blocked[t.index()] = Some(TopicBlock::Muted);
                } else if s.preference() == Preference::Dislike {
                    blocked[t.index()] = Some(TopicBlock::Disliked);
                }
            }
        }
        if let Some(p) = personal {
            let (hl, oo) = (p.half_life_days(), p.one_off_factor());
            let mut max_eff = 0f64;
            let mut eff = Vec::new();
            for (id, s) in p.topics() {
                let Some(t) = tax.get(id) else { continue };
                if blocked[t.index()].is_some_and(|b| b != TopicBlock::Sensitive) {
                    continue;
                }
                if s.preference() == Preference::Like {
                    blocked[t.index()] = None; // a declared sensitive topic may be used
                    affinity[t.index()] = weights.declared;
                    source[t.index()] = TopicSource::Declared;
                } else if !tax.is_sensitive(t) {
                    let e = s.effective(opts.now_ms, hl, oo);
                    max_eff = max_eff.max(e);
                    eff.push((t, e));
                }
            }
            if max_eff > 0.0 {
                for (t, e) in eff {
                    let o = (e / max_eff).clamp(-1.0, 1.0) as f32;
                    if o != 0.0 {
                        affinity[t.index()] = weights.observed * o;
                        source[t.index()] = TopicSource::Observed;
                    }
                }
            }
        }
        for (a, b) in affinity.iter_mut().zip(&blocked) {
            if b.is_some() {
                *a = f32::NEG_INFINITY;
            }
        }

        let mut engaged = Vec::new();
        if let Some(p) = personal {
            let hl = p.half_life_days();
            for (id, e) in p.engaged() {
                let Some(i) = catalog.item_index(id) else {
                    continue;
                };
                if p.is_dismissed(id) || catalog.item_is_sensitive(i) {
                    continue;
                }
                let w = e.decayed(opts.now_ms, hl) as f32;
                if w > 0.0 {
                    engaged.push((i, w));
                }
            }
        }
        let taste = if weights.vector > 0.0 {
            personal.and_then(|p| p.taste_vector(catalog, opts.now_ms))
        } else {
            None
        };
        let related =
            (weights.related > 0.0 && catalog.has_related() && !engaged.is_empty()).then(|| {
                let mut r = vec![0f32; catalog.len()];
                let total: f32 = engaged.iter().map(|e| e.1).sum();
                for &(e, w) in &engaged {
                    for (j, rw) in catalog.item_related(e) {
                        r[j] += w * rw;
                    }
                }
                let inv = 1.0 / total;
                r.iter_mut().for_each(|x| *x *= inv);
                r
            });

        let excluded = exclusions(profile, personal.is_some(), catalog, opts, cfg);
        let hl = weights.freshness_half_life_days as f64;
        let fresh = (0..FRESH_DAYS)
            .map(|d| (-(d as f64) / hl * std::f64::consts::LN_2).exp() as f32)
            .collect();
        Context {
            catalog,
            profile: personal,
            weights,
            now_ms: opts.now_ms,
            today: day_of(opts.now_ms),
            layout: catalog.layout(),
            affinity,
            source,
            blocked,
            taste,
            related,
            engaged,
            excluded,
            fresh,
        }
    }

    /// Freshness of item `i`: `2^(−age / half_life)`, 0 without a date; future dates count as today.
    #[inline(always)]
    pub fn freshness(&self, i: usize) -> f32 {
        let p = self.layout.published[i];
        if p == NO_DATE_DAY {
            return 0.0;
        }
        let age = (self.today - p as i64).max(0) as usize;
        if age < FRESH_DAYS {
            self.fresh[age]
        } else {
            0.0
        }
    }

    /// The topic part of the score: a weighted mean of topic affinities (`-inf` when blocked).
    #[inline(always)]
    pub fn topic_score(&self, i: usize) -> f32 {
        let l = &self.layout;
        let (s, e) = (l.topic_off[i] as usize, l.topic_off[i + 1] as usize);
        let mut acc = 0f32;
        for (&t, &w) in l.topic_ix[s..e].iter().zip(&l.topic_w[s..e]) {
            acc += w * self.affinity[t as usize];
        }
        acc * l.topic_norm[i]
    }

    /// The affinity of topic `t` (`-inf` when blocked).
    #[inline]
    pub fn affinity(&self, t: TopicIx) -> f32 {
        self.affinity[t.index()]
    }

    /// Dot product of item `i`'s vector with the taste vector (0 without).
    #[inline(always)]
    pub fn similarity(&self, i: usize) -> f32 {
        match (&self.taste, self.catalog.vectors()) {
            (Some(t), Some(v)) => dot(v.row(i), t),
            _ => 0.0,
        }
    }

    /// The related score of item `i` (0 without).
    #[inline(always)]
    pub fn related(&self, i: usize) -> f32 {
        self.related.as_ref().map_or(0.0, |r| r[i])
    }

    /// The full score of item `i`, `-inf` when it is left out. The one formula both
    /// [`score_all`](Self::score_all) and explanations use, so they agree bit for bit.
    #[inline(always)]
    pub fn score(&self, i: usize) -> f32 {
        if self.excluded[i].is_some() {
            return f32::NEG_INFINITY;
        }
        let w = &self.weights;
        let mut s = self.topic_score(i)
            + w.popularity * self.layout.popularity[i]
            + w.freshness * self.freshness(i);
        if self.taste.is_some() {
            s += w.vector * self.similarity(i);
        }
        if self.related.is_some() {
            s += w.related * self.related(i);
        }
        s
    }

    /// Scores every item.
    pub fn score_all(&self) -> Vec<f32> {
        let n = self.catalog.len();
        let mut out = Vec::with_capacity(n);
        out.extend((0..n).map(|i| self.score(i)));
        out
    }

    /// Why item `i` is left out, if it is.
    pub fn exclusion(&self, i: usize) -> Option<Exclusion> {
        if let Some(e) = self.excluded[i] {
            return Some(e);
        }
        self.catalog
            .item_topics(i)
            .find_map(|(t, _)| self.blocked[t.index()].map(|b| Exclusion::Topic(t, b)))
    }
}

/// Per-item exclusions that do not come from topics.
fn exclusions(
    profile: Option<&Profile>,
    personal: bool,
    catalog: &Catalog,
    opts: &RankOptions,
    cfg: &RankConfig,
) -> Vec<Option<Exclusion>> {
    let mut ex = vec![None; catalog.len()];
    for id in &opts.exclude {
        if let Some(i) = catalog.item_index(id) {
            ex[i] = Some(Exclusion::Listed);
        }
    }
    let Some(p) = profile else { return ex };
    if personal && opts.exclude_seen {
        for (id, e) in p.engaged() {
            if e.clicks() > 0 {
                if let Some(i) = catalog.item_index(id) {
                    ex[i].get_or_insert(Exclusion::Seen);
                }
            }
        }
    }
    for id in p.dismissed() {
        if let Some(i) = catalog.item_index(id) {
            ex[i] = Some(Exclusion::Dismissed);
        }
    }
    // Frequency caps: count impressions within the window.
    let caps = &cfg.caps;
    let since = opts.now_ms.saturating_sub(caps.window_ms);
    let mut per_item: HashMap<&str, u32> = HashMap::new();
    let mut per_campaign: HashMap<&str, u32> = HashMap::new();
    for s in p.impressions() {
        if s.at > since && s.at <= opts.now_ms {
            *per_item.entry(&s.item).or_default() += 1;
            if let Some(c) = &s.campaign {
                *per_campaign.entry(c).or_default() += 1;
            }
        }
    }
    for (id, n) in per_item {
        if n >= caps.per_item {
            if let Some(i) = catalog
                .item_index(id)
                .filter(|&i| catalog.item_kind(i) == ItemKind::Offer)
            {
                ex[i].get_or_insert(Exclusion::ItemCap);
            }
        }
    }
    let capped: Vec<u32> = per_campaign
        .into_iter()
        .filter(|(_, n)| *n >= caps.per_campaign)
        .filter_map(|(c, _)| catalog.campaign_by_name(c))
        .collect();
    if !capped.is_empty() {
        for (i, e) in ex.iter_mut().enumerate() {
            if catalog.item_kind(i) == ItemKind::Offer
                && catalog.campaign_ix(i).is_some_and(|c| capped.contains(&c))
            {
                e.get_or_insert(Exclusion::CampaignCap);
            }
        }
    }
    ex
}
