//! Consent per purpose, with Global Privacy Control.
//!
//! Three purposes, each off until the visitor decides:
//!
//! - `personalize`: use the profile to rank (and learn from what the visitor does);
//! - `remember`: keep the profile in storage across visits (otherwise it lives in
//!   memory for this page only);
//! - `measure`: send the aggregate, locally differentially private reports.
//!
//! The record keeps the choice, when it was made and under which policy
//! version. When the site publishes a different policy version the record says
//! `needsDecision: true` so the page asks again; until the visitor answers, the
//! earlier choices stay in effect (nothing is switched on that they did not choose).
//!
//! Global Privacy Control (`navigator.globalPrivacyControl === true`) is a
//! standing "do not sell or share" signal. Under it `measure` is off by default,
//! the record says `gpc: true`, and only an explicit choice of `measure: true`
//! made while the signal is present turns measurement on. A `measure: true`
//! given before the signal appeared is not enough.

use crate::error::Result;
use crate::json::{read_record, read_record_from, FromJson, Reader, Record, ToJson, Writer};

/// The visitor's consent, per purpose, as the page sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    /// Use the profile to rank and learn from events.
    pub personalize: bool,
    /// Keep the profile in storage across visits.
    pub remember: bool,
    /// Send aggregate, noisy reports.
    pub measure: bool,
    /// Whether the browser signals Global Privacy Control now.
    pub gpc: bool,
    /// The policy version the choice was made under (the current one while undecided).
    pub policy_version: String,
    /// When the visitor decided (epoch ms); `None` while undecided.
    pub decided_at: Option<i64>,
    /// The page should ask: no decision yet, or the decision was made under another policy version.
    pub needs_decision: bool,
    /// The visitor explicitly turned `measure` on while Global Privacy Control was signalled.
    pub measure_despite_gpc: bool,
}

impl ToJson for Consent {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("personalize", &self.personalize);
            o.field("remember", &self.remember);
            o.field("measure", &self.measure);
            o.field("gpc", &self.gpc);
            o.field("policyVersion", &self.policy_version);
            o.field("decidedAt", &self.decided_at);
            o.field("needsDecision", &self.needs_decision);
            o.field("measureDespiteGpc", &self.measure_despite_gpc);
        });
    }
}

/// A choice the visitor makes: each purpose given is set, each one left out keeps its value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsentChoice {
    /// Use the profile to rank and learn.
    pub personalize: Option<bool>,
    /// Keep the profile across visits.
    pub remember: Option<bool>,
    /// Send aggregate, noisy reports.
    pub measure: Option<bool>,
}

/// What a decision took away, so the session can act at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Withdrawn {
    /// `personalize` went from on to off: stop learning and ranking by the profile.
    pub personalize: bool,
    /// `remember` went from on to off: delete the stored profile now.
    pub remember: bool,
    /// `measure` went from on to off: build and send no more reports.
    pub measure: bool,
}

impl Consent {
    /// Nothing decided yet under `policy_version`: every purpose off.
    pub fn undecided(policy_version: &str, gpc: bool) -> Consent {
        Consent {
            personalize: false,
            remember: false,
            measure: false,
            gpc,
            policy_version: policy_version.to_string(),
            decided_at: None,
            needs_decision: true,
            measure_despite_gpc: false,
        }
    }

    /// A stored record seen again on a page with `policy_version` and the current GPC signal.
    ///
    /// Under GPC, `measure` stays on only if it was turned on explicitly while the signal was present.
    /// Updated in place: the record is restored where the session keeps it, not moved there.
    pub fn restore(&mut self, policy_version: &str, gpc: bool) {
        self.gpc = gpc;
        if gpc && !self.measure_despite_gpc {
            self.measure = false;
        }
        self.needs_decision = self.decided_at.is_none() || self.policy_version != policy_version;
        if self.decided_at.is_none() {
            self.policy_version = policy_version.to_string();
        }
    }

    /// Applies the visitor's `choice` made at `now_ms` under `policy_version`; returns what was withdrawn.
    pub fn decide(
        &mut self,
        choice: &ConsentChoice,
        policy_version: &str,
        now_ms: i64,
    ) -> Withdrawn {
        // The three purposes only: a clone of the record copied its policy text too.
        let before = (self.personalize, self.remember, self.measure);
        if let Some(p) = choice.personalize {
            self.personalize = p;
        }
        if let Some(r) = choice.remember {
            self.remember = r;
        }
        match choice.measure {
            Some(m) => {
                self.measure = m;
                // Only an explicit `true` given while the signal is present overrides GPC.
                self.measure_despite_gpc = m && self.gpc;
            }
            None => {
                if self.gpc && !self.measure_despite_gpc {
                    self.measure = false;
                }
            }
        }
        self.policy_version = policy_version.to_string();
        self.decided_at = Some(now_ms);
        self.needs_decision = false;
        Withdrawn {
            personalize: before.0 && !self.personalize,
            remember: before.1 && !self.remember,
            measure: before.2 && !self.measure,
        }
    }

    /// Whether reports may be built and sent now.
    pub fn allows_measure(&self) -> bool {
        self.measure && (!self.gpc || self.measure_despite_gpc)
    }
}

impl Consent {
    /// What a stored record is read over: every purpose off, nothing decided, and each
    /// field a record may leave out at the value its absence means.
    // Written out rather than over `undecided("", false)`: that copied an empty text.
    pub(crate) fn before_reading() -> Consent {
        Consent {
            personalize: false,
            remember: false,
            measure: false,
            gpc: false,
            policy_version: String::new(),
            decided_at: None,
            needs_decision: false,
            measure_despite_gpc: false,
        }
    }
}

impl FromJson for Consent {
    /// The stored record. Unknown fields are skipped, so a later release may add some.
    fn read(r: &mut Reader<'_>) -> Result<Consent> {
        read_record_from(r, Consent::before_reading())
    }
}

impl Record for Consent {
    const KEYS: &'static [&'static str] = &[
        "personalize",
        "remember",
        "measure",
        "gpc",
        "policyVersion",
        "decidedAt",
        "needsDecision",
        "measureDespiteGpc",
    ];
    /// `gpc`, `decidedAt`, `needsDecision` and `measureDespiteGpc`.
    const OPTIONAL: u32 = 1 << 3 | 1 << 5 | 1 << 6 | 1 << 7;
    const SKIP_UNKNOWN: bool = true;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.personalize),
            1 => r.read_into(&mut self.remember),
            2 => r.read_into(&mut self.measure),
            3 => r.read_into(&mut self.gpc),
            4 => r.read_into(&mut self.policy_version),
            5 => r.read_into(&mut self.decided_at),
            6 => r.read_into(&mut self.needs_decision),
            _ => r.read_into(&mut self.measure_despite_gpc),
        }
    }
}

impl FromJson for ConsentChoice {
    /// Strict: a misspelt purpose (`personalise`) is an error, not silently ignored.
    fn read(r: &mut Reader<'_>) -> Result<ConsentChoice> {
        read_record(r)
    }
}

impl Record for ConsentChoice {
    const KEYS: &'static [&'static str] = &["personalize", "remember", "measure"];
    const OPTIONAL: u32 = !0;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.personalize),
            1 => r.read_into(&mut self.remember),
            _ => r.read_into(&mut self.measure),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(on: bool) -> ConsentChoice {
        ConsentChoice {
            personalize: Some(on),
            remember: Some(on),
            measure: Some(on),
        }
    }

    #[test]
    fn every_purpose_is_off_until_decided() {
        let c = Consent::undecided("2026-11", false);
        assert!(!c.personalize && !c.remember && !c.measure);
        assert!(c.needs_decision);
        assert_eq!(c.decided_at, None);
    }

    #[test]
    fn a_decision_records_time_and_policy() {
        let mut c = Consent::undecided("2026-11", false);
        let w = c.decide(&all(true), "2026-11", 1_000);
        assert_eq!(w, Withdrawn::default());
        assert!(c.personalize && c.remember && c.measure);
        assert_eq!(c.decided_at, Some(1_000));
        assert_eq!(c.policy_version, "2026-11");
        assert!(!c.needs_decision);
    }

    #[test]
    fn a_partial_choice_keeps_the_other_purposes() {
        let mut c = Consent::undecided("p", false);
        c.decide(&all(true), "p", 1);
        let w = c.decide(
            &ConsentChoice {
                remember: Some(false),
                ..Default::default()
            },
            "p",
            2,
        );
        assert!(w.remember && !w.personalize && !w.measure);
        assert!(c.personalize && !c.remember && c.measure);
    }

    #[test]
    fn a_new_policy_version_asks_again_without_switching_anything_on() {
        let mut c = Consent::undecided("2026-01", false);
        c.decide(
            &ConsentChoice {
                personalize: Some(true),
                ..Default::default()
            },
            "2026-01",
            5,
        );
        let mut r = c.clone();
        r.restore("2026-11", false);
        assert!(r.needs_decision);
        assert_eq!(r.policy_version, "2026-01");
        assert!(r.personalize && !r.remember && !r.measure);
        c.restore("2026-01", false);
        assert!(!c.needs_decision);
    }

    #[test]
    fn gpc_keeps_measure_off_unless_chosen_explicitly_under_it() {
        // Chosen before the signal appeared: GPC wins.
        let mut c = Consent::undecided("p", false);
        c.decide(&all(true), "p", 1);
        c.restore("p", true);
        assert!(c.gpc && !c.measure && !c.allows_measure());

        // A later choice that does not mention measure leaves it off.
        let mut c = Consent::undecided("p", true);
        c.decide(
            &ConsentChoice {
                personalize: Some(true),
                ..Default::default()
            },
            "p",
            2,
        );
        assert!(!c.measure);

        // An explicit choice under the signal turns it on and survives a reload.
        c.decide(
            &ConsentChoice {
                measure: Some(true),
                ..Default::default()
            },
            "p",
            3,
        );
        assert!(c.measure && c.allows_measure());
        c.restore("p", true);
        assert!(c.measure && c.allows_measure());
    }

    fn choice_error(text: &str) -> (String, String) {
        let e = crate::json::from_str::<ConsentChoice>(text).unwrap_err();
        (e.path().to_string(), e.message().to_string())
    }

    #[test]
    fn the_choice_rejects_unknown_purposes() {
        assert_eq!(
            choice_error(r#"{"personalise": true}"#),
            ("/personalise".into(), "unknown field".into())
        );
        let ok: ConsentChoice = crate::json::from_str(r#"{"measure": false}"#).unwrap();
        assert_eq!(ok.measure, Some(false));
        let none: ConsentChoice = crate::json::from_str(r#"{"remember": null}"#).unwrap();
        assert_eq!(none, ConsentChoice::default());
    }

    #[test]
    fn the_choice_rejects_repeated_purposes_and_wrong_types() {
        assert_eq!(
            choice_error(r#"{"measure": true, "measure": false}"#),
            ("/measure".into(), "duplicate field".into())
        );
        assert_eq!(
            choice_error(r#"{"remember": "yes"}"#),
            ("/remember".into(), "expected true or false".into())
        );
        assert_eq!(choice_error("[]"), ("".into(), "expected an object".into()));
    }

    #[test]
    fn the_record_needs_its_required_fields_and_skips_unknown_ones() {
        let e = crate::json::from_str::<Consent>(
            r#"{"personalize": true, "remember": true, "measure": false}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.path(), e.message()),
            ("", "missing field `policyVersion`")
        );
        let c: Consent = crate::json::from_str(
            r#"{"personalize": true, "remember": false, "measure": false, "policyVersion": "p",
                "decidedAt": null, "later": {"x": [1]}}"#,
        )
        .unwrap();
        assert_eq!(c.decided_at, None);
        assert!(!c.gpc && !c.needs_decision && !c.measure_despite_gpc);
        let e = crate::json::from_str::<Consent>(
            r#"{"personalize": 1, "remember": true, "measure": false, "policyVersion": "p"}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.path(), e.message()),
            ("/personalize", "expected true or false")
        );
    }

    #[test]
    fn the_record_round_trips_in_camel_case() {
        let mut c = Consent::undecided("p", true);
        c.decide(&all(true), "p", 9);
        let json = crate::json::to_string(&c);
        assert!(json.contains("\"policyVersion\":\"p\"") && json.contains("\"decidedAt\":9"));
        let back: Consent = crate::json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }
}
