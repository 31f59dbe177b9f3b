//! Shared helpers for the collector's integration tests: configs, reports built
//! with the core's own wire format, in-process and spawned collectors, and the
//! PostgreSQL switch.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};

use inkling::ldp::{Rng, SplitMix64};
use inkling::report::{Mechanism, Report};
use inkling_collector::client::LoopbackClient;
use inkling_collector::{period, wire, AppState, Config};
use tokio::io::AsyncBufReadExt;

/// The origin the test site allows.
pub const ORIGIN: &str = "https://shop.example";
/// Number of topics of the test site.
pub const TOPICS: usize = 8;

/// A config for one site `shop` with `interests` (OUE over 8 topics, sets of 3)
/// and `engagement` (binary RR), rate limiting off, `k_min` = 5.
pub fn test_config(database_url: &str) -> Config {
    let text = format!(
        r#"
database_url = "{database_url}"
k_min = 5
www = "{www}"
pkg = "{pkg}"
[rate_limit]
enabled = false
[[sites]]
id = "shop"
allowed_origins = ["{ORIGIN}"]
topics = ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"]
[[sites.metrics]]
name = "interests"
mechanism = "oue"
epsilon = 1.0
[[sites.metrics]]
name = "engagement"
mechanism = "grr"
epsilon = 1.0
domain = 2
"#,
        www = root().join("www").display(),
        pkg = root().join("pkg").display(),
    );
    Config::from_toml(&text).expect("test config is valid")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A fresh, empty temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let mut seed = [0u8; 8];
    getrandom::fill(&mut seed).expect("randomness");
    let dir = std::env::temp_dir().join(format!(
        "inkling-collector-{name}-{}-{}-{:x}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        u64::from_le_bytes(seed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A fresh SQLite database URL.
pub fn sqlite_url(name: &str) -> String {
    format!("sqlite:{}", temp_dir(name).join("inkling.sqlite").display())
}

/// Today's period (UTC).
pub fn today() -> String {
    period::format_day(period::day_of(inkling_collector::ingest::wall_clock_ms()))
}

/// A seeded generator of reports for the test site.
pub struct Reports {
    rng: SplitMix64,
}

impl Reports {
    /// A generator with this seed (ids differ between seeds).
    pub fn new(seed: u64) -> Self {
        Reports {
            rng: SplitMix64::new(seed),
        }
    }

    /// The mechanism the test site expects for `metric`.
    pub fn mechanism(metric: &str) -> Mechanism {
        let e = match metric {
            "interests" => wire::expected("oue", 1.0, TOPICS, 3),
            _ => wire::expected("grr", 1.0, 2, 1),
        };
        e.expect("mechanism").mechanism()
    }

    /// An `interests` report for today with the given bits set.
    pub fn interests(&mut self, ones: &[usize]) -> Report {
        let mut bits = vec![false; TOPICS];
        for &i in ones {
            bits[i] = true;
        }
        self.build("interests", &bits)
    }

    /// An `engagement` report for today (yes or no).
    pub fn engagement(&mut self, yes: bool) -> Report {
        self.build("engagement", &[!yes, yes])
    }

    /// A random valid `interests` report.
    pub fn random(&mut self) -> Report {
        let bits: Vec<bool> = (0..TOPICS)
            .map(|_| self.rng.next_u64().is_multiple_of(3))
            .collect();
        self.build("interests", &bits)
    }

    fn build(&mut self, metric: &str, bits: &[bool]) -> Report {
        Report {
            v: 1,
            site: "shop".into(),
            period: today(),
            metric: metric.into(),
            mechanism: Self::mechanism(metric),
            bits: inkling::report::pack_bits(bits),
            id: inkling::report::new_id(&mut self.rng),
        }
    }
}

/// A JSON array of reports.
pub fn batch(reports: &[Report]) -> String {
    let parts: Vec<String> = reports.iter().map(|r| r.to_json()).collect();
    format!("[{}]", parts.join(","))
}

/// A collector running inside the test process.
pub struct InProcess {
    /// Its state (store, metrics).
    pub state: AppState,
    /// A client for it.
    pub client: LoopbackClient,
}

/// Starts a collector in this process on a free loopback port.
pub async fn start_in_process(config: Config) -> InProcess {
    let state = inkling_collector::build(config)
        .await
        .expect("collector starts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let s = state.clone();
    tokio::spawn(async move { inkling_collector::serve(s, listener).await });
    let client = LoopbackClient::new(&format!("http://{addr}")).expect("client");
    InProcess { state, client }
}

/// A collector running as its own process (the real binary).
pub struct Spawned {
    /// The child process.
    pub child: tokio::process::Child,
    /// A client for it.
    pub client: LoopbackClient,
}

/// Writes `config` (as TOML for the binary) and starts `inkling-collector --config`.
pub async fn spawn_collector(dir: &std::path::Path, database_url: &str, name: &str) -> Spawned {
    let path = dir.join(format!("{name}.toml"));
    let text = format!(
        r#"
listen = "127.0.0.1:0"
database_url = "{database_url}"
k_min = 5
[rate_limit]
enabled = false
[[sites]]
id = "shop"
allowed_origins = ["{ORIGIN}"]
topics = ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"]
[[sites.metrics]]
name = "interests"
mechanism = "oue"
epsilon = 1.0
[[sites.metrics]]
name = "engagement"
mechanism = "grr"
epsilon = 1.0
domain = 2
"#
    );
    std::fs::write(&path, text).expect("write config");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_inkling-collector"))
        .arg("--config")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn collector");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = lines
        .next_line()
        .await
        .expect("read")
        .expect("collector printed its address");
    // "Inkling demo and collector: http://127.0.0.1:PORT/ (dashboard: …)"
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("address in the first line")
        .trim_end_matches('/')
        .to_owned();
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Spawned {
        child,
        client: LoopbackClient::new(&url).expect("client"),
    }
}

/// The PostgreSQL server for tests, from `INKLING_TEST_POSTGRES_URL`.
///
/// When it is unset: fails the test if `CI` or `INKLING_REQUIRE_POSTGRES` is set
/// (a CI run must not silently skip), otherwise says the test was skipped.
pub fn pg_url(test: &str) -> Option<String> {
    match std::env::var("INKLING_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            let required = std::env::var_os("CI").is_some()
                || std::env::var_os("INKLING_REQUIRE_POSTGRES").is_some();
            assert!(
                !required,
                "{test}: INKLING_TEST_POSTGRES_URL is not set, but CI/INKLING_REQUIRE_POSTGRES requires the PostgreSQL tests. \
                 Start a server with `bash scripts/pg start DIR` (npm test does) and export the URL it prints."
            );
            // Written to stderr directly so the test harness does not swallow it.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "{test}: SKIPPED (PostgreSQL): INKLING_TEST_POSTGRES_URL is not set"
            );
            None
        }
    }
}

/// A new, empty database on the test server; returns its URL.
pub async fn fresh_pg_database(base_url: &str) -> String {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let mut seed = [0u8; 8];
    getrandom::fill(&mut seed).expect("randomness");
    let name = format!("inkling_t_{:016x}", u64::from_le_bytes(seed));
    let pool = sqlx::AnyPool::connect(base_url)
        .await
        .expect("connect to INKLING_TEST_POSTGRES_URL");
    pool.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create database");
    pool.close().await;
    let (prefix, _) = base_url.rsplit_once('/').expect("URL has a database name");
    let prefix = prefix.to_owned();
    format!("{prefix}/{name}")
}

/// The store's total accepted reports and total bucket ones.
pub async fn totals(state: &AppState) -> (i64, i64) {
    (
        state.store.total_reports().await.expect("total"),
        state.store.total_ones().await.expect("ones"),
    )
}
