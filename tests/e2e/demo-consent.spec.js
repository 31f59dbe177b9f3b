// The consent banner on the demo page: equal choices, closing means no, nothing is
// personalized or sent before a choice, GPC is honoured, a new policy asks again.
import { test, expect } from "@playwright/test";
import { open, acceptAll, recordRequests, nonAssetRequests, railIds, stored, STORAGE_KEY } from "./demo-helpers.js";

test("first visit: the banner asks, nothing is personalized, nothing is sent", async ({ page }) => {
  const requests = recordRequests(page);
  await open(page);
  const banner = page.locator("#consent-banner");
  await expect(banner).toBeVisible();
  for (const purpose of ["Personalize", "Remember", "Measure"]) await expect(banner.locator(".purposes")).toContainText(purpose);
  await expect(banner.getByRole("link", { name: "Your data" })).toHaveAttribute("href", "#/your-data");
  await expect(page.locator("#for-you")).toHaveAttribute("data-personalized", "false");
  await expect(page.locator("#rail-note")).toContainText("Not personalized");
  expect((await railIds(page)).length).toBeGreaterThan(0);
  // Reading a story before any choice teaches nothing and stores nothing.
  await page.selectOption("#browse-topic", "hiking");
  await page.locator('#browse > .card[data-kind="article"] [data-action="read"]').first().click();
  await page.keyboard.press("Escape");
  await expect(page.locator("#for-you")).toHaveAttribute("data-personalized", "false");
  expect(await stored(page)).toBeNull();
  expect(nonAssetRequests(requests)).toEqual([]);
});

test("the three choices are equal buttons: same size and the same style", async ({ page }) => {
  await open(page);
  const styles = await page.locator("#consent-banner .choices .choice").evaluateAll((buttons) => buttons.map((b) => {
    const s = getComputedStyle(b);
    const r = b.getBoundingClientRect();
    return { text: b.textContent.trim(), cls: b.className, w: Math.round(r.width), h: Math.round(r.height), bg: s.backgroundColor,
      color: s.color, border: s.border, font: `${s.fontSize} ${s.fontWeight}` };
  }));
  expect(styles.map((s) => s.text)).toEqual(["Accept all", "Reject all", "Choose"]);
  for (const s of styles.slice(1)) {
    expect({ ...s, text: "" }).toEqual({ ...styles[0], text: "" });
  }
});

test("Reject all: banner gone, still not personalized, nothing sent or kept", async ({ page }) => {
  const requests = recordRequests(page);
  await open(page);
  const before = await railIds(page);
  await page.getByRole("button", { name: "Reject all", exact: true }).click();
  await expect(page.locator("#consent-banner")).toBeHidden();
  await expect(page.locator("#for-you")).toHaveAttribute("data-personalized", "false");
  expect(await railIds(page)).toEqual(before);
  const consent = await page.evaluate(() => window.inklingDemo.inkling.consent());
  expect(consent).toMatchObject({ personalize: false, remember: false, measure: false, needsDecision: false });
  // Without `remember` only the refusal itself is kept, so the banner does not ask again.
  const doc = await stored(page);
  expect(doc.consent).toMatchObject({ personalize: false, remember: false, measure: false });
  expect(doc.profile).toBeNull();
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  await expect(page.locator("#consent-banner")).toBeHidden();
  expect(nonAssetRequests(requests)).toEqual([]);
});

test("closing the banner means reject, with the keyboard too", async ({ page }) => {
  await open(page);
  await page.getByRole("button", { name: "Close: same as Reject all" }).click();
  await expect(page.locator("#consent-banner")).toBeHidden();
  expect(await page.evaluate(() => window.inklingDemo.inkling.consent())).toMatchObject({ personalize: false, remember: false, measure: false, needsDecision: false });

  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator("#consent-banner")).toBeVisible();
  await page.getByRole("button", { name: "Accept all", exact: true }).focus();
  await page.keyboard.press("Escape");
  await expect(page.locator("#consent-banner")).toBeHidden();
  expect(await page.evaluate(() => window.inklingDemo.inkling.consent().personalize)).toBe(false);
});

test("Choose: only the ticked purposes are allowed", async ({ page }) => {
  await open(page);
  await page.getByRole("button", { name: "Choose" }).click();
  await expect(page.getByRole("button", { name: "Choose" })).toHaveAttribute("aria-expanded", "true");
  const form = page.locator("#consent-choose");
  for (const box of await form.getByRole("checkbox").all()) await expect(box).not.toBeChecked();
  await form.getByLabel("Personalize what I see").check();
  await form.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.locator("#consent-banner")).toBeHidden();
  expect(await page.evaluate(() => window.inklingDemo.inkling.consent())).toMatchObject({ personalize: true, remember: false, measure: false });
  await expect(page.locator("#for-you")).toHaveAttribute("data-personalized", "true");
  // Without `remember` the profile lives in memory only.
  await expect(page.locator("#storage-status")).toContainText("memory");
});

test("Accept all: personalized rail, kept in this browser", async ({ page }) => {
  await open(page);
  await acceptAll(page);
  await expect(page.locator("#for-you")).toHaveAttribute("data-personalized", "true");
  await expect(page.locator("#rail-title")).toHaveText("For you");
  await expect(page.locator("#storage-status")).toHaveText("this browser");
  expect(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY)).not.toBeNull();
});

test("a new policy version asks again, and says why", async ({ page }) => {
  await open(page);
  await acceptAll(page);
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  await expect(page.locator("#consent-banner")).toBeHidden();
  await open(page, { query: "policy=2027-01" });
  await expect(page.locator("#consent-banner")).toBeVisible();
  await expect(page.locator("#consent-policy-note")).toContainText("2027-01");
  await expect(page.locator("#consent-policy-note")).toContainText("2026-11");
  await page.getByRole("button", { name: "Reject all", exact: true }).click();
  expect(await page.evaluate(() => window.inklingDemo.inkling.consent())).toMatchObject({ policyVersion: "2027-01", personalize: false, needsDecision: false });
});

test.describe("with Global Privacy Control", () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true, configurable: true }));
  });

  test("the banner says GPC is honoured and Accept all leaves measurement off", async ({ page }) => {
    const requests = recordRequests(page);
    await open(page);
    await expect(page.locator("#consent-gpc")).toBeVisible();
    await expect(page.locator("#consent-gpc")).toContainText("Global Privacy Control");
    await acceptAll(page);
    const consent = await page.evaluate(() => window.inklingDemo.inkling.consent());
    expect(consent.gpc).toBe(true);
    expect(consent).toMatchObject({ personalize: true, remember: true, measure: false });
    await page.reload();
    await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
    await page.locator('nav[aria-label="Main"]').getByRole("link", { name: "Your data" }).click();
    await expect(page.locator("#pc-gpc")).toContainText("Global Privacy Control");
    await expect(page.locator("#pc-choices").getByRole("checkbox", { name: /^Measure/ })).not.toBeChecked();
    expect(nonAssetRequests(requests)).toEqual([]);
  });

  test("only an explicit choice in Your data turns measurement on", async ({ page }) => {
    await open(page, { hash: "#/your-data" });
    await page.getByRole("button", { name: "Reject all", exact: true }).click();
    await page.locator("#pc-choices").getByRole("checkbox", { name: /^Measure/ }).check();
    expect(await page.evaluate(() => window.inklingDemo.inkling.consent())).toMatchObject({ gpc: true, measure: true });
  });
});
