//! The bad input corpus: each case gets its specific status and reason, bumps
//! its own `/metrics` counter, and changes no count.

mod common;

use common::*;
use inkling_collector::metrics::Reason;
use inkling_collector::period;
use serde_json::{json, Value};

/// What a case must produce.
enum Expect {
    /// The whole request is refused with this status and `error`.
    Request(u16, Reason),
    /// The request is answered 200 and its only report is rejected for this reason.
    Report(Reason),
}

/// A core value (a report, a mechanism) as it is written, to edit as a `Value`.
fn value<T: inkling::json::ToJson>(x: &T) -> Value {
    serde_json::from_str(&inkling::json::to_string(x)).unwrap()
}

fn valid() -> Value {
    value(&Reports::new(7).interests(&[1, 2, 3]))
}

fn with(path: &[&str], value: Value) -> String {
    let mut r = valid();
    let mut slot = &mut r;
    for p in &path[..path.len() - 1] {
        slot = &mut slot[*p];
    }
    slot[path[path.len() - 1]] = value;
    json!([r]).to_string()
}

/// A case: its name, the request body, extra headers, and what it must produce.
type Case = (
    &'static str,
    String,
    Vec<(&'static str, &'static str)>,
    Expect,
);

fn cases() -> Vec<Case> {
    use Expect::*;
    let day = period::day_of(inkling_collector::ingest::wall_clock_ms());
    let weaker = Reports::mechanism("interests");
    let eps2 = inkling_collector::wire::expected("oue", 2.0, TOPICS, 3)
        .unwrap()
        .mechanism();
    let mut unknown_field = valid();
    unknown_field["ip"] = json!("203.0.113.9");
    let mut unknown_mech_field = valid();
    unknown_mech_field["mechanism"]["salt"] = json!(1);
    let mut missing = valid();
    missing.as_object_mut().unwrap().remove("id");
    let fifty_one: Vec<Value> = (0..51)
        .map(|i| value(&Reports::new(100 + i).random()))
        .collect();
    let oversized = format!("[{}]", vec![valid().to_string(); 400].join(","));
    assert!(oversized.len() > 65_536);
    vec![
        (
            "malformed JSON",
            "[{\"v\":1,".into(),
            vec![],
            Request(400, Reason::MalformedJson),
        ),
        (
            "NaN is not JSON",
            with(&["mechanism", "epsilon"], json!(0)).replace("\"epsilon\":0", "\"epsilon\":NaN"),
            vec![],
            Request(400, Reason::MalformedJson),
        ),
        (
            "trailing garbage",
            format!("{} x", json!([valid()])),
            vec![],
            Request(400, Reason::MalformedJson),
        ),
        (
            "not an array",
            valid().to_string(),
            vec![],
            Request(400, Reason::NotAnArray),
        ),
        (
            "oversized body",
            oversized,
            vec![],
            Request(413, Reason::BodyTooLarge),
        ),
        (
            "51 reports",
            json!(fifty_one).to_string(),
            vec![],
            Request(413, Reason::TooManyReports),
        ),
        (
            "disallowed origin",
            json!([valid()]).to_string(),
            vec![("origin", "https://evil.example")],
            Request(403, Reason::OriginNotAllowed),
        ),
        (
            "wrong type",
            with(&["v"], json!("1")),
            vec![],
            Report(Reason::MalformedReport),
        ),
        (
            "bits as number",
            with(&["bits"], json!(12)),
            vec![],
            Report(Reason::MalformedReport),
        ),
        (
            "unknown field",
            json!([unknown_field]).to_string(),
            vec![],
            Report(Reason::MalformedReport),
        ),
        (
            "unknown mechanism field",
            json!([unknown_mech_field]).to_string(),
            vec![],
            Report(Reason::MalformedReport),
        ),
        (
            "missing field",
            json!([missing]).to_string(),
            vec![],
            Report(Reason::MalformedReport),
        ),
        (
            "repeated field",
            json!([valid()])
                .to_string()
                .replacen("[{", r#"[{"site":"demo","#, 1),
            vec![],
            Report(Reason::MalformedReport),
        ),
        (
            "mechanism not an object",
            with(&["mechanism"], json!(null)),
            vec![],
            Report(Reason::MalformedReport),
        ),
        (
            "huge domain",
            with(
                &["mechanism", "domain"],
                json!(18_446_744_073_709_551_615u64),
            ),
            vec![],
            Report(Reason::MalformedReport),
        ),
        (
            "huge version",
            with(&["v"], json!(1e30)),
            vec![],
            Report(Reason::MalformedReport),
        ),
        (
            "huge epsilon",
            with(&["mechanism", "epsilon"], json!(1e300)),
            vec![],
            Report(Reason::EpsilonMismatch),
        ),
        (
            "unknown version",
            with(&["v"], json!(2)),
            vec![],
            Report(Reason::UnsupportedVersion),
        ),
        (
            "unknown site",
            with(&["site"], json!("other")),
            vec![],
            Report(Reason::UnknownSite),
        ),
        (
            "unknown metric",
            with(&["metric"], json!("age")),
            vec![],
            Report(Reason::UnknownMetric),
        ),
        (
            "wrong mechanism",
            with(&["mechanism", "name"], json!("grr")),
            vec![],
            Report(Reason::MechanismMismatch),
        ),
        (
            "weaker epsilon, consistent p and q",
            with(&["mechanism"], value(&eps2)),
            vec![],
            Report(Reason::EpsilonMismatch),
        ),
        (
            "wrong domain",
            with(&["mechanism", "domain"], json!(9)),
            vec![],
            Report(Reason::DomainMismatch),
        ),
        (
            "wrong q",
            with(&["mechanism", "q"], json!(weaker.q * 0.5)),
            vec![],
            Report(Reason::ProbabilitiesMismatch),
        ),
        (
            "bad base64",
            with(&["bits"], json!("*!")),
            vec![],
            Report(Reason::MalformedBits),
        ),
        (
            "padded base64",
            with(&["bits"], json!("Dg==")),
            vec![],
            Report(Reason::MalformedBits),
        ),
        (
            "too many bits",
            with(&["bits"], json!("DgA")),
            vec![],
            Report(Reason::BitLengthMismatch),
        ),
        (
            "empty bits",
            with(&["bits"], json!("")),
            vec![],
            Report(Reason::BitLengthMismatch),
        ),
        (
            "future period",
            with(&["period"], json!(period::format_day(day + 2))),
            vec![],
            Report(Reason::PeriodInFuture),
        ),
        (
            "old period",
            with(&["period"], json!(period::format_day(day - 3))),
            vec![],
            Report(Reason::PeriodTooOld),
        ),
        (
            "not a date",
            with(&["period"], json!("2026-02-30")),
            vec![],
            Report(Reason::MalformedPeriod),
        ),
        (
            "short id",
            with(&["id"], json!("abc")),
            vec![],
            Report(Reason::MalformedId),
        ),
        (
            "id not base64url",
            with(&["id"], json!("++++++++++++++++++++++")),
            vec![],
            Report(Reason::MalformedId),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_input_gets_its_reason_and_changes_nothing() {
    let c = start_in_process(test_config(&sqlite_url("bad-input"))).await;
    for (name, body, headers, expect) in cases() {
        let before = totals(&c.state).await;
        let reason = match &expect {
            Expect::Request(_, r) | Expect::Report(r) => *r,
        };
        let counter_before = c.state.metrics.rejected_count(reason);
        let reply = c.client.post_reports(body, &headers).await.unwrap();
        let json = reply.json();
        match expect {
            Expect::Request(status, reason) => {
                assert_eq!(reply.status, status, "{name}: {}", reply.text());
                assert_eq!(json["error"], reason.as_str(), "{name}: {}", reply.text());
            }
            Expect::Report(reason) => {
                assert_eq!(reply.status, 200, "{name}: {}", reply.text());
                assert_eq!(
                    json["results"][0]["status"],
                    "rejected",
                    "{name}: {}",
                    reply.text()
                );
                assert_eq!(
                    json["results"][0]["reason"],
                    reason.as_str(),
                    "{name}: {}",
                    reply.text()
                );
                assert_eq!(json["accepted"], 0, "{name}");
            }
        }
        assert_eq!(
            c.state.metrics.rejected_count(reason),
            counter_before + 1,
            "{name}: counter"
        );
        assert_eq!(totals(&c.state).await, before, "{name}: counts changed");
    }
    // The counters are visible at /metrics.
    let metrics = c.client.get("/metrics").await.unwrap().text();
    assert!(
        metrics.contains("inkling_rejections_total{reason=\"epsilon_mismatch\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("inkling_rejections_total{reason=\"too_many_reports\"} 1"),
        "{metrics}"
    );
    assert_eq!(totals(&c.state).await, (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_reports_never_affect_the_others_in_their_batch() {
    let c = start_in_process(test_config(&sqlite_url("mixed-batch"))).await;
    let mut gen = Reports::new(11);
    let good1 = value(&gen.interests(&[0, 5]));
    let good2 = value(&gen.engagement(true));
    let mut bad = value(&gen.interests(&[1]));
    bad["mechanism"]["epsilon"] = json!(4.0);
    let body = json!([good1, bad, {"v": 1}, good2, 42]).to_string();
    let reply = c
        .client
        .post_reports(body, &[("origin", ORIGIN)])
        .await
        .unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), Some(ORIGIN));
    let statuses: Vec<String> = reply.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        statuses,
        ["accepted", "rejected", "rejected", "accepted", "rejected"]
    );
    // Two reports counted: bits 0 and 5 of interests, bit 1 ("yes") of engagement.
    assert_eq!(totals(&c.state).await, (2, 3));
}
