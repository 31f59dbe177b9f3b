#!/usr/bin/env bash
# Runs the collector's own load test (collector/src/bin/inkling-loadtest.rs: report ingest on
# loopback, bounded in time, SQLite and PostgreSQL) and keeps its JSON summary as $1.
# Without the load test in the tree it says so and writes nothing (no collector rows then).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-bench/results/collector.json}
SECONDS_PER_BACKEND=${BENCH_COLLECTOR_SECONDS:-10}

if [ ! -f collector/src/bin/inkling-loadtest.rs ]; then
  echo "collector: no load test in the tree (collector/src/bin/inkling-loadtest.rs): skipped"
  rm -f "$OUT"
  exit 0
fi
cargo build --release --quiet -p inkling-collector --bin inkling-loadtest
"${CARGO_TARGET_DIR:-target}/release/inkling-loadtest" --seconds "$SECONDS_PER_BACKEND" --json "$OUT"
