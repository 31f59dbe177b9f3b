// The page's clock. Inkling takes time as an argument (`at`, `now`), so the demo can
// replay a visitor's history: `?now=2026-11-21T09:00:00Z` (or epoch ms) starts the page
// at that moment, and tests may move it with `window.inklingDemo.setNow(ms)`. Without
// either, it is the real clock.

const param = new URLSearchParams(location.search).get("now");
let base = parseNow(param);
let startedAt = Date.now();

/** Epoch ms, as the page should pass it to Inkling. */
export function now() {
  return base === null ? Date.now() : base + (Date.now() - startedAt);
}

/** Moves the page's clock so that `now()` returns `ms` from here on. */
export function setNow(ms) {
  if (!Number.isFinite(ms)) throw new TypeError("setNow expects epoch milliseconds");
  base = ms;
  startedAt = Date.now();
}

/** Whether the page runs on a simulated clock (shown in the footer so nobody is misled). */
export function isSimulated() {
  return base !== null;
}

function parseNow(value) {
  if (value === null || value === "") return null;
  const ms = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
