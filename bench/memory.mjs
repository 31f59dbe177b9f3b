#!/usr/bin/env node
// The module's memory when a page loads its catalog again and again: WebAssembly memory only
// grows, so what a reload leaves behind stays for the page's life. For the benchmark's
// catalogs (bench/gen.js) of 10k and 100k items, as JSON text and compiled, prints the wasm
// memory after the first load and after RELOADS more into the same `Inkling`, in Node
// (the same engine as Chromium, V8). Each row runs in a fresh instance of the module.
//
//   node bench/memory.mjs [--out FILE.json] [--variant NAME=PKG_DIR ...]
//
// PKG_DIR is a package's output directory (with web/inkling.js), as bench/run.mjs takes it:
// each variant is measured beside the package on the same catalogs.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, opt, variants } from "./cli.mjs";
import { makeCatalog } from "./gen.js";

const SIZES = [10_000, 100_000];
const RELOADS = 30;

const out = opt("--out");
const builds = [
  { name: "package", web: resolve(ROOT, "pkg/web") },
  ...variants("usage: node bench/memory.mjs [--out FILE.json] [--variant NAME=PKG_DIR ...]").map(([name, dir]) => ({ name, web: resolve(dir, "web") })),
];

let instances = 0;
/** A fresh instance of a package's module: its own wasm memory. */
async function fresh(web) {
  // A different query string is a different module record, so the glue's state is new too.
  const mod = await import(`${pathToFileURL(resolve(web, "inkling.js"))}?instance=${++instances}`);
  const exports = mod.initSync({ module: readFileSync(resolve(web, "inkling_bg.wasm")) });
  const memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
  return { mod, mb: () => memory.buffer.byteLength / 2 ** 20 };
}

const rows = [];
for (const size of SIZES) {
  const json = JSON.stringify(makeCatalog(size));
  // Compiled once by the package, so every build loads the very same bytes.
  const compiled = (await fresh(builds[0].web)).mod.Inkling.compileCatalog(json);
  for (const [as, catalog] of [["JSON text", json], ["compiled", compiled]]) {
    for (const build of builds) {
      const { mod, mb } = await fresh(build.web);
      const ink = mod.Inkling.open({ siteId: "bench-memory", policyVersion: "1" });
      const before = mb();
      ink.loadCatalog(catalog);
      const first = mb();
      for (let i = 0; i < RELOADS; i++) ink.loadCatalog(catalog);
      if (ink.status().catalogItems !== size) throw new Error(`${build.name}: the catalog did not load`);
      rows.push({ build: build.name, size, as, reloads: RELOADS, beforeMB: before, firstMB: first, afterMB: mb() });
      ink.free();
    }
  }
}

const mbs = (x) => `${x.toFixed(1)} MB`;
console.log(`| catalog | as | build | wasm memory after one load | after ${RELOADS} more |`);
console.log("|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.size / 1000}k items | ${r.as} | ${r.build} | ${mbs(r.firstMB)} | ${mbs(r.afterMB)} |`);
}
if (out) writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
