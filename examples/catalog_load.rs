//! How long `Catalog::from_json` takes on catalogs shaped like the browser benchmark's
//! (bench/gen.js: 500 topics, 8 topics per item, a title, url, date and popularity on
//! every item, 8% offers), with "topics" first and with "items" first, and how long
//! `Catalog::from_bytes` takes on the same catalog compiled.
//!
//! ```text
//! cargo run --release --example catalog_load [RUNS]
//! ```
//!
//! Prints the median, min and max over RUNS loads (default 15) for 10k and 100k items,
//! and the sizes of the JSON and the compiled bytes (raw, and gzipped when `gzip` is
//! on the PATH).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use inkling::catalog::Catalog;

/// xorshift64*: deterministic data without a dependency.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
}

fn topics_json() -> String {
    let topics: Vec<String> = (0..500)
        .map(|t| {
            let sensitive = if t / 10 == 49 {
                r#","sensitive":true"#
            } else {
                ""
            };
            format!(
                r#"{{"id":"t{t:03}","label":"Topic {t} (cluster {})"{sensitive}}}"#,
                t / 10
            )
        })
        .collect();
    ["[", &topics.join(","), "]"].concat()
}

fn items_json(n: usize, r: &mut Rng) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            let cluster = (r.unit() * r.unit() * 50.0) as usize;
            let mut picked: Vec<usize> = Vec::new();
            while picked.len() < 8 {
                let t = if picked.len() < 6 {
                    cluster * 10 + r.below(10)
                } else {
                    r.below(500)
                };
                if !picked.contains(&t) {
                    picked.push(t);
                }
            }
            let topics: Vec<String> = picked
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    let w = if k == 0 { 1.0 } else { (20.0 + 80.0 * r.unit()).round() / 100.0 };
                    format!(r#""t{t:03}":{w}"#)
                })
                .collect();
            let offer = if r.unit() < 0.08 {
                format!(r#","kind":"offer","campaign":"campaign-{}""#, r.below(20))
            } else {
                String::new()
            };
            format!(
                r#"{{"id":"i{i:06}","title":"Story {i} about t{:03}","url":"/items/{i}","topics":{{{}}},"published":"2026-{:02}-{:02}","popularity":{}{offer}}}"#,
                cluster * 10,
                topics.join(","),
                1 + r.below(11),
                1 + r.below(28),
                (r.unit() * r.unit() * 1000.0).round() / 1000.0,
            )
        })
        .collect();
    ["[", &items.join(","), "]"].concat()
}

/// Median, min and max of `runs` calls of `load`, in ms.
fn time(runs: usize, load: impl Fn() -> Catalog) -> (f64, f64, f64) {
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let c = load();
            let elapsed = t.elapsed().as_secs_f64() * 1e3;
            drop(std::hint::black_box(c));
            elapsed
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], ms[0], ms[ms.len() - 1])
}

/// The size of `bytes` after `gzip -9`, if gzip can be run.
fn gzipped(bytes: &[u8]) -> Option<usize> {
    let mut child = Command::new("gzip")
        .arg("-9")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    Some(out.stdout.len())
}

fn sizes(what: &str, bytes: &[u8]) -> String {
    let gz = gzipped(bytes).map_or(String::new(), |g| {
        format!(", {:.2} MB gzipped", g as f64 / 1e6)
    });
    format!("{what} {:.2} MB{gz}", bytes.len() as f64 / 1e6)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .map_or(15, |s| s.parse().expect("RUNS is a number"));
    let topics = topics_json();
    for n in [10_000, 100_000] {
        let items = items_json(n, &mut Rng(42));
        let first = ["{\"topics\":", &topics, ",\"items\":", &items, "}"].concat();
        let last = ["{\"items\":", &items, ",\"topics\":", &topics, "}"].concat();
        for (order, text) in [("topics first", &first), ("items first", &last)] {
            let (median, min, max) = time(runs, || {
                Catalog::from_json(text).expect("the generated catalog is valid")
            });
            println!(
                "{n:>7} items, {order:<12} {:>5.1} MB: median {median:7.2} ms (min {min:.2}, max {max:.2}, {runs} runs)",
                text.len() as f64 / 1e6
            );
        }
        let bytes = Catalog::from_json(&first).unwrap().to_bytes();
        let (median, min, max) = time(runs, || {
            Catalog::from_bytes(&bytes).expect("the compiled catalog loads")
        });
        println!(
            "{n:>7} items, {:<12} {:>5.1} MB: median {median:7.2} ms (min {min:.2}, max {max:.2}, {runs} runs)",
            "compiled",
            bytes.len() as f64 / 1e6
        );
        println!(
            "{n:>7} items, sizes: {}; {}",
            sizes("JSON", first.as_bytes()),
            sizes("compiled", &bytes)
        );
    }
}
