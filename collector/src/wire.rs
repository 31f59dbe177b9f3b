//! The bridge to the core's wire format (`inkling::report`) and mechanisms
//! (`inkling::ldp`): the collector never defines its own report type.

use inkling::ldp::{GeneralizedRandomizedResponse, OptimizedUnaryEncoding};
use inkling::report::{Mechanism, Report};

/// What a metric's reports must say about their mechanism, computed by the core.
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    /// `oue` or `grr`.
    pub name: &'static str,
    /// Per-report ε.
    pub epsilon: f64,
    /// Number of buckets (= bits per report).
    pub domain: u32,
    /// Effective P(1 | true 1).
    pub p: f64,
    /// Effective P(1 | true 0).
    pub q: f64,
    /// Largest set a report encodes (unary encoding; 1 for single values).
    pub max_set: u32,
}

impl Expected {
    /// As the core's [`Mechanism`] (what a conforming report carries).
    pub fn mechanism(&self) -> Mechanism {
        Mechanism {
            name: self.name.to_owned(),
            epsilon: self.epsilon,
            domain: self.domain,
            p: self.p,
            q: self.q,
        }
    }
}

/// The mechanism a metric configured as `name`/`epsilon`/`domain` implies.
///
/// - `grr`: k-ary randomized response at ε (memoized GRR is exactly GRR at the
///   per-report ε): `p = e^ε/(e^ε + d − 1)`, `q = 1/(e^ε + d − 1)`.
/// - `oue` over sets of at most `k` values: OUE at ε/k per value (memoized unary
///   encoding is exactly that): `p = 1/2`, `q = 1/(e^{ε/k} + 1)`.
pub fn expected(name: &str, epsilon: f64, domain: usize, max_set: u32) -> Result<Expected, String> {
    let domain_u32 = u32::try_from(domain).map_err(|_| "domain too large".to_string())?;
    match name {
        "grr" => {
            let m =
                GeneralizedRandomizedResponse::new(epsilon, domain).map_err(|e| e.to_string())?;
            Ok(Expected {
                name: "grr",
                epsilon,
                domain: domain_u32,
                p: m.p(),
                q: m.q(),
                max_set: 1,
            })
        }
        "oue" => {
            let k = max_set.max(1);
            if k as usize >= domain {
                return Err("max_set must be below the domain size".into());
            }
            let m = OptimizedUnaryEncoding::new(epsilon / f64::from(k), domain)
                .map_err(|e| e.to_string())?;
            Ok(Expected {
                name: "oue",
                epsilon,
                domain: domain_u32,
                p: m.p(),
                q: m.q(),
                max_set: k,
            })
        }
        _ => Err("unknown mechanism".into()),
    }
}

/// Parses one report strictly (types, unknown, missing and repeated fields) with
/// the core's reader, without the value checks, so that the collector can name the
/// specific reason for each problem. The error names the field (`/mechanism/p: …`).
pub fn parse(raw: &str) -> Result<Report, String> {
    inkling::json::from_str::<Report>(raw).map_err(|e| e.to_string())
}

/// The buckets whose bit is set; `Err((true, _))` for a length problem,
/// `Err((false, _))` for bad base64url.
pub fn set_bits(report: &Report) -> Result<Vec<u32>, (bool, String)> {
    match report.decode_bits() {
        Ok(bits) => Ok(bits
            .iter()
            .enumerate()
            .filter(|(_, &b)| b)
            .map(|(i, _)| i as u32)
            .collect()),
        Err(e) => {
            let length =
                e.message().contains("length") || e.message().contains("beyond the domain");
            Err((length, e.message().to_owned()))
        }
    }
}

/// Whether the id is 128 bits of base64url.
pub fn check_id(report: &Report) -> Result<(), String> {
    match inkling::ldp::base64url::decode(&report.id, "/id") {
        Ok(bytes) if bytes.len() == inkling::report::ID_BYTES => Ok(()),
        Ok(_) => Err("id must be 128 bits (22 base64url characters)".into()),
        Err(e) => Err(e.message().to_owned()),
    }
}

/// The core's full validation (everything else it checks): `Err((path, message))`.
pub fn validate(report: &Report) -> Result<(), (String, String)> {
    report
        .validate()
        .map_err(|e| (e.path().to_owned(), e.to_string()))
}
