#!/usr/bin/env bash
# How our users meet the product: npm pack, install the tarball into a fresh Vite
# project in a temp dir, build it, serve the build and load it in headless Chromium.
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
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$TARBALL" "vite@$VITE_VERSION" >/dev/null
npx --no-install vite build --logLevel warn
node "$ROOT/tests/package/check.mjs" "$APP/dist"
