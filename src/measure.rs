//! Private measurement on the device: which reports are due, built with local
//! differential privacy, and what they cost in privacy.
//!
//! With `measure` consent (and an explicit opt-in when Global Privacy Control
//! is on), the device sends at most one report per metric per period:
//!
//! | metric       | value                                             | mechanism on the wire   | ε per report | lifetime ε per value |
//! |--------------|---------------------------------------------------|-------------------------|--------------|----------------------|
//! | `interests`  | top 3 non-sensitive interests (today)             | `oue`, d = non-sensitive topics | 1    | 2                    |
//! | `engagement` | clicked a personalized recommendation (yesterday) | `grr`, d = 2            | 1            | 2                    |
//!
//! - **Per report** ε₁ = 1: any two values (for `interests`, any two sets of up to 3
//!   topics) make any report at most e¹ times more likely. Unary encoding of a 3-set
//!   therefore runs at ε₁/3 per topic (see [`crate::ldp::OptimizedUnaryEncoding`]).
//! - **Lifetime** ε∞ = 2 per value: the first randomization of a value is kept
//!   (RAPPOR's permanent response) and each report re-randomizes it, so however
//!   many reports are sent about the same value they reveal at most ε∞ together;
//!   after `k` reports the spend is `min(k·ε₁, ε∞)`. Distinct values (new top
//!   interests) each have their own permanent response, and their spends add up:
//!   the total shown to the visitor is that sum ([`MeasureState::budget`]).
//! - Sensitive topics are not part of the domain: they never appear in a report,
//!   not even noised.
//! - A site may switch metrics off or lower ε ([`MeasureConfig`]), never raise it.
//!
//! The flow: [`MeasureState::plan`] (or [`pending_reports`]) builds the day's
//! reports once and keeps them in the state's outbox, so the bytes shown to the
//! visitor are the bytes sent; the browser layer sends them and calls
//! [`MeasureState::mark_sent`] or [`MeasureState::mark_failed`].

mod budget;
mod config;
mod from_profile;
mod memo;
mod plan;
mod state;

pub use budget::{DaySpend, MetricBudget, PrivacyBudget};
pub use config::{
    MeasureConfig, Metric, MetricConfig, FLOOR_EPSILON, INTERESTS_TOP_K, LIFETIME_FACTOR,
};
pub use from_profile::{pending_reports, plan_reports};
#[cfg(all(target_arch = "wasm32", feature = "measurement"))]
pub(crate) use plan::skip_all;
pub use plan::{Gate, Inputs, Planned, Skip};
pub use state::{
    MeasureState, Spend, MAX_ATTEMPTS, MAX_SET_MEMOS, SPEND_HISTORY_DAYS, STATE_VERSION,
};
