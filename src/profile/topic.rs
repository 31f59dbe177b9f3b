//! What the profile keeps per topic, and exponential decay.

use crate::catalog::date::day_of;
use crate::json::{ToJson, Writer};

use super::Preference;

const DAY_MS: f64 = 86_400_000.0;

/// `2^(−dt / half_life)`: the share of a weight left after `dt_ms` (1 when `dt_ms ≤ 0`).
#[inline(never)]
pub fn decay(dt_ms: i64, half_life_days: f64) -> f64 {
    if dt_ms <= 0 {
        1.0
    } else {
        crate::math::exp(-(dt_ms as f64) / (half_life_days * DAY_MS) * std::f64::consts::LN_2)
    }
}

/// Weight `w` (as of `*at`) plus `delta` (as of `t_ms`), as of the later of the two
/// times, to which `*at` moves. Shared by topics and engaged items.
#[inline(never)]
pub(crate) fn add_decayed(w: f32, at: &mut i64, delta: f64, t_ms: i64, half_life_days: f64) -> f32 {
    let w = if t_ms >= *at {
        let w = w as f64 * decay(t_ms - *at, half_life_days) + delta;
        *at = t_ms;
        w
    } else {
        w as f64 + delta * decay(*at - t_ms, half_life_days)
    };
    w as f32
}

/// One topic in the profile: the visitor's declaration, whether it is muted, and
/// what was observed (a decaying weight with its evidence).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TopicState {
    /// Declared by the visitor; only the visitor sets this.
    pub(crate) pref: Preference,
    /// When the declaration was made (epoch ms).
    pub(crate) pref_at: i64,
    /// Never use this topic.
    pub(crate) muted: bool,
    /// Observed weight as of `at` (may be negative after dismissals).
    pub(crate) w: f32,
    /// When `w` was last brought up to date (epoch ms).
    pub(crate) at: i64,
    /// Number of distinct days with events on this topic (0 = nothing observed).
    pub(crate) days: u16,
    /// First and last day (UTC day numbers) with events.
    pub(crate) first: i64,
    /// See `first`.
    pub(crate) last: i64,
}

impl ToJson for TopicState {
    /// Only what is set: every 0, `false` and `none` is left out, so a topic that was
    /// only declared writes no observation and one only observed writes no declaration.
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            if !self.pref.is_none() {
                o.field("pref", &self.pref);
            }
            if self.pref_at != 0 {
                o.field("prefAt", &self.pref_at);
            }
            if self.muted {
                o.field("muted", &true);
            }
            if self.w != 0.0 {
                o.field("w", &self.w);
            }
            if self.at != 0 {
                o.field("at", &self.at);
            }
            if self.days != 0 {
                o.field("days", &self.days);
            }
            if self.first != 0 {
                o.field("first", &self.first);
            }
            if self.last != 0 {
                o.field("last", &self.last);
            }
        });
    }
}

impl TopicState {
    /// The visitor's declaration.
    pub fn preference(&self) -> Preference {
        self.pref
    }

    /// Whether the visitor muted the topic.
    pub fn is_muted(&self) -> bool {
        self.muted
    }

    /// Number of distinct days with events (the evidence).
    pub fn days(&self) -> u16 {
        self.days
    }

    /// The last day (UTC day number) with an event, if any.
    pub fn last_seen_day(&self) -> Option<i64> {
        (self.days > 0).then_some(self.last)
    }

    /// Whether anything was observed.
    pub fn has_observed(&self) -> bool {
        self.days > 0
    }

    /// The observed weight decayed to `now_ms` (no damping).
    pub fn decayed(&self, now_ms: i64, half_life_days: f64) -> f64 {
        if self.days == 0 {
            0.0
        } else {
            self.w as f64 * decay(now_ms - self.at, half_life_days)
        }
    }

    /// The observed weight at `now_ms`, decayed and damped: a topic seen on one
    /// day only counts `one_off_factor` of its weight until a second day arrives.
    pub fn effective(&self, now_ms: i64, half_life_days: f64, one_off_factor: f64) -> f64 {
        let w = self.decayed(now_ms, half_life_days);
        if self.days < 2 {
            w * one_off_factor
        } else {
            w
        }
    }

    /// Adds `delta` observed at `t_ms`: the stored weight is brought to the later
    /// of the two times and the other is decayed to it, so events may come out of order.
    pub(crate) fn observe(&mut self, delta: f64, t_ms: i64, half_life_days: f64) {
        let d = day_of(t_ms);
        if self.days == 0 {
            self.w = delta as f32;
            self.at = t_ms;
            self.days = 1;
            self.first = d;
            self.last = d;
            return;
        }
        self.w = add_decayed(self.w, &mut self.at, delta, t_ms, half_life_days);
        if d != self.first && d != self.last {
            self.days = self.days.saturating_add(1);
        }
        self.first = self.first.min(d);
        self.last = self.last.max(d);
    }

    /// Removes `delta` observed at `t_ms` (the inverse of [`observe`](Self::observe) for the weight).
    pub(crate) fn unobserve(&mut self, delta: f64, t_ms: i64, half_life_days: f64) {
        if self.days == 0 {
            return;
        }
        let w = self.w as f64 - delta * decay(self.at - t_ms, half_life_days);
        self.w = w as f32;
    }

    /// Removes one day of evidence (`day`), called when no remaining event supports
    /// it. `remaining` is the range of days of the remaining logged events on this
    /// topic, if any, to move `first`/`last` back inside.
    pub(crate) fn drop_day(&mut self, day: i64, remaining: Option<(i64, i64)>) {
        if self.days == 0 {
            return;
        }
        self.days -= 1;
        if self.days == 0 {
            self.clear_observed();
            return;
        }
        let (lo, hi) = remaining.unwrap_or((self.first, self.first));
        if day == self.last {
            self.last = hi.max(self.first);
        }
        if day == self.first {
            self.first = lo.min(self.last);
        }
    }

    /// Forgets what was observed; keeps the declaration and the mute.
    pub(crate) fn clear_observed(&mut self) {
        self.w = 0.0;
        self.at = 0;
        self.days = 0;
        self.first = 0;
        self.last = 0;
    }

    /// Whether the entry holds nothing worth keeping.
    pub(crate) fn is_empty(&self) -> bool {
        self.pref.is_none() && !self.muted && self.days == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn halves_after_one_half_life() {
        assert!((decay(14 * DAY, 14.0) - 0.5).abs() < 1e-12);
        assert_eq!(decay(-5, 14.0), 1.0);
    }

    #[test]
    fn one_off_damping_lifts_on_a_second_day() {
        let mut t = TopicState::default();
        t.observe(2.0, 10 * DAY, 14.0);
        t.observe(2.0, 10 * DAY + 1000, 14.0);
        assert_eq!(t.days, 1);
        let e1 = t.effective(10 * DAY + 1000, 14.0, 0.25);
        assert!((e1 - 1.0).abs() < 1e-4, "{e1}");
        t.observe(1.0, 11 * DAY, 14.0);
        assert_eq!(t.days, 2);
        assert!(t.effective(11 * DAY, 14.0, 0.25) > 4.0);
    }

    #[test]
    fn out_of_order_events_and_undo_cancel() {
        let mut t = TopicState::default();
        t.observe(1.0, 20 * DAY, 14.0);
        t.observe(3.0, 5 * DAY, 14.0);
        assert_eq!(t.at, 20 * DAY);
        assert!((t.w as f64 - (1.0 + 3.0 * 0.5f64.powf(15.0 / 14.0))).abs() < 1e-5);
        t.unobserve(3.0, 5 * DAY, 14.0);
        assert!((t.w - 1.0).abs() < 1e-5);
    }
}
