// "Your data": every control verified twice, in what the page shows and in what the
// browser stores under inkling:demo.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import {
  open, acceptAll, readStories, railTopics, stored, storedRaw, storedProfile, profile, f32, goToYourData, goHome, DAY1, DAY2,
} from "./demo-helpers.js";

/** Opens the page with everything allowed and some hiking history over two days. */
async function withHistory(page) {
  await open(page, { now: DAY1 });
  await acceptAll(page);
  await readStories(page, "hiking", 2);
  await open(page, { now: DAY2 });
  await readStories(page, "hiking", 1);
}

const storedText = async (page) => JSON.stringify(await stored(page));
const storedTopic = async (page, topic) => (await storedProfile(page))?.topics?.[topic];

test("declare and clear an interest", async ({ page }) => {
  await open(page);
  await acceptAll(page);
  await goToYourData(page);
  await expect(page.locator("#pc-declared-list")).toHaveText("Nothing yet.");
  await page.getByLabel("Topic").first().selectOption("climbing");
  await page.getByRole("button", { name: "I like this" }).click();
  const row = page.locator('#pc-declared-list > li[data-topic="climbing"]');
  await expect(row).toHaveText(/You like Climbing/);
  await expect(row).toHaveAttribute("data-pref", "like");
  expect(await storedTopic(page, "climbing")).toMatchObject({ pref: "like" });
  expect((await profile(page)).profile.topics.climbing).toMatchObject({ pref: "like" });

  await goHome(page);
  const topics = await railTopics(page);
  expect(topics.slice(0, 3)).toContain("climbing");
  const card = page.locator('#for-you > .card[data-main-topic="climbing"]').first();
  await card.getByRole("button", { name: /^Why this\?/ }).click();
  await expect(card.locator(".why")).toContainText("Climbing");

  await goToYourData(page);
  await page.getByRole("button", { name: "Clear: Climbing" }).click();
  await expect(page.locator('#pc-declared-list > li[data-topic="climbing"]')).toHaveCount(0);
  expect((await storedTopic(page, "climbing"))?.pref).toBeUndefined();
});

test("a sensitive topic is used only once declared", async ({ page }) => {
  await open(page);
  await acceptAll(page);
  await readStories(page, "pregnancy", 3);
  await goToYourData(page);
  await expect(page.locator('#pc-observed-list > li[data-topic="pregnancy"]')).toHaveCount(0);
  expect(await storedTopic(page, "pregnancy")).toBeUndefined();
  await page.locator("#pc-declare-topic").selectOption("pregnancy");
  await page.getByRole("button", { name: "I like this" }).click();
  await expect(page.locator('#pc-declared-list > li[data-topic="pregnancy"]')).toBeVisible();
  expect(await storedTopic(page, "pregnancy")).toMatchObject({ pref: "like" });
  await goHome(page);
  expect(await railTopics(page)).toContain("pregnancy");
});

test("forget removes what was noticed about a topic", async ({ page }) => {
  await withHistory(page);
  await goToYourData(page);
  const row = page.locator('#pc-observed-list > li[data-topic="hiking"]');
  await expect(row).toContainText("Hiking");
  expect((await storedTopic(page, "hiking")).w).toBeGreaterThan(0);
  await row.getByRole("button", { name: "Forget Hiking" }).click();
  await expect(row).toHaveCount(0);
  await expect(page.locator("#toast")).toContainText("Forgot");
  const forgotten = await storedTopic(page, "hiking");
  expect(forgotten?.w ?? 0).toBe(0);
  expect(forgotten?.days ?? 0).toBe(0);
  await goHome(page);
  expect((await railTopics(page)).filter((t) => t === "hiking").length).toBeLessThan(2);
});

test("mute keeps a topic out whatever is read, and unmute brings it back", async ({ page }) => {
  await withHistory(page);
  await goToYourData(page);
  await page.getByRole("button", { name: "Mute Hiking" }).click();
  await expect(page.locator('#pc-muted-list > li[data-topic="hiking"]')).toHaveText(/Hiking/);
  expect(await storedTopic(page, "hiking")).toMatchObject({ muted: true });
  await goHome(page);
  expect(await railTopics(page)).not.toContain("hiking");
  await readStories(page, "hiking", 1);
  expect(await railTopics(page)).not.toContain("hiking");

  await goToYourData(page);
  await page.getByRole("button", { name: "Unmute Hiking" }).click();
  await expect(page.locator('#pc-muted-list > li[data-topic="hiking"]')).toHaveCount(0);
  expect((await storedTopic(page, "hiking"))?.muted ?? false).toBe(false);
  await goHome(page);
  expect(await railTopics(page)).toContain("hiking");
});

test("pause: the same order as everyone, labelled, and the profile is kept", async ({ page }) => {
  await withHistory(page);
  const personalized = await railTopics(page);
  expect(personalized).toContain("hiking");
  await goToYourData(page);
  await page.getByLabel(/^Pause personalization/).check();
  expect((await storedProfile(page)).paused).toBe(true);
  await goHome(page);
  await expect(page.locator("#for-you")).toHaveAttribute("data-personalized", "false");
  await expect(page.locator("#rail-note")).toContainText("paused");
  expect(await railTopics(page)).not.toEqual(personalized);
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  await expect(page.locator("#for-you")).toHaveAttribute("data-personalized", "false");

  await goToYourData(page);
  await expect(page.locator('#pc-observed-list > li[data-topic="hiking"]')).toBeVisible(); // kept while paused
  await page.getByLabel(/^Pause personalization/).uncheck();
  expect((await storedProfile(page)).paused).toBe(false);
  await goHome(page);
  await expect(page.locator("#for-you")).toHaveAttribute("data-personalized", "true");
});

test("undo takes back the last thing done", async ({ page }) => {
  await withHistory(page);
  await goToYourData(page);
  const events = page.locator("#pc-events-list > li");
  const n = await events.count();
  expect(n).toBeGreaterThanOrEqual(3);
  await page.getByRole("button", { name: "Undo the last one" }).click();
  await expect(events).toHaveCount(n - 1);
  await expect(page.locator('#pc-observed-list > li[data-topic="hiking"]')).toContainText("2 stories on 1 day");
});

test("erase asks first, then leaves a clean state", async ({ page }) => {
  await withHistory(page);
  await goToYourData(page);
  await page.getByRole("button", { name: "Erase everything" }).click();
  const dialog = page.locator("#erase-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Keep my data" }).click();
  await expect(dialog).toBeHidden();
  expect((await storedTopic(page, "hiking")).w).toBeGreaterThan(0);

  await page.getByRole("button", { name: "Erase everything" }).click();
  await dialog.getByRole("button", { name: "Erase everything" }).click();
  await expect(page.locator("#toast")).toContainText("erased");
  await expect(page.locator("#pc-observed-list")).toHaveText("Nothing yet.");
  await expect(page.locator("#pc-declared-list")).toHaveText("Nothing yet.");
  await expect(page.locator("#pc-events-list")).toHaveText("Nothing yet.");
  const p = await storedProfile(page);
  expect(p?.topics ?? {}).toEqual({});
  expect(p?.recent ?? []).toEqual([]);
  expect(await storedText(page)).not.toContain("hiking");
  const held = await profile(page);
  expect(held.profile.topics ?? {}).toEqual({});
  expect(JSON.stringify(held)).not.toContain("hiking");
});

test("export, erase, import: the same profile comes back", async ({ page }) => {
  await withHistory(page);
  await goToYourData(page);
  await page.locator("#pc-declare-topic").selectOption("coffee");
  await page.getByRole("button", { name: "I like this" }).click();
  const original = await profile(page);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export my data" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^inkling-profile-.*\.json$/);
  const file = await download.path();
  const exported = readFileSync(file, "utf8");
  expect(() => JSON.parse(exported)).not.toThrow();
  expect(exported).toContain("hiking");

  await page.getByRole("button", { name: "Erase everything" }).click();
  await page.locator("#erase-dialog").getByRole("button", { name: "Erase everything" }).click();
  await expect(page.locator("#pc-observed-list")).toHaveText("Nothing yet.");
  if (await page.locator("#consent-banner").isVisible()) await acceptAll(page);

  await page.locator("#pc-import").setInputFiles(file);
  await expect(page.locator("#pc-import-message")).toContainText("Imported");
  await expect(page.locator('#pc-observed-list > li[data-topic="hiking"]')).toContainText("3 stories on 2 days");
  await expect(page.locator('#pc-declared-list > li[data-topic="coffee"]')).toBeVisible();
  const restored = await profile(page);
  expect(f32(restored.profile)).toEqual(f32(original.profile));
  expect(await page.evaluate(() => window.inklingDemo.inkling.exportProfile())).toEqual(exported);
  expect(f32((await storedProfile(page)).topics)).toEqual(f32(original.profile.topics));
});

test("a corrupted file is refused and nothing changes", async ({ page }) => {
  await withHistory(page);
  await goToYourData(page);
  const good = await page.evaluate(() => window.inklingDemo.inkling.exportProfile());
  const rawBefore = await storedRaw(page);
  const profileBefore = await profile(page);

  const bad = [
    good.slice(0, Math.floor(good.length / 2)), // truncated
    good.replace(/"v":\s*1/, '"v":"one"'), // wrong type
    "not json at all",
    JSON.stringify({ v: 1, topics: { hiking: { observed: "NaN" } } }),
  ];
  for (const [i, text] of bad.entries()) {
    await page.locator("#pc-import").setInputFiles({ name: `bad-${i}.json`, mimeType: "application/json", buffer: Buffer.from(text) });
    await expect(page.locator("#pc-import-message")).toHaveClass("error");
    await expect(page.locator("#pc-import-message")).toContainText("nothing changed");
    expect(await storedRaw(page)).toEqual(rawBefore);
    expect(await profile(page)).toEqual(profileBefore);
  }
  await expect(page.locator('#pc-observed-list > li[data-topic="hiking"]')).toContainText("3 stories on 2 days");
});

test("the privacy center shows measurement and storage plainly", async ({ page }) => {
  await withHistory(page);
  await goToYourData(page);
  await expect(page.locator("#pc-measure")).toContainText("Measurement");
  await expect(page.locator("#pc-budget")).toContainText("ε");
  await expect(page.locator("#pc-storage-text")).toContainText("local storage");
  await expect(page.locator("#pc-caps")).toBeVisible();
});

test("pending reports are shown byte for byte, and sent once when the visitor looks away", async ({ page }) => {
  const posts = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/v1/reports") posts.push({ method: r.method(), body: r.postData() });
  });
  await open(page);
  await acceptAll(page);
  await readStories(page, "hiking", 2);
  await goToYourData(page);
  const pending = await page.evaluate(() => window.inklingDemo.inkling.pendingReports({ now: window.inklingDemo.now() }));
  expect(pending.length).toBeGreaterThan(0);
  expect(await page.locator("#pc-pending pre.report").allTextContents()).toEqual(pending);
  // Reports are planned on the page's clock: the simulated day, not the real one.
  expect(JSON.parse(pending.find((r) => r.includes('"metric":"interests"'))).period).toBe(DAY1.slice(0, 10));
  await expect(page.locator("#pc-pending")).toContainText("Your top interests for 20 Nov 2026");
  await expect(page.locator("#pc-pending")).toContainText("ε = 1");
  expect(posts).toEqual([]); // nothing has left while the visitor is here

  // The tab is hidden (another tab, the phone locked): the page's one flush sends exactly those bytes.
  const hide = () => page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await hide();
  await expect.poll(() => posts.length).toBe(1);
  expect(posts[0]).toEqual({ method: "POST", body: `[${pending.join(",")}]` });
  await hide(); // once per page load
  await page.waitForTimeout(300);
  expect(posts.length).toBe(1);
});

test("leaving the page sends the day's reports to the collector, once", async ({ page, request }) => {
  const received = async () => Number((await (await request.get("/metrics")).text()).match(/^inkling_ingest_requests_total (\d+)$/m)?.[1]);
  await open(page);
  await acceptAll(page);
  await readStories(page, "coffee", 2);
  expect(await page.evaluate(() => window.inklingDemo.inkling.pendingReports({ now: window.inklingDemo.now() }).length)).toBeGreaterThan(0);
  const before = await received();
  expect(Number.isInteger(before)).toBe(true);
  await page.goto("about:blank"); // pagehide: the beacon goes out as the page unloads
  await expect.poll(received).toBe(before + 1);
  await open(page); // the same day again: nothing is due
  expect(await page.evaluate(() => window.inklingDemo.inkling.pendingReports({ now: window.inklingDemo.now() }))).toEqual([]);
  await page.goto("about:blank");
  await page.waitForTimeout(300);
  expect(await received()).toBe(before + 1);
});

test("How ranking works renders the model card", async ({ page }) => {
  await open(page, { hash: "#/how-ranking-works" });
  await expect(page.locator("#view-how-ranking-works")).toBeVisible();
  const card = await page.evaluate(() => window.inklingDemo && window.inklingDemo.inkling.constructor.modelCard());
  const shown = await page.locator("#model-card").innerText();
  expect(shown.length).toBeGreaterThan(300);
  // Every number in the card is on the page.
  const numbers = JSON.stringify(card).match(/-?\d+\.\d+/g) ?? [];
  for (const n of numbers.slice(0, 20)) expect(shown).toContain(String(Number(Number(n).toPrecision(4))));
});
