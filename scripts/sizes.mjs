// Sizes of shipped files: raw, gzip (level 9) and brotli (quality 11).
// As a command: node scripts/sizes.mjs FILE... [--json OUT] prints a table (and writes JSON).
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { pathToFileURL } from "node:url";

/** Raw, gzip and brotli sizes in bytes of one file. */
export function sizesOf(path) {
  const bytes = readFileSync(path);
  return {
    file: path,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The per-file sizes and their total. */
export function sizeTable(paths) {
  const files = paths.map(sizesOf);
  const total = { file: "total", raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) for (const k of ["raw", "gzip", "brotli"]) total[k] += f[k];
  return { files, total };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const j = args.indexOf("--json");
  const jsonOut = j >= 0 ? args.splice(j, 2)[1] : null;
  const { files, total } = sizeTable(args);
  const kb = (n) => ((n / 1024).toFixed(1) + " KB").padStart(10);
  console.log("size: " + "file".padEnd(38) + "raw".padStart(10) + "gzip".padStart(10) + "brotli".padStart(10));
  for (const r of [...files, total]) console.log("size: " + r.file.padEnd(38) + kb(r.raw) + kb(r.gzip) + kb(r.brotli));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ files, total }, null, 2) + "\n");
}
