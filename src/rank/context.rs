//! Everything a ranking call derives once from the profile, then the per-item score.

use std::ops::Range;

use crate::catalog::date::day_of;
use crate::catalog::vectors::dot;
use crate::catalog::{Catalog, ItemKind, NO_DATE_DAY};
use crate::profile::{EventKind, Preference, Profile};
use crate::taxonomy::TopicIx;

use super::{FrequencyCaps, RankConfig, RankOptions, ScoringWeights};

/// Freshness is tabulated for this many days of age; older items get 0.
const FRESH_DAYS: usize = 366;
/// "In the last 2 weeks" for observed reasons.
const RECENT_WINDOW_MS: i64 = 14 * 86_400_000;

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
    /// It carries a blocked topic ([`TopicUse::Muted`], `Disliked` or `Sensitive`).
    Topic(TopicIx, TopicUse),
}

/// What the ranking makes of a topic: where its affinity comes from, or why it cannot
/// be used (items carrying it are left out). One list for both: a blocked topic has no
/// affinity to explain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TopicUse {
    None,
    Declared,
    Observed,
    Muted,
    Disliked,
    Sensitive,
}

pub(crate) struct Context<'a> {
    pub catalog: &'a Catalog,
    /// The configuration's coefficients, or the defaults when they are not valid.
    pub weights: &'a ScoringWeights,
    today: i64,
    /// The catalog's publication days, for the freshness reasons.
    published: &'a [i32],
    /// Per topic: the affinity (`-inf` when blocked) and where it comes from or why it
    /// is blocked. One list rather than two parallel ones: one allocation, and one
    /// bounds check where a topic's entry is set.
    pub topics: Vec<(f32, TopicUse)>,
    /// Unit taste vector, when the catalog has vectors and the profile engaged.
    pub taste: Option<Vec<f32>>,
    /// Per item: the related score (weighted mean of neighbour weights), when used.
    related: Option<Vec<f32>>,
    /// Engaged items (index, decayed weight > 0, clicked or bought), in profile order.
    pub engaged: Vec<(usize, f32, bool)>,
    /// The items of the recent-event log that observed reasons count (not dismissals,
    /// in the last [`RECENT_WINDOW_MS`] and not later than now; unknown items dropped),
    /// in log order; resolved only when a topic's affinity is observed.
    pub recent: Vec<usize>,
    /// The profile gave no topic an affinity and blocked none: the topic part is
    /// then 0, or `-inf` for sensitive items, without the loop. (Set whenever the
    /// profile touches a topic, even with a weight of 0: the loop then gives the
    /// same scores.)
    topics_flat: bool,
    /// Items left out for reasons other than topics, an item's first reason first
    /// (few: a sparse list instead of a flag per item keeps each call from touching
    /// n more bytes). Not sorted: scoring marks them all, and only an explanation
    /// looks one up, once.
    excluded: Vec<(u32, Exclusion)>,
    fresh: Vec<f32>,
}

impl<'a> Context<'a> {
    pub fn new(
        profile: Option<&'a Profile>,
        catalog: &'a Catalog,
        opts: &RankOptions,
        cfg: &'a RankConfig,
    ) -> Context<'a> {
        // Borrowed, not copied: a copy was a load and a store per coefficient.
        let weights = if cfg.weights.is_valid() {
            &cfg.weights
        } else {
            &ScoringWeights::DEFAULT
        };
        let tax = catalog.taxonomy();
        let nt = tax.len();
        let personal = profile.filter(|p| !p.is_paused());
        // The topics as the catalog has them, sensitive topics blocked, in one pass:
        // `vec![(0.0, TopicUse::None); nt]` compiled a fill routine of its own for the enum.
        let mut topics = Vec::with_capacity(nt);
        for &s in tax.sensitive_list() {
            topics.push(if s {
                (f32::NEG_INFINITY, TopicUse::Sensitive)
            } else {
                (0.0, TopicUse::None)
            });
        }
        // Whether the profile leaves every topic as the catalog has it: no affinity,
        // only the sensitive topics blocked (see the field).
        let mut topics_flat = true;
        let mut any_observed = false;

        if let Some(p) = profile {
            let (hl, oo) = (p.half_life_days(), p.one_off_factor());
            let mut max_eff = 0f64;
            let mut eff = Vec::new();
            // One pass: each topic of the profile is a different topic of the catalog.
            for (id, s) in p.topics() {
                let Some(t) = tax.get(id) else { continue };
                let blocked = if s.is_muted() {
                    Some(TopicUse::Muted)
                } else if s.preference() == Preference::Dislike {
                    Some(TopicUse::Disliked)
                } else {
                    None
                };
                if let Some(b) = blocked {
                    // Protective choices apply even when paused. The affinity is `-inf`
                    // (a declared like may lift a sensitive block, a block cannot be lifted).
                    topics[t.index()] = (f32::NEG_INFINITY, b);
                    topics_flat = false;
                } else if personal.is_none() {
                    // Paused: its interests do not count.
                } else if s.preference() == Preference::Like {
                    // A declared sensitive topic may be used.
                    topics[t.index()] = (weights.declared, TopicUse::Declared);
                    topics_flat = false;
                } else if !tax.is_sensitive(t) {
                    let e = s.effective(opts.now_ms, hl, oo);
                    max_eff = max_eff.max(e);
                    eff.push((t, e));
                }
            }
            if max_eff > 0.0 {
                for &(t, e) in &eff {
                    let o = (e / max_eff).clamp(-1.0, 1.0) as f32;
                    if o != 0.0 {
                        topics[t.index()] = (weights.observed * o, TopicUse::Observed);
                        topics_flat = false;
                        any_observed = true;
                    }
                }
            }
        }

        let mut engaged = Vec::new();
        // The engaged weights' sum, for the related mean, added in the order of `engaged`.
        let mut total = 0f32;
        // Items left out whatever their topics, in the order their reasons win:
        // dismissed and listed first, then seen (clicked or bought) as the engaged
        // items are resolved here, then the frequency caps.
        let mut excluded = dismissed_and_listed(profile, catalog, opts);
        if let Some(p) = personal {
            let hl = p.half_life_days();
            for (id, e) in p.engaged() {
                let Some(i) = catalog.item_index(id) else {
                    continue;
                };
                if e.clicks() > 0 && opts.exclude_seen {
                    excluded.push((i as u32, Exclusion::Seen));
                }
                if p.is_dismissed(id) || catalog.item_is_sensitive(i) {
                    continue;
                }
                let w = e.decayed(opts.now_ms, hl) as f32;
                if w > 0.0 {
                    total += w;
                    engaged.push((i, w, e.clicks() > 0));
                }
            }
        }
        // The same sum as `Profile::taste_vector`, from the items already resolved.
        let taste = match catalog.vectors() {
            Some(v) if weights.vector > 0.0 && !engaged.is_empty() => {
                let mut t = vec![0f32; v.dims()];
                for &(i, w, _) in &engaged {
                    for (x, r) in t.iter_mut().zip(v.row(i)) {
                        *x += w * r;
                    }
                }
                crate::catalog::vectors::normalize(&mut t).then_some(t)
            }
            _ => None,
        };
        let related =
            (weights.related > 0.0 && catalog.has_related() && !engaged.is_empty()).then(|| {
                let mut r = vec![0f32; catalog.len()];
                for &(e, w, _) in &engaged {
                    for (j, rw) in catalog.item_related(e) {
                        r[j] += w * rw;
                    }
                }
                let inv = 1.0 / total;
                r.iter_mut().for_each(|x| *x *= inv);
                r
            });

        // Resolved here rather than on first use: at most `MAX_RECENT` lookups, and a
        // lazy cell compiled more code than the loop.
        let mut recent = Vec::new();
        // Filtered here too, once per ranking rather than once per reason.
        if let Some(p) = personal.filter(|_| any_observed) {
            for e in p.recent() {
                let now = opts.now_ms;
                if e.kind == EventKind::Dismiss || now - e.at_ms > RECENT_WINDOW_MS || e.at_ms > now
                {
                    continue;
                }
                if let Some(i) = catalog.item_index(&e.item) {
                    recent.push(i);
                }
            }
        }
        if let Some(p) = profile {
            capped(p, catalog, opts, &cfg.caps, &mut excluded);
        }
        let hl = weights.freshness_half_life_days as f64;
        let mut fresh = Vec::with_capacity(FRESH_DAYS);
        for d in 0..FRESH_DAYS {
            fresh.push(crate::math::exp(-(d as f64) / hl * std::f64::consts::LN_2) as f32);
        }
        Context {
            catalog,
            weights,
            today: day_of(opts.now_ms),
            published: catalog.layout().published,
            topics,
            taste,
            related,
            engaged,
            recent,
            topics_flat,
            excluded,
            fresh,
        }
    }

    /// The freshness of item `i`, `2^(−age / half_life)` (future dates count as today),
    /// when it has a date at most `days` old (`days` below [`FRESH_DAYS`]). One read of
    /// the date for both tests, with the day already computed for the scores.
    pub fn recent_freshness(&self, i: usize, days: i64) -> Option<f32> {
        let p = self.published[i];
        let age = self.today - p as i64;
        (p != NO_DATE_DAY && age <= days).then(|| self.fresh[age.max(0) as usize])
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

    fn excluded_item(&self, i: usize) -> Option<Exclusion> {
        // An item may be listed more than once: its first entry holds the reason that wins.
        let i = i as u32;
        self.excluded.iter().find(|e| e.0 == i).map(|e| e.1)
    }

    /// Scores every item, `-inf` for those left out.
    pub fn score_all(&self) -> Vec<f32> {
        self.scores(0..self.catalog.len())
    }

    /// The scores of the items in `items`, `-inf` for those left out: for every
    /// item, or for the one an explanation is about, so both agree bit for bit.
    /// Pass by pass over flat arrays, so each pass is a simple loop (the vector pass
    /// is one contiguous dot product per item, which vectorizes).
    pub fn scores(&self, items: Range<usize>) -> Vec<f32> {
        let Range { start, end } = items;
        let w = &self.weights;
        // Taken here rather than kept in the context: a copy of every slice there cost
        // code in each context built, and scoring takes it once per call.
        let l = &self.catalog.layout();
        let mut out = vec![0f32; end - start];
        let prior = Prior {
            popularity: &l.popularity[start..end],
            published: &l.published[start..end],
            fresh: &self.fresh,
            today: self.today,
            wp: w.popularity,
            wf: w.freshness,
        };
        if self.topics_flat {
            flat_pass(
                &mut out,
                &self.catalog.sensitive_items()[start..end],
                &prior,
            );
        } else {
            let topics = Topics {
                off: &l.topic_off[start..=end],
                ix: l.topic_ix,
                w: l.topic_w,
                norm: &l.topic_norm[start..end],
            };
            topic_pass(&mut out, &topics, &self.topics, &prior);
        }
        if let (Some(t), Some(v)) = (&self.taste, self.catalog.vectors()) {
            let dims = v.dims();
            let rows = v.data()[start * dims..end * dims].chunks_exact(dims);
            for (o, row) in out.iter_mut().zip(rows) {
                *o += w.vector * dot(row, t);
            }
        }
        if let Some(r) = &self.related {
            for (o, x) in out.iter_mut().zip(&r[start..end]) {
                *o += w.related * x;
            }
        }
        for &(i, _) in &self.excluded {
            if let Some(o) = out.get_mut((i as usize).wrapping_sub(start)) {
                *o = f32::NEG_INFINITY;
            }
        }
        out
    }

    /// Why item `i` is left out, if it is.
    pub fn exclusion(&self, i: usize) -> Option<Exclusion> {
        if let Some(e) = self.excluded_item(i) {
            return Some(e);
        }
        self.catalog
            .item_topics(i)
            .find_map(|(t, _)| match self.topics[t.index()].1 {
                b @ (TopicUse::Muted | TopicUse::Disliked | TopicUse::Sensitive) => {
                    Some(Exclusion::Topic(t, b))
                }
                _ => None,
            })
    }
}

/// The popularity and freshness prior, as flat arrays for the scoring passes.
struct Prior<'a> {
    popularity: &'a [f32],
    published: &'a [i32],
    fresh: &'a [f32],
    today: i64,
    wp: f32,
    wf: f32,
}

impl Prior<'_> {
    /// `wp · pop + wf · fresh`, added to the topic part in the order of the module
    /// docs' formula.
    #[inline(always)]
    fn add(&self, topic: f32, i: usize) -> f32 {
        self.add_at(topic, self.popularity[i], self.published[i])
    }

    /// [`Prior::add`] for an item whose popularity and publication day are at hand.
    #[inline(always)]
    fn add_at(&self, topic: f32, popularity: f32, published: i32) -> f32 {
        let fresh = if published == NO_DATE_DAY {
            0.0
        } else {
            let age = (self.today - published as i64).max(0) as usize;
            self.fresh.get(age).copied().unwrap_or(0.0)
        };
        topic + self.wp * popularity + self.wf * fresh
    }
}

/// The topic arrays of the items being scored: `off` has one entry more than
/// `norm`, and its offsets index `ix` and `w` (shared by every item).
struct Topics<'a> {
    off: &'a [u32],
    ix: &'a [u16],
    w: &'a [f32],
    norm: &'a [f32],
}

/// Topic part plus prior for every item. Free function over slices so the
/// compiler knows `out` aliases nothing it reads, and keeps the sum in a register.
fn topic_pass(out: &mut [f32], topics: &Topics, aff: &[(f32, TopicUse)], prior: &Prior) {
    let (ix, tw, norm) = (topics.ix, topics.w, topics.norm);
    for (i, (o, w)) in out.iter_mut().zip(topics.off.windows(2)).enumerate() {
        let (s, e) = (w[0] as usize, w[1] as usize);
        let mut acc = 0f32;
        for (&t, &x) in ix[s..e].iter().zip(&tw[s..e]) {
            acc += x * aff[t as usize].0;
        }
        *o = prior.add(acc * norm[i], i);
    }
}

/// The same when no topic has an affinity: the topic part is 0, or `-inf` for
/// items with a (blocked) sensitive topic.
fn flat_pass(out: &mut [f32], sensitive: &[bool], prior: &Prior) {
    // The slices are cut to the item count first, so the compiler can see every index
    // in bounds: natively, its layout of this loop otherwise kept the checks in, and
    // ranking without a profile took twice as long.
    let n = out.len();
    let sensitive = &sensitive[..n];
    let (popularity, published) = (&prior.popularity[..n], &prior.published[..n]);
    for i in 0..n {
        let t = if sensitive[i] { f32::NEG_INFINITY } else { 0.0 };
        out[i] = prior.add_at(t, popularity[i], published[i]);
    }
}

/// The first per-item exclusions that do not come from topics: dismissed, then
/// listed in `exclude`. An item's first reason wins (after these: seen, item cap,
/// campaign cap). Duplicates are kept: a dedup compiled code of its own to save a
/// few entries.
fn dismissed_and_listed(
    profile: Option<&Profile>,
    catalog: &Catalog,
    opts: &RankOptions,
) -> Vec<(u32, Exclusion)> {
    let mut ex: Vec<(u32, Exclusion)> = Vec::new();
    let mut add = |i: usize, e: Exclusion| ex.push((i as u32, e));
    if let Some(p) = profile {
        for id in p.dismissed() {
            if let Some(i) = catalog.item_index(id) {
                add(i, Exclusion::Dismissed);
            }
        }
    }
    for id in &opts.exclude {
        if let Some(i) = catalog.item_index(id) {
            add(i, Exclusion::Listed);
        }
    }
    ex
}

/// Adds to `ex` the offers over their frequency caps: impressions within the window
/// are counted by catalog item and campaign (those no longer in the catalog cap
/// nothing).
fn capped(
    p: &Profile,
    catalog: &Catalog,
    opts: &RankOptions,
    caps: &FrequencyCaps,
    ex: &mut Vec<(u32, Exclusion)>,
) {
    let mut add = |i: usize, e: Exclusion| ex.push((i as u32, e));
    let since = opts.now_ms.saturating_sub(caps.window_ms);
    let mut per_item = Vec::new();
    let mut per_campaign = Vec::new();
    // An offer, or a campaign, is capped once, as its count reaches the cap (counted
    // items have at least one impression, so a cap of 0 caps them at their first):
    // no second pass over the counts. Item caps in that order: the order of items
    // does not matter.
    let mut capped = Vec::new();
    for s in p.impressions() {
        if s.at > since && s.at <= opts.now_ms {
            if let Some(i) = catalog.item_index(&s.item) {
                if count(&mut per_item, i as u32) == caps.per_item.max(1)
                    && catalog.item_kind(i) == ItemKind::Offer
                {
                    add(i, Exclusion::ItemCap);
                }
            }
            if let Some(c) = s
                .campaign
                .as_deref()
                .and_then(|c| catalog.campaign_by_name(c))
            {
                if count(&mut per_campaign, c) == caps.per_campaign.max(1) {
                    capped.push(c);
                }
            }
        }
    }
    if !capped.is_empty() {
        for i in 0..catalog.len() {
            if catalog.item_kind(i) == ItemKind::Offer
                && catalog.campaign_ix(i).is_some_and(|c| capped.contains(&c))
            {
                add(i, Exclusion::CampaignCap);
            }
        }
    }
}

/// Adds one to the count of `key` in `counts` (key, count) and returns the new count. A
/// linear search: there are at most [`crate::profile::MAX_SHOWN`] impressions to count,
/// and no hash map to compile.
fn count(counts: &mut Vec<(u32, u32)>, key: u32) -> u32 {
    match counts.iter_mut().find(|c| c.0 == key) {
        Some(c) => {
            c.1 += 1;
            c.1
        }
        None => {
            counts.push((key, 1));
            1
        }
    }
}
