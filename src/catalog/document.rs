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
//! Reading goes through [`crate::json`], whose errors name the place where they
//! happened, e.g. `/items/31/topics/hiking`. Writing goes through [`crate::json::ToJson`],
//! field for field in the order above, leaving out absent optional fields.

use crate::error::Result;
use crate::json::{read_fields, read_record, FromJson, Reader, Record, ToJson, Writer};

use super::ItemKind;

/// The whole catalog document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CatalogDocument {
    /// The site's topics.
    pub topics: Vec<TopicDocument>,
    /// The site's items.
    pub items: Vec<ItemDocument>,
}

/// One topic of the taxonomy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TopicDocument {
    /// Unique, non-empty, at most 256 bytes.
    pub id: String,
    /// What visitors see; defaults to the id.
    pub label: Option<String>,
    /// The id of the parent topic, if any.
    pub parent: Option<String>,
    /// Whether the topic is sensitive (health, religion, …); inherited by children.
    pub sensitive: bool,
}

/// One item of the catalog.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemDocument {
    /// Unique, non-empty, at most 256 bytes.
    pub id: String,
    /// The title shown in sentences such as "Because you liked Alien".
    pub title: Option<String>,
    /// Where the item lives; kept for the page, never used for ranking.
    pub url: Option<String>,
    /// `article` (default) or `offer` (offers have frequency caps).
    pub kind: ItemKind,
    /// The campaign an offer belongs to, for per-campaign frequency caps.
    pub campaign: Option<String>,
    /// Topic id → weight in [0, 1]; at most 64.
    pub topics: WeightMap,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// A non-negative popularity; divided by the catalog's largest, so any scale works.
    pub popularity: Option<f64>,
    /// A dense vector (8 to 256 numbers), the same length for every item.
    pub vector: Option<Vec<f64>>,
    /// Item id → weight in [0, 1] of the item's nearest neighbours; at most 100.
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

impl ToJson for CatalogDocument {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("topics", &self.topics);
            o.field("items", &self.items);
        });
    }
}

impl ToJson for TopicDocument {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("id", &self.id);
            o.field_some("label", &self.label);
            o.field_some("parent", &self.parent);
            o.field("sensitive", &self.sensitive);
        });
    }
}

impl ToJson for ItemDocument {
    fn write_json(&self, w: &mut Writer) {
        w.object(|o| {
            o.field("id", &self.id);
            o.field_some("title", &self.title);
            o.field_some("url", &self.url);
            o.field("kind", &self.kind);
            o.field_some("campaign", &self.campaign);
            o.field("topics", &self.topics);
            o.field_some("published", &self.published);
            o.field_some("popularity", &self.popularity);
            o.field_some("vector", &self.vector);
            // `topics` is always written, `related` only when there is something in it.
            if !self.related.is_empty() {
                o.field("related", &self.related);
            }
        });
    }
}

impl ToJson for WeightMap {
    /// An object in document order. Its keys are ids (data, escaped), not field names, so
    /// it is written entry by entry rather than with [`Writer::object`].
    fn write_json(&self, w: &mut Writer) {
        w.raw("{");
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                w.raw(",");
            }
            w.str(k);
            w.raw(":");
            w.f64(*v);
        }
        w.raw("}");
    }
}

impl ToJson for ItemKind {
    fn write_json(&self, w: &mut Writer) {
        w.str(match self {
            ItemKind::Article => "article",
            ItemKind::Offer => "offer",
        });
    }
}

impl FromJson for CatalogDocument {
    /// Reads the whole document into memory; [`super::Catalog::from_json`] does not need to.
    fn read(r: &mut Reader<'_>) -> Result<CatalogDocument> {
        read_record(r)
    }
}

impl Record for CatalogDocument {
    const KEYS: &'static [&'static str] = &["topics", "items"];
    const OPTIONAL: u32 = !0;
    // A site may keep its own data next to ours.
    const SKIP_UNKNOWN: bool = true;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.topics),
            _ => r.read_into(&mut self.items),
        }
    }
}

impl FromJson for TopicDocument {
    /// `id` required; `label` and `parent` may be left out or `null`.
    fn read(r: &mut Reader<'_>) -> Result<TopicDocument> {
        read_record(r)
    }
}

impl Record for TopicDocument {
    const KEYS: &'static [&'static str] = &["id", "label", "parent", "sensitive"];
    const OPTIONAL: u32 = !1;
    // A site may keep its own data next to ours.
    const SKIP_UNKNOWN: bool = true;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.id),
            1 => r.read_into(&mut self.label),
            2 => r.read_into(&mut self.parent),
            _ => r.read_into(&mut self.sensitive),
        }
    }
}

impl FromJson for ItemDocument {
    fn read(r: &mut Reader<'_>) -> Result<ItemDocument> {
        let mut it = ItemDocument::default();
        it.read_over(r)?;
        Ok(it)
    }
}

/// The item's fields, in the order [`ItemDocument::read_field`] numbers them.
const ITEM_KEYS: &[&str] = &[
    "id",
    "title",
    "url",
    "kind",
    "campaign",
    "topics",
    "published",
    "popularity",
    "vector",
    "related",
];

/// One bit per item field (bit `i` for `ITEM_KEYS[i]`), to reset absent ones.
mod bit {
    pub const ID: u32 = 1;
    pub const TITLE: u32 = 1 << 1;
    pub const URL: u32 = 1 << 2;
    pub const KIND: u32 = 1 << 3;
    pub const CAMPAIGN: u32 = 1 << 4;
    pub const TOPICS: u32 = 1 << 5;
    pub const PUBLISHED: u32 = 1 << 6;
    pub const POPULARITY: u32 = 1 << 7;
    pub const VECTOR: u32 = 1 << 8;
    pub const RELATED: u32 = 1 << 9;
}

impl ItemDocument {
    /// Reads an item in place of this one, reusing its strings and lists.
    ///
    /// The loader reads every item into the same document, so reading an item
    /// allocates nothing once the first few are read; the catalog copies what it keeps.
    /// Only `id` is required; a site may keep its own data next to ours.
    pub(super) fn read_over(&mut self, r: &mut Reader<'_>) -> Result<()> {
        let read = &mut |r: &mut Reader<'_>, i| self.read_field(r, i);
        let seen = read_fields(r, ITEM_KEYS, !bit::ID, true, read)?;
        self.reset_absent(seen);
        Ok(())
    }

    /// Reads the value of the field `ITEM_KEYS[i]` into its place.
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.id)?,
            1 => read_optional_string(r, &mut self.title)?,
            2 => read_optional_string(r, &mut self.url)?,
            3 => self.kind = ItemKind::read(r)?,
            4 => read_optional_string(r, &mut self.campaign)?,
            5 => self.topics.read_over(r)?,
            6 => read_optional_string(r, &mut self.published)?,
            7 => r.read_into(&mut self.popularity)?,
            8 => read_vector(r, &mut self.vector)?,
            _ => self.related.read_over(r)?,
        }
        Ok(())
    }

    /// Gives the fields this item did not have their defaults again.
    fn reset_absent(&mut self, seen: u32) {
        let absent = |field: u32| seen & field == 0;
        clear_text(&mut self.title, absent(bit::TITLE));
        clear_text(&mut self.url, absent(bit::URL));
        if absent(bit::KIND) {
            self.kind = ItemKind::default();
        }
        clear_text(&mut self.campaign, absent(bit::CAMPAIGN));
        if absent(bit::TOPICS) {
            self.topics.0.clear();
        }
        clear_text(&mut self.published, absent(bit::PUBLISHED));
        if absent(bit::POPULARITY) {
            self.popularity = None;
        }
        if absent(bit::VECTOR) {
            self.vector = None;
        }
        if absent(bit::RELATED) {
            self.related.0.clear();
        }
    }
}

/// Sets `slot` to `None` when `absent`: one body for the item's four optional texts.
#[inline(never)]
fn clear_text(slot: &mut Option<String>, absent: bool) {
    if absent {
        *slot = None;
    }
}

/// Reads a string or `null` into `slot`, reusing the string already there.
fn read_optional_string(r: &mut Reader<'_>, slot: &mut Option<String>) -> Result<()> {
    if r.null()? {
        *slot = None;
        return Ok(());
    }
    r.read_into(slot.get_or_insert_with(String::new))
}

/// Reads an array of numbers or `null` into `slot`, reusing the list already there.
fn read_vector(r: &mut Reader<'_>, slot: &mut Option<Vec<f64>>) -> Result<()> {
    if r.null()? {
        *slot = None;
        return Ok(());
    }
    let v = slot.get_or_insert_with(Vec::new);
    v.clear();
    r.array(|r, _| {
        v.push(r.f64()?);
        Ok(())
    })
}

impl FromJson for ItemKind {
    fn read(r: &mut Reader<'_>) -> Result<ItemKind> {
        Ok(match r.one_of(&["article", "offer"])? {
            0 => ItemKind::Article,
            _ => ItemKind::Offer,
        })
    }
}

impl FromJson for WeightMap {
    fn read(r: &mut Reader<'_>) -> Result<WeightMap> {
        let mut m = WeightMap::default();
        m.read_over(r)?;
        Ok(m)
    }
}

impl WeightMap {
    /// Reads an object of id to weight in place of this map, reusing its strings.
    /// A repeated id is kept twice, so that validation can name it.
    fn read_over(&mut self, r: &mut Reader<'_>) -> Result<()> {
        let mut n = 0;
        r.object(|r, key| {
            let w = r.f64()?;
            match self.0.get_mut(n) {
                Some((k, v)) => {
                    k.clear();
                    k.push_str(key);
                    *v = w;
                }
                None => self.0.push((key.to_string(), w)),
            }
            n += 1;
            Ok(())
        })?;
        self.0.truncate(n);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::json::{from_str, to_string};
    use proptest::prelude::*;

    fn err(json: &str) -> (String, String) {
        let e = from_str::<CatalogDocument>(json).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid, "{e:?}");
        (e.path().to_string(), e.message().to_string())
    }

    fn at(path: &str, message: &str) -> (String, String) {
        (path.to_string(), message.to_string())
    }

    #[test]
    fn type_errors_name_the_place() {
        assert_eq!(
            err(
                r#"{"topics":[{"id":"a"}],"items":[{"id":"x"},{"id":"y","topics":{"a":"heavy"}}]}"#
            ),
            at("/items/1/topics/a", "expected a number")
        );
        assert_eq!(
            err(r#"{"items":[{"id":"x","kind":"video"}]}"#),
            at(
                "/items/0/kind",
                "unknown value `video`, expected one of `article`, `offer`"
            )
        );
        assert_eq!(
            err(r#"{"topics":[{"id":1}]}"#),
            at("/topics/0/id", "expected a string")
        );
        assert_eq!(
            err(r#"{"items":[{"id":"x","vector":[1,"a"]}]}"#),
            at("/items/0/vector/1", "expected a number")
        );
        assert_eq!(err(r#"{"items": 3}"#), at("/items", "expected an array"));
        assert_eq!(
            err(r#"{"items":[{"title":"x"}]}"#),
            at("/items/0", "missing field `id`")
        );
        assert_eq!(
            err(r#"{"items":[{"id":"x","url":"/x","id":"y"}]}"#),
            at("/items/0/id", "duplicate field")
        );
        assert_eq!(
            err(r#"{"topics":[{"id":"a","sensitive":null}]}"#),
            at("/topics/0/sensitive", "expected true or false")
        );
        assert_eq!(
            err(r#"{"items":[{"id":"x","related":null}]}"#),
            at("/items/0/related", "expected an object")
        );
    }

    #[test]
    fn defaults_and_unknown_fields() {
        let d: CatalogDocument = from_str(
            r#"{"site":"mine","items":[{"id":"x","extra":{"a":1},"topics":{"b":0.5,"a":1},
                "title":null,"popularity":null,"vector":null}],
                "topics":[{"id":"a","label":null,"mine":[1]}]}"#,
        )
        .unwrap();
        let it = &d.items[0];
        assert_eq!(it.kind, ItemKind::Article);
        assert_eq!(
            it.topics.0,
            vec![("b".to_string(), 0.5), ("a".to_string(), 1.0)]
        );
        assert!(it.related.is_empty() && it.vector.is_none() && it.popularity.is_none());
        assert!(it.title.is_none());
        assert_eq!(
            d.topics,
            vec![TopicDocument {
                id: "a".into(),
                ..Default::default()
            }]
        );
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        prop::option::of("\\PC{0,8}|[\"\\\\\u{0}-\u{1f}]{1,3}")
    }

    fn weights(max: usize) -> impl Strategy<Value = WeightMap> {
        prop::collection::vec(("\\PC{0,6}", -1e30..1e30f64), 0..max).prop_map(WeightMap)
    }

    prop_compose! {
        fn topic()(id in "\\PC{1,8}", label in opt_text(), parent in opt_text(),
                   sensitive in any::<bool>()) -> TopicDocument {
            TopicDocument { id, label, parent, sensitive }
        }
    }

    prop_compose! {
        fn item()(id in "\\PC{1,8}", title in opt_text(), url in opt_text(),
                  offer in any::<bool>(), campaign in opt_text(), topics in weights(4),
                  published in opt_text(),
                  popularity in prop::option::of(prop_oneof![Just(0.1), 0.0..1e6f64]),
                  vector in prop::option::of(prop::collection::vec(-10.0..10.0f64, 0..10)),
                  related in weights(3)) -> ItemDocument {
            let kind = if offer { ItemKind::Offer } else { ItemKind::Article };
            ItemDocument {
                id, title, url, kind, campaign, topics, published, popularity, vector, related,
            }
        }
    }

    proptest! {
        #[test]
        fn reads_back_what_it_writes(
            topics in prop::collection::vec(topic(), 0..4),
            items in prop::collection::vec(item(), 0..6),
        ) {
            let d = CatalogDocument { topics, items };
            prop_assert_eq!(from_str::<CatalogDocument>(&to_string(&d)).unwrap(), d);
        }
    }

    #[test]
    fn writes_what_it_reads() {
        let text = r#"{"topics":[{"id":"h","label":"Hiking","parent":"o","sensitive":true},{"id":"o","sensitive":false}],"items":[{"id":"a","title":"A","url":"/a","kind":"offer","campaign":"c","topics":{"h":1.0,"o":0.5},"published":"2026-11-02","popularity":3.0,"vector":[1.0,-2.5],"related":{"b":0.25}},{"id":"b","kind":"article","topics":{}}]}"#;
        let d: CatalogDocument = from_str(text).unwrap();
        assert_eq!(to_string(&d), text);
    }

    #[test]
    fn writes_escapes_shortest_floats_and_nan_as_null() {
        let d = CatalogDocument {
            topics: vec![TopicDocument {
                id: "h".into(),
                label: Some("Hi\"king".into()),
                ..Default::default()
            }],
            items: vec![ItemDocument {
                id: "a\\\"\u{0}".into(),
                title: Some("Ten \"trails\"\n".into()),
                topics: WeightMap::from([("o", 0.1), ("c\"", 1e21)]),
                popularity: Some(f64::NAN),
                vector: Some(vec![0.1, -0.3, 1e-7, 3.0]),
                ..Default::default()
            }],
        };
        assert_eq!(
            to_string(&d),
            r#"{"topics":[{"id":"h","label":"Hi\"king","sensitive":false}],"items":[{"id":"a\\\"\u0000","title":"Ten \"trails\"\n","kind":"article","topics":{"o":0.1,"c\"":1e+21},"popularity":null,"vector":[0.1,-0.3,1e-7,3.0]}]}"#
        );
    }
}
