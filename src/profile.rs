//! The visitor's interest profile and the controls over it.
//!
//! Per topic the profile keeps a declared preference (set only by the visitor),
//! an observed weight that decays exponentially (half-life 14 days by default),
//! and its evidence (distinct days, first and last day). It also keeps the items
//! the visitor engaged with (id and decayed weight, at most 500) for related-item
//! and vector scoring, dismissed items, a log of the last 50 events (for `undo`
//! and explanations), and offer impressions for frequency caps. Nothing else: no
//! demographics, no URLs, no identifiers. Topics and items are kept by their id
//! strings, because the catalog may change between visits.
//!
//! The rules it enforces:
//! - **Gifts never feed the profile**: a purchase with `gift: true` changes nothing.
//! - **Sensitive topics are never learned**: events on an item raise (or lower)
//!   only its non-sensitive topics, and items carrying a sensitive topic are not
//!   kept as engaged items (their vectors would carry the topic in by the back door).
//! - **Muted topics are not learned**; a **paused** profile learns nothing
//!   (impressions still count, so frequency caps keep working).
//! - **One-off damping**: a topic seen on one day only counts 25% of its weight
//!   (configurable) until evidence on a second distinct day arrives.
//! - **Bounded**: at most 512 topics (weakest observed ones evicted first),
//!   50 recent events, 500 engaged items, 500 dismissed items, 200 impressions,
//!   and a serialized size under 32 KB (see [`MAX_SERIALIZED_BYTES`]).
//!
//! Event weights (documented defaults, [`EventWeights`]): view 0.5, click 2,
//! purchase 4, dismiss −2 (pulls the item's topics down), impression 0.

mod bounds;
pub(crate) mod read;
pub mod topic;

use crate::sorted_map::SortedMap;

use crate::catalog::date::day_of;
use crate::catalog::path::Path;
use crate::catalog::{Catalog, ItemKind};
use crate::error::{Error, ErrorKind, Result};
use crate::json::{ToJson, Writer};
use crate::list::{discard, keep_only};
use crate::taxonomy::{check_id, TopicIx};
pub use topic::{decay, TopicState};

/// At most this many topics are tracked.
pub const MAX_TOPICS: usize = 512;
/// At most this many recent events are kept (for `undo` and explanations).
pub const MAX_RECENT: usize = 50;
/// At most this many engaged items are kept.
pub const MAX_ENGAGED: usize = 500;
/// At most this many dismissed items are remembered.
pub const MAX_DISMISSED: usize = 500;
/// At most this many offer impressions are kept (for frequency caps).
pub const MAX_SHOWN: usize = 200;
/// Impressions older than this (relative to the newest) are dropped: 7 days.
pub const SHOWN_KEEP_MS: i64 = 7 * 86_400_000;
/// The serialized profile always stays at or under this many bytes (below 32 KB).
pub const MAX_SERIALIZED_BYTES: usize = 30_000;
/// A profile document longer than this is refused before parsing (256 KB).
pub const MAX_IMPORT_BYTES: usize = 256 * 1024;

/// What the visitor declared about a topic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Preference {
    /// "I like this": counts strongly in ranking, and lets a sensitive topic be used.
    Like,
    /// "Not for me": items of this topic are left out.
    Dislike,
    /// No declaration.
    #[default]
    None,
}

impl Preference {
    /// Whether this is [`Preference::None`].
    pub fn is_none(&self) -> bool {
        *self == Preference::None
    }
}

impl ToJson for Preference {
    fn write_json(&self, w: &mut Writer) {
        w.str(match self {
            Preference::Like => "like",
            Preference::Dislike => "dislike",
            Preference::None => "none",
        });
    }
}

/// What the visitor did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// Saw the item's page.
    View,
    /// Clicked the item.
    Click,
    /// Bought it (see [`Event::gift`]).
    Purchase,
    /// Said "not for me": the item is left out and its topics are pulled down.
    Dismiss,
    /// The item was shown; counts for frequency caps only.
    Impression,
}

impl ToJson for EventKind {
    fn write_json(&self, w: &mut Writer) {
        w.str(match self {
            EventKind::View => "view",
            EventKind::Click => "click",
            EventKind::Purchase => "purchase",
            EventKind::Dismiss => "dismiss",
            EventKind::Impression => "impression",
        });
    }
}

/// One event, as recorded (and as kept in the recent-event log).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// The catalog item id.
    pub item: String,
    /// A purchase for someone else ("not for me"): never feeds the profile.
    pub gift: bool,
    /// When (epoch ms).
    pub at_ms: i64,
}

impl ToJson for Event {
    /// `gift` is written only when true.
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("kind", &self.kind);
            o.field("item", &self.item);
            if self.gift {
                o.field("gift", &true);
            }
            o.field("at", &self.at_ms);
        });
    }
}

/// How much each kind of event counts (per unit of item topic weight).
#[derive(Clone, Debug, PartialEq)]
pub struct EventWeights {
    /// Default 0.5: seeing a page says less than choosing it (a view at ¼ of a
    /// click ranked best on MovieLens, EVALUATION.md).
    pub view: f64,
    /// Default 2.
    pub click: f64,
    /// Default 4.
    pub purchase: f64,
    /// Default −2: a dismissal pulls the item's topics down.
    pub dismiss: f64,
}

impl Default for EventWeights {
    fn default() -> Self {
        EventWeights {
            view: 0.5,
            click: 2.0,
            purchase: 4.0,
            dismiss: -2.0,
        }
    }
}

impl ToJson for EventWeights {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("view", &self.view);
            o.field("click", &self.click);
            o.field("purchase", &self.purchase);
            o.field("dismiss", &self.dismiss);
        });
    }
}

impl EventWeights {
    /// The weight of `kind` (impressions weigh 0: they are for frequency caps only).
    pub fn of(&self, kind: EventKind) -> f64 {
        match kind {
            EventKind::View => self.view,
            EventKind::Click => self.click,
            EventKind::Purchase => self.purchase,
            EventKind::Dismiss => self.dismiss,
            EventKind::Impression => 0.0,
        }
    }
}

/// How the profile learns. Validated by [`ProfileConfig::validate`].
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileConfig {
    /// Half-life of observed weights, in days (default 14; from 0.01 to 3650).
    pub half_life_days: f64,
    /// Share of its weight a topic seen on a single day counts for (default 0.25; 0 to 1).
    pub one_off_factor: f64,
    /// Event weights.
    pub weights: EventWeights,
}

impl Default for ProfileConfig {
    fn default() -> Self {
        ProfileConfig {
            half_life_days: 14.0,
            one_off_factor: 0.25,
            weights: EventWeights::default(),
        }
    }
}

impl ProfileConfig {
    /// Checks every number is finite and in range.
    pub fn validate(&self) -> Result<()> {
        check_rates(self.half_life_days, self.one_off_factor)?;
        // The bounds are finite, so a range check also refuses NaN and infinities.
        let ok = |x: f64, lo: f64, hi: f64| (lo..=hi).contains(&x);
        let w = &self.weights;
        if !(ok(w.view, 0.0, 100.0)
            && ok(w.click, 0.0, 100.0)
            && ok(w.purchase, 0.0, 100.0)
            && ok(w.dismiss, -100.0, 0.0))
        {
            return Err(Error::out_of_range(
                "/weights",
                "event weights must be finite: view, click and purchase from 0 to 100, dismiss from -100 to 0",
            ));
        }
        Ok(())
    }
}

/// Checks a half-life and a one-off factor, as [`ProfileConfig::validate`] does: also
/// what a stored profile's own settings are checked with, rather than a whole
/// configuration built around them with default weights that always pass.
// The bounds are finite, so a range check also refuses NaN and infinities.
fn check_rates(half_life_days: f64, one_off_factor: f64) -> Result<()> {
    if !(0.01..=3650.0).contains(&half_life_days) {
        return Err(Error::out_of_range(
            "/halfLifeDays",
            "the half-life must be from 0.01 to 3650 days",
        ));
    }
    if !(0.0..=1.0).contains(&one_off_factor) {
        return Err(Error::out_of_range(
            "/oneOffFactor",
            "the one-off factor must be from 0 to 1",
        ));
    }
    Ok(())
}

/// An item the visitor engaged with (viewed, clicked, bought).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Engaged {
    /// Engagement weight as of `at` (same event weights as topics).
    pub(crate) w: f32,
    /// When `w` was last brought up to date (epoch ms).
    pub(crate) at: i64,
    /// Clicks and purchases (a non-zero count means "seen" for `excludeSeen`).
    pub(crate) clicks: u16,
}

impl ToJson for Engaged {
    /// `clicks` is written only when not 0.
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("w", &self.w);
            o.field("at", &self.at);
            if self.clicks != 0 {
                o.field("clicks", &self.clicks);
            }
        });
    }
}

impl Engaged {
    /// The engagement weight decayed to `now_ms`.
    pub fn decayed(&self, now_ms: i64, half_life_days: f64) -> f64 {
        self.w as f64 * decay(now_ms - self.at, half_life_days)
    }

    /// Number of clicks and purchases.
    pub fn clicks(&self) -> u16 {
        self.clicks
    }
}

/// An offer impression, for frequency caps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impression {
    /// The offer's item id.
    pub item: String,
    /// Its campaign, if any (kept so caps survive a catalog change).
    pub campaign: Option<String>,
    /// When it was shown (epoch ms).
    pub at: i64,
}

impl ToJson for Impression {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("item", &self.item);
            o.field_some("campaign", &self.campaign);
            o.field("at", &self.at);
        });
    }
}

/// The visitor's interest profile. Serialized as a versioned document (`"v": 1`).
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    v: u8,
    paused: bool,
    half_life_days: f64,
    one_off_factor: f64,
    topics: SortedMap<TopicState>,
    recent: Vec<Event>,
    engaged: SortedMap<Engaged>,
    /// Dismissed item id → when (epoch ms).
    dismissed: SortedMap<i64>,
    shown: Vec<Impression>,
}

impl ToJson for Profile {
    /// The export format: every field, always, in this order.
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("v", &self.v);
            o.field("paused", &self.paused);
            o.field("halfLifeDays", &self.half_life_days);
            o.field("oneOffFactor", &self.one_off_factor);
            o.field("topics", &self.topics);
            o.field("recent", &self.recent);
            o.field("engaged", &self.engaged);
            o.field("dismissed", &self.dismissed);
            o.field("shown", &self.shown);
        });
    }
}

fn default_half_life() -> f64 {
    14.0
}
fn default_one_off() -> f64 {
    0.25
}

impl Default for Profile {
    fn default() -> Self {
        Profile::new()
    }
}

impl Profile {
    /// An empty profile with the default configuration.
    // Not inlined: its many fields were set inline at every caller.
    #[inline(never)]
    pub fn new() -> Profile {
        Profile {
            v: 1,
            paused: false,
            half_life_days: default_half_life(),
            one_off_factor: default_one_off(),
            topics: SortedMap::new(),
            recent: Vec::new(),
            engaged: SortedMap::new(),
            dismissed: SortedMap::new(),
            shown: Vec::new(),
        }
    }

    /// Learns from one event on a catalog item.
    ///
    /// Errors: the item is not in the catalog (`NotFound`, path `/item`), or `cfg` is invalid.
    /// A gift purchase is accepted and changes nothing; a paused profile records only impressions.
    pub fn record(&mut self, catalog: &Catalog, event: &Event, cfg: &ProfileConfig) -> Result<()> {
        cfg.validate()?;
        let i = catalog
            .item_index(&event.item)
            .ok_or_else(|| Error::not_found("/item", "no item with this id in the catalog"))?;
        self.half_life_days = cfg.half_life_days;
        self.one_off_factor = cfg.one_off_factor;
        match event.kind {
            EventKind::Impression => {
                if catalog.item_kind(i) == ItemKind::Offer {
                    self.add_impression(catalog, i, event.at_ms);
                }
                return Ok(());
            }
            EventKind::Purchase if event.gift => return Ok(()),
            _ if self.paused => return Ok(()),
            _ => {}
        }
        let weight = cfg.weights.of(event.kind);
        self.apply_topics(catalog, i, weight, event.at_ms);
        let id = catalog.item_id(i);
        match event.kind {
            EventKind::Dismiss => {
                let at = self.dismissed.entry(id.into()).or_insert(event.at_ms);
                *at = (*at).max(event.at_ms);
            }
            _ if catalog.item_is_sensitive(i) => {}
            kind => {
                let hl = self.half_life_days;
                let e = self.engaged.entry(id.into()).or_default();
                if e.w == 0.0 && e.at == 0 {
                    e.at = event.at_ms;
                }
                e.w = topic::add_decayed(e.w, &mut e.at, weight, event.at_ms, hl);
                if kind != EventKind::View {
                    e.clicks = e.clicks.saturating_add(1);
                }
            }
        }
        // `enforce_bounds` below drops the oldest event once the log is over `MAX_RECENT`.
        self.recent.push(Event {
            kind: event.kind,
            item: id.into(),
            gift: false,
            at_ms: event.at_ms,
        });
        self.enforce_bounds();
        Ok(())
    }

    /// Adds `weight` × topic weight to each learnable topic of item `i`.
    fn apply_topics(&mut self, catalog: &Catalog, i: usize, weight: f64, at_ms: i64) {
        let tax = catalog.taxonomy();
        for (t, tw) in catalog.item_topics(i) {
            if tax.is_sensitive(t) {
                continue; // never learned from behaviour
            }
            let hl = self.half_life_days;
            // A muted topic is always in the map (the mute is kept there), so this finds
            // it without adding anything; one search instead of a lookup and an entry.
            let s = self.topics.entry(tax.id(t).into()).or_default();
            if !s.muted {
                s.observe(weight * tw as f64, at_ms, hl);
            }
        }
    }

    fn add_impression(&mut self, catalog: &Catalog, i: usize, at: i64) {
        let mut newest = at;
        for s in &self.shown {
            newest = newest.max(s.at);
        }
        keep_only(&mut self.shown, |s| newest - s.at <= SHOWN_KEEP_MS);
        if self.shown.len() >= MAX_SHOWN {
            // drop the oldest (the first of equally old ones)
            let mut oldest = 0;
            for (k, s) in self.shown.iter().enumerate() {
                if s.at < self.shown[oldest].at {
                    oldest = k;
                }
            }
            discard(&mut self.shown, oldest);
        }
        self.shown.push(Impression {
            item: catalog.item_id(i).into(),
            campaign: catalog.item_campaign(i).map(Into::into),
            at,
        });
        self.enforce_bounds();
    }

    /// Records what the visitor declared about `topic` (`None` clears the declaration).
    ///
    /// The topic is kept by id and need not be in the current catalog. Errors: an
    /// empty or over-long id, or a profile already holding [`MAX_TOPICS`] declared
    /// or muted topics (nothing is changed then).
    pub fn declare(&mut self, topic: &str, pref: Preference, now_ms: i64) -> Result<()> {
        check_id(topic, || Path::root().key("topic"))?;
        let before = self.topics.get(topic).copied();
        let s = self.topics.entry(topic.into()).or_default();
        s.pref = pref;
        s.pref_at = if pref.is_none() { 0 } else { now_ms };
        if s.is_empty() {
            self.topics.remove(topic);
        }
        self.commit_or_restore(topic, before)
    }

    /// Mutes `topic`: it is never used in ranking or learned from, and its items are left out.
    pub fn mute(&mut self, topic: &str) -> Result<()> {
        check_id(topic, || Path::root().key("topic"))?;
        let before = self.topics.get(topic).copied();
        self.topics.entry(topic.into()).or_default().muted = true;
        self.commit_or_restore(topic, before)
    }

    /// Undoes [`mute`](Self::mute). Returns whether the topic was muted.
    pub fn unmute(&mut self, topic: &str) -> bool {
        let Some(s) = self.topics.get_mut(topic) else {
            return false;
        };
        let was = s.muted;
        s.muted = false;
        if s.is_empty() {
            self.topics.remove(topic);
        }
        was
    }

    /// Keeps a change to `topic` if the profile is still within its bounds; otherwise
    /// restores the topic as it was and reports that the profile is full.
    fn commit_or_restore(&mut self, topic: &str, before: Option<TopicState>) -> Result<()> {
        if self.enforce_bounds() && self.topics.len() <= MAX_TOPICS {
            return Ok(());
        }
        match before {
            Some(b) => {
                self.topics.insert(topic.into(), b);
            }
            None => {
                self.topics.remove(topic);
            }
        }
        Err(Error::new(
            ErrorKind::OutOfRange,
            "/topic",
            "the profile is full: remove a declared or muted topic first",
        ))
    }

    /// Forgets everything about `topic`: observed weight, evidence, declaration and mute.
    /// Returns whether there was anything. (Mute it afterwards to keep it from coming back.)
    pub fn forget(&mut self, topic: &str) -> bool {
        self.topics.remove(topic)
    }

    /// Forgets `topic` and also the engaged items, dismissals, impressions and recent
    /// events of catalog items that carry it, so no trace of it stays anywhere.
    pub fn forget_everywhere(&mut self, catalog: &Catalog, topic: &str) -> bool {
        let mut any = self.forget(topic);
        let Some(t) = catalog.taxonomy().get(topic) else {
            return any;
        };
        let about = |id: &str| carries(catalog, id, t);
        let n = self.engaged.len() + self.dismissed.len() + self.recent.len() + self.shown.len();
        self.engaged.retain(|id, _| !about(id));
        self.dismissed.retain(|id, _| !about(id));
        keep_only(&mut self.recent, |e| !about(&e.item));
        keep_only(&mut self.shown, |s| !about(&s.item));
        any |=
            n != self.engaged.len() + self.dismissed.len() + self.recent.len() + self.shown.len();
        any
    }

    /// Undoes the last recorded event (not impressions, not gifts: those are not learned from).
    /// Returns the event undone, or `None` when the log is empty.
    ///
    /// Its weight is taken back from the item's topics (topics forgotten since stay
    /// forgotten) and from the engaged item; a dismissal is withdrawn.
    pub fn undo(&mut self, catalog: &Catalog, cfg: &ProfileConfig) -> Option<Event> {
        let e = self.recent.pop()?;
        let weight = cfg.weights.of(e.kind);
        let hl = self.half_life_days;
        if let Some(i) = catalog.item_index(&e.item) {
            let tax = catalog.taxonomy();
            let day = day_of(e.at_ms);
            for (t, tw) in catalog.item_topics(i) {
                let id = tax.id(t);
                let Some(s) = self.topics.get_mut(id) else {
                    continue;
                };
                if tax.is_sensitive(t) || !s.has_observed() {
                    continue;
                }
                s.unobserve(weight * tw as f64, e.at_ms, hl);
                // Days of the remaining logged events on this topic.
                let mut same_day = false;
                let mut range: Option<(i64, i64)> = None;
                for r in &self.recent {
                    if carries(catalog, &r.item, t) {
                        let d = day_of(r.at_ms);
                        same_day |= d == day;
                        range = Some(range.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
                    }
                }
                if !same_day {
                    s.drop_day(day, range);
                }
                // With no logged event left on the topic and nothing left of its
                // weight, the evidence counted for it is gone too.
                if range.is_none() && s.w.abs() < 1e-4 {
                    s.clear_observed();
                }
                if s.is_empty() {
                    self.topics.remove(id);
                }
            }
        }
        match e.kind {
            EventKind::Dismiss => {
                if !self
                    .recent
                    .iter()
                    .any(|r| r.kind == EventKind::Dismiss && r.item == e.item)
                {
                    self.dismissed.remove(&e.item);
                }
            }
            kind => {
                if let Some(g) = self.engaged.get_mut(&e.item) {
                    g.w = (g.w as f64 - weight * decay(g.at - e.at_ms, hl)) as f32;
                    if kind != EventKind::View {
                        g.clicks = g.clicks.saturating_sub(1);
                    }
                    let left = self
                        .recent
                        .iter()
                        .any(|r| r.item == e.item && r.kind != EventKind::Dismiss);
                    if !left && (g.w.abs() < 1e-4 || g.clicks == 0 && g.w <= 0.0) {
                        self.engaged.remove(&e.item);
                    }
                }
            }
        }
        Some(e)
    }

    /// Pauses (or resumes) personalization: while paused, ranking is not personalized
    /// and nothing is learned.
    pub fn set_paused(&mut self, paused: bool) {
        self.paused = paused;
    }

    /// Whether personalization is paused.
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Erases everything the profile holds (its configuration stays).
    pub fn erase(&mut self) {
        let (hl, oo) = (self.half_life_days, self.one_off_factor);
        *self = Profile::new();
        self.half_life_days = hl;
        self.one_off_factor = oo;
    }

    /// Whether the profile holds nothing about the visitor.
    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
            && self.recent.is_empty()
            && self.engaged.is_empty()
            && self.dismissed.is_empty()
            && self.shown.is_empty()
    }

    /// The half-life of observed weights, in days.
    pub fn half_life_days(&self) -> f64 {
        self.half_life_days
    }

    /// The one-off damping factor.
    pub fn one_off_factor(&self) -> f64 {
        self.one_off_factor
    }

    /// The state of `topic`, if the profile tracks it.
    pub fn topic(&self, topic: &str) -> Option<&TopicState> {
        self.topics.get(topic)
    }

    /// Every tracked topic by id.
    pub fn topics(&self) -> impl Iterator<Item = (&str, &TopicState)> {
        self.topics.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// What the visitor declared about `topic`.
    pub fn declared(&self, topic: &str) -> Preference {
        self.topics.get(topic).map_or(Preference::None, |s| s.pref)
    }

    /// Whether `topic` is muted.
    pub fn is_muted(&self, topic: &str) -> bool {
        self.topics.get(topic).is_some_and(|s| s.muted)
    }

    /// The observed weight of `topic` at `now_ms`, decayed and one-off damped (0 when unknown).
    pub fn observed(&self, topic: &str, now_ms: i64) -> f64 {
        self.topics.get(topic).map_or(0.0, |s| {
            s.effective(now_ms, self.half_life_days, self.one_off_factor)
        })
    }

    /// The recent-event log, oldest first (at most [`MAX_RECENT`]).
    pub fn recent(&self) -> &[Event] {
        &self.recent
    }

    /// Engaged items by id.
    pub fn engaged(&self) -> impl Iterator<Item = (&str, &Engaged)> {
        self.engaged.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Whether the visitor dismissed `item`.
    pub fn is_dismissed(&self, item: &str) -> bool {
        self.dismissed.contains_key(item)
    }

    /// Dismissed item ids.
    pub fn dismissed(&self) -> impl Iterator<Item = &str> {
        self.dismissed.keys().map(String::as_str)
    }

    /// Whether the visitor clicked, bought or dismissed `item` (what `excludeSeen` leaves out).
    pub fn has_seen(&self, item: &str) -> bool {
        self.is_dismissed(item) || self.engaged.get(item).is_some_and(|e| e.clicks > 0)
    }

    /// Offer impressions kept for frequency caps.
    pub fn impressions(&self) -> &[Impression] {
        &self.shown
    }

    /// The visitor's top `k` topics: declared likes first (catalog order), then
    /// observed topics by decayed, damped weight (ties by catalog order). Only
    /// topics in the catalog that are not sensitive, muted or disliked, and only
    /// observed weights above 0.
    pub fn top_interests(&self, catalog: &Catalog, now_ms: i64, k: usize) -> Vec<TopicIx> {
        let tax = catalog.taxonomy();
        // Each topic ranks by (rank, topic): a like as infinity, an observed topic by its
        // weight, which is finite (a stored weight decayed, damped), so likes come first,
        // then the strongest observed, ties by topic. The first `k` are picked one at a
        // time, each the best after the one before: no list of candidates and no sort
        // for the few a caller asks for.
        let before = |a: (f64, TopicIx), b: (f64, TopicIx)| a.0 > b.0 || a.0 == b.0 && a.1 < b.1;
        let mut top = Vec::new();
        let mut last = None;
        while top.len() < k {
            let mut best = None;
            for (id, s) in &self.topics {
                let Some(t) = tax.get(id) else { continue };
                if tax.is_sensitive(t) || s.muted || s.pref == Preference::Dislike {
                    continue;
                }
                let w = if s.pref == Preference::Like {
                    f64::INFINITY
                } else {
                    s.effective(now_ms, self.half_life_days, self.one_off_factor)
                };
                let c = (w, t);
                if w > 0.0 && last.is_none_or(|l| before(l, c)) && best.is_none_or(|b| before(c, b))
                {
                    best = Some(c);
                }
            }
            let Some((_, t)) = best else { break };
            top.push(t);
            last = best;
        }
        top
    }

    /// The visitor's taste vector at `now_ms`: the decayed-weight sum of the
    /// vectors of engaged items, normalised to unit length. `None` when the catalog
    /// has no vectors or nothing was engaged with. Dismissed, unknown and sensitive
    /// items do not count. It is derived from the engaged items each time, so
    /// `forget`, `undo` and `erase` are always honoured.
    pub fn taste_vector(&self, catalog: &Catalog, now_ms: i64) -> Option<Vec<f32>> {
        let v = catalog.vectors()?;
        let mut taste = vec![0f32; v.dims()];
        let mut any = false;
        for (id, e) in &self.engaged {
            let Some(i) = catalog.item_index(id) else {
                continue;
            };
            if self.dismissed.contains_key(id) || catalog.item_is_sensitive(i) {
                continue;
            }
            let w = e.decayed(now_ms, self.half_life_days) as f32;
            if w > 0.0 {
                for (t, x) in taste.iter_mut().zip(v.row(i)) {
                    *t += w * x;
                }
                any = true;
            }
        }
        (any && crate::catalog::vectors::normalize(&mut taste)).then_some(taste)
    }

    /// The profile as a JSON document (`"v": 1`), under [`MAX_SERIALIZED_BYTES`].
    pub fn to_json(&self) -> String {
        crate::json::to_string(self)
    }

    /// Reads a profile document, strictly: version 1, known fields only, finite
    /// weights, every bound respected. A bad document is an error, never a partial profile.
    pub fn from_json(json: &str) -> Result<Profile> {
        let mut p = Profile::new();
        p.read_json(json)?;
        Ok(p)
    }

    /// Reads a profile document over this new profile, as [`from_json`](Self::from_json)
    /// reads one: for a profile read into its place in a stored document, rather than
    /// built aside and moved there through a `Result`. On an error the profile holds
    /// part of the document, so a caller drops it.
    pub(crate) fn read_json(&mut self, json: &str) -> Result<()> {
        if json.len() > MAX_IMPORT_BYTES {
            return Err(Error::out_of_range(
                "",
                "a profile document may be at most 256 KB",
            ));
        }
        // A missing `"v"` then reads as 0, which the version check refuses.
        self.v = 0;
        read::read_document(json, self)?;
        self.validate()
    }
}

/// Whether catalog item `id` carries topic `t` (`false` for an item not in the catalog).
/// One body for `forget_everywhere`'s four filters and `undo`'s scan of the log.
#[inline(never)]
fn carries(catalog: &Catalog, id: &str, t: TopicIx) -> bool {
    catalog
        .item_index(id)
        .is_some_and(|i| catalog.item_topics(i).any(|(x, _)| x == t))
}

#[cfg(test)]
mod tests;
