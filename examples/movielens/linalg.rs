//! The little dense linear algebra the evaluation needs, in f64, row-major.
//! Written here rather than pulled in as a dependency; loops are arranged so
//! the inner one runs over contiguous memory and vectorizes.

/// A dense row-major matrix.
#[derive(Clone)]
pub struct Mat {
    pub rows: usize,
    pub cols: usize,
    pub a: Vec<f64>,
}

impl Mat {
    pub fn zeros(rows: usize, cols: usize) -> Mat {
        Mat {
            rows,
            cols,
            a: vec![0.0; rows * cols],
        }
    }
    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.a[i * self.cols..(i + 1) * self.cols]
    }
    #[inline]
    pub fn row_mut(&mut self, i: usize) -> &mut [f64] {
        &mut self.a[i * self.cols..(i + 1) * self.cols]
    }
    #[inline]
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.a[i * self.cols + j]
    }
}

#[inline]
fn dot(x: &[f64], y: &[f64]) -> f64 {
    // Four accumulators let the compiler keep several lanes busy.
    let mut s = [0.0f64; 4];
    let (xc, xr) = x.split_at(x.len() / 4 * 4);
    let (yc, yr) = y.split_at(xc.len());
    for (a, b) in xc.chunks_exact(4).zip(yc.chunks_exact(4)) {
        for l in 0..4 {
            s[l] += a[l] * b[l];
        }
    }
    let mut t = s[0] + s[1] + s[2] + s[3];
    for (a, b) in xr.iter().zip(yr) {
        t += a * b;
    }
    t
}

#[inline]
fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// Inverse of a symmetric positive-definite matrix by Cholesky, A = L Lᵀ:
///   L[i][j] = (A[i][j] − Σ_{k<j} L[i][k] L[j][k]) / L[j][j],  L[j][j] = √(A[j][j] − Σ_{k<j} L[j][k]²)
///   M = L⁻¹ row by row: M[i] = (e_i − Σ_{k<i} L[i][k] M[k]) / L[i][i]
///   A⁻¹ = Mᵀ M = Σ_k M[k]ᵀ M[k]   (rank-one updates over the rows of M)
/// Returns `None` if A is not positive definite.
pub fn spd_inverse(a: &Mat) -> Option<Mat> {
    let n = a.rows;
    let mut l = Mat::zeros(n, n);
    for i in 0..n {
        for j in 0..=i {
            let s = dot(&l.row(i)[..j], &l.row(j)[..j]);
            if i == j {
                let d = a.at(i, i) - s;
                if d.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                    return None;
                }
                l.a[i * n + i] = d.sqrt();
            } else {
                l.a[i * n + j] = (a.at(i, j) - s) / l.at(j, j);
            }
        }
    }
    let mut m = Mat::zeros(n, n);
    let mut tmp = vec![0.0; n];
    for i in 0..n {
        tmp[..=i].iter_mut().for_each(|t| *t = 0.0);
        tmp[i] = 1.0;
        for k in 0..i {
            let c = l.at(i, k);
            if c != 0.0 {
                axpy(-c, &m.row(k)[..=k], &mut tmp[..=k]);
            }
        }
        let d = l.at(i, i);
        let row = m.row_mut(i);
        for j in 0..=i {
            row[j] = tmp[j] / d;
        }
    }
    // P = Mᵀ M, accumulating only the lower triangle then mirroring.
    let mut p = Mat::zeros(n, n);
    for k in 0..n {
        let mk = &m.a[k * n..k * n + k + 1];
        for i in 0..=k {
            let c = mk[i];
            if c != 0.0 {
                axpy(c, &mk[..=i], &mut p.a[i * n..i * n + i + 1]);
            }
        }
    }
    for i in 0..n {
        for j in 0..i {
            p.a[j * n + i] = p.a[i * n + j];
        }
    }
    Some(p)
}

/// Orthonormalizes the columns of `y` (rows × cols) in place by modified
/// Gram–Schmidt, done twice for stability.
pub fn orthonormalize_columns(y: &mut Mat) {
    let (r, c) = (y.rows, y.cols);
    // Work on the transpose so that columns are contiguous.
    let mut t = Mat::zeros(c, r);
    for i in 0..r {
        for j in 0..c {
            t.a[j * r + i] = y.a[i * c + j];
        }
    }
    for _ in 0..2 {
        for j in 0..c {
            for k in 0..j {
                let (done, rest) = t.a.split_at_mut(j * r);
                let qk = &done[k * r..(k + 1) * r];
                let qj = &mut rest[..r];
                let proj = dot(qk, qj);
                axpy(-proj, qk, qj);
            }
            let qj = t.row_mut(j);
            let norm = dot(qj, qj).sqrt();
            if norm > 1e-300 {
                qj.iter_mut().for_each(|v| *v /= norm);
            }
        }
    }
    for i in 0..r {
        for j in 0..c {
            y.a[i * c + j] = t.a[j * r + i];
        }
    }
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations.
/// Returns (eigenvalues, eigenvectors as columns of a row-major matrix),
/// sorted by descending eigenvalue.
pub fn symmetric_eigen(s: &Mat) -> (Vec<f64>, Mat) {
    let n = s.rows;
    let mut a = s.clone();
    let mut v = Mat::zeros(n, n);
    for i in 0..n {
        v.a[i * n + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a.at(i, j).powi(2))
            .sum();
        let diag: f64 = (0..n).map(|i| a.at(i, i).powi(2)).sum();
        if off <= 1e-26 * diag.max(1e-300) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a.at(p, q);
                if apq.abs() < 1e-300 {
                    continue;
                }
                // Rotation that zeroes a[p][q]: θ = (a_qq − a_pp) / (2 a_pq),
                // t = sign(θ) / (|θ| + √(θ² + 1)), c = 1/√(t²+1), s = t c.
                let theta = (a.at(q, q) - a.at(p, p)) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let sn = t * c;
                for k in 0..n {
                    let (akp, akq) = (a.at(k, p), a.at(k, q));
                    a.a[k * n + p] = c * akp - sn * akq;
                    a.a[k * n + q] = sn * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a.at(p, k), a.at(q, k));
                    a.a[p * n + k] = c * apk - sn * aqk;
                    a.a[q * n + k] = sn * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v.at(k, p), v.at(k, q));
                    v.a[k * n + p] = c * vkp - sn * vkq;
                    v.a[k * n + q] = sn * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a.at(j, j).total_cmp(&a.at(i, i)));
    let vals = order.iter().map(|&i| a.at(i, i)).collect();
    let mut vecs = Mat::zeros(n, n);
    for (new, &old) in order.iter().enumerate() {
        for k in 0..n {
            vecs.a[k * n + new] = v.at(k, old);
        }
    }
    (vals, vecs)
}

/// A sparse binary matrix by rows (users × items): `rows[u]` lists item indices.
pub struct Binary<'a> {
    pub rows: &'a [Vec<usize>],
    pub cols: usize,
}

impl Binary<'_> {
    /// Y = X · W  (users × k), W is items × k.
    pub fn mul(&self, w: &Mat) -> Mat {
        let mut y = Mat::zeros(self.rows.len(), w.cols);
        for (u, items) in self.rows.iter().enumerate() {
            let yu = y.row_mut(u);
            for &i in items {
                axpy(1.0, w.row(i), yu);
            }
        }
        y
    }
    /// Z = Xᵀ · Y  (items × k), Y is users × k.
    pub fn tmul(&self, y: &Mat) -> Mat {
        let mut z = Mat::zeros(self.cols, y.cols);
        for (u, items) in self.rows.iter().enumerate() {
            let yu = y.row(u);
            for &i in items {
                axpy(1.0, yu, z.row_mut(i));
            }
        }
        z
    }
    /// G = Xᵀ X  (items × items, co-occurrence counts).
    pub fn gram(&self) -> Mat {
        let n = self.cols;
        let mut g = Mat::zeros(n, n);
        for items in self.rows {
            for &i in items {
                for &j in items {
                    g.a[i * n + j] += 1.0;
                }
            }
        }
        g
    }
}

/// A small deterministic generator (SplitMix64) for the random test matrix.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in (0, 1].
    pub fn next_f64(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal by Box–Muller.
    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.next_f64(), self.next_f64());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// Truncated SVD X ≈ U Σ Vᵀ by randomized subspace iteration (Halko,
/// Martinsson & Tropp 2011, alg. 4.4): Y = X Ω, then `power` rounds of
/// Y ← X (Xᵀ Y) with re-orthonormalization, Q = orth(Y), B = Qᵀ X, and the
/// small SVD of B from the eigen-decomposition of B Bᵀ = Ũ Σ² Ũᵀ, V = Bᵀ Ũ Σ⁻¹.
/// Returns (σ, V) with V items × rank.
pub fn randomized_svd(
    x: &Binary,
    rank: usize,
    oversample: usize,
    power: usize,
    seed: u64,
) -> (Vec<f64>, Mat) {
    let l = rank + oversample;
    let mut rng = SplitMix64(seed);
    let mut omega = Mat::zeros(x.cols, l);
    omega.a.iter_mut().for_each(|v| *v = rng.normal());
    let mut y = x.mul(&omega);
    orthonormalize_columns(&mut y);
    for _ in 0..power {
        let mut z = x.tmul(&y);
        orthonormalize_columns(&mut z);
        y = x.mul(&z);
        orthonormalize_columns(&mut y);
    }
    // Bᵀ = Xᵀ Q (items × l); B Bᵀ = (Xᵀ Q)ᵀ (Xᵀ Q) (l × l).
    let bt = x.tmul(&y);
    let mut bbt = Mat::zeros(l, l);
    for i in 0..x.cols {
        let r = bt.row(i);
        for p in 0..l {
            axpy(r[p], r, bbt.row_mut(p));
        }
    }
    let (vals, u) = symmetric_eigen(&bbt);
    let sigma: Vec<f64> = vals.iter().take(rank).map(|v| v.max(0.0).sqrt()).collect();
    let mut v = Mat::zeros(x.cols, rank);
    for i in 0..x.cols {
        let r = bt.row(i);
        for (k, &sk) in sigma.iter().enumerate() {
            // V[i][k] = (Bᵀ Ũ)[i][k] / σ_k
            let s: f64 = r.iter().enumerate().map(|(p, rp)| rp * u.at(p, k)).sum();
            v.a[i * rank + k] = if sk > 0.0 { s / sk } else { 0.0 };
        }
    }
    (sigma, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_times_matrix_is_identity() {
        let n = 7;
        let mut a = Mat::zeros(n, n);
        let mut rng = SplitMix64(3);
        let r: Vec<f64> = (0..n * n).map(|_| rng.normal()).collect();
        for i in 0..n {
            for j in 0..n {
                a.a[i * n + j] = (0..n).map(|k| r[i * n + k] * r[j * n + k]).sum::<f64>()
                    + if i == j { 1.0 } else { 0.0 };
            }
        }
        let p = spd_inverse(&a).expect("spd");
        for i in 0..n {
            for j in 0..n {
                let s: f64 = (0..n).map(|k| a.at(i, k) * p.at(k, j)).sum();
                assert!(
                    (s - if i == j { 1.0 } else { 0.0 }).abs() < 1e-9,
                    "{i},{j}: {s}"
                );
            }
        }
    }
}
