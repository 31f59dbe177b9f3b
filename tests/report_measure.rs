//! The device-side measurement flow: building reports once per period, consent
//! gate, sending bookkeeping, retries, memoization and the privacy budget.

use inkling::ldp::{Rng, SplitMix64};
use inkling::measure::{Gate, Inputs, MeasureConfig, MeasureState, Metric, Planned, Skip};
use inkling::report::Report;

const DAY: i64 = 86_400_000;
const NOW: i64 = 20_780 * DAY + 3_600_000; // 2026-11-23, 01:00 UTC

fn inputs(interests: &[usize]) -> Inputs {
    let domain: Vec<String> = (0..12).map(|i| format!("t{i}")).collect();
    Inputs {
        interests: interests.iter().map(|&i| domain[i].clone()).collect(),
        domain,
        yesterday: None,
    }
}

fn plan(state: &mut MeasureState, inp: &Inputs, now: i64, rng: &mut dyn Rng) -> Vec<Planned> {
    state
        .plan(inp, &MeasureConfig::default(), Gate::Open, "demo", now, rng)
        .unwrap()
}

fn reports(p: &[Planned]) -> Vec<Report> {
    p.iter().filter_map(Planned::report).cloned().collect()
}

fn skip(p: &[Planned], metric: &str) -> Option<Skip> {
    p.iter().find_map(|x| match x {
        Planned::Skipped { metric: m, reason } if *m == metric => Some(*reason),
        _ => None,
    })
}

#[test]
fn closed_gate_builds_nothing_changes_nothing_and_draws_no_randomness() {
    let mut state = MeasureState::new();
    state.note_personalized_click(NOW - DAY);
    let before = state.to_json();
    for (gate, reason) in [(Gate::NoConsent, Skip::NoConsent), (Gate::Gpc, Skip::Gpc)] {
        let mut rng = SplitMix64::new(5);
        let p = state
            .plan(
                &inputs(&[1, 2, 3]),
                &MeasureConfig::default(),
                gate,
                "demo",
                NOW,
                &mut rng,
            )
            .unwrap();
        assert_eq!(p.len(), 2);
        assert!(p.iter().all(|x| x.report().is_none()));
        assert_eq!(skip(&p, "interests"), Some(reason));
        assert_eq!(state.to_json(), before);
        assert_eq!(
            rng.next_u64(),
            SplitMix64::new(5).next_u64(),
            "no random draw"
        );
    }
}

#[test]
fn the_same_bytes_until_sent_then_once_per_day() {
    let mut rng = SplitMix64::new(1);
    let mut state = MeasureState::new();
    let inp = inputs(&[1, 4, 7]);
    let first = reports(&plan(&mut state, &inp, NOW, &mut rng));
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].period, "2026-11-23");
    // Asking again (pendingReports, then flush) gives the very same bytes and spends nothing more.
    let again = reports(&plan(&mut state, &inp, NOW + 1000, &mut rng));
    assert_eq!(again, first);
    assert_eq!(state.spent_on(Metric::Interests, "2026-11-23"), 1.0);
    assert!(state.mark_sent(&first[0].id));
    assert!(!state.mark_sent(&first[0].id));
    let p = plan(&mut state, &inp, NOW + 2000, &mut rng);
    assert!(reports(&p).is_empty());
    assert_eq!(skip(&p, "interests"), Some(Skip::AlreadySent));
    assert_eq!(skip(&p, "engagement"), Some(Skip::NothingToReport));
    // The next day: a new report, with a new id and new instantaneous noise.
    let next = reports(&plan(&mut state, &inp, NOW + DAY, &mut rng));
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].period, "2026-11-24");
    assert_ne!(next[0].id, first[0].id);
}

#[test]
fn a_failed_send_is_retried_once_in_a_later_period_then_dropped() {
    let mut rng = SplitMix64::new(2);
    let mut state = MeasureState::new();
    let inp = inputs(&[0]);
    let r = reports(&plan(&mut state, &inp, NOW, &mut rng)).remove(0);
    assert!(state.mark_failed(&r.id, NOW));
    let p = plan(&mut state, &inp, NOW + 10, &mut rng);
    assert_eq!(
        skip(&p, "interests"),
        Some(Skip::RetryLater),
        "not again the same day"
    );
    // Next day: yesterday's report (same bytes) and today's.
    let p = reports(&plan(&mut state, &inp, NOW + DAY, &mut rng));
    assert_eq!(p.len(), 2);
    assert_eq!(p[0], r);
    assert!(state.mark_failed(&r.id, NOW + DAY));
    assert!(state.mark_sent(&p[1].id));
    // Failed twice: gone for good.
    assert!(state.outbox().next().is_none());
    let p = plan(&mut state, &inp, NOW + 2 * DAY, &mut rng);
    assert!(reports(&p).iter().all(|x| x.id != r.id));
    // A report never sent is dropped once the collector would refuse its period.
    let mut state = MeasureState::new();
    plan(&mut state, &inp, NOW, &mut rng);
    let p = reports(&plan(&mut state, &inp, NOW + 2 * DAY, &mut rng));
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].period, "2026-11-25");
}

#[test]
fn engagement_describes_yesterday_with_one_hot_binary_rr() {
    let mut rng = SplitMix64::new(3);
    let mut state = MeasureState::new();
    let inp = inputs(&[]);
    state.note_personalized_shown(NOW);
    let p = plan(&mut state, &inp, NOW, &mut rng);
    assert!(reports(&p).is_empty(), "today is not finished");
    assert_eq!(
        skip(&p, "interests"),
        Some(Skip::NothingToReport),
        "no interests yet"
    );
    let p = reports(&plan(&mut state, &inp, NOW + DAY, &mut rng));
    assert_eq!(p.len(), 1);
    let r = &p[0];
    assert_eq!(
        (r.metric.as_str(), r.period.as_str()),
        ("engagement", "2026-11-23")
    );
    let bits = r.decode_bits().unwrap();
    assert_eq!(bits.len(), 2);
    assert_eq!(bits.iter().filter(|&&b| b).count(), 1);
    assert_eq!(r.bits.len(), 2, "one byte");
    assert!((r.mechanism.p / r.mechanism.q - 1f64.exp()).abs() < 1e-9);
}

#[test]
fn site_config_switches_metrics_off_and_cannot_weaken_privacy() {
    let mut rng = SplitMix64::new(4);
    let mut state = MeasureState::new();
    let cfg =
        MeasureConfig::from_json(r#"{"interests":{"epsilon":0.5},"engagement":{"enabled":false}}"#)
            .unwrap();
    state.note_personalized_click(NOW - DAY);
    let p = state
        .plan(&inputs(&[2]), &cfg, Gate::Open, "demo", NOW, &mut rng)
        .unwrap();
    assert_eq!(skip(&p, "engagement"), Some(Skip::Disabled));
    let r = reports(&p).remove(0);
    assert_eq!(r.mechanism.epsilon, 0.5);
    assert!(r
        .mechanism
        .agrees_with(&Metric::Interests.mechanism(0.5, 12).unwrap()));
    assert!(MeasureConfig::from_json(r#"{"interests":{"epsilon":1.5}}"#).is_err());
    let bad = MeasureConfig {
        interests: inkling::measure::MetricConfig {
            enabled: true,
            epsilon: 3.0,
        },
        ..cfg
    };
    assert!(state
        .plan(&inputs(&[2]), &bad, Gate::Open, "demo", NOW, &mut rng)
        .is_err());
}

#[test]
fn interests_outside_the_domain_never_reach_a_report() {
    // The caller passes only non-sensitive topics as the domain; an interest outside it
    // (a sensitive topic, say) is dropped, not encoded.
    let mut rng = SplitMix64::new(6);
    let mut state = MeasureState::new();
    let mut inp = inputs(&[]);
    inp.interests = vec!["health".into()];
    let p = plan(&mut state, &inp, NOW, &mut rng);
    assert_eq!(skip(&p, "interests"), Some(Skip::NothingToReport));
    assert!(!state.to_json().contains("health"), "not even memoized");
}

#[test]
fn memoization_caps_the_lifetime_spend_per_value() {
    let mut rng = SplitMix64::new(7);
    let mut state = MeasureState::new();
    let same = inputs(&[1, 5, 9]);
    for day in 0..30 {
        let now = NOW + day * DAY;
        for r in reports(&plan(&mut state, &same, now, &mut rng)) {
            state.mark_sent(&r.id);
        }
    }
    let b = state.budget(&MeasureConfig::default(), NOW + 29 * DAY);
    let interests = &b.metrics[0];
    assert_eq!(interests.metric, "interests");
    assert_eq!(interests.spent_today, 1.0);
    assert_eq!(
        interests.spent_total, 2.0,
        "30 reports about one value cost the lifetime bound, not 30"
    );
    assert_eq!(interests.days.len(), 30);
    // A different set of interests is another value with its own budget.
    let other = inputs(&[2, 5, 9]);
    for r in reports(&plan(&mut state, &other, NOW + 30 * DAY, &mut rng)) {
        state.mark_sent(&r.id);
    }
    assert_eq!(state.lifetime_spent(Metric::Interests), 3.0);
    assert!(
        state.to_json().contains(r#""spentTotal":3.0"#),
        "{}",
        state.to_json()
    );
}

#[test]
fn averaging_one_devices_reports_reveals_only_the_permanent_response() {
    // 4,000 daily reports about one unchanged set: each topic's average converges to
    // r or 1 − r (the permanent bit kept or flipped), never to the truth itself.
    let mut rng = SplitMix64::new(8);
    let mut state = MeasureState::new();
    let inp = inputs(&[0, 1, 2]);
    let days = 4_000;
    let mut ones = [0u32; 12];
    for day in 0..days {
        for r in reports(&plan(&mut state, &inp, NOW + day * DAY, &mut rng)) {
            for (c, b) in ones.iter_mut().zip(r.decode_bits().unwrap()) {
                *c += u32::from(b);
            }
            state.mark_sent(&r.id);
        }
    }
    let keep = inkling::ldp::MemoizedUnaryEncoding::new(1.0, 2.0, 12, 3)
        .unwrap()
        .keep_probability();
    for (i, &c) in ones.iter().enumerate() {
        let f = c as f64 / days as f64;
        let near_keep = (f - keep).abs() < 0.03;
        let near_flip = (f - (1.0 - keep)).abs() < 0.03;
        assert!(
            near_keep || near_flip,
            "topic {i}: average {f:.3}, r = {keep:.3}"
        );
    }
    assert_eq!(state.lifetime_spent(Metric::Interests), 2.0);
}

#[test]
fn stored_state_round_trips_and_bad_documents_are_refused() {
    let mut rng = SplitMix64::new(9);
    let mut state = MeasureState::new();
    state.note_personalized_click(NOW - DAY);
    plan(&mut state, &inputs(&[3, 4]), NOW, &mut rng);
    let json = state.to_json();
    let back = MeasureState::from_json(&json).unwrap();
    assert_eq!(back, state);
    assert_eq!(back.to_json(), json);
    let bad = [
        json.replacen(r#""v":1"#, r#""v":2"#, 1),
        json.replacen(r#""v":1"#, r#""v":1,"extra":true"#, 1),
        json.replacen(r#""spent":1.0"#, r#""spent":7.0"#, 1),
        json.replacen(
            r#""lifetimeEpsilon":2.0,"spent""#,
            r#""lifetimeEpsilon":50.0,"spent""#,
            1,
        ),
        r#"{"v":1,"sent":{"clicks":"2026-11-23"}}"#.to_string(),
        r#"{"v":1,"sent":{"interests":"yesterday"}}"#.to_string(),
        "{\"v\":1,\"retired\":{\"interests\":-1}}".to_string(),
    ];
    for b in &bad {
        assert_ne!(b, &json);
        assert!(MeasureState::from_json(b).is_err(), "{b}");
    }
    let many: Vec<String> = (0..17)
        .map(|i| format!(r#"{{"topics":["t{i}"],"lifetimeEpsilon":2.0,"spent":1.0,"reports":1,"lastDay":1,"permanent":{{}}}}"#))
        .collect();
    assert!(
        MeasureState::from_json(&format!(r#"{{"v":1,"interests":[{}]}}"#, many.join(","))).is_err()
    );
    assert!(MeasureState::from_json(r#"{"v":1}"#)
        .unwrap()
        .outbox()
        .next()
        .is_none());
}

#[test]
fn one_hundred_thousand_visitors_through_the_real_device_code_estimate_the_crowd() {
    // Every visitor runs the full device path (memo, permanent + instantaneous bits,
    // report, base64url), and the collector's side decodes bits and debiases with
    // the report's own p and q: every topic within 4 standard errors of the truth.
    let n = 100_000u64;
    let d = 12usize;
    let mut truth = vec![0u64; d];
    let mut counts = vec![0u64; d];
    let mut rng = SplitMix64::new(10);
    let mut mechanism = None;
    for v in 0..n as usize {
        // Skewed crowd: topic 0 in every set, others by visitor number.
        let set = [0, 1 + v % 3, 4 + (v * 7) % 8];
        for &t in &set {
            truth[t] += 1;
        }
        let mut state = MeasureState::new();
        let p = plan(&mut state, &inputs(&set), NOW, &mut rng);
        let r = Report::from_json(&p[0].report().unwrap().to_json()).unwrap();
        for (c, b) in counts.iter_mut().zip(r.decode_bits().unwrap()) {
            *c += u64::from(b);
        }
        mechanism = Some(r.mechanism);
    }
    let m = mechanism.unwrap();
    let est = m.estimate(&counts, n);
    let mut worst: f64 = 0.0;
    for (i, (&e, &t)) in est.iter().zip(&truth).enumerate() {
        let se = m.variance(n, t as f64 / n as f64).sqrt();
        let z = (e - t as f64) / se;
        assert!(
            z.abs() < 4.0,
            "topic {i}: estimate {e:.0}, truth {t}, z = {z:.2}"
        );
        worst = worst.max(z.abs());
    }
    println!(
        "100k visitors end to end: max |z| = {worst:.2}, SE at f=0 = {:.0}",
        m.variance(n, 0.0).sqrt()
    );
}

#[test]
fn reading_the_stored_state_names_the_bad_field() {
    use inkling::error::ErrorKind::{self, Invalid, OutOfRange, Unsupported};
    use serde_json::Value;
    let mut rng = SplitMix64::new(11);
    let mut state = MeasureState::new();
    state.note_personalized_click(NOW - DAY);
    plan(&mut state, &inputs(&[3, 4]), NOW, &mut rng);
    let json = state.to_json();
    let v: Value = serde_json::from_str(&json).unwrap();
    assert!(v["outbox"].as_array().unwrap().len() == 2, "{json}");
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut bad = v.clone();
        f(&mut bad);
        bad.to_string()
    };
    let cases: Vec<(String, ErrorKind, &str, &str)> = vec![
        (
            edit(&|v| v["extra"] = true.into()),
            Invalid,
            "/extra",
            "unknown field",
        ),
        (
            edit(&|v| v["interests"][0]["x"] = 1.into()),
            Invalid,
            "/interests/0/x",
            "unknown field",
        ),
        (
            edit(&|v| v["outbox"][1]["report"]["mechanism"]["salt"] = 1.into()),
            Invalid,
            "/outbox/1/report/mechanism/salt",
            "unknown field",
        ),
        (
            r#"{"interests":[]}"#.into(),
            Invalid,
            "",
            "missing field `v`",
        ),
        (
            edit(&|v| {
                drop(
                    v["engagement"][0]
                        .as_object_mut()
                        .unwrap()
                        .remove("permanent"),
                )
            }),
            Invalid,
            "/engagement/0",
            "missing field `permanent`",
        ),
        (
            edit(&|v| {
                drop(
                    v["outbox"][0]["report"]
                        .as_object_mut()
                        .unwrap()
                        .remove("id"),
                )
            }),
            Invalid,
            "/outbox/0/report",
            "missing field `id`",
        ),
        (r#"{"v":1,"v":1}"#.into(), Invalid, "/v", "duplicate field"),
        (
            r#"{"v":1,"budget":{},"budget":null}"#.into(),
            Invalid,
            "/budget",
            "duplicate field",
        ),
        (
            r#"{"v":1,"activity":[{"day":"x","shown":true,"clicked":false}]}"#.into(),
            Invalid,
            "/activity/0/day",
            "expected an integer",
        ),
        (
            edit(&|v| v["spent"][0]["epsilon"] = "1".into()),
            Invalid,
            "/spent/0/epsilon",
            "expected a number",
        ),
        (
            edit(&|v| v["outbox"][0]["failures"] = (-1).into()),
            OutOfRange,
            "/outbox/0/failures",
            "integer out of range",
        ),
        (
            edit(&|v| v["sent"] = Value::Array(vec![])),
            Invalid,
            "/sent",
            "expected an object",
        ),
        (
            edit(&|v| v["v"] = 2.into()),
            Unsupported,
            "/v",
            "unknown measurement state version",
        ),
        (
            edit(&|v| v["interests"][0]["spent"] = 7.0.into()),
            OutOfRange,
            "/interests",
            "spent epsilon out of range",
        ),
    ];
    for (text, kind, path, message) in &cases {
        let e = MeasureState::from_json(text).unwrap_err();
        assert_eq!(
            (e.kind(), e.path(), e.message()),
            (*kind, *path, *message),
            "{text}"
        );
    }
    // Optional fields: `budget` may be anything (it is recomputed), `failedDay` null.
    let lenient = edit(&|v| {
        v["budget"] = serde_json::json!({"anything": [1, null]});
        v["outbox"][0]["failedDay"] = Value::Null;
    });
    assert_eq!(MeasureState::from_json(&lenient).unwrap(), state);
    // Every cut of a good document is an error, never a partial state or a panic.
    for end in (0..json.len()).filter(|&i| json.is_char_boundary(i)) {
        assert!(MeasureState::from_json(&json[..end]).is_err());
    }
}
