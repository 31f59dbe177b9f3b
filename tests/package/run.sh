#!/usr/bin/env bash
# How our users meet the product: npm pack, install the tarball into a fresh project in a
# temp dir, compile a catalog in Node as a build step, build the app with Vite (the
# `inkling` and `inkling/personalize` entries) and with webpack (their `bundler` layouts),
# serve each build and load its pages (and the compiled catalog) in headless Chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT"
TARBALL="$WORK/$(npm pack --silent --pack-destination "$WORK" | tail -1)"
echo "package: packed $(basename "$TARBALL") ($(du -k "$TARBALL" | cut -f1) KB)"
tar -tzf "$TARBALL" | sed 's/^/package:   /'

APP="$WORK/app"
cp -r "$ROOT/tests/package/app" "$APP"
cd "$APP"
VITE_VERSION=$(node -p "require('$ROOT/package.json').devDependencies.vite")
TS_VERSION=$(node -p "require('$ROOT/package.json').devDependencies.typescript")
WEBPACK_VERSION=$(node -p "require('$ROOT/package.json').devDependencies.webpack")
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$TARBALL" "vite@$VITE_VERSION" "typescript@$TS_VERSION" "webpack@$WEBPACK_VERSION" >/dev/null

# The public types: no bare `any`, and a customer's strict TypeScript compiles against them.
for dts in node_modules/inkling/pkg/{,personalize/}{web,bundler}/inkling.d.ts; do
  if grep -nE '(:|<|\(|\|) *any\b' "$dts"; then echo "package: FAILED: bare any in $dts" >&2; exit 1; fi
done
npx --no-install tsc --noEmit --strict --target es2022 --module esnext --moduleResolution bundler --lib esnext,dom consumer.ts consumer-personalize.ts
echo "package: consumer.ts and consumer-personalize.ts type-check against the shipped .d.ts (tsc --strict)"
node build-catalog.mjs
npx --no-install vite build --logLevel warn
node "$ROOT/tests/package/check.mjs" "$APP/dist" index.html personalize.html
# The other layout, `inkling/bundler` (and `inkling/personalize/bundler`), in a bundler
# with WebAssembly ESM integration.
node webpack-build.mjs
node "$ROOT/tests/package/check.mjs" "$APP/dist-webpack" index.html personalize.html
