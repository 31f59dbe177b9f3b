//! Small text helpers the shipped code uses instead of `format!` and the standard
//! library's general routines: each of those brings its own machinery into the
//! download (`core::fmt`, the join with a copy loop per separator length, the
//! generic integer parser), for what the crate needs in a few lines.

/// Appends an object key as a JSON pointer spells it (RFC 6901): `~` as `~0`, then
/// `/` as `~1`, so a key holding a slash does not read as two steps.
pub fn push_key(out: &mut String, key: &str) {
    // By bytes: both characters are ASCII, so every cut falls between characters.
    let mut start = 0;
    for (i, b) in key.bytes().enumerate() {
        let escaped = match b {
            b'~' => "~0",
            b'/' => "~1",
            _ => continue,
        };
        out.push_str(&key[start..i]);
        out.push_str(escaped);
        start = i + 1;
    }
    out.push_str(&key[start..]);
}

/// `parts` end to end, in one allocation: `[&str]::concat` without the standard
/// library's general join, which carries a copy loop for each separator length.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// The whole number `text` spells in decimal digits (no sign), if it fits a `u64`: what
/// `str::parse::<u64>` gives for JSON's unsigned integers, without its general parser.
pub fn parse_uint(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, c| {
        let digit = c.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// Appends the decimal digits of `n` (a tiny `itoa`, so no `fmt` machinery is pulled in).
pub fn push_uint(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    for &b in uint_digits(n, &mut buf) {
        out.push(b as char);
    }
}

/// The decimal digits of `n`, written at the end of `buf`.
pub fn uint_digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_uint_writes_decimal_digits() {
        let mut s = String::new();
        push_uint(&mut s, 0);
        push_uint(&mut s, 1234567);
        push_uint(&mut s, u64::MAX);
        assert_eq!(s, "0123456718446744073709551615");
    }

    #[test]
    fn push_key_escapes_as_a_json_pointer() {
        let mut s = String::new();
        push_key(&mut s, "a/b~c é");
        assert_eq!(s, "a~1b~0c é");
    }

    #[test]
    fn concat_and_parse_uint_match_the_standard_library() {
        assert_eq!(concat(&[]), "");
        assert_eq!(concat(&["a", "", "bc", "é"]), ["a", "", "bc", "é"].concat());
        for text in [
            "0",
            "7",
            "0012",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "",
            "-1",
            "1.0",
            "1e3",
            " 1",
            "1/",
            "1:",
        ] {
            assert_eq!(parse_uint(text), text.parse::<u64>().ok(), "{text:?}");
        }
    }
}
