//! Reading and writing one site's document atomically, and quarantining what cannot be read.
//!
//! Write: the new text goes to `<main>:next`, then to `<main>`, then `<main>:next`
//! is removed. If the first write fails the old document is untouched; if the
//! switch fails, `:next` is dropped and the old document is still the one read.
//! A page closed between the two writes leaves a `:next` that is newer (higher
//! revision) than the main document: the next load finishes the switch.
//! When `:next` does not fit (quota) the text is written to the main key
//! directly: `localStorage.setItem` replaces a value atomically, so the old
//! document is still readable if that fails too.

use super::{Keys, Store, StoreError};
use crate::error::Error;

/// Largest document accepted from storage; anything bigger is treated as corrupt.
/// A profile is bounded to 32 KB, so this leaves ample room for growth.
pub const MAX_DOCUMENT_BYTES: usize = 1 << 20;

/// How much of an oversized bad document is kept in quarantine when the whole does not fit.
pub const QUARANTINE_PREFIX_BYTES: usize = 64 << 10;

/// What a decoder made of a stored text.
#[derive(Debug)]
pub enum Decoded<D> {
    /// A document of this build's version (or migrated to it), with its revision.
    Ok(D, u64),
    /// A document from a newer version of Inkling: leave it alone.
    Newer(u64),
    /// Not a document this build can trust.
    Corrupt(Error),
}

/// A bad document moved aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quarantine {
    /// The key it is kept under.
    pub key: String,
    /// Why it could not be read.
    pub error: Error,
    /// Its size in bytes.
    pub bytes: usize,
    /// Whether it was kept whole (`false`: only a prefix fit, or nothing could be written).
    pub complete: bool,
}

/// The outcome of loading one site's document.
#[derive(Debug)]
pub enum Loaded<D> {
    /// No document yet.
    Empty,
    /// A readable document (possibly finished from an interrupted write).
    Found(D, u64),
    /// A document from a newer version, left untouched.
    Newer(u64),
    /// A bad document, moved to quarantine; start clean.
    Corrupt(Quarantine),
    /// Storage cannot be used.
    Unavailable(StoreError),
}

/// Decodes `text` with the size limit applied first.
fn decode_bounded<D>(text: &str, decode: impl Fn(&str) -> Decoded<D>) -> Decoded<D> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Decoded::Corrupt(Error::out_of_range(
            "",
            "the stored document is larger than 1 MiB",
        ));
    }
    decode(text)
}

/// Loads the document under `keys`, finishing an interrupted write and quarantining a bad document.
///
/// `decode` is a type parameter rather than a `dyn` function: the product has one
/// decoder, called directly instead of through a vtable of its own.
pub fn load<S: Store + ?Sized, D>(
    store: &mut S,
    keys: &Keys,
    decode: impl Fn(&str) -> Decoded<D> + Copy,
) -> Loaded<D> {
    let main = match store.get(&keys.main) {
        Ok(v) => v,
        Err(e) => return Loaded::Unavailable(e),
    };
    let next = store.get(&keys.next).ok().flatten();
    let mut main_decoded = main.as_deref().map(|t| decode_bounded(t, decode));

    // An interrupted write: `:next` holds a newer readable document.
    if let Some(next_text) = next {
        let _ = store.remove(&keys.next);
        let next_decoded = decode_bounded(&next_text, decode);
        if let Decoded::Ok(_, rev) = next_decoded {
            let newer = match &main_decoded {
                Some(Decoded::Ok(_, main_rev)) => rev > *main_rev,
                Some(Decoded::Newer(_)) => false,
                Some(Decoded::Corrupt(_)) | None => true,
            };
            if newer {
                if let (Some(Decoded::Corrupt(error)), Some(raw)) = (main_decoded, &main) {
                    quarantine(store, keys, raw, error);
                }
                let _ = store.set(&keys.main, &next_text);
                // Found below, as the main document is: one place builds it, and the
                // decoded document moves whole rather than taken apart and rebuilt.
                main_decoded = Some(next_decoded);
            }
        }
    }

    match main_decoded {
        None => Loaded::Empty,
        Some(Decoded::Ok(doc, rev)) => Loaded::Found(doc, rev),
        Some(Decoded::Newer(v)) => Loaded::Newer(v),
        // Only the main text decodes as corrupt here, so it is there.
        Some(Decoded::Corrupt(error)) => Loaded::Corrupt(quarantine(
            store,
            keys,
            main.as_deref().unwrap_or(""),
            error,
        )),
    }
}

/// Moves `raw` (the bad text under the main key) to the quarantine key and removes it from the main key.
pub fn quarantine<S: Store + ?Sized>(
    store: &mut S,
    keys: &Keys,
    raw: &str,
    error: Error,
) -> Quarantine {
    let mut complete = store.set(&keys.quarantine, raw).is_ok();
    if !complete {
        // Keep what fits for inspection; the rest is garbage either way.
        let mut end = raw.len().min(QUARANTINE_PREFIX_BYTES);
        while !raw.is_char_boundary(end) {
            end -= 1;
        }
        let _ = store.set(&keys.quarantine, &raw[..end]);
        complete = false;
    }
    let _ = store.remove(&keys.main);
    Quarantine {
        key: keys.quarantine.clone(),
        error,
        bytes: raw.len(),
        complete,
    }
}

/// Writes `text` as the new document under `keys`; on error the previous document is still the one read.
pub fn save<S: Store + ?Sized>(store: &mut S, keys: &Keys, text: &str) -> Result<(), StoreError> {
    match store.set(&keys.next, text) {
        Ok(()) => {}
        Err(StoreError::Quota) => return store.set(&keys.main, text),
        Err(e) => return Err(e),
    }
    let switched = store.set(&keys.main, text);
    let _ = store.remove(&keys.next);
    switched
}

/// Removes the document under `keys` (and any half-written one).
pub fn delete<S: Store + ?Sized>(store: &mut S, keys: &Keys) -> Result<(), StoreError> {
    let _ = store.remove(&keys.next);
    store.remove(&keys.main)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    /// A toy decoder: `"<rev>"` is a document, `"v9"` a newer version, anything else corrupt.
    fn toy(text: &str) -> Decoded<String> {
        if text == "v9" {
            return Decoded::Newer(9);
        }
        match text.parse::<u64>() {
            Ok(rev) => Decoded::Ok(text.to_string(), rev),
            Err(_) => Decoded::Corrupt(Error::invalid("", "not a number")),
        }
    }

    fn keys() -> Keys {
        Keys::for_site("demo")
    }

    #[test]
    fn keys_are_per_site() {
        let k = keys();
        assert_eq!(
            (k.main.as_str(), k.next.as_str()),
            ("inkling:demo", "inkling:demo:next")
        );
        assert_eq!(k.quarantine, "inkling:demo:quarantine");
    }

    #[test]
    fn save_then_load() {
        let mut s = MemoryStore::new();
        assert!(matches!(load(&mut s, &keys(), toy), Loaded::Empty));
        save(&mut s, &keys(), "3").unwrap();
        assert!(matches!(load(&mut s, &keys(), toy), Loaded::Found(_, 3)));
        assert_eq!(s.keys().collect::<Vec<_>>(), ["inkling:demo"]);
    }

    #[test]
    fn a_failed_switch_leaves_the_old_document_readable() {
        let mut s = MemoryStore::new();
        save(&mut s, &keys(), "1").unwrap();
        s.fail_writes_to(Some("inkling:demo"));
        assert_eq!(save(&mut s, &keys(), "2"), Err(StoreError::Quota));
        s.fail_writes_to(None);
        assert!(matches!(load(&mut s, &keys(), toy), Loaded::Found(_, 1)));
        assert!(s.get("inkling:demo:next").unwrap().is_none());
    }

    #[test]
    fn a_full_store_keeps_the_old_document() {
        let mut s = MemoryStore::with_quota(40);
        save(&mut s, &keys(), "1").unwrap();
        assert_eq!(
            save(&mut s, &keys(), &"9".repeat(40)),
            Err(StoreError::Quota)
        );
        assert!(matches!(load(&mut s, &keys(), toy), Loaded::Found(_, 1)));
    }

    #[test]
    fn an_interrupted_write_is_finished_on_load() {
        let mut s = MemoryStore::new();
        save(&mut s, &keys(), "1").unwrap();
        s.set("inkling:demo:next", "2").unwrap();
        assert!(matches!(load(&mut s, &keys(), toy), Loaded::Found(_, 2)));
        assert_eq!(s.get("inkling:demo").unwrap().as_deref(), Some("2"));
        // A stale `:next` (older than main) is dropped.
        s.set("inkling:demo:next", "1").unwrap();
        assert!(matches!(load(&mut s, &keys(), toy), Loaded::Found(_, 2)));
        assert!(s.get("inkling:demo:next").unwrap().is_none());
    }

    #[test]
    fn a_bad_document_is_quarantined_and_the_site_starts_clean() {
        let mut s = MemoryStore::new();
        s.set("inkling:demo", "{trunc").unwrap();
        match load(&mut s, &keys(), toy) {
            Loaded::Corrupt(q) => {
                assert_eq!(q.key, "inkling:demo:quarantine");
                assert!(q.complete);
                assert_eq!(q.bytes, 6);
            }
            other => panic!("expected corrupt, got {other:?}"),
        }
        assert_eq!(
            s.get("inkling:demo:quarantine").unwrap().as_deref(),
            Some("{trunc")
        );
        assert!(s.get("inkling:demo").unwrap().is_none());
        assert!(matches!(load(&mut s, &keys(), toy), Loaded::Empty));
    }

    #[test]
    fn an_oversized_document_is_corrupt_and_a_prefix_is_kept_when_space_is_short() {
        let big = "x".repeat(MAX_DOCUMENT_BYTES + 1);
        let mut s = MemoryStore::with_quota(MAX_DOCUMENT_BYTES + 200 + QUARANTINE_PREFIX_BYTES);
        s.set("inkling:demo", &big).unwrap();
        match load(&mut s, &keys(), toy) {
            Loaded::Corrupt(q) => {
                assert!(!q.complete);
                assert!(q.error.message().contains("1 MiB"));
            }
            other => panic!("expected corrupt, got {other:?}"),
        }
        assert_eq!(
            s.get("inkling:demo:quarantine").unwrap().map(|v| v.len()),
            Some(QUARANTINE_PREFIX_BYTES)
        );
    }

    #[test]
    fn a_newer_document_is_left_untouched() {
        let mut s = MemoryStore::new();
        s.set("inkling:demo", "v9").unwrap();
        assert!(matches!(load(&mut s, &keys(), toy), Loaded::Newer(9)));
        assert_eq!(s.get("inkling:demo").unwrap().as_deref(), Some("v9"));
    }

    #[test]
    fn unavailable_storage_is_reported() {
        let mut s = MemoryStore::new();
        s.fail_with(Some(StoreError::Denied));
        assert!(matches!(
            load(&mut s, &keys(), toy),
            Loaded::Unavailable(StoreError::Denied)
        ));
    }
}
