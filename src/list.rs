//! `Vec` helpers the crate compiles once per element type instead of the standard
//! library's larger ones.

/// Keeps the entries of `list` that `keep` accepts, in order (as `Vec::retain_mut`).
///
/// With [`discard`] rather than `Vec::retain_mut`, whose drop-safe body was instantiated
/// for every list: the lists this serves (measurement upkeep, the profile's event log and
/// impressions, sorted-map entries) hold a few hundred entries at most, and are pruned
/// rarely.
pub(crate) fn keep_only<T>(list: &mut Vec<T>, mut keep: impl FnMut(&mut T) -> bool) {
    let mut i = 0;
    while i < list.len() {
        if keep(&mut list[i]) {
            i += 1;
        } else {
            discard(list, i);
        }
    }
}

/// Removes entry `i` of `list`, dropping it where it is, and moves the later entries
/// down (as `Vec::remove`, which would move the entry out for the caller to drop).
/// For callers that do not want the entry: `Vec::remove` is compiled as `try_remove`
/// and a wrapper per element type, and each caller then drops the entry from a copy on
/// its stack.
///
/// # Panics
/// If `i` is not below the length.
pub(crate) fn discard<T>(list: &mut Vec<T>, i: usize) {
    let len = list.len();
    assert!(i < len);
    // SAFETY: entry `i` is in bounds (asserted above), and the pointer is the vector's
    // own (`as_mut_ptr`), valid for all `len` entries. The length is first cut to `i`, so
    // should the entry's drop panic the later entries leak rather than drop twice; the
    // entry is dropped once, then the `len - i - 1` entries after it move down into its
    // place, within the allocation, before the length takes them back.
    unsafe {
        let slot = list.as_mut_ptr().add(i);
        list.set_len(i);
        std::ptr::drop_in_place(slot);
        std::ptr::copy(slot.add(1), slot, len - i - 1);
        list.set_len(len - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::{discard, keep_only};

    #[test]
    fn keeps_what_is_accepted_in_order() {
        let mut v: Vec<u32> = (0..20).collect();
        keep_only(&mut v, |x| *x % 3 != 0);
        assert_eq!(v, [1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19]);
        keep_only(&mut v, |_| false);
        assert!(v.is_empty());
    }

    #[test]
    fn discard_drops_the_entry_once_and_keeps_the_order() {
        let shared = std::rc::Rc::new(());
        let mut v: Vec<(String, std::rc::Rc<()>)> =
            (0..5).map(|k| (k.to_string(), shared.clone())).collect();
        discard(&mut v, 1);
        discard(&mut v, 3);
        discard(&mut v, 0);
        assert_eq!(std::rc::Rc::strong_count(&shared), 3);
        assert_eq!(
            v.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["2", "3"]
        );
        discard(&mut v, 1);
        discard(&mut v, 0);
        assert!(v.is_empty());
        assert_eq!(std::rc::Rc::strong_count(&shared), 1);
    }

    #[test]
    #[should_panic]
    fn discard_past_the_end_panics() {
        discard(&mut vec![1, 2], 2);
    }
}
