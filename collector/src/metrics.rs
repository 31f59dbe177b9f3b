//! Counters for `GET /metrics` (Prometheus text format): one per outcome and
//! per rejection reason. Only counts: nothing about who sent what.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a whole request, or one report in it, was refused. The `as_str` names
/// are the `reason` strings clients see and the `reason` label in `/metrics`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    // Whole request.
    /// The body is larger than `max_body_bytes` (413).
    BodyTooLarge,
    /// The body is not JSON (400).
    MalformedJson,
    /// The body is JSON but not an array of reports (400).
    NotAnArray,
    /// More than `max_reports_per_request` reports (413).
    TooManyReports,
    /// The request's `Origin` is not allowed by any site (403).
    OriginNotAllowed,
    /// The client sent too many requests (429).
    RateLimited,
    /// The database could not be reached (503); nothing was counted.
    StorageUnavailable,
    // One report.
    /// Not a report object: wrong types, missing or unknown fields, numbers out of range.
    MalformedReport,
    /// `v` is not a version this collector knows.
    UnsupportedVersion,
    /// `site` is not configured.
    UnknownSite,
    /// The page's origin may not send reports for this report's site.
    OriginNotAllowedForSite,
    /// The metric is not enabled for the site.
    UnknownMetric,
    /// `period` is not a `YYYY-MM-DD` date.
    MalformedPeriod,
    /// `period` is after today (beyond the clock skew).
    PeriodInFuture,
    /// `period` is before yesterday (beyond the clock skew).
    PeriodTooOld,
    /// The mechanism is not the one the site's config sets.
    MechanismMismatch,
    /// ε differs from the site's config (a client cannot choose a weaker ε).
    EpsilonMismatch,
    /// The domain size differs from the site's config.
    DomainMismatch,
    /// `p`/`q` are not the ones the configured mechanism implies.
    ProbabilitiesMismatch,
    /// `bits` is not base64url without padding.
    MalformedBits,
    /// `bits` does not hold exactly the domain's number of bits.
    BitLengthMismatch,
    /// `id` is not a 128-bit base64url value.
    MalformedId,
}

impl Reason {
    /// Every reason, in the order `/metrics` lists them.
    pub const ALL: [Reason; 22] = [
        Reason::BodyTooLarge,
        Reason::MalformedJson,
        Reason::NotAnArray,
        Reason::TooManyReports,
        Reason::OriginNotAllowed,
        Reason::RateLimited,
        Reason::StorageUnavailable,
        Reason::MalformedReport,
        Reason::UnsupportedVersion,
        Reason::UnknownSite,
        Reason::OriginNotAllowedForSite,
        Reason::UnknownMetric,
        Reason::MalformedPeriod,
        Reason::PeriodInFuture,
        Reason::PeriodTooOld,
        Reason::MechanismMismatch,
        Reason::EpsilonMismatch,
        Reason::DomainMismatch,
        Reason::ProbabilitiesMismatch,
        Reason::MalformedBits,
        Reason::BitLengthMismatch,
        Reason::MalformedId,
    ];

    /// The machine-readable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::BodyTooLarge => "body_too_large",
            Reason::MalformedJson => "malformed_json",
            Reason::NotAnArray => "not_an_array",
            Reason::TooManyReports => "too_many_reports",
            Reason::OriginNotAllowed => "origin_not_allowed",
            Reason::RateLimited => "rate_limited",
            Reason::StorageUnavailable => "storage_unavailable",
            Reason::MalformedReport => "malformed_report",
            Reason::UnsupportedVersion => "unsupported_version",
            Reason::UnknownSite => "unknown_site",
            Reason::OriginNotAllowedForSite => "origin_not_allowed_for_site",
            Reason::UnknownMetric => "unknown_metric",
            Reason::MalformedPeriod => "malformed_period",
            Reason::PeriodInFuture => "period_in_future",
            Reason::PeriodTooOld => "period_too_old",
            Reason::MechanismMismatch => "mechanism_mismatch",
            Reason::EpsilonMismatch => "epsilon_mismatch",
            Reason::DomainMismatch => "domain_mismatch",
            Reason::ProbabilitiesMismatch => "probabilities_mismatch",
            Reason::MalformedBits => "malformed_bits",
            Reason::BitLengthMismatch => "bit_length_mismatch",
            Reason::MalformedId => "malformed_id",
        }
    }

    fn index(self) -> usize {
        Reason::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }
}

/// The counters, shared by every request handler.
#[derive(Debug, Default)]
pub struct Metrics {
    accepted: AtomicU64,
    duplicate: AtomicU64,
    requests: AtomicU64,
    rejected: [AtomicU64; Reason::ALL.len()],
}

impl Metrics {
    /// Counts one ingest request.
    pub fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts accepted reports.
    pub fn accepted(&self, n: u64) {
        self.accepted.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts duplicate reports.
    pub fn duplicate(&self, n: u64) {
        self.duplicate.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts one rejection (of a request or of one report).
    pub fn rejected(&self, reason: Reason) {
        self.rejected[reason.index()].fetch_add(1, Ordering::Relaxed);
    }

    /// The current value of a rejection counter.
    pub fn rejected_count(&self, reason: Reason) -> u64 {
        self.rejected[reason.index()].load(Ordering::Relaxed)
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        out.push_str("# HELP inkling_ingest_requests_total Requests to POST /v1/reports.\n");
        out.push_str("# TYPE inkling_ingest_requests_total counter\n");
        let _ = writeln!(
            out,
            "inkling_ingest_requests_total {}",
            self.requests.load(Ordering::Relaxed)
        );
        out.push_str("# HELP inkling_reports_total Reports by outcome.\n");
        out.push_str("# TYPE inkling_reports_total counter\n");
        let _ = writeln!(
            out,
            "inkling_reports_total{{outcome=\"accepted\"}} {}",
            self.accepted.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "inkling_reports_total{{outcome=\"duplicate\"}} {}",
            self.duplicate.load(Ordering::Relaxed)
        );
        out.push_str("# HELP inkling_rejections_total Refused requests or reports, by reason.\n");
        out.push_str("# TYPE inkling_rejections_total counter\n");
        for r in Reason::ALL {
            let _ = writeln!(
                out,
                "inkling_rejections_total{{reason=\"{}\"}} {}",
                r.as_str(),
                self.rejected_count(r)
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_its_own_counter() {
        let m = Metrics::default();
        m.rejected(Reason::EpsilonMismatch);
        m.rejected(Reason::EpsilonMismatch);
        m.rejected(Reason::MalformedId);
        let text = m.render();
        assert!(text.contains("inkling_rejections_total{reason=\"epsilon_mismatch\"} 2\n"));
        assert!(text.contains("inkling_rejections_total{reason=\"malformed_id\"} 1\n"));
        assert!(text.contains("inkling_rejections_total{reason=\"domain_mismatch\"} 0\n"));
        let names: std::collections::HashSet<_> = Reason::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(names.len(), Reason::ALL.len());
    }
}
