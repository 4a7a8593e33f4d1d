#!/usr/bin/env bash
# The KPI ledger: kpi_bench files BENCH_KPI_CASES cases through the case store (measuring the
# filing rate with and without the ledger folding beside it, a catch-up of the whole feed and a
# rebuild); then the server serves that database and wrk measures the performance page
# (/m/hebron/performance, which reads only the ledger) at 32 connections against /healthz.
# Builds nothing: expects $BUILD_DIR/baladiya and $BUILD_DIR/src/analytics/kpi_bench (configure
# with -DBALADIYA_BENCH=ON). Env: BUILD_DIR (build/release), BENCH_DURATION (10s),
# BENCH_KPI_CASES (200000). Appends to build/bench-results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${BUILD_DIR:-build/release}"
duration="${BENCH_DURATION:-10s}"
server="$build_dir/baladiya"
bench="$build_dir/src/analytics/kpi_bench"
source scripts/bench-lib.sh
bench_setup bench-kpi wrk curl
[[ -x "$bench" ]] || { echo "bench-kpi: missing $bench (BALADIYA_BENCH=ON)" >&2; exit 1; }

db="$tmp/kpi.db"
"$bench" "$db" >"$tmp/ledger.md"
# The server migrates what the bench did not need and serves the ledger as it stands.
"$server" serve --database "$db" --key-file "$tmp/keys" --port 0 --log-level warn \
  --metrics-token "$metrics_token" >"$tmp/out" 2>"$tmp/err" &
pid=$!
port=""
for _ in $(seq 100); do
  port="$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/out" 2>/dev/null | head -1)" || port=""
  [[ -n "$port" ]] && break
  sleep 0.05
done
[[ -n "$port" ]] || { cat "$tmp/err" >&2; exit 1; }
base="http://127.0.0.1:$port"
curl -sf -o /dev/null "$base/m/hebron/performance" || { echo "bench-kpi: no page" >&2; exit 1; }
wrk -t1 -c32 -d"$duration" --latency "$base/healthz" >"$tmp/healthz.txt"
wrk -t1 -c32 -d"$duration" --latency "$base/m/hebron/performance" >"$tmp/page.txt"
wrk -t1 -c32 -d"$duration" --latency "$base/m/hebron/performance/street-light-report" \
  >"$tmp/service.txt"
wrk -t1 -c32 -d"$duration" --latency "$base/performance" >"$tmp/compare.txt"
{
  echo
  echo "### KPI ledger ($(date -u +%Y-%m-%d), SQLite; pages with wrk -c32)"
  echo
  echo "| figure | value |"
  echo "|---|---|"
  cat "$tmp/ledger.md"
  echo "| /healthz req/s (p99) | $(rps "$tmp/healthz.txt") ($(p99 "$tmp/healthz.txt")) |"
  echo "| /m/hebron/performance p99 | $(p99 "$tmp/page.txt") ($(rps "$tmp/page.txt") req/s) |"
  echo "| /m/hebron/performance/street-light-report p99 | $(p99 "$tmp/service.txt") ($(rps "$tmp/service.txt") req/s) |"
  echo "| /performance (every municipality) p99 | $(p99 "$tmp/compare.txt") ($(rps "$tmp/compare.txt") req/s) |"
} | tee -a build/bench-results.md
