//! Real collector processes: two on one database count every report exactly
//! once; a collector killed with SIGKILL mid-stream and restarted loses and
//! doubles nothing when the client resends what it did not see acknowledged.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use inkling::report::Report;
use inkling_collector::store::Store;
use tokio::sync::Notify;

fn reports(seed: u64, n: usize) -> Vec<Report> {
    let mut g = Reports::new(seed);
    (0..n).map(|_| g.random()).collect()
}

fn ones(reports: &[Report]) -> i64 {
    reports
        .iter()
        .map(|r| r.decode_bits().unwrap().iter().filter(|b| **b).count() as i64)
        .sum()
}

/// Sends `batch` and returns how many were accepted and duplicate, or `None` if unacknowledged.
async fn send(
    client: &inkling_collector::client::LoopbackClient,
    batch: &[Report],
) -> Option<(usize, usize)> {
    let reply = client.post_reports(common::batch(batch), &[]).await.ok()?;
    if reply.status != 200 {
        return None;
    }
    let j = reply.json();
    let rejected = j["rejected"].as_u64()?;
    assert_eq!(rejected, 0, "{}", reply.text());
    Some((
        j["accepted"].as_u64()? as usize,
        j["duplicate"].as_u64()? as usize,
    ))
}

async fn two_processes_count_once(url: &str, name: &str) {
    let dir = temp_dir(name);
    let a = spawn_collector(&dir, url, "a").await;
    let b = spawn_collector(&dir, url, "b").await;
    let all = reports(42, 1500);
    let batches: Vec<Vec<Report>> = all.chunks(50).map(|c| c.to_vec()).collect();
    // Every batch goes to both processes at the same time, from two tasks each.
    let mut tasks = Vec::new();
    for (client, offset) in [
        (&a.client, 0),
        (&b.client, 1),
        (&a.client, 2),
        (&b.client, 3),
    ] {
        let client = client.clone();
        let batches = batches.clone();
        tasks.push(tokio::spawn(async move {
            let (mut acc, mut dup) = (0, 0);
            for i in 0..batches.len() {
                let batch = &batches[(i + offset * 7) % batches.len()];
                let (x, y) = send(&client, batch).await.expect("acknowledged");
                acc += x;
                dup += y;
            }
            (acc, dup)
        }));
    }
    let (mut accepted, mut duplicate) = (0, 0);
    for t in tasks {
        let (x, y) = t.await.unwrap();
        accepted += x;
        duplicate += y;
    }
    assert_eq!(
        accepted, 1500,
        "each report accepted exactly once across processes"
    );
    assert_eq!(duplicate, 3 * 1500);
    let store = Store::open(url, 1).await.unwrap();
    assert_eq!(store.total_reports().await.unwrap(), 1500);
    assert_eq!(store.total_ones().await.unwrap(), ones(&all));
    store.close().await;
}

async fn kill_mid_stream_then_resend(url: &str, name: &str) {
    let dir = temp_dir(name);
    let mut first = spawn_collector(&dir, url, "first").await;
    let all = reports(7, 3000);
    let batches: Arc<Vec<Vec<Report>>> = Arc::new(all.chunks(50).map(|c| c.to_vec()).collect());
    let acked: Arc<Vec<AtomicUsize>> =
        Arc::new((0..batches.len()).map(|_| AtomicUsize::new(0)).collect());
    let acks = Arc::new(AtomicUsize::new(0));
    let enough = Arc::new(Notify::new());
    let next = Arc::new(AtomicUsize::new(0));
    // Four streams share the batches; the test kills the process after 15 acknowledgements.
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (client, batches, acked, acks, enough, next) = (
            first.client.clone(),
            batches.clone(),
            acked.clone(),
            acks.clone(),
            enough.clone(),
            next.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= batches.len() {
                    return;
                }
                match send(&client, &batches[i]).await {
                    Some((accepted, _)) => {
                        assert_eq!(
                            accepted,
                            batches[i].len(),
                            "first send of a batch is all new"
                        );
                        acked[i].store(1, Ordering::SeqCst);
                        if acks.fetch_add(1, Ordering::SeqCst) + 1 == 15 {
                            enough.notify_one();
                        }
                    }
                    None => return, // the collector is gone
                }
            }
        }));
    }
    enough.notified().await;
    first.child.start_kill().expect("SIGKILL");
    first.child.wait().await.expect("reaped");
    for t in tasks {
        t.await.unwrap();
    }
    let acknowledged = acked
        .iter()
        .filter(|a| a.load(Ordering::SeqCst) == 1)
        .count();
    assert!(
        acknowledged >= 15 && acknowledged < batches.len(),
        "killed mid-stream ({acknowledged} acknowledged)"
    );

    // Restart on the same database and resend everything not acknowledged.
    let second = spawn_collector(&dir, url, "second").await;
    let mut resent_dup = 0;
    for (i, batch) in batches.iter().enumerate() {
        if acked[i].load(Ordering::SeqCst) == 0 {
            let (_, dup) = send(&second.client, batch)
                .await
                .expect("acknowledged after restart");
            resent_dup += dup;
        }
    }
    let store = Store::open(url, 1).await.unwrap();
    assert_eq!(
        store.total_reports().await.unwrap(),
        3000,
        "none lost, none doubled ({resent_dup} were already in)"
    );
    assert_eq!(store.total_ones().await.unwrap(), ones(&all));
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_two_processes_count_every_report_once() {
    two_processes_count_once(&sqlite_url("two-sqlite"), "two-sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_processes_count_every_report_once() {
    let Some(base) = pg_url("postgres_two_processes_count_every_report_once") else {
        return;
    };
    two_processes_count_once(&fresh_pg_database(&base).await, "two-pg").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_kill_9_mid_stream_loses_and_doubles_nothing() {
    kill_mid_stream_then_resend(&sqlite_url("crash-sqlite"), "crash-sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_kill_9_mid_stream_loses_and_doubles_nothing() {
    let Some(base) = pg_url("postgres_kill_9_mid_stream_loses_and_doubles_nothing") else {
        return;
    };
    kill_mid_stream_then_resend(&fresh_pg_database(&base).await, "crash-pg").await;
}
