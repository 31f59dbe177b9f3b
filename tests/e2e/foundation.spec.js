import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));

test("a value computed in Rust reaches the page through wasm", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  await expect(page.locator("#version")).toHaveText(pkg.version);
});

test("the collector serves the package with the wasm MIME type", async ({ request }) => {
  const res = await request.get("/pkg/web/inkling_bg.wasm");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/wasm");
});

test("text in any script enters the module as the page wrote it", async ({ page }) => {
  await page.goto("/harness.html?site=text");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  const ids = ["plain", "café", "日本語のタイトル", "emoji 😀 ok", "mixed ü then ascii", "lone \ufffd mark"];
  const seen = await page.evaluate((ids) => {
    // A long ASCII run first, as in a real catalog's JSON, then every other script.
    const catalog = {
      topics: [{ id: "t", label: "Tëst" }],
      items: [...Array(500).keys()].map((i) => ({ id: `ascii-${i}`, topics: { t: 1 } }))
        .concat(ids.map((id, i) => ({ id, topics: { t: 1 }, popularity: i + 1 }))),
    };
    const ink = window.Inkling.open({ siteId: "text", policyVersion: "1" });
    ink.loadCatalog(JSON.stringify(catalog));
    return {
      ranked: ink.rank({ limit: ids.length }).map((r) => r.id),
      // Each id as a string argument of its own; a lone surrogate arrives as U+FFFD.
      explained: ids.map((id) => ink.explain(id.replace("\ufffd", "\ud800")).id),
    };
  }, ids);
  expect([...seen.ranked].sort()).toEqual([...ids].sort());
  expect(seen.explained).toEqual(ids);
});

test("every declared method is on the class, and a wrong argument is a TypeError naming it", async ({ page }) => {
  // The methods `interface Inkling` declares in the shipped types: the glue writes one per
  // declaration (scripts/glue-methods.mjs), each through the module's one method export.
  const types = readFileSync(new URL("../../pkg/web/inkling.d.ts", import.meta.url), "utf8");
  const declared = [...types.matchAll(/export interface Inkling \{([\s\S]*?)\n\}/g)]
    .flatMap(([, body]) => [...body.matchAll(/^ {4}(\w+)\(/gm)].map((m) => m[1]));
  expect(declared.length).toBeGreaterThan(20);

  await page.goto("/harness.html?site=args");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  const seen = await page.evaluate(() => {
    const ink = window.Inkling.open({ siteId: "args", policyVersion: "1" });
    const thrown = (f) => {
      try {
        f();
        return "returned";
      } catch (e) {
        return [e.constructor.name, e.path ?? null, e.message];
      }
    };
    return {
      methods: Object.getOwnPropertyNames(window.Inkling.prototype),
      mute: thrown(() => ink.mute(undefined)),
      explain: thrown(() => ink.explain(42)),
      importProfile: thrown(() => ink.importProfile({})),
      flush: thrown(() => ink.flush(null)),
      pause: thrown(() => ink.pause("yes")),
      paused: thrown(() => ink.pause(true)),
    };
  });
  expect(seen.methods).toEqual(expect.arrayContaining(declared));
  expect(seen.mute).toEqual(["TypeError", "/topic", "/topic: expected a string"]);
  expect(seen.explain).toEqual(["TypeError", "/item", "/item: expected a string"]);
  expect(seen.importProfile).toEqual(["TypeError", "/json", "/json: expected a string"]);
  expect(seen.flush).toEqual(["TypeError", "/endpoint", "/endpoint: expected a string"]);
  expect(seen.pause).toEqual(["TypeError", "/paused", "/paused: expected true or false"]);
  expect(seen.paused).toBe("returned");
});

test("a freed Inkling throws a plain Error, and one freed during its own call finishes it", async ({ page }) => {
  await page.goto("/harness.html?site=free");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  const seen = await page.evaluate(() => {
    const thrown = (f) => {
      try {
        return ["returned", f()];
      } catch (e) {
        return [e.constructor.name, e.path ?? null, e.message];
      }
    };
    const open = () => window.Inkling.open({ siteId: "free", policyVersion: "1" });
    const a = open();
    a.free();
    const afterFree = thrown(() => a.status());
    const twice = thrown(() => a.free());
    // The next instance may take the freed one's place: the freed object still names none.
    const b = open();
    const reused = thrown(() => a.consent());
    const other = thrown(() => b.status().storage);
    b[Symbol.dispose]();
    const disposed = thrown(() => b.status());
    // The page frees the instance while it reads the argument: the call still completes.
    const c = open();
    const during = thrown(() => c.setConsent({ get personalize() { c.free(); return true; } }).personalize);
    const afterDuring = thrown(() => c.profile());
    return { afterFree, twice, reused, other, disposed, during, afterDuring };
  });
  const freed = ["Error", null, "this Inkling was freed"];
  expect(seen.afterFree).toEqual(freed);
  expect(seen.twice).toEqual(["returned", undefined]);
  expect(seen.reused).toEqual(freed);
  expect(seen.other[0]).toBe("returned");
  expect(seen.disposed).toEqual(freed);
  expect(seen.during).toEqual(["returned", true]);
  expect(seen.afterDuring).toEqual(freed);
});
