#!/usr/bin/env node
// Writes `Inkling`'s instance methods into the glue: each one calls the module's single
// method export, `__call(op, …)`, with its number (see src/wasm/methods.rs for why one).
//
// Which methods: those the build's `.d.ts` declares in `interface Inkling` blocks (the
// crate's TypeScript sections, so the entry without measurement gets no measurement
// methods). Their numbers: the `pub const NAME: u32 = N;` lines of src/wasm/methods.rs,
// NAME being the JavaScript name in capitals. A declared method without a number, or a
// glue without the class or its `__call`, fails the build.
//
//   node scripts/glue-methods.mjs GLUE.js INKLING.d.ts   (either layout, before minifying)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const [glue, types] = process.argv.slice(2);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** `LOAD_CATALOG` → `loadCatalog`. */
const camel = (name) => name.toLowerCase().replace(/_([a-z])/g, (_, c) => c.toUpperCase());

const numbers = new Map();
const rust = readFileSync(resolve(root, "src/wasm/methods.rs"), "utf8");
for (const [, name, n] of rust.matchAll(/pub const ([A-Z_]+): u32 = (\d+);/g)) {
  numbers.set(camel(name), Number(n));
}

/** The declared methods, in order, with their parameter names. */
const methods = [];
const dts = readFileSync(types, "utf8");
for (const [, body] of dts.matchAll(/export interface Inkling \{([\s\S]*?)\n\}/g)) {
  for (const [, name, params] of body.matchAll(/^ {4}(\w+)\((.*)\):/gm)) {
    const args = [...params.matchAll(/(?:^|, )(\w+)\??:/g)].map((m) => m[1]);
    methods.push({ name, args });
  }
}
if (methods.length === 0) throw new Error(`${types}: no \`interface Inkling\` methods`);

const lines = methods.map(({ name, args }) => {
  const op = numbers.get(name);
  if (op === undefined) throw new Error(`${name}: no number in src/wasm/methods.rs`);
  if (args.length > 3) throw new Error(`${name}: __call takes at most three arguments`);
  const list = args.join(", ");
  return `    ${name}(${list}) {\n        return this.__call(${[op, ...args].join(", ")});\n    }`;
});

let js = readFileSync(glue, "utf8");
const head = "export class Inkling {\n";
if (!js.includes(head) || !js.includes("    __call(")) {
  throw new Error(`${glue}: no \`Inkling\` class with \`__call\` (did wasm-bindgen's output change?)`);
}
js = js.replace(head, head + lines.join("\n") + "\n");
writeFileSync(glue, js);
