// Storage across pages: two tabs recording at once lose no event; `remember`
// decides whether the profile survives a reload.
import { test, expect } from "@playwright/test";

async function openHarness(page, site) {
  await page.goto(`/harness.html?site=${site}`);
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
}

/** Events of each item in the stored document (what a fresh page would load). */
async function storedCounts(page, site) {
  return page.evaluate((key) => {
    const doc = JSON.parse(localStorage.getItem(key) || "null");
    const counts = {};
    for (const e of doc?.profile?.recent ?? []) counts[e.item] = (counts[e.item] || 0) + 1;
    return counts;
  }, `inkling:${site}`);
}

test("two tabs recording at the same time lose no event", async ({ context }) => {
  const site = "two-tabs";
  const a = await context.newPage();
  const b = await context.newPage();
  await openHarness(a, site);
  await a.evaluate(() => window.inkling.setConsent({ personalize: true, remember: true }));
  await openHarness(b, site);
  expect(await b.evaluate(() => window.inkling.consent().remember)).toBe(true);

  const burst = async (item) => {
    for (let i = 0; i < 20; i++) {
      window.inkling.record({ type: "view", item });
      // Yield so the other tab's writes and storage events interleave with ours.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  await Promise.all([a.evaluate(burst, "a1"), b.evaluate(burst, "a2")]);

  // Lost writes are re-applied on the next storage event or Web Lock turn: wait for that.
  const reader = await context.newPage();
  await openHarness(reader, "reader");
  await expect.poll(() => storedCounts(reader, site), { timeout: 10_000 }).toEqual({ a1: 20, a2: 20 });
  // A page opened now loads every event.
  const fresh = await context.newPage();
  await openHarness(fresh, site);
  const recent = await fresh.evaluate(() => window.inkling.profile().profile.recent.length);
  expect(recent).toBe(40);
});

test("with remember the profile survives a reload", async ({ page }) => {
  await openHarness(page, "reload-remember");
  await page.evaluate(() => {
    window.inkling.setConsent({ personalize: true, remember: true });
    window.inkling.record({ type: "click", item: "a1" });
    window.inkling.declare("travel", "like");
  });
  const before = await page.evaluate(() => window.inkling.exportProfile());
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  const after = await page.evaluate(() => ({
    profile: window.inkling.exportProfile(),
    status: window.inkling.status(),
    consent: window.inkling.consent(),
  }));
  expect(after.profile).toBe(before);
  expect(after.status.storage).toBe("local");
  expect(after.consent.remember).toBe(true);
});

test("without remember the profile is gone after a reload", async ({ page }) => {
  await openHarness(page, "reload-forget");
  const learned = await page.evaluate(() => {
    window.inkling.setConsent({ personalize: true, remember: false });
    const learned = window.inkling.record({ type: "click", item: "a1" });
    window.inkling.declare("travel", "like");
    return learned;
  });
  expect(learned).toBe(true);
  expect(await page.evaluate(() => window.inkling.profile().profile.recent.length)).toBe(1);
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  const after = await page.evaluate(() => ({
    profile: window.inkling.profile(),
    status: window.inkling.status(),
    stored: localStorage.getItem("inkling:reload-forget"),
  }));
  expect(after.profile.profile.recent).toEqual([]);
  expect(Object.keys(after.profile.profile.topics)).toEqual([]);
  expect(after.status).toMatchObject({ storage: "memory", reason: "no-remember-consent" });
  // The choice itself is kept, so the visitor is not asked again; nothing about their interests is.
  expect(after.profile.consent.personalize).toBe(true);
  expect(after.stored).not.toContain("travel");
  expect(after.stored).not.toContain("a1");
});
