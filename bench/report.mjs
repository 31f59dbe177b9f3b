// Renders a benchmark result (bench/run.mjs) as the Markdown tables of BENCHMARKS.md.
import { fmtMs } from "./stats.mjs";

const kb = (n) => (n / 1024).toFixed(1) + " KB";
const table = (head, rows) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
const k = (n) => (n >= 1000 ? n / 1000 + "k" : String(n));

/** Native median (ms) for `size` items on the same data (bench/native), if measured. */
function nativeFor(r, size) {
  const b = r.nativeSameData?.sameData?.find((x) => x.size === size);
  return b ? b.rank.median : null;
}

/** How each startup mode hands the catalog to `loadCatalog`, as the tables say it. */
const CATALOG_AS = { json: "JSON string", object: "object", binary: "compiled (Uint8Array)" };

export function render(r) {
  const out = [];
  const m = r.machine;
  out.push(`Measured ${r.date.slice(0, 10)} on ${m.cpu} (${m.cores} cores${m.mhz ? `, ${m.mhz} MHz` : ""}, ${m.memoryGB} GB), ` +
    `${r.browser} headless, Node ${m.node}, Linux ${m.kernel}${r.quick ? " — QUICK RUN, not for the record" : ""}.` +
    ` Page cross-origin isolated: ${r.crossOriginIsolated ? "yes (5 µs timer)" : "no (100 µs timer)"}.` +
    (m.loadAverageAtStart ? ` Load average (1 min) ${m.loadAverageAtStart[0]} at the start, ${m.loadAverageAtEnd?.[0]} at the end of the browser run.` : ""));

  if (r.rank) {
    out.push("", "### Ranking (top 20, 8 topics per item out of 500, 30 observed + 5 declared topics)", "");
    const engines = Object.keys(r.rank[0].stats).filter((x) => x !== "js");
    const head = ["items", "calls"];
    for (const e of engines) head.push(`${e} median`, `${e} p95`);
    head.push("JS ref median", "JS ref p95");
    for (const e of engines) head.push(`JS / ${e}`);
    head.push("native median", "wasm / native", "top-20 same as JS");
    const rows = r.rank.map((row) => {
      const cells = [k(row.size), String(row.calls)];
      for (const e of engines) cells.push(fmtMs(row.stats[e].median), fmtMs(row.stats[e].p95));
      cells.push(fmtMs(row.stats.js.median), fmtMs(row.stats.js.p95));
      for (const e of engines) cells.push((row.stats.js.median / row.stats[e].median).toFixed(2) + "×");
      const nat = nativeFor(r, row.size);
      cells.push(nat == null ? "not measured" : fmtMs(nat));
      cells.push(nat == null || !row.stats.wasm ? "—" : (row.stats.wasm.median / nat).toFixed(2) + "×");
      cells.push(Object.entries(row.agree).map(([e, a]) => (a.equal ? `${e}: yes` : `${e}: NO (${a.common}/20)`)).join(", ") || "—");
      return cells;
    });
    out.push(table(head, rows));
    for (const row of r.rank)
      for (const [e, a] of Object.entries(row.agree))
        if (!a.equal) out.push("", `**WARNING**: at ${k(row.size)} items the top 20 of ${e} and the JS reference differ (${a.common}/20 shared, first difference at rank ${a.firstDiff + 1}).`);
  }

  if (r.startup) {
    out.push("", `### Startup, 10k items, returning visitor (profile in localStorage): init() → first rank`, "");
    const rows = Object.entries(r.startup).map(([key, s]) => {
      const [kind, mode] = key.split("/");
      return [kind, CATALOG_AS[mode], String(s.total.n), fmtMs(s.total.median), fmtMs(s.total.p95),
        fmtMs(s.parts.import), fmtMs(s.parts.init), fmtMs(s.parts.wasmFetch), fmtMs(s.parts.open), fmtMs(s.parts.loadCatalog), fmtMs(s.parts.rank), s.personalized ? "yes" : "NO"];
    });
    out.push(table(["start", "catalog as", "trials", "total median", "total p95", "import glue", "init()", "of which wasm on the network", "open", "loadCatalog", "rank", "personalized"], rows));
  }

  if (r.startupVariants) {
    out.push("", "### Startup side by side (fresh contexts, the builds alternating trial by trial)", "");
    const rows = [];
    for (const [pkg, st] of Object.entries(r.startupVariants))
      for (const [key, s] of Object.entries(st)) {
        if (key.startsWith("warm-in-page")) continue;
        const [kind, mode] = key.split("/");
        rows.push([pkg, kind, CATALOG_AS[mode], String(s.total.n), fmtMs(s.total.median), fmtMs(s.total.p95), fmtMs(s.parts.loadCatalog)]);
      }
    out.push(table(["build", "start", "catalog as", "trials", "total median", "total p95", "loadCatalog"], rows));
  }

  if (r.update) {
    const u = r.update;
    out.push("", `### Profile update: record() of one view (10k-item catalog, ${u.calls} calls)`, "");
    out.push(table(["profile", "median", "p95"], [
      ["remembered (written to localStorage by the call)", fmtMs(u.persisted.median), fmtMs(u.persisted.p95)],
      ["memory only", fmtMs(u.memory.median), fmtMs(u.memory.p95)],
    ]));
    out.push("", `Stored document after the run: ${u.storedBytes} characters; localStorage changed: ${u.stored ? "yes" : "NO"}.`);
  }

  if (r.nativeSameData?.sameData?.length) {
    out.push("", "### Native, same catalogs and visitor (bench/native, release build, std::time::Instant)", "");
    out.push(table(["items", "calls", "rank median", "rank p95", "load from JSON", "of which JSON → document", "document → catalog"],
      r.nativeSameData.sameData.map((x) => [k(x.size), String(x.rank.n), fmtMs(x.rank.median), fmtMs(x.rank.p95), fmtMs(x.loadJsonMs), fmtMs(x.parseMs), fmtMs(x.buildMs)])));
  }

  if (r.native?.benches?.length) {
    out.push("", "### Native, the engine's criterion bench (cargo bench --bench rank; its own synthetic catalogs)", "");
    const cpuOf = (b) => r.native.cpu?.find((c) => c.size === b.size && b.name.split("/")[1] === c.kind);
    out.push(table(["benchmark", "wall low", "wall median", "wall high", "CPU time per call", "M items/s (CPU)"],
      r.native.benches.map((b) => [b.name, fmtMs(b.low), fmtMs(b.ms), fmtMs(b.high), cpuOf(b) ? fmtMs(cpuOf(b).ms) : "—", cpuOf(b) ? String(cpuOf(b).mItemsPerSecond) : "—"])));
    const notes = (r.native.printed || []).filter((l) => !l.startsWith("cpu time:"));
    if (notes.length) out.push("", "The bench also printed:", "", ...notes.map((l) => `- ${l}`));
  }

  if (r.collector) {
    out.push("", "### Collector load test (loopback)", "");
    const runs = r.collector.inkling_loadtest;
    if (Array.isArray(runs))
      out.push(table(["backend", "reports/s", "p50 per batch", "p99 per batch", "batch", "connections", "seconds", "requests", "failed", "stored"],
        runs.map((x) => [x.backend, Math.round(x.reports_per_second).toLocaleString("en"), fmtMs(x.latency_ms_p50), fmtMs(x.latency_ms_p99),
          String(x.batch), String(x.concurrency), Number(x.seconds).toFixed(1), String(x.requests), String(x.failed_requests), String(x.reports_stored)])));
    else out.push(table(["figure", "value"], flatten(r.collector).map(([a, b]) => [a, String(b)])));
  }

  if (r.sizes) {
    out.push("", "### Shipped package (pkg/web)", "");
    out.push(table(["file", "raw", "gzip", "brotli"], [...r.sizes.files, r.sizes.total].map((f) => [f.file, kb(f.raw), kb(f.gzip), kb(f.brotli)])));
  }
  if (r.sizesPersonalize) {
    out.push("", "### inkling/personalize, the API without measurement (pkg/personalize/web)", "");
    out.push(table(["file", "raw", "gzip", "brotli"], [...r.sizesPersonalize.files, r.sizesPersonalize.total].map((f) => [f.file, kb(f.raw), kb(f.gzip), kb(f.brotli)])));
  }

  if (r.sizeVariants?.variants?.length) {
    out.push("", "### Size steps (wasm + glue; each row changes one thing from the shipped profile)", "");
    const base = r.sizeVariants.variants.find((v) => v.name === "shipped");
    out.push(table(["variant", "wasm raw", "wasm gzip", "wasm brotli", "wasm+glue gzip", "vs shipped (gzip)"],
      r.sizeVariants.variants.map((v) => v.error
        ? [v.name, "—", "—", "—", "—", v.error]
        : [v.name, kb(v.wasm.raw), kb(v.wasm.gzip), kb(v.wasm.brotli), kb(v.total.gzip),
          base ? (v.total.gzip >= base.total.gzip ? "+" : "") + kb(v.total.gzip - base.total.gzip) : ""])));
  }
  return out.join("\n") + "\n";
}

function flatten(obj, prefix = "") {
  const rows = [];
  for (const [key, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (v && typeof v === "object" && !Array.isArray(v)) rows.push(...flatten(v, name));
    else rows.push([name, Array.isArray(v) ? JSON.stringify(v) : v]);
  }
  return rows;
}
