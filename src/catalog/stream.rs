//! Loads a catalog JSON document without holding every parsed item at once.
//!
//! When `"topics"` comes before `"items"` (the documented order), the taxonomy
//! is built first and each item is handed to the [`Builder`] as soon as it is
//! parsed, then dropped: the peak is the catalog plus one item, not the whole
//! parsed document (about 70 MB for 100,000 items with 8 topics each). When
//! `"items"` comes first, the items are parsed into a [`CatalogDocument`] as
//! before. Syntax and type errors stop parsing at once and win over validation
//! errors, as they do when the whole document is parsed first.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::error::Result;
use crate::taxonomy::Taxonomy;

use super::builder::Builder;
use super::document::{indexed_items, indexed_topics, marked, Seg};
use super::{error_from_serde, Catalog, CatalogDocument, ItemDocument};

/// Parses, validates and lays out a catalog JSON document.
pub(super) fn from_json(json: &str) -> Result<Catalog> {
    let serde_err = |e: serde_json::Error| error_from_serde(&e.to_string());
    if !json.trim_start().starts_with('{') {
        // Not an object (a list, or not a document at all): the document's own
        // deserializer gives the same errors as ever.
        let doc: CatalogDocument = serde_json::from_str(json).map_err(serde_err)?;
        return Catalog::from_document(doc);
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed = de.deserialize_map(DocumentVisitor).map_err(serde_err)?;
    de.end().map_err(serde_err)?;
    match parsed {
        Parsed::Streamed(b) => b.finish(),
        Parsed::Buffered(doc) => Catalog::from_document(doc),
    }
}

/// A parsed document: items already laid out, or kept for [`Catalog::from_document`].
enum Parsed {
    Streamed(Box<Builder>),
    Buffered(CatalogDocument),
}

/// The top-level keys of the document.
enum Key {
    Topics,
    Items,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("field identifier")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Key, E> {
                Ok(match s {
                    "topics" => Key::Topics,
                    "items" => Key::Items,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

/// The topics list, with element errors naming their place (`/topics/3`).
struct Topics(Vec<super::TopicDocument>);

impl<'de> Deserialize<'de> for Topics {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        indexed_topics(d).map(Topics)
    }
}

/// The items list, parsed into a [`CatalogDocument`]'s items.
struct BufferedItems(Vec<ItemDocument>);

impl<'de> Deserialize<'de> for BufferedItems {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        indexed_items(d).map(BufferedItems)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("struct CatalogDocument")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> std::result::Result<Parsed, A::Error> {
        let mut topics: Option<Vec<super::TopicDocument>> = None;
        let mut items: Option<Parsed> = None;
        while let Some(key) = m.next_key::<Key>()? {
            match key {
                Key::Topics => {
                    if topics.is_some() {
                        return Err(de::Error::duplicate_field("topics"));
                    }
                    topics = Some(m.next_value::<Topics>()?.0);
                }
                Key::Items => {
                    if items.is_some() {
                        return Err(de::Error::duplicate_field("items"));
                    }
                    items = Some(match &topics {
                        Some(t) => Parsed::Streamed(Box::new(m.next_value_seed(StreamedItems(
                            Builder::new(Taxonomy::from_documents(t)),
                        ))?)),
                        None => Parsed::Buffered(CatalogDocument {
                            topics: Vec::new(),
                            items: m.next_value::<BufferedItems>()?.0,
                        }),
                    });
                }
                Key::Other => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        let topics = topics.unwrap_or_default();
        Ok(match items {
            Some(Parsed::Streamed(b)) => Parsed::Streamed(b),
            Some(Parsed::Buffered(doc)) => Parsed::Buffered(CatalogDocument {
                topics,
                items: doc.items,
            }),
            None => Parsed::Buffered(CatalogDocument {
                topics,
                items: Vec::new(),
            }),
        })
    }
}

/// The items list, each item laid out as soon as it is parsed.
struct StreamedItems(Builder);

impl<'de> DeserializeSeed<'de> for StreamedItems {
    type Value = Builder;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Builder, D::Error> {
        d.deserialize_seq(self)
            .map_err(|e| marked(&Seg::Key("items"), e))
    }
}

impl<'de> Visitor<'de> for StreamedItems {
    type Value = Builder;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Builder, A::Error> {
        let mut b = self.0;
        let mut i = 0usize;
        loop {
            match seq.next_element::<ItemDocument>() {
                Ok(Some(it)) => b.push(it),
                Ok(None) => return Ok(b),
                Err(e) => return Err(marked(&Seg::Index(i), e)),
            }
            i += 1;
        }
    }
}
