#!/usr/bin/env bash
# X-Road provider services over HTTP, in one run: GET /api/v1/xroad/hebron/clearance through the
# X-Road headers (client check, grant lookup, payments' Owes, the exchange in the message log and
# the audit log: one write transaction each) per second, against /healthz in the same run.
# Builds nothing: expects $BUILD_DIR/baladiya. Env: BUILD_DIR (build/release), BENCH_DURATION
# (10s, each measurement). Appends to build/bench-results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${BUILD_DIR:-build/release}"
duration="${BENCH_DURATION:-10s}"
server="$build_dir/baladiya"
source scripts/bench-lib.sh
bench_setup bench-interop wrk curl

db="$tmp/b.db"
bench_serve "$db"
# The demo grants PS/GOV/MOLG/e-services both services in every demo municipality.
headers=(-H "X-Road-Client: PS/GOV/MOLG/e-services" -H "X-Road-Id: bench" -H "X-Road-UserId: PS1")
status="$(curl -s -o /dev/null -w '%{http_code}' "${headers[@]}" \
  "$base/api/v1/xroad/hebron/clearance?nationalId=401234562")"
[[ "$status" == 200 ]] || { echo "bench-interop: the clearance service answered $status" >&2; exit 1; }
failed() {
  local bad
  bad="$(awk '/Non-2xx/ {print $5}' "$1")"
  [[ -z "$bad" ]] || { echo "bench-interop: $bad $2 responses were not 2xx" >&2; exit 1; }
}
wrk -t1 -c8 -d"$duration" --latency "$base/healthz" >"$tmp/healthz.txt"
wrk -t1 -c8 -d"$duration" --latency "${headers[@]}" \
  "$base/api/v1/xroad/hebron/clearance?nationalId=401234562" >"$tmp/clearance.txt"
failed "$tmp/clearance.txt" clearance
wrk -t1 -c8 -d"$duration" --latency -H "X-Road-Client: PS/GOV/MOF/unknown" \
  "$base/api/v1/xroad/hebron/clearance?nationalId=401234562" >"$tmp/denied.txt"
{
  echo
  echo "### X-Road provider services ($(date -u +%Y-%m-%d), wrk -c8, SQLite)"
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| /healthz req/s | $(rps "$tmp/healthz.txt") (p99 $(p99 "$tmp/healthz.txt")) |"
  echo "| clearance status through the X-Road headers, logged, req/s | $(rps "$tmp/clearance.txt") (p99 $(p99 "$tmp/clearance.txt")) |"
  echo "| refused (client without access), logged, req/s | $(rps "$tmp/denied.txt") (p99 $(p99 "$tmp/denied.txt")) |"
} | tee -a build/bench-results.md
