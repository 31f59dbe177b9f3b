#!/usr/bin/env node
// Shorter words for the three warnings wasm-bindgen's loader prints, with the same
// meaning and the same conditions: they travel with every page that loads Inkling, and
// wasm-bindgen's wording took 71 bytes more of the glue gzipped than this.
//
//   node scripts/glue-messages.mjs FILE.js   (the glue of the web layout, before minifying)
import { readFileSync, writeFileSync } from "node:fs";

const MESSAGES = [
  [
    '"`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\\n"',
    '"WebAssembly.instantiateStreaming failed (is the .wasm served as application/wasm?); instantiating from its bytes instead:\\n"',
  ],
  [
    "'using deprecated parameters for `initSync()`; pass a single object instead'",
    '"initSync(module) is deprecated: pass initSync({ module })"',
  ],
  [
    "'using deprecated parameters for the initialization function; pass a single object instead'",
    '"init(path) is deprecated: pass init({ module_or_path })"',
  ],
];

const file = process.argv[2];
if (!file) {
  console.error("usage: node scripts/glue-messages.mjs FILE.js");
  process.exit(2);
}
let glue = readFileSync(file, "utf8");
for (const [original, short] of MESSAGES) {
  const at = glue.indexOf(original);
  if (at < 0 || glue.indexOf(original, at + 1) >= 0) {
    // A different wasm-bindgen wrote this glue: look at its loader's messages again.
    throw new Error(`${file}: the loader's message ${original} is not where this script expects it`);
  }
  glue = glue.slice(0, at) + short + glue.slice(at + original.length);
}
writeFileSync(file, glue);
