// The size budget: the shipped wasm plus its JS glue must stay within 60 KB gzipped.
import { sizeTable } from "./sizes.mjs";

const BUDGET_GZIP = 60 * 1024;
const GOAL_GZIP = 25 * 1024;
const { files } = sizeTable(["pkg/web/inkling_bg.wasm", "pkg/web/inkling.js"]);
const gzip = files.reduce((n, f) => n + f.gzip, 0);
const kb = (n) => (n / 1024).toFixed(1) + " KB";
console.log(`size budget: wasm + glue = ${kb(gzip)} gzipped (budget ${kb(BUDGET_GZIP)}, goal ${kb(GOAL_GZIP)})`);
if (gzip > BUDGET_GZIP) {
  console.error("size budget: FAILED: over budget");
  process.exit(1);
}
console.log("1 passed, 0 failed");
