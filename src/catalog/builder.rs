//! Lays items out in the compact catalog one at a time, so a large document
//! never has to exist fully parsed in memory (see [`super::stream`]).
//!
//! Errors are reported exactly as if the whole document had been checked in
//! this order: taxonomy, item count, item ids, duplicate ids, then item by item
//! (topics, campaign, date, popularity, vector, related). Checks that need the
//! whole catalog (duplicate ids, related ids) run in [`Builder::finish`]; the
//! first item error seen while streaming is kept until then.

use super::strings::StrList;
use crate::error::{Error, ErrorKind, Result};
use crate::taxonomy::Taxonomy;

use super::path::{
    ITEM_CAMPAIGN, ITEM_ID, ITEM_POPULARITY, ITEM_PUBLISHED, ITEM_RELATED, ITEM_VECTOR,
};
use super::{
    check_dims, date, Catalog, ItemDocument, Vectors, MAX_ITEMS, MAX_RELATED_PER_ITEM, NONE_U32,
    NO_DATE,
};

/// The check an item error came from, in the order items are checked.
const STAGE_VECTOR: u8 = 4;

/// A catalog being built from items given in document order.
pub(super) struct Builder {
    c: Catalog,
    /// The taxonomy's error: it wins over every item error.
    setup_err: Option<Error>,
    n: usize,
    /// The first invalid item id.
    id_err: Option<Error>,
    /// The first item error: (item, stage, error).
    item_err: Option<(usize, u8, Error)>,
    dims: Option<usize>,
    flat: Vec<f32>,
    max_pop: f64,
    /// Related ids wait here until every item id is known: the ids, their weights,
    /// and where each item's list ends.
    rel_keys: StrList,
    rel_wts: Vec<f64>,
    rel_item_end: Vec<u32>,
}

impl Builder {
    /// Starts a catalog over a taxonomy (or the error building it).
    pub(super) fn new(taxonomy: Result<Taxonomy>) -> Builder {
        let (taxonomy, setup_err) = match taxonomy {
            Ok(t) => (t, None),
            Err(e) => (Taxonomy::default(), Some(e)),
        };
        let mut c = Catalog::empty(taxonomy);
        c.topic_off.push(0);
        Builder {
            c,
            setup_err,
            n: 0,
            id_err: None,
            item_err: None,
            dims: None,
            flat: Vec::new(),
            max_pop: 0.0,
            rel_keys: StrList::new(),
            rel_wts: Vec::new(),
            rel_item_end: Vec::new(),
        }
    }

    /// Checks and lays out the next item (copying what the catalog keeps).
    pub(super) fn push(&mut self, it: &ItemDocument) {
        let i = self.n;
        self.n += 1;
        if self.setup_err.is_some() || self.n > MAX_ITEMS {
            // The error is decided; keep nothing more (what is kept is dropped with the builder).
            return;
        }
        if self.id_err.is_none() {
            if let Err(e) = ITEM_ID.check_id(&it.id, i) {
                self.id_err = Some(e);
            }
        }
        if self.dims.is_none() {
            if let Some(v) = &it.vector {
                // The first vector sets the length, before `add` checks item 0's against
                // it. After item 0 it finds item 0 wanting, which may be an earlier place
                // than an error kept (and then `add` is not run for this item).
                self.dims = Some(v.len());
                let later = self
                    .item_err
                    .as_ref()
                    .is_none_or(|(j, s, _)| *j > 0 || *s > STAGE_VECTOR);
                if i > 0 && later {
                    self.item_err = Some((0, STAGE_VECTOR, missing_vector(0)));
                }
            }
        }
        if self.item_err.is_none() {
            if let Err((stage, e)) = self.add(i, it) {
                self.item_err = Some((i, stage, e));
            }
            // Empty stands for none, as in the document.
            self.c.titles.push(it.title.as_deref().unwrap_or(""));
            self.c.urls.push(it.url.as_deref().unwrap_or(""));
        }
        // Ids are needed for the duplicate check, which comes before item errors.
        self.c.ids.push(&it.id);
    }

    /// The checks of one item, before its related items (which need every id).
    fn add(&mut self, i: usize, it: &ItemDocument) -> core::result::Result<(), (u8, Error)> {
        let c = &mut self.c;
        c.add_topics(i, it).map_err(|e| (0, e))?;
        c.kinds.push(it.kind as u8);
        let campaign = match &it.campaign {
            None => NONE_U32,
            Some(name) => {
                ITEM_CAMPAIGN.check_id(name, i).map_err(|e| (1, e))?;
                // A new name is added at the end; a known one gives its place.
                match c.campaigns.insert(name) {
                    Ok(ix) | Err(ix) => ix,
                }
            }
        };
        c.campaign.push(campaign);
        c.published.push(match &it.published {
            None => NO_DATE,
            Some(s) => date::parse_date(s).ok_or_else(|| {
                (
                    2,
                    ITEM_PUBLISHED.error(
                        ErrorKind::Invalid,
                        i,
                        None,
                        "expected a date like 2026-11-02",
                    ),
                )
            })?,
        });
        let pop = it.popularity.unwrap_or(0.0);
        // Finite and not negative: NaN and the infinities fall outside the range.
        if !(0.0..=f64::MAX).contains(&pop) {
            return Err((
                3,
                ITEM_POPULARITY.error(
                    ErrorKind::OutOfRange,
                    i,
                    None,
                    "popularity must be a finite number of 0 or more",
                ),
            ));
        }
        self.max_pop = self.max_pop.max(pop);
        c.popularity.push(pop as f32);
        match (self.dims, &it.vector) {
            (Some(d), Some(v)) if v.len() == d => {
                for (j, &x) in v.iter().enumerate() {
                    // NaN compares false, so it falls outside too.
                    if !(..=f32::MAX as f64).contains(&x.abs()) {
                        return Err((
                            STAGE_VECTOR,
                            Error::invalid(
                                ITEM_VECTOR.path(i).index(j).build(),
                                "vector entries must be finite numbers",
                            ),
                        ));
                    }
                    self.flat.push(x as f32);
                }
            }
            (Some(_), Some(_)) => {
                return Err((
                    STAGE_VECTOR,
                    ITEM_VECTOR.error(
                        ErrorKind::Invalid,
                        i,
                        None,
                        "every item's vector must have the same length",
                    ),
                ))
            }
            (Some(_), None) => return Err((STAGE_VECTOR, missing_vector(i))),
            (None, _) => {}
        }
        for (rid, w) in &it.related.0 {
            self.rel_keys.push(rid);
            self.rel_wts.push(*w);
        }
        self.rel_item_end.push(self.rel_wts.len() as u32);
        Ok(())
    }

    /// Runs the checks that need every item, and returns the catalog.
    pub(super) fn finish(mut self) -> Result<Catalog> {
        let max_rel = self.check_whole()?;
        let mut c = self.c;
        if self.max_pop > 0.0 {
            let inv = (1.0 / self.max_pop) as f32;
            c.popularity
                .iter_mut()
                .for_each(|p| *p = (*p * inv).min(1.0));
        }
        if max_rel > 0.0 {
            let inv = (1.0 / max_rel) as f32;
            c.rel_w.iter_mut().for_each(|w| *w = (*w * inv).min(1.0));
        }
        if let Some(d) = self.dims {
            c.vectors = Some(Vectors::from_rows(d, self.flat));
        }
        c.shrink_to_fit();
        Ok(c)
    }

    /// The errors kept while streaming, in the order of the whole document's checks,
    /// and the checks that need every item. Sets the id order and each item's rank in
    /// it, in place, and returns the largest related weight. The builder stays whole
    /// here, so every error path drops it the same way.
    fn check_whole(&mut self) -> Result<f64> {
        if let Some(e) = self.setup_err.take() {
            return Err(e);
        }
        let n = self.n;
        if n > MAX_ITEMS {
            return Err(Error::out_of_range(
                "/items",
                "a catalog may have at most 1000000 items",
            ));
        }
        if let Some(e) = self.id_err.take() {
            return Err(e);
        }
        let ids = &self.c.ids;
        let by_id = &mut self.c.by_id;
        *by_id = (0..n as u32).collect();
        // The sort is stable, so equal ids stay in item order, as the duplicate check
        // below and the id ranks need: no tie-break by index.
        crate::sort::sort_u32_by(by_id, &mut |a, b| {
            ids.get(a as usize).cmp(ids.get(b as usize))
        });
        let id_rank = &mut self.c.id_rank;
        *id_rank = vec![0u32; n];
        for (r, w) in by_id.iter().enumerate() {
            id_rank[*w as usize] = r as u32;
            if r > 0 && ids.get(by_id[r - 1] as usize) == ids.get(*w as usize) {
                return Err(ITEM_ID.error(
                    ErrorKind::Invalid,
                    *w as usize,
                    None,
                    "this item id is used twice",
                ));
            }
        }
        // Related items of the items before the first item error come first.
        let checked = self.item_err.as_ref().map_or(n, |(i, _, _)| *i);
        let max_rel = self.add_related(checked)?;
        if let Some((_, _, e)) = self.item_err.take() {
            return Err(e);
        }
        if let Some(d) = self.dims {
            // The first item's vector, where the length was first seen.
            check_dims(d, "/items/0/vector")?;
        }
        Ok(max_rel)
    }

    /// Resolves and checks the related items of items `0..upto`; returns the largest weight.
    fn add_related(&mut self, upto: usize) -> Result<f64> {
        let mut max_rel = 0f64;
        // No pairs kept: no item before the first item error lists any (and after it,
        // the catalog fails anyway).
        if self.rel_wts.is_empty() {
            return Ok(max_rel);
        }
        let c = &mut self.c;
        c.rel_off.reserve(upto + 1);
        c.rel_off.push(0);
        let mut pair = 0usize;
        for i in 0..upto {
            let end = self.rel_item_end[i] as usize;
            if end - pair > MAX_RELATED_PER_ITEM {
                return Err(ITEM_RELATED.error(
                    ErrorKind::OutOfRange,
                    i,
                    None,
                    "an item may list at most 100 related items",
                ));
            }
            let start = c.rel_item.len();
            for k in pair..end {
                let rid = self.rel_keys.get(k);
                let w = self.rel_wts[k];
                let here = |kind, message| ITEM_RELATED.error(kind, i, Some(rid), message);
                // The catalog's own lookup: the ids and their order are complete here.
                let j = c.item_index(rid).ok_or_else(|| {
                    here(ErrorKind::NotFound, "no item with this id in the catalog")
                })? as u32;
                if !(0.0..=f64::MAX).contains(&w) {
                    return Err(here(
                        ErrorKind::OutOfRange,
                        "a related weight must be a finite number of 0 or more",
                    ));
                }
                if j as usize == i || w == 0.0 {
                    continue; // an item is trivially related to itself; zero adds nothing
                }
                if c.rel_item[start..].contains(&j) {
                    return Err(here(
                        ErrorKind::Invalid,
                        "this related item is listed twice",
                    ));
                }
                max_rel = max_rel.max(w);
                c.rel_item.push(j);
                c.rel_w.push(w as f32);
            }
            pair = end;
            c.rel_off.push(c.rel_item.len() as u32);
        }
        Ok(max_rel)
    }
}

/// Item `i` has no vector while other items have one.
fn missing_vector(i: usize) -> Error {
    ITEM_VECTOR.error(
        ErrorKind::Invalid,
        i,
        None,
        "when any item has a vector, every item needs one",
    )
}
