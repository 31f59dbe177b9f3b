//! HR@k and NDCG@k with binary relevance, averaged over users.
//!
//! HR@k   = 1 if any held-out movie is in the top k, else 0.
//! NDCG@k = DCG / IDCG, DCG = Σ_{rank r ≤ k, hit} 1 / log2(r + 1),
//!          IDCG = Σ_{r=1}^{min(k, |held out|)} 1 / log2(r + 1).

/// Running means of HR@k and NDCG@k.
#[derive(Default, Clone, Copy)]
pub struct Score {
    pub hr: f64,
    pub ndcg: f64,
    /// Σ NDCG², for the standard error of the mean.
    pub ndcg_sq: f64,
    pub users: usize,
}

impl Score {
    /// Adds one user's top-k list (item indices, best first) against their targets.
    pub fn add(&mut self, top: &[usize], targets: &[usize], k: usize) {
        let mut dcg = 0.0;
        let mut hit = false;
        for (r, item) in top.iter().take(k).enumerate() {
            if targets.contains(item) {
                dcg += 1.0 / ((r + 2) as f64).log2();
                hit = true;
            }
        }
        let idcg: f64 = (0..targets.len().min(k))
            .map(|r| 1.0 / ((r + 2) as f64).log2())
            .sum();
        let ndcg = if idcg > 0.0 { dcg / idcg } else { 0.0 };
        self.ndcg += ndcg;
        self.ndcg_sq += ndcg * ndcg;
        self.hr += if hit { 1.0 } else { 0.0 };
        self.users += 1;
    }

    /// Standard error of the mean NDCG@k: √(var / n).
    pub fn ndcg_se(&self) -> f64 {
        let n = self.users.max(2) as f64;
        let mean = self.ndcg / n;
        ((self.ndcg_sq / n - mean * mean).max(0.0) * n / (n - 1.0) / n).sqrt()
    }

    /// The averages (HR@k, NDCG@k).
    pub fn mean(&self) -> (f64, f64) {
        let n = self.users.max(1) as f64;
        (self.hr / n, self.ndcg / n)
    }
}

/// Top `k` indices of `scores` by descending score, ties by lower index,
/// skipping `excluded[i] == true`.
pub fn top_k(scores: &[f64], excluded: &[bool], k: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).filter(|&i| !excluded[i]).collect();
    let cmp = |a: &usize, b: &usize| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b));
    if idx.len() > k {
        idx.select_nth_unstable_by(k, cmp);
        idx.truncate(k);
    }
    idx.sort_by(cmp);
    idx
}
