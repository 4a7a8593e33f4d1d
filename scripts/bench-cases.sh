#!/usr/bin/env bash
# E-services over HTTP, in one run: reports filed through the JSON API per second (validation,
# tracking number, sealed insert, event, audit entry, notifications; one transaction each),
# against /healthz in the same run; then, with the cases that filled the database, the p99 of
# a department head's queue page and of the queue API. The store-level figures and the ratio to
# raw inserts come from cases_bench (make bench runs both).
# Builds nothing: expects $BUILD_DIR/baladiya. Env: BUILD_DIR (build/release), BENCH_DURATION
# (10s, each measurement), BENCH_FILL_SECONDS (60: filing phase). Appends to build/bench-results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${BUILD_DIR:-build/release}"
duration="${BENCH_DURATION:-10s}"
fill="${BENCH_FILL_SECONDS:-60}"
server="$build_dir/baladiya"
source scripts/bench-lib.sh
bench_setup bench-cases wrk curl sqlite3 sha256sum

db="$tmp/b.db"
# No SMTP server or SMS gateway, so only in-app messages are queued (the development drop
# folder would measure the file system's inode allocation instead). The reports are filed for
# the resident registered here.
bench_serve "$db"
bench_register
# The resident files with their session and its anti-forgery token (from their account page);
# the engineering head reads the queue (a session row made here, as a signed-in head with
# two-step verification would have).
export SUBMIT_SID="$(awk '$6 == "sid" {print $7}' "$tmp/jar")"
curl -s -b "$tmp/jar" "$base/account" -o "$tmp/account.html"
export SUBMIT_CSRF="$(bench_token "$tmp/account.html")"
[[ -n "$SUBMIT_SID" && -n "$SUBMIT_CSRF" ]] || { echo "bench-cases: no resident session" >&2; exit 1; }
head_token="$("$server" token add --username hebron.head --database "$db" --key-file "$tmp/keys" |
  tail -1)"
sid="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
now_ms=$(($(date +%s) * 1000))
sqlite3 "$db" "INSERT INTO sessions (id_hash, account_id, staff, mfa_satisfied, csrf_token, \
  created_at, last_seen_at) SELECT '$(printf '%s' "$sid" | sha256sum | cut -d' ' -f1)', id, 1, 1, \
  'bench', $now_ms, $now_ms FROM accounts WHERE username = 'hebron.head'"

count() { sqlite3 "$db" "SELECT count(*) FROM cases"; }
wrk -t1 -c8 -d"$duration" --latency "$base/healthz" >"$tmp/healthz.txt"
# The database's counters from /metrics: write transactions and the commits that carried them.
metric() { metric_get /metrics | awk -v m="baladiya_db_$1_total" '$1 == m {print $2}'; }
tx0="$(metric transactions)"
commits0="$(metric commits)"
wrk -t1 -c8 -d"$duration" --latency -s bench/submit.lua \
  "$base/api/v1/municipalities/hebron/services/street-light-report/applications" >"$tmp/submit.txt"
non2xx="$(awk '/Non-2xx/ {print $5}' "$tmp/submit.txt")"
[[ -z "$non2xx" ]] || { echo "bench-cases: $non2xx submissions failed" >&2; exit 1; }
per_commit="$(awk -v t="$(($(metric transactions) - tx0))" -v c="$(($(metric commits) - commits0))" \
  'BEGIN {printf "%.2f", (c > 0 ? t / c : 0)}')"
wrk -t1 -c8 -d"${fill}s" -s bench/submit.lua \
  "$base/api/v1/municipalities/hebron/services/street-light-report/applications" >/dev/null
cases="$(count)"
# Let the notification worker deliver the backlog first, so it does not share the measurement.
for _ in $(seq 600); do
  [[ "$(sqlite3 "$db" "SELECT count(*) FROM notify_outbox WHERE state IN ('queued', 'sending')")" == 0 ]] && break
  sleep 0.5
done
wrk -t1 -c8 -d"$duration" --latency -H "Cookie: sid=$sid" "$base/m/hebron/queue" >"$tmp/queue.txt"
wrk -t1 -c8 -d"$duration" --latency -H "Authorization: Bearer $head_token" \
  "$base/api/v1/municipalities/hebron/cases" >"$tmp/queue-api.txt"
for f in queue queue-api; do
  bad="$(awk '/Non-2xx/ {print $5}' "$tmp/$f.txt")"
  [[ -z "$bad" ]] || { echo "bench-cases: $bad $f responses were not 200" >&2; exit 1; }
done
{
  echo
  echo "### E-services over HTTP ($(date -u +%Y-%m-%d), wrk -c8, SQLite)"
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| /healthz req/s | $(rps "$tmp/healthz.txt") |"
  echo "| reports filed through the API per second | $(rps "$tmp/submit.txt") (p99 $(p99 "$tmp/submit.txt")) |"
  echo "| write transactions per commit while filing (group commit) | $per_commit |"
  echo "| cases stored for the queue figures | $cases |"
  echo "| department queue page (/m/hebron/queue) p99 | $(p99 "$tmp/queue.txt") ($(rps "$tmp/queue.txt") req/s) |"
  echo "| queue API p99 | $(p99 "$tmp/queue-api.txt") ($(rps "$tmp/queue-api.txt") req/s) |"
} | tee -a build/bench-results.md
