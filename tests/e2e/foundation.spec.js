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
