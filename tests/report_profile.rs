//! Reports built from a real profile and catalog: the domain is the catalog's
//! non-sensitive topics, and sensitive topics never appear in any report.

use inkling::catalog::Catalog;
use inkling::ldp::SplitMix64;
use inkling::measure::{
    pending_reports, plan_reports, Gate, Inputs, MeasureConfig, MeasureState, Planned, Skip,
};
use inkling::profile::{Event, EventKind, Preference, Profile, ProfileConfig};

const DAY: i64 = 86_400_000;
const NOW: i64 = 20_780 * DAY + 3_600_000;

fn catalog() -> Catalog {
    Catalog::from_json(
        r#"{"topics": [{"id": "hiking"}, {"id": "health", "sensitive": true}, {"id": "travel"},
                      {"id": "pregnancy", "parent": "health"}, {"id": "cooking"}, {"id": "cycling"},
                      {"id": "gardening"}],
            "items": [{"id": "a1", "topics": {"hiking": 1.0, "travel": 0.5}},
                      {"id": "a2", "topics": {"cooking": 1.0}},
                      {"id": "s1", "topics": {"pregnancy": 1.0}},
                      {"id": "s2", "topics": {"health": 1.0, "cycling": 0.2}}]}"#,
    )
    .unwrap()
}

fn click(p: &mut Profile, c: &Catalog, item: &str) {
    let e = Event {
        kind: EventKind::Click,
        item: item.into(),
        gift: false,
        at_ms: NOW - 1000,
    };
    p.record(c, &e, &ProfileConfig::default()).unwrap();
}

#[test]
fn the_domain_is_the_non_sensitive_topics_in_catalog_order() {
    let c = catalog();
    let mut p = Profile::new();
    click(&mut p, &c, "a1");
    click(&mut p, &c, "a2");
    let inputs = Inputs::from_profile(&p, &c, NOW);
    assert_eq!(
        inputs.domain,
        ["hiking", "travel", "cooking", "cycling", "gardening"]
    );
    assert_eq!(inputs.interests.len(), 3);
    let reports = pending_reports(
        &mut MeasureState::new(),
        &p,
        &c,
        "demo",
        NOW,
        &mut SplitMix64::new(1),
    );
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].mechanism.domain, 5);
    assert_eq!(reports[0].decode_bits().unwrap().len(), 5);
}

#[test]
fn sensitive_interests_never_reach_a_report_or_the_state() {
    let c = catalog();
    let mut p = Profile::new();
    // Only sensitive reading (and a declared like, which the engine keeps, but measurement never sends).
    click(&mut p, &c, "s1");
    click(&mut p, &c, "s2");
    let _ = p.declare("health", Preference::Like, NOW);
    let inputs = Inputs::from_profile(&p, &c, NOW);
    assert!(
        inputs
            .interests
            .iter()
            .all(|t| t != "health" && t != "pregnancy"),
        "{:?}",
        inputs.interests
    );
    let mut state = MeasureState::new();
    let plan = plan_reports(
        &mut state,
        &p,
        &c,
        &MeasureConfig::default(),
        Gate::Open,
        "demo",
        NOW,
        &mut SplitMix64::new(2),
    )
    .unwrap();
    for entry in &plan {
        if let Planned::Due(r) = entry {
            assert_eq!(r.mechanism.domain, 5, "no bit for a sensitive topic");
        }
    }
    let json = state.to_json();
    assert!(
        !json.contains("health") && !json.contains("pregnancy"),
        "{json}"
    );
}

#[test]
fn a_paused_profile_reports_no_interests() {
    let c = catalog();
    let mut p = Profile::new();
    click(&mut p, &c, "a1");
    p.set_paused(true);
    let plan = plan_reports(
        &mut MeasureState::new(),
        &p,
        &c,
        &MeasureConfig::default(),
        Gate::Open,
        "demo",
        NOW,
        &mut SplitMix64::new(3),
    )
    .unwrap();
    assert!(plan.iter().any(|e| matches!(
        e,
        Planned::Skipped {
            metric: "interests",
            reason: Skip::NothingToReport
        }
    )));
}

#[test]
fn engagement_for_yesterday_comes_from_the_profiles_recorded_clicks() {
    let c = catalog();
    let mut p = Profile::new();
    let e = Event {
        kind: EventKind::Click,
        item: "a1".into(),
        gift: false,
        at_ms: NOW - DAY,
    };
    p.record(&c, &e, &ProfileConfig::default()).unwrap();
    let inputs = Inputs::from_profile(&p, &c, NOW);
    assert_eq!(inputs.yesterday, Some(true));
    let reports = pending_reports(
        &mut MeasureState::new(),
        &p,
        &c,
        "demo",
        NOW,
        &mut SplitMix64::new(4),
    );
    let engagement: Vec<_> = reports
        .iter()
        .filter(|r| r.metric == "engagement")
        .collect();
    assert_eq!(engagement.len(), 1);
    assert_eq!(engagement[0].period, "2026-11-22");
}
