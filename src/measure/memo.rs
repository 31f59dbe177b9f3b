//! The permanent responses kept on the device (RAPPOR's memoization), with the
//! privacy each one has spent.
//!
//! A memo belongs to one true value: a set of topic ids for `interests`, a 0/1
//! answer for `engagement`. Its `spent` grows by ε₁ per report and stops at its
//! lifetime ε∞ (all reports about the value are post-processing of the permanent
//! response, which is ε∞-LDP): `spent = min(k·ε₁, ε∞)` after `k` reports.

use crate::sorted_map::SortedMap;

use crate::error::{Error, Result};
use crate::json::{FromJson, Reader, ToJson, Writer};

/// The permanent unary response for one set of topics.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SetMemo {
    /// The true value: topic ids, sorted, at most 3.
    pub topics: Vec<String>,
    /// ε∞ the permanent bits were drawn at.
    pub lifetime_epsilon: f64,
    /// Privacy spent on this value so far, at most `lifetime_epsilon`.
    pub spent: f64,
    /// Reports built from it.
    pub reports: u32,
    /// UTC day of the last report.
    pub last_day: i64,
    /// The permanent bit of every topic it was asked about (drawn when first needed,
    /// so a topic added to the catalog later gets its own draw once).
    pub permanent: SortedMap<bool>,
}

/// The permanent randomized response for one answer of a single-valued metric.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ValueMemo {
    /// The true answer.
    pub value: u8,
    /// ε∞ the permanent answer was drawn at.
    pub lifetime_epsilon: f64,
    /// Privacy spent on this answer so far, at most `lifetime_epsilon`.
    pub spent: f64,
    /// Reports built from it.
    pub reports: u32,
    /// UTC day of the last report.
    pub last_day: i64,
    /// The permanent answer.
    pub permanent: u8,
}

impl ToJson for SetMemo {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("topics", &self.topics);
            o.field("lifetimeEpsilon", &self.lifetime_epsilon);
            o.field("spent", &self.spent);
            o.field("reports", &self.reports);
            o.field("lastDay", &self.last_day);
            o.field("permanent", &self.permanent);
        });
    }
}

impl ToJson for ValueMemo {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("value", &self.value);
            o.field("lifetimeEpsilon", &self.lifetime_epsilon);
            o.field("spent", &self.spent);
            o.field("reports", &self.reports);
            o.field("lastDay", &self.last_day);
            o.field("permanent", &self.permanent);
        });
    }
}

impl FromJson for SetMemo {
    /// Every field required, nothing else allowed; checked by [`SetMemo::validate`].
    fn read(r: &mut Reader<'_>) -> Result<SetMemo> {
        let (mut topics, mut lifetime_epsilon, mut spent) = (None, None, None);
        let (mut reports, mut last_day, mut permanent) = (None, None, None);
        r.object(|r, key| match key {
            "topics" => r.field(&mut topics),
            "lifetimeEpsilon" => r.field(&mut lifetime_epsilon),
            "spent" => r.field(&mut spent),
            "reports" => r.field(&mut reports),
            "lastDay" => r.field(&mut last_day),
            "permanent" => r.field(&mut permanent),
            _ => Err(r.unknown_field()),
        })?;
        Ok(SetMemo {
            topics: r.required(topics, "topics")?,
            lifetime_epsilon: r.required(lifetime_epsilon, "lifetimeEpsilon")?,
            spent: r.required(spent, "spent")?,
            reports: r.required(reports, "reports")?,
            last_day: r.required(last_day, "lastDay")?,
            permanent: r.required(permanent, "permanent")?,
        })
    }
}

impl FromJson for ValueMemo {
    /// Every field required, nothing else allowed; checked by [`ValueMemo::validate`].
    fn read(r: &mut Reader<'_>) -> Result<ValueMemo> {
        let (mut value, mut lifetime_epsilon, mut spent) = (None, None, None);
        let (mut reports, mut last_day, mut permanent) = (None, None, None);
        r.object(|r, key| match key {
            "value" => r.field(&mut value),
            "lifetimeEpsilon" => r.field(&mut lifetime_epsilon),
            "spent" => r.field(&mut spent),
            "reports" => r.field(&mut reports),
            "lastDay" => r.field(&mut last_day),
            "permanent" => r.field(&mut permanent),
            _ => Err(r.unknown_field()),
        })?;
        Ok(ValueMemo {
            value: r.required(value, "value")?,
            lifetime_epsilon: r.required(lifetime_epsilon, "lifetimeEpsilon")?,
            spent: r.required(spent, "spent")?,
            reports: r.required(reports, "reports")?,
            last_day: r.required(last_day, "lastDay")?,
            permanent: r.required(permanent, "permanent")?,
        })
    }
}

/// The most ε∞ a memo can have (the floor ε times the lifetime factor).
const MAX_LIFETIME: f64 = super::config::FLOOR_EPSILON * super::config::LIFETIME_FACTOR;

pub(crate) fn check_spend(lifetime: f64, spent: f64, path: &str) -> Result<()> {
    if !(lifetime.is_finite() && lifetime > 0.0 && lifetime <= MAX_LIFETIME * (1.0 + 1e-12)) {
        return Err(Error::out_of_range(path, "lifetime epsilon out of range"));
    }
    if !(spent.is_finite() && spent >= 0.0 && spent <= lifetime * (1.0 + 1e-12)) {
        return Err(Error::out_of_range(path, "spent epsilon out of range"));
    }
    Ok(())
}

impl SetMemo {
    pub fn validate(&self, path: &str) -> Result<()> {
        check_spend(self.lifetime_epsilon, self.spent, path)?;
        let sorted = self.topics.windows(2).all(|w| w[0] < w[1]);
        if self.topics.is_empty() || self.topics.len() > super::config::INTERESTS_TOP_K || !sorted {
            return Err(Error::invalid(
                path,
                "a memoized interest set has 1 to 3 sorted, distinct topics",
            ));
        }
        if self.permanent.len() > crate::ldp::MAX_DOMAIN {
            return Err(Error::out_of_range(path, "too many permanent bits"));
        }
        Ok(())
    }
}

impl ValueMemo {
    pub fn validate(&self, path: &str) -> Result<()> {
        check_spend(self.lifetime_epsilon, self.spent, path)?;
        if self.value > 1 || self.permanent > 1 {
            return Err(Error::out_of_range(path, "a memoized answer is 0 or 1"));
        }
        Ok(())
    }
}

/// Adds one report's ε₁ to a memo's spend, capped at its lifetime ε∞.
pub(crate) fn charge(spent: &mut f64, report_epsilon: f64, lifetime: f64) {
    *spent = (*spent + report_epsilon).min(lifetime);
}
