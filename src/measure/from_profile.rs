//! The measurement flow fed from the engine: the catalog gives the domain (its
//! non-sensitive topics, in order), the profile gives the top interests.

use super::config::{MeasureConfig, INTERESTS_TOP_K};
use super::plan::{Gate, Inputs, Planned};
use super::state::MeasureState;
use crate::catalog::Catalog;
use crate::error::Result;
use crate::ldp::Rng;
use crate::profile::{EventKind, Profile};
use crate::report::{day_of_ms, Report};

impl Inputs {
    /// The domain and the visitor's top 3 interests from `profile` and `catalog`.
    ///
    /// The domain is the catalog's non-sensitive topics only, so a sensitive topic
    /// has no bit in any report. Interests are [`Profile::top_interests`] (declared
    /// likes first, then observed; never sensitive, muted or disliked), filtered again
    /// against the domain. A paused profile reports no interests.
    ///
    /// Yesterday's activity comes from the profile's recent events: events only reach
    /// the profile while `personalize` is granted, so a day with a recorded view, click,
    /// purchase or impression is a day the visitor was shown personalized
    /// recommendations, and a recorded click (not a gift) is the engagement. Only
    /// yesterday is kept: it is the one day an `engagement` report describes.
    pub fn from_profile(profile: &Profile, catalog: &Catalog, now_ms: i64) -> Inputs {
        let tax = catalog.taxonomy();
        let mut domain = Vec::new();
        for t in tax.non_sensitive() {
            domain.push(tax.id(t).to_string());
        }
        let mut interests = Vec::new();
        if !profile.is_paused() {
            // Never sensitive: `top_interests` leaves those out.
            // Over the list borrowed: no consuming iterator compiled for this one loop.
            for &t in &profile.top_interests(catalog, now_ms, INTERESTS_TOP_K) {
                interests.push(tax.id(t).to_string());
            }
        }
        let (mut yesterday, day) = (None, day_of_ms(now_ms) - 1);
        for e in profile.recent() {
            if e.kind != EventKind::Dismiss && day_of_ms(e.at_ms) == day {
                let click = e.kind == EventKind::Click && !e.gift;
                *yesterday.get_or_insert(false) |= click;
            }
        }
        Inputs {
            domain,
            interests,
            yesterday,
        }
    }
}

/// [`MeasureState::plan`] with inputs taken from `profile` and `catalog`.
#[allow(clippy::too_many_arguments)]
pub fn plan_reports(
    state: &mut MeasureState,
    profile: &Profile,
    catalog: &Catalog,
    cfg: &MeasureConfig,
    gate: Gate,
    site: &str,
    now_ms: i64,
    rng: &mut dyn Rng,
) -> Result<Vec<Planned>> {
    state.plan(
        &Inputs::from_profile(profile, catalog, now_ms),
        cfg,
        gate,
        site,
        now_ms,
        rng,
    )
}

/// The reports due now under the default configuration, for a visitor whose
/// `measure` consent the caller has already checked; building them once per period
/// (asking again returns the same reports until they are marked sent or failed).
/// A site id unfit for reports gives no reports.
pub fn pending_reports(
    state: &mut MeasureState,
    profile: &Profile,
    catalog: &Catalog,
    site: &str,
    now_ms: i64,
    rng: &mut dyn Rng,
) -> Vec<Report> {
    plan_reports(
        state,
        profile,
        catalog,
        &MeasureConfig::default(),
        Gate::Open,
        site,
        now_ms,
        rng,
    )
    .map(|plan| {
        let mut reports = Vec::new();
        for p in plan {
            if let Planned::Due(r) = p {
                reports.push(r);
            }
        }
        reports
    })
    .unwrap_or_default()
}
