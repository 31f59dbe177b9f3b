#!/usr/bin/env node
// Reads the text output of `cargo bench --bench rank` (criterion) and prints JSON: one entry
// per benchmark with its low / median / high estimate in ms, the catalog size read from the
// name (10000, 100k, ...) and whether it used vectors.
//
//   node bench/native.mjs native.txt > native.json
import { readFileSync } from "node:fs";

const UNIT = { ps: 1e-9, ns: 1e-6, "µs": 1e-3, "μs": 1e-3, us: 1e-3, ms: 1, s: 1000 };
const text = readFileSync(process.argv[2], "utf8");
const benches = [];
let name = null;
for (const line of text.split("\n")) {
  const time = line.match(/time:\s+\[([\d.]+)\s*(\S+)\s+([\d.]+)\s*(\S+)\s+([\d.]+)\s*(\S+)\]/);
  const head = line.match(/^(\S[^\s]*)(\s+time:|\s*$)/);
  if (head && !/^(Benchmarking|Found|Gnuplot|Running|Compiling|Finished|warning|WARNING|change:|Performance|No change)/.test(line)) name = head[1];
  if (time && name) {
    const ms = (i) => Number(time[i]) * UNIT[time[i + 1]];
    const size = sizeOf(name);
    benches.push({ name, size, vectors: /vec/i.test(name), low: ms(1), ms: ms(3), high: ms(5) });
    name = null;
  }
}
// Lines the bench prints itself (e.g. "items per second"), kept verbatim for the notes.
const printed = text.split("\n").filter((l) => /per second|items\/s|memory|resident|VmHWM|overlap|quantiz/i.test(l)).map((l) => l.trim());
console.log(JSON.stringify({ benches, printed }, null, 2));

function sizeOf(n) {
  const m = n.match(/(\d+)(k?)(?!.*\d)/i) || n.match(/(\d+)(k?)/i);
  if (!m) return null;
  return Number(m[1]) * (m[2] ? 1000 : 1);
}
