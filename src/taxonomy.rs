//! Topics: their ids, labels, parents and sensitivity.
//!
//! Topic ids are interned to a small integer, [`TopicIx`], in the order the
//! catalog lists them, so the ranking loop works on integers and flat arrays.
//!
//! A topic is *sensitive* when the catalog marks it so, or when any of its
//! ancestors is marked (a child of `health` is about health too). Sensitive
//! topics are never learned from behaviour; they count only when the visitor
//! declared them.

use crate::catalog::strings::StrList;
use crate::hash::StrIndex;

use crate::catalog::path::{Path, TOPIC_ID, TOPIC_PARENT};
use crate::catalog::{TopicDocument, NO_TOPIC};
use crate::error::{Error, ErrorKind, Result};

/// At most this many topics in a catalog.
pub const MAX_TOPICS: usize = 10_000;
/// At most this many bytes in a topic or item id.
pub const MAX_ID_BYTES: usize = 256;

/// An interned topic: its position in the catalog's topic list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TopicIx(pub u16);

impl TopicIx {
    /// The position as a `usize`, for indexing flat arrays.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The site's topics, validated: unique non-empty ids, known parents, no cycles.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Taxonomy {
    /// The ids in catalog order, each found by its text.
    ids: StrIndex,
    labels: StrList,
    /// Each topic's parent index, or [`NO_TOPIC`]: the layout a compiled catalog stores,
    /// so it loads and saves them as one block.
    parents: Vec<u16>,
    sensitive: Vec<bool>,
}

impl Taxonomy {
    /// Builds the taxonomy from the `topics` part of a catalog document.
    ///
    /// Errors name the place, e.g. `/topics/3/parent` for an unknown parent.
    pub fn from_documents(topics: &[TopicDocument]) -> Result<Taxonomy> {
        if topics.len() > MAX_TOPICS {
            return Err(Error::out_of_range(
                "/topics",
                "a catalog may have at most 10000 topics",
            ));
        }
        let mut t = Taxonomy::default();
        for (i, doc) in topics.iter().enumerate() {
            t.add(i, &doc.id, doc.label.as_deref().unwrap_or(""))?;
            t.sensitive.push(doc.sensitive);
        }
        for (i, doc) in topics.iter().enumerate() {
            let parent = match &doc.parent {
                None => NO_TOPIC,
                Some(p) => match t.get(p) {
                    Some(ix) => ix.0,
                    None => {
                        return Err(TOPIC_PARENT.error(
                            ErrorKind::NotFound,
                            i,
                            None,
                            "the parent topic is not in the catalog's topics",
                        ))
                    }
                },
            };
            t.parents.push(parent);
        }
        t.check_cycles_and_inherit()?;
        Ok(t)
    }

    /// Appends topic `i` (`/topics/i` in errors): checks its id and that no earlier
    /// topic has it, and keeps its label, or its id when the label is empty. Its
    /// parent and sensitivity are pushed apart, by [`Taxonomy::from_documents`] or by
    /// the compiled-catalog reader, which has them first.
    pub(crate) fn add(&mut self, i: usize, id: &str, label: &str) -> Result<()> {
        TOPIC_ID.check_id(id, i)?;
        if self.ids.insert(id).is_err() {
            return Err(TOPIC_ID.error(ErrorKind::Invalid, i, None, "this topic id is used twice"));
        }
        self.labels.push(if label.is_empty() { id } else { label });
        Ok(())
    }

    /// The parents, to be replaced in place by the compiled-catalog reader, which
    /// checks that each is [`NO_TOPIC`] or a topic, and pushes each topic's flag with
    /// [`Taxonomy::push_sensitive`].
    pub(crate) fn parents_mut(&mut self) -> &mut Vec<u16> {
        &mut self.parents
    }

    /// Appends whether the next topic is marked sensitive.
    pub(crate) fn push_sensitive(&mut self, sensitive: bool) {
        self.sensitive.push(sensitive);
    }

    /// Rejects a `parent` chain that comes back to where it started. Along the way a
    /// topic under a sensitive ancestor is made sensitive too: each walk ends at a
    /// root or at a topic already settled, and is settled from that end back. Run
    /// once every topic is added and linked.
    pub(crate) fn check_cycles_and_inherit(&mut self) -> Result<()> {
        // 0 = unvisited, 1 = on the current walk, 2 = known to reach a root.
        let mut state = vec![0u8; self.ids.len()];
        let mut walk = Vec::new();
        for start in 0..self.ids.len() {
            let mut cur = Some(start);
            while let Some(c) = cur {
                match state[c] {
                    2 => break,
                    1 => {
                        return Err(TOPIC_PARENT.error(
                            ErrorKind::Invalid,
                            c,
                            None,
                            "the parent chain of this topic loops back to itself",
                        ))
                    }
                    _ => {
                        state[c] = 1;
                        walk.push(c);
                        let p = self.parents[c];
                        cur = (p != NO_TOPIC).then_some(p as usize);
                    }
                }
            }
            while let Some(c) = walk.pop() {
                state[c] = 2;
                let p = self.parents[c];
                if p != NO_TOPIC {
                    self.sensitive[c] |= self.sensitive[p as usize];
                }
            }
        }
        Ok(())
    }

    /// How many topics there are.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no topics.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The interned index of topic `id`, if the catalog has it.
    pub fn get(&self, id: &str) -> Option<TopicIx> {
        self.ids.find(id).map(|i| TopicIx(i as u16))
    }

    /// The id of topic `ix`.
    ///
    /// # Panics
    /// If `ix` does not come from this taxonomy.
    pub fn id(&self, ix: TopicIx) -> &str {
        self.ids.get(ix.index())
    }

    /// The label shown to visitors (the id when the catalog gives none).
    pub fn label(&self, ix: TopicIx) -> &str {
        self.labels.get(ix.index())
    }

    /// The ids in catalog order, as one list (how a compiled catalog stores them).
    pub(crate) fn id_list(&self) -> &StrList {
        self.ids.list()
    }

    /// The labels in catalog order, as one list.
    pub(crate) fn label_list(&self) -> &StrList {
        &self.labels
    }

    /// The parent topic, if any.
    pub fn parent(&self, ix: TopicIx) -> Option<TopicIx> {
        Some(self.parents[ix.index()])
            .filter(|&p| p != NO_TOPIC)
            .map(TopicIx)
    }

    /// Each topic's parent index or [`NO_TOPIC`], in catalog order.
    pub(crate) fn parent_list(&self) -> &[u16] {
        &self.parents
    }

    /// Whether each topic is sensitive, in catalog order.
    pub(crate) fn sensitive_list(&self) -> &[bool] {
        &self.sensitive
    }

    /// Whether the topic is sensitive (marked, or under a marked ancestor).
    pub fn is_sensitive(&self, ix: TopicIx) -> bool {
        self.sensitive[ix.index()]
    }

    /// Every topic that is not sensitive, in catalog order.
    pub fn non_sensitive(&self) -> impl Iterator<Item = TopicIx> + '_ {
        self.sensitive
            .iter()
            .enumerate()
            .filter(|(_, s)| !**s)
            .map(|(i, _)| TopicIx(i as u16))
    }

    /// Every topic, in catalog order.
    pub fn all(&self) -> impl Iterator<Item = TopicIx> {
        (0..self.ids.len()).map(|i| TopicIx(i as u16))
    }

    /// Heap bytes held, for memory accounting.
    pub(crate) fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.ids.heap_bytes()
            + self.labels.heap_bytes()
            + self.parents.capacity() * size_of::<u16>()
            + self.sensitive.capacity()
    }
}

/// Checks an id: non-empty and at most [`MAX_ID_BYTES`] bytes.
pub(crate) fn check_id(id: &str, path: impl FnOnce() -> Path) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid(path().build(), "an id must not be empty"));
    }
    if id.len() > MAX_ID_BYTES {
        return Err(Error::out_of_range(
            path().build(),
            "an id may be at most 256 bytes long",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(id: &str, parent: Option<&str>, sensitive: bool) -> TopicDocument {
        TopicDocument {
            id: id.into(),
            label: None,
            parent: parent.map(Into::into),
            sensitive,
        }
    }

    #[test]
    fn interns_in_catalog_order_and_defaults_label_to_id() {
        let t = Taxonomy::from_documents(&[
            topic("outdoors", None, false),
            topic("hiking", Some("outdoors"), false),
        ])
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.get("hiking"), Some(TopicIx(1)));
        assert_eq!(t.id(TopicIx(0)), "outdoors");
        assert_eq!(t.label(TopicIx(1)), "hiking");
        assert_eq!(t.parent(TopicIx(1)), Some(TopicIx(0)));
        assert_eq!(t.get("nope"), None);
    }

    #[test]
    fn sensitivity_is_inherited_from_any_ancestor() {
        let t = Taxonomy::from_documents(&[
            topic("health", None, true),
            topic("fitness", Some("health"), false),
            topic("yoga", Some("fitness"), false),
            topic("travel", None, false),
        ])
        .unwrap();
        assert!(t.is_sensitive(t.get("yoga").unwrap()));
        assert!(!t.is_sensitive(t.get("travel").unwrap()));
        let ns: Vec<_> = t.non_sensitive().collect();
        assert_eq!(ns, vec![TopicIx(3)]);
    }

    #[test]
    fn rejects_cycles_duplicates_unknown_parents_and_empty_ids() {
        let e =
            Taxonomy::from_documents(&[topic("a", Some("b"), false), topic("b", Some("a"), false)])
                .unwrap_err();
        assert_eq!(e.path(), "/topics/0/parent");
        let e = Taxonomy::from_documents(&[topic("a", Some("a"), false)]).unwrap_err();
        assert_eq!(e.path(), "/topics/0/parent");
        let e = Taxonomy::from_documents(&[topic("a", None, false), topic("a", None, false)])
            .unwrap_err();
        assert_eq!(e.path(), "/topics/1/id");
        let e = Taxonomy::from_documents(&[topic("a", Some("zz"), false)]).unwrap_err();
        assert_eq!(e.path(), "/topics/0/parent");
        let e = Taxonomy::from_documents(&[topic("", None, false)]).unwrap_err();
        assert_eq!(e.path(), "/topics/0/id");
        let long = "x".repeat(257);
        let e = Taxonomy::from_documents(&[topic(&long, None, false)]).unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::OutOfRange);
    }
}
