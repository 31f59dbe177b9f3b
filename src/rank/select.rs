//! Top-k by selection, with the diversity rule.

use std::cmp::Ordering;

use crate::catalog::{Catalog, NO_TOPIC};

/// How many results may share one primary topic when diversity is on: `ceil(limit / 3)`.
pub fn per_topic_cap(limit: usize) -> usize {
    limit.div_ceil(3).max(1)
}

/// Higher score first; equal scores by item id.
#[inline]
fn order(scores: &[f32], id_rank: &[u32], a: u32, b: u32) -> Ordering {
    scores[b as usize]
        .total_cmp(&scores[a as usize])
        .then(id_rank[a as usize].cmp(&id_rank[b as usize]))
}

/// The best `limit` eligible items (score above `-inf`), in score order.
///
/// Selection, not a full sort: [`best`] keeps a small buffer of candidates
/// while scanning and sorts only that. With diversity the pool starts at
/// `4 × limit + 16` and doubles until the greedy pick is settled inside it, so
/// the result equals the greedy pick over the full sorted list.
///
/// Item indices stay `u32` as the buffers hold them: converting to `usize` here
/// compiled an in-place collect of its own for each branch.
pub fn top_k(catalog: &Catalog, scores: &[f32], limit: usize, diversity: bool) -> Vec<u32> {
    let layout = catalog.layout();
    let id_rank = layout.id_rank;
    let mut pool = if diversity { limit * 4 + 16 } else { limit };
    loop {
        let (top, whole) = best(scores, id_rank, pool);
        if !diversity {
            let mut top = top;
            top.truncate(limit);
            return top;
        }
        let limit = limit.min(top.len());
        if let Some(mut picked) = diverse(layout.primary, &top, limit, whole) {
            crate::sort::sort_u32_by(&mut picked, &mut |a, b| order(scores, id_rank, a, b));
            return picked;
        }
        pool *= 2;
    }
}

/// The best `pool` eligible items, sorted, and whether that is all of them.
///
/// One pass with a threshold: candidates go into a buffer of `2 × pool`; when
/// it is full, `select_nth_unstable_by` keeps the best `pool` and their worst
/// score becomes the bar the rest of the scan must reach (ties kept: the id
/// decides them at the end). Most items fail the bar with one comparison.
fn best(scores: &[f32], id_rank: &[u32], pool: usize) -> (Vec<u32>, bool) {
    let pool = pool.max(1);
    let mut buf: Vec<u32> = Vec::with_capacity(2 * pool);
    let mut bar = f32::NEG_INFINITY;
    // Until the buffer first fills, every eligible item is in it: then (and only
    // then) the pool may hold all of them.
    let mut truncated = false;
    for (i, &s) in scores.iter().enumerate() {
        // one comparison rejects most items once the bar is up; `-inf` never passes
        if s >= bar && s > f32::NEG_INFINITY {
            buf.push(i as u32);
            if buf.len() == 2 * pool {
                crate::sort::select_nth_u32_by(&mut buf, pool - 1, &mut |a, b| {
                    order(scores, id_rank, a, b)
                });
                buf.truncate(pool);
                bar = scores[buf[pool - 1] as usize];
                truncated = true;
            }
        }
    }
    let whole = !truncated && buf.len() <= pool;
    if buf.len() > pool {
        crate::sort::select_nth_u32_by(&mut buf, pool - 1, &mut |a, b| {
            order(scores, id_rank, a, b)
        });
        buf.truncate(pool);
    }
    crate::sort::sort_u32_by(&mut buf, &mut |a, b| order(scores, id_rank, a, b));
    (buf, whole)
}

/// Greedy pick of `limit` from `sorted` with at most [`per_topic_cap`] per primary
/// topic. `None` when the pool is not enough to be sure (and is not the whole list);
/// with the whole list, the skipped items fill what the cap left open.
fn diverse(primary: &[u16], sorted: &[u32], limit: usize, whole: bool) -> Option<Vec<u32>> {
    let cap = per_topic_cap(limit);
    let mut counts: Vec<(u16, usize)> = Vec::new();
    let mut picked = Vec::with_capacity(limit);
    let mut skipped = Vec::new();
    for &i in sorted {
        if picked.len() == limit {
            break;
        }
        let t = primary[i as usize];
        if t == NO_TOPIC {
            picked.push(i);
            continue;
        }
        match counts.iter_mut().find(|c| c.0 == t) {
            Some(c) if c.1 >= cap => skipped.push(i),
            Some(c) => {
                c.1 += 1;
                picked.push(i);
            }
            None => {
                counts.push((t, 1));
                picked.push(i);
            }
        }
    }
    if picked.len() == limit {
        return Some(picked);
    }
    if !whole {
        return None;
    }
    // Pushed one by one: `extend_from_slice` compiled an extend of its own for this list.
    for &i in skipped.iter().take(limit - picked.len()) {
        picked.push(i);
    }
    Some(picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_a_topic_and_fills_when_nothing_else_is_left() {
        // items 0..6 all primary topic 0, item 6 topic 1
        let primary = [0u16, 0, 0, 0, 0, 0, 1];
        let sorted = [0u32, 1, 2, 3, 4, 5, 6];
        assert_eq!(diverse(&primary, &sorted, 3, true), Some(vec![0, 6, 1]));
        assert_eq!(diverse(&primary, &sorted[..6], 3, false), None);
        assert_eq!(
            diverse(&primary, &sorted[..6], 3, true),
            Some(vec![0, 1, 2])
        );
        assert_eq!(per_topic_cap(10), 4);
        assert_eq!(per_topic_cap(1), 1);
    }
}
