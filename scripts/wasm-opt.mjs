#!/usr/bin/env node
// The package's wasm-opt settings, in one place: scripts/build runs this file on each
// layout, and scripts/minify-names.mjs and bench/size-variants.mjs import the same flags.
//
//   node scripts/wasm-opt.mjs FILE.wasm   optimizes FILE.wasm in place, as the package ships it
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { nameInCompressionOrder } from "./order-functions.mjs";

/** What the module may use (the README's browser support): wasm-opt must know to keep it. */
export const FEATURES = [
  "--enable-bulk-memory",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--enable-mutable-globals",
  "--enable-reference-types", // only the size variants (prebuilt std) use them; the package does not
  "--enable-multivalue",
  "--enable-simd",
];

/**
 * -O2 with little inlining. What travels is compressed, and inlining copies code that gzip
 * would otherwise have referred back to. Measured on the package's wasm (gzip): -Oz
 * 120.1 KB, -O1 115.8 KB, -O2 without inlining 114.7 KB (and -O3 115.0, -Os 115.1, both
 * without inlining); ranking and catalog loading kept their speed.
 *
 * What inlining is left pays: functions of at most 2 instructions (binaryen's default),
 * and functions of at most 15 called from one place, whose call, header and locals then go.
 * Measured with the functions laid out for gzip (80,544 bytes with no inlining): 80,112.
 * One caller up to 10 to 25 instructions gives within 0.1 KB of that; 40 is bigger again,
 * 100 is 2 KB bigger. Functions "flexible" enough to inline anywhere, at any size, made
 * no difference.
 */
export const OPTIMIZE = [
  "-O2",
  "--always-inline-max-function-size=2",
  "--one-caller-inline-max-function-size=15",
  "--flexible-inline-max-function-size=0",
];

/** Sections no browser reads: names, producers, and the features wasm-bindgen has read. */
export const STRIP = ["--strip-debug", "--strip-producers", "--strip-target-features"];

/**
 * Optimizes `file` in place as the package ships it: wasm-opt with `flags`, then the
 * function bodies laid out for gzip (scripts/order-functions.mjs; skipped with
 * `order: false`), then the sections no browser reads stripped.
 */
export function optimize(file, { flags = OPTIMIZE, order = true } = {}) {
  if (order) {
    wasmOpt([...flags, ...FEATURES, file, "-o", file]);
    nameInCompressionOrder(file);
    wasmOpt(["--reorder-functions-by-name", ...STRIP, ...FEATURES, file, "-o", file]);
  } else {
    wasmOpt([...flags, ...STRIP, ...FEATURES, file, "-o", file]);
  }
}

/** Runs the npm package's wasm-opt with `args`, returning what it prints. */
export function wasmOpt(args) {
  return execFileSync("npx", ["--no-install", "wasm-opt", ...args], {
    cwd: resolve(dirname(fileURLToPath(import.meta.url)), ".."), // where npm installed binaryen
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: node scripts/wasm-opt.mjs FILE.wasm");
    process.exit(2);
  }
  optimize(file);
}
