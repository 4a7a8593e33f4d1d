#!/usr/bin/env bash
# The whole suite, as `make test` runs it: build (warnings are errors under CI), CSS check,
# unit/store/HTTP tests with CTest on SQLite and on a throwaway PostgreSQL started here, and beside
# them the browser specs (tests/browser/run.mjs), each against its own server. Stops everything it
# started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
BUILD="${BUILD:-build/release}"
CMAKE_FLAGS="${CMAKE_FLAGS:-}"
werror=OFF
[[ "${CI:-}" == "true" ]] && werror=ON

work="$(mktemp -d /tmp/baladiya-test.XXXXXX)"
chmod 755 "$work"
ctest_pid=""
cleanup() {
  [[ -n "$ctest_pid" ]] && kill "$ctest_pid" 2>/dev/null
  [[ -d "$work/pg" ]] && scripts/pg-stop.sh "$work/pg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# Each step's heading says how far into the run it starts (seconds), so a slow step shows.
began=$SECONDS
step() { echo "== $* (at $((SECONDS - began)) s)"; }

step "build ($BUILD)"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBALADIYA_WERROR=$werror $CMAKE_FLAGS >/dev/null
cmake --build "$BUILD" -j "$(nproc)"

step "CSS uses logical properties only"
scripts/check-css.sh

step "PostgreSQL (throwaway, loopback)"
pg_url="$(scripts/pg-start.sh "$work/pg")"
export BALADIYA_TEST_POSTGRES_URL="$pg_url" BALADIYA_REQUIRE_POSTGRES=1

# CTest's verbose output goes to a file (it holds the access logs the personal-data check reads).
run_ctest() {
  ctest --test-dir "$BUILD" -V -j "$(nproc)" --timeout 300 >"$work/ctest.log" 2>&1
}
ctest_report() {
  if [[ $1 -ne 0 ]]; then
    grep -E "FAILED|Failure|Expected|Which is|actual|Error" "$work/ctest.log" | head -80
    tail -25 "$work/ctest.log"
    return 1
  fi
  sed -n '/tests passed/,$p' "$work/ctest.log"
}

if [[ -n "${SKIP_BROWSER:-}" ]]; then
  step "unit, store and HTTP tests"
  status=0
  run_ctest || status=$?
  ctest_report "$status"
else
  # CTest and the browser specs run side by side: the browser specs wait on round trips between
  # node, Chromium and the server, which leaves room for CTest on the same cores.
  step "unit, store and HTTP tests (CTest, in the background)"
  run_ctest &
  ctest_pid=$!
  step "browser tests (Chromium, axe-core)"
  # One spec per area (tests/browser/specs/), each against its own server (its own copy of a
  # freshly seeded database and key file, its own outbox, port 0), a few at a time; each server
  # must stop cleanly on SIGTERM. The seed's staff passwords stay in the runner's memory and reach the specs through
  # the environment. The servers' logs stay in $work/browser for the check below.
  browser_status=0
  BALADIYA_BIN="$BUILD/baladiya" BROWSER_WORK="$work/browser" node tests/browser/run.mjs ||
    browser_status=$?
  step "unit, store and HTTP tests (CTest)"
  status=0
  wait "$ctest_pid" || status=$?
  ctest_pid=""
  ctest_report "$status"
  if [[ $browser_status -ne 0 ]]; then
    echo "browser tests failed (see the not ok lines above)" >&2
    exit 1
  fi
fi

step "crash torture (3 rounds of SIGKILL under load) and the restore drill"
# make torture runs 1,000 rounds.
scripts/torture.sh 3
step "a full disk (the database, key file and log on a small file system)"
scripts/full-disk.sh

step "no personal data in the logs"
# The tests register residents with these national IDs and phones; none may reach a log line
# (access logs carry paths without query strings, audit entries only pseudonyms): CTest's output
# and the browser specs' server logs.
logs=("$work/ctest.log")
[[ -d "$work/browser" ]] && mapfile -t -O 1 logs < <(find "$work/browser" -name 'server.*' -type f)
if grep -nwE '401234562|000000018|0599123456|599123456|0599000001|123456782|0599765432|599765432' \
    "${logs[@]}" | head -5 | grep .; then
  echo "personal data found in the test logs (lines above)" >&2
  exit 1
fi
echo "none of the test residents' IDs or phones appear in $(cat "${logs[@]}" | wc -l) log lines"
step "done"
