//! Privacy tests: for every mechanism, the probability of any output under any
//! two inputs differs by at most a factor e^ε, checked exactly from the
//! probabilities (enumerating every input and output) and empirically (sampling
//! the real randomization code with a seeded generator).

use inkling::ldp::{
    GeneralizedRandomizedResponse, MemoizedRandomizedResponse, MemoizedUnaryEncoding,
    OptimizedUnaryEncoding, Rng, SplitMix64,
};

const EPSILONS: [f64; 3] = [0.5, 1.0, 2.0];

/// Largest ratio P[y | a] / P[y | b] over all inputs a, b and outputs y of `table[input][output]`.
fn max_ratio(table: &[Vec<f64>]) -> f64 {
    let mut worst: f64 = 0.0;
    for a in table {
        for b in table {
            for (pa, pb) in a.iter().zip(b) {
                worst = worst.max(pa / pb);
            }
        }
    }
    worst
}

/// Every subset of `0..d` with at most `k` members, as membership vectors.
fn subsets(d: usize, k: usize) -> Vec<Vec<bool>> {
    (0u32..1 << d)
        .filter(|m| m.count_ones() as usize <= k)
        .map(|m| (0..d).map(|i| m & (1 << i) != 0).collect())
        .collect()
}

/// Output distribution of a per-bit unary mechanism: `one(member)` = P[bit reported 1].
fn unary_table(inputs: &[Vec<bool>], d: usize, one: impl Fn(bool) -> f64) -> Vec<Vec<f64>> {
    inputs
        .iter()
        .map(|x| {
            (0u32..1 << d)
                .map(|y| {
                    (0..d)
                        .map(|i| {
                            if y & (1 << i) != 0 {
                                one(x[i])
                            } else {
                                1.0 - one(x[i])
                            }
                        })
                        .product()
                })
                .collect()
        })
        .collect()
}

fn assert_tight(label: &str, ratio: f64, eps: f64) {
    assert!(
        ratio <= eps.exp() * (1.0 + 1e-12),
        "{label}: ratio {ratio} exceeds e^{eps}"
    );
    assert!(
        ratio >= eps.exp() * (1.0 - 1e-9),
        "{label}: ratio {ratio} is not tight (e^{eps})"
    );
}

#[test]
fn grr_ratio_is_at_most_e_eps_exactly() {
    for d in [2, 3, 5, 10] {
        for eps in EPSILONS {
            let m = GeneralizedRandomizedResponse::new(eps, d).unwrap();
            let table: Vec<Vec<f64>> = (0..d)
                .map(|x| (0..d).map(|y| if x == y { m.p() } else { m.q() }).collect())
                .collect();
            for row in &table {
                assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            }
            assert_tight(&format!("grr d={d}"), max_ratio(&table), eps);
        }
    }
}

#[test]
fn oue_ratio_is_at_most_e_eps_for_single_values_and_k_eps_for_sets() {
    let d = 7;
    for eps in EPSILONS {
        let m = OptimizedUnaryEncoding::new(eps, d).unwrap();
        let one = |b: bool| if b { m.p() } else { m.q() };
        let singles: Vec<Vec<bool>> = (0..d).map(|v| (0..d).map(|i| i == v).collect()).collect();
        assert_tight(
            "oue one-hot",
            max_ratio(&unary_table(&singles, d, one)),
            eps,
        );
        // Sets of up to 3 values (including the empty set) cost 3ε.
        assert_tight(
            "oue 3-sets",
            max_ratio(&unary_table(&subsets(d, 3), d, one)),
            3.0 * eps,
        );
    }
}

#[test]
fn memoized_unary_report_is_eps_for_any_two_sets_of_up_to_3_and_permanent_is_lifetime_eps() {
    let (d, k) = (7, 3);
    for eps in EPSILONS {
        let lifetime = 2.0 * eps;
        let m = MemoizedUnaryEncoding::new(eps, lifetime, d, k).unwrap();
        // Two steps written out: permanent bit 1 w.p. p₁ = 1/2 (member) or q₁, then kept w.p. r.
        let q1 = 1.0 / ((lifetime / k as f64).exp() + 1.0);
        let r = m.keep_probability();
        let perm_one = |b: bool| if b { 0.5 } else { q1 };
        let report_one = |b: bool| perm_one(b) * r + (1.0 - perm_one(b)) * (1.0 - r);
        let inputs = subsets(d, k);
        assert_tight(
            "memoized unary report",
            max_ratio(&unary_table(&inputs, d, report_one)),
            eps,
        );
        assert_tight(
            "memoized unary permanent",
            max_ratio(&unary_table(&inputs, d, perm_one)),
            lifetime,
        );
        // And the wire parameters are exactly those of the two steps.
        assert!(
            (m.p() - report_one(true)).abs() < 1e-12 && (m.q() - report_one(false)).abs() < 1e-12
        );
    }
}

#[test]
fn memoized_rr_report_is_eps_and_permanent_is_lifetime_eps() {
    for d in [2, 5] {
        for eps in EPSILONS {
            let m = MemoizedRandomizedResponse::new(eps, 2.0 * eps, d).unwrap();
            let perm = GeneralizedRandomizedResponse::new(2.0 * eps, d).unwrap();
            let inst = GeneralizedRandomizedResponse::new(m.instantaneous_epsilon(), d).unwrap();
            let step = |g: &GeneralizedRandomizedResponse, x: usize, y: usize| {
                if x == y {
                    g.p()
                } else {
                    g.q()
                }
            };
            // P[y | x] = Σ_z P_perm[z | x] · P_inst[y | z]
            let table: Vec<Vec<f64>> = (0..d)
                .map(|x| {
                    (0..d)
                        .map(|y| (0..d).map(|z| step(&perm, x, z) * step(&inst, z, y)).sum())
                        .collect()
                })
                .collect();
            assert_tight(&format!("memoized rr d={d}"), max_ratio(&table), eps);
            assert!((table[0][0] - m.p()).abs() < 1e-12 && (table[0][1] - m.q()).abs() < 1e-12);
        }
    }
}

/// Samples `draw(input)` `n` times for two inputs and checks every output's
/// frequency ratio against e^ε, allowing 4 standard errors of sampling noise;
/// returns the largest observed ratio, which must also come close to e^ε.
#[allow(clippy::needless_range_loop)]
fn empirical_ratio(eps: f64, outputs: usize, n: u32, mut draw: impl FnMut(usize) -> usize) -> f64 {
    let mut freq = [vec![0u32; outputs], vec![0u32; outputs]];
    for (x, f) in freq.iter_mut().enumerate() {
        for _ in 0..n {
            f[draw(x)] += 1;
        }
    }
    let mut worst: f64 = 0.0;
    for y in 0..outputs {
        for (a, b) in [(0, 1), (1, 0)] {
            let (ca, cb) = (freq[a][y] as f64, freq[b][y] as f64);
            let ratio = ca / cb;
            // Relative SE of a ratio of two independent counts ≈ sqrt(1/ca + 1/cb).
            let tolerance = 4.0 * (1.0 / ca + 1.0 / cb).sqrt();
            assert!(
                ratio <= eps.exp() * (1.0 + tolerance),
                "output {y}: ratio {ratio:.4} > e^{eps} (+{tolerance:.3})"
            );
            worst = worst.max(ratio / (1.0 + tolerance));
        }
    }
    worst
}

#[test]
fn every_mechanism_respects_e_eps_empirically() {
    const N: u32 = 200_000;
    let pack = |bits: &[bool]| {
        bits.iter()
            .enumerate()
            .map(|(i, &b)| usize::from(b) << i)
            .sum::<usize>()
    };
    for (s, eps) in EPSILONS.into_iter().enumerate() {
        let mut rng = SplitMix64::new(700 + s as u64);
        let grr = GeneralizedRandomizedResponse::new(eps, 3).unwrap();
        let w = empirical_ratio(eps, 3, N, |x| grr.perturb(x, &mut rng).unwrap());
        assert!(w > eps.exp() * 0.9, "grr ratio {w} should approach e^{eps}");

        let oue = OptimizedUnaryEncoding::new(eps, 3).unwrap();
        let w = empirical_ratio(eps, 8, N, |x| pack(&oue.perturb(x, &mut rng).unwrap()));
        assert!(w > eps.exp() * 0.9, "oue ratio {w} should approach e^{eps}");

        // Memoized: a fresh visitor per sample (permanent then instantaneous), single values.
        let mu = MemoizedUnaryEncoding::new(eps, 2.0 * eps, 3, 1).unwrap();
        let w = empirical_ratio(eps, 8, N, |x| {
            let bits: Vec<bool> = (0..3)
                .map(|i| mu.instantaneous_bit(mu.permanent_bit(i == x, &mut rng), &mut rng))
                .collect();
            pack(&bits)
        });
        assert!(
            w > eps.exp() * 0.9,
            "memoized unary ratio {w} should approach e^{eps}"
        );

        let mr = MemoizedRandomizedResponse::new(eps, 2.0 * eps, 2).unwrap();
        let w = empirical_ratio(eps, 2, N, |x| {
            let perm = mr.permanent(x, &mut rng).unwrap();
            mr.instantaneous(perm, &mut rng).unwrap()
        });
        assert!(
            w > eps.exp() * 0.9,
            "memoized rr ratio {w} should approach e^{eps}"
        );
        println!("eps={eps}: empirical ratios ok");
    }
    // The generator itself is not degenerate (guards against a constant Rng passing trivially).
    let mut rng = SplitMix64::new(1);
    assert_ne!(rng.next_u64(), rng.next_u64());
}
