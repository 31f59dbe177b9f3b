//! Dense item vectors in one flat array (item-major), and the dot product the
//! ranking loop uses.
//!
//! Rows keep their relative lengths: every row is divided by the catalog's
//! largest row norm, so all norms are at most 1. The similarity of an item to
//! the visitor is the dot product of its row with the (unit) taste vector, in
//! [−1, 1]. It is deliberately not a cosine: in a factorised space (SVD, ALS)
//! an item's norm carries how strongly it is liked overall, and dividing it out
//! lost 40% of NDCG@10 on MovieLens (see EVALUATION.md).
//!
//! Storage is f32. i8 with one per-catalog scale was measured to keep ranking
//! quality (MovieLens NDCG@10 0.1831 vs 0.1826 in EVALUATION.md; top-20 overlap
//! 0.97 on 100k synthetic items in `benches/rank.rs`), but at 100k × 32 the f32
//! rows take 12.8 MB and the whole catalog stays within a few tens of MB, so the
//! simpler exact storage is kept; i8 (3.2 MB) is the step to take for catalogs
//! near the 1,000,000-item limit.

/// Smallest and largest number of dimensions a catalog's vectors may have.
pub const MIN_DIMS: usize = 8;
/// See [`MIN_DIMS`].
pub const MAX_DIMS: usize = 256;

/// n × dims unit-length rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Vectors {
    dims: usize,
    data: Vec<f32>,
}

impl Vectors {
    /// Takes n × dims finite numbers (already validated) and divides every row by
    /// the largest row norm, so norms are at most 1 and keep their proportions.
    pub(crate) fn from_rows(dims: usize, mut data: Vec<f32>) -> Vectors {
        let mut max2 = 0f64;
        for row in data.chunks_exact(dims) {
            max2 = max2.max(norm2(row));
        }
        divide(&mut data, max2);
        Vectors { dims, data }
    }

    /// No rows yet, for rows that are already divided by the largest norm (a compiled
    /// catalog stores them so, and they are read into [`Vectors::data_mut`]): dividing
    /// again would change their last bits.
    pub(crate) fn empty(dims: usize) -> Vectors {
        Vectors {
            dims,
            data: Vec::new(),
        }
    }

    /// The rows, to be filled in place: n × dims numbers with norms of at most 1.
    pub(crate) fn data_mut(&mut self) -> &mut Vec<f32> {
        &mut self.data
    }

    /// Number of dimensions.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The row of item `i` (norm at most 1).
    #[inline]
    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dims..(i + 1) * self.dims]
    }

    /// All rows, item-major.
    #[inline]
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.data.capacity() * 4
    }
}

/// Scales `v` to unit length (left as is when it is zero). Returns whether it was non-zero.
pub fn normalize(v: &mut [f32]) -> bool {
    divide(v, norm2(v))
}

/// The squared length of `v`, summed in f64 in order: one body for every vector the
/// catalog and the taste vector measure, so they all agree to the bit.
#[inline(never)]
pub(crate) fn norm2(v: &[f32]) -> f64 {
    let mut sum = 0f64;
    for &x in v {
        sum += x as f64 * x as f64;
    }
    sum
}

/// Divides `v` by `sqrt(n2)` when that is a positive finite length; returns whether it did.
fn divide(v: &mut [f32], n2: f64) -> bool {
    let ok = n2 > 0.0 && n2.is_finite();
    if ok {
        let inv = (1.0 / n2.sqrt()) as f32;
        v.iter_mut().for_each(|x| *x *= inv);
    }
    ok
}

/// Dot product written so that it vectorises: eight independent accumulators
/// (float addition is not associative, so the compiler will not reorder a single
/// running sum into SIMD lanes by itself), then a fixed-order reduction.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0f32; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut tail = 0f32;
    for (x, y) in ra.iter().zip(rb) {
        tail += x * y;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_proportions_and_dot_matches_naive() {
        let v = Vectors::from_rows(3, vec![3.0, 4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0]);
        assert!((dot(v.row(0), v.row(0)) - 1.0).abs() < 1e-6);
        assert_eq!(v.row(1), &[0.0, 0.0, 0.0]);
        assert!((v.row(2)[1] - 0.1).abs() < 1e-7);
        let a: Vec<f32> = (0..37).map(|i| i as f32 * 0.1).collect();
        let b: Vec<f32> = (0..37).map(|i| 1.0 - i as f32 * 0.05).collect();
        let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-3);
    }
}
