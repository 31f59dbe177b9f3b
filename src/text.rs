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

/// How many bytes at the start of `bytes` are valid UTF-8: all of them when they are,
/// else where the first bad or unfinished sequence starts. The `valid_up_to` of
/// `str::from_utf8`, and as strict (no overlong forms, no surrogates, nothing above
/// U+10FFFF), in a fraction of its code. ASCII is passed sixteen bytes at a time, as
/// many as its own fast path takes natively and twice what it takes in wasm.
pub fn utf8_valid_up_to(bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() {
        // Sixteen bytes at a time up to the first that is not ASCII, whose top bit
        // is the lowest set in the little-endian word.
        while let Some(&block) = bytes[i..].first_chunk::<16>() {
            let high = u128::from_le_bytes(block) & (u128::MAX / 255 * 0x80);
            if high != 0 {
                i += high.trailing_zeros() as usize / 8;
                break;
            }
            i += 16;
        }
        // A sequence's length is its first byte's leading ones (none for ASCII, and one
        // for a byte that can only follow); its code point must be a char (no
        // surrogates, nothing past U+10FFFF) that takes exactly that many bytes (no
        // overlong forms).
        let Some(&lead) = bytes.get(i) else { break };
        let len = lead.leading_ones() as usize;
        if len == 0 {
            i += 1;
            continue;
        }
        let mut code = u32::from(lead) & (0x7F >> len);
        for k in 1..len.min(5) {
            match bytes.get(i + k) {
                Some(&b) if b & 0xC0 == 0x80 => code = code << 6 | u32::from(b & 0x3F),
                _ => return i,
            }
        }
        match char::from_u32(code) {
            Some(c) if len > 1 && c.len_utf8() == len => i += len,
            _ => return i,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where `str::from_utf8` stops, or the length when it does not.
    fn std_valid_up_to(b: &[u8]) -> usize {
        std::str::from_utf8(b).map_or_else(|e| e.valid_up_to(), str::len)
    }

    #[test]
    fn utf8_check_agrees_with_the_standard_library_on_every_short_sequence() {
        // Every sequence of one to three bytes, and every four-byte one whose last two
        // bytes are at or next to the edges of the continuation range.
        let edges = [
            0x00, 0x7F, 0x80, 0x81, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF,
        ];
        let mut b = Vec::new();
        for x in 0..=255u8 {
            for y in 0..=255u8 {
                for z in 0..=255u8 {
                    for seq in [&[x][..], &[x, y], &[x, y, z]] {
                        assert_eq!(utf8_valid_up_to(seq), std_valid_up_to(seq), "{seq:x?}");
                    }
                    if !(4..=0xF0).contains(&z) {
                        for &w in &edges {
                            b.clear();
                            b.extend_from_slice(&[x, y, z, w]);
                            assert_eq!(utf8_valid_up_to(&b), std_valid_up_to(&b), "{b:x?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn utf8_check_agrees_with_the_standard_library_within_ascii_text() {
        // Bad and good sequences at every place around and across the 16-byte blocks.
        let inserts: [&[u8]; 8] = [
            b"\xC3\xA9",
            "🙂".as_bytes(),
            "€".as_bytes(),
            b"\xED\xA0\x80",
            b"\xF4\x90\x80\x80",
            b"\xC0\xAF",
            b"\xE2\x82",
            b"\x80",
        ];
        for len in 0..40 {
            let ascii = vec![b'a'; len];
            assert_eq!(utf8_valid_up_to(&ascii), len);
            for at in 0..=len {
                for ins in inserts {
                    let mut b = vec![b'a'; len];
                    b.splice(at..at, ins.iter().copied());
                    assert_eq!(utf8_valid_up_to(&b), std_valid_up_to(&b), "{b:x?}");
                    b.extend_from_slice(ins);
                    assert_eq!(utf8_valid_up_to(&b), std_valid_up_to(&b), "{b:x?}");
                }
            }
        }
    }

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
