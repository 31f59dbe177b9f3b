// Serves a built app (the Vite build, or the webpack build of the bundler layouts) on loopback,
// loads each of its pages in headless Chromium and asserts it ran: the version, and a
// ranking from the compiled catalog.
//
//   node check.mjs DIST [PAGE...]     (pages default to index.html)
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const [dist, ...pages] = process.argv.slice(2);
if (!pages.length) pages.push("index.html");
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  const file = join(dist, path.endsWith("/") ? path + "index.html" : path);
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let failed = false;
try {
  const expected = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")).version;
  for (const name of pages) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url + name);
    await page.waitForFunction(() => document.getElementById("out").textContent !== "not run", null, { timeout: 20000 })
      .catch((e) => errors.push(String(e)));
    const text = await page.textContent("#out");
    if (text !== `inkling ${expected}; compiled catalog ranked 3` || errors.length) {
      console.error(`package: FAILED: ${dist}/${name} says ${JSON.stringify(text)}, errors: ${errors.join("; ")}`);
      failed = true;
    } else {
      console.log(`package: ${dist}/${name} ran in Chromium: ${text}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
