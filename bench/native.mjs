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
  // A benchmark's name starts a line (criterion puts "time:" on the same line or the next);
  // other unindented lines are the bench's own notes ("memory: ...") or cargo's progress.
  const head = line.replace(/\s+time:.*$/, "").trim();
  if (/^\S/.test(line) && head && !/: /.test(head) && !/^(Benchmarking|Found|Gnuplot|Running|Compiling|Finished|warning|Warning|WARNING)\b/.test(head)) name = head;
  if (time && name) {
    const ms = (i) => Number(time[i]) * UNIT[time[i + 1]];
    const size = sizeOf(name);
    benches.push({ name, size, vectors: /vec/i.test(name), low: ms(1), ms: ms(3), high: ms(5) });
    name = null;
  }
}
// CPU time per call, which the bench prints itself: less sensitive to other work on the machine.
const cpu = [];
for (const m of text.matchAll(/cpu time: rank top (\d+) of (\d+) items, ([^:]+): ([\d.]+) ms per call, ([\d.]+) M items\/s/g))
  cpu.push({ limit: Number(m[1]), size: Number(m[2]), kind: m[3], ms: Number(m[4]), mItemsPerSecond: Number(m[5]) });
// Lines the bench prints itself (e.g. "items per second"), kept verbatim for the notes.
const printed = text.split("\n").filter((l) => /per second|items\/s|memory|resident|VmHWM|overlap|quantiz/i.test(l)).map((l) => l.trim());
console.log(JSON.stringify({ benches, cpu, printed }, null, 2));

function sizeOf(n) {
  const m = n.match(/(\d+)(k?)(?!.*\d)/i) || n.match(/(\d+)(k?)/i);
  if (!m) return null;
  return Number(m[1]) * (m[2] ? 1000 : 1);
}
