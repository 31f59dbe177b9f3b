//! Load test of report ingest, on loopback only, bounded in time.
//!
//! ```text
//! cargo run --release -p inkling-collector --bin inkling-loadtest -- [--seconds 5] [--concurrency 2]
//!     [--batch 50] [--only sqlite|postgres] [--postgres URL] [--json FILE]
//! ```
//!
//! For SQLite (a fresh temp file) and PostgreSQL (a fresh database on
//! `--postgres`, else `INKLING_TEST_POSTGRES_URL`, else a throwaway cluster
//! started with `scripts/pg`), it starts a collector on 127.0.0.1, sends batches
//! of valid `interests` reports (49 topics, OUE, ε = 1, as the demo) from
//! `concurrency` keep-alive connections for `seconds`, and prints reports per
//! second and the p50/p99 latency of one batch request, then a JSON summary.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use inkling::ldp::{Rng, SplitMix64};
use inkling::report::Report;
use inkling_collector::client::LoopbackClient;
use inkling_collector::{period, wire, Config};
use serde_json::json;

const TOPICS: usize = 49;

struct Options {
    seconds: f64,
    concurrency: usize,
    batch: usize,
    only: Option<String>,
    postgres: Option<String>,
    json: Option<PathBuf>,
}

fn usage() -> ! {
    eprintln!(
        "usage: inkling-loadtest [--seconds S] [--concurrency C] [--batch B] [--only sqlite|postgres] \
         [--postgres URL] [--json FILE]"
    );
    std::process::exit(2)
}

fn options() -> Options {
    let mut o = Options {
        seconds: 5.0,
        concurrency: 2,
        batch: 50,
        only: None,
        postgres: std::env::var("INKLING_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty()),
        json: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut v = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--seconds" => o.seconds = v().parse().unwrap_or_else(|_| usage()),
            "--concurrency" => o.concurrency = v().parse().unwrap_or_else(|_| usage()),
            "--batch" => o.batch = v().parse().unwrap_or_else(|_| usage()),
            "--only" => o.only = Some(v()),
            "--postgres" => o.postgres = Some(v()),
            "--json" => o.json = Some(PathBuf::from(v())),
            _ => usage(),
        }
    }
    if !(0.5..=600.0).contains(&o.seconds) || o.concurrency == 0 || !(1..=50).contains(&o.batch) {
        usage()
    }
    o
}

fn config(database_url: &str) -> Config {
    let topics: Vec<String> = (0..TOPICS).map(|i| format!("\"t{i}\"")).collect();
    let text = format!(
        "database_url = \"{database_url}\"\n[rate_limit]\nenabled = false\n\
         [[sites]]\nid = \"load\"\ntopics = [{}]\n\
         [[sites.metrics]]\nname = \"interests\"\nmechanism = \"oue\"\nepsilon = 1.0\n",
        topics.join(",")
    );
    Config::from_toml(&text).unwrap_or_else(|e| fail(&e))
}

fn fail(message: &str) -> ! {
    eprintln!("inkling-loadtest: {message}");
    std::process::exit(1)
}

fn batch_body(
    rng: &mut SplitMix64,
    n: usize,
    today: &str,
    mechanism: &inkling::report::Mechanism,
) -> String {
    let mut parts = Vec::with_capacity(n);
    for _ in 0..n {
        let bits: Vec<bool> = (0..TOPICS).map(|_| rng.next_u64() % 100 < 45).collect();
        let r = Report {
            v: 1,
            site: "load".into(),
            period: today.to_owned(),
            metric: "interests".into(),
            mechanism: mechanism.clone(),
            bits: inkling::report::pack_bits(&bits),
            id: inkling::report::new_id(rng),
        };
        parts.push(r.to_json());
    }
    format!("[{}]", parts.join(","))
}

/// Runs one backend; returns its JSON summary.
async fn run(name: &str, database_url: &str, o: &Options) -> serde_json::Value {
    let state = inkling_collector::build(config(database_url))
        .await
        .unwrap_or_else(|e| fail(&e));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| fail(&e.to_string()));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let s = state.clone();
    tokio::spawn(async move { inkling_collector::serve(s, listener).await });
    let client = LoopbackClient::new(&format!("http://{addr}")).unwrap_or_else(|e| fail(&e));
    let mechanism = Arc::new(
        wire::expected("oue", 1.0, TOPICS, 3)
            .unwrap_or_else(|e| fail(&e))
            .mechanism(),
    );
    let today = period::format_day(period::day_of(inkling_collector::ingest::wall_clock_ms()));

    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(o.seconds);
    let mut tasks = Vec::new();
    for worker in 0..o.concurrency {
        let (client, mechanism, today, batch) =
            (client.clone(), mechanism.clone(), today.clone(), o.batch);
        tasks.push(tokio::spawn(async move {
            let mut rng =
                SplitMix64::new(0x5eed ^ (worker as u64) << 32 ^ start.elapsed().as_nanos() as u64);
            let mut latencies = Vec::new();
            let (mut accepted, mut failed) = (0u64, 0u64);
            while Instant::now() < deadline {
                let body = batch_body(&mut rng, batch, &today, &mechanism);
                let t = Instant::now();
                match client.post_reports(body, &[]).await {
                    Ok(r) if r.status == 200 => {
                        latencies.push((t.elapsed(), t.duration_since(start)));
                        accepted += r.json()["accepted"].as_u64().unwrap_or(0);
                    }
                    _ => failed += 1,
                }
            }
            (latencies, accepted, failed)
        }));
    }
    let mut latencies = Vec::new();
    let (mut accepted, mut failed) = (0u64, 0u64);
    for t in tasks {
        let (l, a, f) = t.await.unwrap_or_else(|e| fail(&e.to_string()));
        latencies.extend(l);
        accepted += a;
        failed += f;
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort();
    let slowest: Vec<String> = latencies
        .iter()
        .rev()
        .take(5)
        .map(|(l, at)| format!("{:.0}ms@{:.2}s", l.as_secs_f64() * 1e3, at.as_secs_f64()))
        .collect();
    eprintln!("{name}: slowest requests {slowest:?}");
    let latencies: Vec<Duration> = latencies.into_iter().map(|(l, _)| l).collect();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return f64::NAN;
        }
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i].as_secs_f64() * 1000.0
    };
    let stored = state.store.total_reports().await.unwrap_or(-1);
    let summary = json!({
        "backend": name,
        "seconds": elapsed,
        "concurrency": o.concurrency,
        "batch": o.batch,
        "requests": latencies.len(),
        "failed_requests": failed,
        "reports_accepted": accepted,
        "reports_stored": stored,
        "reports_per_second": accepted as f64 / elapsed,
        "latency_ms_p50": pct(0.50),
        "latency_ms_p99": pct(0.99),
    });
    println!(
        "{name:>8}: {:>8.0} reports/s  p50 {:>6.2} ms  p99 {:>6.2} ms per batch of {}  ({} requests, {} failed, {} stored)",
        accepted as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        o.batch,
        latencies.len(),
        failed,
        stored
    );
    state.store.close().await;
    summary
}

async fn fresh_pg_database(base_url: &str) -> String {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let name = format!("inkling_load_{}", std::process::id());
    let pool = sqlx::AnyPool::connect(base_url)
        .await
        .unwrap_or_else(|e| fail(&format!("postgres: {e}")));
    let _ = pool
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name}"
        )))
        .await;
    pool.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap_or_else(|e| fail(&format!("postgres: {e}")));
    pool.close().await;
    let (prefix, _) = base_url
        .rsplit_once('/')
        .unwrap_or_else(|| fail("postgres URL needs a database name"));
    format!("{prefix}/{name}")
}

#[tokio::main]
async fn main() {
    let o = options();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let tmp = std::env::temp_dir().join(format!("inkling-loadtest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap_or_else(|e| fail(&e.to_string()));
    let mut results = Vec::new();
    println!(
        "inkling-loadtest: {} s per backend, {} connections, batches of {} reports, loopback only",
        o.seconds, o.concurrency, o.batch
    );
    if o.only.as_deref() != Some("postgres") {
        let url = format!("sqlite:{}", tmp.join("load.sqlite").display());
        results.push(run("sqlite", &url, &o).await);
    }
    if o.only.as_deref() != Some("sqlite") {
        let mut own_cluster = None;
        let base = match &o.postgres {
            Some(u) => u.clone(),
            None => {
                let dir = tmp.join("pg");
                let out = std::process::Command::new("bash")
                    .arg(root.join("scripts/pg"))
                    .arg("start")
                    .arg(&dir)
                    .output()
                    .unwrap_or_else(|e| fail(&format!("scripts/pg: {e}")));
                if !out.status.success() {
                    fail(&format!(
                        "scripts/pg start failed: {}",
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
                own_cluster = Some(dir);
                String::from_utf8_lossy(&out.stdout).trim().to_owned()
            }
        };
        let url = fresh_pg_database(&base).await;
        results.push(run("postgres", &url, &o).await);
        if let Some(dir) = own_cluster {
            let _ = std::process::Command::new("bash")
                .arg(root.join("scripts/pg"))
                .arg("stop")
                .arg(&dir)
                .status();
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let summary = json!({ "inkling_loadtest": results });
    println!("{summary}");
    if let Some(path) = &o.json {
        if let Err(e) = std::fs::write(path, format!("{summary:#}\n")) {
            fail(&format!("cannot write {}: {e}", path.display()));
        }
    }
}
