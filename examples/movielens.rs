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
//! Flags after the path: `--reference` (direct server-side computations of
//! each idea), `--tune` (validation grid of the score coefficients),
//! `--candidates` (validation NDCG of candidate defaults), `--probes` (design
//! probes: view weight, decay, dot vs cosine, genres vs popularity).
//! Results and the chosen defaults are written up in EVALUATION.md.
//!
//! The data set's licence forbids redistribution: it is read from the path
//! given and never copied. Without it the example says so and exits cleanly.

#[path = "movielens/catalog_json.rs"]
mod catalog_json;
#[path = "movielens/data.rs"]
mod data;
#[path = "movielens/engine.rs"]
mod engine;
#[path = "movielens/linalg.rs"]
mod linalg;
#[path = "movielens/metrics.rs"]
mod metrics;
#[path = "movielens/models.rs"]
mod models;
#[path = "movielens/split.rs"]
mod split;
#[path = "movielens/tune.rs"]
mod tune;

use std::path::PathBuf;
use std::time::Instant;

use data::{load, LoadError};
use inkling::rank::ScoringWeights;
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

    let args: Vec<String> = std::env::args().skip(2).collect();
    if args.iter().any(|a| a == "--reference") {
        for (label, cases, site) in [
            ("validation", &val_cases, &val_site),
            ("test", &test_cases, &test_site),
        ] {
            println!("reference scorers ({label}):");
            for (name, sc) in site.reference_rows(cases) {
                let (hr, ndcg) = sc.mean();
                println!(
                    "  {name:<22} HR@10 {hr:.4}  NDCG@10 {ndcg:.4}  ({} users)",
                    sc.users
                );
            }
        }
    }
    if args.iter().any(|a| a == "--tune") {
        let tuned = tune::tune(&ml, &val_cases, &val_site);
        if tuned != ScoringWeights::default() {
            println!("\nTest hold-out with the tuned coefficients {tuned:?}:");
            print_table(&table_rows(&ml, &test_cases, &test_site, &tuned, true));
        }
    }

    if args.iter().any(|a| a == "--candidates") {
        let w = |observed: f32, popularity: f32, vector: f32, related: f32| ScoringWeights {
            observed,
            popularity,
            vector,
            related,
            ..ScoringWeights::default()
        };
        tune::candidates(
            &ml,
            &val_cases,
            &val_site,
            &[
                ("previous: obs 1 pop .3 vec 1 rel 1", w(1.0, 0.3, 1.0, 1.0)),
                (
                    "obs .0625 pop .125 vec 4 rel 16",
                    w(0.0625, 0.125, 4.0, 16.0),
                ),
                ("obs .125 pop .125 vec 4 rel 16", w(0.125, 0.125, 4.0, 16.0)),
                ("obs .25 pop .25 vec 4 rel 16", w(0.25, 0.25, 4.0, 16.0)),
                ("obs .125 pop .25 vec 4 rel 16", w(0.125, 0.25, 4.0, 16.0)),
                ("obs .25 pop .125 vec 4 rel 16", w(0.25, 0.125, 4.0, 16.0)),
                ("obs .5 pop .5 vec 4 rel 16", w(0.5, 0.5, 4.0, 16.0)),
                ("obs .125 pop .125 vec 8 rel 32", w(0.125, 0.125, 8.0, 32.0)),
            ],
        );
    }

    let weights = ScoringWeights::default();
    let t = Instant::now();
    let rows = table_rows(&ml, &test_cases, &test_site, &weights, true);
    println!(
        "\nTest hold-out, engine defaults {weights:?}, diversity on (the default); {:.2} s",
        t.elapsed().as_secs_f64()
    );
    print_table(&rows);
    let rows_nd = table_rows(&ml, &test_cases, &test_site, &weights, false);
    println!("\nSame, diversity off:");
    print_table(&rows_nd);
    if args.iter().any(|a| a == "--probes") {
        explore(&val_cases, &val_site);
        explore_topics(&val_cases, &val_site, &ml);
    }
    println!("total {:.1} s", started.elapsed().as_secs_f64());
}

/// One line of the results table.
pub struct Row {
    name: &'static str,
    on_device: bool,
    score: Score,
}

/// The catalogs a site would ship: topics only, + vectors, + related, + both.
pub fn catalogs(
    ml: &data::MovieLens,
    site: &Site,
) -> [(inkling::catalog::Catalog, &'static str); 4] {
    let pop = catalog_json::popularity(&site.counts);
    let related = catalog_json::normalize_related(&site.related);
    let make = |vectors: bool, rel: bool| {
        let parts = catalog_json::Parts {
            popularity: &pop,
            vectors: vectors.then_some(&site.vectors),
            related: rel.then_some(&related[..]),
        };
        inkling::catalog::Catalog::from_json(&catalog_json::build(ml, &parts))
            .expect("the MovieLens catalog is valid")
    };
    [
        (make(false, false), "Inkling: genre topics"),
        (make(true, false), "Inkling: topics + vectors (32-d)"),
        (make(false, true), "Inkling: topics + related (top 50)"),
        (make(true, true), "Inkling: topics + vectors + related"),
    ]
}

/// Every row of the table on `cases`, the shipped engine with `weights`.
fn table_rows(
    ml: &data::MovieLens,
    cases: &[Case],
    site: &Site,
    weights: &ScoringWeights,
    diversity: bool,
) -> Vec<Row> {
    let cfg = inkling::profile::ProfileConfig::default();
    let mut rows = Vec::new();
    let cats = catalogs(ml, site);
    let replayed = engine::replay(&cats[0].0, cases, &cfg);
    rows.push(Row {
        name: "Popularity only (no profile)",
        on_device: true,
        score: engine::evaluate(&cats[0].0, cases, &replayed, false, weights, diversity, K),
    });
    for (catalog, name) in &cats {
        let replayed = engine::replay(catalog, cases, &cfg);
        rows.push(Row {
            name,
            on_device: true,
            score: engine::evaluate(catalog, cases, &replayed, true, weights, diversity, K),
        });
    }
    // i8 storage: each vector component rounded to one of 255 levels of a
    // per-catalog scale, s = max|v| / 127, v ≈ s · round(v / s). The engine is
    // fed exactly those values, so this measures ranking with i8-precision vectors.
    let mut quantized = site.vectors.clone();
    let scale = quantized.a.iter().fold(0.0f64, |m, x| m.max(x.abs())) / 127.0;
    quantized
        .a
        .iter_mut()
        .for_each(|x| *x = scale * (*x / scale).round());
    let pop = catalog_json::popularity(&site.counts);
    let parts = catalog_json::Parts {
        popularity: &pop,
        vectors: Some(&quantized),
        related: None,
    };
    let catalog = inkling::catalog::Catalog::from_json(&catalog_json::build(ml, &parts))
        .expect("valid catalog");
    let replayed = engine::replay(&catalog, cases, &cfg);
    rows.insert(
        3,
        Row {
            name: "Inkling: topics + vectors (32-d, i8)",
            on_device: true,
            score: engine::evaluate(&catalog, cases, &replayed, true, weights, diversity, K),
        },
    );
    let b = &site.ease;
    rows.push(Row {
        name: "EASE λ=300 (server, anchor)",
        on_device: false,
        score: evaluate(cases, site.interactions.items, |c| {
            models::ease_scores(b, &history(c))
        }),
    });
    rows
}

fn print_table(rows: &[Row]) {
    let pop = rows[0].score.mean();
    let anchor = rows
        .iter()
        .find(|r| !r.on_device)
        .map(|r| r.score.mean())
        .unwrap_or((1.0, 1.0));
    println!(
        "| {:<38} | {:>6} | {:>15} | {:>19} | {:>17} |",
        "ranking", "HR@10", "NDCG@10 (± SE)", "lift vs pop HR/NDCG", "vs anchor HR/NDCG"
    );
    println!(
        "|{}|{}|{}|{}|{}|",
        "-".repeat(40),
        "-".repeat(8),
        "-".repeat(17),
        "-".repeat(21),
        "-".repeat(19)
    );
    for r in rows {
        let (hr, ndcg) = r.score.mean();
        let lift = format!(
            "{:+.0}% / {:+.0}%",
            100.0 * (hr / pop.0 - 1.0),
            100.0 * (ndcg / pop.1 - 1.0)
        );
        let vs = if r.on_device {
            format!("{:.3} / {:.3}", hr / anchor.0, ndcg / anchor.1)
        } else {
            "1 / 1".to_string()
        };
        let ndcg_se = format!("{ndcg:.4} ± {:.4}", r.score.ndcg_se());
        println!(
            "| {:<38} | {hr:>6.4} | {ndcg_se:>15} | {lift:>19} | {vs:>17} |",
            r.name
        );
    }
    println!(
        "({} users; HR@10 and NDCG@10 over the whole catalog, already-seen movies excluded)",
        rows[0].score.users
    );
}

/// What the site derives from its training interactions.
pub struct Site {
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
                "EASE, weighted events",
                evaluate(cases, n, |c| {
                    // The device's event weighting applied to the anchor: views ¼ of a
                    // click, 14-day half-life to the ranking time.
                    let mut s = vec![0.0; n];
                    for r in &c.history {
                        let w = if r.stars >= split::POSITIVE {
                            1.0
                        } else {
                            0.25
                        };
                        let w = w * 0.5f64.powf((c.at_s - r.time_s) as f64 / 86_400.0 / 14.0);
                        s.iter_mut()
                            .zip(b.row(r.item))
                            .for_each(|(x, y)| *x += w * y);
                    }
                    s
                }),
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
