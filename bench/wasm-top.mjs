#!/usr/bin/env node
// What the wasm's code is made of: the size of every function body (code section), named
// from the name section, summed by crate (and by module for inkling itself). Needs a build
// that keeps its names: wasm-bindgen output before wasm-opt --strip-debug (the "no wasm-opt"
// size variant). Proportions carry over to the shipped, optimized file.
//
//   node bench/wasm-top.mjs FILE.wasm [--functions 15]
import { readFileSync } from "node:fs";
import { functionBodies, sections } from "../scripts/wasm-read.mjs";

const args = process.argv.slice(2);
const file = args[0];
const nFun = Number(args[args.indexOf("--functions") + 1]) || 15;
const b = readFileSync(file);
const defined = functionBodies(b);
const imported = defined.imported;
const bodies = defined.bodies.map((body) => body.length); // size per defined function
const names = new Map();
const sectionSizes = [];
const KINDS = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount"];
for (const { id, name, size, end, c } of sections(b)) {
  sectionSizes.push({ label: id === 0 ? "custom: " + name : KINDS[id] || `id ${id}`, size });
  if (name === "name") {
    while (c.p < end) {
      const sub = c.byte();
      const len = c.leb();
      const subEnd = c.p + len;
      if (sub === 1) for (let n = c.leb(); n > 0; n--) { const ix = c.leb(); names.set(ix, c.str()); }
      c.p = subEnd;
    }
  }
}
const total = b.length;
const code = bodies.reduce((a, c) => a + c, 0);
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
console.log(`${file}: ${kb(total)} total, code ${kb(code)} in ${bodies.length} functions, names for ${names.size}`);
console.log("\nsections:");
for (const s of sectionSizes.sort((a, c) => c.size - a.size).slice(0, 8)) console.log(`  ${kb(s.size)}  ${s.label}`);
const group = (name) => {
  const n = name.replace(/^<+/, "").replace(/^(impl |dyn |&mut |&)+/, "").replace(/\[[0-9a-f]+\]/g, "");
  const parts = n.split("::");
  if (["inkling", "core", "alloc", "std"].includes(parts[0]) && parts.length > 2) return parts[0] + "::" + parts[1].replace(/[<> ].*$/, "");
  if (parts.length === 1) return "(other: " + (n.startsWith("__wbg") || n.startsWith("__wbindgen") ? "wasm-bindgen glue" : "unnamed/C") + ")";
  return parts[0].replace(/[<> ].*$/, "");
};
const byGroup = new Map();
const funs = [];
bodies.forEach((s, i) => {
  const name = names.get(imported + i) || `func ${imported + i}`;
  funs.push([s, name]);
  byGroup.set(group(name), (byGroup.get(group(name)) || 0) + s);
});
console.log("\ncode by crate (inkling, core, alloc and std by module):");
for (const [g, s] of [...byGroup].sort((a, c) => c[1] - a[1]).slice(0, 25)) console.log(`  ${kb(s)}  ${((100 * s) / code).toFixed(1).padStart(5)}%  ${g}`);
console.log(`\nlargest ${nFun} functions:`);
for (const [s, name] of funs.sort((a, c) => c[0] - a[0]).slice(0, nFun)) console.log(`  ${kb(s)}  ${name.slice(0, 140)}`);
