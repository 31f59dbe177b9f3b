#!/usr/bin/env node
// Shortens the names the wasm and its JavaScript glue use to talk to each other, as
// Emscripten does for its own output: wasm-bindgen names every import after the JS
// function and a 16-digit hash (`__wbg_getItem_49556a3e59cfb688`), about 60 of them,
// and the hashes do not compress. binaryen renames the wasm's imports, their module
// and its exports to one or two letters and prints what it renamed; this script then
// renames the same names in the glue and its types, and checks that nothing was missed.
//
//   node scripts/minify-names.mjs pkg/web
//
// Only for the `web` layout: there the glue builds the import object itself. In the
// `bundler` layout the import names are the glue module's own export names, which a
// bundler links by name, so that layout keeps wasm-bindgen's names.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FEATURES, wasmOpt } from "./wasm-opt.mjs";

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node scripts/minify-names.mjs DIR (DIR holds inkling_bg.wasm and inkling.js)");
  process.exit(2);
}
const wasmFile = join(dir, "inkling_bg.wasm");
const glueFile = join(dir, "inkling.js");
const typeFiles = [join(dir, "inkling.d.ts"), join(dir, "inkling_bg.wasm.d.ts")];

const before = new WebAssembly.Module(readFileSync(wasmFile));
const map = JSON.parse(wasmOpt(["--minify-imports-and-exports-and-modules", ...FEATURES, wasmFile, "-o", wasmFile]));
const after = new WebAssembly.Module(readFileSync(wasmFile));

// Every import came from one module, which now has a one-letter name.
const oldModules = new Set(WebAssembly.Module.imports(before).map((i) => i.module));
const newModules = new Set(WebAssembly.Module.imports(after).map((i) => i.module));
if (oldModules.size !== 1 || newModules.size !== 1) throw new Error(`expected one import module, found ${[...oldModules]} -> ${[...newModules]}`);
const [oldModule] = oldModules;
const [newModule] = newModules;

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
let glue = readFileSync(glueFile, "utf8");
const replaceAll = (text, pattern, replacement, what) => {
  const n = (text.match(pattern) || []).length;
  if (n === 0) throw new Error(`${what} not found in the glue`);
  return text.replace(pattern, replacement);
};
glue = replaceAll(glue, new RegExp(`"${escape(oldModule)}":`, "g"), `"${newModule}":`, `import module ${oldModule}`);
for (const [, name, short] of map.imports) {
  // Keys of the import object: `        name: function(...`.
  glue = replaceAll(glue, new RegExp(`(?<=[\\s{,])${escape(name)}(?=\\s*:)`, "g"), short, `import ${name}`);
}
const types = typeFiles.map((f) => readFileSync(f, "utf8"));
for (const [name, short] of map.exports) {
  // An export the glue never calls (a hook of the runtime's) is simply renamed.
  glue = glue.replace(new RegExp(`\\bwasm\\.${escape(name)}\\b`, "g"), `wasm.${short}`);
  // The raw exports listed in `InitOutput` (inkling.d.ts) and inkling_bg.wasm.d.ts.
  for (let i = 0; i < types.length; i++)
    types[i] = types[i].replace(new RegExp(`(?<=\\b(readonly|const) )${escape(name)}\\b`, "g"), short);
}

// Nothing may still use an old name: no export called as `wasm.name`, no import key.
const left = [
  ...map.imports.map(([, n]) => n).filter((n) => new RegExp(`(?<=[\\s{,])${escape(n)}(?=\\s*:)`).test(glue)),
  ...map.exports.map(([n]) => n).filter((n) => new RegExp(`\\bwasm\\.${escape(n)}\\b`).test(glue)),
];
if (left.length) throw new Error(`the glue still names ${left.join(", ")}`);
writeFileSync(glueFile, glue);
typeFiles.forEach((f, i) => writeFileSync(f, types[i]));
console.error(`minify-names: ${map.imports.length} imports, ${map.exports.length} exports renamed in ${dir}`);
