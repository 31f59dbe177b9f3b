//! The collector's configuration (`collector.toml`): every key has a default.
//!
//! The committed `collector.toml` at the repository root documents each key.
//! Validation happens once, at start-up, so a bad file stops the collector
//! with a message that names the key instead of failing at the first report.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole configuration.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port to listen on (loopback by default).
    pub listen: String,
    /// `sqlite:PATH` (created on first run, WAL mode) or `postgres://…`.
    pub database_url: String,
    /// The demo site's directory, served at `/` (relative to the working directory).
    pub www: PathBuf,
    /// The built npm package, served under `/pkg/`.
    pub pkg: PathBuf,
    /// Minimum number of reports (crowd size) below which nothing is released.
    pub k_min: u64,
    /// How many days a report id is remembered to drop replays.
    pub replay_window_days: u32,
    /// How far a device's clock may be off, in seconds, when checking a report's period.
    pub clock_skew_seconds: u32,
    /// Largest accepted request body in bytes (413 beyond).
    pub max_body_bytes: usize,
    /// Largest number of reports in one request.
    pub max_reports_per_request: usize,
    /// Per-client request rate limit (in memory only).
    pub rate_limit: RateLimitConfig,
    /// The sites whose reports are accepted.
    pub sites: Vec<SiteConfig>,
}

/// Token bucket parameters, per client address.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    /// Whether requests are rate limited at all.
    pub enabled: bool,
    /// Sustained requests per second a client may make.
    pub requests_per_second: f64,
    /// How many requests a client may make in a burst.
    pub burst: u32,
    /// How many client addresses are tracked at most (memory bound).
    pub max_clients: usize,
}

/// One site (brand property) that sends reports.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site id the devices put in each report's `site`.
    pub id: String,
    /// Origins (`scheme://host[:port]`) whose pages may send reports for this site.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// The site's non-sensitive topics in catalog order (labels for the dashboard).
    #[serde(default)]
    pub topics: Vec<String>,
    /// The metrics this site collects.
    #[serde(default)]
    pub metrics: Vec<MetricConfig>,
}

/// One metric and the mechanism its reports must use.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricConfig {
    /// Metric name (`interests`, `engagement`).
    pub name: String,
    /// `oue` or `grr`.
    pub mechanism: String,
    /// The per-report ε the devices must use; a report with any other ε is rejected.
    pub epsilon: f64,
    /// Domain size; for `interests` it defaults to the number of topics.
    #[serde(default)]
    pub domain: Option<u32>,
    /// Unary encoding of sets: the most values one report encodes (ε is split
    /// over them). Defaults to 3 for `interests` (top 3 topics), else 1.
    #[serde(default)]
    pub max_set: Option<u32>,
    /// Whether the metric is collected (switching it off never lowers privacy).
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl MetricConfig {
    /// `max_set`, or its default for the metric.
    pub fn max_set_or_default(&self) -> u32 {
        self.max_set
            .unwrap_or(if self.name == "interests" { 3 } else { 1 })
    }
}

fn yes() -> bool {
    true
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite:collector/data/inkling.sqlite".into(),
            www: PathBuf::from("www"),
            pkg: PathBuf::from("pkg"),
            k_min: 50,
            replay_window_days: 3,
            clock_skew_seconds: 900,
            max_body_bytes: 64 * 1024,
            max_reports_per_request: 50,
            rate_limit: RateLimitConfig::default(),
            sites: Vec::new(),
        }
    }
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            enabled: true,
            requests_per_second: 5.0,
            burst: 20,
            max_clients: 100_000,
        }
    }
}

/// The largest domain a metric may have (bounds memory and statement sizes).
pub const MAX_DOMAIN: u32 = 4096;

impl Config {
    /// Reads and validates a TOML file.
    pub fn from_file(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Config::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses and validates TOML text.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        config.validate()?;
        Ok(config)
    }

    /// Checks the values that serde cannot (ranges, duplicates, known mechanisms).
    pub fn validate(&self) -> Result<(), String> {
        if self.k_min < 1 {
            return Err("k_min must be at least 1".into());
        }
        // Reports are accepted for today and yesterday (plus skew), so the
        // window must cover at least that or a replay could slip through.
        if self.replay_window_days < 3 {
            return Err(
                "replay_window_days must be at least 3 (the accepted periods plus clock skew)"
                    .into(),
            );
        }
        if self.clock_skew_seconds > 86_400 {
            return Err("clock_skew_seconds must be at most 86400".into());
        }
        if !(1024..=16 * 1024 * 1024).contains(&self.max_body_bytes) {
            return Err("max_body_bytes must be between 1024 and 16777216".into());
        }
        if !(1..=1000).contains(&self.max_reports_per_request) {
            return Err("max_reports_per_request must be between 1 and 1000".into());
        }
        let rl = &self.rate_limit;
        if !(rl.requests_per_second.is_finite() && rl.requests_per_second > 0.0) || rl.burst < 1 {
            return Err(
                "rate_limit.requests_per_second must be > 0 and rate_limit.burst >= 1".into(),
            );
        }
        let mut ids = HashSet::new();
        for (i, site) in self.sites.iter().enumerate() {
            let at = format!("sites[{i}]");
            if site.id.is_empty() || site.id.len() > 128 {
                return Err(format!("{at}.id must be 1 to 128 characters"));
            }
            if !ids.insert(site.id.as_str()) {
                return Err(format!("{at}.id {:?} appears twice", site.id));
            }
            for o in &site.allowed_origins {
                if !(o.starts_with("http://") || o.starts_with("https://")) || o.ends_with('/') {
                    return Err(format!(
                        "{at}.allowed_origins: {o:?} is not an origin like https://example.com"
                    ));
                }
            }
            let mut names = HashSet::new();
            for (j, m) in site.metrics.iter().enumerate() {
                let at = format!("{at}.metrics[{j}]");
                if !names.insert(m.name.as_str()) {
                    return Err(format!("{at}.name {:?} appears twice", m.name));
                }
                if m.mechanism != "oue" && m.mechanism != "grr" {
                    return Err(format!("{at}.mechanism must be \"oue\" or \"grr\""));
                }
                if !(m.epsilon.is_finite() && m.epsilon > 0.0 && m.epsilon <= 20.0) {
                    return Err(format!("{at}.epsilon must be finite, > 0 and <= 20"));
                }
                let d = site.domain_of(m);
                if !(2..=MAX_DOMAIN).contains(&d) {
                    return Err(format!("{at}.domain must be between 2 and {MAX_DOMAIN} (or the site's topics list)"));
                }
                if m.mechanism == "oue" && !(1..d).contains(&m.max_set_or_default()) {
                    return Err(format!(
                        "{at}.max_set must be at least 1 and below the domain"
                    ));
                }
                if m.mechanism == "grr" && m.max_set.is_some_and(|k| k != 1) {
                    return Err(format!("{at}.max_set applies to oue only"));
                }
                if !site.topics.is_empty()
                    && m.name == "interests"
                    && d as usize != site.topics.len()
                {
                    return Err(format!(
                        "{at}.domain {d} differs from the {} topics listed",
                        site.topics.len()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The site with this id.
    pub fn site(&self, id: &str) -> Option<&SiteConfig> {
        self.sites.iter().find(|s| s.id == id)
    }

    /// Whether any site allows this origin (CORS preflight answer).
    pub fn origin_allowed_anywhere(&self, origin: &str) -> bool {
        self.sites.iter().any(|s| s.allows_origin(origin))
    }
}

impl SiteConfig {
    /// Whether pages from `origin` may send reports for this site.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o == origin)
    }

    /// The enabled metric with this name.
    pub fn metric(&self, name: &str) -> Option<&MetricConfig> {
        self.metrics.iter().find(|m| m.name == name && m.enabled)
    }

    /// The domain size of a metric: its own `domain`, else the topics list's length.
    pub fn domain_of(&self, metric: &MetricConfig) -> u32 {
        metric.domain.unwrap_or(self.topics.len() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::from_toml("").unwrap();
        assert_eq!(c.k_min, 50);
        assert_eq!(c.replay_window_days, 3);
        assert_eq!(c.max_body_bytes, 65536);
        assert_eq!(c.max_reports_per_request, 50);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        assert!(Config::from_toml("k_mim = 3").is_err());
        assert!(Config::from_toml("k_min = 0").is_err());
        let bad_eps = "[[sites]]\nid='a'\n[[sites.metrics]]\nname='e'\nmechanism='grr'\nepsilon=-1\ndomain=2\n";
        assert!(Config::from_toml(bad_eps).unwrap_err().contains("epsilon"));
        let bad_mech = "[[sites]]\nid='a'\n[[sites.metrics]]\nname='e'\nmechanism='rappor'\nepsilon=1\ndomain=2\n";
        assert!(Config::from_toml(bad_mech)
            .unwrap_err()
            .contains("mechanism"));
    }

    #[test]
    fn the_committed_example_is_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../collector.toml");
        let c = Config::from_file(&path).unwrap();
        let demo = c.site("demo").unwrap();
        assert_eq!(
            demo.domain_of(demo.metric("interests").unwrap()),
            demo.topics.len() as u32
        );
    }
}
