//! The catalog document a site hands to Inkling, as JSON or as a JS object.
//!
//! ```json
//! {"topics": [{"id": "hiking", "label": "Hiking", "parent": "outdoors", "sensitive": false}],
//!  "items": [{"id": "a17", "title": "Ten trails", "url": "/a17", "kind": "article",
//!             "campaign": "winter-sale", "topics": {"hiking": 1.0, "travel": 0.4},
//!             "published": "2026-11-02", "popularity": 0.73,
//!             "vector": [0.1, -0.3, ...], "related": {"a18": 0.42}}]}
//! ```
//!
//! Defaults: `label` = the id, `parent` = none, `sensitive` = false; `title`,
//! `url`, `campaign`, `published` = none; `kind` = `"article"`; `popularity` = 0;
//! `topics`, `related` = empty; `vector` = none. Unknown fields are ignored, so a
//! site can keep its own data in the same document.
//!
//! Deserialization errors carry the place where they happened (see
//! [`error_from_serde`]), e.g. `/items/31/topics/hiking`.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::Error;

use super::ItemKind;

/// The whole catalog document.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct CatalogDocument {
    /// The site's topics.
    #[serde(default, deserialize_with = "indexed_topics")]
    pub topics: Vec<TopicDocument>,
    /// The site's items.
    #[serde(default, deserialize_with = "indexed_items")]
    pub items: Vec<ItemDocument>,
}

/// One topic of the taxonomy.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct TopicDocument {
    /// Unique, non-empty, at most 256 bytes.
    pub id: String,
    /// What visitors see; defaults to the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The id of the parent topic, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Whether the topic is sensitive (health, religion, …); inherited by children.
    #[serde(default)]
    pub sensitive: bool,
}

/// One item of the catalog.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct ItemDocument {
    /// Unique, non-empty, at most 256 bytes.
    pub id: String,
    /// The title shown in sentences such as "Because you liked Alien".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where the item lives; kept for the page, never used for ranking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `article` (default) or `offer` (offers have frequency caps).
    #[serde(default)]
    pub kind: ItemKind,
    /// The campaign an offer belongs to, for per-campaign frequency caps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// Topic id → weight in [0, 1]; at most 64.
    #[serde(default, deserialize_with = "topics_field")]
    pub topics: WeightMap,
    /// Publication date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// A non-negative popularity; divided by the catalog's largest, so any scale works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popularity: Option<f64>,
    /// A dense vector (8 to 256 numbers), the same length for every item.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "vector_field"
    )]
    pub vector: Option<Vec<f64>>,
    /// Item id → weight in [0, 1] of the item's nearest neighbours; at most 100.
    #[serde(
        default,
        deserialize_with = "related_field",
        skip_serializing_if = "WeightMap::is_empty"
    )]
    pub related: WeightMap,
}

/// A JSON object of id → weight, kept in document order (and compact: no tree per item).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WeightMap(pub Vec<(String, f64)>);

impl WeightMap {
    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<const N: usize> From<[(&str, f64); N]> for WeightMap {
    fn from(pairs: [(&str, f64); N]) -> Self {
        WeightMap(pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect())
    }
}

impl Serialize for WeightMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for WeightMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WeightMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of id to weight")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<WeightMap, A::Error> {
                let mut out = Vec::with_capacity(m.size_hint().unwrap_or(0).min(128));
                while let Some(k) = m.next_key::<String>()? {
                    match m.next_value::<f64>() {
                        Ok(v) => out.push((k, v)),
                        Err(e) => return Err(marked(&Seg::Key(&k), e)),
                    }
                }
                Ok(WeightMap(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// One segment of a path carried inside a serde error message.
pub(super) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Marks a serde error with the path segment where it happened.
///
/// The mark travels inside the message as `\u{1}/path\u{1}message`, because
/// serde errors are only strings; [`error_from_serde`] takes it apart again.
pub(super) fn marked<E: de::Error>(seg: &Seg, e: E) -> E {
    let inner = e.to_string();
    let (rest_path, msg) = split_mark(&inner);
    let path = match seg {
        Seg::Key(k) => super::path::Path::root().key(k),
        Seg::Index(i) => super::path::Path::root().index(*i),
    };
    let mut s = String::from("\u{1}");
    s.push_str(&path.build());
    s.push_str(rest_path);
    s.push('\u{1}');
    s.push_str(msg);
    E::custom(s)
}

fn split_mark(s: &str) -> (&str, &str) {
    if let Some(rest) = s.strip_prefix('\u{1}') {
        if let Some(end) = rest.find('\u{1}') {
            return (&rest[..end], &rest[end + 1..]);
        }
    }
    ("", s)
}

/// Turns a serde error message (from `serde_json`) into an
/// [`Error`] whose path says where in the catalog document it happened.
pub fn error_from_serde(message: &str) -> Error {
    let (path, msg) = split_mark(message);
    Error::invalid(path, msg)
}

fn field<'de, D: Deserializer<'de>, T: Deserialize<'de>>(name: &str, d: D) -> Result<T, D::Error> {
    T::deserialize(d).map_err(|e| marked(&Seg::Key(name), e))
}

fn topics_field<'de, D: Deserializer<'de>>(d: D) -> Result<WeightMap, D::Error> {
    field("topics", d)
}

fn related_field<'de, D: Deserializer<'de>>(d: D) -> Result<WeightMap, D::Error> {
    field("related", d)
}

fn vector_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
    field("vector", d)
}

pub(super) fn indexed_topics<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<TopicDocument>, D::Error> {
    indexed("topics", d)
}

pub(super) fn indexed_items<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<ItemDocument>, D::Error> {
    indexed("items", d)
}

/// A list whose element errors say which element (`/items/31`).
fn indexed<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    name: &'static str,
    d: D,
) -> Result<Vec<T>, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
            loop {
                match seq.next_element::<T>() {
                    Ok(Some(x)) => out.push(x),
                    Ok(None) => return Ok(out),
                    Err(e) => return Err(marked(&Seg::Index(out.len()), e)),
                }
            }
        }
    }
    d.deserialize_seq(V(std::marker::PhantomData))
        .map_err(|e| marked(&Seg::Key(name), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> Error {
        let e = serde_json::from_str::<CatalogDocument>(json).unwrap_err();
        error_from_serde(&e.to_string())
    }

    #[test]
    fn type_errors_name_the_place() {
        let e = err(
            r#"{"topics":[{"id":"a"}],"items":[{"id":"x"},{"id":"y","topics":{"a":"heavy"}}]}"#,
        );
        assert_eq!(e.path(), "/items/1/topics/a");
        assert!(e.message().contains("invalid type"), "{}", e.message());
        let e = err(r#"{"items":[{"id":"x","kind":"video"}]}"#);
        assert_eq!(e.path(), "/items/0");
        assert!(e.message().contains("video"));
        let e = err(r#"{"topics":[{"id":1}]}"#);
        assert_eq!(e.path(), "/topics/0");
        let e = err(r#"{"items":[{"id":"x","vector":[1,"a"]}]}"#);
        assert_eq!(e.path(), "/items/0/vector");
        let e = err(r#"{"items": 3}"#);
        assert_eq!(e.path(), "/items");
    }

    #[test]
    fn defaults_and_unknown_fields() {
        let d: CatalogDocument = serde_json::from_str(
            r#"{"site":"mine","items":[{"id":"x","extra":{"a":1},"topics":{"b":0.5,"a":1}}]}"#,
        )
        .unwrap();
        let it = &d.items[0];
        assert_eq!(it.kind, ItemKind::Article);
        assert_eq!(
            it.topics.0,
            vec![("b".to_string(), 0.5), ("a".to_string(), 1.0)]
        );
        assert!(it.related.is_empty() && it.vector.is_none() && it.popularity.is_none());
        let back: CatalogDocument =
            serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }
}
