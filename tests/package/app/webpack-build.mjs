// Builds main-bundler.js with webpack 5 and WebAssembly ESM integration into dist-webpack/,
// with the page and the compiled catalog beside it.
import { copyFileSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import webpack from "webpack";

const out = resolve("dist-webpack");
const stats = await new Promise((done, fail) =>
  webpack(
    {
      mode: "production",
      entry: "./main-bundler.js",
      output: { path: out, filename: "main.js" },
      experiments: { asyncWebAssembly: true },
      performance: { hints: false },
    },
    (err, s) => (err ? fail(err) : done(s)),
  ),
);
if (stats.hasErrors()) {
  console.error(stats.toString({ all: false, errors: true }));
  process.exit(1);
}
mkdirSync(out, { recursive: true });
copyFileSync("index.html", resolve(out, "index.html"));
copyFileSync("public/catalog.bin", resolve(out, "catalog.bin"));
console.log("package: webpack built the inkling/bundler layout");
