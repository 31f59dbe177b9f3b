// The `inkling/personalize` entry (the API without private measurement) on the same site
// as the whole API: it personalizes from the same stored document, has no measurement
// methods, and keeps the measurement state the whole API stored, byte for byte, until
// the visitor erases everything.
import { test, expect } from "@playwright/test";

test("inkling/personalize shares the stored document and keeps its measurement state", async ({ page }) => {
  await page.goto("/harness.html?site=entry-harness");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  const seen = await page.evaluate(async () => {
    // More topics than the 3 an interests report names, so one can be built.
    const topics = ["hiking", "travel", "cooking", "music", "film", "garden"];
    const catalog = {
      topics: topics.map((id) => ({ id, label: id })),
      items: topics.map((t, i) => ({ id: `a${i + 1}`, topics: { [t]: 1 }, popularity: 0.9 - i / 10 })),
    };
    const options = { siteId: "entry", policyVersion: "1" };
    const at = { now: Date.UTC(2026, 10, 24, 12) };
    const stored = () => JSON.parse(localStorage.getItem("inkling:entry"));

    // The whole API: consent to everything, some reading, reports built and waiting.
    const whole = await import("/pkg/web/inkling.js");
    await whole.default();
    let ink = whole.Inkling.open(options);
    ink.loadCatalog(catalog);
    ink.setConsent({ personalize: true, remember: true, measure: true });
    for (let i = 0; i < 3; i++) ink.record({ type: "view", item: "a4", at: at.now });
    const pending = ink.pendingReports(at);
    const measureBefore = stored().measure;
    ink.free();

    // The personalization entry on the same site.
    const lean = await import("/pkg/personalize/web/inkling.js");
    await lean.default();
    ink = lean.Inkling.open(options);
    ink.loadCatalog(catalog);
    const methods = ["configureMeasurement", "flush", "pendingReports", "privacyBudget"].filter((m) => m in ink);
    const top = ink.rank({ limit: 1, now: at.now })[0].id;
    ink.record({ type: "view", item: "a3", at: at.now });
    const afterLean = stored();
    ink.free();

    // The whole API again finds its reports where it left them.
    ink = whole.Inkling.open(options);
    ink.loadCatalog(catalog);
    const pendingAgain = ink.pendingReports(at);
    ink.free();

    // Erasing from the personalization entry erases the measurement state too.
    ink = lean.Inkling.open(options);
    ink.erase();
    const afterErase = stored();
    ink.free();
    return {
      pending, measureBefore, methods, top, pendingAgain,
      measureAfterLean: afterLean.measure,
      cookingWeight: afterLean.profile.topics?.cooking ?? null,
      erasedMeasure: afterErase ? afterErase.measure ?? null : null,
      version: lean.version() === whole.version(),
    };
  });
  expect(seen.pending.length).toBeGreaterThan(0);
  expect(seen.measureBefore).not.toBeNull();
  expect(seen.methods).toEqual([]);
  expect(seen.top).toBe("a4"); // personalized from the profile the whole API stored (a1 is the most popular)
  expect(seen.measureAfterLean).toEqual(seen.measureBefore);
  expect(seen.pendingAgain).toEqual(seen.pending);
  expect(seen.cookingWeight).not.toBeNull(); // the lean entry's own reading was stored
  expect(seen.erasedMeasure).toBeNull();
  expect(seen.version).toBe(true);
});
