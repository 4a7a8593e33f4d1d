#!/usr/bin/env bash
# Logins per second, and the p99 of a plain page while a login flood runs, against its idle p99
# in the same run (the login path hashes with argon2id on a bounded pool, off the I/O thread).
# Builds nothing: expects $BUILD_DIR/baladiya. Env: BUILD_DIR (build/release), BENCH_DURATION
# (10s). Appends to build/bench-results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${BUILD_DIR:-build/release}"
duration="${BENCH_DURATION:-10s}"
server="$build_dir/baladiya"
source scripts/bench-lib.sh
bench_setup bench-login wrk curl

bench_serve "$tmp/b.db"
bench_register
curl -s -c "$tmp/anon" "$base/login" -o "$tmp/login.html"
csrf="$(bench_token "$tmp/login.html")"
export LOGIN_BODY="csrf=$csrf&login=401234562&password=olive-harvest-season&next=%2Faccount"
export LOGIN_COOKIE="csrf=$csrf"

wrk -t1 -c8 -d"$duration" --latency "$base/m/hebron" >"$tmp/idle.txt"
wrk -t1 -c16 -d"$duration" -s bench/login.lua "$base/login" >"$tmp/flood.txt" &
flood=$!
sleep 1
wrk -t1 -c8 -d"$duration" --latency "$base/m/hebron" >"$tmp/busy.txt"
wait "$flood"
non2xx="$(awk '/Non-2xx/ {print $5}' "$tmp/flood.txt")"
{
  echo
  echo "### Login flood ($(date -u +%Y-%m-%d), wrk -c16 POST /login; wrk -c8 GET /m/hebron)"
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| logins/s (valid, argon2id m=19 MiB t=2, hash-threads ${BALADIYA_HASH_THREADS:-auto}) | $(rps "$tmp/flood.txt") |"
  echo "| /m/hebron p99, idle | $(p99 "$tmp/idle.txt") |"
  echo "| /m/hebron p99, during the login flood | $(p99 "$tmp/busy.txt") |"
  echo "| /m/hebron req/s idle / during flood | $(rps "$tmp/idle.txt") / $(rps "$tmp/busy.txt") |"
} | tee -a build/bench-results.md
[[ -z "$non2xx" ]] || echo "note: $non2xx login responses were not 2xx (logins answer 303 by design)"
