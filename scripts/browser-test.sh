#!/usr/bin/env bash
# The browser specs alone, against the build in $BUILD (default build/release):
#   scripts/browser-test.sh              every spec (tests/browser/specs/), a few at a time
#   scripts/browser-test.sh identity map only those
# Each spec gets its own freshly seeded server (tests/browser/run.mjs starts and stops it).
# Uses Debian's chromium (CHROMIUM_PATH to override); never downloads a browser.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
BUILD="${BUILD:-build/release}"
if [[ ! -d node_modules/playwright-core || ! -d node_modules/@axe-core/playwright ]]; then
  # package-lock.json pins the versions; only install when the modules are not there yet.
  npm ci --no-audit --no-fund --loglevel=error
fi
BALADIYA_BIN="${BALADIYA_BIN:-$BUILD/baladiya}" exec node tests/browser/run.mjs "$@"
