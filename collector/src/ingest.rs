//! `POST /v1/reports`: strict checks, then exactly-once counting.
//!
//! Whole-request refusals (nothing in the request is counted):
//! `413 body_too_large`, `400 malformed_json`, `400 not_an_array`,
//! `413 too_many_reports`, `403 origin_not_allowed`, `429 rate_limited`
//! (with `Retry-After`), `503 storage_unavailable`.
//!
//! Otherwise the answer is `200` with one result per report, in order:
//! `{"status":"accepted"}`, `{"status":"duplicate"}` or
//! `{"status":"rejected","reason":"…","detail":"…"}`. A bad report never affects
//! the others in its batch.
//!
//! A request without an `Origin` header (a server-side client) is checked like
//! any other, minus the origin check; browsers always send `Origin` on a
//! cross-origin `POST`.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt as _;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::metrics::Reason;
use crate::period::{self, PeriodCheck};
use crate::state::AppState;
use crate::store::{Stored, Tally};
use crate::wire;

/// One report's outcome, as sent back to the client.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Outcome {
    /// Counted.
    Accepted,
    /// Already counted (same id within the replay window).
    Duplicate,
    /// Refused, with the reason.
    Rejected {
        /// Machine-readable reason (also a `/metrics` label).
        reason: &'static str,
        /// What is wrong, for the developer.
        detail: String,
    },
}

#[derive(Serialize)]
struct BatchResponse {
    results: Vec<Outcome>,
    accepted: usize,
    duplicate: usize,
    rejected: usize,
}

/// A refusal of the whole request.
pub fn refuse(state: &AppState, status: StatusCode, reason: Reason, detail: &str) -> Response {
    state.metrics.rejected(reason);
    let body = serde_json::json!({ "error": reason.as_str(), "detail": detail });
    (status, axum::Json(body)).into_response()
}

/// The `POST /v1/reports` handler.
pub async fn post_reports(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    state.metrics.request();
    if let Err(retry_after) = state.limiter.check(peer.ip(), Instant::now()) {
        let mut r = refuse(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            Reason::RateLimited,
            "too many requests",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        return r;
    }
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(o) = &origin {
        if !state.config.origin_allowed_anywhere(o) {
            return refuse(
                &state,
                StatusCode::FORBIDDEN,
                Reason::OriginNotAllowed,
                "this origin may not send reports",
            );
        }
    }
    let mut response = ingest_body(&state, origin.as_deref(), &headers, body).await;
    if let Some(o) = origin {
        crate::cors::allow(response.headers_mut(), &o);
    }
    response
}

async fn ingest_body(
    state: &AppState,
    origin: Option<&str>,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let limit = state.config.max_body_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return refuse(
            state,
            StatusCode::PAYLOAD_TOO_LARGE,
            Reason::BodyTooLarge,
            "body larger than max_body_bytes",
        );
    }
    let bytes = match http_body_util::Limited::new(body, limit).collect().await {
        Ok(c) => c.to_bytes(),
        Err(e) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                return refuse(
                    state,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    Reason::BodyTooLarge,
                    "body larger than max_body_bytes",
                );
            }
            return refuse(
                state,
                StatusCode::BAD_REQUEST,
                Reason::MalformedJson,
                "the body could not be read",
            );
        }
    };
    let value: Box<RawValue> = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return refuse(
                state,
                StatusCode::BAD_REQUEST,
                Reason::MalformedJson,
                &e.to_string(),
            )
        }
    };
    let items: Vec<&RawValue> = match serde_json::from_str(value.get()) {
        Ok(v) => v,
        Err(_) => {
            return refuse(
                state,
                StatusCode::BAD_REQUEST,
                Reason::NotAnArray,
                "the body must be a JSON array of reports",
            )
        }
    };
    if items.len() > state.config.max_reports_per_request {
        return refuse(
            state,
            StatusCode::PAYLOAD_TOO_LARGE,
            Reason::TooManyReports,
            "more reports than max_reports_per_request",
        );
    }

    let now_ms = wall_clock_ms();
    let mut results: Vec<Option<Outcome>> = vec![None; items.len()];
    let mut tallies: Vec<Tally> = Vec::with_capacity(items.len());
    let mut slots: Vec<usize> = Vec::with_capacity(items.len());
    let mut ids_in_batch: HashSet<String> = HashSet::with_capacity(items.len());
    for (i, raw) in items.iter().enumerate() {
        match check_report(state, origin, raw.get(), now_ms) {
            Ok(t) => {
                if ids_in_batch.insert(t.id.clone()) {
                    tallies.push(t);
                    slots.push(i);
                } else {
                    results[i] = Some(Outcome::Duplicate);
                }
            }
            Err((reason, detail)) => {
                state.metrics.rejected(reason);
                results[i] = Some(Outcome::Rejected {
                    reason: reason.as_str(),
                    detail,
                });
            }
        }
    }
    let stored = match state.store.ingest(&tallies, period::day_of(now_ms)).await {
        Ok(s) => s,
        Err(e) => {
            // The error says what failed in the database, never what was sent.
            eprintln!("inkling-collector: storage error: {e}");
            return refuse(
                state,
                StatusCode::SERVICE_UNAVAILABLE,
                Reason::StorageUnavailable,
                "storage unavailable; retry later",
            );
        }
    };
    for (slot, s) in slots.into_iter().zip(stored) {
        results[slot] = Some(match s {
            Stored::Accepted => Outcome::Accepted,
            Stored::Duplicate => Outcome::Duplicate,
        });
    }
    let results: Vec<Outcome> = results
        .into_iter()
        .map(|r| r.unwrap_or(Outcome::Duplicate))
        .collect();
    let accepted = results.iter().filter(|r| **r == Outcome::Accepted).count();
    let duplicate = results.iter().filter(|r| **r == Outcome::Duplicate).count();
    state.metrics.accepted(accepted as u64);
    state.metrics.duplicate(duplicate as u64);
    let rejected = results.len() - accepted - duplicate;
    axum::Json(BatchResponse {
        results,
        accepted,
        duplicate,
        rejected,
    })
    .into_response()
}

/// Checks one report against the site's configuration; on success, what to count.
fn check_report(
    state: &AppState,
    origin: Option<&str>,
    raw: &str,
    now_ms: i64,
) -> Result<Tally, (Reason, String)> {
    let report = wire::parse(raw).map_err(|e| (Reason::MalformedReport, e))?;
    if report.v != inkling::report::REPORT_VERSION {
        return Err((
            Reason::UnsupportedVersion,
            "this collector knows report version 1".into(),
        ));
    }
    let site = state.config.site(&report.site).ok_or_else(|| {
        (
            Reason::UnknownSite,
            "no such site in this collector's config".to_string(),
        )
    })?;
    if let Some(o) = origin {
        if !site.allows_origin(o) {
            return Err((
                Reason::OriginNotAllowedForSite,
                "this origin may not send reports for this site".into(),
            ));
        }
    }
    let expected = state
        .expected(&report.site, &report.metric)
        .ok_or_else(|| {
            (
                Reason::UnknownMetric,
                "this metric is not enabled for the site".to_string(),
            )
        })?;
    if report.mechanism.name != expected.name {
        return Err((
            Reason::MechanismMismatch,
            format!("this metric uses {}", expected.name),
        ));
    }
    if !same(report.mechanism.epsilon, expected.epsilon) {
        return Err((
            Reason::EpsilonMismatch,
            format!("this metric uses epsilon {}", expected.epsilon),
        ));
    }
    if report.mechanism.domain != expected.domain {
        return Err((
            Reason::DomainMismatch,
            format!("this metric has domain {}", expected.domain),
        ));
    }
    if !same(report.mechanism.p, expected.p) || !same(report.mechanism.q, expected.q) {
        return Err((
            Reason::ProbabilitiesMismatch,
            "p and q must be the ones this epsilon and domain imply".into(),
        ));
    }
    let day = period::parse_day(&report.period).ok_or_else(|| {
        (
            Reason::MalformedPeriod,
            "period must be a UTC date YYYY-MM-DD".to_string(),
        )
    })?;
    match period::check_period(day, now_ms, state.config.clock_skew_seconds) {
        PeriodCheck::Accepted => {}
        PeriodCheck::Future => {
            return Err((Reason::PeriodInFuture, "period is after today (UTC)".into()))
        }
        PeriodCheck::TooOld => {
            return Err((
                Reason::PeriodTooOld,
                "period is before yesterday (UTC)".into(),
            ))
        }
    }
    wire::check_id(&report).map_err(|e| (Reason::MalformedId, e))?;
    let ones = wire::set_bits(&report).map_err(|(bad_length, e)| {
        (
            if bad_length {
                Reason::BitLengthMismatch
            } else {
                Reason::MalformedBits
            },
            e,
        )
    })?;
    // Whatever else the core's own validation finds.
    wire::validate(&report).map_err(|(path, e)| {
        let reason = match path.as_str() {
            "/bits" => Reason::MalformedBits,
            "/id" => Reason::MalformedId,
            "/period" => Reason::MalformedPeriod,
            "/v" => Reason::UnsupportedVersion,
            p if p.starts_with("/mechanism") => Reason::ProbabilitiesMismatch,
            _ => Reason::MalformedReport,
        };
        (reason, e)
    })?;
    Ok(Tally {
        site: report.site,
        period: report.period,
        metric: report.metric,
        ones,
        id: report.id,
    })
}

/// Two parameters are the same when they agree to 1e-9 (both come from the
/// same formulas; JSON round-trips f64 exactly, so this only absorbs
/// a client that printed fewer digits).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// The collector's clock (the core never reads it; the collector may).
pub fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
