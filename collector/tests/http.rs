//! The HTTP surface: replays, CORS, rate limiting, security headers, release and dashboard.

mod common;

use common::*;
use inkling_collector::Config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replays_are_duplicates_within_a_batch_across_requests_and_after_restart() {
    let url = sqlite_url("replay");
    let mut g = Reports::new(3);
    let r1 = g.interests(&[0]);
    let r2 = g.interests(&[1]);
    {
        let c = start_in_process(test_config(&url)).await;
        let reply = c
            .client
            .post_reports(batch(&[r1.clone(), r1.clone(), r2.clone()]), &[])
            .await
            .unwrap();
        let j = reply.json();
        assert_eq!(j["results"][0]["status"], "accepted");
        assert_eq!(j["results"][1]["status"], "duplicate");
        assert_eq!(j["results"][2]["status"], "accepted");
        let again = c
            .client
            .post_reports(batch(std::slice::from_ref(&r2)), &[])
            .await
            .unwrap()
            .json();
        assert_eq!(again["results"][0]["status"], "duplicate");
        assert_eq!(totals(&c.state).await, (2, 2));
        let metrics = c.client.get("/metrics").await.unwrap().text();
        assert!(
            metrics.contains("inkling_reports_total{outcome=\"duplicate\"} 2"),
            "{metrics}"
        );
    }
    // A new collector on the same database still knows the ids.
    let c = start_in_process(test_config(&url)).await;
    let j = c
        .client
        .post_reports(batch(&[r1]), &[])
        .await
        .unwrap()
        .json();
    assert_eq!(j["results"][0]["status"], "duplicate");
    assert_eq!(totals(&c.state).await, (2, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_is_answered_for_allowed_origins_only() {
    let c = start_in_process(test_config(&sqlite_url("cors"))).await;
    let pre = |origin: &'static str| {
        let client = c.client.clone();
        async move {
            client
                .send(
                    hyper::Method::OPTIONS,
                    "/v1/reports",
                    &[
                        ("origin", origin),
                        ("access-control-request-method", "POST"),
                    ],
                    Vec::new(),
                )
                .await
                .unwrap()
        }
    };
    let ok = pre(ORIGIN).await;
    assert_eq!(ok.status, 204);
    assert_eq!(ok.header("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(ok.header("access-control-allow-methods"), Some("POST"));
    let no = pre("https://evil.example").await;
    assert_eq!(no.status, 403);
    assert!(no.header("access-control-allow-origin").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_answers_429_with_retry_after() {
    let mut config: Config = test_config(&sqlite_url("rate"));
    config.rate_limit.enabled = true;
    config.rate_limit.burst = 3;
    config.rate_limit.requests_per_second = 0.01;
    let c = start_in_process(config).await;
    for _ in 0..3 {
        assert_eq!(c.client.post_reports("[]", &[]).await.unwrap().status, 200);
    }
    let limited = c
        .client
        .post_reports(batch(&[Reports::new(1).random()]), &[])
        .await
        .unwrap();
    assert_eq!(limited.status, 429);
    assert_eq!(limited.json()["error"], "rate_limited");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=100).contains(&retry), "{retry}");
    assert_eq!(totals(&c.state).await, (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_has_the_security_headers_and_inline_scripts_are_hashed() {
    let c = start_in_process(test_config(&sqlite_url("headers"))).await;
    for path in [
        "/healthz",
        "/",
        "/dashboard",
        "/metrics",
        "/v1/aggregates?site=shop&metric=interests",
        "/nope",
    ] {
        let r = c.client.get(path).await.unwrap();
        let csp = r
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(
            !csp.contains("http:") && !csp.contains("https:") && !csp.contains('*'),
            "{path}: third-party source in {csp}"
        );
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
    }
    // The demo page's inline scripts (its import map) are allowed by hash, and only them.
    let index = c.client.get("/").await.unwrap();
    let hashes = inkling_collector::headers::inline_script_hashes(&index.text());
    let csp = index.header("content-security-policy").unwrap();
    for h in &hashes {
        assert!(csp.contains(&format!("'sha256-{h}'")), "{csp}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aggregates_are_debiased_and_suppressed_below_k_min() {
    let c = start_in_process(test_config(&sqlite_url("aggregates"))).await;
    let mut g = Reports::new(5);
    // k_min is 5: four reports are not enough.
    let four: Vec<_> = (0..4).map(|_| g.engagement(true)).collect();
    c.client.post_reports(batch(&four), &[]).await.unwrap();
    let j = c
        .client
        .get("/v1/aggregates?site=shop&metric=engagement")
        .await
        .unwrap()
        .json();
    assert_eq!(j["periods"][0]["n"], 4);
    assert!(j["periods"][0]["buckets"].is_null());
    assert_eq!(j["periods"][0]["suppressed"], "fewer than k_min reports");
    assert!(j["total"]["rate"].is_null());
    let page = c.client.get("/dashboard?site=shop").await.unwrap().text();
    assert!(
        page.contains("fewer than k_min"),
        "the dashboard says what is suppressed"
    );

    // 100 more: 60 yes bits, 44 no bits in total over 104 reports.
    let more: Vec<_> = (0..100).map(|i| g.engagement(i < 56)).collect();
    for chunk in more.chunks(50) {
        assert_eq!(
            c.client
                .post_reports(batch(chunk), &[])
                .await
                .unwrap()
                .json()["accepted"],
            chunk.len()
        );
    }
    let j = c
        .client
        .get("/v1/aggregates?site=shop&metric=engagement")
        .await
        .unwrap()
        .json();
    let total = &j["total"];
    assert_eq!(total["n"], 104);
    // Binary RR at ε = 1: p = e/(e+1), q = 1/(e+1); ĉ_yes = (60 − 104q)/(p − q), clipped to [0, 104].
    let e = 1f64.exp();
    let (p, q) = (e / (e + 1.0), 1.0 / (e + 1.0));
    let expected = ((60.0 - 104.0 * q) / (p - q)).clamp(0.0, 104.0);
    let yes = &total["buckets"][1];
    assert!(
        (yes["estimate"].as_f64().unwrap() - expected).abs() < 1e-9,
        "{yes}"
    );
    assert!((total["rate"].as_f64().unwrap() - expected / 104.0).abs() < 1e-12);
    let ci = total["rate_ci95"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() <= total["rate"].as_f64().unwrap());
    assert!(ci[1].as_f64().unwrap() <= 1.0);
    assert_eq!(j["mechanism"]["name"], "grr");
    assert_eq!(j["labels"][1], "yes");

    // Bad queries.
    assert_eq!(
        c.client
            .get("/v1/aggregates?site=shop")
            .await
            .unwrap()
            .status,
        400
    );
    assert_eq!(
        c.client
            .get("/v1/aggregates?site=nope&metric=engagement")
            .await
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        c.client
            .get("/v1/aggregates?site=shop&metric=engagement&from=2026-13-01")
            .await
            .unwrap()
            .status,
        400
    );
    assert_eq!(
        c.client
            .get("/v1/aggregates?site=shop&metric=engagement&from=2020-01-01&to=2026-01-01")
            .await
            .unwrap()
            .status,
        400
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_draws_shares_with_confidence_bars_without_scripts() {
    let c = start_in_process(test_config(&sqlite_url("dashboard"))).await;
    let mut g = Reports::new(9);
    let reports: Vec<_> = (0..50).map(|i| g.interests(&[i % 3, 4])).collect();
    c.client.post_reports(batch(&reports), &[]).await.unwrap();
    let r = c.client.get("/dashboard").await.unwrap();
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let page = r.text();
    assert!(!page.contains("<script"), "no scripts at all");
    assert!(page.contains("<svg"), "charts are drawn");
    assert!(page.contains("shares with 95% intervals"));
    assert!(page.contains(">t4<"), "topic labels are shown");
    assert!(page.contains("reports per day"));
    assert!(page.contains("engagement"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_package_and_the_demo_are_served() {
    let dir = temp_dir("static");
    std::fs::create_dir_all(dir.join("www")).unwrap();
    std::fs::create_dir_all(dir.join("pkg/web")).unwrap();
    std::fs::write(
        dir.join("www/index.html"),
        "<script type=\"importmap\">{}</script><p>hi</p>",
    )
    .unwrap();
    std::fs::write(dir.join("pkg/web/inkling.js"), "export {}").unwrap();
    let mut config = test_config(&sqlite_url("static-db"));
    config.www = dir.join("www");
    config.pkg = dir.join("pkg");
    let c = start_in_process(config).await;
    let index = c.client.get("/").await.unwrap();
    assert!(index.text().contains("<p>hi</p>"));
    let hash =
        &inkling_collector::headers::inline_script_hashes("<script type=\"importmap\">{}</script>")
            [0];
    assert!(index
        .header("content-security-policy")
        .unwrap()
        .contains(hash.as_str()));
    assert_eq!(
        c.client.get("/pkg/web/inkling.js").await.unwrap().text(),
        "export {}"
    );
}
