//! The permanent responses kept on the device (RAPPOR's memoization), with the
//! privacy each one has spent.
//!
//! A memo belongs to one true value: a set of topic ids for `interests`, a 0/1
//! answer for `engagement`. Its `spent` grows by ε₁ per report and stops at its
//! lifetime ε∞ (all reports about the value are post-processing of the permanent
//! response, which is ε∞-LDP): `spent = min(k·ε₁, ε∞)` after `k` reports.

use crate::sorted_map::SortedMap;

use crate::error::{Error, Result};
use crate::json::{read_record, FromJson, Reader, Record, ToJson, Writer};

/// A permanent response for one true value `V` (`P`: the permanent response itself), with
/// the privacy it has spent. The two kinds of memo differ only in those two types.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Memo<V, P> {
    /// The true value (topic ids, sorted, at most 3; or a 0/1 answer).
    pub value: V,
    /// ε∞ the permanent response was drawn at.
    pub lifetime_epsilon: f64,
    /// Privacy spent on this value so far, at most `lifetime_epsilon`.
    pub spent: f64,
    /// Reports built from it.
    pub reports: u32,
    /// UTC day of the last report.
    pub last_day: i64,
    /// The permanent response.
    pub permanent: P,
}

/// The permanent unary response for one set of topics: a permanent bit for every topic it
/// was asked about (drawn when first needed, so a topic added to the catalog later gets
/// its own draw once).
pub(crate) type SetMemo = Memo<Vec<String>, SortedMap<bool>>;

/// The permanent randomized response for one answer of a single-valued metric.
pub(crate) type ValueMemo = Memo<u8, u8>;

/// What a memo remembers, and the name it has in the stored document.
pub(crate) trait MemoValue {
    /// The field's name: `topics` for an interest set, `value` for an answer.
    const KEY: &'static str;
}

impl MemoValue for Vec<String> {
    const KEY: &'static str = "topics";
}

impl MemoValue for u8 {
    const KEY: &'static str = "value";
}

impl<V: MemoValue + ToJson, P: ToJson> ToJson for Memo<V, P> {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field(V::KEY, &self.value);
            o.field("lifetimeEpsilon", &self.lifetime_epsilon);
            o.field("spent", &self.spent);
            o.field("reports", &self.reports);
            o.field("lastDay", &self.last_day);
            o.field("permanent", &self.permanent);
        });
    }
}

impl<V: MemoValue + FromJson + Default, P: FromJson + Default> FromJson for Memo<V, P> {
    /// Every field required, nothing else allowed; checked by `validate`.
    fn read(r: &mut Reader<'_>) -> Result<Memo<V, P>> {
        read_record(r)
    }
}

impl<V: MemoValue + FromJson + Default, P: FromJson + Default> Record for Memo<V, P> {
    const KEYS: &'static [&'static str] = &[
        V::KEY,
        "lifetimeEpsilon",
        "spent",
        "reports",
        "lastDay",
        "permanent",
    ];
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.value),
            1 => r.read_into(&mut self.lifetime_epsilon),
            2 => r.read_into(&mut self.spent),
            3 => r.read_into(&mut self.reports),
            4 => r.read_into(&mut self.last_day),
            _ => r.read_into(&mut self.permanent),
        }
    }
}

/// The most ε∞ a memo can have (the floor ε times the lifetime factor).
const MAX_LIFETIME: f64 = super::config::FLOOR_EPSILON * super::config::LIFETIME_FACTOR;

pub(crate) fn check_spend(lifetime: f64, spent: f64, path: &str) -> Result<()> {
    // One range test each, which NaN and the infinities fail too (`lifetime` is finite
    // once past the first).
    if !(lifetime > 0.0 && lifetime <= MAX_LIFETIME * (1.0 + 1e-12)) {
        return Err(Error::out_of_range(path, "lifetime epsilon out of range"));
    }
    if !(spent >= 0.0 && spent <= lifetime * (1.0 + 1e-12)) {
        return Err(Error::out_of_range(path, "spent epsilon out of range"));
    }
    Ok(())
}

impl SetMemo {
    /// Checks the limits and the interest set's shape.
    pub fn validate(&self, path: &str) -> Result<()> {
        check_spend(self.lifetime_epsilon, self.spent, path)?;
        let sorted = self.value.windows(2).all(|w| w[0] < w[1]);
        if self.value.is_empty() || self.value.len() > super::config::INTERESTS_TOP_K || !sorted {
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
    /// Checks the limits and that the answers are 0 or 1.
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
