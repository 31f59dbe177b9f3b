//! Ranking quality of Inkling on MovieLens 100k.
//!
//! ```text
//! cargo run --release --example movielens -- ../shared/data/ml-100k
//! ```
//!
//! Movies are catalog items and their genres the topics. Each user's ratings
//! are replayed in time order through the shipped `Profile::record` (≥ 4 stars
//! as `click`, the rest as `view`); the last 20% of each user's positively
//! rated movies are held out and the shipped `rank` is asked for the top 10
//! over the whole catalog (already-seen movies excluded). Rows: popularity
//! only; genre topics; topics + item vectors; topics + related items; and the
//! server-side anchor EASE that sees every user's whole training history.
//! Vectors and related items come from the training interactions only.
//!
//! The data set's licence forbids redistribution: it is read from the path
//! given and never copied. Without it the example says so and exits cleanly.

#[path = "movielens/data.rs"]
mod data;
#[path = "movielens/linalg.rs"]
mod linalg;
#[path = "movielens/metrics.rs"]
mod metrics;
#[path = "movielens/models.rs"]
mod models;
#[path = "movielens/split.rs"]
mod split;

use std::path::PathBuf;
use std::time::Instant;

use data::{load, LoadError};
use metrics::{top_k, Score};
use models::Interactions;
use split::Case;

const K: usize = 10;
const HOLDOUT: f64 = 0.2;
const EASE_LAMBDA: f64 = 300.0;
const DIMS: usize = 32;
const NEIGHBOURS: usize = 50;

fn main() {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data/ml-100k"));
    let started = Instant::now();
    let ml = match load(&dir) {
        Ok(ml) => ml,
        Err(LoadError::Missing(what)) => {
            println!(
                "MovieLens 100k not found ({what}).\n\
                 Skipping the quality evaluation. Pass the directory that holds u.data, u.item and u.genre:\n  \
                 cargo run --release --example movielens -- ../shared/data/ml-100k"
            );
            return;
        }
        Err(LoadError::Malformed(why)) => {
            eprintln!("cannot read MovieLens from {}: {why}", dir.display());
            std::process::exit(1);
        }
    };
    println!(
        "MovieLens: {} users, {} movies, {} genres, {} ratings",
        ml.users,
        ml.movies.len(),
        ml.genres.len(),
        ml.ratings.len()
    );
    for s in ml.skipped.iter().take(5) {
        println!("  skipped {s}");
    }
    if ml.skipped.len() > 5 {
        println!("  ... and {} more skipped rows", ml.skipped.len() - 5);
    }

    let by_user = split::by_user(&ml.ratings, ml.users);
    let (test_cases, train) = split::split(&by_user, HOLDOUT);
    let n_items = ml.movies.len();
    let interactions = to_interactions(&train, n_items);
    println!(
        "test split: {} users with held-out positives, {} held-out movies, {} training interactions",
        test_cases.len(),
        test_cases.iter().map(|c| c.targets.len()).sum::<usize>(),
        interactions.rows.iter().map(Vec::len).sum::<usize>()
    );

    let t = Instant::now();
    let b = models::ease(&interactions, EASE_LAMBDA);
    println!("EASE fitted in {:.2} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let (_sigma, v) = models::svd_vectors(&interactions, DIMS, 0.0);
    println!("SVD fitted in {:.2} s", t.elapsed().as_secs_f64());
    let related = models::top_neighbours(&b, NEIGHBOURS);

    let counts = interactions.counts();
    let pop = evaluate(&test_cases, n_items, |_c| counts.clone());
    let ease = evaluate(&test_cases, n_items, |c| {
        let items: Vec<usize> = c.history.iter().map(|r| r.item).collect();
        models::ease_scores(&b, &items)
    });
    let svd = evaluate(&test_cases, n_items, |c| {
        let mut taste = vec![0.0; DIMS];
        for r in &c.history {
            for (t, x) in taste.iter_mut().zip(v.row(r.item)) {
                *t += x;
            }
        }
        (0..n_items)
            .map(|j| v.row(j).iter().zip(&taste).map(|(a, b)| a * b).sum())
            .collect()
    });
    let rel = evaluate(&test_cases, n_items, |c| {
        let mut s = vec![0.0; n_items];
        for r in &c.history {
            for &(j, w) in &related[r.item] {
                s[j] += w;
            }
        }
        s
    });
    for (name, sc) in [
        ("popularity", pop),
        ("EASE", ease),
        ("svd dot", svd),
        ("related top50", rel),
    ] {
        let (hr, ndcg) = sc.mean();
        println!(
            "{name:<20} HR@10 {hr:.4}  NDCG@10 {ndcg:.4}  ({} users)",
            sc.users
        );
    }
    println!("total {:.1} s", started.elapsed().as_secs_f64());
}

fn to_interactions(train: &[Vec<data::Rating>], items: usize) -> Interactions {
    Interactions {
        rows: train
            .iter()
            .map(|rs| rs.iter().map(|r| r.item).collect())
            .collect(),
        items,
    }
}

/// Scores every case with `score` and accumulates HR@10 / NDCG@10 over the
/// catalog minus the user's history.
fn evaluate(cases: &[Case], items: usize, score: impl Fn(&Case) -> Vec<f64>) -> Score {
    let mut total = Score::default();
    let mut seen = vec![false; items];
    for c in cases {
        seen.iter_mut().for_each(|s| *s = false);
        for r in &c.history {
            seen[r.item] = true;
        }
        let s = score(c);
        total.add(&top_k(&s, &seen, K), &c.targets, K);
    }
    total
}
