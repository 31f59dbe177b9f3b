#!/usr/bin/env node
// Where the time goes: runs one benchmark task in headless Chromium under the V8 sampling
// profiler (Chrome DevTools Protocol) and prints the functions with the most self time. Wasm
// functions show their Rust names when the package keeps its name section (build it without
// --strip-debug, e.g. the "no wasm-opt" size variant).
//
//   node bench/profile.mjs [--pkg DIR] [--size 100000] [--task rank|rank-js|load-json|load-object|record] [--times 50]
//                          [--out FILE.cpuprofile]   (open in Chrome DevTools for a flame chart)
import { chromium } from "playwright-core";
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumArgs } from "../playwright.config.js";
import { serve } from "./serve.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : d;
};
const PKG = resolve(opt("--pkg", join(ROOT, "pkg")));
const SIZE = Number(opt("--size", "100000"));
const TASK = opt("--task", "rank");
const TIMES = Number(opt("--times", "50"));
const OUT = opt("--out", null);

const server = await serve({ "/bench/": join(ROOT, "bench"), "/pkg/": PKG });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(600_000);
  await page.goto(`${server.url}/bench/index.html`);
  await page.waitForFunction(() => document.body.dataset.ready === "true");
  await page.evaluate((a) => inklingBench.prepareProfile(a), { size: SIZE });
  await page.evaluate(([k, n]) => benchTask(k, n), [TASK, 5]); // warm-up
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  await cdp.send("Profiler.start");
  const t0 = Date.now();
  await page.evaluate(([k, n]) => benchTask(k, n), [TASK, TIMES]);
  const wall = Date.now() - t0;
  const { profile } = await cdp.send("Profiler.stop");
  if (OUT) writeFileSync(OUT, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] || 0;
    const cf = byId.get(id).callFrame;
    const name = `${cf.functionName || "(anonymous)"} ${cf.url ? "(" + cf.url.split("/").pop() + ")" : ""}`.trim();
    self.set(name, (self.get(name) || 0) + dt);
    total += dt;
  });
  console.log(`profile: ${TASK} × ${TIMES} on ${SIZE} items: ${wall} ms wall, ${(wall / TIMES).toFixed(2)} ms per call`);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20))
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000 / TIMES).toFixed(3).padStart(8)} ms/call  ${name}`);
} finally {
  await browser.close();
  await server.close();
}
