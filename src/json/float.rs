//! Decimal text to `f64`, correctly rounded (round half to even), without tables.
//!
//! Why not `str::parse::<f64>`: it links core's Eisel-Lemire parser, whose 10.4 KB table of
//! 128-bit powers of five is random bits that gzip cannot shrink, and its decimal slow path
//! besides: about 14 KB of the shipped wasm. Documents mostly hold numbers that the
//! first two steps below convert in a few machine operations; the rest take an exact
//! integer path that is slower but small.
//!
//! [`Number::to_f64`] tries, in order:
//! 1. Clinger's fast path ([`Number::fast_f64`]): one IEEE operation on exact operands.
//!    Catalog weights ("0.35") take it.
//! 2. Up to 19 digits and a power of ten within ±27, in 128-bit integers:
//!    [`times_pow10`] for a nonnegative power, [`div_pow10`] for a negative one. The
//!    17-digit shortest forms that writers produce (ours, and Python's for embeddings)
//!    take it. In the package the page reads the nonnegative ones (whole numbers
//!    above 2^53, or past 10^22: rare in documents) with the numbers of step 3, which
//!    left `times_pow10` and [`round`] natively only (180 bytes less code).
//! 3. [`exact_big`] (`big.rs`): anything else, in a fixed-size big integer. In the package,
//!    the page's `parseFloat` reads these instead (`wasm::numbers`): they are rare in
//!    documents, and the big integer was code every page downloaded.
//!
//! [`times_pow10`] and [`exact_big`] end the same way: an integer `q`, a power of two
//! `2^e2`, and a sticky flag, such that the number is exactly `(q + δ)·2^e2` with
//! `0 ≤ δ < 1`, and `δ > 0` exactly when the flag is set (which happens only with at
//! least 64 significant bits in `q`). [`round`] rounds that once, to a normal or
//! subnormal double or to infinity. Because `q` then keeps at least 11 bits below the 53
//! a double holds, and `δ` is below its last bit, the discarded part is known exactly
//! enough to tell "below half", "half" and "above half" apart: the rounding is correct.

use super::Number;
use std::cmp::Ordering;

// Step 3, natively; the package reads those numbers with the page's own conversion.
#[cfg(not(target_arch = "wasm32"))]
mod big;
#[cfg(not(target_arch = "wasm32"))]
use big::exact_big;

/// `2^63`: the top bit of a normalized 64-bit significand, and "half" in [`round`].
#[cfg(not(target_arch = "wasm32"))]
const HALF: u64 = 1 << 63;
/// The bits of `f64::INFINITY`.
#[cfg(not(target_arch = "wasm32"))]
const INFINITY: u64 = 0x7ff0 << 48;
/// The powers of ten that are exact doubles.
pub(super) const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

impl Number<'_> {
    /// The number, correctly rounded to the nearest `f64` (ties to even), as
    /// `str::parse::<f64>` reads it; too large for a finite double, it is infinite.
    pub(super) fn to_f64(&self) -> f64 {
        if self.digits == 0 {
            // Only zeros: no power of ten makes anything else of it.
            return if self.negative { -0.0 } else { 0.0 };
        }
        if let Some(x) = self.fast_f64() {
            return x;
        }
        let bits = match self.exp10 {
            // Natively only (see the module comment).
            #[cfg(not(target_arch = "wasm32"))]
            0..=27 if self.digits <= 19 => {
                let (q, e2, sticky) = times_pow10(self.mantissa, self.exp10);
                round(q, e2, sticky)
            }
            -27..=-1 if self.digits <= 19 => div_pow10(self.mantissa, self.exp10.unsigned_abs()),
            // The rest: more than 19 digits, a power of ten beyond ±27, or (in the
            // package) a nonnegative one past the fast path. The page's own conversion
            // reads them in the package (its text carries the sign).
            #[cfg(target_arch = "wasm32")]
            _ => return crate::wasm::numbers::parse(self.text),
            #[cfg(not(target_arch = "wasm32"))]
            _ => {
                let (q, e2, sticky) = exact_big(self.text, self.exp10);
                round(q, e2, sticky)
            }
        };
        f64::from_bits(bits | u64::from(self.negative) << 63)
    }

    /// Clinger's fast path: a number whose digits fit in 2^53 and whose power of ten
    /// is at most 22 is `digits × 10^e` (or `÷ 10^-e`) with both operands exact, so one
    /// IEEE multiplication or division gives the correctly rounded value.
    fn fast_f64(&self) -> Option<f64> {
        if self.digits > 19 || self.mantissa > 1 << 53 || !(-22..=22).contains(&self.exp10) {
            return None;
        }
        let m = self.mantissa as f64;
        let x = if self.exp10 < 0 {
            m / POW10[(-self.exp10) as usize]
        } else {
            m * POW10[self.exp10 as usize]
        };
        Some(if self.negative { -x } else { x })
    }
}

/// `m × 10^e` for a nonzero `m` below 10^19 and `0 ≤ e ≤ 27`, as `(q, e2, sticky)` (see
/// the module comment): 10^e = 5^e·2^e, and 5^27 < 2^63, so `m·5^e < 2^64·2^63` is exact
/// in a `u128`, and the number is that times `2^e`.
#[cfg(not(target_arch = "wasm32"))]
fn times_pow10(m: u64, e: i32) -> (u64, i32, bool) {
    normalize(u128::from(m) * u128::from(5u64.pow(e as u32)), e, false)
}

/// `m ÷ 10^k` for a nonzero `m` below 10^19 and `1 ≤ k ≤ 27`, correctly rounded, with no
/// division of integers: a guess in floating point, then exact checks against the
/// halfway points on either side of it, moving one double at a time until the number
/// lies between them (Clinger's "AlgorithmR" with exact comparisons).
///
/// The guess `fl(fl(m) / 10^k)` (or `/ 10^22 / 10^(k-22)`, each power exact) has at most
/// three roundings of relative error 2^-53 each, so it is within three units in the last
/// place of the number: a few steps at most, and every double looked at is near the
/// number, which bounds the integers below. The number lies between 10^-27 and 10^19,
/// so every double involved is normal.
///
/// Comparing `m / 10^k` with a halfway point `h·2^he`: multiplied by `10^k·2^-(he + k)`,
/// that is `m·2^-(he + k)` against `h·5^k` when `he + k < 0`, or `m` against
/// `h·5^k·2^(he + k)`. Both sides are about `m < 2^64` or about `h·5^k < 2^55·2^63`:
/// within a `u128`.
fn div_pow10(m: u64, k: u32) -> u64 {
    let p5 = u128::from(5u64.pow(k));
    let cmp_half = |h: u64, he: i32| {
        let t = he + k as i32;
        // One product, whichever side is shifted.
        let (m, h) = (u128::from(m), u128::from(h) * p5);
        if t >= 0 {
            m.cmp(&(h << t))
        } else {
            (m << -t).cmp(&h)
        }
    };
    let k = k as usize;
    let guess = m as f64 / POW10[k.min(22)] / POW10[k.saturating_sub(22)];
    let mut bits = guess.to_bits();
    loop {
        // The double is f·2^e with f in [2^52, 2^53).
        let frac = bits & ((1 << 52) - 1);
        let (f, e) = (frac | 1 << 52, (bits >> 52) as i32 - 1075);
        // The halfway point above it, (2f + 1)·2^(e-1).
        match cmp_half(2 * f + 1, e - 1) {
            Ordering::Greater => {
                bits += 1;
                continue;
            }
            Ordering::Equal => return bits + (f & 1), // ties to even
            Ordering::Less => {}
        }
        // The one below: at 2^52 the double below is half as far.
        let below = if frac == 0 {
            cmp_half(4 * f - 1, e - 2)
        } else {
            cmp_half(2 * f - 1, e - 1)
        };
        match below {
            Ordering::Less => bits -= 1,
            Ordering::Equal => return bits - (f & 1), // ties to even
            Ordering::Greater => return bits,
        }
    }
}

/// The top 64 bits of a nonzero `x·2^e2`, their power of two, and whether any bit below
/// them (or `sticky`) is set.
#[cfg(not(target_arch = "wasm32"))]
fn normalize(x: u128, e2: i32, sticky: bool) -> (u64, i32, bool) {
    let lz = x.leading_zeros();
    let x = x << lz;
    (
        (x >> 64) as u64,
        e2 + 64 - lz as i32,
        sticky || x as u64 != 0,
    )
}

/// Rounds `(q + δ)·2^e2` to the nearest double, ties to even, and returns its bits (sign
/// clear). `q` has its top bit set; `0 ≤ δ < 1`, nonzero exactly when `sticky`.
///
/// A normal double keeps 53 bits, so `shift = 11` bits of `q` go; below 2^-1022 the last
/// bit kept is worth 2^-1074 whatever the exponent, so more go (`-1074 - e2`): the
/// subnormal result is still rounded once. With the discarded bits moved to the top of
/// `rest`, `rest` compared with 2^63 says "below", "at" or "above" half a unit, except
/// that "at" with `sticky` is above (δ is less than one unit of `rest`, which is a
/// multiple of 2^(64 - shift)).
///
/// The bits are then `(e2 + shift + 1074)·2^52 + kept`: for a normal `kept` in
/// [2^52, 2^53), its leading bit adds one to the biased exponent field
/// (`e2 + shift + 52 + 1023`); rounding up to 2^53 carries into the field, as it must;
/// a subnormal has field 0 and `kept < 2^52`, which rounding up to 2^52 makes the
/// smallest normal; and a carry into field 2047 is infinity.
#[cfg(not(target_arch = "wasm32"))]
fn round(q: u64, e2: i32, sticky: bool) -> u64 {
    debug_assert!(q >= HALF);
    let shift = (-1074 - e2).max(11);
    if shift > 64 {
        // Below 2^(e2 + 64) ≤ 2^-1075, half the smallest subnormal: rounds to zero.
        return 0;
    }
    let kept = q.checked_shr(shift as u32).unwrap_or(0);
    let rest = q << (64 - shift);
    let up = rest > HALF || (rest == HALF && (sticky || kept & 1 == 1));
    let field = e2 + shift + 1074;
    if field >= 2047 {
        return INFINITY;
    }
    (((field as u64) << 52) + kept + u64::from(up)).min(INFINITY)
}

#[cfg(test)]
mod tests;
