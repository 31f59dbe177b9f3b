//! Ranking speed on synthetic catalogs: 10k and 100k items, 8 topics each out
//! of 500, top 20, with and without 32-dim item vectors. Criterion prints the
//! wall time per call and items per second (`cargo bench --bench rank`); a
//! thread-CPU-time measurement is printed first, because on a shared machine
//! wall time also counts the wait for a free core.
//!
//! Before the timings it also prints, measured here:
//! - the memory the 100k catalog holds, and the peak resident memory of
//!   loading it from JSON (VmHWM from /proc/self/status, Linux);
//! - whether i8-quantized vectors keep the ranking: top-20 overlap with f32.

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use std::hint::black_box;

    use super::counting;
    use criterion::{BenchmarkId, Criterion, Throughput};
    use inkling::catalog::{Catalog, CatalogDocument, ItemDocument, TopicDocument, WeightMap};
    use inkling::profile::{Event, EventKind, Preference, Profile, ProfileConfig};
    use inkling::rank::{rank, RankOptions};

    const DAY: i64 = 86_400_000;
    const NOW: i64 = 20_400 * DAY;
    const TOPICS: usize = 500;
    const DIMS: usize = 32;

    /// xorshift64*: deterministic synthetic data without a dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    pub fn document(n: usize, seed: u64) -> CatalogDocument {
        let mut r = Rng(seed);
        let topics = (0..TOPICS)
            .map(|t| TopicDocument {
                id: ["t", &t.to_string()].concat(),
                label: Some(["Topic ", &t.to_string()].concat()),
                parent: (t >= 20).then(|| ["t", &(t % 20).to_string()].concat()),
                sensitive: t == 7,
            })
            .collect();
        let items = (0..n)
            .map(|i| {
                let mut tw: Vec<(String, f64)> = Vec::with_capacity(8);
                while tw.len() < 8 {
                    let id = ["t", &r.below(TOPICS).to_string()].concat();
                    if !tw.iter().any(|(k, _)| *k == id) {
                        tw.push((id, (r.unit() * 0.9 + 0.1).min(1.0)));
                    }
                }
                ItemDocument {
                    id: ["item-", &i.to_string()].concat(),
                    title: Some(["Item number ", &i.to_string()].concat()),
                    topics: WeightMap(tw),
                    popularity: Some(r.unit().powi(3) * 1000.0),
                    published: Some(
                        [
                            "2025-",
                            &format!("{:02}", 1 + r.below(12)),
                            "-",
                            &format!("{:02}", 1 + r.below(28)),
                        ]
                        .concat(),
                    ),
                    ..Default::default()
                }
            })
            .collect();
        CatalogDocument { topics, items }
    }

    /// Vectors with structure: each item is a mix of its topics' directions plus noise.
    pub fn vectors(c: &Catalog, seed: u64) -> Vec<f32> {
        let mut r = Rng(seed);
        let dirs: Vec<f32> = (0..TOPICS * DIMS)
            .map(|_| (r.unit() * 2.0 - 1.0) as f32)
            .collect();
        let mut flat = vec![0f32; c.len() * DIMS];
        for i in 0..c.len() {
            let row = &mut flat[i * DIMS..(i + 1) * DIMS];
            for (t, w) in c.item_topics(i) {
                for (x, d) in row.iter_mut().zip(&dirs[t.index() * DIMS..]) {
                    *x += w * d;
                }
            }
            for x in row.iter_mut() {
                *x += (r.unit() * 0.6 - 0.3) as f32;
            }
        }
        flat
    }

    pub fn profile(c: &Catalog, seed: u64) -> Profile {
        let mut r = Rng(seed);
        let mut p = Profile::new();
        let cfg = ProfileConfig::default();
        for k in 0..50 {
            let i = r.below(c.len());
            let kind = if k % 3 == 0 {
                EventKind::Click
            } else {
                EventKind::View
            };
            let e = Event {
                kind,
                item: c.item_id(i).into(),
                gift: false,
                at_ms: NOW - (50 - k) * DAY / 4,
            };
            p.record(c, &e, &cfg).expect("known item");
        }
        for t in ["t3", "t42", "t99"] {
            p.declare(t, Preference::Like, NOW).expect("room");
        }
        p
    }

    fn opts() -> RankOptions {
        RankOptions {
            limit: 20,
            now_ms: NOW,
            ..RankOptions::default()
        }
    }

    /// Memory of a 100k catalog: what it holds, and the peak of live heap bytes
    /// while `Catalog::from_json` runs (counted by the allocator below), on top
    /// of the JSON text itself.
    pub fn report_memory() {
        let json = inkling::json::to_string(&document(100_000, 7));
        let base = counting::reset_peak();
        let c = Catalog::from_json(&json).expect("valid");
        let peak = counting::peak() - base;
        let kept = counting::live() - base;
        let mb = |b: usize| b as f64 / 1_048_576.0;
        println!(
            "memory: 100k items × 8 topics out of 500: JSON text {:.1} MB",
            mb(json.len())
        );
        println!(
            "memory: loading from JSON peaks at {:.1} MB of heap beyond the text; the catalog keeps {:.1} MB \
             (allocator count; Catalog::memory_bytes says {:.1} MB)",
            mb(peak),
            mb(kept),
            mb(c.memory_bytes())
        );
        drop(json);
        let flat = vectors(&c, 11);
        let cv = c.with_vectors(DIMS, &flat).expect("valid");
        println!(
            "memory: with 32-dim f32 vectors the catalog holds {:.1} MB",
            mb(cv.memory_bytes())
        );
    }

    /// Top-20 overlap between f32 vectors and the same vectors quantized to i8
    /// with one per-catalog scale (x ≈ q · max|x| / 127).
    pub fn report_quantization() {
        let c = Catalog::from_document(document(100_000, 3)).expect("valid");
        let flat = vectors(&c, 5);
        let scale = flat.iter().fold(0f32, |m, x| m.max(x.abs())) / 127.0;
        let deq: Vec<f32> = flat
            .iter()
            .map(|x| ((x / scale).round().clamp(-127.0, 127.0)) * scale)
            .collect();
        let cf = c.clone().with_vectors(DIMS, &flat).expect("valid");
        let cq = c.with_vectors(DIMS, &deq).expect("valid");
        let (mut sum, mut min, runs) = (0.0, 1.0f64, 30);
        for s in 0..runs {
            let p = profile(&cf, 100 + s);
            let a = rank(Some(&p), &cf, &opts());
            let b = rank(Some(&p), &cq, &opts());
            let common =
                a.iter().filter(|x| b.iter().any(|y| y.id == x.id)).count() as f64 / a.len() as f64;
            sum += common;
            min = min.min(common);
        }
        println!(
            "quantization: i8 vectors (per-catalog scale) vs f32, 100k items, {runs} profiles: top-20 overlap mean {:.3}, min {:.3}; memory 3.2 MB instead of 12.8 MB",
            sum / runs as f64,
            min
        );
    }

    /// This thread's CPU time in seconds (Linux `CLOCK_THREAD_CPUTIME_ID`), so the
    /// figure holds on a busy machine where wall time also counts waiting for a core.
    #[cfg(target_os = "linux")]
    fn thread_cpu_s() -> f64 {
        #[repr(C)]
        struct Timespec {
            sec: i64,
            nsec: i64,
        }
        extern "C" {
            fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
        }
        const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
        let mut ts = Timespec { sec: 0, nsec: 0 };
        // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
        unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        ts.sec as f64 + ts.nsec as f64 * 1e-9
    }

    #[cfg(not(target_os = "linux"))]
    fn thread_cpu_s() -> f64 {
        0.0
    }

    /// CPU time per call (median of 15 batches), printed as ms and items/s.
    pub fn report_cpu_time() {
        for n in [10_000usize, 100_000] {
            let c = Catalog::from_document(document(n, 1)).expect("valid");
            let p = profile(&c, 2);
            let flat = vectors(&c, 9);
            let cv = c.clone().with_vectors(DIMS, &flat).expect("valid");
            let pv = profile(&cv, 2);
            let cases: [(&str, &Catalog, Option<&Profile>); 3] = [
                ("topics", &c, Some(&p)),
                ("topics+vectors32", &cv, Some(&pv)),
                ("non-personalized", &c, None),
            ];
            for (name, cat, prof) in cases {
                let reps = (2_000_000 / n).max(10);
                let mut per_call: Vec<f64> = (0..15)
                    .map(|_| {
                        let t0 = thread_cpu_s();
                        for _ in 0..reps {
                            black_box(rank(prof, cat, &opts()));
                        }
                        (thread_cpu_s() - t0) / reps as f64
                    })
                    .collect();
                per_call.sort_by(f64::total_cmp);
                let med = per_call[per_call.len() / 2];
                println!(
                    "cpu time: rank top 20 of {n} items, {name}: {:.3} ms per call, {:.1} M items/s",
                    med * 1e3,
                    n as f64 / med / 1e6
                );
            }
        }
    }

    pub fn benches(cr: &mut Criterion) {
        let mut g = cr.benchmark_group("rank top 20");
        g.sample_size(30)
            .measurement_time(std::time::Duration::from_secs(4));
        for n in [10_000usize, 100_000] {
            let c = Catalog::from_document(document(n, 1)).expect("valid");
            let p = profile(&c, 2);
            g.throughput(Throughput::Elements(n as u64));
            g.bench_with_input(BenchmarkId::new("topics", n), &n, |b, _| {
                b.iter(|| black_box(rank(Some(&p), &c, &opts())))
            });
            let flat = vectors(&c, 9);
            let cv = c.clone().with_vectors(DIMS, &flat).expect("valid");
            let pv = profile(&cv, 2);
            g.bench_with_input(BenchmarkId::new("topics+vectors32", n), &n, |b, _| {
                b.iter(|| black_box(rank(Some(&pv), &cv, &opts())))
            });
            g.bench_with_input(BenchmarkId::new("non-personalized", n), &n, |b, _| {
                b.iter(|| black_box(rank(None, &c, &opts())))
            });
        }
        g.finish();
    }
}

/// A global allocator that counts live and peak heap bytes, for the memory report.
#[cfg(not(target_arch = "wasm32"))]
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    static LIVE: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    pub struct Counting;

    // SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            let p = System.alloc(l);
            if !p.is_null() {
                let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
                PEAK.fetch_max(now, Relaxed);
            }
            p
        }
        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            System.dealloc(p, l);
            LIVE.fetch_sub(l.size(), Relaxed);
        }
        unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
            let q = System.realloc(p, l, new);
            if !q.is_null() {
                if new >= l.size() {
                    let now = LIVE.fetch_add(new - l.size(), Relaxed) + new - l.size();
                    PEAK.fetch_max(now, Relaxed);
                } else {
                    LIVE.fetch_sub(l.size() - new, Relaxed);
                }
            }
            q
        }
    }

    #[global_allocator]
    static GLOBAL: Counting = Counting;

    /// Live bytes now.
    pub fn live() -> usize {
        LIVE.load(Relaxed)
    }
    /// Highest live bytes since the last reset.
    pub fn peak() -> usize {
        PEAK.load(Relaxed)
    }
    /// Starts a new peak from the live bytes now, and returns them.
    pub fn reset_peak() -> usize {
        let now = live();
        PEAK.store(now, Relaxed);
        now
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    bench::report_memory();
    bench::report_quantization();
    bench::report_cpu_time();
    let mut c = criterion::Criterion::default().configure_from_args();
    bench::benches(&mut c);
    c.final_summary();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
