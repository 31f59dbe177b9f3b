// Shared steps for the demo's end-to-end tests (tests/e2e/demo-*.spec.js).
import { expect } from "@playwright/test";

export const DAY1 = "2026-11-20T09:00:00Z";
export const DAY2 = "2026-11-21T09:00:00Z";
export const STORAGE_KEY = "inkling:demo";
/** Stories each test's page has opened (without consent Inkling logs nothing, so the test remembers). */
const readBy = new WeakMap();

/** Opens the demo at a simulated time and waits until it has started. */
export async function open(page, { now = DAY1, hash = "", query = "" } = {}) {
  await page.goto(`/?now=${encodeURIComponent(now)}${query ? `&${query}` : ""}${hash}`);
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  await expect(page.locator("#boot-error")).toBeHidden();
}

/** Every request the page makes, for checks that nothing leaves it. */
export function recordRequests(page) {
  const requests = [];
  page.on("request", (r) => requests.push({ url: r.url(), method: r.method() }));
  return requests;
}

/** Requests to anything but the page's own static assets (catalog, scripts, styles, package). */
export function nonAssetRequests(requests) {
  return requests.filter(({ url, method }) => {
    const u = new URL(url);
    const asset = u.pathname === "/" || /\.(html|js|css|json|wasm|ico)$/.test(u.pathname);
    return method !== "GET" || !asset || u.hostname !== "127.0.0.1" || u.pathname.startsWith("/v1/");
  });
}

export async function acceptAll(page) {
  await page.getByRole("button", { name: "Accept all", exact: true }).click();
  await expect(page.locator("#consent-banner")).toBeHidden();
}

/** Ids of the "For you" rail, in order. */
export async function railIds(page) {
  return page.locator("#for-you > .card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-id")));
}

/** Main topics of the rail's cards, in order. */
export async function railTopics(page) {
  return page.locator("#for-you > .card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-main-topic")));
}

/** Opens (reads) `count` stories of `topic` not read before, from the browse section, closing each. */
export async function readStories(page, topic, count) {
  await page.selectOption("#browse-topic", topic);
  if (!readBy.has(page)) readBy.set(page, new Set());
  const readHere = readBy.get(page);
  for (let i = 0; i < count; i++) {
    const read = await page.evaluate(() => (window.inklingDemo.inkling.profile().profile.recent ?? []).map((e) => e.item));
    const ids = await page.locator(`#browse > .card[data-main-topic="${topic}"][data-kind="article"]`)
      .evaluateAll((cards) => cards.map((c) => c.getAttribute("data-id")));
    const next = ids.find((id) => !read.includes(id) && !readHere.has(id));
    if (!next) throw new Error(`no unread ${topic} story left in the browse section`);
    readHere.add(next);
    const story = page.locator(`#browse > .card[data-id="${next}"]`);
    await story.locator('[data-action="read"]').click();
    await expect(page.locator("#reader")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.locator("#reader")).toBeHidden();
  }
}

/** The stored document under `inkling:demo`, with nested JSON strings parsed, or null. */
export async function stored(page) {
  const raw = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
  return raw === null ? null : deepParse(JSON.parse(raw));
}

/** The stored profile (`profile` of the stored document), or null when nothing is stored. */
export async function storedProfile(page) {
  return (await stored(page))?.profile ?? null;
}

/** The raw stored string, for "nothing changed" checks. */
export async function storedRaw(page) {
  return page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
}

function deepParse(v) {
  if (typeof v === "string" && /^[[{]/.test(v)) {
    try {
      return deepParse(JSON.parse(v));
    } catch {
      return v;
    }
  }
  if (Array.isArray(v)) return v.map(deepParse);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepParse(x)]));
  return v;
}

/**
 * `value` with every number rounded to f32 precision (6 significant digits): the profile keeps
 * weights as f32, and a weight read back from a file may print with fewer digits.
 */
export function f32(value) {
  return JSON.parse(JSON.stringify(value), (_, v) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v));
}

/** The value of `inkling.profile()` in the page. */
export async function profile(page) {
  return page.evaluate(() => window.inklingDemo.inkling.profile());
}

export async function goToYourData(page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Your data" }).click();
  await expect(page.locator("#view-your-data")).toBeVisible();
}

export async function goHome(page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(page.locator("#view-home")).toBeVisible();
}
