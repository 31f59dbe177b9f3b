#!/usr/bin/env node
// Writes the `Inkling` class into the glue: each method and static calls the module's
// single export, `__call(handle, op, …)`, with its number (see src/wasm/methods.rs for why
// one, and why the class is the glue's rather than wasm-bindgen's).
//
// Which methods: those the build's `.d.ts` declares in `interface Inkling` blocks (the
// crate's TypeScript sections, so the entry without measurement gets no measurement
// methods), and the statics of its `class Inkling`. Their numbers: the
// `pub const NAME: u32 = N;` lines of src/wasm/methods.rs, NAME being the JavaScript name
// in capitals. A declared method without a number, or a glue without `__call`, fails
// the build.
//
//   node scripts/glue-methods.mjs GLUE.js INKLING.d.ts   (either layout, before minifying)
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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
const number = (name) => {
  const op = numbers.get(name);
  if (op === undefined) throw new Error(`${name}: no number in src/wasm/methods.rs`);
  return op;
};

/** The parameter names of a declared parameter list. */
const names = (params) => {
  const args = [...params.matchAll(/(?:^|, )(\w+)\??:/g)].map((m) => m[1]);
  if (args.length > 3) throw new Error(`${params}: __call takes at most three arguments`);
  return args;
};

const dts = readFileSync(types, "utf8");
const lines = [];
for (const [, body] of dts.matchAll(/export interface Inkling \{([\s\S]*?)\n\}/g)) {
  for (const [, name, params] of body.matchAll(/^ {4}(\w+)\((.*)\):/gm)) {
    const args = names(params);
    lines.push(`    ${name}(${args.join(", ")}) {\n        return __call(${["this.__h", number(name), ...args].join(", ")});\n    }`);
  }
}
if (lines.length === 0) throw new Error(`${types}: no \`interface Inkling\` methods`);
const declared = dts.match(/export class Inkling \{([\s\S]*?)\n\}/);
if (!declared) throw new Error(`${types}: no \`class Inkling\``);
for (const [, name, params, result] of declared[1].matchAll(/^ {4}static (\w+)\((.*)\): (\w+)/gm)) {
  const args = names(params);
  const call = `__call(${[0, number(name), ...args].join(", ")})`;
  // `open` makes an object around the handle of the instance it opened.
  const body = result === "Inkling"
    ? `const inkling = Object.create(Inkling.prototype);\n        inkling.__h = ${call};\n` +
      `        InklingFinalization.register(inkling, inkling.__h, inkling);\n        return inkling;`
    : `return ${call};`;
  lines.push(`    static ${name}(${args.join(", ")}) {\n        ${body}\n    }`);
}

const FREE = number("free");
const js = `const InklingFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(handle => __call(handle, ${FREE}));

export class Inkling {
${lines.join("\n")}
    free() {
        const handle = this.__h;
        this.__h = 0;
        InklingFinalization.unregister(this);
        __call(handle, ${FREE});
    }
}
if (Symbol.dispose) Inkling.prototype[Symbol.dispose] = Inkling.prototype.free;

`;

// `__call` stays inside the glue: the module exports the class instead.
let text = readFileSync(glue, "utf8");
const head = "export function __call(";
if (!text.includes(head)) throw new Error(`${glue}: no \`__call\` (did wasm-bindgen's output change?)`);
text = text.replace(head, js + "function __call(");
writeFileSync(glue, text);
// The bundler layout re-exports the glue's exports by name from inkling.js.
const entry = resolve(dirname(glue), "inkling.js");
if (entry !== resolve(glue) && existsSync(entry)) {
  const reexports = readFileSync(entry, "utf8");
  const renamed = reexports.replace(/\b__call\b/, "Inkling");
  if (renamed === reexports) throw new Error(`${entry}: no \`__call\` re-export`);
  writeFileSync(entry, renamed);
}
