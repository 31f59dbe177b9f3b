// End-to-end tests of www/ served by the collector, in Debian's Chromium.
import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PORT = Number(process.env.E2E_PORT || 8791);
const TARGET_DIR = process.env.CARGO_TARGET_DIR || "target";
// The debug build that `cargo test --workspace` has already made: the tests check
// behaviour, not speed, and a second, release build of the server cost minutes and disk.
const COLLECTOR = process.env.E2E_COLLECTOR || `${TARGET_DIR}/debug/inkling-collector`;
// A fresh database per run, so reports from earlier runs never count twice.
const DB_DIR = process.env.E2E_DB_DIR || mkdtempSync(join(tmpdir(), "inkling-e2e-"));
process.env.E2E_DB_DIR = DB_DIR;

export const chromiumArgs = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  timeout: 60_000,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    launchOptions: { executablePath: "/usr/bin/chromium", args: chromiumArgs },
  },
  webServer: {
    command: `${COLLECTOR} --config collector.toml --port ${PORT} --database-url sqlite:${DB_DIR}/e2e.sqlite`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
