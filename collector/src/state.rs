//! What every handler shares: the configuration, the store, the counters, the
//! rate limiter, and each metric's expected mechanism (computed once by the core).

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use crate::store::Store;
use crate::wire::{self, Expected};

/// Shared application state (cheap to clone).
#[derive(Clone, Debug)]
pub struct AppState {
    /// The validated configuration.
    pub config: Arc<Config>,
    /// The database.
    pub store: Store,
    /// `/metrics` counters.
    pub metrics: Arc<Metrics>,
    /// Per-client token buckets.
    pub limiter: Arc<RateLimiter>,
    expected: Arc<HashMap<(String, String), Expected>>,
}

impl AppState {
    /// Builds the state; fails when a metric's mechanism cannot be constructed.
    pub fn new(config: Config, store: Store) -> Result<AppState, String> {
        let mut expected = HashMap::new();
        for site in &config.sites {
            for m in site.metrics.iter().filter(|m| m.enabled) {
                let e = wire::expected(
                    &m.mechanism,
                    m.epsilon,
                    site.domain_of(m) as usize,
                    m.max_set_or_default(),
                )
                .map_err(|e| format!("site {:?} metric {:?}: {e}", site.id, m.name))?;
                expected.insert((site.id.clone(), m.name.clone()), e);
            }
        }
        Ok(AppState {
            limiter: Arc::new(RateLimiter::new(config.rate_limit.clone())),
            config: Arc::new(config),
            store,
            metrics: Arc::new(Metrics::default()),
            expected: Arc::new(expected),
        })
    }

    /// The mechanism reports for `site`/`metric` must use (enabled metrics only).
    pub fn expected(&self, site: &str, metric: &str) -> Option<&Expected> {
        self.expected.get(&(site.to_owned(), metric.to_owned()))
    }
}
