// A visual and accessibility check: screenshots of the page and the privacy center at
// desktop and 360 px widths (written to tests/e2e/artifacts/, git-ignored), no sideways
// scrolling at 360 px, every control labelled and reachable by keyboard with visible focus.
import { test, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { open, acceptAll, readStories, DAY1, DAY2 } from "./demo-helpers.js";

const ARTIFACTS = new URL("./artifacts/", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

for (const [name, width, height] of [["desktop", 1280, 900], ["360px", 360, 780]]) {
  test(`screenshots at ${name}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await open(page, { now: DAY1 });
    await page.screenshot({ path: `${ARTIFACTS}${name}-first-visit.png` });
    await noSidewaysScroll(page, width);
    await acceptAll(page);
    await readStories(page, "hiking", 2);
    await open(page, { now: DAY2 });
    await readStories(page, "hiking", 1);
    await page.selectOption("#browse-topic", "");
    await page.locator("#for-you > .card").first().getByRole("button", { name: /^Why this\?/ }).click();
    await page.screenshot({ path: `${ARTIFACTS}${name}-for-you.png`, fullPage: true });
    await noSidewaysScroll(page, width);

    await page.goto(`/?now=${DAY2}#/your-data`);
    await expect(page.locator("#pc-observed")).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}${name}-your-data.png`, fullPage: true });
    await noSidewaysScroll(page, width);

    await page.goto(`/?now=${DAY2}#/how-ranking-works`);
    await expect(page.locator("#model-card")).not.toBeEmpty();
    await page.screenshot({ path: `${ARTIFACTS}${name}-how-ranking-works.png`, fullPage: true });
    await noSidewaysScroll(page, width);
  });
}

async function noSidewaysScroll(page, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(width);
}

test("every control has a name, on the page and in the privacy center", async ({ page }) => {
  await open(page);
  await acceptAll(page);
  await readStories(page, "hiking", 1);
  for (const hash of ["#/", "#/your-data"]) {
    await page.goto(`/?now=${DAY1}${hash}`);
    await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
    const unnamed = await page.evaluate(() => {
      const visible = (el) => el.getClientRects().length > 0;
      const name = (el) => (el.getAttribute("aria-label") || el.textContent || "").trim() ||
        [...(el.labels ?? [])].map((l) => l.textContent.trim()).join("");
      return [...document.querySelectorAll("button, a[href], input, select")]
        .filter((el) => visible(el) && !name(el)).map((el) => el.outerHTML.slice(0, 80));
    });
    expect(unnamed).toEqual([]);
  }
});

test("keyboard: the banner comes first, choices work with Enter, focus is visible", async ({ page }) => {
  await open(page);
  await page.keyboard.press("Tab"); // skip link
  await expect(page.locator(".skip-link")).toBeFocused();
  const seen = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    seen.push(await page.evaluate(() => document.activeElement?.textContent?.trim() || document.activeElement?.getAttribute("aria-label")));
  }
  expect(seen).toEqual(expect.arrayContaining(["Accept all", "Reject all", "Choose"]));
  const accept = page.getByRole("button", { name: "Accept all", exact: true });
  await accept.focus();
  const outline = await accept.evaluate((el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  expect(outline.style).not.toBe("none");
  expect(outline.width).toBeGreaterThanOrEqual(2);
  await page.keyboard.press("Enter");
  await expect(page.locator("#consent-banner")).toBeHidden();
  expect(await page.evaluate(() => window.inklingDemo.inkling.consent().personalize)).toBe(true);

  // A card's controls are reachable and "Why this?" opens with the keyboard.
  const why = page.locator("#for-you > .card").first().getByRole("button", { name: /^Why this\?/ });
  await why.focus();
  await page.keyboard.press("Enter");
  await expect(why).toHaveAttribute("aria-expanded", "true");
});
