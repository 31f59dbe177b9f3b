//! JSON-pointer-like paths for error messages (`/items/31/topics/hikin`),
//! built without `format!` to keep the shipped code small.

use crate::error::{Error, ErrorKind};
use crate::text::{push_key, push_uint};

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

    /// Checks `id`, the id of entry `i` (see [`crate::taxonomy::check_id`]): one body for
    /// the catalog's id checks, rather than that generic check inlined at each.
    #[inline(never)]
    pub(crate) fn check_id(self, id: &str, i: usize) -> crate::error::Result<()> {
        crate::taxonomy::check_id(id, || self.path(i))
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
/// The entries of the flat vector array given with [`super::Catalog::with_vectors`].
pub(crate) const VECTORS: Field = Field("vectors", "");

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
    }
}
