// Lays the wasm's functions out for gzip. The order of function bodies changes nothing
// the module does, but deflate only refers back 32 KB, and a body costs fewest bytes
// right after bodies that look like it: the readers of two JSON types, two instances of
// a `Vec` method, two boundary wrappers. LLVM lays functions out in its own order; this
// picks a greedy one instead:
//
//   starting with the smallest body, after each placed body, among the CANDIDATES (128)
//   remaining bodies that share the largest share of their 6-byte sequences with the
//   last 32 KB placed, place the one that deflate codes in the fewest bytes per byte of
//   body, with those 32 KB as its history.
//
// It names every function by its place ("f00042") in the name section, and wasm-opt's
// `--reorder-functions-by-name` then moves the bodies and renumbers every call; the
// names go when wasm-opt strips the debug sections. Measured on the package's wasm:
// 82,747 -> 80,851 bytes gzip (BENCHMARKS.md). Deterministic: the same module
// gives the same order. `optimize` in scripts/wasm-opt.mjs runs it between its two passes.
import { readFileSync, writeFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { functionBodies, leb, withoutCustomSections } from "./wasm-read.mjs";

/** Deflate's window: how far back gzip can refer. */
const WINDOW = 32 * 1024;
/** Length of the byte sequences compared between bodies. */
const SHINGLE = 6;
/**
 * How many of the most similar bodies are compressed to choose the next one. 128 rather
 * than 64, measured on the wasm alone: 63,023 -> 62,803 bytes gzip for the whole API and
 * 50,268 -> 50,164 for `inkling/personalize` (96 and 160 gave less on both; 256 nothing),
 * for twice the time (about 10 s a module).
 */
const CANDIDATES = 128;

/** The distinct `SHINGLE`-byte sequences of `body`, hashed. */
function shingles(body) {
  const set = new Set();
  for (let i = 0; i + SHINGLE <= body.length; i++) {
    let h = 0;
    for (let j = 0; j < SHINGLE; j++) h = (Math.imul(h, 257) + body[i + j]) >>> 0;
    set.add(h);
  }
  return [...set];
}

/** The order (indexes into `bodies`) in which to lay the bodies out. */
export function compressionOrder(bodies) {
  const n = bodies.length;
  const own = bodies.map(shingles);
  // Which bodies hold each sequence, so that a body entering or leaving the window
  // updates the similarity of the others at once.
  const holders = new Map();
  own.forEach((list, f) => {
    for (const h of list) {
      const l = holders.get(h);
      if (l) l.push(f);
      else holders.set(h, [f]);
    }
  });
  const shared = new Int32Array(n); // sequences of each body present in the window
  const inWindow = new Map(); // sequence -> bodies in the window holding it
  const enter = (f, step) => {
    for (const h of own[f]) {
      const before = inWindow.get(h) || 0;
      const after = before + step;
      inWindow.set(h, after);
      if ((before === 0) !== (after === 0)) for (const g of holders.get(h)) shared[g] += step;
    }
  };
  const placed = new Uint8Array(n);
  const order = [];
  const window = [];
  let windowBytes = 0;
  // The smallest body first: the first body is coded with no history at all, and a large
  // one placed there also sets the window that chooses the next ones. Measured against
  // starting with the first body in LLVM's order (often a large one), the package (wasm
  // + glue) 61,360 -> 61,283 bytes gzip for the whole API, 49,465 -> 49,357 for
  // `inkling/personalize`; the same code, only its order.
  let first = 0;
  bodies.forEach((body, f) => {
    if (body.length < bodies[first].length) first = f;
  });
  for (let next = first; next >= 0; ) {
    placed[next] = 1;
    order.push(next);
    window.push(next);
    windowBytes += bodies[next].length;
    enter(next, 1);
    while (windowBytes > WINDOW && window.length > 1) {
      const old = window.shift();
      windowBytes -= bodies[old].length;
      enter(old, -1);
    }
    const similar = [];
    for (let g = 0; g < n; g++) if (!placed[g]) similar.push([shared[g] / (own[g].length || 1), g]);
    similar.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const history = Buffer.concat(window.map((f) => bodies[f])).subarray(-WINDOW);
    next = -1;
    let best = Infinity;
    for (const [, g] of similar.slice(0, CANDIDATES)) {
      const cost = deflateRawSync(bodies[g], { level: 9, dictionary: history }).length / (bodies[g].length || 1);
      if (cost < best) [best, next] = [cost, g];
    }
  }
  return order;
}

/** A name section that names each function by its place in `order`. */
function nameSection(imported, order) {
  const names = [];
  for (let i = 0; i < imported; i++) names.push([i, "i" + String(i).padStart(5, "0")]);
  order.forEach((f, place) => names.push([imported + f, "f" + String(place).padStart(5, "0")]));
  names.sort((a, b) => a[0] - b[0]);
  const map = Buffer.concat([
    leb(names.length),
    ...names.flatMap(([index, name]) => [leb(index), leb(name.length), Buffer.from(name)]),
  ]);
  const content = Buffer.concat([leb(4), Buffer.from("name"), Buffer.from([1]), leb(map.length), map]);
  return Buffer.concat([Buffer.from([0]), leb(content.length), content]);
}

/** Renames `file`'s functions by their place in the compression order, in place. */
export function nameInCompressionOrder(file) {
  const b = readFileSync(file);
  const { imported, bodies } = functionBodies(b);
  const names = nameSection(imported, compressionOrder(bodies));
  writeFileSync(file, Buffer.concat([withoutCustomSections(b, (name) => name === "name"), names]));
}

