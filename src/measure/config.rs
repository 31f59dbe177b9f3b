//! What is measured, and how strongly it is protected.
//!
//! Two metrics exist, each with a default per-report ε of 1. A site may switch a
//! metric off or ask for *more* privacy (a smaller ε), never less: ε above the
//! default is refused. That default is the privacy floor.

use crate::error::{Error, Result};
use crate::json::{read_in, read_record, FromJson, Reader, Record, ToJson, Writer};
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
    /// Every metric, in the order reports are built. Measurement walks it with
    /// `.iter().copied()`: the array's consuming iterator (`array::IntoIter::next`) is
    /// then not compiled for it.
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
        match name {
            "interests" => Some(Metric::Interests),
            "engagement" => Some(Metric::Engagement),
            _ => None,
        }
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
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MetricConfig {
    /// Whether the site wants this metric (default true).
    pub enabled: bool,
    /// Per-report ε, in `(0, 1]` (default 1).
    pub epsilon: f64,
}

impl MetricConfig {
    /// The default: on, at the floor ε.
    const DEFAULT: MetricConfig = MetricConfig {
        enabled: true,
        epsilon: FLOOR_EPSILON,
    };
}

impl Default for MetricConfig {
    fn default() -> Self {
        MetricConfig::DEFAULT
    }
}

impl ToJson for MetricConfig {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("enabled", &self.enabled);
            o.field("epsilon", &self.epsilon);
        });
    }
}

impl FromJson for MetricConfig {
    /// Both fields optional (defaults as above); anything else is an error.
    fn read(r: &mut Reader<'_>) -> Result<MetricConfig> {
        read_record(r)
    }
}

impl Record for MetricConfig {
    const KEYS: &'static [&'static str] = &["enabled", "epsilon"];
    const OPTIONAL: u32 = !0;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.enabled),
            _ => r.read_into(&mut self.epsilon),
        }
    }
}

/// The site's measurement settings: `{ "interests": { "enabled", "epsilon" }, "engagement": {...} }`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MeasureConfig {
    /// The `interests` metric.
    pub interests: MetricConfig,
    /// The `engagement` metric.
    pub engagement: MetricConfig,
}

impl MeasureConfig {
    /// [`MeasureConfig::default`], as a constant.
    pub(crate) const DEFAULT: MeasureConfig = MeasureConfig {
        interests: MetricConfig::DEFAULT,
        engagement: MetricConfig::DEFAULT,
    };
}

impl ToJson for MeasureConfig {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("interests", &self.interests);
            o.field("engagement", &self.engagement);
        });
    }
}

impl FromJson for MeasureConfig {
    /// Both metrics optional (default settings); an unknown metric is an error, and so
    /// is any ε [`validate`](MeasureConfig::validate) refuses.
    fn read(r: &mut Reader<'_>) -> Result<MeasureConfig> {
        let mut cfg = MeasureConfig::DEFAULT;
        read_in(r, &mut cfg)?;
        cfg.validate()
            .map_err(|e| crate::ldp::within(&r.path(), e))?;
        Ok(cfg)
    }
}

/// Read as every other record is, each metric's settings in place over their
/// defaults: one object loop, where a reader of its own compiled a key `match`
/// and an optional value per metric.
impl Record for MeasureConfig {
    const KEYS: &'static [&'static str] = &["interests", "engagement"];
    const OPTIONAL: u32 = !0;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        read_in(
            r,
            if i == 0 {
                &mut self.interests
            } else {
                &mut self.engagement
            },
        )
    }
}

impl MeasureConfig {
    /// Parses and validates a config from JSON text.
    pub fn from_json(text: &str) -> Result<MeasureConfig> {
        crate::json::from_str(text)
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
        for metric in Metric::ALL.iter().copied() {
            let eps = self.metric(metric).epsilon;
            let path = if metric == Metric::Interests {
                "/interests/epsilon"
            } else {
                "/engagement/epsilon"
            };
            // One range test, which NaN and the infinities fail too.
            if !(eps > 0.0 && eps <= f64::MAX) {
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
    use crate::error::ErrorKind;

    #[test]
    fn default_config_is_the_floor() {
        let cfg = MeasureConfig::from_json("{}").unwrap();
        assert_eq!(cfg, MeasureConfig::default());
        assert_eq!(cfg, MeasureConfig::DEFAULT);
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
        assert_eq!(
            (e.kind(), e.path()),
            (ErrorKind::OutOfRange, "/interests/epsilon")
        );
        let e = MeasureConfig::from_json(r#"{"interests":{"epsilon":0}}"#).unwrap_err();
        assert_eq!(
            (e.kind(), e.path()),
            (ErrorKind::OutOfRange, "/interests/epsilon")
        );
    }

    #[test]
    fn unknown_repeated_and_mistyped_settings_are_errors() {
        let err = |text: &str| {
            let e = MeasureConfig::from_json(text).unwrap_err();
            (e.path().to_string(), e.message().to_string())
        };
        let pair = |p: &str, m: &str| (p.to_string(), m.to_string());
        assert_eq!(err(r#"{"clicks":{}}"#), pair("/clicks", "unknown field"));
        assert_eq!(
            err(r#"{"engagement":{"enabled":true,"eps":1}}"#),
            pair("/engagement/eps", "unknown field")
        );
        assert_eq!(
            err(r#"{"interests":{},"interests":{}}"#),
            pair("/interests", "duplicate field")
        );
        assert_eq!(
            err(r#"{"interests":{"enabled":"no"}}"#),
            pair("/interests/enabled", "expected true or false")
        );
        assert_eq!(
            err(r#"{"interests":{"epsilon":null}}"#),
            pair("/interests/epsilon", "expected a number")
        );
        assert_eq!(err("[]"), pair("", "expected an object"));
    }

    #[test]
    fn metric_names_round_trip() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_name(m.name()), Some(m));
        }
        assert_eq!(Metric::from_name("clicks"), None);
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
