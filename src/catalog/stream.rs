//! Loads a catalog JSON document without holding every parsed item at once.
//!
//! Each item is read and handed to the [`Builder`] at once, then dropped: the peak
//! is the catalog plus one item, not the whole parsed document (about 70 MB for
//! 100,000 items with 8 topics each). Items need the taxonomy, so when `"items"`
//! comes before `"topics"` the reader only checks the items' syntax and keeps
//! their place in the text, and reads them once the topics are known.
//!
//! Either way type errors (a string where a number belongs) stop loading at once
//! and win over validation errors, which the builder keeps until the end; and a
//! type error in the topics wins over one in the items.

use crate::error::{Error, Result};
use crate::json::{read_in, Reader};
use crate::taxonomy::Taxonomy;
use crate::text::concat;

use super::builder::Builder;
use super::{Catalog, ItemDocument, TopicDocument};

/// Parses, validates and lays out a catalog JSON document.
pub(super) fn from_json(json: &str) -> Result<Catalog> {
    let mut r = Reader::new(json);
    let builder = read_document(&mut r)?;
    r.finish()?;
    builder.finish()
}

/// Where the items are while the document is read.
enum Items<'a> {
    /// Not met yet.
    Absent,
    /// Laid out already: the topics came first.
    Streamed(Box<Builder>),
    /// Met before the topics: their text, to read once the topics are known.
    Deferred(&'a str),
}

/// Reads the top-level object; unknown keys are the site's own and are skipped.
fn read_document<'a>(r: &mut Reader<'a>) -> Result<Box<Builder>> {
    let mut topics: Option<Vec<TopicDocument>> = None;
    let mut items = Items::Absent;
    r.object(|r, key| match key {
        "topics" => {
            if topics.is_some() {
                return Err(r.duplicate_field());
            }
            // Each topic read in place by the record loop, then kept: a list reader and
            // a whole-record reader of their own were compiled for this one list.
            let list = topics.insert(Vec::new());
            r.array(|r, i| {
                list.push(TopicDocument::default());
                read_in(r, &mut list[i])
            })
        }
        "items" => {
            if !matches!(items, Items::Absent) {
                return Err(r.duplicate_field());
            }
            items = match &topics {
                Some(t) => Items::Streamed(read_items(r, builder(t))?),
                None => Items::Deferred(r.raw()?),
            };
            Ok(())
        }
        _ => r.skip(),
    })?;
    let topics = topics.unwrap_or_default();
    match items {
        Items::Absent => Ok(builder(&topics)),
        Items::Streamed(b) => Ok(b),
        Items::Deferred(text) => {
            // The text passed `raw`, so only type errors can arise here, and their
            // paths are relative to the items array.
            read_items(&mut Reader::new(text), builder(&topics)).map_err(|e| under("/items", e))
        }
    }
}

/// A builder over the taxonomy of `topics` (or the error building it, which waits
/// in the builder so that type errors in the items still win over it).
fn builder(topics: &[TopicDocument]) -> Box<Builder> {
    Box::new(Builder::new(Taxonomy::from_documents(topics)))
}

/// Reads the items array, laying out each item as soon as it is read. Every item
/// is read into the same document, whose strings and lists are reused.
fn read_items(r: &mut Reader<'_>, mut b: Box<Builder>) -> Result<Box<Builder>> {
    let mut item = ItemDocument::default();
    r.array(|r, _| {
        item.read_over(r)?;
        b.push(&item);
        Ok(())
    })?;
    Ok(b)
}

/// `e` with `prefix` before its path: for an error from a reader over part of the document.
fn under(prefix: &str, e: Error) -> Error {
    Error::new(e.kind(), concat(&[prefix, e.path()]), e.message())
}
