//! JSON-pointer-like paths for error messages (`/items/31/topics/hikin`),
//! built without `format!` to keep the shipped code small.

use crate::error::{Error, ErrorKind};

/// A path being built, one segment at a time.
#[derive(Clone, Debug, Default)]
pub struct Path(String);

impl Path {
    /// The whole document (the empty path).
    pub fn root() -> Path {
        Path(String::new())
    }

    /// Appends an object key (escaped, see [`push_key`]).
    pub fn key(mut self, key: &str) -> Path {
        self.0.push('/');
        push_key(&mut self.0, key);
        self
    }

    /// Appends an array index.
    pub fn index(mut self, i: usize) -> Path {
        self.0.push('/');
        push_uint(&mut self.0, i as u64);
        self
    }

    /// The finished path.
    pub fn build(self) -> String {
        self.0
    }
}

/// Appends an object key as a JSON pointer spells it (RFC 6901): `~` as `~0`, then
/// `/` as `~1`, so a key holding a slash does not read as two steps.
pub fn push_key(out: &mut String, key: &str) {
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
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
pub fn push_uint(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

/// A field of every entry of a list: `Field("items", "topics")` is `/items/<i>/topics`.
/// Errors are built out of line from one of these rather than from a closure:
/// the catalog checks are many, and each inlined path builder added to the shipped wasm.
#[derive(Clone, Copy)]
pub(crate) struct Field(&'static str, &'static str);

impl Field {
    /// The path of the field of entry `i`.
    #[inline(never)]
    pub(crate) fn path(self, i: usize) -> Path {
        let p = Path::root().key(self.0).index(i);
        if self.1.is_empty() {
            p
        } else {
            p.key(self.1)
        }
    }

    /// An error at entry `i`, or at `sub` (a topic or item id) below it.
    #[inline(never)]
    pub(crate) fn error(
        self,
        kind: ErrorKind,
        i: usize,
        sub: Option<&str>,
        message: &str,
    ) -> Error {
        let p = self.path(i);
        let p = match sub {
            Some(s) => p.key(s),
            None => p,
        };
        Error::new(kind, p.build(), message)
    }
}

pub(crate) const TOPIC_ID: Field = Field("topics", "id");
pub(crate) const TOPIC_LABEL: Field = Field("topics", "label");
pub(crate) const TOPIC_PARENT: Field = Field("topics", "parent");
pub(crate) const TOPIC_SENSITIVE: Field = Field("topics", "sensitive");
pub(crate) const ITEM_ID: Field = Field("items", "id");
pub(crate) const ITEM_TITLE: Field = Field("items", "title");
pub(crate) const ITEM_URL: Field = Field("items", "url");
pub(crate) const ITEM_KIND: Field = Field("items", "kind");
pub(crate) const ITEM_CAMPAIGN: Field = Field("items", "campaign");
pub(crate) const ITEM_PUBLISHED: Field = Field("items", "published");
pub(crate) const ITEM_POPULARITY: Field = Field("items", "popularity");
pub(crate) const ITEM_TOPICS: Field = Field("items", "topics");
pub(crate) const ITEM_VECTOR: Field = Field("items", "vector");
pub(crate) const ITEM_RELATED: Field = Field("items", "related");
pub(crate) const CAMPAIGN: Field = Field("campaigns", "");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_escaped_paths() {
        assert_eq!(
            Path::root()
                .key("items")
                .index(31)
                .key("topics")
                .key("a/b~c")
                .build(),
            "/items/31/topics/a~1b~0c"
        );
        assert_eq!(Path::root().build(), "");
        let mut s = String::new();
        push_uint(&mut s, 0);
        push_uint(&mut s, 1234567);
        assert_eq!(s, "01234567");
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
