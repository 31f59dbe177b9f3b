//! What a site computes from its own aggregate training interactions: item
//! popularity, the EASE item-item model (the server-side anchor and the source
//! of related items) and 32-dim item vectors by truncated SVD.

use crate::linalg::{randomized_svd, spd_inverse, Binary, Mat};

/// Training interactions as a binary user × item matrix (any rating counts:
/// a shop sees views and purchases alike).
pub struct Interactions {
    pub rows: Vec<Vec<usize>>,
    pub items: usize,
}

impl Interactions {
    pub fn binary(&self) -> Binary<'_> {
        Binary {
            rows: &self.rows,
            cols: self.items,
        }
    }

    /// Number of users who interacted with each item.
    pub fn counts(&self) -> Vec<f64> {
        let mut c = vec![0.0; self.items];
        for row in &self.rows {
            for &i in row {
                c[i] += 1.0;
            }
        }
        c
    }
}

/// EASE (Steck 2019): B = argmin ‖X − XB‖² + λ‖B‖² s.t. diag(B) = 0, in closed form
///   P = (XᵀX + λI)⁻¹,   B[i][j] = −P[i][j] / P[j][j]  (i ≠ j),   B[j][j] = 0.
/// A user's scores are s = x_u B (sum of the rows of B for their items).
pub fn ease(x: &Interactions, lambda: f64) -> Mat {
    let n = x.items;
    let mut g = x.binary().gram();
    for i in 0..n {
        g.a[i * n + i] += lambda;
    }
    let p = spd_inverse(&g).expect("XᵀX + λI is positive definite for λ > 0");
    let mut b = Mat::zeros(n, n);
    for i in 0..n {
        for j in 0..n {
            if i != j {
                b.a[i * n + j] = -p.at(i, j) / p.at(j, j);
            }
        }
    }
    b
}

/// EASE scores for one user's items: s_j = Σ_{i ∈ items} B[i][j].
pub fn ease_scores(b: &Mat, items: &[usize]) -> Vec<f64> {
    let mut s = vec![0.0; b.cols];
    for &i in items {
        for (sj, bij) in s.iter_mut().zip(b.row(i)) {
            *sj += bij;
        }
    }
    s
}

/// Each item's top `k` neighbours by a weight matrix row (positive weights only).
pub fn top_neighbours(w: &Mat, k: usize) -> Vec<Vec<(usize, f64)>> {
    (0..w.rows)
        .map(|i| {
            let mut row: Vec<(usize, f64)> = w
                .row(i)
                .iter()
                .copied()
                .enumerate()
                .filter(|&(j, v)| j != i && v > 0.0)
                .collect();
            let cmp = |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            if row.len() > k {
                row.select_nth_unstable_by(k, cmp);
                row.truncate(k);
            }
            row.sort_by(cmp);
            row
        })
        .collect()
}

/// Item vectors from the truncated SVD X ≈ U Σ Vᵀ: row i of V Σ^α.
/// With α = 0 the dot product of a summed history with an item is PureSVD's
/// score x_u V Vᵀ (Cremonesi et al. 2010).
pub fn svd_vectors(x: &Interactions, dims: usize, alpha: f64) -> (Vec<f64>, Mat) {
    let (sigma, mut v) = randomized_svd(&x.binary(), dims, 10, 6, 0x5eed);
    for i in 0..v.rows {
        let row = v.row_mut(i);
        for (k, val) in row.iter_mut().enumerate() {
            *val *= sigma[k].powf(alpha);
        }
    }
    (sigma, v)
}
