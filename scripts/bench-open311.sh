#!/usr/bin/env bash
# Open311 over HTTP, in one run: reports filed through POST /open311/v2/requests.json per second
# (key check, validation, the case with its event and audit entry, the public record; one
# transaction each), against /healthz in the same run; then, with the reports that filled the
# database, the p99 of GET requests.json with the default filters (the last 90 days, the newest
# 1,000) in XML and JSON.
# Builds nothing: expects $BUILD_DIR/baladiya. Env: BUILD_DIR (build/release), BENCH_DURATION
# (10s, each measurement), BENCH_FILL_SECONDS (100: filing phase, ~100,000 reports at the
# target rate). Appends to build/bench-results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${BUILD_DIR:-build/release}"
duration="${BENCH_DURATION:-10s}"
fill="${BENCH_FILL_SECONDS:-100}"
server="$build_dir/baladiya"
source scripts/bench-lib.sh
bench_setup bench-open311 wrk curl sqlite3

db="$tmp/b.db"
bench_serve "$db"
export OPEN311_KEY="$("$server" open311-key add --municipality hebron --label bench \
  --database "$db" --key-file "$tmp/keys" | tail -1)"

failed() {
  local bad
  bad="$(awk '/Non-2xx/ {print $5}' "$1")"
  [[ -z "$bad" ]] || { echo "bench-open311: $bad $2 responses were not 2xx" >&2; exit 1; }
}
wrk -t1 -c8 -d"$duration" --latency "$base/healthz" >"$tmp/healthz.txt"
wrk -t1 -c8 -d"$duration" --latency -s bench/open311_submit.lua \
  "$base/open311/v2/requests.json" >"$tmp/submit.txt"
failed "$tmp/submit.txt" submission
wrk -t1 -c8 -d"${fill}s" -s bench/open311_submit.lua "$base/open311/v2/requests.json" \
  >"$tmp/fill.txt"
failed "$tmp/fill.txt" filling
reports="$(sqlite3 "$db" "SELECT count(*) FROM open311_requests")"
for f in json xml; do
  wrk -t1 -c8 -d"$duration" --latency "$base/open311/v2/requests.$f?jurisdiction_id=hebron" \
    >"$tmp/requests-$f.txt"
  failed "$tmp/requests-$f.txt" "GET requests.$f"
done
{
  echo
  echo "### Open311 over HTTP ($(date -u +%Y-%m-%d), wrk -c8, SQLite)"
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| /healthz req/s | $(rps "$tmp/healthz.txt") |"
  echo "| reports filed through Open311 per second | $(rps "$tmp/submit.txt") (p99 $(p99 "$tmp/submit.txt")) |"
  echo "| reports stored for the list figures | $reports |"
  echo "| GET requests.json, default filters (1,000 requests) p99 | $(p99 "$tmp/requests-json.txt") ($(rps "$tmp/requests-json.txt") req/s) |"
  echo "| GET requests.xml, default filters p99 | $(p99 "$tmp/requests-xml.txt") ($(rps "$tmp/requests-xml.txt") req/s) |"
} | tee -a build/bench-results.md
