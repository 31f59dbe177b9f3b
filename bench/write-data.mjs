#!/usr/bin/env node
// Writes the benchmark's catalogs and visitor as JSON files for the native runner
// (bench/native): DIR/catalog-1000.json, catalog-10000.json, catalog-100000.json, visitor.json.
//
//   node bench/write-data.mjs DIR
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeCatalog, makeVisitor } from "./gen.js";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node bench/write-data.mjs DIR");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
for (const n of [1000, 10000, 100000]) writeFileSync(join(dir, `catalog-${n}.json`), JSON.stringify(makeCatalog(n)));
writeFileSync(join(dir, "visitor.json"), JSON.stringify(makeVisitor()));
