// Measurement end to end on the demo page: every request the page makes is recorded.
// - Without measure consent, nothing but the page's own static assets is requested,
//   whatever the visitor does, and flush() says why nothing was sent.
// - With measure consent, flush() sends exactly the reports pendingReports() showed
//   (same bytes), each matching the documented wire format, and only once per day.
// Every call takes the page's simulated clock ({ now }), as the demo itself does.
import { test, expect } from "@playwright/test";
import { open, recordRequests, nonAssetRequests, readStories, DAY1 } from "./demo-helpers.js";

const REPORT_KEYS = ["bits", "id", "mechanism", "metric", "period", "site", "v"];
const MECHANISM_KEYS = ["domain", "epsilon", "name", "p", "q"];
const B64URL = /^[A-Za-z0-9_-]*$/;

/** Checks one report text against the wire format of issue 5. */
function expectReportFormat(text) {
  const r = JSON.parse(text);
  expect(Object.keys(r).sort()).toEqual(REPORT_KEYS);
  expect(Object.keys(r.mechanism).sort()).toEqual(MECHANISM_KEYS);
  expect(r.v).toBe(1);
  expect(r.site).toBe("demo");
  expect(r.period).toBe(DAY1.slice(0, 10)); // interests describe today (UTC), on the page's clock
  expect(["interests", "engagement"]).toContain(r.metric);
  expect(r.mechanism.name).toBe(r.metric === "interests" ? "oue" : "grr");
  expect(r.mechanism.epsilon).toBe(1);
  expect(r.mechanism.p).toBeGreaterThan(r.mechanism.q);
  const domain = r.mechanism.domain;
  expect(domain).toBe(r.metric === "interests" ? 49 : 2); // the catalog's non-sensitive topics
  expect(r.bits).toMatch(B64URL);
  expect(r.bits.length).toBe(Math.ceil((Math.ceil(domain / 8) * 4) / 3));
  expect(r.id).toMatch(B64URL);
  expect(r.id.length).toBe(22);
  return r;
}

test("without measure consent nothing but static assets is requested", async ({ page }) => {
  const requests = recordRequests(page);
  await open(page);
  await page.getByRole("button", { name: "Reject all", exact: true }).click();
  await readStories(page, "hiking", 2);
  const result = await page.evaluate(async () => {
    const ink = window.inklingDemo.inkling;
    const at = { now: window.inklingDemo.now() };
    return { pending: ink.pendingReports(at), flush: await ink.flush("/v1/reports", at) };
  });
  expect(result.pending).toEqual([]);
  expect(result.flush.sent).toEqual([]);
  expect(result.flush.skipped).toBe("no consent");
  expect(result.flush.metrics.interests.skipped).toBe("no consent");
  await page.waitForTimeout(300); // let any stray request surface before counting
  expect(nonAssetRequests(requests)).toEqual([]);
});

test("with measure consent flush sends exactly the pending reports, once per day", async ({ page }) => {
  await open(page);
  await page.evaluate(() => window.inklingDemo.inkling.setConsent({ personalize: true, remember: true, measure: true }));
  await readStories(page, "hiking", 3);
  await readStories(page, "coffee", 2);

  const posts = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/v1/reports") posts.push({ method: r.method(), body: r.postData() });
  });
  const requests = recordRequests(page);

  const pending = await page.evaluate(() => window.inklingDemo.inkling.pendingReports({ now: window.inklingDemo.now() }));
  expect(pending.length).toBeGreaterThanOrEqual(1);
  // Asking again shows the very same bytes (built once per period).
  expect(await page.evaluate(() => window.inklingDemo.inkling.pendingReports({ now: window.inklingDemo.now() }))).toEqual(pending);
  const reports = pending.map(expectReportFormat);
  expect(reports.map((r) => r.metric)).toContain("interests");
  // No sensitive topic id or any other identifier travels in clear.
  for (const text of pending) expect(text).not.toMatch(/hiking|coffee|health|pregnancy|demo-/);

  const result = await page.evaluate(() => window.inklingDemo.inkling.flush("/v1/reports", { now: window.inklingDemo.now() }));
  expect(result.error).toBeUndefined();
  expect(result.sent).toEqual(pending);
  expect(result.metrics.interests.sent).toBe(true);

  await expect.poll(() => posts.length).toBe(1);
  expect(posts[0].method).toBe("POST");
  expect(posts[0].body).toBe(`[${pending.join(",")}]`);

  // The same day again: nothing more leaves the page.
  const again = await page.evaluate(() => window.inklingDemo.inkling.flush("/v1/reports", { now: window.inklingDemo.now() }));
  expect(again.sent).toEqual([]);
  expect(again.metrics.interests.skipped).toBe("already sent today");
  await page.waitForTimeout(300);
  expect(posts.length).toBe(1);
  const other = nonAssetRequests(requests).filter((r) => new URL(r.url).pathname !== "/v1/reports");
  expect(other).toEqual([]);

  // The visitor can see the privacy budget spent.
  const budget = await page.evaluate(() => window.inklingDemo.inkling.privacyBudget({ now: window.inklingDemo.now() }));
  expect(budget.metrics.find((m) => m.metric === "interests")).toMatchObject({ reportEpsilon: 1, lifetimeEpsilon: 2, spentToday: 1 });
});
