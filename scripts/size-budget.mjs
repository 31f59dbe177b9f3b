// Size check of the shipped package (wasm + JS glue, gzipped), run by `npm test`, for
// each entry a page can load: `inkling`, the whole API, and `inkling/personalize`, the API
// without private measurement. Each must meet the budget, 60 KB gzipped (goal 25 KB);
// above it, the check fails. BENCHMARKS.md, "Size", says where the bytes are.
import { sizeTable } from "./sizes.mjs";

const BUDGET_GZIP = 60 * 1024;
const GOAL_GZIP = 25 * 1024;

const kb = (n) => (n / 1024).toFixed(1) + " KB";
const gzipOf = (dir) => sizeTable([`${dir}/inkling_bg.wasm`, `${dir}/inkling.js`]).files.reduce((n, f) => n + f.gzip, 0);
const budget = (gzip) => (gzip <= BUDGET_GZIP ? "met" : `NOT MET (${kb(gzip - BUDGET_GZIP)} over)`);
let failed = false;

for (const [entry, dir] of [
  ["inkling", "pkg/web"],
  ["inkling/personalize", "pkg/personalize/web"],
]) {
  const gzip = gzipOf(dir);
  console.log(`size: ${entry}: wasm + glue = ${kb(gzip)} gzipped (${gzip} bytes); budget ${kb(BUDGET_GZIP)}: ${budget(gzip)}; goal ${kb(GOAL_GZIP)}`);
  if (gzip > BUDGET_GZIP) {
    console.error(`size: FAILED: ${entry} is above the budget of ${kb(BUDGET_GZIP)}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
