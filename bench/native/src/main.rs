//! Native ranking on the browser benchmark's own data (bench/gen.js writes it), so the
//! wasm figures can be set against native ones for the very same catalogs and visitor.
//!
//! ```text
//! inkling-bench-native VISITOR.json CATALOG.json... > native-same-data.json
//! ```
//!
//! For each catalog: replays the visitor (events, then declarations) into a profile,
//! ranks the top 20 after a warm-up, and prints median and p95 over the calls, the
//! top-20 ids (to compare with wasm and the JS reference) and the load time.

use std::time::Instant;

use inkling::catalog::{Catalog, CatalogDocument};
use inkling::profile::{Event, Preference, Profile, ProfileConfig};
use inkling::rank::{rank, RankOptions};
use serde_json::{json, Value};

fn fail(msg: &str) -> ! {
    eprintln!("inkling-bench-native: {msg}");
    std::process::exit(1)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")))
}

/// Median and 95th percentile (nearest rank) of durations in ms.
fn stats(mut ms: Vec<f64>) -> Value {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
    json!({ "n": ms.len(), "median": at(0.5), "p95": at(0.95), "min": ms[0] })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        fail("usage: inkling-bench-native VISITOR.json CATALOG.json...");
    }
    let visitor: Value =
        serde_json::from_str(&read(&args[0])).unwrap_or_else(|e| fail(&e.to_string()));
    let now = visitor["now"]
        .as_i64()
        .unwrap_or_else(|| fail("visitor: no now"));
    let mut rows = Vec::new();
    for path in &args[1..] {
        let text = read(path);
        let t = Instant::now();
        let catalog = Catalog::from_json(&text).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
        let load_ms = t.elapsed().as_secs_f64() * 1e3;
        // The same load in its two halves: JSON text to document, document to catalog.
        let t = Instant::now();
        let doc: CatalogDocument =
            inkling::json::from_str(&text).unwrap_or_else(|e| fail(&e.to_string()));
        let parse_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        drop(Catalog::from_document(doc).unwrap_or_else(|e| fail(&e.to_string())));
        let build_ms = t.elapsed().as_secs_f64() * 1e3;
        let mut profile = Profile::new();
        let cfg = ProfileConfig::default();
        for e in visitor["events"].as_array().into_iter().flatten() {
            let event: Event = inkling::json::from_str(
                &json!({ "kind": e["type"], "item": e["item"], "at": e["at"] }).to_string(),
            )
            .unwrap_or_else(|e| fail(&e.to_string()));
            profile
                .record(&catalog, &event, &cfg)
                .unwrap_or_else(|e| fail(&e.to_string()));
        }
        for d in visitor["declared"].as_array().into_iter().flatten() {
            let pref = match d[1].as_str() {
                Some("like") => Preference::Like,
                Some("dislike") => Preference::Dislike,
                _ => Preference::None,
            };
            profile
                .declare(d[0].as_str().unwrap_or(""), pref, now)
                .unwrap_or_else(|e| fail(&e.to_string()));
        }
        let opts = RankOptions {
            limit: 20,
            diversity: true,
            exclude: vec![],
            exclude_seen: true,
            now_ms: now,
        };
        let n = catalog.len();
        let (warmup, calls) = (20, if n >= 100_000 { 200 } else { 1000 });
        for _ in 0..warmup {
            std::hint::black_box(rank(Some(&profile), &catalog, &opts));
        }
        let mut times = Vec::with_capacity(calls);
        let mut top = Vec::new();
        for _ in 0..calls {
            let t = Instant::now();
            top = std::hint::black_box(rank(Some(&profile), &catalog, &opts));
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let ids: Vec<&str> = top.iter().map(|r| r.id.as_str()).collect();
        rows.push(json!({ "size": n, "loadJsonMs": load_ms, "parseMs": parse_ms, "buildMs": build_ms, "rank": stats(times), "top": ids }));
    }
    println!("{}", json!({ "sameData": rows }));
}
