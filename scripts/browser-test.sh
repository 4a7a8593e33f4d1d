#!/usr/bin/env bash
# Browser tests against a running server: scripts/browser-test.sh http://127.0.0.1:PORT
# Uses Debian's chromium (CHROMIUM_PATH to override); never downloads a browser.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

base="${1:-${BASE_URL:-}}"
if [[ -z "$base" ]]; then
  echo "usage: $0 BASE_URL" >&2
  exit 2
fi
if [[ ! -d node_modules/playwright-core || ! -d node_modules/@axe-core/playwright ]]; then
  # package-lock.json pins the versions; only install when the modules are not there yet.
  npm install --no-audit --no-fund
fi
BASE_URL="$base" exec node tests/browser/run.mjs
