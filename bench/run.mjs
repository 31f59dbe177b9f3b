#!/usr/bin/env node
// Runs the browser benchmarks in one headless Chromium (so the ratios hold on a noisy
// machine), folds in the native, collector and size figures that scripts/bench measured
// before, prints the tables and writes everything as JSON (and Markdown) to bench/results/.
//
//   node bench/run.mjs [--quick] [--pkg DIR] [--simd DIR] [--results DIR]
//
// --pkg DIR    the package to measure (default pkg/; DIR holds web/inkling.js + web/inkling_bg.wasm)
// --simd DIR   also rank with a SIMD build of the package (same layout as --pkg)
// --variant NAME=DIR  also rank with another build (repeatable; e.g. opt-level 3), same layout
// --quick      fewer calls and trials (a smoke run; the figures are not for BENCHMARKS.md)
// --startup-only N  only the startup measurement, N trials per mode (e.g. 21 for a steadier p95)
// --startup-variants  also start every --variant build, in fresh contexts alternating with the
//              package trial by trial (cold starts are too noisy to compare across runs)
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { cpus, totalmem, release, loadavg } from "node:os";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromiumArgs } from "../playwright.config.js";
import { serve } from "./serve.mjs";
import { summary } from "./stats.mjs";
import { render } from "./report.mjs";
import { ROOT, args, opt, variants } from "./cli.mjs";

const QUICK = args.includes("--quick");
const RESULTS = resolve(opt("--results") || join(ROOT, "bench/results"));
const SIMD = opt("--simd");
const PKG = resolve(opt("--pkg") || join(ROOT, "pkg"));
const VARIANTS = variants("usage: node bench/run.mjs [options] (see the top of the file); --variant takes NAME=DIR");
if (SIMD) VARIANTS.unshift(["simd", SIMD]);
const SIZES = [1000, 10000, 100000];
const CALLS = QUICK ? { 1000: 50, 10000: 50, 100000: 50 } : { 1000: 400, 10000: 200, 100000: 80 };
const WARMUP = QUICK ? 5 : 20;
const STARTUP_ONLY = opt("--startup-only");
const START_TRIALS = STARTUP_ONLY ? Number(STARTUP_ONLY) : QUICK ? 2 : 7;
const STARTUP_VARIANTS = args.includes("--startup-variants");
const START_SIZE = 10000;
const UPDATE_CALLS = QUICK ? 50 : 300;

mkdirSync(RESULTS, { recursive: true });
const log = (...a) => console.error("bench:", ...a);

function machine() {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) || [])[1] || cpus()[0]?.model || "unknown";
  const mhz = (cpuinfo.match(/^cpu MHz\s*:\s*(.*)$/m) || [])[1];
  const flags = (cpuinfo.match(/^flags\s*:\s*(.*)$/m) || [])[1] || "";
  return {
    cpu: model.trim(),
    mhz: mhz ? Math.round(Number(mhz)) : null,
    avx2: flags.split(" ").includes("avx2"),
    cores: cpus().length,
    memoryGB: +(totalmem() / 2 ** 30).toFixed(1),
    kernel: release(),
    node: process.version,
    loadAverageAtStart: loadavg().map((x) => +x.toFixed(2)), // 1, 5, 15 min: other work on the machine
  };
}

const readJson = (name) => {
  const p = join(RESULTS, name);
  return existsSync(p) ? JSON.parse(readFileSync(p, "utf8")) : null;
};

/**
 * Compiles the startup catalog with the package's `Inkling.compileCatalog`, in Node, as a
 * site would at build time; the page fetches it from /bench-data/. Returns the directory,
 * or null when the package has no compileCatalog.
 */
async function compileStartupCatalog(size) {
  const glue = await import(pathToFileURL(join(PKG, "web/inkling.js")).href);
  if (typeof glue.Inkling?.compileCatalog !== "function") return null;
  glue.initSync({ module: readFileSync(join(PKG, "web/inkling_bg.wasm")) });
  const { makeCatalog } = await import("./gen.js");
  const dir = join(tmpdir(), "inkling-bench-data");
  mkdirSync(dir, { recursive: true });
  const bytes = glue.Inkling.compileCatalog(JSON.stringify(makeCatalog(size)));
  writeFileSync(join(dir, `catalog-${size}.bin`), bytes);
  log(`startup: compiled the ${size}-item catalog: ${bytes.length} bytes`);
  return dir;
}

async function main() {
  const mounts = { "/bench/": join(ROOT, "bench"), "/pkg/": PKG };
  const binaryDir = await compileStartupCatalog(START_SIZE);
  if (binaryDir) mounts["/bench-data/"] = binaryDir;
  for (const [name, dir] of VARIANTS) mounts[`/pkg-${name}/`] = resolve(dir);
  const server = await serve(mounts);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
  const result = {
    date: new Date().toISOString(),
    quick: QUICK,
    machine: machine(),
    browser: `Chromium ${browser.version()}`,
    url: server.url,
  };
  log(`${result.machine.cpu}, ${result.machine.cores} cores, ${result.browser}`);
  const PAGE = `${server.url}/bench/index.html`;
  const openPage = async (context) => {
    const page = await context.newPage();
    page.setDefaultTimeout(600_000);
    page.on("pageerror", (e) => log("page error:", e.message));
    await page.goto(PAGE);
    await page.waitForFunction(() => document.body.dataset.ready === "true");
    return page;
  };

  try {
    // ---- what is being measured ---------------------------------------------------------
    const ctx = await browser.newContext();
    const page = await openPage(ctx);
    result.crossOriginIsolated = await page.evaluate(() => self.crossOriginIsolated);
    const info = await page.evaluate((u) => inklingBench.packageInfo(u), "/pkg/web/inkling.js");
    result.package = info;
    const pkgs = info.api ? { wasm: "/pkg/web/inkling.js" } : {};
    if (!info.api) log("WARNING: pkg/web has no Inkling API yet: only the JS reference is measured");
    if (info.api) for (const [name] of VARIANTS) pkgs[name] = `/pkg-${name}/web/inkling.js`;

    // ---- ranking: wasm vs the JS reference, interleaved -----------------------------------
    if (!STARTUP_ONLY) {
      log(`ranking ${SIZES.join(", ")} items, top 20, calls ${JSON.stringify(CALLS)} after ${WARMUP} warm-up`);
      const rows = await page.evaluate((a) => inklingBench.rankSuite(a), { sizes: SIZES, calls: CALLS, warmup: WARMUP, pkgs });
      result.rank = rows.map((r) => {
        const stats = Object.fromEntries(Object.entries(r.times).map(([k, v]) => [k, summary(v)]));
        const agree = {};
        for (const k of Object.keys(r.top)) if (k !== "js") agree[k] = sameIds(r.top[k], r.top.js);
        return { size: r.size, calls: r.calls, warmup: r.warmup, profile: r.profile, weights: r.weights, stats, agree, top: r.top, samples: r.times };
      });
      for (const r of result.rank)
        for (const [k, ok] of Object.entries(r.agree))
          if (!ok.equal) log(`WARNING: top-20 of ${k} and the JS reference differ at ${r.size} items (${ok.common}/20 shared, first difference at rank ${ok.firstDiff + 1})`);
    }

    // ---- profile update: record + persist ----------------------------------------------
    if (info.api && !STARTUP_ONLY) {
      log(`profile update: ${UPDATE_CALLS} record() calls, remembered vs memory`);
      const u = await page.evaluate((a) => inklingBench.profileUpdate(a), { size: START_SIZE, calls: UPDATE_CALLS });
      result.update = { size: u.size, calls: u.calls, stored: u.stored, storedBytes: u.storedBytes, persisted: summary(u.times.persisted), memory: summary(u.times.memory) };
    }
    await ctx.close();

    // ---- startup: cold (fresh context: empty HTTP and code cache), warm reload, warm in page --
    if (info.api) {
      log(`startup: ${START_TRIALS} trials per mode, ${START_SIZE} items`);
      const prep = await browser.newContext();
      const prepPage = await openPage(prep);
      const stored = await prepPage.evaluate((a) => inklingBench.rememberVisitor(a), { size: START_SIZE });
      await prep.close();
      const storageState = { cookies: [], origins: [{ origin: server.url, localStorage: Object.entries(stored).map(([name, value]) => ({ name, value })) }] };
      const samples = [];
      const modes = binaryDir ? ["json", "object", "binary"] : ["json", "object"];
      // The package, then (with --startup-variants) each variant, in reverse order every other
      // trial, so neither side always runs first.
      const starters = [["wasm", "/pkg/web/inkling.js"]];
      if (STARTUP_VARIANTS) for (const [name] of VARIANTS) starters.push([name, `/pkg-${name}/web/inkling.js`]);
      for (let t = 0; t < START_TRIALS; t++) {
        for (const mode of modes) {
          for (const [pkg, url] of t % 2 ? [...starters].reverse() : starters) {
            const c = await browser.newContext({ storageState });
            let p = await openPage(c);
            const run = async (kind) => {
              await p.evaluate((s) => void inklingBench.dataFor(s), START_SIZE); // the page's data, before the clock
              if (mode === "binary") await p.evaluate((s) => inklingBench.binaryFor(s).then(() => {}), START_SIZE);
              const s = await p.evaluate((a) => inklingBench.startup(a), { size: START_SIZE, mode, url });
              samples.push({ pkg, kind, ...s });
            };
            await run("cold");
            await p.reload();
            await p.waitForFunction(() => document.body.dataset.ready === "true");
            await run("warm-reload");
            await run("warm-in-page");
            await c.close();
          }
        }
      }
      const startupOf = (pkg) => {
        const out = {};
        for (const kind of ["cold", "warm-reload", "warm-in-page"])
          for (const mode of modes) {
            const s = samples.filter((x) => x.pkg === pkg && x.kind === kind && x.mode === mode);
            const part = (k) => summary(s.map((x) => x[k])).median;
            out[`${kind}/${mode}`] = {
              total: summary(s.map((x) => x.total)),
              parts: { import: part("import"), init: part("init"), wasmFetch: part("wasmFetch"), open: part("open"), loadCatalog: part("loadCatalog"), rank: part("rank") },
              personalized: s.every((x) => x.personalized),
            };
          }
        return out;
      };
      const byBuild = Object.fromEntries(starters.map(([pkg]) => [pkg, startupOf(pkg)]));
      result.startup = byBuild.wasm;
      if (starters.length > 1) result.startupVariants = byBuild;
    }
  } finally {
    await browser.close();
    await server.close();
  }

  // ---- figures measured before the browser run, by scripts/bench ------------------------
  result.machine.loadAverageAtEnd = loadavg().map((x) => +x.toFixed(2));
  result.native = readJson("native.json");
  result.nativeSameData = readJson("native-same-data.json");
  for (const r of result.rank || []) {
    const nat = result.nativeSameData?.sameData?.find((x) => x.size === r.size);
    if (nat) r.agree.native = sameIds(nat.top, r.top.js);
  }
  result.collector = readJson("collector.json");
  result.sizes = readJson("sizes.json");
  result.sizesPersonalize = readJson("sizes-personalize.json");
  result.sizeVariants = readJson("size-variants.json");

  const stamp = result.date.replace(/[:.]/g, "-");
  writeFileSync(join(RESULTS, `bench-${stamp}.json`), JSON.stringify(result, null, 2) + "\n");
  writeFileSync(join(RESULTS, "latest.json"), JSON.stringify(result, null, 2) + "\n");
  const md = render(result);
  writeFileSync(join(RESULTS, "latest.md"), md);
  console.log(md);
  log(`results written to ${RESULTS}/latest.json and latest.md`);
}

/** Whether two id lists agree, and where they first differ. */
function sameIds(a, b) {
  let firstDiff = -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) { firstDiff = i; break; }
  const common = a.filter((x) => b.includes(x)).length;
  return { equal: firstDiff < 0, firstDiff, common };
}

main().catch((e) => {
  console.error("bench: FAILED:", e);
  process.exit(1);
});
