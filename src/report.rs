//! The report a device sends, exactly as it travels: the wire format shared with the collector.
//!
//! ```json
//! { "v": 1, "site": "demo", "period": "2026-11-23", "metric": "interests",
//!   "mechanism": { "name": "oue", "epsilon": 1.0, "domain": 37, "p": 0.5, "q": 0.4174 },
//!   "bits": "base64url…", "id": "<128-bit random, base64url>" }
//! ```
//!
//! - `period` is a UTC day (`YYYY-MM-DD`): nothing finer than the day is sent.
//! - `mechanism.p` / `mechanism.q` are the *effective* probabilities that a true 1 and
//!   a true 0 are reported as 1, permanent and instantaneous steps combined, so any
//!   collector debiases bucket `i` with `(count_i − n·q)/(p − q)`
//!   ([`Mechanism::estimate`]); `epsilon` is the privacy of the whole report.
//! - `bits` holds `domain` bits packed least-significant bit first (bit `i` is
//!   byte `i / 8`, mask `1 << (i % 8)`), unused high bits zero, base64url without
//!   padding. For `oue`, bit `i` is the i-th non-sensitive topic in catalog order;
//!   for `grr` exactly one bit is set (the reported value), so a one-bit metric
//!   (`engagement`: bit 0 = no, bit 1 = yes) holds one byte.
//! - `id` is 16 random bytes (base64url, 22 characters), new for every report, so the
//!   collector can drop replays. It identifies the report, never the visitor.
//!
//! Nothing else is allowed: reading rejects unknown, missing and repeated fields
//! and values of the wrong type, and [`Report::validate`] checks every value.

use crate::error::{Error, Result};
use crate::json::{read_in, read_record, FromJson, Reader, Record, ToJson, Writer};
use crate::ldp::{base64url, estimate, MechanismKind, MAX_DOMAIN};
use crate::text::uint_digits;

/// The wire format version this build writes and reads.
pub const REPORT_VERSION: u8 = 1;

/// The error message for a bad site id or metric name in a report.
const BAD_NAME: &str = "empty, too long or has characters outside the allowed set";

/// The number of random bytes in a report id (128 bits).
pub const ID_BYTES: usize = 16;

/// One privacy-preserving report. Read it with [`Report::from_json`], or with
/// [`crate::json::from_str`] (structure and types only) followed by
/// [`validate`](Report::validate).
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Format version, always [`REPORT_VERSION`].
    pub v: u8,
    /// The site id (`[A-Za-z0-9._-]`, 1–64 characters).
    pub site: String,
    /// The UTC day the report describes, `YYYY-MM-DD`.
    pub period: String,
    /// The metric name (`[a-z0-9_-]`, 1–32 characters), e.g. `interests`, `engagement`.
    pub metric: String,
    /// How the bits were randomized.
    pub mechanism: Mechanism,
    /// `domain` bits, LSB first, base64url without padding.
    pub bits: String,
    /// 128 random bits, base64url without padding (22 characters).
    pub id: String,
}

/// The randomization a report went through, with its effective probabilities.
#[derive(Clone, Debug, PartialEq)]
pub struct Mechanism {
    /// `"oue"` (unary encoding) or `"grr"` (k-ary randomized response).
    pub name: String,
    /// Privacy of the whole report: any two true values give any output with a
    /// probability ratio of at most e^ε.
    pub epsilon: f64,
    /// Number of buckets (bits in `bits`).
    pub domain: u32,
    /// Probability that a true 1 is reported as 1.
    pub p: f64,
    /// Probability that a true 0 is reported as 1.
    pub q: f64,
}

impl Mechanism {
    /// Every field empty or zero: [`Mechanism::default`], as a constant.
    const EMPTY: Mechanism = Mechanism {
        name: String::new(),
        epsilon: 0.0,
        domain: 0,
        p: 0.0,
        q: 0.0,
    };
}

impl Default for Mechanism {
    fn default() -> Mechanism {
        Mechanism::EMPTY
    }
}

impl ToJson for Mechanism {
    /// The fields in declaration order: the wire format.
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("name", &self.name);
            o.field("epsilon", &self.epsilon);
            o.field("domain", &self.domain);
            o.field("p", &self.p);
            o.field("q", &self.q);
        });
    }
}

impl FromJson for Mechanism {
    /// Every field required, nothing else allowed; the values are checked by
    /// [`validate`](Mechanism::validate).
    fn read(r: &mut Reader<'_>) -> Result<Mechanism> {
        read_record(r)
    }
}

impl Record for Mechanism {
    const KEYS: &'static [&'static str] = &["name", "epsilon", "domain", "p", "q"];
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.name),
            1 => r.read_into(&mut self.epsilon),
            2 => r.read_into(&mut self.domain),
            3 => r.read_into(&mut self.p),
            _ => r.read_into(&mut self.q),
        }
    }
}

impl Mechanism {
    /// The mechanism kind named by `name`, if known.
    pub fn kind(&self) -> Option<MechanismKind> {
        MechanismKind::from_name(&self.name)
    }

    /// Checks the parameters (path prefix `/mechanism`).
    ///
    /// Beyond ranges, it checks that `p` and `q` cannot leak more than `epsilon`
    /// claims for a single value (`ln(p/q)` for GRR, `ln(p(1−q)/(q(1−p)))` for unary
    /// encoding), and that GRR's probabilities add up (`p + (d − 1)q = 1`).
    pub fn validate(&self) -> Result<()> {
        let kind = self.kind().ok_or_else(|| {
            Error::invalid(
                "/mechanism/name",
                "unknown mechanism (expected \"oue\" or \"grr\")",
            )
        })?;
        crate::ldp::check_epsilon(self.epsilon, "/mechanism/epsilon")?;
        if self.domain < 2 || self.domain as usize > MAX_DOMAIN {
            return Err(Error::out_of_range(
                "/mechanism/domain",
                "domain must be between 2 and 4096",
            ));
        }
        // One range test per probability: NaN and the infinities fail it too.
        let bad = |v: f64| !(v > 0.0 && v < 1.0);
        if bad(self.p) || bad(self.q) {
            return Err(Error::out_of_range(
                if bad(self.p) {
                    "/mechanism/p"
                } else {
                    "/mechanism/q"
                },
                "probability must be strictly between 0 and 1",
            ));
        }
        if self.p <= self.q {
            return Err(Error::out_of_range(
                "/mechanism/p",
                "p must be greater than q",
            ));
        }
        let leak = crate::math::ln(match kind {
            MechanismKind::Grr => self.p / self.q,
            MechanismKind::Oue => self.p * (1.0 - self.q) / (self.q * (1.0 - self.p)),
        });
        if leak > self.epsilon * (1.0 + 1e-9) + 1e-12 {
            return Err(Error::out_of_range(
                "/mechanism",
                "p and q leak more than epsilon allows",
            ));
        }
        if kind == MechanismKind::Grr {
            let total = self.p + (self.domain as f64 - 1.0) * self.q;
            if (total - 1.0).abs() > 1e-9 {
                return Err(Error::out_of_range(
                    "/mechanism",
                    "grr probabilities must add up to 1",
                ));
            }
        }
        Ok(())
    }

    /// True when `self` is `expected` as configured: same name, ε and domain exactly,
    /// and `p`, `q` within 1e-9 (they are computed with `exp`, whose last bit may
    /// differ between the browser and the server). A collector uses this so that a
    /// client can never choose a weaker mechanism.
    pub fn agrees_with(&self, expected: &Mechanism) -> bool {
        self.name == expected.name
            && self.epsilon == expected.epsilon
            && self.domain == expected.domain
            && (self.p - expected.p).abs() <= 1e-9
            && (self.q - expected.q).abs() <= 1e-9
    }

    /// Debiased counts per bucket from `counts[i]` (reports with bit `i` set) of `n` reports.
    pub fn estimate(&self, counts: &[u64], n: u64) -> Vec<f64> {
        estimate::debias(counts, n, self.p, self.q)
    }

    /// Variance of one debiased count when a fraction `f` of the `n` visitors truly have the bucket.
    pub fn variance(&self, n: u64, f: f64) -> f64 {
        estimate::count_variance(n, f, self.p, self.q)
    }

    /// Plug-in standard error of a debiased count (see [`estimate::standard_error`]).
    pub fn standard_error(&self, n: u64, estimate: f64) -> f64 {
        estimate::standard_error(n, estimate, self.p, self.q)
    }
}

impl Report {
    /// Every field empty or zero: [`Report::default`], as a constant. A derived
    /// `Default` built each empty string with a call of its own (a report is read over
    /// its default); a constant is copied in a few stores.
    const EMPTY: Report = Report {
        v: 0,
        site: String::new(),
        period: String::new(),
        metric: String::new(),
        mechanism: Mechanism::EMPTY,
        bits: String::new(),
        id: String::new(),
    };
}

impl Default for Report {
    fn default() -> Report {
        Report::EMPTY
    }
}

impl ToJson for Report {
    /// The fields in declaration order: the wire format.
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("v", &self.v);
            o.field("site", &self.site);
            o.field("period", &self.period);
            o.field("metric", &self.metric);
            o.field("mechanism", &self.mechanism);
            o.field("bits", &self.bits);
            o.field("id", &self.id);
        });
    }
}

impl FromJson for Report {
    /// The structure and types only: every field required, nothing else allowed.
    /// The values are checked by [`validate`](Report::validate), separately, so that a
    /// collector can tell a malformed report from one it refuses for its content.
    fn read(r: &mut Reader<'_>) -> Result<Report> {
        read_record(r)
    }
}

impl Record for Report {
    const KEYS: &'static [&'static str] =
        &["v", "site", "period", "metric", "mechanism", "bits", "id"];
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.v),
            1 => r.read_into(&mut self.site),
            2 => r.read_into(&mut self.period),
            3 => r.read_into(&mut self.metric),
            4 => read_in(r, &mut self.mechanism),
            5 => r.read_into(&mut self.bits),
            _ => r.read_into(&mut self.id),
        }
    }
}

impl Report {
    /// Parses and validates one report from JSON text.
    pub fn from_json(text: &str) -> Result<Report> {
        let report: Report = crate::json::from_str(text)?;
        report.validate()?;
        Ok(report)
    }

    /// The report as compact JSON: exactly the bytes that are sent.
    pub fn to_json(&self) -> String {
        crate::json::to_string(self)
    }

    /// Checks every field; the error's path names the first bad one.
    pub fn validate(&self) -> Result<()> {
        if self.v != REPORT_VERSION {
            return Err(Error::new(
                crate::error::ErrorKind::Unsupported,
                "/v",
                "unknown report version",
            ));
        }
        check_name(&self.site, false, "/site", BAD_NAME)?;
        day_of_period(&self.period)?;
        check_name(&self.metric, true, "/metric", BAD_NAME)?;
        self.mechanism.validate()?;
        let mut set = 0;
        // Over the bytes borrowed: the list is then dropped as any byte list is, with no
        // consuming iterator compiled for this one loop.
        for b in &self.bit_bytes()? {
            set += b.count_ones();
        }
        if self.mechanism.kind() == Some(MechanismKind::Grr) && set != 1 {
            return Err(Error::invalid(
                "/bits",
                "a grr report has exactly one bit set",
            ));
        }
        let id = base64url::decode(&self.id, "/id")?;
        if id.len() != ID_BYTES {
            return Err(Error::invalid(
                "/id",
                "id must be 128 bits (22 base64url characters)",
            ));
        }
        Ok(())
    }

    /// The `domain` bits of the report, checked: right length, unused bits zero.
    pub fn decode_bits(&self) -> Result<Vec<bool>> {
        let bytes = self.bit_bytes()?;
        Ok(unpack_bits(&bytes, self.mechanism.domain as usize))
    }

    /// The bytes of `bits`, checked as [`decode_bits`](Report::decode_bits) checks them:
    /// validating counts the bits set in them without unpacking every bit.
    fn bit_bytes(&self) -> Result<Vec<u8>> {
        let domain = self.mechanism.domain as usize;
        let bytes = base64url::decode(&self.bits, "/bits")?;
        if bytes.len() != domain.div_ceil(8) {
            return Err(Error::invalid(
                "/bits",
                "bit length does not match the domain",
            ));
        }
        // The bits beyond the domain are the high bits of the last byte.
        if domain % 8 != 0 && bytes[bytes.len() - 1] >> (domain % 8) != 0 {
            return Err(Error::invalid(
                "/bits",
                "bits beyond the domain must be zero",
            ));
        }
        Ok(bytes)
    }

    /// The UTC day number of `period` (days since 1970-01-01).
    pub fn day(&self) -> Result<i64> {
        day_of_period(&self.period)
    }
}

/// Checks a site id (`metric` false: `[A-Za-z0-9._-]`, 1–64 characters) or metric
/// name (`metric` true: `[a-z0-9_-]`, 1–32 characters); else `message` at `path`.
pub(crate) fn check_name(s: &str, metric: bool, path: &str, message: &str) -> Result<()> {
    let max = if metric { 32 } else { 64 };
    // Every allowed character is ASCII, so checking bytes is checking characters.
    let ok = s.bytes().all(|c| {
        c.is_ascii_digit()
            || c == b'_'
            || c == b'-'
            || if metric {
                c.is_ascii_lowercase()
            } else {
                c.is_ascii_alphabetic() || c == b'.'
            }
    });
    if s.is_empty() || s.len() > max || !ok {
        return Err(Error::invalid(path, message));
    }
    Ok(())
}

/// Packs bits least-significant bit first and encodes them as base64url without padding.
pub fn pack_bits(bits: &[bool]) -> String {
    let mut bytes = vec![0u8; bits.len().div_ceil(8)];
    for (i, &b) in bits.iter().enumerate() {
        bytes[i / 8] |= u8::from(b) << (i % 8);
    }
    base64url::encode(&bytes)
}

fn unpack_bits(bytes: &[u8], n: usize) -> Vec<bool> {
    let mut bits = Vec::with_capacity(n);
    for i in 0..n {
        bits.push(bytes[i / 8] & (1 << (i % 8)) != 0);
    }
    bits
}

/// A fresh report id: 16 bytes from `rng`, base64url.
pub fn new_id(rng: &mut dyn crate::ldp::Rng) -> String {
    let mut bytes = [0u8; ID_BYTES];
    rng.fill_bytes(&mut bytes);
    base64url::encode(&bytes)
}

/// The UTC day number of an epoch-milliseconds time: `now_ms.div_euclid(86_400_000)`, as
/// the catalog's [`day_of`](crate::catalog::date::day_of) counts days.
pub fn day_of_ms(now_ms: i64) -> i64 {
    crate::catalog::date::day_of(now_ms)
}

/// `YYYY-MM-DD` for a UTC day number (days since 1970-01-01), years 0000–9999 (the
/// periods [`day_of_period`] reads back are 0001–9999).
///
/// Howard Hinnant's `civil_from_days` (proleptic Gregorian calendar).
pub fn period_of_day(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // The digits of 1YYYYMMDD: the leading 1 keeps the zeros that pad each part, and
    // the crate's one integer writer serves, where a writer of fixed-width parts was
    // code for this alone.
    let mut buf = [0u8; 20];
    let digits = uint_digits(
        (100_000_000 + y.clamp(0, 9999) * 10_000 + m * 100 + d) as u64,
        &mut buf,
    );
    let mut s = String::with_capacity(10);
    for (i, &c) in digits[1..].iter().enumerate() {
        if i == 4 || i == 6 {
            s.push('-');
        }
        s.push(char::from(c));
    }
    s
}

/// The UTC day number of a `YYYY-MM-DD` period (years 0001 to 9999); errors on anything
/// else (path `/period`). The catalog's date reader, held to exactly ten bytes: one
/// calendar in the crate.
pub fn day_of_period(period: &str) -> Result<i64> {
    Some(period)
        .filter(|p| p.len() == 10)
        .and_then(crate::catalog::date::parse_date)
        .map(i64::from)
        .ok_or_else(|| Error::invalid("/period", "period must be a calendar date YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An interests report through OUE at ε = 1 over `domain` values, carrying `bits`.
    fn oue_report(domain: u32, bits: &str) -> Report {
        Report {
            v: REPORT_VERSION,
            site: "demo".into(),
            period: "2026-11-23".into(),
            metric: "interests".into(),
            mechanism: Mechanism {
                name: "oue".into(),
                epsilon: 1.0,
                domain,
                p: 0.5,
                q: 0.4174297935376853,
            },
            bits: bits.into(),
            id: "MM5JXd_WDOfpuR86Mx_Y9Q".into(),
        }
    }

    /// The wire format: field names and order, number forms, escapes.
    #[test]
    fn reports_are_written_in_the_wire_layout() {
        let mut r = oue_report(12, "VAI");
        assert_eq!(
            r.to_json(),
            r#"{"v":1,"site":"demo","period":"2026-11-23","metric":"interests","mechanism":{"name":"oue","epsilon":1.0,"domain":12,"p":0.5,"q":0.4174297935376853},"bits":"VAI","id":"MM5JXd_WDOfpuR86Mx_Y9Q"}"#
        );
        r.site = "a\"b\\\n\u{1}é".into();
        r.mechanism = Mechanism {
            name: "grr".into(),
            epsilon: f64::NAN,
            domain: 2,
            p: 0.7310585786300049,
            q: 1e-7,
        };
        assert_eq!(
            r.to_json(),
            r#"{"v":1,"site":"a\"b\\\n\u0001é","period":"2026-11-23","metric":"interests","mechanism":{"name":"grr","epsilon":null,"domain":2,"p":0.7310585786300049,"q":1e-7},"bits":"VAI","id":"MM5JXd_WDOfpuR86Mx_Y9Q"}"#
        );
    }

    #[test]
    fn periods_round_trip_and_match_known_dates() {
        assert_eq!(period_of_day(0), "1970-01-01");
        assert_eq!(day_of_period("2000-03-01").unwrap(), 11_017);
        assert_eq!(period_of_day(day_of_ms(1_795_392_000_000)), "2026-11-23");
        for day in -719_000..2_900_000 {
            if day % 997 == 0 || (19_000..19_800).contains(&day) {
                assert_eq!(day_of_period(&period_of_day(day)).unwrap(), day);
            }
        }
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "2026/01/01",
            "2026-01-32",
            "+026-01-01",
            "0000-03-01",
            "2026-11-02T00:00:00Z",
            "2026-11-02 ",
        ] {
            assert!(day_of_period(bad).is_err(), "{bad}");
        }
        assert!(day_of_period("2024-02-29").is_ok());
        assert_eq!(day_of_ms(-1), -1);
    }

    #[test]
    fn pack_bits_is_lsb_first() {
        let bits = [
            true, false, false, false, false, false, false, false, false, true,
        ];
        // byte 0 = 0b0000_0001, byte 1 = 0b0000_0010
        assert_eq!(pack_bits(&bits), base64url::encode(&[0x01, 0x02]));
        assert_eq!(unpack_bits(&[0x01, 0x02], 10), bits);
    }

    /// Bits past the domain are the high bits of the last byte, and must be zero; a
    /// GRR report has exactly one bit set, counted over the bytes.
    #[test]
    fn bits_beyond_the_domain_and_grr_bit_counts_are_checked() {
        let mut r = oue_report(10, &base64url::encode(&[0xff, 0x03]));
        assert_eq!(r.decode_bits().unwrap(), [true; 10]);
        assert!(r.validate().is_ok());
        for last in [0x04, 0x80] {
            r.bits = base64url::encode(&[0xff, last]);
            let e = r.validate().unwrap_err();
            assert_eq!(
                (e.path(), e.message()),
                ("/bits", "bits beyond the domain must be zero")
            );
        }
        r.mechanism.domain = 16; // a whole number of bytes: no padding to check
        r.bits = base64url::encode(&[0xff, 0x80]);
        assert!(r.validate().is_ok());

        let e1 = (1f64).exp();
        r.mechanism = Mechanism {
            name: "grr".into(),
            epsilon: 1.0,
            domain: 10,
            p: e1 / (e1 + 9.0),
            q: 1.0 / (e1 + 9.0),
        };
        for (bytes, ok) in [
            ([0x00, 0x02], true),
            ([0x01, 0x02], false),
            ([0x00, 0x00], false),
        ] {
            r.bits = base64url::encode(&bytes);
            assert_eq!(r.validate().is_ok(), ok, "{bytes:?}");
        }
    }
}
