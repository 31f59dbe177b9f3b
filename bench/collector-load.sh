#!/usr/bin/env bash
# Runs the collector's own load test (written with the collector, under collector/) against
# loopback and keeps the JSON it prints as $1. Without a load test in the tree it says so and
# writes nothing (the tables then show no collector row).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-bench/results/collector.json}

if [ -f collector/examples/loadtest.rs ]; then
  RUN=(cargo run --release --quiet -p inkling-collector --example loadtest --)
elif grep -q 'name = "loadtest"' collector/Cargo.toml 2>/dev/null; then
  RUN=(cargo run --release --quiet -p inkling-collector --bin loadtest --)
else
  echo "collector: no load test under collector/ yet (examples/loadtest.rs or a loadtest binary): skipped"
  rm -f "$OUT"
  exit 0
fi
"${RUN[@]}" | tee "$OUT.txt"
# The load test prints JSON (one document, possibly after progress lines): keep the last JSON value.
node -e '
const t = require("fs").readFileSync(process.argv[1], "utf8");
const start = t.search(/^[\[{]/m);
if (start < 0) { console.error("collector: the load test printed no JSON"); process.exit(1); }
const doc = JSON.parse(t.slice(start));
require("fs").writeFileSync(process.argv[2], JSON.stringify(doc, null, 2) + "\n");
' "$OUT.txt" "$OUT"
