#!/usr/bin/env bash
# Documents over HTTP, in one run: /api/v1/verify and the /verify page asked about a building
# permit's signed code (Base45, inflate, CBOR, the Ed25519 signature against the published keys,
# the document's record for revocation) at 32 connections, p99 and requests per second, against
# /healthz in the same run.
# Builds nothing: expects $BUILD_DIR/baladiya and $BUILD_DIR/src/documents/documents_bench (make
# bench builds both). Env: BUILD_DIR (build/release), BENCH_DURATION (10s). Appends to
# build/bench-results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${BUILD_DIR:-build/release}"
duration="${BENCH_DURATION:-10s}"
server="$build_dir/baladiya"
source scripts/bench-lib.sh
bench_setup bench-documents wrk curl
[[ -x "$build_dir/src/documents/documents_bench" ]] || {
  echo "bench-documents: missing $build_dir/src/documents/documents_bench" >&2
  exit 1
}

db="$tmp/b.db"
bench_serve "$db"
code="$("$build_dir/src/documents/documents_bench" code "$db" "$tmp/keys" hebron)"
query="$(/usr/bin/python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$code")"
answer="$(curl -s "$base/api/v1/verify?code=$query")"
[[ "$answer" == *'"status":"valid"'* ]] || { echo "bench-documents: $answer" >&2; exit 1; }

failed() {
  local bad
  bad="$(awk '/Non-2xx/ {print $5}' "$1")"
  [[ -z "$bad" ]] || { echo "bench-documents: $bad $2 responses were not 2xx" >&2; exit 1; }
}
wrk -t2 -c32 -d"$duration" --latency "$base/healthz" >"$tmp/healthz.txt"
wrk -t2 -c32 -d"$duration" --latency "$base/api/v1/verify?code=$query" >"$tmp/api.txt"
failed "$tmp/api.txt" "/api/v1/verify"
wrk -t2 -c32 -d"$duration" --latency "$base/verify?code=$query" >"$tmp/page.txt"
failed "$tmp/page.txt" "/verify"
{
  echo
  echo "### Documents: /verify ($(date -u +%Y-%m-%d), wrk -t2 -c32, SQLite)"
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| the code checked | ${#code} characters |"
  echo "| /healthz | $(rps "$tmp/healthz.txt") req/s, p99 $(p99 "$tmp/healthz.txt") |"
  echo "| /api/v1/verify (JSON) | $(rps "$tmp/api.txt") req/s, p99 $(p99 "$tmp/api.txt") |"
  echo "| /verify (the page) | $(rps "$tmp/page.txt") req/s, p99 $(p99 "$tmp/page.txt") |"
} | tee -a build/bench-results.md
