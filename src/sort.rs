//! One sorting routine for the whole crate.
//!
//! Every `sort_by` with a new element type or closure compiles its own copy of
//! the standard library's sort (2–5 KB of WebAssembly each, a dozen call sites).
//! The shipped code sorts through these functions instead: they order `u32`
//! indices with a comparator behind `dyn`, so the sort and the selection are
//! each compiled once. [`sorted_indices`] breaks ties by index, which makes the
//! unstable sort give the stable order.

use std::cmp::Ordering;

/// Sorts `ix` by `cmp` (not stable: `cmp` should decide its own ties).
#[inline(never)]
pub fn sort_u32_by(ix: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    ix.sort_unstable_by(|&a, &b| cmp(a, b));
}

/// Reorders `ix` so that position `k` holds what a full sort by `cmp` would put
/// there, everything before it is not greater and everything after not less
/// (as `select_nth_unstable_by`). `k` must be below `ix.len()`.
#[inline(never)]
pub fn select_nth_u32_by(ix: &mut [u32], k: usize, cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    ix.select_nth_unstable_by(k, |&a, &b| cmp(a, b));
}

/// The indices `0..n` ordered by `cmp`; equal elements keep their index order (stable).
pub fn sorted_indices(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<u32> {
    let mut ix: Vec<u32> = (0..n as u32).collect();
    sort_u32_by(&mut ix, &mut |a, b| {
        cmp(a as usize, b as usize).then(a.cmp(&b))
    });
    ix
}

/// `items` sorted by `cmp`, stable (as `slice::sort_by`).
pub fn sort_vec_by<T>(items: Vec<T>, cmp: &mut dyn FnMut(&T, &T) -> Ordering) -> Vec<T> {
    let order = sorted_indices(items.len(), &mut |a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots[i as usize].take())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_vec_by_is_stable_and_matches_std() {
        let v: Vec<(i32, u32)> = (0..200u32).map(|i| (((i * 37) % 11) as i32, i)).collect();
        let mut expected = v.clone();
        expected.sort_by_key(|e| std::cmp::Reverse(e.0));
        assert_eq!(sort_vec_by(v, &mut |a, b| b.0.cmp(&a.0)), expected);
    }

    #[test]
    fn select_nth_puts_the_kth_in_place() {
        let mut ix: Vec<u32> = (0..100u32).map(|i| (i * 53) % 100).collect();
        select_nth_u32_by(&mut ix, 10, &mut |a, b| a.cmp(&b));
        assert_eq!(ix[10], 10);
        assert!(ix[..10].iter().all(|&x| x < 10));
        let mut ix2 = ix.clone();
        sort_u32_by(&mut ix2, &mut |a, b| b.cmp(&a));
        assert_eq!(ix2, (0..100u32).rev().collect::<Vec<_>>());
    }
}
