//! The conversion against Rust's own parser, bit for bit: `str::parse::<f64>` is the
//! oracle here (and only here: the library does not link it).

use crate::json::Reader;
use proptest::prelude::*;

/// What the reader converts `text` to (infinity included, which `Reader::f64` reports as
/// out of range).
fn ours(text: &str) -> f64 {
    let mut r = Reader::new(text);
    let x = r.number().expect(text).to_f64();
    assert_eq!(r.pos, text.len(), "{text}");
    x
}

#[track_caller]
fn check(text: &str) {
    let expected: f64 = text.parse().unwrap();
    let got = ours(text);
    assert_eq!(
        got.to_bits(),
        expected.to_bits(),
        "{text}: {got:e} instead of {expected:e}"
    );
}

/// The exact decimal digits of `m·2^e2`, and their power of ten.
fn exact_decimal(m: u64, e2: i32) -> (String, i32) {
    // Base 10^9 limbs, least significant first.
    let mut limbs = vec![
        m % 1_000_000_000,
        m / 1_000_000_000 % 1_000_000_000,
        m / 1_000_000_000_000_000_000,
    ];
    let (factor, times) = if e2 >= 0 { (2, e2) } else { (5, -e2) };
    for _ in 0..times {
        let mut carry = 0;
        for l in &mut limbs {
            let t = *l * factor + carry;
            *l = t % 1_000_000_000;
            carry = t / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    let mut digits: String = limbs.iter().rev().map(|l| format!("{l:09}")).collect();
    digits = digits.trim_start_matches('0').to_string();
    // m·5^k·2^-k = m·5^k·10^-k.
    (digits, if e2 >= 0 { 0 } else { e2 })
}

/// One less, in decimal digits.
fn decrement(digits: &str) -> String {
    let mut d = digits.as_bytes().to_vec();
    let mut i = d.len();
    loop {
        i -= 1;
        if d[i] == b'0' {
            d[i] = b'9';
        } else {
            d[i] -= 1;
            break;
        }
    }
    let s = String::from_utf8(d).unwrap();
    let s = s.trim_start_matches('0');
    if s.is_empty() {
        "0".into()
    } else {
        s.into()
    }
}

/// The halfway point above the positive finite `x`, exactly, and points a hair above and
/// below it: the hardest cases for a correctly rounded reader.
fn halfway_cases(x: f64) -> [String; 3] {
    let bits = x.to_bits();
    let (field, frac) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
    let (m, e2) = if field == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, field - 1075)
    };
    let (d, e10) = exact_decimal(2 * m + 1, e2 - 1);
    let zeros = "0".repeat(30);
    [
        format!("{d}e{e10}"),
        format!("{d}{zeros}1e{}", e10 - 31),
        format!("{}{}e{}", decrement(&d), "9".repeat(31), e10 - 31),
    ]
}

#[test]
fn edge_cases_read_as_rust_reads_them() {
    for text in [
        "0",
        "-0",
        "0.0",
        "-0.0",
        "0e999999",
        "-0e-999999",
        "0.000000000000000000000000000000000000000000000",
        "1",
        "-1",
        "1e-400",
        "-1e-400",
        "1e400",
        "-1e400",
        "1e100000000000",
        "1e-100000000000",
        "4.9406564584124654e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "2.47032822920623272e-324",
        "-2.4703282292062328e-324",
        "2.2250738585072011e-308",
        "2.2250738585072012e-308",
        "2.2250738585072014e-308",
        "2.225073858507201136057409796709131975934819546351645648e-308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623158079372897140530341507993413271003782693617377898044496829276475094664736e308",
        "1.7976931348623159e308",
        "-1.7976931348623159e308",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
        "9007199254740993",
        "9007199254740992.5",
        "9007199254740993.0000000000000000000000001",
        "9007199254740995",
        "18446744073709551615",
        "18446744073709551616",
        "9999999999999999999",
        "99999999999999999999",
        "12345678901234567890123",
        "0.1",
        "0.2",
        "0.3",
        "0.30000000000000004",
        "0.35",
        "1e22",
        "1e23",
        "1e27",
        "1e28",
        "1e-22",
        "1e-23",
        "1e-27",
        "1e-28",
        "9999999999999999999e27",
        "9999999999999999999e-27",
        "1000000000000000000e-27",
        "0.000000000000000000000000123",
        "0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000123",
        "12345678901234567e-5",
        "0.12345678901234567",
        "-0.9876543210987654",
        "1.2345678901234567e-11",
        "1.2345678901234567e-12",
        "8.98846567431158e307",
        "4.450147717014403e-308",
        "1e308",
        "1e309",
        "1e-323",
        "1e-324",
        "3e-324",
        "7e-324",
        "1E+2",
        "123.456E-2",
        "5e-324",
        "2.2250738585072009e-308",
        "2.2250738585072008e-308",
    ] {
        check(text);
    }
}

#[test]
fn halfway_points_read_as_rust_reads_them() {
    let mut xs = vec![
        f64::from_bits(1),
        f64::from_bits(2),
        f64::from_bits(3),
        f64::from_bits((1 << 52) - 1),
        f64::MIN_POSITIVE,
        f64::MAX,
        1.0,
        0.1,
        1e23,
        9007199254740992.0,
        123456.789,
    ];
    // Spread over every binade.
    let mut bits = 0x9e37_79b9_7f4a_7c15u64;
    for field in (0..2047).step_by(7) {
        bits = bits
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        xs.push(f64::from_bits((field << 52) | (bits >> 12)));
    }
    for x in xs {
        for text in halfway_cases(x) {
            assert!(text.len() < 1200);
            check(&text);
        }
        let (d, e) = exact_decimal(x.to_bits() & ((1 << 52) - 1) | 1 << 52, 0);
        check(&format!("{d}e{e}"));
    }
}

#[test]
fn long_numbers_read_as_rust_reads_them() {
    // Past 800 digits only a nonzero digit matters; it has to tip a halfway point.
    let [half, ..] = halfway_cases(f64::from_bits(1));
    let digits = half.split('e').next().unwrap().to_string();
    assert!(digits.len() > 700, "{}", digits.len());
    let zeros = "0".repeat(2000);
    for text in [
        format!("0.{}{digits}", "0".repeat(1074 - digits.len())),
        format!("0.{}{digits}{zeros}", "0".repeat(1074 - digits.len())),
        format!("0.{}{digits}{zeros}1", "0".repeat(1074 - digits.len())),
        format!("{digits}{zeros}1e-{}", 1075 + 2001),
        format!("1{zeros}"),
        format!("1{zeros}e-2000"),
        format!("1{zeros}e-2310"),
        format!("1{zeros}e-2400"),
        format!("0.{zeros}1e2000"),
        format!("0.{zeros}1e1700"),
        format!("9007199254740993{zeros}e-2000"),
        format!("9007199254740993{zeros}1e-2001"),
        "9".repeat(5000),
        format!("0.{}", "9".repeat(5000)),
        format!("0.{}", "1".repeat(5000)),
    ] {
        check(&text);
    }
}

/// The two decimals `c·10^-k` (c below 10^19) nearest to the halfway point above the
/// positive normal `x`.
fn nineteen_digits_around_halfway(x: f64, k: u32) -> Vec<String> {
    let bits = x.to_bits();
    let (m, e2) = (
        (bits & ((1 << 52) - 1)) | 1 << 52,
        (bits >> 52) as i32 - 1075,
    );
    // The halfway point is (2m + 1)·2^(e2 - 1); times 10^k it is
    // (2m + 1)·5^k·2^(e2 - 1 + k), between two integers (or one).
    let scaled = u128::from(2 * m + 1) * 5u128.pow(k);
    let shift = e2 - 1 + k as i32;
    let below = match shift {
        0.. if scaled.leading_zeros() > shift as u32 => scaled << shift,
        0.. => return Vec::new(),
        _ => scaled.checked_shr(shift.unsigned_abs()).unwrap_or(0),
    };
    [below, below + 1]
        .into_iter()
        .filter(|&c| c > 0 && c < 10_000_000_000_000_000_000)
        .map(|c| format!("{c}e-{k}"))
        .collect()
}

/// The decimals of at most 19 digits nearest to the halfway points between doubles,
/// with a power of ten from -1 to -27 (the guess-and-check path): just above or below
/// a halfway point, or on it.
#[test]
fn nineteen_digit_decimals_nearest_halfway_points() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut tried = 0;
    for _ in 0..30_000 {
        let k = 1 + (next() % 27) as u32;
        let x: f64 = format!("{}e-{k}", next() % 10_000_000_000_000_000_000)
            .parse()
            .unwrap();
        for text in nineteen_digits_around_halfway(x, k) {
            check(&text);
            tried += 1;
        }
    }
    assert!(tried > 40_000, "{tried}");
    // Below a power of two the doubles are half as far apart.
    let mut tried = 0;
    for p in -90..64 {
        let x = f64::from_bits(2f64.powi(p).to_bits() - 1);
        for k in 1..=27 {
            for text in nineteen_digits_around_halfway(x, k) {
                check(&text);
                tried += 1;
            }
        }
    }
    assert!(tried > 1000, "{tried}");
}

/// Decimals of at most 19 digits whose 128-bit product (or quotient) has its top 64
/// bits exactly at a halfway point and more bits below: only those lower bits say
/// "above". For the product, that is where `round`'s sticky flag decides.
#[test]
fn u128_path_halfway_patterns_with_low_bits() {
    let mut state = 0xdead_beef_cafe_f00du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    // The first 54 bits of `x` as a halfway pattern (53 kept bits, then a one), zeros
    // through bit 64 from the top, and the window above it in which the bits below the
    // top 64 are not all zero.
    let window = |x: u128| {
        let len = 128 - x.leading_zeros();
        let base = ((x >> (len - 54)) | 1) << (len - 54);
        (base, base + (1 << (len - 64)))
    };
    let (mut products, mut quotients) = (0, 0);
    for _ in 0..20_000 {
        let m = (1 << 63) + next() % (10_000_000_000_000_000_000 - (1 << 63));
        let e = 1 + (next() % 27) as u32;
        let p5 = 5u128.pow(e);
        // m·5^e: the smallest multiple of 5^e above the base.
        let (base, end) = window(u128::from(m) * p5);
        let m2 = base / p5 + 1;
        if m2 * p5 < end && m2 < 10_000_000_000_000_000_000 {
            check(&format!("{m2}e{e}"));
            check(&format!("{m2}e-{e}"));
            products += 1;
        }
        // m·2^64 / 5^e: the smallest m whose quotient passes the base.
        let (base, end) = window((u128::from(m) << 64) / p5);
        let m2 = ((base * p5) >> 64) + 1;
        let q = (m2 << 64) / p5;
        if q > base && q < end && m2 < 10_000_000_000_000_000_000 {
            check(&format!("{m2}e-{e}"));
            quotients += 1;
        }
    }
    assert!(
        products > 5000 && quotients > 5000,
        "{products} {quotients}"
    );
}

/// Large exponents are offset by as many leading zeros, or digits before the point.
#[test]
fn large_exponents_after_many_digits() {
    let zeros = "0".repeat(200_000);
    assert_eq!(ours(&format!("0.{zeros}1e200005")), 1e4);
    check(&format!("0.{zeros}1e200005"));
    check(&format!("0.{zeros}123e199700"));
    check(&format!("1{zeros}e-200000"));
    check(&format!("-1{zeros}e-200320"));
    check(&format!("1{zeros}1e-200001"));
}

/// A deterministic sweep over many random decimals, beyond what the property tests
/// below try each run.
#[test]
fn random_decimals_sweep() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let r = next();
        let digits = 1 + (r % 40) as usize;
        let mut text = String::from(if r >> 8 & 1 == 1 { "-" } else { "" });
        let mut body = String::new();
        let mut d = next();
        for i in 0..digits {
            if i % 19 == 0 {
                d = next();
            }
            let digit = if i == 0 { 1 + d % 9 } else { d % 10 };
            body.push((b'0' + digit as u8) as char);
            d /= 10;
        }
        match (r >> 40) % 3 {
            // Digits with a decimal point somewhere inside.
            0 if digits > 1 => {
                let at = 1 + (r >> 16) as usize % (digits - 1);
                body.insert(at, '.');
            }
            // "0.000ddd".
            1 => body = format!("0.{}{body}", "0".repeat((r >> 16) as usize % 30)),
            _ => {}
        }
        text.push_str(&body);
        let e = ((r >> 32) % 801) as i32 - 400;
        if r >> 9 & 1 == 1 {
            text = format!("{text}e{e}");
        }
        check(&text);
        // Every f64 bit pattern, shortest and 17 digits.
        let x = f64::from_bits(next());
        if x.is_finite() {
            check(&crate::json::to_string(&x));
            check(&format!("{x:.16e}"));
        }
    }
}

proptest! {
    /// Any double, written the usual ways, reads back as itself (or, rounded to fewer
    /// digits, as Rust reads it).
    #[test]
    fn doubles_written_read_back(bits in any::<u64>(), precision in 0usize..25) {
        let x = f64::from_bits(bits);
        prop_assume!(x.is_finite());
        for text in [
            crate::json::to_string(&x),
            format!("{x:e}"),
            format!("{x}"),
            format!("{x:.17e}"),
            format!("{x:.precision$e}"),
        ] {
            let expected: f64 = text.parse().unwrap();
            prop_assert_eq!(ours(&text).to_bits(), expected.to_bits(), "{}", text);
        }
    }

    /// Random decimals: up to 40 digits, a fraction or not, an exponent within ±400.
    #[test]
    fn random_decimals_read_as_rust_reads_them(
        negative in any::<bool>(),
        int in "[1-9][0-9]{0,39}|0",
        frac in proptest::option::of("[0-9]{1,40}"),
        exp in proptest::option::of(-400i32..400),
    ) {
        let mut text = format!("{}{int}", if negative { "-" } else { "" });
        if let Some(f) = &frac {
            text = format!("{text}.{f}");
        }
        if let Some(e) = exp {
            text = format!("{text}e{e}");
        }
        let expected: f64 = text.parse().unwrap();
        prop_assert_eq!(ours(&text).to_bits(), expected.to_bits(), "{}", text);
        // And through the public reader: a finite value reads as itself, anything beyond
        // `f64::MAX` is out of range.
        match crate::json::from_str::<f64>(&text) {
            Ok(x) => prop_assert_eq!(x.to_bits(), expected.to_bits(), "{}", text),
            Err(_) => prop_assert!(expected.is_infinite(), "{}", text),
        }
    }

    /// Halfway points between neighbouring doubles, and a hair either side.
    #[test]
    fn halfway_points_of_random_doubles(bits in 0u64..0x7fef_ffff_ffff_ffff) {
        for text in halfway_cases(f64::from_bits(bits)) {
            let expected: f64 = text.parse().unwrap();
            prop_assert_eq!(ours(&text).to_bits(), expected.to_bits(), "{}", text);
        }
    }
}
