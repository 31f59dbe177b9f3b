//! Floats as text: the shortest decimal that reads back as the same number, laid out as
//! serde_json lays it out (`1.0`, `0.001`, `1.5e-7`, `1e+21`).
//!
//! Finding the shortest digits of a double is work the browser already does, exactly:
//! ECMAScript's `Number.prototype.toString` must give the fewest digits that read back as
//! the number, the closest of them if there are several, and the even one of two equally
//! close. The package used to carry its own copy of that algorithm (`zmij`, the one
//! serde_json uses, with the same rules, and its tables); taking the digits from the page
//! instead made the package 1.4 KB smaller gzipped (81,226 to 79,775 bytes, with the
//! code below). So a double's digits come from [`platform_digits`] (the page's, or
//! natively `zmij`'s), and the rest is small and the same everywhere:
//! - [`Decimal::parse`] reads the platform's text (`123`, `0.00123`, `1.5e-7`, `1e+21`,
//!   `1e21`) into digits and a power of ten;
//! - [`Decimal::f32_by_doubles`] finds an `f32`'s own shortest form (`0.1f32` is the
//!   double 0.10000000149011612, and is written `0.1`) with double arithmetic, checking
//!   each candidate with the crate's exact reader, and no call into the page;
//! - [`Decimal::write`] lays the digits out as serde_json does.
//!
//! The tests hold a double's output to serde_json's, byte for byte, and the browser tests
//! hold the page's digits to the same. An `f32`'s form is the shortest that the crate's
//! reader (which rounds the text to a double, then the double to an `f32`) reads back as
//! the same `f32`; serde_json's is the shortest that rounds to it directly, so for a few
//! `f32`s the two differ (the `f32` nearest `7.038531e-26` is written `7.0385307e-26`
//! here), and each reader reads back what it wrote.

use super::float::POW10;
use super::{Number, Reader};
use crate::text::{push_uint, uint_digits};

/// A positive number as significant digits `d₁d₂…dₙ` (no leading or trailing zeros)
/// and the power of ten of the first: the number is `d₁.d₂…dₙ × 10^exp`.
///
/// The digits are kept as one integer and spelled out only to be written: kept as
/// bytes, every decimal made spelled its integer out and copied the bytes.
struct Decimal {
    /// `d₁d₂…dₙ` as an integer.
    digits: u64,
    exp: i32,
}

/// Appends the shortest text that reads back as `x` (finite).
pub(super) fn write_f64(out: &mut String, x: f64) {
    if let Some(abs) = sign(out, x) {
        Decimal::parse(&platform_digits(abs)).write(out, -5..=15);
    }
}

/// Appends the shortest text that reads back as `x` (finite) through an `f64`, as the
/// reader reads an `f32`.
pub(super) fn write_f32(out: &mut String, x: f32) {
    if let Some(abs) = sign(out, f64::from(x)) {
        let x = abs as f32;
        Decimal::f32_by_doubles(x).write(out, -6..=12);
    }
}

/// Writes the sign of `x`, and writes a zero whole (`0.0`, `-0.0`); otherwise returns
/// `|x|` for the digits.
fn sign(out: &mut String, x: f64) -> Option<f64> {
    if x.is_sign_negative() {
        out.push('-');
    }
    if x == 0.0 {
        out.push_str("0.0");
        return None;
    }
    Some(x.abs())
}

/// The shortest decimal text of a positive finite `x`, from `zmij` (natively, where its
/// size does not matter; Rust's own `{:e}` breaks ties between two equally short and
/// equally close decimals upward, where serde_json and ECMAScript pick the even one).
#[cfg(not(target_arch = "wasm32"))]
fn platform_digits(x: f64) -> String {
    zmij::Buffer::new().format_finite(x).to_string()
}

/// The shortest decimal text of a positive finite `x`, as the page's JavaScript writes it
/// (`0.00123`, `1.5e-7`, `1e+21`).
#[cfg(target_arch = "wasm32")]
fn platform_digits(x: f64) -> String {
    crate::wasm::numbers::to_string(x)
}

impl Decimal {
    /// Reads a positive number in decimal notation, with an optional exponent, as the
    /// JSON reader scans a number (the platform's shortest text is a JSON number): its
    /// digits as one integer and a power of ten. The text has at most 17 significant
    /// digits; a long whole number's zeros past the 19 the integer keeps only raise the
    /// power. A scanner of its own for this text was some 400 bytes of code.
    fn parse(text: &str) -> Decimal {
        let n = Reader::new(text).number().unwrap_or(Number {
            text: "",
            integer: true,
            negative: false,
            mantissa: 0,
            digits: 0,
            exp10: 0,
        });
        Decimal::from_integer(n.mantissa, n.exp10 + n.digits.saturating_sub(19) as i32)
    }

    /// The shortest decimal that reads back as `x` (positive, finite), found without the
    /// platform: a profile holds hundreds of `f32` weights, written on every change, and a
    /// call into the page for each would triple the time `record` takes.
    ///
    /// `x` scaled by a power of ten into `[10^8, 10^9)` is `s`, its nine significant
    /// digits and a fraction, with a relative error of a few 2^-53 (an `f32` has 24
    /// bits). For each length `p` from 1 up, the digits of `s` above the last `9 - p`
    /// give the two `p`-digit neighbours of `x`, each read back exactly: the nearer
    /// first (ties to even), then the other, since at a power of two the gap to the next
    /// `f32` below is half the gap above, so the nearer may fall outside `x`'s interval
    /// on the narrow side while the other lies inside it on the wide side. When both
    /// read back as `x`, the rest of `s` says which is nearer; that is the one choice
    /// resting on `s`'s rounding, so with the rest within a hair of halfway the point
    /// halfway between them is read as a double instead, exactly rounded, and compared
    /// with `x` (the test `every_f32_matches_serde_json` checks every `f32` this way).
    fn f32_by_doubles(x: f32) -> Decimal {
        let v = f64::from(x);
        // floor(e2·log10 2) for x in [2^e2, 2^(e2+1)): its first digit's power of ten, or
        // one less.
        let e2 = (v.to_bits() >> 52) as i32 - 1023;
        let mut j = 8 - ((e2 * 1233) >> 12);
        let mut s = times_pow10(v, j);
        // A first digit one place off: scaled again from `x` rather than by ten, so that
        // `s` has one rounding at most, and none for a power of ten from 10^0 to 10^12
        // (`tie` below relies on it).
        if !(1e8..1e9).contains(&s) {
            // `s < 1e8` does not happen for an `f32`'s exponents, where 1233/4096 is
            // close enough to log10 2.
            j += if s >= 1e9 { -1 } else { 1 };
            s = times_pow10(v, j);
        }
        let whole = s as u64;
        let fraction = s - whole as f64;
        // The gap from `x` to the next `f32` up, in units of `s`: a decimal farther than
        // that from `x` cannot read back as `x` (half of it is already too far), so most
        // lengths are ruled out without reading anything back.
        let reach = (f64::from(f32::from_bits(x.to_bits() + 1)) - v) * (s / v);
        // Each length `p` from one digit up: `head` is the first `p` digits of `whole`,
        // and `unit` the place of the last of them in `s`. A length whose nearest
        // decimal is farther from `s` than `reach` is passed over without reading
        // anything back (the full nine digits are always tried): a few operations for
        // most lengths.
        let mut unit = 1_000_000_000;
        for p in 1..=9 {
            unit /= 10;
            let head = whole / unit;
            let rest = (whole - head * unit) as f64 + fraction;
            if p < 9 && rest.min(unit as f64 - rest) > reach {
                continue;
            }
            let half = unit as f64 / 2.0;
            let exp10 = (9 - p) - j;
            // The nearer first, or of two equally near the even one, as serde_json
            // chooses. `s` is exact when `x` (24 bits) was multiplied by at most 10^12
            // (5^12 < 2^28): then a tie is a tie.
            let tie = rest == half && (0..=12).contains(&j);
            let up = rest > half || tie && head % 2 == 1;
            let (nearer, other) = (head + u64::from(up), head + u64::from(!up));
            let mut m = other;
            if reads_back_as(nearer, exp10, x) {
                m = nearer;
                // Unless `s` is too close to halfway to say which is nearer: then the
                // halfway point `(10·head + 5)·10^(exp10 - 1)`, rounded to a double, is
                // below `x` (so the point is), above it, or `x` itself (a tie).
                if !tie && (rest - half).abs() < 1e-4 && reads_back_as(other, exp10, x) {
                    #[cfg(test)]
                    tests::HALFWAY_READ.set(true);
                    let halfway = read_decimal(10 * head + 5, exp10 - 1);
                    m = head + u64::from(halfway < v || halfway == v && head % 2 == 1);
                }
            } else if !reads_back_as(other, exp10, x) {
                continue;
            }
            return Decimal::from_integer(m, exp10);
        }
        // Nine digits always read back: the nearer of them is within half a unit of the
        // ninth place, a fraction of `x`'s half-gap to either neighbour.
        unreachable!()
    }

    /// `m × 10^exp10` for a nonzero `m`.
    fn from_integer(mut m: u64, mut exp10: i32) -> Decimal {
        // Trailing zeros (of `1200`) go into the power of ten.
        while m >= 10 && m % 10 == 0 {
            m /= 10;
            exp10 += 1;
        }
        // Then the power of the last digit becomes the first's.
        let mut rest = m;
        while rest >= 10 {
            rest /= 10;
            exp10 += 1;
        }
        Decimal {
            digits: m,
            exp: exp10,
        }
    }

    /// Appends the number as serde_json writes it: in plain notation when the power of
    /// ten of its first digit is within `fixed` (`12.5`, `0.001`, and a whole number with
    /// `.0`), otherwise as `1.25e+22` or `1e-7`.
    fn write(&self, out: &mut String, fixed: std::ops::RangeInclusive<i32>) {
        let mut buf = [0; 20];
        let digits = uint_digits(self.digits, &mut buf);
        // In exponent notation the digits are laid out as a number whose first digit is
        // the units', with no `.0` for a single digit, and the exponent after them.
        let plain = fixed.contains(&self.exp);
        let e = if plain { self.exp } else { 0 };
        // Digit by digit, each place from the highest (the first digit's, or the units')
        // down to the lowest (the last digit's, or in plain notation at least the
        // tenths'), a `0` where there is no digit, and the point after the units unless
        // they are the last place.
        let mut lowest = e + 1 - digits.len() as i32;
        if plain {
            lowest = lowest.min(-1);
        }
        for place in (lowest..=e.max(0)).rev() {
            // Before the first digit `e - place` is negative, and wraps past the end.
            let digit = digits.get((e - place) as usize).copied();
            out.push(char::from(digit.unwrap_or(b'0')));
            if place == 0 && place != lowest {
                out.push('.');
            }
        }
        if !plain {
            out.push_str(if self.exp < 0 { "e-" } else { "e+" });
            push_uint(out, u64::from(self.exp.unsigned_abs()));
        }
    }
}

/// `v × 10^j`, each step by an exact power of ten (a few roundings in all).
fn times_pow10(mut v: f64, mut j: i32) -> f64 {
    while j > 22 {
        v *= POW10[22];
        j -= 22;
    }
    while j < -22 {
        v /= POW10[22];
        j += 22;
    }
    if j < 0 {
        v / POW10[-j as usize]
    } else {
        v * POW10[j as usize]
    }
}

/// Whether `m × 10^exp10` (for `m` below 10^19) reads back as `x`: as the reader reads an
/// `f32`, the number rounded to a double, then to an `f32`.
fn reads_back_as(m: u64, exp10: i32, x: f32) -> bool {
    read_decimal(m, exp10) as f32 == x
}

/// `m × 10^exp10` (for `m` below 10^19) as the reader reads it, correctly rounded to a
/// double.
fn read_decimal(m: u64, exp10: i32) -> f64 {
    // Only the conversion's slower paths read the text: for powers of ten beyond ±27,
    // and in the package past 10^22 (`m` is below 2^53 here: an `f32`'s shortest
    // digits are at most nine, a halfway point between two of them ten).
    let mut text = String::new();
    if !(-27..=22).contains(&exp10) {
        push_uint(&mut text, m);
        text.push('e');
        if exp10 < 0 {
            text.push('-');
        }
        push_uint(&mut text, u64::from(exp10.unsigned_abs()));
    }
    let (mut digits, mut power) = (0, 1);
    while power <= m && digits < 19 {
        digits += 1;
        power *= 10;
    }
    let n = Number {
        text: &text,
        integer: false,
        negative: false,
        mantissa: m,
        digits,
        exp10,
    };
    n.to_f64()
}

#[cfg(test)]
mod tests {
    use super::Decimal;
    use crate::json::to_string;
    use proptest::prelude::*;

    fn digits(d: &Decimal) -> (String, i32) {
        (d.digits.to_string(), d.exp)
    }

    #[test]
    fn reads_what_javascript_and_rust_write() {
        for (text, ds, exp) in [
            ("123", "123", 2),
            ("100000000000000000000", "1", 20),
            ("0.00123", "123", -3),
            ("0.000001", "1", -6),
            ("12.5", "125", 1),
            ("1e+21", "1", 21),
            ("1e21", "1", 21),
            ("1.5e-7", "15", -7),
            ("1.7976931348623157e+308", "17976931348623157", 308),
            ("5e-324", "5", -324),
            ("1.0", "1", 0),
        ] {
            assert_eq!(
                digits(&Decimal::parse(text)),
                (ds.to_string(), exp),
                "{text}"
            );
        }
    }

    /// Every double the platform could give, in JavaScript's notation and Rust's.
    fn javascript_text(x: f64) -> String {
        let rust = format!("{x:e}");
        let (mantissa, exp) = rust.split_once('e').unwrap();
        let exp: i32 = exp.parse().unwrap();
        if (-7..21).contains(&exp) {
            // Plain notation, as `Number.prototype.toString` writes from 1e-7 up to 1e21.
            let digits = mantissa.replace('.', "");
            if exp < 0 {
                format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
            } else if digits.len() as i32 <= exp + 1 {
                format!("{digits}{}", "0".repeat((exp + 1) as usize - digits.len()))
            } else {
                let (a, b) = digits.split_at(exp as usize + 1);
                format!("{a}.{b}")
            }
        } else {
            format!(
                "{mantissa}e{}{}",
                if exp < 0 { "-" } else { "+" },
                exp.abs()
            )
        }
    }

    proptest! {
        #[test]
        fn javascript_and_rust_notation_read_the_same(bits in any::<u64>()) {
            let x = f64::from_bits(bits).abs();
            prop_assume!(x.is_finite() && x != 0.0);
            let a = Decimal::parse(&format!("{x:e}"));
            let b = Decimal::parse(&javascript_text(x));
            prop_assert_eq!(digits(&a), digits(&b));
        }

        #[test]
        fn every_f32_bit_pattern_is_written_as_serde_json_writes_it(bits in any::<u32>()) {
            let x = f32::from_bits(bits);
            prop_assert_eq!(to_string(&x), serde_json::to_string(&x).unwrap());
        }
    }

    #[test]
    fn f32_powers_of_two_and_their_neighbours_match_serde_json() {
        // Where the gap below is half the gap above (see `f32_by_doubles`): the normal
        // powers of two (each exponent field with a zero fraction) and the subnormal ones.
        let powers = (1..255u32)
            .map(|field| field << 23)
            .chain((0..23).map(|k| 1 << k));
        for bits in powers {
            for b in [bits - 1, bits, bits + 1] {
                let y = f32::from_bits(b);
                assert_eq!(to_string(&y), serde_json::to_string(&y).unwrap(), "{y:e}");
            }
        }
    }

    std::thread_local! {
        /// Set when `f32_by_doubles` reads a halfway point to decide.
        pub(super) static HALFWAY_READ: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// The shortest decimal that reads back as `x`, from `d`, the shortest one for the
    /// double `x` is exactly: for each length, the nearest decimal (ties to even), then
    /// the other neighbour. Slow but plainly right: what `f32_by_doubles` is held to.
    fn reference(d: Decimal, x: f32) -> Decimal {
        let text = d.digits.to_string();
        let digits = text.as_bytes();
        for p in 1..digits.len() {
            let head = digits[..p]
                .iter()
                .fold(0u64, |n, &c| n * 10 + u64::from(c - b'0'));
            let next = digits[p];
            let up = next > b'5' || (next == b'5' && (digits.len() > p + 1 || head % 2 == 1));
            let exp10 = d.exp - (p as i32 - 1);
            for m in [head + u64::from(up), head + u64::from(!up)] {
                if super::reads_back_as(m, exp10, x) {
                    return Decimal::from_integer(m, exp10);
                }
            }
        }
        d
    }

    fn reference_text(x: f32) -> String {
        let d = Decimal::parse(&super::platform_digits(f64::from(x)));
        let mut out = String::new();
        reference(d, x).write(&mut out, -6..=12);
        out
    }

    #[test]
    fn the_double_route_matches_the_reference() {
        // Every 65537th bit pattern, and the halfway points met among every 4099th.
        for bits in (1..0x7f80_0000u32).step_by(65537) {
            let x = f32::from_bits(bits);
            assert_eq!(to_string(&x), reference_text(x), "{x:e}");
        }
    }

    /// Every positive `f32` whose digits `f32_by_doubles` decides by reading a halfway
    /// point as a double, against the reference: this is what shows that doing so is
    /// exact, which rests on no `f32` lying within half a double's gap of such a point
    /// without being it. Minutes in a release build, so not run by default:
    /// `cargo test --release halfway -- --ignored`.
    #[test]
    #[ignore]
    fn every_halfway_decision_matches_the_reference() {
        let threads = 2u32;
        std::thread::scope(|scope| {
            for t in 0..threads {
                scope.spawn(move || {
                    let mut n = 0u64;
                    for bits in (1..0x7f80_0000u32)
                        .skip(t as usize)
                        .step_by(threads as usize)
                    {
                        let x = f32::from_bits(bits);
                        HALFWAY_READ.set(false);
                        let d = Decimal::f32_by_doubles(x);
                        if HALFWAY_READ.get() {
                            n += 1;
                            let mut out = String::new();
                            d.write(&mut out, -6..=12);
                            assert_eq!(out, reference_text(x), "{x:e}");
                        }
                    }
                    println!("{n} halfway decisions checked");
                });
            }
        });
    }

    #[test]
    fn many_f32_and_f64_match_serde_json() {
        // A fixed walk over the bit patterns (a multiplicative hash), dense enough to
        // meet every exponent many times.
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..300_000 {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let x = f64::from_bits(s);
            if x.is_finite() {
                assert_eq!(to_string(&x), serde_json::to_string(&x).unwrap(), "{x:e}");
            }
            let y = f32::from_bits((s >> 32) as u32);
            if y.is_finite() {
                assert_eq!(to_string(&y), serde_json::to_string(&y).unwrap(), "{y:e}");
            }
        }
    }
}
