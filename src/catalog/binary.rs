//! Compiled catalogs: a validated [`Catalog`] saved as compact bytes with
//! [`Catalog::to_bytes`] and loaded back with [`Catalog::from_bytes`].
//!
//! A site knows its catalog when it builds its pages, so it can compile the
//! catalog once and serve the bytes. Loading them is mostly bulk copies of
//! little-endian arrays plus the checks: no text to tokenise, no numbers to
//! parse, no topic ids to look up. On a cold page, where wasm still runs in the
//! browser's baseline tier, parsing JSON was most of the time to a first ranking.
//!
//! The bytes are never trusted: whatever they hold, loading returns either a
//! catalog that keeps every invariant the JSON loader guarantees (and the
//! ranking relies on) or an [`Error`] naming the place, such as
//! `/items/3/topics`, or `/binary` for the file's structure. Lengths are
//! checked against the bytes that are left before anything is allocated.
//! Only the data is stored; what is derived from it (the rank of each id, the
//! topic norms, primary topics and sensitivity of items, the lookup tables) is
//! computed again on load, so there are fewer invariants to check.
//!
//! # Format, version 1
//!
//! Numbers are little-endian; counts and offsets are u32. A *string list* of k
//! strings is k + 1 u32 offsets (the first 0, never decreasing) and then one
//! UTF-8 blob of `offsets[k]` bytes: string i is `blob[offsets[i]..offsets[i + 1]]`.
//! Per-item lists (topics, related items) are laid out the same way: N + 1
//! offsets, then the entries of every item one after another.
//!
//! | Field | Type | Content |
//! |---|---|---|
//! | magic | 8 bytes | [`MAGIC`]: `INKLCAT` and a zero byte |
//! | version | u32 | [`VERSION`]; another version is refused as `Unsupported` |
//! | T | u32 | number of topics, at most 10,000 |
//! | topic ids | string list (T) | unique, 1 to 256 bytes |
//! | topic labels | string list (T) | |
//! | topic parents | u16 × T | a topic index, or `0xFFFF` for none; no cycles |
//! | topic sensitive | u8 × T | 0 or 1 |
//! | N | u32 | number of items, at most 1,000,000 |
//! | item ids | string list (N) | unique, 1 to 256 bytes |
//! | titles | string list (N) | empty for none |
//! | urls | string list (N) | empty for none |
//! | by id | u32 × N | item indices in id order (byte order of the ids) |
//! | kinds | u8 × N | 0 article, 1 offer |
//! | C | u32 | number of campaigns, at most N |
//! | campaigns | string list (C) | unique, 1 to 256 bytes |
//! | campaign | u32 × N | a campaign index, or `0xFFFFFFFF` for none |
//! | published | i32 × N | days since 1970-01-01 (years 1 to 9999), or `i32::MIN` for none |
//! | popularity | f32 × N | from 0 to 1 (divided by the largest) |
//! | topic offsets | u32 × (N + 1) | at most 64 topics per item |
//! | topic indices | u16 × P | P = the last topic offset; below T, none twice in an item |
//! | topic weights | f32 × P | above 0, at most 1 |
//! | dims | u32 | 0 without vectors, else 8 to 256 |
//! | vectors | f32 × N·dims | item-major rows, divided by the largest norm: norms at most 1 |
//! | related | u32 | 0 without related items; 1 when the next three fields follow |
//! | related offsets | u32 × (N + 1) | at most 100 related items per item |
//! | related items | u32 × Q | Q = the last related offset; below N, not the item itself, none twice |
//! | related weights | f32 × Q | above 0, at most 1 (divided by the largest) |
//!
//! Nothing follows the last field. There is no checksum: every field is
//! checked, so damaged bytes load as an error or as some valid catalog, as a
//! damaged JSON file would.

use crate::error::{Error, ErrorKind, Result};
use crate::taxonomy::{Taxonomy, TopicIx, MAX_TOPICS};
use crate::text::{push_uint, utf8_valid_up_to};

use super::path::{
    Field, CAMPAIGN, ITEM_CAMPAIGN, ITEM_ID, ITEM_KIND, ITEM_POPULARITY, ITEM_PUBLISHED,
    ITEM_RELATED, ITEM_TITLE, ITEM_TOPICS, ITEM_URL, ITEM_VECTOR, TOPIC_ID, TOPIC_LABEL,
    TOPIC_PARENT, TOPIC_SENSITIVE,
};
use super::strings::StrList;
use super::{
    check_dims, Catalog, Vectors, MAX_ITEMS, MAX_RELATED_PER_ITEM, MAX_TOPICS_PER_ITEM, NONE_U32,
    NO_DATE, NO_TOPIC,
};

/// The first bytes of every compiled catalog.
pub const MAGIC: [u8; 8] = *b"INKLCAT\0";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// Day numbers of 0001-01-01 and 9999-12-31: the dates the JSON loader accepts.
const FIRST_DAY: i32 = -719_162;
const LAST_DAY: i32 = 2_932_896;
/// Rows are divided by the largest norm in f32, so a norm may exceed 1 by a few ulps.
const MAX_NORM2: f64 = 1.0 + 1e-3;

impl Catalog {
    /// The catalog in the compiled form described in [`crate::catalog::binary`]:
    /// [`Catalog::from_bytes`] gives back exactly this catalog.
    pub fn to_bytes(&self) -> Vec<u8> {
        write(self)
    }

    /// Loads a compiled catalog made by [`Catalog::to_bytes`], checking every
    /// field. A file from another format version is an
    /// [`ErrorKind::Unsupported`] error:
    /// compile the catalog again with this version.
    pub fn from_bytes(bytes: &[u8]) -> Result<Catalog> {
        read(bytes)
    }
}

// ---------------------------------------------------------------------------
// Writing

/// A fixed-size little-endian number.
trait Le: bytemuck::Pod {
    const SIZE: usize;
    fn read(b: &[u8]) -> Self;
    fn write(self, out: &mut Vec<u8>);
}

macro_rules! le {
    ($($t:ty),*) => {$(
        impl Le for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline]
            fn read(b: &[u8]) -> Self {
                let mut a = [0u8; std::mem::size_of::<$t>()];
                a.copy_from_slice(b);
                <$t>::from_le_bytes(a)
            }
            #[inline]
            fn write(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
le!(u8, u16, u32, i32, f32);

/// Turns numbers of `size` bytes from little-endian into the machine's order, or
/// back. Nothing to do on a little-endian machine (WebAssembly is one), so arrays
/// are copied as one block, and every number type shares this one routine.
fn from_le(bytes: &mut [u8], size: usize) {
    if cfg!(target_endian = "big") {
        bytes.chunks_exact_mut(size).for_each(<[u8]>::reverse);
    }
}

fn put<T: Le>(out: &mut Vec<u8>, x: T) {
    x.write(out);
}

/// An array of numbers, copied as one block.
fn put_all<T: Le>(out: &mut Vec<u8>, xs: &[T]) {
    let start = out.len();
    out.extend_from_slice(bytemuck::cast_slice(xs));
    from_le(&mut out[start..], T::SIZE);
}

/// A string list as kept in the catalog: its offsets, then its text, each in one copy.
fn put_list(out: &mut Vec<u8>, list: &StrList) {
    put_all(out, list.offsets());
    out.extend_from_slice(list.text().as_bytes());
}

fn write(c: &Catalog) -> Vec<u8> {
    let t = &c.taxonomy;
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC);
    put(&mut out, VERSION);

    put(&mut out, t.len() as u32);
    put_list(&mut out, t.id_list());
    put_list(&mut out, t.label_list());
    put_all(&mut out, t.parent_list());
    out.extend_from_slice(bytemuck::cast_slice(t.sensitive_list()));

    put(&mut out, c.len() as u32);
    put_list(&mut out, &c.ids);
    put_list(&mut out, &c.titles);
    put_list(&mut out, &c.urls);
    put_all(&mut out, &c.by_id);
    out.extend_from_slice(&c.kinds);
    put(&mut out, c.campaigns.len() as u32);
    put_list(&mut out, c.campaigns.list());
    put_all(&mut out, &c.campaign);
    put_all(&mut out, &c.published);
    put_all(&mut out, &c.popularity);
    put_all(&mut out, &c.topic_off);
    put_all(&mut out, &c.topic_ix);
    put_all(&mut out, &c.topic_w);

    match &c.vectors {
        None => put(&mut out, 0u32),
        Some(v) => {
            put(&mut out, v.dims() as u32);
            put_all(&mut out, v.data());
        }
    }
    if c.rel_off.is_empty() {
        put(&mut out, 0u32);
    } else {
        put(&mut out, 1u32);
        put_all(&mut out, &c.rel_off);
        put_all(&mut out, &c.rel_item);
        put_all(&mut out, &c.rel_w);
    }
    out
}

// ---------------------------------------------------------------------------
// Reading
//
// Errors are built out of line, from a [`Field`].

#[inline(never)]
fn structure(message: &str) -> Error {
    Error::invalid("/binary", message)
}

#[inline(never)]
fn truncated() -> Error {
    structure("the file ends too early: it is truncated, or a length in it is wrong")
}

/// The bytes not read yet. Every read checks the length first, so nothing is
/// allocated for data the file does not hold.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        if len > self.rest.len() {
            return Err(truncated());
        }
        let (head, tail) = self.rest.split_at(len);
        self.rest = tail;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::read(self.take(4)?))
    }

    /// `count` numbers. On a little-endian machine (WebAssembly is one) the bytes
    /// already are the numbers, so they are copied in one block: on a cold page,
    /// where wasm runs in the browser's baseline tier, decoding them one by one was
    /// a fifth of loading a compiled catalog.
    ///
    /// They replace what `out` held: each field is read where it lives rather than
    /// returned and moved into place, which was code at every one of the many fields.
    ///
    /// Never inlined: the number types of one size then share one body, where a type read
    /// only once (the dates) had its copy inlined.
    #[inline(never)]
    fn array<T: Le>(&mut self, out: &mut Vec<T>, count: usize) -> Result<()> {
        let bytes = self.take(count.checked_mul(T::SIZE).ok_or_else(truncated)?)?;
        *out = vec![T::zeroed(); count];
        let out_bytes = bytemuck::cast_slice_mut(out);
        out_bytes.copy_from_slice(bytes);
        from_le(out_bytes, T::SIZE);
        Ok(())
    }

    /// A count, refused above `max` with the JSON loader's error.
    fn count(&mut self, max: usize, path: &str, message: &str) -> Result<usize> {
        let n = self.u32()? as usize;
        if n > max {
            return Err(Error::out_of_range(path, message));
        }
        Ok(n)
    }

    /// A string list of `k` strings; string i is named `field.path(i)` in errors.
    /// Its offsets are kept as they are in the file. Like [`Reader::array`], it
    /// replaces what `out` held, reading into it in place.
    fn strings(&mut self, out: &mut StrList, k: usize, field: Field) -> Result<()> {
        // Read where the list keeps them: on an error the list is dropped with the catalog.
        let (text, off) = out.parts_mut();
        self.array(off, k + 1)?;
        let total = check_offsets(off, (usize::MAX, ""), field)?;
        let bytes = self.take(total)?;
        let valid = utf8_valid_up_to(bytes);
        if valid < total {
            // The last string starting at or before the bad byte (the offsets never
            // decrease, and the first is 0).
            let i = off.iter().rposition(|&o| o as usize <= valid);
            return Err(field.error(
                ErrorKind::Invalid,
                i.unwrap_or(0),
                None,
                "this text is not valid UTF-8",
            ));
        }
        // SAFETY: `utf8_valid_up_to` found every byte valid; it is as strict as
        // `str::from_utf8` (its tests compare the two), whose code it keeps out of the wasm.
        let blob = unsafe { std::str::from_utf8_unchecked(bytes) };
        if let Some(i) = off.iter().position(|&o| !blob.is_char_boundary(o as usize)) {
            return Err(field.error(
                ErrorKind::Invalid,
                i,
                None,
                "this text starts inside a character",
            ));
        }
        *text = blob.to_string();
        debug_assert!(out.is_consistent());
        Ok(())
    }

    fn finish(&self) -> Result<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(structure("unexpected bytes after the end of the catalog"))
        }
    }
}

/// Checks offsets: from 0, never decreasing, at most `max_per` entries for any
/// item (`too_many` says so). Returns the number of entries.
fn check_offsets(off: &[u32], (max_per, too_many): (usize, &str), field: Field) -> Result<usize> {
    if off.first() != Some(&0) {
        return Err(field.error(ErrorKind::Invalid, 0, None, "offsets must start at 0"));
    }
    for (i, w) in off.windows(2).enumerate() {
        if w[1] < w[0] {
            return Err(field.error(ErrorKind::Invalid, i, None, "offsets must never decrease"));
        }
        if (w[1] - w[0]) as usize > max_per {
            return Err(field.error(ErrorKind::OutOfRange, i, None, too_many));
        }
    }
    Ok(off.last().map_or(0, |&o| o as usize))
}

/// Checks every string as an id: not empty, at most 256 bytes.
fn check_ids(list: &StrList, field: Field) -> Result<()> {
    for i in 0..list.len() {
        field.check_id(list.get(i), i)?;
    }
    Ok(())
}

fn read(bytes: &[u8]) -> Result<Catalog> {
    let mut r = Reader { rest: bytes };
    read_header(&mut r)?;
    let mut c = Catalog::empty(Taxonomy::default());
    read_taxonomy(&mut r, &mut c.taxonomy)?;
    let topics = c.taxonomy.len();
    let n = r.count(
        MAX_ITEMS,
        "/items",
        "a catalog may have at most 1000000 items",
    )?;
    read_ids(&mut r, &mut c, n)?;
    read_kinds(&mut r, &mut c, n)?;
    read_campaigns(&mut r, &mut c, n)?;
    read_dates_and_popularity(&mut r, &mut c, n)?;
    read_topics(&mut r, &mut c, n, topics)?;
    read_vectors(&mut r, &mut c, n)?;
    read_related(&mut r, &mut c, n)?;
    r.finish()?;
    Ok(c)
}

fn read_header(r: &mut Reader<'_>) -> Result<()> {
    match r.rest.strip_prefix(&MAGIC) {
        Some(rest) => r.rest = rest,
        None => {
            return Err(structure(
                "this is not a compiled Inkling catalog (it does not start with INKLCAT)",
            ))
        }
    }
    let version = r.u32()?;
    if version != VERSION {
        // The version this build reads, written out, and held to `VERSION` at compile time.
        const _: () = assert!(VERSION == 1);
        let mut message = String::from("this catalog was compiled in format version ");
        push_uint(&mut message, version as u64);
        message.push_str(
            ", and this version of Inkling reads version 1: compile the catalog again with this version",
        );
        return Err(Error::new(ErrorKind::Unsupported, "/binary", message));
    }
    Ok(())
}

/// The topics, read into the catalog's taxonomy through the checks of
/// [`Taxonomy::from_documents`] (ids, duplicates, cycles, inherited sensitivity), in
/// the order this format always reported them: parents and flags, then ids.
fn read_taxonomy(r: &mut Reader<'_>, tax: &mut Taxonomy) -> Result<()> {
    let t = r.count(
        MAX_TOPICS,
        "/topics",
        "a catalog may have at most 10000 topics",
    )?;
    let (mut ids, mut labels) = (StrList::new(), StrList::new());
    r.strings(&mut ids, t, TOPIC_ID)?;
    r.strings(&mut labels, t, TOPIC_LABEL)?;
    // The parents are read where the taxonomy keeps them, in the stored layout.
    r.array(tax.parents_mut(), t)?;
    let sensitive = r.take(t)?;
    for (i, &s) in sensitive.iter().enumerate() {
        let p = tax.parent_list()[i];
        if p != NO_TOPIC && p as usize >= t {
            return Err(TOPIC_PARENT.error(
                ErrorKind::NotFound,
                i,
                None,
                "the parent topic is not in the catalog's topics",
            ));
        }
        tax.push_sensitive(flag(s, TOPIC_SENSITIVE, i)?);
    }
    for i in 0..t {
        tax.add(i, ids.get(i), labels.get(i))?;
    }
    tax.check_cycles_and_inherit()
}

fn flag(b: u8, field: Field, i: usize) -> Result<bool> {
    match b {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(not_a_flag(field, i)),
    }
}

/// The error for entry `i` of a list of 0/1 flags holding anything else.
fn not_a_flag(field: Field, i: usize) -> Error {
    field.error(ErrorKind::Invalid, i, None, "expected 0 or 1")
}

/// Ids, titles and urls, and the id order, checked to be strictly increasing:
/// that makes the ids unique and the order a permutation.
fn read_ids(r: &mut Reader<'_>, c: &mut Catalog, n: usize) -> Result<()> {
    r.strings(&mut c.ids, n, ITEM_ID)?;
    check_ids(&c.ids, ITEM_ID)?;
    // Empty strings stand for "none", as the catalog keeps them.
    r.strings(&mut c.titles, n, ITEM_TITLE)?;
    r.strings(&mut c.urls, n, ITEM_URL)?;
    r.array(&mut c.by_id, n)?;
    c.id_rank = vec![0u32; n];
    for (rank, &k) in c.by_id.iter().enumerate() {
        let k = k as usize;
        if k >= n {
            return Err(structure("the id order names an item that does not exist"));
        }
        if rank > 0 {
            let prev = c.by_id[rank - 1] as usize;
            if prev == k {
                return Err(structure("the id order lists an item twice"));
            }
            match c.ids.get(prev).cmp(c.ids.get(k)) {
                std::cmp::Ordering::Less => {}
                std::cmp::Ordering::Equal => {
                    // Named at its second use, as the JSON loader does.
                    return Err(ITEM_ID.error(
                        ErrorKind::Invalid,
                        k.max(prev),
                        None,
                        "this item id is used twice",
                    ));
                }
                std::cmp::Ordering::Greater => {
                    return Err(structure("the id order is not sorted by id"))
                }
            }
        }
        c.id_rank[k] = rank as u32;
    }
    Ok(())
}

fn read_kinds(r: &mut Reader<'_>, c: &mut Catalog, n: usize) -> Result<()> {
    // Kept as stored: one byte per item, checked here.
    c.kinds = r.take(n)?.to_vec();
    if let Some(i) = c.kinds.iter().position(|&k| k > 1) {
        return Err(not_a_flag(ITEM_KIND, i));
    }
    Ok(())
}

fn read_campaigns(r: &mut Reader<'_>, c: &mut Catalog, n: usize) -> Result<()> {
    let count = r.count(n, "/campaigns", "there are more campaigns than items")?;
    // Read into the catalog's index in place: on an error the catalog is dropped whole.
    let names = c.campaigns.keys_mut();
    r.strings(names, count, CAMPAIGN)?;
    check_ids(names, CAMPAIGN)?;
    c.campaigns.rebuild().map_err(|k| {
        CAMPAIGN.error(ErrorKind::Invalid, k, None, "this campaign is listed twice")
    })?;
    r.array(&mut c.campaign, n)?;
    if let Some(i) = c
        .campaign
        .iter()
        .position(|&k| k != NONE_U32 && k as usize >= count)
    {
        return Err(ITEM_CAMPAIGN.error(
            ErrorKind::NotFound,
            i,
            None,
            "no campaign with this index",
        ));
    }
    Ok(())
}

fn read_dates_and_popularity(r: &mut Reader<'_>, c: &mut Catalog, n: usize) -> Result<()> {
    r.array(&mut c.published, n)?;
    if let Some(i) = c
        .published
        .iter()
        .position(|&d| d != NO_DATE && !(FIRST_DAY..=LAST_DAY).contains(&d))
    {
        return Err(ITEM_PUBLISHED.error(
            ErrorKind::OutOfRange,
            i,
            None,
            "the date must be in the years 1 to 9999",
        ));
    }
    r.array(&mut c.popularity, n)?;
    if let Some(i) = c.popularity.iter().position(|p| !(0.0..=1.0).contains(p)) {
        return Err(ITEM_POPULARITY.error(
            ErrorKind::OutOfRange,
            i,
            None,
            "a stored popularity must be a number from 0 to 1",
        ));
    }
    Ok(())
}

/// A weight the builder keeps: zero weights are dropped and the rest are at most 1.
fn kept_weight(w: f32) -> bool {
    w > 0.0 && w <= 1.0
}

fn read_topics(r: &mut Reader<'_>, c: &mut Catalog, n: usize, topics: usize) -> Result<()> {
    // Read straight into the catalog: on an error it is dropped whole.
    r.array(&mut c.topic_off, n + 1)?;
    let total = check_offsets(
        &c.topic_off,
        (MAX_TOPICS_PER_ITEM, "an item may have at most 64 topics"),
        ITEM_TOPICS,
    )?;
    r.array(&mut c.topic_ix, total)?;
    r.array(&mut c.topic_w, total)?;
    // Exactly one entry per item. Set as new lists rather than reserved: `reserve_exact`
    // brought growth code of its own into the wasm for these three calls alone.
    c.topic_norm = Vec::with_capacity(n);
    c.primary = Vec::with_capacity(n);
    c.sensitive_item = Vec::with_capacity(n);
    // 1 + the last item that used each topic, 0 for none: a repeat within an item in
    // O(1). Zero-filled, as other lists are, rather than filled with a value of its own.
    let mut last = vec![0u32; topics];
    for i in 0..n {
        let range = c.topic_off[i] as usize..c.topic_off[i + 1] as usize;
        for k in range.clone() {
            let t = c.topic_ix[k] as usize;
            if t >= topics {
                return Err(ITEM_TOPICS.error(
                    ErrorKind::NotFound,
                    i,
                    None,
                    "a topic index is not in the catalog's topics",
                ));
            }
            // Looked up only for an error: this loop runs for every topic of every item.
            let id = || Some(c.taxonomy.id(TopicIx(t as u16)));
            if std::mem::replace(&mut last[t], i as u32 + 1) == i as u32 + 1 {
                return Err(ITEM_TOPICS.error(
                    ErrorKind::Invalid,
                    i,
                    id(),
                    "this topic is listed twice",
                ));
            }
            if !kept_weight(c.topic_w[k]) {
                return Err(ITEM_TOPICS.error(
                    ErrorKind::OutOfRange,
                    i,
                    id(),
                    "a stored topic weight must be above 0 and at most 1",
                ));
            }
        }
        // Derived as each item passes its checks: one pass over the items, not two.
        c.push_topic_summary(range);
    }
    Ok(())
}

fn read_vectors(r: &mut Reader<'_>, c: &mut Catalog, n: usize) -> Result<()> {
    let dims = r.u32()? as usize;
    if dims == 0 {
        return Ok(());
    }
    check_dims(dims, "/vectors")?;
    // Read in place, as the other arrays are: on an error the catalog is dropped whole.
    let data = c.vectors.insert(Vectors::empty(dims)).data_mut();
    r.array(data, n.checked_mul(dims).ok_or_else(truncated)?)?;
    for (i, row) in data.chunks_exact(dims).enumerate() {
        // Finite entries and a norm of at most 1 keep every similarity in [−1, 1].
        let norm2 = super::vectors::norm2(row);
        // NaN falls outside the range too.
        if !(..=MAX_NORM2).contains(&norm2) {
            return Err(ITEM_VECTOR.error(
                ErrorKind::OutOfRange,
                i,
                None,
                "a stored vector must be finite with a length of at most 1",
            ));
        }
    }
    Ok(())
}

fn read_related(r: &mut Reader<'_>, c: &mut Catalog, n: usize) -> Result<()> {
    match r.u32()? {
        0 => return Ok(()),
        1 => {}
        _ => return Err(structure("the related-items marker must be 0 or 1")),
    }
    r.array(&mut c.rel_off, n + 1)?;
    let total = check_offsets(
        &c.rel_off,
        (
            MAX_RELATED_PER_ITEM,
            "an item may list at most 100 related items",
        ),
        ITEM_RELATED,
    )?;
    r.array(&mut c.rel_item, total)?;
    r.array(&mut c.rel_w, total)?;
    let (off, rel, w) = (&c.rel_off, &c.rel_item, &c.rel_w);
    // 1 + the last item that listed each item, 0 for none (as for topics).
    let mut last = vec![0u32; n];
    for i in 0..n {
        for k in off[i] as usize..off[i + 1] as usize {
            let j = rel[k] as usize;
            if j >= n || j == i {
                return Err(ITEM_RELATED.error(
                    ErrorKind::NotFound,
                    i,
                    None,
                    "a related item is not another item of the catalog",
                ));
            }
            let id = Some(c.ids.get(j));
            if std::mem::replace(&mut last[j], i as u32 + 1) == i as u32 + 1 {
                return Err(ITEM_RELATED.error(
                    ErrorKind::Invalid,
                    i,
                    id,
                    "this related item is listed twice",
                ));
            }
            if !kept_weight(w[k]) {
                return Err(ITEM_RELATED.error(
                    ErrorKind::OutOfRange,
                    i,
                    id,
                    "a stored related weight must be above 0 and at most 1",
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::date::parse_date;
    use crate::error::ErrorKind;

    const DOC: &str = r#"{
      "topics": [{"id": "outdoors", "label": "Outdoors"}, {"id": "hiking", "parent": "outdoors"},
                 {"id": "health", "sensitive": true}, {"id": "yoga", "parent": "health"}],
      "items": [
        {"id": "b2", "title": "Boots", "url": "/b2", "kind": "offer", "campaign": "winter",
         "topics": {"hiking": 0.5, "outdoors": 1.0}, "popularity": 30, "related": {"a1": 0.5},
         "vector": [1, 2, 3, 4, 5, 6, 7, 8]},
        {"id": "a1", "topics": {"hiking": 1.0, "health": 0.0}, "published": "2026-11-02",
         "popularity": 40, "related": {"b2": 0.25, "c3": 1.0, "a1": 1}, "vector": [0, 0, 0, 0, 0, 0, 0, 0]},
        {"id": "c3", "title": "", "kind": "offer", "campaign": "winter", "topics": {"yoga": 0.3},
         "published": "0001-01-01", "vector": [-1, 0, 0, 0, 0, 0, 0, 0.5]}
      ]}"#;

    #[test]
    fn the_date_bounds_are_the_json_loaders() {
        assert_eq!(parse_date("0001-01-01"), Some(FIRST_DAY));
        assert_eq!(parse_date("9999-12-31"), Some(LAST_DAY));
    }

    #[test]
    fn round_trips_exactly() {
        let c = Catalog::from_json(DOC).unwrap();
        let bytes = c.to_bytes();
        assert_eq!(&bytes[..8], &MAGIC);
        assert_eq!(Catalog::from_bytes(&bytes).unwrap(), c);
        let empty = Catalog::from_json("{}").unwrap();
        assert_eq!(Catalog::from_bytes(&empty.to_bytes()).unwrap(), empty);
    }

    /// The error of loading the compiled `DOC` after `f` changed its bytes.
    fn patched(f: impl FnOnce(&mut Vec<u8>)) -> Error {
        let mut bytes = Catalog::from_json(DOC).unwrap().to_bytes();
        f(&mut bytes);
        Catalog::from_bytes(&bytes).unwrap_err()
    }

    #[test]
    fn header_errors() {
        let e = patched(|b| b[0] = b'X');
        assert_eq!((e.kind(), e.path()), (ErrorKind::Invalid, "/binary"));
        let e = patched(|b| b[8] = 2);
        assert_eq!((e.kind(), e.path()), (ErrorKind::Unsupported, "/binary"));
        assert!(e.message().contains("version 2"), "{}", e.message());
        let e = patched(|b| b.push(0));
        assert_eq!((e.kind(), e.path()), (ErrorKind::Invalid, "/binary"));
        let e = Catalog::from_bytes(b"").unwrap_err();
        assert_eq!(e.path(), "/binary");
    }

    /// Replaces the first occurrence of `from` (which must be unique) by `to`.
    fn replace(b: &mut [u8], from: &[u8], to: &[u8]) {
        let at = b.windows(from.len()).position(|w| w == from).unwrap();
        assert!(b[at + 1..].windows(from.len()).all(|w| w != from));
        b[at..at + to.len()].copy_from_slice(to);
    }

    #[test]
    fn topic_errors_come_parents_and_flags_first() {
        let c = Catalog::from_json(DOC).unwrap();
        let t = c.taxonomy();
        let list = |l: &StrList| 4 * l.offsets().len() + l.text().len();
        // Where the 4 parents (u16) start, then the 4 sensitivity flags.
        let parents = 16 + list(t.id_list()) + list(t.label_list());
        let flags = parents + 8;
        // An unknown parent on topic 1 is named before a bad flag on topic 2.
        let e = patched(|b| {
            b[parents + 2..parents + 4].copy_from_slice(&9u16.to_le_bytes());
            b[flags + 2] = 7;
        });
        assert_eq!(
            (e.kind(), e.path()),
            (ErrorKind::NotFound, "/topics/1/parent")
        );
        // A bad flag is named before a repeated id.
        let e = patched(|b| {
            b[flags + 2] = 7;
            replace(b, b"outdoorshikinghealth", b"outdoorshikinghiking");
        });
        assert_eq!(e.path(), "/topics/2/sensitive");
        // A parent chain that loops.
        let e = patched(|b| b[parents..parents + 2].copy_from_slice(&1u16.to_le_bytes()));
        assert_eq!(e.path(), "/topics/0/parent");
        // An empty label stands for the id, as in a JSON catalog.
        let mut bytes = c.to_bytes();
        let labels = 16 + list(t.id_list());
        let end = u32::from_le_bytes(bytes[labels + 4..labels + 8].try_into().unwrap());
        // The first label ("Outdoors") made empty: the offsets after it and the text move.
        let shift = end as usize;
        for k in 1..5 {
            let at = labels + 4 * k;
            let o = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) - end;
            bytes[at..at + 4].copy_from_slice(&o.to_le_bytes());
        }
        bytes.drain(labels + 20..labels + 20 + shift);
        let back = Catalog::from_bytes(&bytes).unwrap();
        assert_eq!(back.taxonomy().label(TopicIx(0)), "outdoors");
    }

    #[test]
    fn field_errors_name_the_place() {
        // Ids in the blob "b2a1c3": make two of them equal.
        let e = patched(|b| replace(b, b"b2a1c3", b"b2b2c3"));
        assert_eq!(e.path(), "/items/1/id");
        let e = patched(|b| replace(b, b"b2a1c3", b"b2a\xffc3"));
        assert_eq!(e.path(), "/items/1/id");
        let e = patched(|b| replace(b, b"outdoorshikinghealth", b"outdoorshikinghiking"));
        assert_eq!(e.path(), "/topics/2/id");
        // The popularity of b2 is 0.75.
        let e = patched(|b| replace(b, &0.75f32.to_le_bytes(), &1.5f32.to_le_bytes()));
        assert_eq!(
            (e.kind(), e.path()),
            (ErrorKind::OutOfRange, "/items/0/popularity")
        );
        let e = patched(|b| replace(b, &0.3f32.to_le_bytes(), &f32::NAN.to_le_bytes()));
        assert_eq!(e.path(), "/items/2/topics/yoga");
    }

    #[test]
    fn a_repeat_within_an_item_is_refused_and_the_lists_are_exact() {
        let c = Catalog::from_json(DOC).unwrap();
        let back = Catalog::from_bytes(&c.to_bytes()).unwrap();
        let exact = |c: &Catalog| {
            let n = c.len();
            (c.topic_norm.capacity(), c.primary.capacity()) == (n, n)
                && c.sensitive_item.capacity() == n
        };
        assert!(exact(&back), "one entry per item, no room to spare");
        // Item 0 has hiking then outdoors: make both hiking.
        let mut d = c.clone();
        d.topic_ix[1] = d.topic_ix[0];
        let e = Catalog::from_bytes(&d.to_bytes()).unwrap_err();
        assert_eq!(
            (e.kind(), e.path()),
            (ErrorKind::Invalid, "/items/0/topics/hiking")
        );
        // Item 1 lists b2 then c3: make both b2.
        let mut d = c;
        let k = d.rel_off[1] as usize;
        d.rel_item[k + 1] = d.rel_item[k];
        let e = Catalog::from_bytes(&d.to_bytes()).unwrap_err();
        assert_eq!(
            (e.kind(), e.path()),
            (ErrorKind::Invalid, "/items/1/related/b2")
        );
    }
}
