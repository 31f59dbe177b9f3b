//! JSON-pointer-like paths for error messages (`/items/31/topics/hikin`),
//! built without `format!` to keep the shipped code small.

/// A path being built, one segment at a time.
#[derive(Clone, Debug, Default)]
pub struct Path(String);

impl Path {
    /// The whole document (the empty path).
    pub fn root() -> Path {
        Path(String::new())
    }

    /// Appends an object key, escaping `~` as `~0` and `/` as `~1` (RFC 6901).
    pub fn key(mut self, key: &str) -> Path {
        self.0.push('/');
        for c in key.chars() {
            match c {
                '~' => self.0.push_str("~0"),
                '/' => self.0.push_str("~1"),
                c => self.0.push(c),
            }
        }
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
}
