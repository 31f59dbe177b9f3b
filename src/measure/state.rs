//! `MeasureState`: everything measurement keeps on the device, stored by the browser
//! layer next to the profile (only while `remember` is granted).
//!
//! It holds the memoized permanent responses, the reports built but not yet
//! confirmed sent (the outbox: at most today's report and one retry per metric),
//! the last period sent per metric, the privacy budget spent per metric per day,
//! and the days the visitor was shown personalized recommendations (for
//! `engagement`). Every list is bounded; nothing queues up without limit.

use crate::list::discard;
use crate::sorted_map::SortedMap;
use crate::text::concat;

use super::budget::PrivacyBudget;
use super::config::{MeasureConfig, Metric};
use super::memo::{check_spend, SetMemo, ValueMemo};
use crate::error::{Error, ErrorKind, Result};
use crate::json::{read_in, read_record, FromJson, Reader, Record, ToJson, Writer};
use crate::report::{day_of_ms, day_of_period, Report};

/// The version of the stored measurement state.
pub const STATE_VERSION: u8 = 1;
/// At most this many interest sets keep a permanent response; the least recently
/// reported one is retired beyond (its spent budget stays counted).
pub const MAX_SET_MEMOS: usize = 16;
/// Per-day spending is kept for this many days.
pub const SPEND_HISTORY_DAYS: i64 = 31;
/// A report that failed to send is tried again once, in a later period.
pub const MAX_ATTEMPTS: u8 = 2;
const MAX_OUTBOX: usize = 2 * Metric::ALL.len();
const MAX_ACTIVITY: usize = 3;

/// A report built and waiting to be sent (or sent again once).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Outgoing {
    pub report: Report,
    /// Failed sends so far (0 or 1; at 2 the report is dropped).
    pub failures: u8,
    /// UTC day of the last failed send.
    pub failed_day: Option<i64>,
}

impl ToJson for Outgoing {
    /// `failedDay` is written even when `null`.
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("report", &self.report);
            o.field("failures", &self.failures);
            o.field("failedDay", &self.failed_day);
        });
    }
}

impl FromJson for Outgoing {
    /// `failedDay` is optional (and may be `null`); the report is checked with the state.
    fn read(r: &mut Reader<'_>) -> Result<Outgoing> {
        read_record(r)
    }
}

impl Record for Outgoing {
    const KEYS: &'static [&'static str] = &["report", "failures", "failedDay"];
    const OPTIONAL: u32 = 1 << 2;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => read_in(r, &mut self.report),
            1 => r.read_into(&mut self.failures),
            _ => r.read_into(&mut self.failed_day),
        }
    }
}

/// What the visitor did on a day, for `engagement`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct DayActivity {
    pub day: i64,
    /// Personalized recommendations were shown.
    pub shown: bool,
    /// One of them was clicked.
    pub clicked: bool,
}

impl ToJson for DayActivity {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("day", &self.day);
            o.field("shown", &self.shown);
            o.field("clicked", &self.clicked);
        });
    }
}

impl FromJson for DayActivity {
    fn read(r: &mut Reader<'_>) -> Result<DayActivity> {
        read_record(r)
    }
}

impl Record for DayActivity {
    const KEYS: &'static [&'static str] = &["day", "shown", "clicked"];
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.day),
            1 => r.read_into(&mut self.shown),
            _ => r.read_into(&mut self.clicked),
        }
    }
}

/// ε spent on one metric on one day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spend {
    /// The day, `YYYY-MM-DD` (the report's period).
    pub period: String,
    /// The metric.
    pub metric: String,
    /// ε of the report built for it.
    pub epsilon: f64,
}

impl ToJson for Spend {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("period", &self.period);
            o.field("metric", &self.metric);
            o.field("epsilon", &self.epsilon);
        });
    }
}

impl FromJson for Spend {
    fn read(r: &mut Reader<'_>) -> Result<Spend> {
        read_record(r)
    }
}

impl Record for Spend {
    const KEYS: &'static [&'static str] = &["period", "metric", "epsilon"];
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.period),
            1 => r.read_into(&mut self.metric),
            _ => r.read_into(&mut self.epsilon),
        }
    }
}

/// The device-side measurement state. Write it ([`MeasureState::to_json`]) to store it; reading it
/// validates it (a bad document is an error, never silently reused).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MeasureState {
    pub(crate) interests: Vec<SetMemo>,
    pub(crate) engagement: Vec<ValueMemo>,
    pub(crate) activity: Vec<DayActivity>,
    pub(crate) sent: SortedMap<String>,
    pub(crate) outbox: Vec<Outgoing>,
    pub(crate) spent: Vec<Spend>,
    pub(crate) retired: SortedMap<f64>,
}

impl ToJson for MeasureState {
    /// The stored form, its `budget` summary as of the last day something was spent,
    /// under the default terms (the browser layer writes it with the site's terms and
    /// today's date instead, see [`MeasureState::to_json_for`]).
    fn write_json(&self, w: &mut Writer) {
        let last_day = self
            .spent
            .iter()
            .filter_map(|x| day_of_period(&x.period).ok())
            .max()
            .unwrap_or(0);
        self.write_doc(
            w,
            &self.budget(&MeasureConfig::default(), last_day * 86_400_000),
        );
    }
}

impl FromJson for MeasureState {
    /// The stored form: `v` required, every other field optional, nothing unknown;
    /// then the version and every limit are checked.
    fn read(r: &mut Reader<'_>) -> Result<MeasureState> {
        let mut state = MeasureState::default();
        read_stored(r, &mut state).map(|()| state)
    }
}

/// Reads the stored form over `state` (a fresh one), then checks its version and every
/// limit. In place: [`MeasureState::from_json`] reads into the state it returns, where
/// the whole state was built aside in a record of its own and moved out through two
/// `Result`s.
fn read_stored(r: &mut Reader<'_>, state: &mut MeasureState) -> Result<()> {
    let mut stored = Stored { v: 0, state };
    read_in(r, &mut stored)?;
    if stored.v != STATE_VERSION {
        return Err(Error::new(
            ErrorKind::Unsupported,
            concat(&[r.path().as_str(), "/v"]),
            "unknown measurement state version",
        ));
    }
    stored
        .state
        .validate()
        .map_err(|e| crate::ldp::within(&r.path(), e))
}

/// The stored form as read: its version, and the state, read straight into place.
struct Stored<'s> {
    v: u8,
    state: &'s mut MeasureState,
}

impl Record for Stored<'_> {
    const KEYS: &'static [&'static str] = &[
        "v",
        "budget",
        "interests",
        "engagement",
        "activity",
        "sent",
        "outbox",
        "spent",
        "retired",
    ];
    const OPTIONAL: u32 = !1;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        let s = &mut *self.state;
        match i {
            0 => r.read_into(&mut self.v),
            1 => r.skip(),
            2 => read_list(r, &mut s.interests),
            3 => read_list(r, &mut s.engagement),
            4 => read_list(r, &mut s.activity),
            5 => r.read_into(&mut s.sent),
            6 => read_list(r, &mut s.outbox),
            7 => read_list(r, &mut s.spent),
            _ => r.read_into(&mut s.retired),
        }
    }
}

/// Reads a JSON array of records onto the end of `list` (empty: a field is read once).
///
/// Straight into place rather than with `Reader::read_into`, which reads a whole
/// `Vec` aside and then moves it over the old one: each list is read from this one
/// place, so that copy of the move, and of the `Vec` reader, was code for nothing.
/// Each entry, too, is read in place, over a default pushed first (see [`read_in`]).
fn read_list<T: Record + Default>(r: &mut Reader<'_>, list: &mut Vec<T>) -> Result<()> {
    r.array(|r, _| {
        list.push(T::default());
        let i = list.len() - 1;
        read_in(r, &mut list[i])
    })
}

impl MeasureState {
    /// A fresh state: nothing memoized, nothing spent.
    pub fn new() -> MeasureState {
        MeasureState::default()
    }

    /// Reads a stored state, validating everything (limits, finite numbers, reports).
    pub fn from_json(text: &str) -> Result<MeasureState> {
        let mut state = MeasureState::default();
        let mut r = Reader::new(text);
        let mut read = read_stored(&mut r, &mut state);
        if read.is_ok() {
            read = r.finish();
        }
        read.map(|()| state)
    }

    /// The state as JSON text, for storage; its `budget` summary uses the default terms.
    pub fn to_json(&self) -> String {
        crate::json::to_string(self)
    }

    /// The state as JSON text, with the `budget` summary ([`MeasureState::budget`])
    /// under the site's terms `cfg` as of `now_ms`, so the visitor reads current figures.
    pub fn to_json_for(&self, cfg: &MeasureConfig, now_ms: i64) -> String {
        let mut w = Writer::new();
        self.write_doc(&mut w, &self.budget(cfg, now_ms));
        w.finish()
    }

    /// The stored form: the version, then `budget`, a readable summary written for the
    /// visitor and ignored when read back, then the state itself.
    fn write_doc(&self, w: &mut Writer, budget: &PrivacyBudget) {
        w.object(|o| {
            o.field("v", &STATE_VERSION);
            o.field("budget", budget);
            o.field("interests", &self.interests);
            o.field("engagement", &self.engagement);
            o.field("activity", &self.activity);
            o.field("sent", &self.sent);
            o.field("outbox", &self.outbox);
            o.field("spent", &self.spent);
            o.field("retired", &self.retired);
        });
    }

    fn validate(&self) -> Result<()> {
        if self.interests.len() > MAX_SET_MEMOS || self.engagement.len() > 2 {
            return Err(Error::out_of_range("", "too many memoized responses"));
        }
        for m in &self.interests {
            m.validate("/interests")?;
        }
        for m in &self.engagement {
            m.validate("/engagement")?;
        }
        if self.activity.len() > MAX_ACTIVITY || self.outbox.len() > MAX_OUTBOX {
            return Err(Error::out_of_range("", "too many pending entries"));
        }
        for o in &self.outbox {
            o.report
                .validate()
                .map_err(|e| crate::ldp::within("/outbox", e))?;
            if o.failures >= MAX_ATTEMPTS {
                return Err(Error::out_of_range(
                    "/outbox",
                    "a report is tried at most twice",
                ));
            }
        }
        if self.spent.len() > Metric::ALL.len() * (SPEND_HISTORY_DAYS as usize + 2) {
            return Err(Error::out_of_range("/spent", "too many entries"));
        }
        for s in &self.spent {
            crate::report::day_of_period(&s.period)?;
            check_spend(super::config::FLOOR_EPSILON, s.epsilon, "/spent")?;
        }
        for (metric, period) in &self.sent {
            Metric::from_name(metric).ok_or_else(|| Error::invalid("/sent", "unknown metric"))?;
            crate::report::day_of_period(period)?;
        }
        for (metric, eps) in &self.retired {
            Metric::from_name(metric)
                .ok_or_else(|| Error::invalid("/retired", "unknown metric"))?;
            // One range test, which NaN and the infinities fail too.
            if !(*eps >= 0.0 && *eps <= f64::MAX) {
                return Err(Error::out_of_range(
                    "/retired",
                    "spent epsilon out of range",
                ));
            }
        }
        Ok(())
    }

    /// The privacy spent on `metric` over the device's lifetime, as a bound:
    /// for each value reported, `min(reports·ε₁, ε∞)`, summed over values (including
    /// retired ones). It never decreases except by [`clear`](Self::clear).
    pub fn lifetime_spent(&self, metric: Metric) -> f64 {
        let memos: f64 = match metric {
            Metric::Interests => self.interests.iter().fold(0.0, |a, m| a + m.spent),
            Metric::Engagement => self.engagement.iter().fold(0.0, |a, m| a + m.spent),
        };
        memos + self.retired.get(metric.name()).copied().unwrap_or(0.0)
    }

    /// ε spent on `metric` for `period` (`YYYY-MM-DD`; 0 if no report was built for it).
    pub fn spent_on(&self, metric: Metric, period: &str) -> f64 {
        self.spent
            .iter()
            .filter(|s| s.metric == metric.name() && s.period == period)
            .fold(0.0, |acc, s| acc + s.epsilon)
    }

    /// Per-day spending records (last 31 days), oldest first.
    pub fn spending(&self) -> &[Spend] {
        &self.spent
    }

    /// The last period a report of `metric` was confirmed sent for.
    pub fn last_sent(&self, metric: Metric) -> Option<&str> {
        self.sent.get(metric.name()).map(String::as_str)
    }

    /// Forgets everything (the visitor erased their data or withdrew `measure`).
    pub fn clear(&mut self) {
        *self = MeasureState::default();
    }

    /// Drops every report built and not yet sent (consent to `measure` was withdrawn);
    /// memoized responses and the budget record stay, so consenting again later
    /// cannot be used to draw fresh permanent responses.
    pub fn drop_pending(&mut self) {
        self.outbox.clear();
    }

    /// Notes that personalized recommendations were shown today (only call with `measure` consent).
    pub fn note_personalized_shown(&mut self, now_ms: i64) {
        self.today_activity(now_ms).shown = true;
    }

    /// Notes that the visitor clicked a personalized recommendation today (only with `measure` consent).
    pub fn note_personalized_click(&mut self, now_ms: i64) {
        let a = self.today_activity(now_ms);
        a.shown = true;
        a.clicked = true;
    }

    fn today_activity(&mut self, now_ms: i64) -> &mut DayActivity {
        let day = day_of_ms(now_ms);
        self.drop_stale_activity(day);
        if let Some(i) = self.activity.iter().position(|a| a.day == day) {
            return &mut self.activity[i];
        }
        self.activity.push(DayActivity {
            day,
            shown: false,
            clicked: false,
        });
        let last = self.activity.len() - 1;
        &mut self.activity[last]
    }

    /// Keeps only today's and yesterday's activity: the engagement report covers
    /// yesterday, and nothing older is ever read.
    ///
    /// The kept entries are copied down over the dropped ones: they are plain values, so
    /// this needs no `Vec::remove` (nor `keep_only`) compiled for them.
    pub(super) fn drop_stale_activity(&mut self, today: i64) {
        let mut kept = 0;
        for i in 0..self.activity.len() {
            let a = self.activity[i];
            if a.day >= today - 1 && a.day <= today {
                self.activity[kept] = a;
                kept += 1;
            }
        }
        self.activity.truncate(kept);
    }

    /// The report with this id went out: it leaves the outbox and its period counts as sent.
    /// Returns false if no such report is waiting.
    pub fn mark_sent(&mut self, id: &str) -> bool {
        self.settle(id, None)
    }

    /// Sending the report with this id failed: it will be tried once more in a later
    /// period (if the collector still accepts its period then), else dropped.
    /// Returns false if no such report is waiting.
    pub fn mark_failed(&mut self, id: &str, now_ms: i64) -> bool {
        self.settle(id, Some(now_ms))
    }

    /// What a send of the report with this id came to: sent (`failed_at` none), or
    /// failed at that time. One search and one removal for both outcomes, which the
    /// browser layer settles through this one call.
    pub(crate) fn settle(&mut self, id: &str, failed_at: Option<i64>) -> bool {
        let Some(i) = self.outbox.iter().position(|o| o.report.id == id) else {
            return false;
        };
        let o = &mut self.outbox[i];
        if let Some(now_ms) = failed_at {
            o.failures += 1;
            o.failed_day = Some(day_of_ms(now_ms));
            if o.failures < MAX_ATTEMPTS {
                return true;
            }
        }
        // The sent period is copied from the entry where it is, which is then dropped in
        // place (`discard`, as housekeeping drops entries): moved out by `Vec::remove`, it
        // was a copy on the stack and a `Vec::remove` compiled for this one call.
        let r = &self.outbox[i].report;
        if failed_at.is_none() && self.sent.get(&r.metric).is_none_or(|p| *p < r.period) {
            self.sent.insert(r.metric.clone(), r.period.clone());
        }
        discard(&mut self.outbox, i);
        true
    }

    /// Reports built and not yet confirmed sent.
    pub fn outbox(&self) -> impl Iterator<Item = &Report> {
        self.outbox.iter().map(|o| &o.report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::config::MetricConfig;
    use crate::report::Mechanism;

    fn state() -> MeasureState {
        let report = Report {
            v: 1,
            site: "demo".into(),
            period: "2026-11-22".into(),
            metric: "engagement".into(),
            mechanism: Mechanism {
                name: "grr".into(),
                epsilon: 1.0,
                domain: 2,
                p: 0.7310585786300049,
                q: 0.2689414213699951,
            },
            bits: "Ag".into(),
            id: "R0uD3_9S3-YdJNT8uX8_ag".into(),
        };
        MeasureState {
            interests: vec![SetMemo {
                value: vec!["t2".into(), "t5".into()],
                lifetime_epsilon: 2.0,
                spent: 1.0,
                reports: 1,
                last_day: 20_780,
                permanent: [("t2".to_string(), true), ("t5".to_string(), false)]
                    .into_iter()
                    .collect(),
            }],
            engagement: vec![ValueMemo {
                value: 1,
                lifetime_epsilon: 2.0,
                spent: 1.0,
                reports: 1,
                last_day: 20_780,
                permanent: 0,
            }],
            activity: vec![DayActivity {
                day: 20_779,
                shown: true,
                clicked: false,
            }],
            sent: [("interests".to_string(), "2026-11-23".to_string())]
                .into_iter()
                .collect(),
            outbox: vec![
                Outgoing {
                    report: report.clone(),
                    failures: 0,
                    failed_day: None,
                },
                Outgoing {
                    report,
                    failures: 1,
                    failed_day: Some(20_780),
                },
            ],
            spent: vec![Spend {
                period: "2026-11-23".into(),
                metric: "interests".into(),
                epsilon: 1.0,
            }],
            retired: [("t1".to_string(), 0.5)].into_iter().collect(),
        }
    }

    const INTERESTS_TERMS: &str = r#""explanation":"Once a day at most, your top 3 interests are sent as a noisy list of yes/no answers, one per topic; sensitive topics are never included. Each report alone cannot reveal your interests with more than the stated epsilon, and all reports about the same interests together reveal at most the lifetime epsilon, because the noise is drawn once and reused.""#;
    const ENGAGEMENT_TERMS: &str = r#""explanation":"For a day on which you saw personalized recommendations, one noisy yes/no answer: did you click one? The answer is often flipped on purpose, so a single report says little about you.""#;
    const REPORT: &str = r#"{"v":1,"site":"demo","period":"2026-11-22","metric":"engagement","mechanism":{"name":"grr","epsilon":1.0,"domain":2,"p":0.7310585786300049,"q":0.2689414213699951},"bits":"Ag","id":"R0uD3_9S3-YdJNT8uX8_ag"}"#;

    /// The stored layout: field names and order, `null` kept for `failedDay`, and the
    /// `budget` summary second.
    #[test]
    fn the_stored_state_keeps_its_layout() {
        let rest = [
            r#","interests":[{"topics":["t2","t5"],"lifetimeEpsilon":2.0,"spent":1.0,"reports":1,"lastDay":20780,"permanent":{"t2":true,"t5":false}}],"#,
            r#""engagement":[{"value":1,"lifetimeEpsilon":2.0,"spent":1.0,"reports":1,"lastDay":20780,"permanent":0}],"#,
            r#""activity":[{"day":20779,"shown":true,"clicked":false}],"sent":{"interests":"2026-11-23"},"#,
            r#""outbox":[{"report":"#,
            REPORT,
            r#","failures":0,"failedDay":null},{"report":"#,
            REPORT,
            r#","failures":1,"failedDay":20780}],"#,
            r#""spent":[{"period":"2026-11-23","metric":"interests","epsilon":1.0}],"retired":{"t1":0.5}}"#,
        ]
        .concat();
        let s = state();
        // Under the default terms, as of the last day spent on.
        let budget = [
            r#"{"v":1,"budget":{"metrics":[{"metric":"interests","enabled":true,"mechanism":"oue","reportEpsilon":1.0,"lifetimeEpsilon":2.0,"spentToday":1.0,"spentTotal":1.0,"days":[{"period":"2026-11-23","epsilon":1.0}],"#,
            INTERESTS_TERMS,
            r#"},{"metric":"engagement","enabled":true,"mechanism":"grr","reportEpsilon":1.0,"lifetimeEpsilon":2.0,"spentToday":0.0,"spentTotal":1.0,"days":[],"#,
            ENGAGEMENT_TERMS,
            r#"}],"spentToday":1.0,"spentTotal":2.0}"#,
        ]
        .concat();
        assert_eq!(s.to_json(), budget + &rest);
        let cfg = MeasureConfig {
            interests: MetricConfig {
                enabled: true,
                epsilon: 0.5,
            },
            engagement: MetricConfig {
                enabled: false,
                epsilon: 1.0,
            },
        };
        // Under the site's terms, as of a day nothing was spent on.
        let budget = [
            r#"{"v":1,"budget":{"metrics":[{"metric":"interests","enabled":true,"mechanism":"oue","reportEpsilon":0.5,"lifetimeEpsilon":1.0,"spentToday":0.0,"spentTotal":1.0,"days":[{"period":"2026-11-23","epsilon":1.0}],"#,
            INTERESTS_TERMS,
            r#"},{"metric":"engagement","enabled":false,"mechanism":"grr","reportEpsilon":1.0,"lifetimeEpsilon":2.0,"spentToday":0.0,"spentTotal":1.0,"days":[],"#,
            ENGAGEMENT_TERMS,
            r#"}],"spentToday":0.0,"spentTotal":2.0}"#,
        ]
        .concat();
        assert_eq!(s.to_json_for(&cfg, 20_781 * 86_400_000), budget + &rest);
    }
}
