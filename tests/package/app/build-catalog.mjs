// A site's build step, as the README shows it: compile the catalog once, in Node, and
// serve the bytes (Vite copies public/ into the build).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { initSync, Inkling } from "inkling";

initSync({ module: readFileSync(new URL(import.meta.resolve("inkling/inkling_bg.wasm"))) });
const catalog = {
  topics: [{ id: "hiking", label: "Hiking" }, { id: "baking", label: "Baking" }],
  items: [
    { id: "a1", title: "Trail notes", topics: { hiking: 1 } },
    { id: "b1", title: "Sourdough", topics: { baking: 1 } },
    { id: "a2", title: "Boots", topics: { hiking: 0.5 } },
  ],
};
mkdirSync("public", { recursive: true });
const bytes = Inkling.compileCatalog(JSON.stringify(catalog));
writeFileSync("public/catalog.bin", bytes);
console.log(`package: compiled a catalog in Node: ${bytes.length} bytes`);
