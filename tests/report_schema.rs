//! Every generated report matches the documented wire format and nothing else.

use std::collections::BTreeSet;

use inkling::ldp::SplitMix64;
use inkling::measure::{Gate, Inputs, MeasureConfig, MeasureState, Metric, Planned};
use inkling::report::{day_of_period, Report};
use serde_json::Value;

const DAY: i64 = 86_400_000;
const NOW: i64 = 20_780 * DAY + 3_600_000; // 2026-11-23, 01:00 UTC

fn topics(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("topic-{i}")).collect()
}

/// A strict schema, written independently of the types that write reports: exact key sets, types and shapes.
fn check_schema(json: &str) {
    let v: Value = serde_json::from_str(json).unwrap();
    let o = v.as_object().expect("a report is an object");
    let keys: BTreeSet<&str> = o.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["v", "site", "period", "metric", "mechanism", "bits", "id"]),
        "{json}"
    );
    assert_eq!(o["v"], 1);
    assert!(o["site"].is_string());
    let period = o["period"].as_str().unwrap();
    assert_eq!(period.len(), 10);
    day_of_period(period).unwrap();
    let metric = o["metric"].as_str().unwrap();
    assert!(metric == "interests" || metric == "engagement");
    let m = o["mechanism"].as_object().unwrap();
    let mkeys: BTreeSet<&str> = m.keys().map(String::as_str).collect();
    assert_eq!(
        mkeys,
        BTreeSet::from(["name", "epsilon", "domain", "p", "q"])
    );
    let name = m["name"].as_str().unwrap();
    assert_eq!(name, if metric == "interests" { "oue" } else { "grr" });
    let domain = m["domain"].as_u64().unwrap() as usize;
    for k in ["epsilon", "p", "q"] {
        assert!(m[k].is_f64(), "{k} is a number");
    }
    let b64 = |s: &str| {
        s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    };
    let bits = o["bits"].as_str().unwrap();
    assert!(
        b64(bits) && bits.len() == (domain.div_ceil(8) * 4).div_ceil(3),
        "bits {bits} for domain {domain}"
    );
    let id = o["id"].as_str().unwrap();
    assert!(b64(id) && id.len() == 22);
    // And the crate's strict parser agrees.
    Report::from_json(json).unwrap();
}

#[test]
fn generated_reports_match_the_strict_schema() {
    let domain = topics(37);
    let mut seen = BTreeSet::new();
    for visitor in 0..200u64 {
        let mut rng = SplitMix64::new(visitor);
        let mut state = MeasureState::new();
        state.note_personalized_click(NOW - DAY);
        let inputs = Inputs {
            domain: domain.clone(),
            interests: vec![
                domain[visitor as usize % 37].clone(),
                domain[(visitor as usize + 5) % 37].clone(),
            ],
            yesterday: None,
        };
        let plan = state
            .plan(
                &inputs,
                &MeasureConfig::default(),
                Gate::Open,
                "demo",
                NOW,
                &mut rng,
            )
            .unwrap();
        let reports: Vec<&Report> = plan.iter().filter_map(Planned::report).collect();
        assert_eq!(reports.len(), 2);
        for r in reports {
            let json = r.to_json();
            check_schema(&json);
            let expected = Metric::from_name(&r.metric)
                .unwrap()
                .mechanism(1.0, 37)
                .unwrap();
            assert!(r.mechanism.agrees_with(&expected), "{json}");
            assert!(seen.insert(r.id.clone()), "report ids are fresh");
            assert!(!json.contains("topic-"), "no topic id travels in clear");
        }
    }
}

type Mutation = Box<dyn Fn(&mut Value)>;

#[test]
fn unknown_or_missing_fields_and_bad_values_are_rejected() {
    let good = good_report(1);
    let v: Value = serde_json::from_str(&good).unwrap();
    let cases: Vec<(&str, Mutation)> = vec![
        ("extra top-level field", Box::new(|v| v["ts"] = 1.into())),
        (
            "extra mechanism field",
            Box::new(|v| v["mechanism"]["f"] = 0.5.into()),
        ),
        (
            "missing id",
            Box::new(|v| drop(v.as_object_mut().unwrap().remove("id"))),
        ),
        ("version 2", Box::new(|v| v["v"] = 2.into())),
        (
            "hour in period",
            Box::new(|v| v["period"] = "2026-11-23T01".into()),
        ),
        ("bits too long", Box::new(|v| v["bits"] = "AAAA".into())),
        (
            "padding",
            Box::new(|v| v["bits"] = format!("{}=", v["bits"].as_str().unwrap()).into()),
        ),
        ("short id", Box::new(|v| v["id"] = "AAAA".into())),
        ("weaker p", Box::new(|v| v["mechanism"]["p"] = 0.99.into())),
        (
            "unknown mechanism",
            Box::new(|v| v["mechanism"]["name"] = "rappor".into()),
        ),
        (
            "epsilon zero",
            Box::new(|v| v["mechanism"]["epsilon"] = 0.0.into()),
        ),
        ("site with slash", Box::new(|v| v["site"] = "a/b".into())),
    ];
    for (label, mutate) in cases {
        let mut bad = v.clone();
        mutate(&mut bad);
        assert!(
            Report::from_json(&bad.to_string()).is_err(),
            "{label} must be rejected"
        );
    }
    // The unmodified report passes, so the rejections above are about the mutation.
    Report::from_json(&v.to_string()).unwrap();
}

/// A report generated with the random seed `seed`, as text.
fn good_report(seed: u64) -> String {
    let mut rng = SplitMix64::new(seed);
    let mut state = MeasureState::new();
    let inputs = Inputs {
        domain: topics(10),
        interests: vec!["topic-1".into()],
        yesterday: None,
    };
    let plan = state
        .plan(
            &inputs,
            &MeasureConfig::default(),
            Gate::Open,
            "demo",
            NOW,
            &mut rng,
        )
        .unwrap();
    plan[0].report().unwrap().to_json()
}

#[test]
fn reading_names_the_field_and_kind_of_every_structural_error() {
    use inkling::error::ErrorKind::{Invalid, OutOfRange};
    let good = good_report(2);
    let v: Value = serde_json::from_str(&good).unwrap();
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut bad = v.clone();
        f(&mut bad);
        bad.to_string()
    };
    let cases = [
        (
            edit(&|v| v["ts"] = 1.into()),
            Invalid,
            "/ts",
            "unknown field",
        ),
        (
            edit(&|v| v["mechanism"]["f"] = 0.5.into()),
            Invalid,
            "/mechanism/f",
            "unknown field",
        ),
        (
            edit(&|v| drop(v.as_object_mut().unwrap().remove("id"))),
            Invalid,
            "",
            "missing field `id`",
        ),
        (
            edit(&|v| drop(v["mechanism"].as_object_mut().unwrap().remove("q"))),
            Invalid,
            "/mechanism",
            "missing field `q`",
        ),
        (
            good.replacen('{', r#"{"site":"demo","#, 1),
            Invalid,
            "/site",
            "duplicate field",
        ),
        (
            edit(&|v| v["mechanism"]["epsilon"] = "1".into()),
            Invalid,
            "/mechanism/epsilon",
            "expected a number",
        ),
        (
            edit(&|v| v["v"] = "1".into()),
            Invalid,
            "/v",
            "expected an integer",
        ),
        (
            edit(&|v| v["v"] = 256.into()),
            OutOfRange,
            "/v",
            "integer out of range",
        ),
        (
            edit(&|v| v["mechanism"]["domain"] = (-1).into()),
            OutOfRange,
            "/mechanism/domain",
            "integer out of range",
        ),
        (
            edit(&|v| v["bits"] = 12.into()),
            Invalid,
            "/bits",
            "expected a string",
        ),
        (
            edit(&|v| v["mechanism"] = Value::Null),
            Invalid,
            "/mechanism",
            "expected an object",
        ),
        (
            edit(&|v| v["site"] = Value::Null),
            Invalid,
            "/site",
            "expected a string",
        ),
        (
            edit(&|v| v["mechanism"]["epsilon"] = 0.0.into()),
            OutOfRange,
            "/mechanism/epsilon",
            "epsilon must be a finite number above 0",
        ),
    ];
    for (text, kind, path, message) in &cases {
        let e = Report::from_json(text).unwrap_err();
        assert_eq!(
            (e.kind(), e.path(), e.message()),
            (*kind, *path, *message),
            "{text}"
        );
    }
    let e = Report::from_json(&[good.as_str(), " x"].concat()).unwrap_err();
    assert!(e.message().starts_with("trailing characters"), "{e}");
    // Every cut of a good report is an error, never a partial report or a panic.
    for end in 0..good.len() {
        assert!(Report::from_json(&good[..end]).is_err(), "{}", &good[..end]);
    }
    // Structure alone (what the collector reads first) accepts values `validate` refuses.
    let weak = edit(&|v| v["mechanism"]["p"] = 0.99.into());
    let r: Report = inkling::json::from_str(&weak).unwrap();
    assert_eq!(r.validate().unwrap_err().path(), "/mechanism");
    assert_eq!(Report::from_json(&good).unwrap().to_json(), good);
}
