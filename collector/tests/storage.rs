//! The storage layer against both databases: sums, exactly-once under
//! concurrency, replay window purge, and release through the real store.

mod common;

use common::*;
use inkling_collector::release::{self, Probabilities};
use inkling_collector::store::{Store, Stored, Tally};

fn tally(id: &str, period: &str, ones: &[u32]) -> Tally {
    Tally {
        site: "shop".into(),
        period: period.into(),
        metric: "interests".into(),
        ones: ones.to_vec(),
        id: id.into(),
    }
}

async fn sums_and_duplicates(store: &Store) {
    let a = [
        tally("a", "2026-11-22", &[0, 2]),
        tally("b", "2026-11-22", &[2]),
        tally("c", "2026-11-23", &[7]),
    ];
    assert_eq!(
        store.ingest(&a, 20_780).await.unwrap(),
        vec![Stored::Accepted; 3]
    );
    // The same ids again (and one new) in a later batch: only the new one counts.
    let b = [
        tally("b", "2026-11-22", &[2]),
        tally("d", "2026-11-22", &[1, 2]),
    ];
    assert_eq!(
        store.ingest(&b, 20_780).await.unwrap(),
        vec![Stored::Duplicate, Stored::Accepted]
    );
    let sums = store
        .sums("shop", "interests", 8, "2026-11-01", "2026-11-30")
        .await
        .unwrap();
    assert_eq!(sums.len(), 2);
    assert_eq!(sums[0].period, "2026-11-22");
    assert_eq!(sums[0].reports, 3);
    assert_eq!(sums[0].ones, vec![1, 1, 3, 0, 0, 0, 0, 0]);
    assert_eq!(sums[1].reports, 1);
    assert_eq!(sums[1].ones[7], 1);
    // Other metrics, sites and ranges are separate.
    assert!(store
        .sums("shop", "engagement", 2, "2026-11-01", "2026-11-30")
        .await
        .unwrap()
        .is_empty());
    assert!(
        store
            .sums("shop", "interests", 8, "2026-11-23", "2026-11-30")
            .await
            .unwrap()[0]
            .period
            == "2026-11-23"
    );
    assert_eq!(store.total_reports().await.unwrap(), 4);
}

async fn purge_forgets_only_old_ids(store: &Store) {
    store
        .ingest(&[tally("old", "2026-11-20", &[1])], 20_777)
        .await
        .unwrap();
    store
        .ingest(&[tally("new", "2026-11-23", &[1])], 20_780)
        .await
        .unwrap();
    assert_eq!(store.purge_ids_before(20_778).await.unwrap(), 1);
    assert_eq!(store.remembered_ids().await.unwrap(), 5); // "new" and the four ids above
                                                          // Within the window the id is still a duplicate; the sums were never touched by the purge.
    assert_eq!(
        store
            .ingest(&[tally("new", "2026-11-23", &[1])], 20_780)
            .await
            .unwrap(),
        vec![Stored::Duplicate]
    );
    assert_eq!(store.total_reports().await.unwrap(), 6);
}

/// Eight tasks send overlapping batches at once: every id counts exactly once.
async fn concurrent_overlapping_batches_count_once(store: &Store) {
    let ids: Vec<String> = (0..400).map(|i| format!("id-{i:04}")).collect();
    let mut tasks = Vec::new();
    for t in 0..8 {
        let store = store.clone();
        let ids = ids.clone();
        tasks.push(tokio::spawn(async move {
            let mut accepted = 0;
            // Each task walks the ids from a different offset, in batches of 25.
            let order: Vec<&String> = ids.iter().cycle().skip(t * 50).take(ids.len()).collect();
            for chunk in order.chunks(25) {
                let batch: Vec<Tally> = chunk
                    .iter()
                    .map(|id| tally(id, "2026-11-24", &[3]))
                    .collect();
                let r = store.ingest(&batch, 20_780).await.unwrap();
                accepted += r.iter().filter(|s| **s == Stored::Accepted).count();
            }
            accepted
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        accepted += t.await.unwrap();
    }
    assert_eq!(accepted, 400);
    let sums = store
        .sums("shop", "interests", 8, "2026-11-24", "2026-11-24")
        .await
        .unwrap();
    assert_eq!(sums[0].reports, 400);
    assert_eq!(sums[0].ones[3], 400);
}

/// Releases computed from stored sums: suppressed below k_min, debiased above.
async fn release_from_the_store(store: &Store) {
    let mut batch = Vec::new();
    for i in 0..40 {
        batch.push(tally(
            &format!("r{i}"),
            "2026-10-21",
            if i % 4 == 0 { &[0, 1] } else { &[1] },
        ));
    }
    for i in 0..3 {
        batch.push(tally(&format!("s{i}"), "2026-10-20", &[0]));
    }
    store.ingest(&batch, 20_778).await.unwrap();
    let sums = store
        .sums("shop", "interests", 8, "2026-10-20", "2026-10-21")
        .await
        .unwrap();
    let pq = Probabilities { p: 0.5, q: 0.25 };
    let small = release::release(&sums[0], pq, 5, &[], None);
    assert_eq!(small.n, 3);
    assert!(small.buckets.is_none());
    let big = release::release(&sums[1], pq, 5, &[], None);
    let b = big.buckets.unwrap();
    // (40 − 40·0.25)/0.25 = 120 → clipped to n = 40; (10 − 10)/0.25 = 0.
    assert_eq!(b[1].estimate, 40.0);
    assert_eq!(b[0].estimate, 0.0);
}

async fn all(store: Store) {
    sums_and_duplicates(&store).await;
    purge_forgets_only_old_ids(&store).await;
    concurrent_overlapping_batches_count_once(&store).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_storage() {
    let url = sqlite_url("storage");
    all(Store::open(&url, 4).await.unwrap()).await;
    // Reopening runs the migrations again without harm and keeps the data.
    let store = Store::open(&url, 4).await.unwrap();
    assert_eq!(store.total_reports().await.unwrap(), 406);
    release_from_the_store(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_file_is_in_wal_mode() {
    use sqlx::Row;
    let dir = temp_dir("wal");
    let url = format!("sqlite:{}", dir.join("nested/dir/inkling.sqlite").display());
    let store = Store::open(&url, 1).await.unwrap();
    store.close().await;
    assert!(
        dir.join("nested/dir/inkling.sqlite").exists(),
        "created on first run"
    );
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&format!(
        "sqlite://{}",
        dir.join("nested/dir/inkling.sqlite").display()
    ))
    .await
    .unwrap();
    let row = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row.try_get::<String, _>(0).unwrap().to_lowercase(), "wal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_storage() {
    let Some(base) = pg_url("postgres_storage") else {
        return;
    };
    let url = fresh_pg_database(&base).await;
    all(Store::open(&url, 8).await.unwrap()).await;
    let store = Store::open(&url, 4).await.unwrap();
    assert_eq!(store.total_reports().await.unwrap(), 406);
    release_from_the_store(&store).await;
}
