#!/usr/bin/env bash
# Participation over HTTP: the public page of a process holding 1,000 proposals (the demo's
# strategic plan, filled to 1,000 with its own author), p99 and requests per second at 32
# connections, against /healthz in the same run (the goal is a p99 under 5 ms); then web ballots
# per second in the demo's participatory budget, each by a different voter registered through the
# form (behind a trusted proxy, one address each, as registrations are limited per address) and
# verified, each ballot through the checks, the UNIQUE register and the audit entry, against the
# same rows written as raw inserts (one transaction each) in the same run.
# Builds nothing: expects $BUILD_DIR/baladiya. Env: BUILD_DIR (build/release), BENCH_DURATION
# (10s, each measurement), BENCH_VOTERS (300). Appends to build/bench-results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${BUILD_DIR:-build/release}"
duration="${BENCH_DURATION:-10s}"
server="$build_dir/baladiya"
source scripts/bench-lib.sh
bench_setup bench-participation wrk curl sqlite3

db="$tmp/b.db"
voters="${BENCH_VOTERS:-300}"
bench_serve "$db" --trust-proxy true
slug="$(sqlite3 "$db" "SELECT slug FROM participation_processes WHERE title_en LIKE 'Strategic%'")"
[[ -n "$slug" ]] || { echo "bench-participation: no demo strategic plan" >&2; exit 1; }
# The plan's proposals up to 1,000, written beside the running server (its pages read the
# database on every request).
sqlite3 "$db" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
  INSERT INTO participation_proposals (process_id, token, author_account_id, author_name, title,
                                       body, supports, created_at)
  SELECT p.id, 'bench' || i, a.author_account_id, a.author_name, 'اقتراح رقم ' || i,
         'نص الاقتراح ' || i, i % 60, p.created_at + i
  FROM n, participation_processes p,
       (SELECT author_account_id, author_name FROM participation_proposals LIMIT 1) a
  WHERE p.slug = '$slug'
    AND i > (SELECT count(*) FROM participation_proposals q WHERE q.process_id = p.id);"
proposals="$(sqlite3 "$db" "SELECT count(*) FROM participation_proposals q JOIN
  participation_processes p ON p.id = q.process_id WHERE p.slug = '$slug'")"
page="$base/m/hebron/participate/$slug"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$page")" == 200 ]] ||
  { echo "bench-participation: the process page did not answer 200" >&2; exit 1; }
wrk -t2 -c32 -d"$duration" --latency "$base/healthz" >"$tmp/healthz.txt"
wrk -t2 -c32 -d"$duration" --latency "$page" >"$tmp/page.txt"
bad="$(awk '/Non-2xx/ {print $5}' "$tmp/page.txt")"
[[ -z "$bad" ]] || { echo "bench-participation: $bad responses were not 2xx" >&2; exit 1; }
# Voters: registered through the form, verified as the counter would, each with the session and
# form token of the vote page.
budget="$(sqlite3 "$db" "SELECT slug FROM participation_processes WHERE title_en LIKE 'Participatory%'")"
vote="$(sqlite3 "$db" "SELECT v.slug FROM participation_votes v JOIN participation_processes p
  ON p.id = v.process_id WHERE p.slug = '$budget'")"
vote_path="/m/hebron/participate/$budget/votes/$vote"
national_id() {  # a valid national ID from an 8-digit body (check digit as identity computes it)
  local body sum=0 i d
  body="$(printf '%08d' "$1")"
  for i in 0 1 2 3 4 5 6 7; do
    d="${body:i:1}"
    ((i % 2)) && d=$((d * 2))
    sum=$((sum + d / 10 + d % 10))
  done
  echo "$body$(((10 - sum % 10) % 10))"
}
: >"$tmp/voters"
for i in $(seq "$voters"); do
  jar="$tmp/v$i"
  ip="10.$((i / 250)).$((i % 250)).1"
  curl -s -c "$jar" -b "$jar" -H "X-Forwarded-For: $ip" "$base/register" -o "$tmp/reg.html"
  curl -s -c "$jar" -b "$jar" -H "X-Forwarded-For: $ip" -o /dev/null "$base/register" \
    --data-urlencode "csrf=$(bench_token "$tmp/reg.html")" \
    --data-urlencode "national_id=$(national_id $((70000000 + i)))" \
    --data-urlencode "full_name_ar=ناخب $i" --data-urlencode "phone=0599$((800000 + i))" \
    --data-urlencode "password=olive-harvest-season-$i"
done
sqlite3 "$db" "INSERT INTO identity_verified (account_id, verified_at, how) SELECT id, 1, 'counter'
  FROM accounts WHERE kind = 'resident' ON CONFLICT DO NOTHING"
for i in $(seq "$voters"); do
  jar="$tmp/v$i"
  curl -s -c "$jar" -b "$jar" "$base$vote_path" -o "$tmp/vote.html"
  sid="$(awk '$6 == "sid" {print $7}' "$jar")"
  token="$(bench_token "$tmp/vote.html")"
  [[ -n "$sid" && -n "$token" ]] && echo "sid=$sid $token" >>"$tmp/voters"
done
registered="$(wc -l <"$tmp/voters")"
[[ "$registered" -gt 0 ]] || { echo "bench-participation: no voter could sign in" >&2; exit 1; }
# wrk runs for its whole duration even once the script stops sending: the rate is taken from the
# ballots' own times (the first to the last stored).
VOTERS="$tmp/voters" wrk -t1 -c8 -d10s -s bench/participation_vote.lua "$base$vote_path" \
  >"$tmp/votes.txt"
read -r ballots span_ms < <(sqlite3 -separator ' ' "$db" "SELECT count(*), max(b.cast_at) -
  min(b.cast_at) FROM participation_ballots b JOIN participation_votes v ON v.id = b.vote_id
  WHERE v.slug = '$vote'")
per_second="$(awk -v n="$ballots" -v ms="$span_ms" 'BEGIN {printf "%.0f", (n - 1) * 1000 / (ms ? ms : 1)}')"
# The same rows as raw inserts, one transaction each, into a copy of the vote's register.
sqlite3 "$db" "CREATE TABLE bench_ballots AS SELECT * FROM participation_ballots WHERE 0"
{
  for i in $(seq "$ballots"); do
    echo "INSERT INTO bench_ballots (vote_id, account_id, channel, recorded_by, cast_at) VALUES (1, $i, 'web', 'bench', $i);"
  done
} >"$tmp/raw.sql"
start="$(date +%s%N)"
sqlite3 "$db" <"$tmp/raw.sql"
raw_ms=$((($(date +%s%N) - start) / 1000000))
raw_per_second="$(awk -v n="$ballots" -v ms="$raw_ms" 'BEGIN {printf "%.0f", n * 1000 / (ms ? ms : 1)}')"
{
  echo
  echo "### Participation over HTTP ($(date -u +%Y-%m-%d), wrk -c32, SQLite)"
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| /healthz req/s | $(rps "$tmp/healthz.txt") (p99 $(p99 "$tmp/healthz.txt")) |"
  echo "| process page with $proposals proposals p99 (goal under 5 ms) | $(p99 "$tmp/page.txt") ($(rps "$tmp/page.txt") req/s) |"
  echo "| web ballots stored per second ($ballots voters, wrk -c8) | $per_second |"
  echo "| the same rows as raw inserts (sqlite3, one transaction each) | $raw_per_second/s |"
} | tee -a build/bench-results.md
