//! One sorting routine for the whole crate.
//!
//! Every `sort_by` with a new element type or closure compiles its own copy of
//! the standard library's sort (2–5 KB of WebAssembly each, a dozen call sites).
//! The shipped code sorts through these functions instead: they order `u32`
//! indices with a comparator behind `dyn`, so the sort and the selection are
//! each compiled once. [`sorted_indices`] also breaks ties by index, so its order
//! does not depend on the sort's stability.

use std::cmp::Ordering;

/// An order on indices `0..n`, for [`sorted_indices`] and [`sort_vec_by`].
///
/// A trait of its own rather than `dyn FnMut`: a `dyn FnMut` table also holds a by-value
/// `call_once` that nothing calls, yet each closure passed brought its copy into the wasm.
pub trait IndexOrder {
    /// How the element at `a` compares with the one at `b`.
    fn order(&mut self, a: usize, b: usize) -> Ordering;
}

impl<F: FnMut(usize, usize) -> Ordering> IndexOrder for F {
    fn order(&mut self, a: usize, b: usize) -> Ordering {
        self(a, b)
    }
}

/// A swap of two positions, for [`permute`] (a trait for the same reason as
/// [`IndexOrder`]).
trait Swap {
    /// Swaps the elements at `a` and `b`.
    fn swap(&mut self, a: usize, b: usize);
}

impl<F: FnMut(usize, usize)> Swap for F {
    fn swap(&mut self, a: usize, b: usize) {
        self(a, b)
    }
}

/// Sorts `ix` by `cmp`, stably: a merge sort (runs of 16 by insertion, then merges
/// through one buffer of the same length).
///
/// Not the standard library's: the package's std is built for size, which makes
/// `sort_unstable` a heapsort; on the 100k ids of a catalog that was 8% of loading
/// in the browser. This is small too, and does about n·log2(n) comparisons.
#[inline(never)]
pub fn sort_u32_by(ix: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    const RUN: usize = 16;
    let n = ix.len();
    for start in (0..n).step_by(RUN) {
        let run = &mut ix[start..(start + RUN).min(n)];
        for i in 1..run.len() {
            let x = run[i];
            let mut j = i;
            while j > 0 && cmp(run[j - 1], x) == Ordering::Greater {
                run[j] = run[j - 1];
                j -= 1;
            }
            run[j] = x;
        }
    }
    if n <= RUN {
        return;
    }
    let mut buf = vec![0u32; n];
    let (mut from, mut to): (&mut [u32], &mut [u32]) = (ix, &mut buf);
    let mut width = RUN;
    let mut in_buf = false;
    while width < n {
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            if mid == end || cmp(from[mid - 1], from[mid]) != Ordering::Greater {
                // Already in order across the seam (ids of a catalog usually are): a
                // copy, so sorted input costs n comparisons per pass, not a merge.
                to[start..end].copy_from_slice(&from[start..end]);
                continue;
            }
            let (mut i, mut j) = (start, mid);
            for slot in &mut to[start..end] {
                // Take from the right run only when strictly smaller: stable.
                if j < end && (i >= mid || cmp(from[j], from[i]) == Ordering::Less) {
                    *slot = from[j];
                    j += 1;
                } else {
                    *slot = from[i];
                    i += 1;
                }
            }
        }
        std::mem::swap(&mut from, &mut to);
        in_buf = !in_buf;
        width *= 2;
    }
    if in_buf {
        // The sorted order ended in the buffer (`from`); copy it back.
        to.copy_from_slice(from);
    }
}

/// Reorders `ix` so that position `k` holds what a full sort by `cmp` would put
/// there, everything before it is not greater and everything after not less
/// (as `select_nth_unstable_by`). `k` must be below `ix.len()`.
///
/// Quickselect (Hoare's FIND): partition around the median of the first, middle and
/// last entries, keep the side holding `k`, and sort what is left once it is short,
/// about 3n comparisons on average. Should the partitions keep coming out lopsided
/// (more than 2·log2(n) rounds, which an input built against the median of three
/// would need), the range is sorted instead, so the worst case stays n·log2(n).
/// Not the standard library's introselect: its median-of-medians fallback and
/// helpers were 2 KB of the download, for a routine that only ever sees the
/// ranking's candidate buffer (a few hundred entries).
#[inline(never)]
pub fn select_nth_u32_by(ix: &mut [u32], k: usize, cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    let (mut lo, mut hi) = (0, ix.len());
    let mut rounds = 2 * (usize::BITS - ix.len().leading_zeros());
    while hi - lo > 16 && rounds > 0 {
        rounds -= 1;
        // The median of three goes to the end, as the pivot.
        let (a, m, z) = (lo, lo + (hi - lo) / 2, hi - 1);
        if cmp(ix[m], ix[a]) == Ordering::Less {
            ix.swap(m, a);
        }
        if cmp(ix[z], ix[m]) == Ordering::Less {
            ix.swap(z, m);
            if cmp(ix[m], ix[a]) == Ordering::Less {
                ix.swap(m, a);
            }
        }
        ix.swap(m, z);
        // Lomuto, without a branch on the comparison: every entry is swapped to the
        // end of the "below the pivot" front, which grows only when it is below.
        let pivot = ix[z];
        let mut p = lo;
        for i in lo..z {
            let x = ix[i];
            let below = cmp(x, pivot) == Ordering::Less;
            ix[i] = ix[p];
            ix[p] = x;
            p += usize::from(below);
        }
        ix.swap(p, z);
        match k.cmp(&p) {
            Ordering::Less => hi = p,
            Ordering::Greater => lo = p + 1,
            Ordering::Equal => return,
        }
    }
    sort_u32_by(&mut ix[lo..hi], cmp);
}

/// The indices `0..n` ordered by `cmp`; equal elements keep their index order (stable).
pub fn sorted_indices(n: usize, cmp: &mut dyn IndexOrder) -> Vec<u32> {
    let mut ix: Vec<u32> = (0..n as u32).collect();
    sort_u32_by(&mut ix, &mut |a, b| {
        cmp.order(a as usize, b as usize).then(a.cmp(&b))
    });
    ix
}

/// `items` sorted by `cmp`, stable (as `slice::sort_by`).
///
/// The elements are moved into place by swaps that `permute` chooses from the sorted
/// indices, so all a new element type compiles is its comparator and a swap.
pub fn sort_vec_by<T>(mut items: Vec<T>, cmp: &mut dyn FnMut(&T, &T) -> Ordering) -> Vec<T> {
    let mut order = sorted_indices(items.len(), &mut |a: usize, b: usize| {
        cmp(&items[a], &items[b])
    });
    permute(&mut order, &mut |a: usize, b: usize| items.swap(a, b));
    items
}

/// Applies `order` (position `k` is to hold the element now at `order[k]`) by calling
/// `swap` along each cycle of the permutation: at most n − 1 swaps. `order` is used up.
#[inline(never)]
fn permute(order: &mut [u32], swap: &mut dyn Swap) {
    for start in 0..order.len() {
        // Each position of this cycle receives its element, then is marked done (order[k] = k).
        let mut k = start;
        while order[k] as usize != start {
            let from = order[k] as usize;
            swap.swap(k, from);
            order[k] = k as u32;
            k = from;
        }
        order[k] = k as u32;
    }
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
    fn sort_vec_by_matches_a_stable_std_sort_at_every_length() {
        for n in [0usize, 1, 2, 3, 15, 16, 17, 33, 100, 1000] {
            let v: Vec<(u32, String)> = (0..n as u32)
                .map(|i| ((i * 7919 + 13) % 23, i.to_string()))
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|e| e.0);
            assert_eq!(
                sort_vec_by(v, &mut |a, b| a.0.cmp(&b.0)),
                expected,
                "n = {n}"
            );
        }
    }

    #[test]
    fn sort_u32_by_matches_a_stable_std_sort_at_every_length() {
        for n in [0usize, 1, 2, 15, 16, 17, 31, 32, 33, 100, 1000, 4097] {
            let keys: Vec<u32> = (0..n as u32).map(|i| (i * 7919 + 13) % 97).collect();
            let mut ix: Vec<u32> = (0..n as u32).collect();
            sort_u32_by(&mut ix, &mut |a, b| keys[a as usize].cmp(&keys[b as usize]));
            let mut expected: Vec<u32> = (0..n as u32).collect();
            expected.sort_by_key(|&i| keys[i as usize]);
            assert_eq!(ix, expected, "n = {n}");
        }
    }

    #[test]
    fn sort_u32_by_handles_runs_already_in_order() {
        let n = 10_000u32;
        // Sorted, reversed, and sorted with every 97th pair swapped and a few equal keys.
        let shapes: [&dyn Fn(u32) -> u32; 3] = [&|i| i, &|i| n - i, &|i| {
            if i % 97 == 1 {
                (i - 1) / 3
            } else {
                i / 3
            }
        }];
        for (s, key) in shapes.iter().enumerate() {
            let keys: Vec<u32> = (0..n).map(key).collect();
            let mut ix: Vec<u32> = (0..n).collect();
            let mut comparisons = 0usize;
            sort_u32_by(&mut ix, &mut |a, b| {
                comparisons += 1;
                keys[a as usize].cmp(&keys[b as usize])
            });
            let mut expected: Vec<u32> = (0..n).collect();
            expected.sort_by_key(|&i| keys[i as usize]);
            assert_eq!(ix, expected, "shape {s}");
            if s == 0 {
                // Input in order: each pass compares once per seam instead of merging.
                assert!(comparisons < 2 * n as usize, "{comparisons} comparisons");
            }
        }
    }

    #[test]
    fn select_nth_agrees_with_a_full_sort_on_every_shape() {
        // Shapes a median of three handles badly (all equal, sawtooth, organ pipe)
        // beside ordinary ones; every k of each is checked against the sorted keys.
        let shapes: [fn(u32, u32) -> u32; 6] = [
            |i, _| i,
            |i, n| n - i,
            |_, _| 7,
            |i, _| i % 5,
            |i, n| i.min(n - i),
            |i, _| i.wrapping_mul(2_654_435_761) >> 7,
        ];
        for n in [1u32, 2, 17, 40, 257] {
            for (s, key) in shapes.iter().enumerate() {
                let keys: Vec<u32> = (0..n).map(|i| key(i, n)).collect();
                let mut sorted = keys.clone();
                sorted.sort_unstable();
                for (k, &kth) in sorted.iter().enumerate() {
                    let mut ix: Vec<u32> = (0..n).collect();
                    select_nth_u32_by(&mut ix, k, &mut |a, b| {
                        keys[a as usize].cmp(&keys[b as usize])
                    });
                    let at = |j: usize| keys[ix[j] as usize];
                    assert_eq!(at(k), kth, "n {n} shape {s} k {k}");
                    assert!((0..k).all(|j| at(j) <= at(k)), "n {n} shape {s} k {k}");
                    assert!(
                        (k..n as usize).all(|j| at(j) >= at(k)),
                        "n {n} shape {s} k {k}"
                    );
                    let mut seen = ix.clone();
                    seen.sort_unstable();
                    assert_eq!(seen, (0..n).collect::<Vec<_>>(), "a permutation");
                }
            }
        }
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
