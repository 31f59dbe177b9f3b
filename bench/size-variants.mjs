#!/usr/bin/env node
// Measures what each size step is worth: builds the wasm package with one setting of the
// shipped `[profile.wasm]` changed at a time (through CARGO_PROFILE_WASM_* overrides, in a
// separate target dir so the real build is untouched), runs wasm-bindgen and (unless the
// variant says otherwise) wasm-opt as scripts/build does (scripts/wasm-opt.mjs) (with the prebuilt std: scripts/build
// also rebuilds std for size when rust-src is installed, so its package is smaller), and records raw, gzip
// and brotli sizes. Also builds the SIMD variant (+simd128) whose package the browser
// benchmark ranks with, to see whether SIMD measurably helps.
//
//   node bench/size-variants.mjs [--out bench/results/size-variants.json] [--keep DIR] [--only a,b]
//
// --keep DIR  keep the packages (DIR/<variant>/web/...), e.g. for the SIMD speed comparison
// --src DIR   build the crate found in DIR (default: this working tree), e.g. a `git archive` of HEAD
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, existsSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { sizesOf } from "../scripts/sizes.mjs";
import { optimize } from "../scripts/wasm-opt.mjs";
import { withoutCustomSections } from "../scripts/wasm-read.mjs";
import { ROOT, args, opt } from "./cli.mjs";

const OUT = resolve(opt("--out") || join(ROOT, "bench/results/size-variants.json"));
const KEEP = opt("--keep") ? resolve(opt("--keep")) : null;
const ONLY = opt("--only")?.split(",");
const SRC = resolve(opt("--src") || ROOT);
const TARGET = "wasm32-unknown-unknown";
const TARGET_DIR = process.env.BENCH_VARIANTS_TARGET_DIR || join(tmpdir(), "inkling-size-variants");
// scripts/build's LLVM settings for opt-level "z": its inline threshold and no loop strength
// reduction. Only with "z": for other levels the threshold would replace their own, so the
// opt-level rows build without them.
const SHIPPED_LLVM = "-C llvm-args=-inline-threshold=8 -C llvm-args=-disable-lsr";
const SHIPPED_RUSTFLAGS = SHIPPED_LLVM;
const DEBIAN = existsSync(join(ROOT, ".wasm-toolchain")) && readFileSync(join(ROOT, ".wasm-toolchain"), "utf8").trim() === "debian";

// One change from the shipped profile per row; the last row turns every step off at once.
const VARIANTS = [
  { name: "shipped", note: 'opt-level "z" with LLVM inline threshold 8 and no loop strength reduction, lto = true, codegen-units = 1, panic = "abort", wasm-opt -O2 with little inlining, functions laid out for gzip', env: {} },
  { name: "no wasm-opt", note: "the shipped cargo build, without wasm-opt", env: {}, wasmOpt: false },
  { name: "LLVM's function order", note: "the shipped cargo build and wasm-opt, without scripts/order-functions.mjs", env: {}, order: false },
  { name: "LLVM's settings for z", note: 'opt-level "z" as LLVM sets it: inline threshold 5, not 8, and loop strength reduction', env: {}, llvm: false },
  { name: "wasm-opt -Oz", note: "the shipped cargo build, wasm-opt -Oz instead", env: {}, wasmOpt: ["-Oz"] },
  { name: "wasm-opt -O1", note: "the shipped cargo build, wasm-opt -O1 instead", env: {}, wasmOpt: ["-O1"] },
  { name: "+simd128", note: "-C target-feature=+simd128", env: {}, rustflags: "-C target-feature=+simd128" },
  { name: 'opt-level "s"', env: { CARGO_PROFILE_WASM_OPT_LEVEL: "s" } },
  { name: "opt-level 3", env: { CARGO_PROFILE_WASM_OPT_LEVEL: "3" } },
  { name: "lto = false", env: { CARGO_PROFILE_WASM_LTO: "false" } },
  { name: 'lto = "thin"', env: { CARGO_PROFILE_WASM_LTO: "thin" } },
  { name: "codegen-units = 16", env: { CARGO_PROFILE_WASM_CODEGEN_UNITS: "16" } },
  { name: 'panic = "unwind"', env: { CARGO_PROFILE_WASM_PANIC: "unwind" } },
  {
    name: "no size steps",
    note: "opt-level 3, no LTO, codegen-units 16, no wasm-opt",
    env: { CARGO_PROFILE_WASM_OPT_LEVEL: "3", CARGO_PROFILE_WASM_LTO: "false", CARGO_PROFILE_WASM_CODEGEN_UNITS: "16" },
    wasmOpt: false,
  },
];

const slug = (s) => s.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "").toLowerCase();
const log = (...a) => console.error("size-variants:", ...a);

function build(v) {
  const llvm = v.llvm !== false && !v.env.CARGO_PROFILE_WASM_OPT_LEVEL ? SHIPPED_LLVM : "";
  const rustflags = [llvm, v.rustflags].filter(Boolean).join(" ");
  // Builds with the shipped flags share a target directory (cargo rebuilds on a profile change).
  const targetDir = join(TARGET_DIR, rustflags === SHIPPED_RUSTFLAGS ? "common" : slug(v.name));
  const env = { ...process.env, ...v.env, CARGO_TARGET_DIR: targetDir };
  env.CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS = rustflags;
  const cargo = ["build", "--lib", "--profile", "wasm", "--target", TARGET, "--quiet"];
  if (DEBIAN) {
    env.PATH = `/usr/bin:${env.PATH}`;
    env.RUSTC_BOOTSTRAP = "1";
    cargo.push("-Zbuild-std=std,panic_abort");
  }
  execFileSync("cargo", cargo, { cwd: SRC, env, stdio: ["ignore", "inherit", "inherit"] });
  const wasm = join(env.CARGO_TARGET_DIR, TARGET, "wasm", "inkling.wasm");
  const dir = join(TARGET_DIR, "pkg", slug(v.name), "web");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", dir, "--out-name", "inkling", wasm], { stdio: "inherit" });
  execFileSync("node", [join(ROOT, "scripts/glue-strings.mjs"), join(dir, "inkling.js")], { stdio: "inherit" }); // as scripts/build
  const bg = join(dir, "inkling_bg.wasm");
  if (v.wasmOpt !== false) optimize(bg, { flags: v.wasmOpt, order: v.order !== false });
  else {
    // Without wasm-opt nothing strips the name, producers and DWARF (".debug*") sections;
    // strip them here too, so the row measures code and data only, and keep the named file
    // for bench/wasm-top.mjs.
    copyFileSync(bg, join(dir, "inkling_bg.named.wasm"));
    const unread = (name) => name === "name" || name === "producers" || name.startsWith(".debug");
    writeFileSync(bg, withoutCustomSections(readFileSync(bg), unread));
  }
  return dir;
}

const variants = [];
const save = () => {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({ date: new Date().toISOString(), commit: gitHead(), variants }, null, 2) + "\n");
};
for (const v of VARIANTS) {
  if (ONLY && !ONLY.includes(slug(v.name))) continue;
  log(`building ${v.name}`);
  const t0 = Date.now();
  try {
    const dir = build(v);
    const wasm = sizesOf(join(dir, "inkling_bg.wasm"));
    const glue = sizesOf(join(dir, "inkling.js"));
    const total = { raw: wasm.raw + glue.raw, gzip: wasm.gzip + glue.gzip, brotli: wasm.brotli + glue.brotli };
    variants.push({ name: v.name, note: v.note || Object.entries(v.env).map(([k, x]) => `${k}=${x}`).join(" "), wasm, glue, total, seconds: Math.round((Date.now() - t0) / 1000) });
    log(`${v.name}: wasm ${wasm.raw} B raw, ${wasm.gzip} B gzip; wasm + glue ${total.gzip} B gzip`);
    if (KEEP) {
      const keep = join(KEEP, slug(v.name), "web");
      mkdirSync(keep, { recursive: true });
      for (const f of ["inkling.js", "inkling_bg.wasm", "inkling_bg.named.wasm", "inkling.d.ts"]) if (existsSync(join(dir, f))) copyFileSync(join(dir, f), join(keep, f));
    }
  } catch (e) {
    log(`${v.name}: build failed (${e.message.split("\n")[0]})`);
    variants.push({ name: v.name, error: "build failed: " + e.message.split("\n")[0] });
  }
  save(); // after every variant, so a long run keeps what it measured
}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify({ date: new Date().toISOString(), commit: gitHead(), variants }, null, 2) + "\n");
log(`written ${OUT}`);

function gitHead() {
  // A `git archive` snapshot given as --src may carry its commit in .commit.
  if (existsSync(join(SRC, ".commit"))) return readFileSync(join(SRC, ".commit"), "utf8").trim();
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: SRC }).toString().trim();
  } catch {
    return null;
  }
}
