//! Base64url without padding (RFC 4648 §5), written by hand to keep the wasm small.
//!
//! Decoding is strict: only the URL-safe alphabet, no `=` padding, no whitespace,
//! no impossible length (`len % 4 == 1`), and the unused low bits of the last
//! character must be zero, so every byte string has exactly one encoding
//! (a collector can then compare ids as strings).

use crate::error::{Error, Result};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes `bytes` as base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(encoded_len(bytes.len()));
    // Bits wait in `acc` (its low `bits` bits) until six of them make a character.
    let (mut acc, mut bits) = (0u32, 0);
    for &b in bytes {
        acc = acc << 8 | u32::from(b);
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            out.push(ALPHABET[(acc >> bits) as usize & 0x3f] as char);
        }
    }
    if bits > 0 {
        // The last character's unused low bits are zero.
        out.push(ALPHABET[(acc << (6 - bits)) as usize & 0x3f] as char);
    }
    out
}

/// The number of characters [`encode`] produces for `n` bytes: ⌈4n/3⌉.
pub fn encoded_len(n: usize) -> usize {
    (n * 4).div_ceil(3)
}

fn value_of(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes strict, canonical base64url without padding; `path` names the field in errors.
pub fn decode(text: &str, path: &str) -> Result<Vec<u8>> {
    let s = text.as_bytes();
    if s.len() % 4 == 1 {
        return Err(Error::invalid(
            path,
            "base64url text has an impossible length",
        ));
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    // As in `encode`: the low `bits` bits of `acc` wait for a whole byte.
    let (mut acc, mut bits) = (0u32, 0);
    for &c in s {
        let v = value_of(c).ok_or_else(|| {
            Error::invalid(path, "not base64url (allowed: A-Z a-z 0-9 - _, no padding)")
        })?;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // What is left is the last character's unused bits: zero in the one canonical form.
    if acc & ((1 << bits) - 1) != 0 {
        return Err(Error::invalid(
            path,
            "base64url text is not in canonical form",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_round_trip() {
        // RFC 4648 §10 test vectors, without padding.
        let cases = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, enc) in cases {
            assert_eq!(encode(plain.as_bytes()), enc);
            assert_eq!(decode(enc, "/x").unwrap(), plain.as_bytes());
            assert_eq!(encoded_len(plain.len()), enc.len());
        }
    }

    #[test]
    fn url_safe_alphabet() {
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8", "").unwrap(), vec![0xfb, 0xff]);
    }

    #[test]
    fn rejects_padding_bad_chars_bad_length_and_non_canonical() {
        for bad in ["Zg==", "Zm9v+", "Zm9v/", "Z", "Zm 9v", "Zh", "Zm9"] {
            let e = decode(bad, "/bits").unwrap_err();
            assert_eq!(e.path(), "/bits", "{bad}");
        }
    }

    #[test]
    fn all_byte_values_round_trip() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        for len in 0..bytes.len() {
            assert_eq!(decode(&encode(&bytes[..len]), "").unwrap(), &bytes[..len]);
        }
    }
}
