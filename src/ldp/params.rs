//! Validation of the parameters every mechanism shares.

use crate::error::{Error, Result};
use crate::json::{read_record, FromJson, Reader, Record, ToJson, Writer};
use crate::text::concat;

/// The largest ε accepted: beyond it a report is essentially the true value
/// (e^20 ≈ 4.9·10⁸), and `exp` would start to lose precision in the formulas.
pub const MAX_EPSILON: f64 = 20.0;

/// The largest domain accepted (bits in a unary report; 512 bytes on the wire).
pub const MAX_DOMAIN: usize = 4096;

/// Checks that `epsilon` is finite and in `(0, MAX_EPSILON]`.
pub fn check_epsilon(epsilon: f64, path: &str) -> Result<f64> {
    // One range test, which NaN and the infinities fail too.
    if !(epsilon > 0.0 && epsilon <= f64::MAX) {
        return Err(Error::out_of_range(
            path,
            "epsilon must be a finite number above 0",
        ));
    }
    if epsilon > MAX_EPSILON {
        return Err(Error::out_of_range(
            path,
            "epsilon above 20 gives no privacy",
        ));
    }
    Ok(epsilon)
}

/// Checks that `domain` is in `[2, MAX_DOMAIN]`.
pub fn check_domain(domain: usize, path: &str) -> Result<usize> {
    if domain < 2 {
        return Err(Error::out_of_range(
            path,
            "domain must have at least 2 values",
        ));
    }
    if domain > MAX_DOMAIN {
        return Err(Error::out_of_range(
            path,
            "domain has more than 4096 values",
        ));
    }
    Ok(domain)
}

/// The serialized form of a mechanism with an ε and a domain size, shared by
/// GRR and OUE: reading goes through the mechanism's constructor (see
/// [`read_validated`]), so a stored or received mechanism is validated exactly
/// like a new one.
#[derive(Default)]
pub(crate) struct EpsilonDomain {
    pub(crate) epsilon: f64,
    pub(crate) domain: usize,
}

impl ToJson for EpsilonDomain {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("epsilon", &self.epsilon);
            o.field("domain", &self.domain);
        });
    }
}

impl FromJson for EpsilonDomain {
    fn read(r: &mut Reader<'_>) -> Result<EpsilonDomain> {
        read_record(r)
    }
}

impl Record for EpsilonDomain {
    const KEYS: &'static [&'static str] = &["epsilon", "domain"];
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.epsilon),
            _ => r.read_into(&mut self.domain),
        }
    }
}

/// Reads the parameters `P` and builds `T` from them with its validating
/// conversion. The conversion names paths within the value (`/epsilon`); they are
/// prefixed with the value's own path, so a nested mechanism's error points into it.
pub(crate) fn read_validated<P, T>(r: &mut Reader<'_>) -> Result<T>
where
    P: FromJson,
    T: TryFrom<P, Error = Error>,
{
    let params = P::read(r)?;
    T::try_from(params).map_err(|e| within(&r.path(), e))
}

/// `e` with `prefix` put before its path.
pub(crate) fn within(prefix: &str, e: Error) -> Error {
    if prefix.is_empty() {
        return e;
    }
    Error::new(e.kind(), concat(&[prefix, e.path()]), e.message())
}
