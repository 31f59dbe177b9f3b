// The in-page half of the benchmarks: everything timed runs here, in the browser, and
// returns raw timings (ms) to bench/run.mjs, which computes medians and percentiles.
import { makeCatalog, makeVisitor, NOW_MS, itemId, HISTORY_ITEMS } from "./gen.js";
import { ReferenceRanker, referenceProfile, weightsFromModelCard, WEIGHTS } from "./reference.js";

const LIMIT = 20;
const packages = new Map(); // url -> initialized module
const data = new Map(); // size -> { doc, json }

/** The generated catalog of `size` items, as an object and as a JSON string (made once). */
export function dataFor(size) {
  if (!data.has(size)) {
    const doc = makeCatalog(size);
    data.set(size, { doc, json: JSON.stringify(doc) });
  }
  return data.get(size);
}

const binaries = new Map(); // size -> Uint8Array

/**
 * The same catalog precompiled with `Inkling.compileCatalog` (bench/run.mjs compiles it in
 * Node and serves it, as a site would at build time), fetched once: the page's data.
 */
export async function binaryFor(size) {
  if (!binaries.has(size)) {
    const res = await fetch(`/bench-data/catalog-${size}.bin`);
    if (!res.ok) throw new Error(`no compiled catalog of ${size} items`);
    binaries.set(size, new Uint8Array(await res.arrayBuffer()));
  }
  return binaries.get(size);
}

/**
 * Imports and initializes a package's glue (`/pkg/web/inkling.js` or a variant). On a first
 * load, `times.imported` is when the import finished and init() (the wasm) began.
 */
export async function loadPackage(url, times = {}) {
  if (!packages.has(url)) {
    const mod = await import(url);
    times.imported = performance.now();
    await mod.default();
    packages.set(url, mod);
  }
  return packages.get(url);
}

/** Does this package have the API the benchmarks drive (issue 4)? */
export async function packageInfo(url) {
  try {
    const mod = await loadPackage(url);
    const api = typeof mod.Inkling === "function" && typeof mod.Inkling.open === "function";
    return { url, api, version: typeof mod.version === "function" ? mod.version() : null };
  } catch (e) {
    return { url, api: false, error: String(e) };
  }
}

/** Opens an Inkling for the benchmark visitor: consent, catalog, history, declarations. */
export function openVisitor(mod, catalog, { siteId = "bench", remember = false } = {}) {
  const ink = mod.Inkling.open({ siteId, policyVersion: "bench-1", halfLifeDays: 14 });
  ink.setConsent({ personalize: true, remember, measure: false });
  ink.loadCatalog(catalog);
  const visitor = makeVisitor();
  for (const e of visitor.events) ink.record(e);
  for (const [topic, pref] of visitor.declared) ink.declare(topic, pref);
  return ink;
}

const rankOptions = () => ({ limit: LIMIT, diversity: true, exclude: [], excludeSeen: true, now: NOW_MS });

/**
 * Ranking: for each size, the wasm package(s) and the JS reference rank the same catalog for
 * the same visitor, interleaved call by call (so a noisy neighbour hurts both alike), after a
 * warm-up. Also compares the top-20 ids of wasm and JS.
 */
export async function rankSuite({ sizes, calls, warmup, pkgs = { wasm: "/pkg/web/inkling.js" } }) {
  const out = [];
  const engines = [];
  for (const [name, url] of Object.entries(pkgs)) {
    const info = await packageInfo(url);
    if (info.api) engines.push({ name, mod: await loadPackage(url) });
  }
  for (const size of sizes) {
    const { doc } = dataFor(size);
    const n = typeof calls === "object" ? calls[size] : calls;
    const row = { size, calls: n, warmup, times: {}, top: {} };
    const runners = [];
    let profile = null;
    for (const { name, mod } of engines) {
      const ink = openVisitor(mod, doc, { siteId: `bench-${name}-${size}` });
      profile ??= referenceProfile(ink, doc, NOW_MS);
      runners.push({ name, run: () => ink.rank(rankOptions()), ink });
    }
    profile ??= referenceProfile(null, doc, NOW_MS);
    // The engine's own coefficients, from its model card, so both rank by the same formula.
    const weights = engines.length ? weightsFromModelCard(engines[0].mod.Inkling.modelCard()) : WEIGHTS;
    const ref = new ReferenceRanker(doc, weights);
    row.weights = weights;
    runners.push({ name: "js", run: () => ref.rank(profile, rankOptions()) });
    row.profile = { observed: profile.observedCount, declared: profile.declaredCount };
    for (const r of runners) {
      for (let i = 0; i < warmup; i++) r.run();
      row.times[r.name] = [];
      row.top[r.name] = r.run().map((x) => x.id);
    }
    for (let i = 0; i < n; i++) {
      // Alternate who goes first so neither always runs right after the other's garbage.
      const order = i % 2 ? runners : [...runners].reverse();
      for (const r of order) {
        const t0 = performance.now();
        const res = r.run();
        const t1 = performance.now();
        if (res.length === 0) throw new Error(`${r.name} ranked nothing for ${size} items`);
        row.times[r.name].push(t1 - t0);
      }
    }
    for (const r of runners) r.ink?.free?.();
    out.push(row);
  }
  return out;
}

/**
 * Startup for a returning visitor (their stored profile is already in localStorage): from
 * importing the glue and `init()` to the first `rank` result, with `loadCatalog` from a JSON
 * string, from an object, or from the precompiled bytes (`binaryFor`). The catalog is made
 * before the clock starts (it is the page's data, fetched or inlined). Returns the total and
 * its parts in ms.
 */
export async function startup({ size, mode, url = "/pkg/web/inkling.js", siteId = "bench-start" }) {
  const { doc, json } = dataFor(size);
  const catalog = mode === "json" ? json : mode === "binary" ? binaries.get(size) : doc;
  const warm = packages.has(url);
  const t0 = performance.now();
  // Importing the JS glue and init() (fetching and compiling the wasm) are timed apart, to
  // show which one a cold start waits for.
  const times = {};
  const mod = await loadPackage(url, times);
  const tImport = times.imported ?? t0;
  const t1 = performance.now();
  // Of init(), the time the wasm file was on the network (Resource Timing): the rest is
  // compiling and instantiating it.
  const fetched = performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm") && e.startTime >= tImport);
  const wasmFetch = fetched.length ? fetched[fetched.length - 1].responseEnd - fetched[fetched.length - 1].startTime : 0;
  const ink = mod.Inkling.open({ siteId, policyVersion: "bench-1", halfLifeDays: 14 });
  const t2 = performance.now();
  ink.loadCatalog(catalog);
  const t3 = performance.now();
  const top = ink.rank(rankOptions());
  const t4 = performance.now();
  const personalized = top.some((r) => r.reasons?.some((x) => x.source === "declared" || x.source === "observed"));
  ink.free?.();
  return { size, mode, warm, total: t4 - t0, import: tImport - t0, init: t1 - tImport, wasmFetch, open: t2 - t1, loadCatalog: t3 - t2, rank: t4 - t3, personalized, results: top.length };
}

/** Prepares the returning visitor of `startup`: their profile, remembered in localStorage. */
export async function rememberVisitor({ size, url = "/pkg/web/inkling.js", siteId = "bench-start" }) {
  const mod = await loadPackage(url);
  const ink = openVisitor(mod, dataFor(size).doc, { siteId, remember: true });
  ink.free?.();
  const stored = {};
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    stored[k] = localStorage.getItem(k);
  }
  return stored;
}

/**
 * Profile update: `record` of one view, with `remember` on (the profile is written to
 * localStorage by the call) and off (memory only), interleaved. Checks the stored document
 * really changed.
 */
export async function profileUpdate({ size, calls, url = "/pkg/web/inkling.js" }) {
  const mod = await loadPackage(url);
  const { doc } = dataFor(size);
  const kept = openVisitor(mod, doc, { siteId: "bench-update-kept", remember: true });
  const memory = openVisitor(mod, doc, { siteId: "bench-update-memory", remember: false });
  const key = "inkling:bench-update-kept";
  const before = localStorage.getItem(key);
  const times = { persisted: [], memory: [] };
  for (let i = 0; i < calls; i++) {
    // Views of items beyond the history, one a minute after "now", cycling through the catalog.
    const e = { type: "view", item: itemId(HISTORY_ITEMS + ((i * 7919) % (size - HISTORY_ITEMS))), at: NOW_MS + i * 60_000 };
    for (const [name, ink] of i % 2 ? [["persisted", kept], ["memory", memory]] : [["memory", memory], ["persisted", kept]]) {
      const t0 = performance.now();
      ink.record(e);
      times[name].push(performance.now() - t0);
    }
  }
  const after = localStorage.getItem(key);
  const storedBytes = after ? after.length : 0;
  kept.free?.();
  memory.free?.();
  return { size, calls, times, stored: before !== after && after !== null, storedBytes };
}

/** Medians of a rankSuite result (for the hand-opened page). */
export function summarize(rows) {
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return rows.map((r) => ({ size: r.size, ...Object.fromEntries(Object.entries(r.times).map(([k, v]) => [k + " ms", +med(v).toFixed(3)])) }));
}

/** Sets up `window.benchTask(kind)` for bench/profile.mjs: repeated rank or loadCatalog calls. */
export async function prepareProfile({ size, url = "/pkg/web/inkling.js" }) {
  const mod = await loadPackage(url);
  const { doc, json } = dataFor(size);
  const ink = openVisitor(mod, doc, { siteId: `bench-profile-${size}` });
  const profile = referenceProfile(ink, doc, NOW_MS);
  const ref = new ReferenceRanker(doc, weightsFromModelCard(mod.Inkling.modelCard()));
  self.benchTask = (kind, times) => {
    for (let i = 0; i < times; i++) {
      if (kind === "rank") ink.rank(rankOptions());
      else if (kind === "rank-js") ref.rank(profile, rankOptions());
      else if (kind === "load-json") ink.loadCatalog(json);
      else if (kind === "load-object") ink.loadCatalog(doc);
      else if (kind === "record") ink.record({ type: "view", item: itemId(HISTORY_ITEMS + i), at: NOW_MS + i });
    }
  };
  return true;
}
