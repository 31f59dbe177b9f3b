//! Tuning the engine's score coefficients on the validation split (carved
//! from the training histories; the test hold-out is never looked at).
//!
//! The score is linear in its coefficients, so only ratios matter: the
//! observed-interest coefficient stays at the engine's 1.0 (which keeps
//! declared likes, 2.0, above any observed interest) and the popularity,
//! vector and related coefficients are searched on a grid relative to it.
//! One set of defaults has to serve every kind of catalog, so the objective
//! is the mean NDCG@10 over the four catalogs (topics; + vectors; + related;
//! + both), each scored with the coefficients it actually uses.

use std::collections::HashMap;

use inkling::profile::ProfileConfig;
use inkling::rank::ScoringWeights;

use crate::data::MovieLens;
use crate::split::Case;
use crate::{catalogs, engine, Site, K};

const POPULARITY: [f32; 5] = [0.5, 1.0, 2.0, 4.0, 8.0];
const VECTOR: [f32; 5] = [8.0, 16.0, 32.0, 64.0, 128.0];
const RELATED: [f32; 5] = [32.0, 64.0, 128.0, 256.0, 512.0];

/// Returns the best coefficients found.
pub fn tune(ml: &MovieLens, cases: &[Case], site: &Site) -> ScoringWeights {
    let cfg = ProfileConfig::default();
    let cats = catalogs(ml, site);
    let base = ScoringWeights::default();
    let replayed: Vec<_> = cats
        .iter()
        .map(|(c, _)| engine::replay(c, cases, &cfg))
        .collect();
    // (catalog, popularity, vector, related) → NDCG@10, with unused coefficients zeroed
    // so each distinct ranking is computed once.
    let mut memo: HashMap<(usize, u32, u32, u32), f64> = HashMap::new();
    let mut ndcg = |ci: usize, p: f32, v: f32, r: f32| -> f64 {
        let v = if ci == 1 || ci == 3 { v } else { 0.0 };
        let r = if ci == 2 || ci == 3 { r } else { 0.0 };
        *memo
            .entry((ci, p.to_bits(), v.to_bits(), r.to_bits()))
            .or_insert_with(|| {
                let w = ScoringWeights {
                    observed: 1.0,
                    popularity: p,
                    vector: v,
                    related: r,
                    ..base.clone()
                };
                engine::evaluate(&cats[ci].0, cases, &replayed[ci], true, &w, true, K)
                    .mean()
                    .1
            })
    };
    let mut grid = Vec::new();
    for &p in &POPULARITY {
        for &v in &VECTOR {
            for &r in &RELATED {
                let each: Vec<f64> = (0..cats.len()).map(|ci| ndcg(ci, p, v, r)).collect();
                let mean = each.iter().sum::<f64>() / each.len() as f64;
                grid.push((mean, p, v, r, each));
            }
        }
    }
    grid.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("\nTuning on the validation split (NDCG@10, diversity on; observed 1.0, declared 2.0 fixed):");
    println!("  mean    | topics  vectors related both   | popularity vector related");
    for (mean, p, v, r, each) in grid.iter().take(8) {
        println!(
            "  {mean:.4}  | {:.4}  {:.4}  {:.4}  {:.4} | {p:<10} {v:<6} {r}",
            each[0], each[1], each[2], each[3]
        );
    }
    // How large the vector and related terms are at the top of a list (unit
    // coefficients, everything else off): sets the overall scale so that a
    // declared like (2.0) still outweighs them, whatever the ratios.
    for (ci, what) in [(1usize, "vector"), (2, "related")] {
        let w = ScoringWeights {
            declared: 0.0,
            observed: 0.0,
            popularity: 0.0,
            freshness: 0.0,
            vector: if ci == 1 { 1.0 } else { 0.0 },
            related: if ci == 2 { 1.0 } else { 0.0 },
            ..base.clone()
        };
        let mut top = 0.0;
        for (c, rp) in cases.iter().zip(&replayed[ci]) {
            let opts = inkling::rank::RankOptions {
                limit: 1,
                diversity: false,
                exclude: rp.exclude.clone(),
                exclude_seen: true,
                now_ms: rp.now_ms,
            };
            let cfgw = inkling::rank::RankConfig {
                weights: w.clone(),
                ..Default::default()
            };
            let s = inkling::rank::score_all(Some(&rp.profile), &cats[ci].0, &opts, &cfgw);
            top += s
                .iter()
                .copied()
                .filter(|x| x.is_finite())
                .fold(f32::MIN, f32::max) as f64;
            let _ = c;
        }
        println!(
            "  mean top-of-list {what} term with coefficient 1: {:.4}",
            top / cases.len() as f64
        );
    }
    let (_, p, v, r, _) = grid[0].clone();
    ScoringWeights {
        observed: 1.0,
        popularity: p,
        vector: v,
        related: r,
        ..base
    }
}

/// Validation NDCG@10 of a few hand-picked coefficient sets on every catalog,
/// to weigh MovieLens relevance against product constraints (declared likes
/// first; topic interests that visibly move a topic-only site's list).
pub fn candidates(ml: &MovieLens, cases: &[Case], site: &Site, sets: &[(&str, ScoringWeights)]) {
    let cfg = ProfileConfig::default();
    let cats = catalogs(ml, site);
    let replayed: Vec<_> = cats
        .iter()
        .map(|(c, _)| engine::replay(c, cases, &cfg))
        .collect();
    println!("\nCandidate defaults on the validation split (NDCG@10, diversity on):");
    println!(
        "  {:<34} | topics  vectors related both   | mean",
        "coefficients"
    );
    for (name, w) in sets {
        let each: Vec<f64> = (0..cats.len())
            .map(|ci| {
                engine::evaluate(&cats[ci].0, cases, &replayed[ci], true, w, true, K)
                    .mean()
                    .1
            })
            .collect();
        println!(
            "  {name:<34} | {:.4}  {:.4}  {:.4}  {:.4} | {:.4}",
            each[0],
            each[1],
            each[2],
            each[3],
            each.iter().sum::<f64>() / 4.0
        );
    }
}
