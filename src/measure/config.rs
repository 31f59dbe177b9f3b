//! What is measured, and how strongly it is protected.
//!
//! Two metrics exist, each with a default per-report ε of 1. A site may switch a
//! metric off or ask for *more* privacy (a smaller ε), never less: ε above the
//! default is refused. That default is the privacy floor.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ldp::{MemoizedRandomizedResponse, MemoizedUnaryEncoding};
use crate::report::Mechanism;

/// The per-report ε every metric uses by default, and the most a site may configure.
pub const FLOOR_EPSILON: f64 = 1.0;

/// The lifetime ε of a memoized value is this multiple of the per-report ε.
///
/// Why 2: the permanent response must be less noisy than a report (ε∞ > ε₁) so
/// that each day's report can add fresh noise and two days' reports cannot be
/// matched bit for bit; at 2× about a quarter of the bits of an `interests` report
/// are re-drawn each day, while all reports about one value together still reveal
/// no more than ε∞ = 2·ε₁.
pub const LIFETIME_FACTOR: f64 = 2.0;

/// How many top interests an `interests` report encodes.
pub const INTERESTS_TOP_K: usize = 3;

/// A metric the device can report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Metric {
    /// The visitor's top 3 non-sensitive interests, one bit per non-sensitive topic
    /// in catalog order, under unary encoding (`oue`).
    Interests,
    /// Whether the visitor clicked a personalized recommendation on a day they were
    /// shown some (bit 0 = no, bit 1 = yes), under binary randomized response (`grr`, d = 2).
    Engagement,
}

impl Metric {
    /// Every metric, in the order reports are built.
    pub const ALL: [Metric; 2] = [Metric::Interests, Metric::Engagement];

    /// The name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Interests => "interests",
            Metric::Engagement => "engagement",
        }
    }

    /// The metric with that wire name, if any.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The mechanism a report of this metric carries at per-report `epsilon` (and
    /// the lifetime ε = [`LIFETIME_FACTOR`]·ε), over `domain` buckets (ignored for
    /// `engagement`, which always has 2). The collector builds the expected
    /// mechanism with this same function and compares with [`Mechanism::agrees_with`].
    pub fn mechanism(self, epsilon: f64, domain: usize) -> Result<Mechanism> {
        self.mechanism_with_lifetime(epsilon, LIFETIME_FACTOR * epsilon, domain)
    }

    pub(crate) fn mechanism_with_lifetime(
        self,
        epsilon: f64,
        lifetime: f64,
        domain: usize,
    ) -> Result<Mechanism> {
        Ok(match self {
            Metric::Interests => {
                let m = MemoizedUnaryEncoding::new(epsilon, lifetime, domain, INTERESTS_TOP_K)?;
                Mechanism {
                    name: "oue".into(),
                    epsilon,
                    domain: domain as u32,
                    p: m.p(),
                    q: m.q(),
                }
            }
            Metric::Engagement => {
                let m = MemoizedRandomizedResponse::new(epsilon, lifetime, 2)?;
                Mechanism {
                    name: "grr".into(),
                    epsilon,
                    domain: 2,
                    p: m.p(),
                    q: m.q(),
                }
            }
        })
    }
}

/// One metric's settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricConfig {
    /// Whether the site wants this metric (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Per-report ε, in `(0, 1]` (default 1).
    #[serde(default = "floor")]
    pub epsilon: f64,
}

fn yes() -> bool {
    true
}

fn floor() -> f64 {
    FLOOR_EPSILON
}

impl Default for MetricConfig {
    fn default() -> Self {
        MetricConfig {
            enabled: true,
            epsilon: FLOOR_EPSILON,
        }
    }
}

/// The site's measurement settings: `{ "interests": { "enabled", "epsilon" }, "engagement": {...} }`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawConfig")]
pub struct MeasureConfig {
    /// The `interests` metric.
    pub interests: MetricConfig,
    /// The `engagement` metric.
    pub engagement: MetricConfig,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    interests: MetricConfig,
    #[serde(default)]
    engagement: MetricConfig,
}

impl TryFrom<RawConfig> for MeasureConfig {
    type Error = Error;
    fn try_from(raw: RawConfig) -> Result<Self> {
        let cfg = MeasureConfig {
            interests: raw.interests,
            engagement: raw.engagement,
        };
        cfg.validate()?;
        Ok(cfg)
    }
}

impl MeasureConfig {
    /// Parses and validates a config from JSON text.
    pub fn from_json(text: &str) -> Result<MeasureConfig> {
        serde_json::from_str(text).map_err(|e| Error::invalid("", e.to_string()))
    }

    /// The settings of `metric`.
    pub fn metric(&self, metric: Metric) -> MetricConfig {
        match metric {
            Metric::Interests => self.interests,
            Metric::Engagement => self.engagement,
        }
    }

    /// Checks every ε: finite, above 0, and not above the privacy floor ([`FLOOR_EPSILON`]).
    pub fn validate(&self) -> Result<()> {
        for metric in Metric::ALL {
            let eps = self.metric(metric).epsilon;
            let path = if metric == Metric::Interests {
                "/interests/epsilon"
            } else {
                "/engagement/epsilon"
            };
            if !(eps.is_finite() && eps > 0.0) {
                return Err(Error::out_of_range(
                    path,
                    "epsilon must be a finite number above 0",
                ));
            }
            if eps > FLOOR_EPSILON {
                return Err(Error::out_of_range(
                    path,
                    "epsilon above 1 would weaken the privacy floor: a site may lower it, never raise it",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_the_floor() {
        let cfg = MeasureConfig::from_json("{}").unwrap();
        assert_eq!(cfg, MeasureConfig::default());
        assert_eq!(cfg.interests.epsilon, 1.0);
        assert!(cfg.engagement.enabled);
    }

    #[test]
    fn a_site_may_switch_off_or_lower_epsilon_but_never_raise_it() {
        let cfg = MeasureConfig::from_json(
            r#"{"interests":{"enabled":false},"engagement":{"epsilon":0.5}}"#,
        )
        .unwrap();
        assert!(!cfg.interests.enabled);
        assert_eq!(cfg.engagement.epsilon, 0.5);
        let e = MeasureConfig::from_json(r#"{"interests":{"epsilon":2}}"#).unwrap_err();
        assert!(e.message().contains("privacy floor"), "{e}");
        assert!(MeasureConfig::from_json(r#"{"interests":{"epsilon":0}}"#).is_err());
        assert!(MeasureConfig::from_json(r#"{"clicks":{}}"#).is_err());
    }

    #[test]
    fn mechanisms_are_the_documented_ones() {
        let m = Metric::Interests.mechanism(1.0, 37).unwrap();
        assert_eq!((m.name.as_str(), m.domain), ("oue", 37));
        assert!((m.p - 0.5).abs() < 1e-12);
        assert!((m.q - 1.0 / ((1.0f64 / 3.0).exp() + 1.0)).abs() < 1e-12);
        m.validate().unwrap();
        let g = Metric::Engagement.mechanism(1.0, 0).unwrap();
        assert_eq!((g.name.as_str(), g.domain), ("grr", 2));
        assert!((g.p / g.q - 1f64.exp()).abs() < 1e-9);
        g.validate().unwrap();
        assert!(Metric::Interests.mechanism(1.0, 3).is_err());
    }
}
