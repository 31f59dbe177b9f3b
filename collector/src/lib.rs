//! The Inkling collector: the brand's side of Inkling.
//!
//! It accepts the devices' locally differentially private reports
//! (`POST /v1/reports`), keeps only what aggregation needs (running sums per
//! site, period, metric and bucket, report counts, and report ids for the replay
//! window), and releases debiased estimates with 95% intervals for crowds of at
//! least `k_min` reports (`GET /v1/aggregates`, `GET /dashboard`). It also serves
//! the demo site and the npm package.
//!
//! No IP address, user agent or raw report is stored or logged: rate limiting
//! by client address happens in memory only.
#![deny(missing_docs)]

pub mod aggregates;
pub mod client;
pub mod config;
pub mod cors;
pub mod dashboard;
pub mod headers;
pub mod ingest;
pub mod metrics;
pub mod period;
pub mod ratelimit;
pub mod release;
pub mod state;
pub mod store;
pub mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use tower_http::services::ServeDir;

pub use config::Config;
pub use state::AppState;
pub use store::Store;

/// Where the static files come from.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// The demo site (`www/`).
    pub www: PathBuf,
    /// The built npm package (`pkg/`), served under `/pkg/`.
    pub pkg: PathBuf,
}

/// The HTTP application: API, dashboard, static files, security headers.
pub fn app(state: AppState) -> Router {
    let files = ServeConfig {
        www: state.config.www.clone(),
        pkg: state.config.pkg.clone(),
    };
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/v1/reports",
            post(ingest::post_reports).options(cors::preflight),
        )
        .route("/v1/aggregates", get(aggregates::get_aggregates))
        .route("/metrics", get(aggregates::get_metrics))
        .route("/dashboard", get(dashboard::get_dashboard))
        // The ingest handler enforces its own limit (with a specific reason).
        .layer(DefaultBodyLimit::disable())
        .nest_service("/pkg", ServeDir::new(files.pkg))
        .fallback_service(ServeDir::new(files.www))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

/// Opens the database (running migrations) and builds the shared state.
pub async fn build(config: Config) -> Result<AppState, String> {
    let store = Store::open(&config.database_url, 8)
        .await
        .map_err(|e| format!("database: {e}"))?;
    AppState::new(config, store).map_err(|e| format!("config: {e}"))
}

/// Serves on `listener` until the process ends; forgets report ids older than
/// the replay window every hour.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> Result<(), String> {
    let purger = state.clone();
    tokio::spawn(async move {
        loop {
            let today = period::day_of(ingest::wall_clock_ms());
            let keep_from = today - i64::from(purger.config.replay_window_days) + 1;
            if let Err(e) = purger.store.purge_ids_before(keep_from).await {
                eprintln!("inkling-collector: purge failed: {e}");
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
    .map_err(|e| format!("server: {e}"))
}
