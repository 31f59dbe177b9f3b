// Builds main-bundler.js (`inkling/bundler`) and main-personalize-bundler.js
// (`inkling/personalize/bundler`) with webpack 5 and WebAssembly ESM integration into
// dist-webpack/, with a page for each and the compiled catalog beside them.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import webpack from "webpack";

const out = resolve("dist-webpack");
const stats = await new Promise((done, fail) =>
  webpack(
    {
      mode: "production",
      entry: { main: "./main-bundler.js", personalize: "./main-personalize-bundler.js" },
      output: { path: out, filename: "[name].js" },
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
writeFileSync(resolve(out, "personalize.html"), readFileSync("index.html", "utf8").replace("./main.js", "./personalize.js"));
copyFileSync("public/catalog.bin", resolve(out, "catalog.bin"));
console.log("package: webpack built the inkling/bundler and inkling/personalize/bundler layouts");
