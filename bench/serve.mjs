// A static file server for the benchmark page, on 127.0.0.1 only (an ephemeral port).
// Serves /bench/* from bench/ and /pkg/* from the built package; extra mounts (e.g. a SIMD
// variant of the package) come from `mounts`. Sends COOP/COEP so the page is cross-origin
// isolated: Chromium then gives performance.now() 5 µs resolution instead of 100 µs.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, extname } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
};

/** Starts the server; `mounts` maps a URL prefix ("/pkg/") to a directory. Resolves to { url, close }. */
export function serve(mounts) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const prefix = prefixes.find((p) => path.startsWith(p));
    const rel = prefix ? normalize(path.slice(prefix.length)) : null;
    if (!prefix || rel.startsWith("..")) return send(res, 404, "not found");
    try {
      const body = await readFile(join(mounts[prefix], rel));
      res.writeHead(200, {
        "content-type": TYPES[extname(rel)] || "application/octet-stream",
        "cache-control": "max-age=3600", // lets a reload show the warm (cached) start
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-embedder-policy": "require-corp",
        "cross-origin-resource-policy": "same-origin",
      });
      res.end(body);
    } catch {
      send(res, 404, "not found");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

function send(res, status, text) {
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(text);
}
