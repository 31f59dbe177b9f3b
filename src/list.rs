//! `Vec` helpers the crate compiles once per element type instead of the standard
//! library's larger ones.

/// Keeps the entries of `list` that `keep` accepts, in order (as `Vec::retain_mut`).
///
/// With `remove` rather than `Vec::retain_mut`, whose drop-safe body was instantiated for
/// every list: the lists this serves (measurement upkeep, the profile's event log and
/// impressions, sorted-map entries) hold a few hundred entries at most, and are pruned
/// rarely.
pub(crate) fn keep_only<T>(list: &mut Vec<T>, mut keep: impl FnMut(&mut T) -> bool) {
    let mut i = 0;
    while i < list.len() {
        if keep(&mut list[i]) {
            i += 1;
        } else {
            list.remove(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::keep_only;

    #[test]
    fn keeps_what_is_accepted_in_order() {
        let mut v: Vec<u32> = (0..20).collect();
        keep_only(&mut v, |x| *x % 3 != 0);
        assert_eq!(v, [1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19]);
        keep_only(&mut v, |_| false);
        assert!(v.is_empty());
    }
}
