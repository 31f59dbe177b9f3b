//! The privacy budget as data, for the visitor's privacy view.

use super::config::{MeasureConfig, Metric, LIFETIME_FACTOR};
use super::state::MeasureState;
use crate::json::{ToJson, Writer};
use crate::report::{day_of_ms, period_of_day};

/// What each metric costs and what has been spent, in ε.
#[derive(Clone, Debug, PartialEq)]
pub struct PrivacyBudget {
    /// Per metric.
    pub metrics: Vec<MetricBudget>,
    /// ε spent today over all metrics.
    pub spent_today: f64,
    /// Lifetime bound over all metrics and values (basic composition: a sum).
    pub spent_total: f64,
}

/// One metric's privacy terms and spending.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricBudget {
    /// The metric name.
    pub metric: &'static str,
    /// Whether the site collects it.
    pub enabled: bool,
    /// The mechanism on the wire (`oue` / `grr`).
    pub mechanism: &'static str,
    /// ε of one report (ε₁).
    pub report_epsilon: f64,
    /// ε of all reports about one unchanged value together (ε∞ = 2·ε₁).
    pub lifetime_epsilon: f64,
    /// ε spent on this metric today (0 or ε₁).
    pub spent_today: f64,
    /// Lifetime bound spent on this metric: per value `min(reports·ε₁, ε∞)`, summed.
    pub spent_total: f64,
    /// ε per day for the last 31 days, oldest first.
    pub days: Vec<DaySpend>,
    /// The terms in plain words.
    pub explanation: &'static str,
}

/// ε spent on one day.
#[derive(Clone, Debug, PartialEq)]
pub struct DaySpend {
    /// `YYYY-MM-DD`.
    pub period: String,
    /// ε.
    pub epsilon: f64,
}

impl ToJson for PrivacyBudget {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("metrics", &self.metrics);
            o.field("spentToday", &self.spent_today);
            o.field("spentTotal", &self.spent_total);
        });
    }
}

impl ToJson for MetricBudget {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("metric", self.metric);
            o.field("enabled", &self.enabled);
            o.field("mechanism", self.mechanism);
            o.field("reportEpsilon", &self.report_epsilon);
            o.field("lifetimeEpsilon", &self.lifetime_epsilon);
            o.field("spentToday", &self.spent_today);
            o.field("spentTotal", &self.spent_total);
            o.field("days", &self.days);
            o.field("explanation", self.explanation);
        });
    }
}

impl ToJson for DaySpend {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("period", &self.period);
            o.field("epsilon", &self.epsilon);
        });
    }
}

impl MeasureState {
    /// The privacy terms of every metric under `cfg` and what this device has spent.
    pub fn budget(&self, cfg: &MeasureConfig, now_ms: i64) -> PrivacyBudget {
        let today = period_of_day(day_of_ms(now_ms));
        let mut metrics = Vec::with_capacity(Metric::ALL.len());
        // The totals summed as the metrics are listed, in their order (what a second
        // pass over the list would add up).
        let (mut all_today, mut all_total) = (0.0, 0.0);
        for m in Metric::ALL.iter().copied() {
            let mc = cfg.metric(m);
            // The metric's days, and today's spend among them, in one pass (what
            // `spent_on` would find in another).
            let (mut days, mut spent_today) = (Vec::new(), 0.0);
            for s in self.spending() {
                if s.metric == m.name() {
                    if s.period == today {
                        spent_today += s.epsilon;
                    }
                    days.push(DaySpend {
                        period: s.period.clone(),
                        epsilon: s.epsilon,
                    });
                }
            }
            let spent_total = self.lifetime_spent(m);
            all_today += spent_today;
            all_total += spent_total;
            metrics.push(MetricBudget {
                metric: m.name(),
                enabled: mc.enabled,
                mechanism: match m {
                    Metric::Interests => "oue",
                    Metric::Engagement => "grr",
                },
                report_epsilon: mc.epsilon,
                lifetime_epsilon: LIFETIME_FACTOR * mc.epsilon,
                spent_today,
                spent_total,
                days,
                explanation: match m {
                    Metric::Interests => {
                        "Once a day at most, your top 3 interests are sent as a noisy list of yes/no \
                         answers, one per topic; sensitive topics are never included. Each report \
                         alone cannot reveal your interests with more than the stated epsilon, and \
                         all reports about the same interests together reveal at most the lifetime \
                         epsilon, because the noise is drawn once and reused."
                    }
                    Metric::Engagement => {
                        "For a day on which you saw personalized recommendations, one noisy yes/no \
                         answer: did you click one? The answer is often flipped on purpose, so a \
                         single report says little about you."
                    }
                },
            });
        }
        PrivacyBudget {
            spent_today: all_today,
            spent_total: all_total,
            metrics,
        }
    }
}
