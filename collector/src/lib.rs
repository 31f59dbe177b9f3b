//! The Inkling collector: an HTTP service that serves the demo site and the
//! npm package, and (as it grows) ingests private reports.
#![deny(missing_docs)]

use std::path::PathBuf;

use axum::Router;
use tower_http::services::ServeDir;

/// Where the static files come from.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// The demo site (`www/`).
    pub www: PathBuf,
    /// The built npm package (`pkg/`), served under `/pkg/`.
    pub pkg: PathBuf,
}

/// The HTTP application.
pub fn app(config: ServeConfig) -> Router {
    Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .nest_service("/pkg", ServeDir::new(config.pkg))
        .fallback_service(ServeDir::new(config.www))
}
