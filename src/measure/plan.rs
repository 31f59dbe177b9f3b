//! Building the day's reports: which metric is due, which is skipped and why.
//!
//! Rules (per metric, per UTC day):
//! - nothing is built or sent without the gate open (`measure` consent, and an
//!   explicit opt-in when Global Privacy Control is on);
//! - `interests` describes today, `engagement` describes yesterday (a finished day);
//! - a report is built once per period and kept until sent, so `pendingReports()`
//!   shows exactly the bytes `flush()` sends, and asking twice never spends twice;
//! - a failed send is tried once more in a later period if the collector still
//!   accepts its period (today or yesterday), then dropped.

use super::config::{MeasureConfig, Metric, INTERESTS_TOP_K, LIFETIME_FACTOR};
use super::memo::{charge, SetMemo, ValueMemo};
use super::state::{MeasureState, Outgoing, Spend, MAX_SET_MEMOS, SPEND_HISTORY_DAYS};
use crate::error::Result;
use crate::ldp::{base64url, MemoizedRandomizedResponse, MemoizedUnaryEncoding, Rng};
use crate::list::{discard, keep_only};
use crate::report::{
    day_of_ms, day_of_period, new_id, period_of_day, Mechanism, Report, REPORT_VERSION,
};

/// Whether reports may be built at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// `measure` consent is granted (explicitly, if GPC is on).
    Open,
    /// No `measure` consent.
    NoConsent,
    /// Global Privacy Control is on and the visitor has not explicitly opted in.
    Gpc,
}

/// Why a metric sends nothing now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// No `measure` consent.
    NoConsent,
    /// Global Privacy Control without an explicit opt-in.
    Gpc,
    /// This period's report was already sent.
    AlreadySent,
    /// Nothing to say (no interests yet, no personalized recommendations shown yesterday).
    NothingToReport,
    /// The site switched the metric off.
    Disabled,
    /// A send failed today; it is tried again in a later period.
    RetryLater,
}

impl crate::json::ToJson for Skip {
    /// The [`reason`](Skip::reason) as a string.
    fn write_json(&self, w: &mut crate::json::Writer) {
        w.str(self.reason());
    }
}

impl Skip {
    /// The reason as the JavaScript API reports it.
    pub fn reason(self) -> &'static str {
        match self {
            Skip::NoConsent => "no consent",
            Skip::Gpc => "gpc",
            Skip::AlreadySent => "already sent today",
            Skip::NothingToReport => "nothing to report",
            Skip::Disabled => "switched off by the site",
            Skip::RetryLater => "retry in a later period",
        }
    }
}

/// One metric's plan: a report to send, or the reason there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum Planned {
    /// Send this report.
    Due(Report),
    /// Nothing for this metric now.
    Skipped {
        /// The metric name.
        metric: &'static str,
        /// Why.
        reason: Skip,
    },
}

impl Planned {
    /// The metric this entry is about.
    pub fn metric(&self) -> &str {
        match self {
            Planned::Due(r) => &r.metric,
            Planned::Skipped { metric, .. } => metric,
        }
    }

    /// The report, when one is due.
    pub fn report(&self) -> Option<&Report> {
        match self {
            Planned::Due(r) => Some(r),
            Planned::Skipped { .. } => None,
        }
    }
}

/// Every metric skipped for `reason`.
pub(crate) fn skip_all(reason: Skip) -> Vec<Planned> {
    // Built whole, in the order of `Metric::ALL`: no growing list pushed to in a loop.
    let skipped = |m: Metric| Planned::Skipped {
        metric: m.name(),
        reason,
    };
    vec![skipped(Metric::Interests), skipped(Metric::Engagement)]
}

// `skip_all` names the metrics one by one: a metric added to `Metric::ALL`, or the two
// reordered, must be written there too.
const _: () = assert!(matches!(
    Metric::ALL,
    [Metric::Interests, Metric::Engagement]
));

/// What the device knows that the reports are about, already reduced to
/// non-sensitive topic ids (sensitive topics never get this far).
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// The catalog's non-sensitive topic ids, in catalog order: bit `i` of an
    /// `interests` report is `domain[i]`.
    pub domain: Vec<String>,
    /// The visitor's top interests (at most 3, each in `domain`).
    pub interests: Vec<String>,
    /// Whether the visitor used personalized recommendations yesterday, the UTC day
    /// before the time planned at (events were recorded with `personalize` on), and
    /// if so whether they clicked one: the day an `engagement` report describes.
    pub yesterday: Option<bool>,
}

impl MeasureState {
    /// Plans (and builds, once per period) the reports due now, one entry per
    /// metric plus any retry. With the gate closed nothing is built, nothing changes,
    /// and no randomness is drawn. Errors only for a site id unfit for reports.
    pub fn plan(
        &mut self,
        inputs: &Inputs,
        cfg: &MeasureConfig,
        gate: Gate,
        site: &str,
        now_ms: i64,
        rng: &mut dyn Rng,
    ) -> Result<Vec<Planned>> {
        let closed = match gate {
            Gate::Open => None,
            Gate::NoConsent => Some(Skip::NoConsent),
            Gate::Gpc => Some(Skip::Gpc),
        };
        if let Some(reason) = closed {
            return Ok(skip_all(reason));
        }
        cfg.validate()?;
        check_site(site)?;
        let today = day_of_ms(now_ms);
        self.housekeeping(today, cfg);
        let mut out = Vec::new();
        for metric in Metric::ALL.iter().copied() {
            let mc = cfg.metric(metric);
            let mut due = false;
            let mut reason = Skip::Disabled;
            if mc.enabled {
                let target = match metric {
                    Metric::Interests => today,
                    Metric::Engagement => today - 1,
                };
                let period = period_of_day(target);
                let built = self
                    .outbox
                    .iter()
                    .any(|o| o.report.metric == metric.name() && o.report.period == period);
                let sent = self.sent.get(metric.name()).is_some_and(|p| *p >= period);
                if !built && !sent {
                    let report = match metric {
                        Metric::Interests => {
                            self.build_interests(inputs, mc.epsilon, site, target, rng)
                        }
                        Metric::Engagement => {
                            self.build_engagement(inputs, mc.epsilon, site, target, rng)
                        }
                    };
                    if let Some(report) = report {
                        self.spent.push(Spend {
                            period: period.clone(),
                            metric: metric.name().into(),
                            epsilon: mc.epsilon,
                        });
                        self.outbox.push(Outgoing {
                            report,
                            failures: 0,
                            failed_day: None,
                        });
                    }
                }
                let mut waiting = false;
                for o in &self.outbox {
                    if o.report.metric != metric.name() {
                        continue;
                    }
                    if o.failed_day.is_some_and(|d| d >= today) {
                        waiting = true;
                    } else {
                        out.push(Planned::Due(o.report.clone()));
                        due = true;
                    }
                }
                reason = if sent {
                    Skip::AlreadySent
                } else if waiting {
                    Skip::RetryLater
                } else {
                    Skip::NothingToReport
                };
            }
            if !due {
                out.push(Planned::Skipped {
                    metric: metric.name(),
                    reason,
                });
            }
        }
        Ok(out)
    }

    /// Drops what can no longer be sent or shown: reports the collector would
    /// reject as too old (before yesterday), reports of switched-off metrics,
    /// spending records beyond the history window.
    fn housekeeping(&mut self, today: i64, cfg: &MeasureConfig) {
        keep_only(&mut self.outbox, |o| {
            let fresh = day_of_period(&o.report.period).is_ok_and(|d| d >= today - 1);
            let enabled =
                Metric::from_name(&o.report.metric).is_some_and(|m| cfg.metric(m).enabled);
            fresh && enabled
        });
        keep_only(&mut self.spent, |s| {
            day_of_period(&s.period).is_ok_and(|d| d > today - SPEND_HISTORY_DAYS)
        });
        self.drop_stale_activity(today);
    }

    fn build_interests(
        &mut self,
        inputs: &Inputs,
        epsilon: f64,
        site: &str,
        day: i64,
        rng: &mut dyn Rng,
    ) -> Option<Report> {
        let d = inputs.domain.len();
        // The true value: distinct interests that are in the domain, at most 3, sorted
        // as they are added (each moves down past the larger ones before it).
        let mut value: Vec<String> = Vec::new();
        for t in &inputs.interests {
            if inputs.domain.contains(t) && !value.contains(t) && value.len() < INTERESTS_TOP_K {
                value.push(t.clone());
                let mut i = value.len() - 1;
                while i > 0 && value[i - 1] > value[i] {
                    value.swap(i - 1, i);
                    i -= 1;
                }
            }
        }
        if value.is_empty() || d <= INTERESTS_TOP_K || d > crate::ldp::MAX_DOMAIN {
            return None;
        }
        // The memo holds the value from here on: a new memo takes it, not a copy.
        let ix = self.set_memo(value, epsilon, day);
        let memo = &mut self.interests[ix];
        let mech =
            MemoizedUnaryEncoding::new(epsilon, memo.lifetime_epsilon, d, INTERESTS_TOP_K).ok()?;
        // Keep the permanent map bounded: forget topics no longer in the catalog only when full.
        if memo.permanent.len() + d > crate::ldp::MAX_DOMAIN {
            memo.permanent.retain(|t, _| inputs.domain.contains(t));
        }
        // Packed as they are drawn, least-significant bit first (what `pack_bits` does
        // with a list of bits, which is then not built).
        let mut bytes = vec![0u8; d.div_ceil(8)];
        for (i, t) in inputs.domain.iter().enumerate() {
            let perm = match memo.permanent.get(t) {
                Some(&b) => b,
                None => {
                    let b = mech.permanent_bit(memo.value.contains(t), rng);
                    memo.permanent.insert(t.clone(), b);
                    b
                }
            };
            bytes[i / 8] |= u8::from(mech.instantaneous_bit(perm, rng)) << (i % 8);
        }
        charge(&mut memo.spent, epsilon, memo.lifetime_epsilon);
        memo.reports += 1;
        memo.last_day = day;
        let (p, q) = (mech.p(), mech.q());
        Some(report(
            site,
            day,
            Metric::Interests,
            "oue",
            epsilon,
            d as u32,
            p,
            q,
            &bytes,
            rng,
        ))
    }

    /// The memo for `value`, created (and an old one retired) when needed.
    fn set_memo(&mut self, value: Vec<String>, epsilon: f64, day: i64) -> usize {
        let usable = |m: &SetMemo| m.lifetime_epsilon >= 1.05 * epsilon;
        if let Some(i) = self.interests.iter().position(|m| m.value == value) {
            if usable(&self.interests[i]) {
                return i;
            }
            // Drawn for a smaller ε than the site now uses: retire it (its spend stays counted).
            self.retire_set(i);
        }
        if self.interests.len() >= MAX_SET_MEMOS {
            // The least recently reported set (the first of them on a tie).
            let mut oldest = 0;
            for i in 1..self.interests.len() {
                if self.interests[i].last_day < self.interests[oldest].last_day {
                    oldest = i;
                }
            }
            self.retire_set(oldest);
        }
        self.interests.push(SetMemo {
            value,
            lifetime_epsilon: LIFETIME_FACTOR * epsilon,
            spent: 0.0,
            reports: 0,
            last_day: day,
            permanent: Default::default(),
        });
        self.interests.len() - 1
    }

    /// Retires memo `i`, dropped where it is (`discard`): `Vec::remove` would be compiled
    /// for this one call, to move out a memo of which only the spend is read.
    fn retire_set(&mut self, i: usize) {
        let spent = self.interests[i].spent;
        discard(&mut self.interests, i);
        self.retire(Metric::Interests, spent);
    }

    /// Keeps counting what a memo that is no longer used had spent on `metric`.
    fn retire(&mut self, metric: Metric, spent: f64) {
        *self.retired.entry(metric.name().into()).or_insert(0.0) += spent;
    }

    fn build_engagement(
        &mut self,
        inputs: &Inputs,
        epsilon: f64,
        site: &str,
        day: i64,
        rng: &mut dyn Rng,
    ) -> Option<Report> {
        // Whether the day was active (noted here or in the inputs), and clicked.
        let (mut active, mut clicked) = (false, false);
        for a in &self.activity {
            if a.day == day && a.shown {
                active = true;
                clicked |= a.clicked;
                break;
            }
        }
        if let Some(c) = inputs.yesterday {
            active = true;
            clicked |= c;
        }
        if !active {
            return None;
        }
        let value = u8::from(clicked);
        let usable = |m: &ValueMemo| m.value == value && m.lifetime_epsilon >= 1.05 * epsilon;
        let found = self.engagement.iter().position(usable);
        if found.is_none() {
            // Drawn for a smaller ε than the site now uses: retire it (its spend stays counted).
            // Removed by copying the later memos down: they are plain values, so this
            // needs no `Vec::remove` compiled for them.
            if let Some(old) = self.engagement.iter().position(|m| m.value == value) {
                let spent = self.engagement[old].spent;
                self.engagement.copy_within(old + 1.., old);
                self.engagement.pop();
                self.retire(Metric::Engagement, spent);
            }
        }
        // One mechanism for both steps, at the memo's ε∞ (a new memo's if none is usable).
        let lifetime = match found {
            Some(i) => self.engagement[i].lifetime_epsilon,
            None => LIFETIME_FACTOR * epsilon,
        };
        let mech = MemoizedRandomizedResponse::new(epsilon, lifetime, 2).ok()?;
        let i = match found {
            Some(i) => i,
            None => {
                // A 0/1 answer in a domain of 2.
                let permanent = mech.permanent_unchecked(usize::from(value), rng) as u8;
                self.engagement.push(ValueMemo {
                    value,
                    lifetime_epsilon: lifetime,
                    spent: 0.0,
                    reports: 0,
                    last_day: day,
                    permanent,
                });
                self.engagement.len() - 1
            }
        };
        let memo = &mut self.engagement[i];
        // The permanent response is 0 or 1: drawn so, and checked so when read.
        let answer = mech.instantaneous_unchecked(usize::from(memo.permanent), rng);
        charge(&mut memo.spent, epsilon, memo.lifetime_epsilon);
        memo.reports += 1;
        memo.last_day = day;
        let (p, q) = mech.pq();
        // One-hot over the two answers: bit `answer` of one byte.
        Some(report(
            site,
            day,
            Metric::Engagement,
            "grr",
            epsilon,
            2,
            p,
            q,
            &[1 << answer],
            rng,
        ))
    }
}

/// A report of `metric` about `day` through the mechanism `name` with its parameters,
/// its `bits` packed least-significant bit first. The mechanism is built here, in its
/// place in the report, rather than by each metric and moved in.
#[allow(clippy::too_many_arguments)]
fn report(
    site: &str,
    day: i64,
    metric: Metric,
    name: &str,
    epsilon: f64,
    domain: u32,
    p: f64,
    q: f64,
    bits: &[u8],
    rng: &mut dyn Rng,
) -> Report {
    Report {
        v: REPORT_VERSION,
        site: site.to_string(),
        period: period_of_day(day),
        metric: metric.name().to_string(),
        mechanism: Mechanism {
            name: name.to_string(),
            epsilon,
            domain,
            p,
            q,
        },
        bits: base64url::encode(bits),
        id: new_id(rng),
    }
}

fn check_site(site: &str) -> Result<()> {
    crate::report::check_name(
        site,
        false,
        "/siteId",
        "reports need a site id of 1-64 letters, digits, '.', '_' or '-'",
    )
}
