//! `GET /v1/aggregates?site=…&metric=…&from=…&to=…`: the released estimates per
//! period and for the whole range (see [`crate::release`] for the rules).
//!
//! `from`/`to` are UTC days (`YYYY-MM-DD`, inclusive); `to` defaults to today and
//! `from` to 29 days before `to`; a range is at most 366 days.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::ingest::wall_clock_ms;
use crate::period;
use crate::release::{self, Probabilities, Release};
use crate::state::AppState;

/// The longest range one request may ask for, in days.
pub const MAX_RANGE_DAYS: i64 = 366;

/// The answer to one aggregates request.
#[derive(Clone, Debug, Serialize)]
pub struct Aggregates {
    /// Site id.
    pub site: String,
    /// Metric name.
    pub metric: String,
    /// The mechanism every counted report used.
    #[serde(serialize_with = "written")]
    pub mechanism: inkling::report::Mechanism,
    /// Minimum crowd size.
    pub k_min: u64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// First day (inclusive).
    pub from: String,
    /// Last day (inclusive).
    pub to: String,
    /// Bucket labels (topic ids; `no`/`yes` for a yes/no metric).
    pub labels: Vec<String>,
    /// One entry per day that has reports.
    pub periods: Vec<Release>,
    /// The whole range added up.
    pub total: Release,
}

/// Writes a core value with the core's own writer, embedded as it is: the core
/// types carry no serde implementation.
fn written<T: inkling::json::ToJson, S: serde::Serializer>(
    value: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    let raw = serde_json::value::RawValue::from_string(inkling::json::to_string(value))
        .map_err(serde::ser::Error::custom)?;
    raw.serialize(s)
}

/// A request that cannot be answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// HTTP status.
    pub status: StatusCode,
    /// What is wrong.
    pub message: String,
}

fn bad(status: StatusCode, message: &str) -> QueryError {
    QueryError {
        status,
        message: message.to_owned(),
    }
}

/// Computes the release for `site`/`metric` over `from..=to`.
pub async fn compute(
    state: &AppState,
    site_id: &str,
    metric: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Aggregates, QueryError> {
    let site = state
        .config
        .site(site_id)
        .ok_or_else(|| bad(StatusCode::NOT_FOUND, "unknown site"))?;
    let expected = state.expected(site_id, metric).ok_or_else(|| {
        bad(
            StatusCode::NOT_FOUND,
            "unknown or disabled metric for this site",
        )
    })?;
    let today = period::day_of(wall_clock_ms());
    let to_day = match to {
        Some(t) => period::parse_day(t)
            .ok_or_else(|| bad(StatusCode::BAD_REQUEST, "to must be YYYY-MM-DD"))?,
        None => today,
    };
    let from_day = match from {
        Some(f) => period::parse_day(f)
            .ok_or_else(|| bad(StatusCode::BAD_REQUEST, "from must be YYYY-MM-DD"))?,
        None => to_day - 29,
    };
    if from_day > to_day {
        return Err(bad(StatusCode::BAD_REQUEST, "from is after to"));
    }
    if to_day - from_day >= MAX_RANGE_DAYS {
        return Err(bad(StatusCode::BAD_REQUEST, "a range is at most 366 days"));
    }
    let (from_s, to_s) = (period::format_day(from_day), period::format_day(to_day));
    let sums = state
        .store
        .sums(site_id, metric, expected.domain, &from_s, &to_s)
        .await
        .map_err(|_| bad(StatusCode::SERVICE_UNAVAILABLE, "storage unavailable"))?;
    let labels = labels_for(site, metric, expected.name, expected.domain as usize);
    let rate_bucket = (expected.name == "grr" && expected.domain == 2).then_some(1);
    let probs = Probabilities {
        p: expected.p,
        q: expected.q,
    };
    let k_min = state.config.k_min;
    let periods = sums
        .iter()
        .map(|s| release::release(s, probs, k_min, &labels, rate_bucket))
        .collect();
    let whole = release::combine(&sums, format!("{from_s}..{to_s}"), expected.domain as usize);
    let total = release::release(&whole, probs, k_min, &labels, rate_bucket);
    Ok(Aggregates {
        site: site_id.to_owned(),
        metric: metric.to_owned(),
        mechanism: expected.mechanism(),
        k_min,
        confidence: 0.95,
        from: from_s,
        to: to_s,
        labels,
        periods,
        total,
    })
}

/// Bucket labels: the site's topics for unary-encoded metrics, `no`/`yes` for a
/// yes/no metric, else the bucket numbers.
pub fn labels_for(
    site: &crate::config::SiteConfig,
    metric: &str,
    mechanism: &str,
    domain: usize,
) -> Vec<String> {
    if mechanism == "oue" && site.topics.len() == domain && metric == "interests" {
        return site.topics.clone();
    }
    if mechanism == "grr" && domain == 2 {
        return vec!["no".into(), "yes".into()];
    }
    (0..domain).map(|i| i.to_string()).collect()
}

/// The handler.
pub async fn get_aggregates(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (Some(site), Some(metric)) = (q.get("site"), q.get("metric")) else {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(serde_json::json!({ "error": "site and metric are required" })),
        )
            .into_response();
    };
    match compute(
        &state,
        site,
        metric,
        q.get("from").map(String::as_str),
        q.get("to").map(String::as_str),
    )
    .await
    {
        Ok(a) => axum::Json(a).into_response(),
        Err(e) => (
            e.status,
            axum::Json(serde_json::json!({ "error": e.message })),
        )
            .into_response(),
    }
}

/// `GET /metrics`.
pub async fn get_metrics(State(state): State<AppState>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}
