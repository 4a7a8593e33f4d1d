#!/usr/bin/env bash
# The whole suite, as `make test` runs it: build (warnings are errors under CI), CSS check,
# unit/store/HTTP tests with CTest on SQLite and on a throwaway PostgreSQL started here, then the
# browser tests against the real server. Stops everything it started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
BUILD="${BUILD:-build/release}"
CMAKE_FLAGS="${CMAKE_FLAGS:-}"
werror=OFF
[[ "${CI:-}" == "true" ]] && werror=ON

work="$(mktemp -d /tmp/baladiya-test.XXXXXX)"
chmod 755 "$work"
server_pid=""
tiles_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  # The tile server ends by SIGTERM (status 143), which must not become the script's status.
  [[ -n "$tiles_pid" ]] && { kill "$tiles_pid" 2>/dev/null; wait "$tiles_pid" 2>/dev/null || true; }
  [[ -d "$work/pg" ]] && scripts/pg-stop.sh "$work/pg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build ($BUILD)"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBALADIYA_WERROR=$werror $CMAKE_FLAGS >/dev/null
cmake --build "$BUILD" -j "$(nproc)"

echo "== CSS uses logical properties only"
scripts/check-css.sh

echo "== PostgreSQL (throwaway, loopback)"
pg_url="$(scripts/pg-start.sh "$work/pg")"
export BALADIYA_TEST_POSTGRES_URL="$pg_url" BALADIYA_REQUIRE_POSTGRES=1

echo "== unit, store and HTTP tests"
# Verbose output goes to a file (it holds the access logs the personal-data check reads).
if ! ctest --test-dir "$BUILD" -V -j "$(nproc)" --timeout 300 >"$work/ctest.log" 2>&1; then
  grep -E "FAILED|Failure|Expected|Which is|actual|Error" "$work/ctest.log" | head -80
  tail -25 "$work/ctest.log"
  exit 1
fi
sed -n '/tests passed/,$p' "$work/ctest.log"

echo "== no personal data in the logs"
# The tests register residents with these national IDs and phones; none may reach a log line
# (access logs carry paths without query strings, audit entries only pseudonyms).
if grep -nwE '401234562|000000018|0599123456|599123456|0599000001' "$work/ctest.log" \
    | head -5 | grep .; then
  echo "personal data found in the test logs (lines above)" >&2
  exit 1
fi
echo "none of the test residents' IDs or phones appear in $(wc -l <"$work/ctest.log") log lines"

if [[ -n "${SKIP_BROWSER:-}" ]]; then
  exit 0
fi

echo "== browser tests (Chromium, axe-core)"
# The seed prints each demo staff password once; keep that output in a private file and hand the
# two the browser tests sign in with to them alone, through the environment (never printed).
(umask 077 && "$BUILD/baladiya" seed --demo --database "$work/browser.db" >"$work/seed.out")
staff_password() { awk -v u="$1" '$1 == u && $3 == "password" { print $4 }' "$work/seed.out"; }
admin_password="$(staff_password hebron.admin)"
auditor_password="$(staff_password hebron.auditor)"
counter_password="$(staff_password hebron.counter)"
clerk_password="$(staff_password hebron.clerk)"
head_password="$(staff_password hebron.head)"
[[ -n "$admin_password" && -n "$auditor_password" && -n "$counter_password" ]] ||
  { echo "the seed printed no password for hebron.admin, hebron.auditor or hebron.counter" >&2; exit 1; }
# first_match FILE SED_SCRIPT: waits up to 5 s for the first line of FILE that SED_SCRIPT prints,
# and prints it (nothing when none came).
first_match() {
  local found=""
  for _ in $(seq 1 100); do
    found="$(sed -n "$2" "$1" | head -1)"
    [[ -n "$found" ]] && break
    sleep 0.05
  done
  echo "$found"
}
# A tile server on loopback (the same PNG for every tile), so that the map beside location
# fields is tested too (tests/browser/map.mjs).
/usr/bin/python3 tests/browser/tile_server.py >"$work/tiles.out" 2>"$work/tiles.err" &
tiles_pid=$!
tiles="$(first_match "$work/tiles.out" 's|^tiles on \(http://127.0.0.1:[0-9]*\)$|\1|p')"
[[ -n "$tiles" ]] || { cat "$work/tiles.err" >&2; echo "tile server did not start" >&2; exit 1; }
"$BUILD/baladiya" serve --database "$work/browser.db" --port 0 --log-level warn \
  --mail-drop "$work/outbox" --notify-seconds 1 \
  --map-tiles-url "$tiles/{z}/{x}/{y}.png" --map-attribution "Test tiles (one PNG)" \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
port="$(first_match "$work/server.out" 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p')"
[[ -n "$port" ]] || { cat "$work/server.err" >&2; echo "server did not start" >&2; exit 1; }
OUTBOX_DIR="$work/outbox" STAFF_ADMIN_PASSWORD="$admin_password" STAFF_AUDITOR_PASSWORD="$auditor_password" \
  STAFF_COUNTER_PASSWORD="$counter_password" STAFF_CLERK_PASSWORD="$clerk_password" \
  STAFF_HEAD_PASSWORD="$head_password" MAP_TILES_ORIGIN="$tiles" \
  scripts/browser-test.sh "http://127.0.0.1:$port"

echo "== graceful shutdown on SIGTERM"
kill -TERM "$server_pid"
if wait "$server_pid"; then
  echo "server stopped cleanly"
else
  echo "server exited non-zero on SIGTERM" >&2
  exit 1
fi
server_pid=""
