//! The site's catalog: items, their topics, optional vectors and related items.
//!
//! Load it from JSON with [`Catalog::from_json`], from a [`CatalogDocument`]
//! with [`Catalog::from_document`], or from a compiled catalog (see [`binary`])
//! with [`Catalog::from_bytes`]. Everything is validated and errors name the
//! place (`/items/31/topics/hikin`).
//!
//! In memory the catalog is compact and fast to scan: topic ids are interned to
//! [`TopicIx`], item topic weights live in one flat sparse layout (CSR: an
//! offsets array and parallel index/weight arrays), vectors in one flat
//! unit-row array, related items in a second CSR. Item ids are found by binary
//! search over a sorted permutation, which also gives every item its rank in id
//! order so ties in ranking are broken by id with an integer comparison.
//!
//! Limits: at most 1,000,000 items, 10,000 topics, 64 topics per item,
//! 100 related items per item, 256-byte ids, vectors of 8 to 256 numbers.

pub mod binary;
mod builder;
pub mod date;
pub mod document;
pub mod path;
mod stream;
pub(crate) mod strings;
pub mod vectors;

use crate::hash::StrIndex;

pub use document::{CatalogDocument, ItemDocument, TopicDocument, WeightMap};
use path::{ITEM_TOPICS, VECTORS};
use strings::StrList;
pub use vectors::Vectors;

use crate::error::{Error, ErrorKind, Result};
use crate::taxonomy::{Taxonomy, TopicIx};

/// At most this many items in a catalog.
pub const MAX_ITEMS: usize = 1_000_000;
/// At most this many topics on one item.
pub const MAX_TOPICS_PER_ITEM: usize = 64;
/// At most this many related items on one item.
pub const MAX_RELATED_PER_ITEM: usize = 100;

/// What an item is. Offers are subject to frequency caps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// Editorial content (the default).
    #[default]
    Article = 0,
    /// Something promoted: shown at most a few times per day.
    Offer = 1,
}

/// Marks "no campaign" / "no date" in the flat arrays.
const NONE_U32: u32 = u32::MAX;
const NO_DATE: i32 = i32::MIN;
/// Marks "no primary topic".
pub(crate) const NO_TOPIC: u16 = u16::MAX;

/// A validated catalog, laid out for fast scanning.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalog {
    taxonomy: Taxonomy,
    ids: StrList,
    /// Empty for none, as in the document.
    titles: StrList,
    /// Empty for none, as in the document.
    urls: StrList,
    /// Item indices sorted by id: binary search for lookups.
    by_id: Vec<u32>,
    /// Rank of each item's id in id order: integer tie-break.
    id_rank: Vec<u32>,
    /// Each item's [`ItemKind`] as a byte (0 article, 1 offer), as a compiled catalog
    /// stores them: it loads them in one copy.
    kinds: Vec<u8>,
    campaign: Vec<u32>,
    /// Campaign names in the order items first name them, each found by its name.
    campaigns: StrIndex,
    published: Vec<i32>,
    /// Popularity divided by the catalog's largest: in [0, 1].
    popularity: Vec<f32>,
    topic_off: Vec<u32>,
    topic_ix: Vec<u16>,
    topic_w: Vec<f32>,
    /// 1 / max(1, Σ topic weights): an item's topic score is a weighted mean, not a sum.
    topic_norm: Vec<f32>,
    /// The heaviest topic (lowest index on ties), for the diversity rule.
    primary: Vec<u16>,
    /// Whether any of the item's topics is sensitive.
    sensitive_item: Vec<bool>,
    vectors: Option<Vectors>,
    rel_off: Vec<u32>,
    rel_item: Vec<u32>,
    /// Related weights divided by the catalog's largest: in [0, 1].
    rel_w: Vec<f32>,
}

impl Catalog {
    /// Parses and validates a catalog JSON document.
    ///
    /// Items are checked and laid out one at a time as they are read, so loading
    /// needs little more memory than the catalog itself. When `"items"` comes
    /// before `"topics"`, they are read after the topics; the result and the
    /// errors are the same either way.
    pub fn from_json(json: &str) -> Result<Catalog> {
        stream::from_json(json)
    }

    /// Validates a document (built in code, or read with [`crate::json`]) and lays it out in memory.
    pub fn from_document(doc: CatalogDocument) -> Result<Catalog> {
        let mut b = builder::Builder::new(Taxonomy::from_documents(&doc.topics));
        for it in &doc.items {
            b.push(it);
        }
        b.finish()
    }

    /// A catalog with no items over `taxonomy`, ready to be filled.
    fn empty(taxonomy: Taxonomy) -> Catalog {
        Catalog {
            taxonomy,
            ids: StrList::new(),
            titles: StrList::new(),
            urls: StrList::new(),
            by_id: Vec::new(),
            id_rank: Vec::new(),
            kinds: Vec::new(),
            campaign: Vec::new(),
            campaigns: StrIndex::default(),
            published: Vec::new(),
            popularity: Vec::new(),
            topic_off: Vec::new(),
            topic_ix: Vec::new(),
            topic_w: Vec::new(),
            topic_norm: Vec::new(),
            primary: Vec::new(),
            sensitive_item: Vec::new(),
            vectors: None,
            rel_off: Vec::new(),
            rel_item: Vec::new(),
            rel_w: Vec::new(),
        }
    }

    /// Gives back the room arrays grew into while items were added one at a time.
    fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.titles.shrink_to_fit();
        self.urls.shrink_to_fit();
        self.kinds.shrink_to_fit();
        self.campaign.shrink_to_fit();
        self.campaigns.shrink_to_fit();
        self.published.shrink_to_fit();
        self.popularity.shrink_to_fit();
        self.topic_off.shrink_to_fit();
        self.topic_ix.shrink_to_fit();
        self.topic_w.shrink_to_fit();
        self.topic_norm.shrink_to_fit();
        self.primary.shrink_to_fit();
        self.sensitive_item.shrink_to_fit();
        self.rel_off.shrink_to_fit();
        self.rel_item.shrink_to_fit();
        self.rel_w.shrink_to_fit();
    }

    /// Validates item `i`'s topics and appends them to the CSR arrays.
    #[allow(clippy::manual_contains)] // the scan for a repeated topic, see below
    fn add_topics(&mut self, i: usize, it: &ItemDocument) -> Result<()> {
        if it.topics.0.len() > MAX_TOPICS_PER_ITEM {
            return Err(ITEM_TOPICS.error(
                ErrorKind::OutOfRange,
                i,
                None,
                "an item may have at most 64 topics",
            ));
        }
        let start = self.topic_ix.len();
        for (tid, w) in &it.topics.0 {
            let here = |kind, message| ITEM_TOPICS.error(kind, i, Some(tid), message);
            let ix = self.taxonomy.get(tid).ok_or_else(|| {
                here(
                    ErrorKind::NotFound,
                    "this topic is not in the catalog's topics",
                )
            })?;
            // NaN and the infinities fall outside the range too.
            if !(0.0..=1.0).contains(w) {
                return Err(here(
                    ErrorKind::OutOfRange,
                    "a topic weight must be a number from 0 to 1",
                ));
            }
            // A plain scan: `contains` unrolls into blocks of 32 for a list of at most 64.
            if self.topic_ix[start..].iter().any(|&t| t == ix.0) {
                return Err(here(ErrorKind::Invalid, "this topic is listed twice"));
            }
            let w = *w as f32;
            if w == 0.0 {
                continue; // weight 0 means "not about this topic"
            }
            self.topic_ix.push(ix.0);
            self.topic_w.push(w);
        }
        self.topic_off.push(self.topic_ix.len() as u32);
        self.push_topic_summary(start..self.topic_ix.len());
        Ok(())
    }

    /// Derives an item's norm, primary topic and sensitivity from its topics,
    /// `range` in the CSR arrays. The compiled-catalog loader derives them
    /// through here too, so both loaders agree to the bit.
    fn push_topic_summary(&mut self, range: std::ops::Range<usize>) {
        let (mut sum, mut best, mut best_w, mut sensitive) = (0f32, NO_TOPIC, 0f32, false);
        for (&ix, &w) in self.topic_ix[range.clone()]
            .iter()
            .zip(&self.topic_w[range])
        {
            sum += w;
            sensitive |= self.taxonomy.is_sensitive(TopicIx(ix));
            if w > best_w || (w == best_w && ix < best) {
                best = ix;
                best_w = w;
            }
        }
        self.topic_norm.push(1.0 / sum.max(1.0));
        self.primary.push(best);
        self.sensitive_item.push(sensitive);
    }

    /// Attaches (or replaces) item vectors given as one flat array of n × dims numbers
    /// in item order — how large catalogs should travel (a `Float32Array` in the browser).
    pub fn with_vectors(self, dims: usize, flat: &[f32]) -> Result<Catalog> {
        self.with_vector_data(dims, flat.to_vec())
    }

    /// [`Catalog::with_vectors`] keeping `flat` as the catalog's array, not a copy of it.
    pub(crate) fn with_vector_data(mut self, dims: usize, flat: Vec<f32>) -> Result<Catalog> {
        check_dims(dims, "/vectors")?;
        if flat.len() != dims * self.len() {
            return Err(Error::invalid(
                "/vectors",
                "expected one vector per item: items × dims numbers in item order",
            ));
        }
        if let Some(k) = flat.iter().position(|x| !x.is_finite()) {
            return Err(VECTORS.error(
                ErrorKind::Invalid,
                k,
                None,
                "vector entries must be finite numbers",
            ));
        }
        self.vectors = Some(Vectors::from_rows(dims, flat));
        Ok(self)
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the catalog has no items.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The topics.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// The position of item `id`, if the catalog has it (binary search).
    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.by_id
            .binary_search_by(|&k| self.ids.get(k as usize).cmp(id))
            .ok()
            .map(|p| self.by_id[p] as usize)
    }

    /// The id of item `i`.
    pub fn item_id(&self, i: usize) -> &str {
        self.ids.get(i)
    }

    /// The title of item `i`, or its id when it has none.
    pub fn item_title(&self, i: usize) -> &str {
        Some(self.titles.get(i))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| self.ids.get(i))
    }

    /// The url of item `i`, if given.
    pub fn item_url(&self, i: usize) -> Option<&str> {
        Some(self.urls.get(i)).filter(|u| !u.is_empty())
    }

    /// Whether item `i` is an article or an offer.
    pub fn item_kind(&self, i: usize) -> ItemKind {
        if self.kinds[i] == ItemKind::Offer as u8 {
            ItemKind::Offer
        } else {
            ItemKind::Article
        }
    }

    /// The campaign of item `i`, if any.
    pub fn item_campaign(&self, i: usize) -> Option<&str> {
        match self.campaign[i] {
            NONE_U32 => None,
            c => Some(self.campaigns.get(c as usize)),
        }
    }

    /// The interned campaign index of item `i` (for frequency caps).
    pub(crate) fn campaign_ix(&self, i: usize) -> Option<u32> {
        Some(self.campaign[i]).filter(|&c| c != NONE_U32)
    }

    /// The interned index of campaign `name`.
    pub(crate) fn campaign_by_name(&self, name: &str) -> Option<u32> {
        self.campaigns.find(name)
    }

    /// The publication day (days since 1970-01-01) of item `i`, if given.
    pub fn item_published_day(&self, i: usize) -> Option<i32> {
        Some(self.published[i]).filter(|&d| d != NO_DATE)
    }

    /// The popularity of item `i`, relative to the catalog's most popular item (0 to 1).
    pub fn item_popularity(&self, i: usize) -> f32 {
        self.popularity[i]
    }

    /// The topics of item `i` with their weights (weights of 0 are dropped at load).
    pub fn item_topics(&self, i: usize) -> impl Iterator<Item = (TopicIx, f32)> + '_ {
        let r = self.topic_off[i] as usize..self.topic_off[i + 1] as usize;
        self.topic_ix[r.clone()]
            .iter()
            .zip(&self.topic_w[r])
            .map(|(&t, &w)| (TopicIx(t), w))
    }

    /// Whether item `i` carries a topic with weight > 0 that is sensitive.
    pub fn item_is_sensitive(&self, i: usize) -> bool {
        self.sensitive_item[i]
    }

    /// [`Catalog::item_is_sensitive`] for every item, in item order.
    pub(crate) fn sensitive_items(&self) -> &[bool] {
        &self.sensitive_item
    }

    /// Whether the catalog has item vectors.
    pub fn has_vectors(&self) -> bool {
        self.vectors.is_some()
    }

    /// The item vectors (rows divided by the largest row norm), if any.
    pub fn vectors(&self) -> Option<&Vectors> {
        self.vectors.as_ref()
    }

    /// Whether any item lists related items.
    pub fn has_related(&self) -> bool {
        !self.rel_off.is_empty()
    }

    /// The related items of item `i` with weights relative to the catalog's largest (0 to 1].
    pub fn item_related(&self, i: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let r = if self.rel_off.is_empty() {
            0..0
        } else {
            self.rel_off[i] as usize..self.rel_off[i + 1] as usize
        };
        self.rel_item[r.clone()]
            .iter()
            .zip(&self.rel_w[r])
            .map(|(&j, &w)| (j as usize, w))
    }

    /// The flat layout, for the ranking loop.
    pub(crate) fn layout(&self) -> Layout<'_> {
        Layout {
            topic_off: &self.topic_off,
            topic_ix: &self.topic_ix,
            topic_w: &self.topic_w,
            topic_norm: &self.topic_norm,
            primary: &self.primary,
            popularity: &self.popularity,
            published: &self.published,
            id_rank: &self.id_rank,
        }
    }

    /// Bytes of heap memory the catalog holds (capacities of its arrays and strings).
    ///
    /// This is what the catalog keeps after loading; the JSON text is transient.
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Catalog>()
            + self.taxonomy.heap_bytes()
            + self.ids.heap_bytes()
            + self.titles.heap_bytes()
            + self.urls.heap_bytes()
            + self.campaigns.heap_bytes()
            + (self.by_id.capacity() + self.id_rank.capacity() + self.campaign.capacity()) * 4
            + self.kinds.capacity()
            + (self.published.capacity() + self.popularity.capacity()) * 4
            + (self.topic_off.capacity() + self.topic_w.capacity() + self.topic_norm.capacity()) * 4
            + (self.topic_ix.capacity() + self.primary.capacity()) * 2
            + self.sensitive_item.capacity()
            + self.vectors.as_ref().map_or(0, Vectors::heap_bytes)
            + (self.rel_off.capacity() + self.rel_item.capacity() + self.rel_w.capacity()) * 4
    }
}

/// Borrowed flat arrays of a catalog, for the scoring loop.
#[derive(Clone, Copy)]
pub(crate) struct Layout<'a> {
    pub topic_off: &'a [u32],
    pub topic_ix: &'a [u16],
    pub topic_w: &'a [f32],
    pub topic_norm: &'a [f32],
    pub primary: &'a [u16],
    pub popularity: &'a [f32],
    pub published: &'a [i32],
    pub id_rank: &'a [u32],
}

pub(crate) const NO_DATE_DAY: i32 = NO_DATE;

fn check_dims(dims: usize, path: &str) -> Result<()> {
    if (vectors::MIN_DIMS..=vectors::MAX_DIMS).contains(&dims) {
        Ok(())
    } else {
        Err(Error::out_of_range(
            path,
            "vectors must have from 8 to 256 numbers",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const DOC: &str = r#"{
      "topics": [{"id": "outdoors", "label": "Outdoors"}, {"id": "hiking", "label": "Hiking", "parent": "outdoors"},
                 {"id": "health", "sensitive": true}],
      "items": [
        {"id": "b2", "title": "Boots", "kind": "offer", "campaign": "winter", "topics": {"hiking": 0.5, "outdoors": 1.0},
         "popularity": 20, "related": {"a1": 0.5}},
        {"id": "a1", "topics": {"hiking": 1.0, "health": 0.0}, "published": "2026-11-02", "popularity": 40,
         "related": {"b2": 0.25, "c3": 1.0}},
        {"id": "c3", "topics": {"health": 0.3}}
      ]}"#;

    #[test]
    fn loads_into_flat_layout() {
        let c = Catalog::from_json(DOC).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c.item_index("a1"), Some(1));
        assert_eq!(c.item_index("zz"), None);
        assert_eq!(c.item_title(0), "Boots");
        assert_eq!(c.item_title(1), "a1");
        assert_eq!(c.item_kind(0), ItemKind::Offer);
        assert_eq!(c.item_kind(1), ItemKind::Article);
        assert_eq!(c.item_campaign(0), Some("winter"));
        assert_eq!(c.item_campaign(1), None);
        assert_eq!(c.item_popularity(1), 1.0);
        assert_eq!(c.item_popularity(0), 0.5);
        let t: Vec<_> = c.item_topics(1).collect();
        assert_eq!(t, vec![(TopicIx(1), 1.0)], "zero weights are dropped");
        assert!(!c.item_is_sensitive(1));
        assert!(c.item_is_sensitive(2));
        assert_eq!(c.layout().primary[0], 0, "outdoors is b2's heaviest topic");
        assert_eq!(c.layout().id_rank, &[1, 0, 2]);
        assert!(c.has_related() && !c.has_vectors());
        let rel: Vec<_> = c.item_related(1).collect();
        assert_eq!(rel, vec![(0, 0.25), (2, 1.0)]);
        assert_eq!(c.item_published_day(1), date::parse_date("2026-11-02"));
    }

    fn err(doc: &str) -> Error {
        Catalog::from_json(doc).unwrap_err()
    }

    #[test]
    fn errors_name_the_place() {
        let t = r#""topics":[{"id":"hiking"}]"#;
        let e = err(&[r#"{"#, t, r#","items":[{"id":"a","topics":{"hikin":1}}]}"#].concat());
        assert_eq!(
            (e.path(), e.kind()),
            ("/items/0/topics/hikin", ErrorKind::NotFound)
        );
        let e = err(&[
            r#"{"#,
            t,
            r#","items":[{"id":"a","topics":{"hiking":1.5}}]}"#,
        ]
        .concat());
        assert_eq!(
            (e.path(), e.kind()),
            ("/items/0/topics/hiking", ErrorKind::OutOfRange)
        );
        let e = err(r#"{"items":[{"id":"a"},{"id":"a"}]}"#);
        assert_eq!(e.path(), "/items/1/id");
        let e = err(r#"{"items":[{"id":""}]}"#);
        assert_eq!(e.path(), "/items/0/id");
        let e = err(r#"{"items":[{"id":"a","published":"2026-02-30"}]}"#);
        assert_eq!(e.path(), "/items/0/published");
        let e = err(r#"{"items":[{"id":"a","related":{"b":0.3}}]}"#);
        assert_eq!(
            (e.path(), e.kind()),
            ("/items/0/related/b", ErrorKind::NotFound)
        );
        let e = err(r#"{"items":[{"id":"a","popularity":-1}]}"#);
        assert_eq!(e.path(), "/items/0/popularity");
        let e = err(r#"{"items":[{"id":"a","vector":[1,2,3,4,5,6,7,8]},{"id":"b"}]}"#);
        assert_eq!(e.path(), "/items/1/vector");
        let e = err(r#"{"items":[{"id":"a","vector":[1,2,3]}]}"#);
        assert_eq!(e.kind(), ErrorKind::OutOfRange);
        let e = err(r#"{"items":[{"id":"a","topics":{"x":1}]}"#);
        assert_eq!(e.kind(), ErrorKind::Invalid, "syntax errors are reported");
        let many: String = (0..65)
            .map(|i| ["\"t", &i.to_string(), "\":1"].concat())
            .collect::<Vec<_>>()
            .join(",");
        let topics: String = (0..65)
            .map(|i| ["{\"id\":\"t", &i.to_string(), "\"}"].concat())
            .collect::<Vec<_>>()
            .join(",");
        let e = err(&[
            "{\"topics\":[",
            &topics,
            "],\"items\":[{\"id\":\"a\",\"topics\":{",
            &many,
            "}}]}",
        ]
        .concat());
        assert_eq!(e.path(), "/items/0/topics");
    }

    #[test]
    fn vectors_from_a_flat_array_are_validated_and_unit() {
        let c = Catalog::from_json(r#"{"items":[{"id":"a"},{"id":"b"}]}"#).unwrap();
        let mut flat = vec![0.0f32; 16];
        flat[0] = 2.0;
        flat[9] = -3.0;
        let c2 = c.clone().with_vectors(8, &flat).unwrap();
        let v = c2.vectors().unwrap();
        assert!(
            (v.row(0)[0] - 2.0 / 3.0).abs() < 1e-7,
            "divided by the largest norm"
        );
        assert_eq!(v.row(1)[1], -1.0);
        assert_eq!(
            c.clone().with_vectors(8, &flat[..15]).unwrap_err().path(),
            "/vectors"
        );
        flat[3] = f32::NAN;
        assert_eq!(
            c.clone().with_vectors(8, &flat).unwrap_err().path(),
            "/vectors/3"
        );
        assert_eq!(
            c.with_vectors(4, &flat[..8]).unwrap_err().kind(),
            ErrorKind::OutOfRange
        );
    }
}
