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

#[path = "movielens/catalog_json.rs"]
mod catalog_json;
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
    let n_items = ml.movies.len();
    // Test: hold out the last 20% of each user's positives. Validation (for
    // tuning only): the same carve applied to the training histories.
    let (test_cases, train) = split::split(&by_user, HOLDOUT);
    let (val_cases, val_train) = split::split(&train, HOLDOUT);
    let t = Instant::now();
    let test_site = Site::fit(&train, n_items);
    let val_site = Site::fit(&val_train, n_items);
    println!(
        "test split: {} users, {} held-out movies, {} training interactions; \
         validation split: {} users, {} held-out movies; site models fitted twice in {:.2} s",
        test_cases.len(),
        test_cases.iter().map(|c| c.targets.len()).sum::<usize>(),
        test_site
            .interactions
            .rows
            .iter()
            .map(Vec::len)
            .sum::<usize>(),
        val_cases.len(),
        val_cases.iter().map(|c| c.targets.len()).sum::<usize>(),
        t.elapsed().as_secs_f64()
    );

    for (label, cases, site) in [
        ("validation", &val_cases, &val_site),
        ("test", &test_cases, &test_site),
    ] {
        println!("reference scorers ({label}):");
        for (name, sc) in site.reference_rows(cases) {
            let (hr, ndcg) = sc.mean();
            println!(
                "  {name:<20} HR@10 {hr:.4}  NDCG@10 {ndcg:.4}  ({} users)",
                sc.users
            );
        }
    }
    if std::env::var_os("MOVIELENS_EXPLORE").is_some() {
        explore(&val_cases, &val_site);
        explore_topics(&val_cases, &val_site, &ml);
    }
    println!("total {:.1} s", started.elapsed().as_secs_f64());
}

/// What the site derives from its training interactions.
struct Site {
    interactions: Interactions,
    counts: Vec<f64>,
    ease: linalg::Mat,
    vectors: linalg::Mat,
    related: Vec<Vec<(usize, f64)>>,
}

impl Site {
    fn fit(train: &[Vec<data::Rating>], items: usize) -> Site {
        let interactions = to_interactions(train, items);
        let ease = models::ease(&interactions, EASE_LAMBDA);
        let (_sigma, vectors) = models::svd_vectors(&interactions, DIMS, 0.0);
        let related = models::top_neighbours(&ease, NEIGHBOURS);
        Site {
            counts: interactions.counts(),
            interactions,
            ease,
            vectors,
            related,
        }
    }

    /// Direct server-side computations of each idea, as a yardstick for the
    /// engine rows: popularity, EASE, PureSVD (history · V Vᵀ), related sums.
    fn reference_rows(&self, cases: &[Case]) -> Vec<(&'static str, Score)> {
        let n = self.interactions.items;
        let (v, rel, b) = (&self.vectors, &self.related, &self.ease);
        vec![
            ("popularity", evaluate(cases, n, |_c| self.counts.clone())),
            (
                "EASE",
                evaluate(cases, n, |c| models::ease_scores(b, &history(c))),
            ),
            (
                "PureSVD (32)",
                evaluate(cases, n, |c| {
                    let mut taste = vec![0.0; v.cols];
                    for i in history(c) {
                        taste.iter_mut().zip(v.row(i)).for_each(|(t, x)| *t += x);
                    }
                    (0..n)
                        .map(|j| v.row(j).iter().zip(&taste).map(|(a, b)| a * b).sum())
                        .collect()
                }),
            ),
            (
                "PureSVD (32, i8)",
                evaluate(cases, n, |c| {
                    // Per-catalog scale: q = round(v / s), s = max|v| / 127.
                    let s = v.a.iter().fold(0.0f64, |m, x| m.max(x.abs())) / 127.0;
                    let q = |x: f64| (x / s).round().clamp(-127.0, 127.0);
                    let mut taste = vec![0.0; v.cols];
                    for i in history(c) {
                        taste
                            .iter_mut()
                            .zip(v.row(i))
                            .for_each(|(t, x)| *t += q(*x));
                    }
                    (0..n)
                        .map(|j| v.row(j).iter().zip(&taste).map(|(a, b)| q(*a) * b).sum())
                        .collect()
                }),
            ),
            (
                "related top-50 sum",
                evaluate(cases, n, |c| {
                    let mut s = vec![0.0; n];
                    for i in history(c) {
                        rel[i].iter().for_each(|&(j, w)| s[j] += w);
                    }
                    s
                }),
            ),
        ]
    }
}

fn history(c: &Case) -> Vec<usize> {
    c.history.iter().map(|r| r.item).collect()
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

/// Genre-profile probe: score_j = Σ_g w_g · t_jg / Σ_g t_jg + β · popularity_j,
/// w_g the decayed (14 d) weight of genre g over the history (click 1, view 0.25),
/// normalized to sum 1.
fn explore_topics(cases: &[Case], site: &Site, ml: &data::MovieLens) {
    let n = site.interactions.items;
    let pop = catalog_json::popularity(&site.counts);
    for beta in [0.0, 0.1, 0.3, 1.0, 3.0, 10.0] {
        let sc = evaluate(cases, n, |c| {
            let mut w = vec![0.0; ml.genres.len()];
            for r in &c.history {
                let ew = if r.stars >= split::POSITIVE {
                    1.0
                } else {
                    0.25
                };
                let age_days = (c.at_s - r.time_s) as f64 / 86_400.0;
                let x = ew * 0.5f64.powf(age_days / 14.0);
                for &g in &ml.movies[r.item].genres {
                    w[g] += x;
                }
            }
            let total: f64 = w.iter().sum::<f64>().max(1e-12);
            (0..n)
                .map(|j| {
                    let gs = &ml.movies[j].genres;
                    gs.iter().map(|&g| w[g] / total).sum::<f64>() / gs.len().max(1) as f64
                        + beta * pop[j]
                })
                .collect()
        });
        println!(
            "  genres + {beta:>4} · popularity: NDCG {:.4} HR {:.4}",
            sc.mean().1,
            sc.mean().0
        );
    }
}

/// Design probes on the validation split: how view weight and time decay
/// change the related-item and vector sums (informs the engine's defaults).
fn explore(cases: &[Case], site: &Site) {
    let n = site.interactions.items;
    for view_w in [0.0, 0.25, 0.5, 1.0] {
        for half_life_days in [f64::INFINITY, 60.0, 14.0, 3.0] {
            let weight = |c: &Case, r: &data::Rating| {
                let w = if r.stars >= split::POSITIVE {
                    1.0
                } else {
                    view_w
                };
                let age_days = (c.at_s - r.time_s) as f64 / 86_400.0;
                w * 0.5f64.powf(age_days / half_life_days)
            };
            let rel = evaluate(cases, n, |c| {
                let mut s = vec![0.0; n];
                for r in &c.history {
                    let w = weight(c, r);
                    site.related[r.item]
                        .iter()
                        .for_each(|&(j, x)| s[j] += w * x);
                }
                s
            });
            let v = &site.vectors;
            let vec_dot = evaluate(cases, n, |c| {
                let mut taste = vec![0.0; v.cols];
                for r in &c.history {
                    let w = weight(c, r);
                    taste
                        .iter_mut()
                        .zip(v.row(r.item))
                        .for_each(|(t, x)| *t += w * x);
                }
                (0..n)
                    .map(|j| v.row(j).iter().zip(&taste).map(|(a, b)| a * b).sum())
                    .collect()
            });
            let vec_cos = evaluate(cases, n, |c| {
                let mut taste = vec![0.0; v.cols];
                for r in &c.history {
                    let w = weight(c, r);
                    taste
                        .iter_mut()
                        .zip(v.row(r.item))
                        .for_each(|(t, x)| *t += w * x);
                }
                (0..n)
                    .map(|j| {
                        let d: f64 = v.row(j).iter().zip(&taste).map(|(a, b)| a * b).sum();
                        let nj: f64 = v.row(j).iter().map(|a| a * a).sum::<f64>().sqrt();
                        d / nj.max(1e-12)
                    })
                    .collect()
            });
            println!(
                "  view weight {view_w:.2}, half-life {half_life_days:>4} d: related NDCG {:.4}, vector dot {:.4}, vector cosine {:.4}",
                rel.mean().1,
                vec_dot.mean().1,
                vec_cos.mean().1
            );
        }
    }
}
