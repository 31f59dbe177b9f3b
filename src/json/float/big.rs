//! Step 3 of the conversion: exact arithmetic in a fixed-size big integer, for the
//! numbers the first two steps cannot take (see the parent module).

use super::{normalize, HALF};

/// 5^13, the largest power of five below 2^32: one divisor or factor step of
/// [`exact_big`].
const POW5_13: u32 = 1_220_703_125;

/// Digits kept exactly by [`exact_big`]; any nonzero digit past them only sets the sticky
/// flag. Enough: every boundary where the rounding changes (a halfway point between two
/// doubles, or between the largest and 2^1024) is an odd multiple of 2^e with
/// `e ≥ -1075` and less than 2^54 times it, whose decimal expansion has at most 768
/// significant digits (the most, `(2^54-1)·2^-1075`). A number with more than 800 digits
/// lies strictly between its first 800 digits and those plus one unit in the 800th
/// place; a boundary strictly inside that interval would have a nonzero digit past the
/// 800th, so there is none, and the number rounds as any point inside does: as the
/// first 800 digits with the sticky flag.
const MAX_DIGITS: usize = 800;

/// Limbs of [`Big`]. The largest value it holds: for `e ≥ 0`, `D·5^e < 10^309` (larger
/// numbers are infinite before any arithmetic), 1027 bits; for `e < 0`, the kept digits
/// `D < 10^800` (2658 bits), or `D` shifted up by whole limbs to at most
/// 66 + ⌈k·log2 5⌉ + 32 bits with `k ≤ 800 + 323`, 2708 bits: 85 limbs.
const LIMBS: usize = 88;

/// The digits of `text` (a JSON number) times 10^exp10, as `(q, e2, sticky)`: exact
/// arithmetic on the first [`MAX_DIGITS`] significant digits `D`.
///
/// `exp10` is the scanner's: the number is (all its digits, as an integer) × 10^exp10.
/// With `n` significant digits it lies in [10^(n + exp10 - 1), 10^(n + exp10)), so
/// `n + exp10 > 309` is above the largest double (1.8e308) and `n + exp10 < -323` below
/// 10^-324, under half the smallest subnormal (4.9e-324): both are decided before any
/// big arithmetic, however long the text or large the exponent.
///
/// Otherwise, with `e` the power of ten of the kept digits:
/// - `e ≥ 0`: `D·5^e` exactly (the digits were not cut, as `n + exp10 ≤ 309 < 800`),
///   times `2^e`.
/// - `e = -k < 0`: `q = ⌊D·2^s / 5^k⌋`, and the number is `(q + δ)·2^-(s + k)`. `s` is a
///   whole number of limbs chosen so that `D·2^s ≥ 2^65·5^k`, so `q` has at least 65
///   bits. `q` comes from dividing by 5^13 (and then by what is left of 5^k) step by
///   step: `⌊⌊x / a⌋ / b⌋ = ⌊x / ab⌋` for positive integers, and `x / ab` is an integer
///   only if every step divides exactly, so any remainder sets the sticky flag.
pub(super) fn exact_big(text: &str, exp10: i32) -> (u64, i32, bool) {
    let mut big = Big {
        len: 0,
        limbs: [0; LIMBS],
    };
    let (mut n, mut chunk, mut chunk_len, mut sticky) = (0usize, 0u32, 0u32, false);
    for &c in text.as_bytes() {
        match c {
            b'0'..=b'9' => {}
            b'e' | b'E' => break,
            _ => continue, // the sign and the decimal point
        }
        if n == 0 && c == b'0' {
            continue; // a leading zero ("0.0012")
        }
        n += 1;
        if n > MAX_DIGITS {
            sticky |= c != b'0';
            continue;
        }
        chunk = chunk * 10 + u32::from(c - b'0');
        chunk_len += 1;
        if chunk_len == 9 {
            big.mul_add(1_000_000_000, chunk);
            (chunk, chunk_len) = (0, 0);
        }
    }
    big.mul_add(10u32.pow(chunk_len), chunk);
    let point = n as i64 + i64::from(exp10);
    // 2^2063 and 2^-1937, far enough out that `round` makes them infinity and zero.
    if point > 309 {
        return (HALF, 2000, false);
    }
    if point < -323 {
        return (HALF, -2000, false);
    }
    let e = point - n.min(MAX_DIGITS) as i64;
    if e >= 0 {
        // Here `e` is `exp10`.
        let mut e = e as u32;
        while e > 0 {
            let step = e.min(13);
            big.mul_add(5u32.pow(step), 0);
            e -= step;
        }
        big.top64(exp10, sticky)
    } else {
        let mut k = e.unsigned_abs() as u32;
        // Bits of 5^k, rounded up: 1189/512 > log2 5 = 2.32193.
        let need = 66 + ((k as usize * 1189) >> 9) + 1;
        let words = need.saturating_sub(big.bit_len()).div_ceil(32);
        big.shl_words(words);
        let e2 = -((32 * words) as i32) - k as i32;
        while k > 0 {
            let step = k.min(13);
            sticky |= big.div_rem(if step == 13 { POW5_13 } else { 5u32.pow(step) }) != 0;
            k -= step;
        }
        big.top64(e2, sticky)
    }
}

/// A nonnegative integer in 32-bit limbs, least significant first; limbs at `len` and
/// above are zero.
struct Big {
    len: usize,
    limbs: [u32; LIMBS],
}

impl Big {
    /// `self = self·m + a`.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.limbs[..self.len] {
            let t = u64::from(*limb) * u64::from(m) + carry;
            *limb = t as u32;
            carry = t >> 32;
        }
        if carry != 0 {
            self.limbs[self.len] = carry as u32;
            self.len += 1;
        }
    }

    /// `self = ⌊self / d⌋`; returns the remainder.
    fn div_rem(&mut self, d: u32) -> u32 {
        let d = u64::from(d);
        let mut r = 0u64;
        for limb in self.limbs[..self.len].iter_mut().rev() {
            let t = r << 32 | u64::from(*limb);
            *limb = (t / d) as u32;
            r = t % d;
        }
        while self.len > 0 && self.limbs[self.len - 1] == 0 {
            self.len -= 1;
        }
        r as u32
    }

    /// `self = self·2^(32·words)`.
    fn shl_words(&mut self, words: usize) {
        if words > 0 && self.len > 0 {
            self.limbs.copy_within(..self.len, words);
            self.limbs[..words].fill(0);
            self.len += words;
        }
    }

    fn bit_len(&self) -> usize {
        match self.len {
            0 => 0,
            len => 32 * len - self.limbs[len - 1].leading_zeros() as usize,
        }
    }

    /// For a nonzero `self·2^e2`: its top 64 bits, their power of two, and whether any
    /// bit below them (or `sticky`) is set.
    fn top64(&self, e2: i32, sticky: bool) -> (u64, i32, bool) {
        let bits = self.bit_len();
        let low = bits.saturating_sub(64);
        let (word, bit) = (low / 32, low % 32);
        let limb = |i: usize| u128::from(if i < self.len { self.limbs[i] } else { 0 });
        let x = limb(word) | limb(word + 1) << 32 | limb(word + 2) << 64;
        let below =
            self.limbs[word] & ((1 << bit) - 1) != 0 || self.limbs[..word].iter().any(|&l| l != 0);
        normalize(x >> bit, e2 + low as i32, sticky || below)
    }
}
