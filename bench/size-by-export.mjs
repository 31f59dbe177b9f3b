#!/usr/bin/env node
// What each part of the JavaScript API costs in the download: removes the wasm exports of
// one method (or one group of methods) from wasm-bindgen's output, lets the package's
// wasm-opt drop the code nothing reaches any more, and measures the wasm gzipped against
// the same build with every export kept. Answers "what would leaving X out of the default
// bundle save", for the size budget, before anyone writes the cfg gates to do it. The
// figures are lower bounds: a cfg gate also lets LLVM drop what only the left-out code
// inlined or reached (measurement: 5.9 KB here, 14.3 KB gated; BENCHMARKS.md, "Size").
//
//   node bench/size-by-export.mjs [--wasm FILE.wasm] [--out FILE.json]
//
// The wasm is the cargo build scripts/build made (by default, where it writes it). The glue is not
// counted: it shrinks a little with each method, so the figures are slightly low.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { optimize } from "../scripts/wasm-opt.mjs";
import { cursor, leb, sections } from "../scripts/wasm-read.mjs";
import { ROOT, args, opt } from "./cli.mjs";

const TARGET_DIR = process.env.CARGO_TARGET_DIR || join(ROOT, "target");
const WASM = resolve(opt("--wasm") || join(TARGET_DIR, "wasm32-unknown-unknown/wasm/inkling.wasm"));
const OUT = opt("--out");

// Groups a product decision would move together; every single method is measured too.
const GROUPS = {
  "measurement (configureMeasurement, pendingReports, privacyBudget, flush)": [
    "configureMeasurement", "pendingReports", "privacyBudget", "flush",
  ],
  "explanations (explain, modelCard)": ["explain", "modelCard"],
  "profile editing (declare, mute, unmute, forget, undo, pause)": ["declare", "mute", "unmute", "forget", "undo", "pause"],
  "profile portability (exportProfile, importProfile)": ["exportProfile", "importProfile"],
};
// What is left when only the calls a page needs to rank with consent remain.
const CORE = ["open", "setConsent", "consent", "loadCatalog", "record", "rank", "status", "erase", "profile"];

const work = mkdtempSync(join(tmpdir(), "inkling-size-by-export-"));
execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", work, "--out-name", "inkling", WASM], { stdio: "inherit" });
const input = readFileSync(join(work, "inkling_bg.wasm"));

/** The module with the exports whose names are in `drop` left out. */
function withoutExports(b, drop) {
  const parts = [b.subarray(0, 8)];
  for (const { id, start, body, end } of sections(b)) {
    if (id !== 7) {
      parts.push(b.subarray(start, end));
      continue;
    }
    const c = cursor(b, body);
    const kept = [];
    for (let n = c.leb(); n > 0; n--) {
      const from = c.p;
      const name = c.str();
      c.byte();
      c.leb();
      if (!drop.has(name)) kept.push(b.subarray(from, c.p));
    }
    const content = Buffer.concat([leb(kept.length), ...kept]);
    parts.push(Buffer.from([7]), leb(content.length), content);
  }
  return Buffer.concat(parts);
}

const exportNames = WebAssembly.Module.exports(new WebAssembly.Module(input)).map((e) => e.name);
const method = (m) => exportNames.filter((n) => n === `inkling_${m}` || n === m);
const methods = exportNames.filter((n) => n.startsWith("inkling_")).map((n) => n.slice("inkling_".length));

function gzipWithout(names) {
  const file = join(work, "variant.wasm");
  writeFileSync(file, withoutExports(input, new Set(names)));
  optimize(file);
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

const kb = (n) => (n / 1024).toFixed(1) + " KB";
const all = gzipWithout([]);
const rows = [];
const measure = (label, names) => {
  const size = gzipWithout(names);
  rows.push({ label, removed: names, wasmGzip: size, saved: all - size });
  console.error(`size-by-export: ${label}: ${kb(size)} (−${kb(all - size)})`);
};
for (const m of methods) measure(m, method(m));
for (const [label, ms] of Object.entries(GROUPS)) measure(label, ms.flatMap(method));
measure(`only what ranking with consent needs (${CORE.join(", ")})`, methods.filter((m) => !CORE.includes(m)).flatMap(method));
rmSync(work, { recursive: true, force: true });

console.log(`\n### What each API method costs (wasm gzip, everything kept: ${kb(all)})\n`);
console.log("| left out | wasm gzip | saved |\n|---|---|---|");
for (const r of rows) console.log(`| ${r.label} | ${kb(r.wasmGzip)} | ${kb(r.saved)} |`);
if (OUT) writeFileSync(OUT, JSON.stringify({ wasm: WASM, allKept: all, rows }, null, 2));
