//! The leave-last-20%-out split, per user and in time order.
//!
//! For each user the ratings are sorted by (timestamp, movie id). Positives
//! are ratings ≥ 4. The last `max(1, round(0.2 · positives))` positives are held
//! out; the history is everything strictly before the first held-out one (so
//! the profile is replayed exactly as it stood at that moment, with no later
//! views leaking in). Later low ratings belong to neither side. The same
//! function applied to a history carves the validation split used for tuning.

use crate::data::Rating;

/// Ratings of 4 or 5 stars count as positive ("click"); the rest as "view".
pub const POSITIVE: u8 = 4;

/// One user's evaluation case.
pub struct Case {
    /// Training events in time order.
    pub history: Vec<Rating>,
    /// Held-out positive movies (item indices).
    pub targets: Vec<usize>,
    /// When the profile is ranked: the time of the first held-out rating.
    pub at_s: i64,
}

/// Splits `by_user[u]` (any order) into cases; users with fewer than two
/// positives have nothing to hold out and keep their whole history.
pub fn split(by_user: &[Vec<Rating>], holdout: f64) -> (Vec<Case>, Vec<Vec<Rating>>) {
    let mut cases = Vec::new();
    let mut train = Vec::with_capacity(by_user.len());
    for ratings in by_user {
        let mut rs = ratings.clone();
        rs.sort_by_key(|r| (r.time_s, r.item));
        let positives: Vec<usize> = (0..rs.len()).filter(|&i| rs[i].stars >= POSITIVE).collect();
        if positives.len() < 2 {
            train.push(rs);
            continue;
        }
        let n_test = ((holdout * positives.len() as f64).round() as usize).max(1);
        let first_test = positives[positives.len() - n_test];
        let targets = positives[positives.len() - n_test..]
            .iter()
            .map(|&i| rs[i].item)
            .collect();
        let at_s = rs[first_test].time_s;
        rs.truncate(first_test);
        train.push(rs.clone());
        cases.push(Case {
            history: rs,
            targets,
            at_s,
        });
    }
    (cases, train)
}

/// Groups ratings by user (dense user indices `0..users`).
pub fn by_user(ratings: &[Rating], users: usize) -> Vec<Vec<Rating>> {
    let mut out = vec![Vec::new(); users];
    for r in ratings {
        out[r.user].push(*r);
    }
    out
}
