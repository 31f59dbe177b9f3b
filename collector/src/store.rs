//! Storage: running sums per (site, period, metric, bucket), report counts,
//! and report ids for the replay window.
//!
//! One code path for both databases through sqlx's `Any` driver: SQLite (a
//! file in WAL mode, the embedded default) and PostgreSQL (for several
//! collector processes). The SQL is portable (`$N` parameters, `ON CONFLICT`,
//! `RETURNING`), and the schema comes from the versioned migrations in
//! `collector/migrations/`.
//!
//! Exactly once: a batch is one transaction. It first inserts the report ids
//! (`ON CONFLICT DO NOTHING RETURNING id`): an id that is already there (or that
//! a concurrent transaction in another process is inserting, which makes this
//! one wait for it) does not come back and is a duplicate. Only the ids that came
//! back are added to the sums, in the same transaction, so a crash or a
//! rollback loses both or neither. Rows are always touched in one global order
//! (ids sorted, then counts, then buckets, each sorted) so two transactions
//! cannot deadlock.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, AssertSqlSafe, Executor, Row};

/// The versioned schema, embedded at build time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Which database is behind the pool (only the transaction start differs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A report that passed every check, reduced to what aggregation needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    /// Site id.
    pub site: String,
    /// UTC day, `YYYY-MM-DD`.
    pub period: String,
    /// Metric name.
    pub metric: String,
    /// The buckets whose bit is set.
    pub ones: Vec<u32>,
    /// The report id (for the replay window only).
    pub id: String,
}

/// What happened to one report of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Counted now.
    Accepted,
    /// Its id was already seen within the replay window: not counted again.
    Duplicate,
}

/// The sums for one period of one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodSums {
    /// UTC day, `YYYY-MM-DD`.
    pub period: String,
    /// Number of reports (n).
    pub reports: i64,
    /// Per bucket, how many reports had the bit set (length = domain).
    pub ones: Vec<i64>,
}

/// The database handle.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer at a time: queueing writers here, in order, keeps
    /// them out of SQLite's busy handler, whose sleeps make the latency tail long.
    /// (Other processes on the same file still meet the busy timeout.)
    sqlite_writer: Arc<tokio::sync::Mutex<()>>,
}

/// Errors from the database, with the URL's password never shown.
pub type StoreError = sqlx::Error;

/// How many rows go into one multi-row statement (well under both databases' parameter limits).
const ROWS_PER_STATEMENT: usize = 500;

impl Store {
    /// Opens (and for SQLite creates) the database and runs the migrations.
    pub async fn open(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend) = normalize_url(url)?;
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL: readers never block the writer. synchronous=NORMAL is
                        // durable across a killed process (the WAL is in the OS cache);
                        // only a power loss may drop the last transactions.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| sqlx::Error::Migrate(Box::new(e)))?;
        Ok(Store {
            pool,
            backend,
            sqlite_writer: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Counts a batch exactly once, in one transaction; retries on write conflicts.
    ///
    /// `reports` must not repeat an id (the caller marks in-batch repeats as duplicates).
    pub async fn ingest(
        &self,
        reports: &[Tally],
        received_day: i64,
    ) -> Result<Vec<Stored>, StoreError> {
        if reports.is_empty() {
            return Ok(Vec::new());
        }
        let mut attempt = 0;
        loop {
            match self.ingest_once(reports, received_day).await {
                Ok(r) => return Ok(r),
                Err(e) if attempt < 8 && is_transient(&e) => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(5 << attempt.min(6))).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn ingest_once(
        &self,
        reports: &[Tally],
        received_day: i64,
    ) -> Result<Vec<Stored>, StoreError> {
        let _writer = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().await),
            Backend::Postgres => None,
        };
        let mut tx = match self.backend {
            // Take the write lock up front so the busy timeout applies, instead of
            // failing when a read transaction tries to upgrade.
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };

        let mut ids: Vec<&str> = reports.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        let mut fresh: HashSet<String> = HashSet::with_capacity(ids.len());
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            let mut sql = String::from("INSERT INTO seen_report_ids (id, received_day) VALUES ");
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
            }
            sql.push_str(" ON CONFLICT (id) DO NOTHING RETURNING id");
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id).bind(received_day);
            }
            for row in q.fetch_all(&mut *tx).await? {
                fresh.insert(row.try_get::<String, _>(0)?);
            }
        }

        // Sums of the fresh reports, grouped and ordered.
        let mut counts: BTreeMap<(&str, &str, &str), i64> = BTreeMap::new();
        let mut buckets: BTreeMap<(&str, &str, &str, u32), i64> = BTreeMap::new();
        for r in reports.iter().filter(|r| fresh.contains(&r.id)) {
            let key = (r.site.as_str(), r.period.as_str(), r.metric.as_str());
            *counts.entry(key).or_default() += 1;
            for &b in &r.ones {
                *buckets.entry((key.0, key.1, key.2, b)).or_default() += 1;
            }
        }

        let counts: Vec<_> = counts.into_iter().collect();
        for chunk in counts.chunks(ROWS_PER_STATEMENT) {
            let mut sql =
                String::from("INSERT INTO report_counts (site, period, metric, reports) VALUES ");
            push_tuples(&mut sql, chunk.len(), 4);
            sql.push_str(
                " ON CONFLICT (site, period, metric) DO UPDATE SET reports = report_counts.reports + excluded.reports",
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for ((site, period, metric), n) in chunk {
                q = q.bind(*site).bind(*period).bind(*metric).bind(*n);
            }
            q.execute(&mut *tx).await?;
        }

        let buckets: Vec<_> = buckets.into_iter().collect();
        for chunk in buckets.chunks(ROWS_PER_STATEMENT) {
            let mut sql = String::from(
                "INSERT INTO bucket_sums (site, period, metric, bucket, ones) VALUES ",
            );
            push_tuples(&mut sql, chunk.len(), 5);
            sql.push_str(
                " ON CONFLICT (site, period, metric, bucket) DO UPDATE SET ones = bucket_sums.ones + excluded.ones",
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for ((site, period, metric, bucket), n) in chunk {
                q = q
                    .bind(*site)
                    .bind(*period)
                    .bind(*metric)
                    .bind(i64::from(*bucket))
                    .bind(*n);
            }
            q.execute(&mut *tx).await?;
        }

        tx.commit().await?;
        Ok(reports
            .iter()
            .map(|r| {
                if fresh.contains(&r.id) {
                    Stored::Accepted
                } else {
                    Stored::Duplicate
                }
            })
            .collect())
    }

    /// Forgets report ids received before `first_kept_day` (UTC day number); returns how many.
    pub async fn purge_ids_before(&self, first_kept_day: i64) -> Result<u64, StoreError> {
        let r = sqlx::query("DELETE FROM seen_report_ids WHERE received_day < $1")
            .bind(first_kept_day)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }

    /// How many report ids are remembered (for tests and `/metrics`).
    pub async fn remembered_ids(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM seen_report_ids")
            .fetch_one(&self.pool)
            .await
    }

    /// The sums for `site`/`metric` per period in `from..=to` (periods with no report are absent).
    pub async fn sums(
        &self,
        site: &str,
        metric: &str,
        domain: u32,
        from: &str,
        to: &str,
    ) -> Result<Vec<PeriodSums>, StoreError> {
        let rows = sqlx::query(
            "SELECT period, reports FROM report_counts \
             WHERE site = $1 AND metric = $2 AND period >= $3 AND period <= $4 ORDER BY period",
        )
        .bind(site)
        .bind(metric)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<PeriodSums> = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(PeriodSums {
                period: row.try_get(0)?,
                reports: row.try_get(1)?,
                ones: vec![0; domain as usize],
            });
        }
        let rows = sqlx::query(
            "SELECT period, bucket, ones FROM bucket_sums \
             WHERE site = $1 AND metric = $2 AND period >= $3 AND period <= $4",
        )
        .bind(site)
        .bind(metric)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            let period: String = row.try_get(0)?;
            let bucket: i64 = row.try_get(1)?;
            let ones: i64 = row.try_get(2)?;
            if let Ok(i) = out.binary_search_by(|p| p.period.as_str().cmp(&period)) {
                if let Some(slot) = out[i].ones.get_mut(bucket as usize) {
                    *slot = ones;
                }
            }
        }
        Ok(out)
    }

    /// Total accepted reports over everything (for tests and the load test).
    pub async fn total_reports(&self) -> Result<i64, StoreError> {
        let rows = sqlx::query("SELECT reports FROM report_counts")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| r.try_get::<i64, _>(0)).sum()
    }

    /// Total of all bucket sums (for tests: proves a rejected report changed nothing).
    pub async fn total_ones(&self) -> Result<i64, StoreError> {
        let rows = sqlx::query("SELECT ones FROM bucket_sums")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| r.try_get::<i64, _>(0)).sum()
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `($1, $2, …), (…)` for `rows` tuples of `width` parameters.
fn push_tuples(sql: &mut String, rows: usize, width: usize) {
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push(',');
            }
            n += 1;
            sql.push('$');
            sql.push_str(&n.to_string());
        }
        sql.push(')');
    }
}

/// Lock conflicts that a retry resolves: PostgreSQL serialization failure or
/// deadlock, a unique violation racing with `ON CONFLICT`, SQLite busy/locked.
fn is_transient(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            let code = db.code();
            let code = code.as_deref().unwrap_or("");
            matches!(code, "40001" | "40P01" | "5" | "6" | "517" | "261" | "262")
                || db.message().contains("database is locked")
        }
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

/// Picks the backend from the URL; for SQLite, creates the file's directory and
/// asks for the file to be created (`mode=rwc`).
fn normalize_url(url: &str) -> Result<(String, Backend), StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((url.to_string(), Backend::Postgres));
    }
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Err(sqlx::Error::Configuration(
            "database_url must start with sqlite: or postgres://".into(),
        ));
    };
    let path = rest.trim_start_matches("//");
    let file = path.split('?').next().unwrap_or("");
    if file.is_empty() {
        return Err(sqlx::Error::Configuration(
            "database_url sqlite: needs a file path".into(),
        ));
    }
    if file != ":memory:" {
        if let Some(dir) = Path::new(file).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
            }
        }
    }
    let url = if path.contains("mode=") {
        format!("sqlite://{path}")
    } else if path.contains('?') {
        format!("sqlite://{path}&mode=rwc")
    } else {
        format!("sqlite://{path}?mode=rwc")
    };
    Ok((url, Backend::Sqlite))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        assert_eq!(
            normalize_url("postgres://u@127.0.0.1/db").unwrap().1,
            Backend::Postgres
        );
        let (u, b) = normalize_url("sqlite:/tmp/inkling-test-dir/x.sqlite").unwrap();
        assert_eq!(b, Backend::Sqlite);
        assert_eq!(u, "sqlite:///tmp/inkling-test-dir/x.sqlite?mode=rwc");
        assert!(normalize_url("mysql://x").is_err());
        assert!(normalize_url("sqlite:").is_err());
    }

    #[test]
    fn tuples_number_parameters_in_order() {
        let mut s = String::new();
        push_tuples(&mut s, 2, 3);
        assert_eq!(s, "($1,$2,$3),($4,$5,$6)");
    }
}
