// The "For you" rail learns from what the visitor reads, on simulated days, and the
// card controls ("Why this?", "Not for me", "I bought this as a gift") do what they say.
import { test, expect } from "@playwright/test";
import { open, acceptAll, readStories, railIds, railTopics, profile, storedProfile, DAY1, DAY2 } from "./demo-helpers.js";

const count = (xs, x) => xs.filter((y) => y === x).length;
const firstIndex = (xs, x) => (xs.includes(x) ? xs.indexOf(x) : Infinity);

test("three hiking stories on two days move hiking up, and Why this? names hiking", async ({ page }) => {
  await open(page, { now: DAY1 });
  await acceptAll(page);
  const before = await railTopics(page);

  await readStories(page, "hiking", 2);
  await open(page, { now: DAY2 }); // a new visit the next day: the profile was remembered
  await expect(page.locator("#consent-banner")).toBeHidden();
  await readStories(page, "hiking", 1);

  const after = await railTopics(page);
  expect(count(after, "hiking")).toBeGreaterThan(count(before, "hiking"));
  expect(count(after, "hiking")).toBeGreaterThanOrEqual(2);
  expect(firstIndex(after, "hiking")).toBeLessThan(firstIndex(before, "hiking"));
  expect(after[0]).toBe("hiking");

  const first = page.locator('#for-you > .card[data-main-topic="hiking"]').first();
  await first.getByRole("button", { name: /^Why this\?/ }).click();
  await expect(first.getByRole("button", { name: /^Why this\?/ })).toHaveAttribute("aria-expanded", "true");
  await expect(first.locator(".why")).toBeVisible();
  await expect(first.locator(".why")).toContainText("Hiking");

  // The privacy center shows the evidence in words.
  await page.goto(`/?now=${DAY2}#/your-data`);
  const row = page.locator('#pc-observed-list > li[data-topic="hiking"]');
  await expect(row).toContainText("3 stories on 2 days");
});

test("a gift purchase leaves the profile alone; buying for yourself does not", async ({ page }) => {
  await open(page, { now: DAY1 });
  await acceptAll(page);
  await page.selectOption("#browse-topic", "wine");
  await page.locator('#browse > .card[data-kind="article"] [data-action="read"]').first().click();
  await page.keyboard.press("Escape");
  const rail = await railIds(page);
  const before = (await profile(page)).profile;
  // An offer on a topic the profile does not hold yet, so any learning would show.
  const offers = await page.locator('#for-you > .card[data-kind="offer"]')
    .evaluateAll((cards) => cards.map((c) => [c.getAttribute("data-id"), c.getAttribute("data-main-topic")]));
  const [giftId, giftTopic] = offers.find(([, topic]) => !(topic in before.topics));
  const offer = page.locator(`#for-you > .card[data-id="${giftId}"]`);
  const storedBefore = await storedProfile(page);

  await offer.getByRole("button", { name: /^I bought this as a gift/ }).click();
  await expect(page.locator("#toast")).toContainText("gift");
  // The next ranking: the gift is gone, the rest stays (diversity may swap one item at the tail).
  const afterGift = await railIds(page);
  expect(afterGift).not.toContain(giftId);
  expect(afterGift.filter((id) => rail.includes(id)).length).toBeGreaterThanOrEqual(rail.length - 2);
  // ... and the profile, in memory and in storage, is exactly what it was.
  expect((await profile(page)).profile).toEqual(before);
  expect(await storedProfile(page)).toEqual(storedBefore);
  await page.goto(`/?now=${DAY1}#/your-data`);
  await expect(page.locator(`#pc-observed-list > li[data-topic="${giftTopic}"]`)).toHaveCount(0);
  await expect(page.locator(`#pc-events-list > li[data-item="${giftId}"]`)).toHaveCount(0);

  // The same kind of purchase for oneself is interest, and the item leaves the rail for good.
  await page.goto(`/?now=${DAY1}`);
  await page.selectOption("#browse-topic", "photography");
  const own = page.locator('#browse > .card[data-kind="offer"][data-main-topic="photography"]').first();
  const ownId = await own.getAttribute("data-id");
  await own.getByRole("button", { name: /^Buy / }).click();
  expect((await storedProfile(page)).topics.photography.w).toBeGreaterThan(before.topics.photography?.w ?? 0);
  expect(await railIds(page)).not.toContain(ownId);
  await page.goto(`/?now=${DAY1}#/your-data`);
  await expect(page.locator('#pc-observed-list > li[data-topic="photography"]')).toHaveCount(1);
  await expect(page.locator(`#pc-events-list > li[data-item="${ownId}"]`)).toContainText("You bought");
});

test("Not for me removes the item and pulls its topic down", async ({ page }) => {
  await open(page, { now: DAY1 });
  await acceptAll(page);
  await readStories(page, "hiking", 2);
  await open(page, { now: DAY2 });
  await readStories(page, "hiking", 1);
  const before = await railIds(page);
  const weightBefore = (await storedProfile(page)).topics.hiking.w;
  const target = page.locator('#for-you > .card[data-main-topic="hiking"]').first();
  const id = await target.getAttribute("data-id");

  await target.getByRole("button", { name: /^Not for me/ }).click();
  const after = await railIds(page);
  expect(after).not.toContain(id);
  expect(after).not.toEqual(before);
  const stored = await storedProfile(page);
  expect(stored.topics.hiking.w).toBeLessThan(weightBefore);
  expect(Object.keys(stored.dismissed)).toContain(id);

  // The explanation for the dismissed item says why it is gone.
  const explanation = await page.evaluate((x) => window.inklingDemo.inkling.explain(x, { now: window.inklingDemo.now() }), id);
  expect(explanation.included).toBe(false);
  expect(explanation.excludedBecause).toBeTruthy();

  // Undo from the toast brings it back.
  await page.locator("#toast").getByRole("button", { name: "Undo" }).click();
  expect(await railIds(page)).toEqual(before);
  expect((await storedProfile(page)).dismissed).toEqual({});
});

test("without consent, clicks teach nothing and the rail is labelled as not personalized", async ({ page }) => {
  await open(page, { now: DAY1 });
  await page.getByRole("button", { name: "Reject all", exact: true }).click();
  const before = await railIds(page);
  await readStories(page, "hiking", 3);
  expect(await railIds(page)).toEqual(before);
  await expect(page.locator("#rail-note")).toContainText("Not personalized");
  await expect(page.locator("#rail-title")).toHaveText("Popular right now");
});
