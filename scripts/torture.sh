#!/usr/bin/env bash
# Crash torture: the server is killed with SIGKILL at random moments while clients file Open311
# reports, residents file applications through the JSON API and a department head moves cases on;
# after each kill the server is started again and every request that had been answered 2xx must
# be there (a report, a case, the state a transition answered). Once, a back-up is taken under
# that load and restored in another folder: everything answered before the back-up began must be
# in it. At the end `audit verify` must pass on both databases.
#
# Usage: scripts/torture.sh [ROUNDS]   (default 5; `make torture` runs 1,000)
# Needs a build (BUILD, default build/release) and curl. Prints one line per round and a summary;
# exits 1 at the first lost write.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build/release}"
server="$BUILD/baladiya"
rounds="${1:-5}"
[[ -x "$server" ]] || { echo "torture: missing $server (make build)" >&2; exit 1; }
command -v curl >/dev/null || { echo "torture: curl is not installed" >&2; exit 1; }

tmp="$(mktemp -d)"
pid=""
cleanup() {
  [[ -n "$pid" ]] && { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

db="$tmp/t.db"
keys="$tmp/keys"
flags=(--database "$db" --key-file "$keys")
"$server" seed --demo "${flags[@]}" >/dev/null
open311_key="$("$server" open311-key add --municipality hebron --label torture "${flags[@]}" |
  tail -1)"
head_token="$("$server" token add --username hebron.head "${flags[@]}" | tail -1)"

# serve DB KEYS: starts the server on a free port; sets pid and base.
serve() {
  # The last server's address must not be read while the new one has not yet written its own.
  rm -f "$tmp/out"
  "$server" serve --database "$1" --key-file "$2" --port 0 --log-level warn \
    >"$tmp/out" 2>>"$tmp/err" &
  pid=$!
  local port=""
  # up to a minute each: a busy machine starts slowly after a crash (the WAL is recovered)
  for _ in $(seq 1200); do
    # The server's output file may not exist yet: the background job opens it, and on a busy
    # machine this loop can run first (a failing sed here must not end the script under set -e).
    port="$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/out" 2>/dev/null | head -1)" ||
      port=""
    [[ -n "$port" ]] && break
    sleep 0.05
  done
  [[ -n "$port" ]] || { cat "$tmp/err" >&2; echo "torture: the server did not start" >&2; exit 1; }
  base="http://127.0.0.1:$port"
  for _ in $(seq 1200); do
    curl -sf --max-time 5 "$base/readyz" >/dev/null && return 0
    sleep 0.05
  done
  tail -5 "$tmp/err" >&2
  curl -s -i --max-time 5 "$base/readyz" >&2 || echo "torture: $base/readyz does not answer" >&2
  kill -0 "$pid" 2>/dev/null || echo "torture: the server has exited" >&2
  cp -r "$tmp" "$tmp.kept" && echo "torture: its files are kept in $tmp.kept" >&2
  echo "torture: the server never became ready" >&2
  exit 1
}

token() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | head -1; }

serve "$db" "$keys"
# The resident registers once; their session lives in the database and survives restarts.
curl -s -c "$tmp/jar" -b "$tmp/jar" "$base/register" -o "$tmp/reg.html"
curl -s -c "$tmp/jar" -b "$tmp/jar" -o /dev/null "$base/register" \
  --data-urlencode "csrf=$(token "$tmp/reg.html")" --data-urlencode national_id=401234562 \
  --data-urlencode "full_name_ar=سلمى خليل" --data-urlencode phone=0599123456 \
  --data-urlencode password=olive-harvest-season
sid="$(awk '$6 == "sid" {print $7}' "$tmp/jar")"
curl -s -b "$tmp/jar" "$base/account" -o "$tmp/account.html"
csrf="$(token "$tmp/account.html")"
[[ -n "$sid" && -n "$csrf" ]] || { echo "torture: the resident could not sign in" >&2; exit 1; }

# Each client appends what the server acknowledged to its own file, one line per 2xx, written
# only after the whole answer arrived; a client stops when the server is gone.
report_client() {  # -> reports: service_request_id
  local n=0 body code
  while :; do
    n=$((n + 1))
    body="$(curl -s -w '\n%{http_code}' --max-time 10 "$base/open311/v2/requests.json" \
      --data "api_key=$open311_key&jurisdiction_id=hebron&service_code=street-light-report" \
      --data "lat=31.5326&long=35.0998&attribute%5Bproblem%5D=not_working" \
      --data "description=torture+$1+$n")" || return 0
    code="${body##*$'\n'}"
    [[ "$code" == 2* ]] || continue
    sed -n 's/.*"service_request_id" *: *"\([^"]*\)".*/\1/p' <<<"$body" | head -1 >>"$tmp/reports"
  done
}
case_client() {  # -> cases: tracking
  local body code
  while :; do
    body="$(curl -s -w '\n%{http_code}' --max-time 10 -H "Cookie: sid=$sid" \
      -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
      "$base/api/v1/municipalities/hebron/services/street-light-report/applications" \
      --data '{"answers":{"location":"31.5326,35.0998","problem":"not_working","description":"x"}}')" ||
      return 0
    code="${body##*$'\n'}"
    [[ "$code" == 2* ]] || continue
    sed -n 's/.*"tracking" *: *"\([^"]*\)".*/\1/p' <<<"$body" | head -1 >>"$tmp/cases"
  done
}
staff_client() {  # -> moves: "tracking state version" (what the transition answered)
  local tracking body code state version
  while :; do
    tracking="$(tail -1 "$tmp/cases" 2>/dev/null)" || true
    if [[ -z "$tracking" ]] || grep -q "^$tracking " "$tmp/moves" 2>/dev/null; then
      curl -s -o /dev/null --max-time 2 "$base/healthz" || return 0
      sleep 0.01
      continue
    fi
    body="$(curl -s -w '\n%{http_code}' --max-time 10 -H "Authorization: Bearer $head_token" \
      -H 'Content-Type: application/json' "$base/api/v1/cases/$tracking/transitions" \
      --data '{"action":"start_review","version":1}')" || return 0
    code="${body##*$'\n'}"
    if [[ "$code" != 2* ]]; then
      echo "$tracking refused $code" >>"$tmp/moves"
      continue
    fi
    state="$(sed -n 's/.*"state" *: *"\([^"]*\)".*/\1/p' <<<"$body" | head -1)"
    version="$(sed -n 's/.*"version" *: *\([0-9]*\).*/\1/p' <<<"$body" | head -1)"
    echo "$tracking $state $version" >>"$tmp/moves"
  done
}

# check FROM_REPORTS FROM_CASES FROM_MOVES: every acknowledged line from those line numbers on is
# served by the server at $base.
check() {
  local id tracking state version got lost=0
  while read -r id; do
    [[ -z "$id" ]] && continue
    got="$(curl -s -o /dev/null -w '%{http_code}' "$base/open311/v2/requests/$id.json?jurisdiction_id=hebron")"
    [[ "$got" == 200 ]] || { echo "LOST report $id ($got)"; lost=1; }
  done < <(tail -n "+$1" "$tmp/reports" 2>/dev/null)
  while read -r tracking; do
    [[ -z "$tracking" ]] && continue
    got="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: sid=$sid" "$base/api/v1/cases/$tracking")"
    [[ "$got" == 200 ]] || { echo "LOST case $tracking ($got)"; lost=1; }
  done < <(tail -n "+$2" "$tmp/cases" 2>/dev/null)
  while read -r tracking state version; do
    [[ "$state" == refused ]] && continue
    got="$(curl -s -H "Authorization: Bearer $head_token" "$base/api/v1/cases/$tracking" |
      sed -n 's/.*"version" *: *\([0-9]*\).*/\1/p' | head -1)"
    [[ -n "$got" && "$got" -ge "$version" ]] || { echo "LOST move $tracking to $state ($got)"; lost=1; }
  done < <(tail -n "+$3" "$tmp/moves" 2>/dev/null)
  return "$lost"
}
lines() { [[ -f "$1" ]] && wc -l <"$1" || echo 0; }

backup_round=$(( rounds > 1 ? 2 : 1 ))
started=$(date +%s)
for round in $(seq "$rounds"); do
  r0=$(($(lines "$tmp/reports") + 1)) c0=$(($(lines "$tmp/cases") + 1)) m0=$(($(lines "$tmp/moves") + 1))
  report_client "$round" &
  case_client &
  staff_client &
  # between 0.3 and 1.5 s of load, then the kill
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + (r % 1200) / 1000 }')"
  if [[ "$round" == "$backup_round" ]]; then
    before=("$(lines "$tmp/reports")" "$(lines "$tmp/cases")")
    "$server" backup "$tmp/backup.db" "${flags[@]}" >/dev/null
    sleep 0.2
  fi
  kill -9 "$pid"
  { wait "$pid"; } 2>/dev/null || true
  wait  # the clients stop when the server is gone
  serve "$db" "$keys"
  if ! check "$r0" "$c0" "$m0"; then
    echo "torture: round $round lost acknowledged writes" >&2
    exit 1
  fi
  printf 'round %d: %d reports, %d cases, %d moves acknowledged so far, none lost\n' "$round" \
    "$(lines "$tmp/reports")" "$(lines "$tmp/cases")" "$(lines "$tmp/moves")"
done
kill "$pid"
{ wait "$pid"; } 2>/dev/null || true
pid=""
"$server" audit verify "${flags[@]}"

# The restore drill: the back-up taken under load, brought back in another folder with the key
# file, holds everything acknowledged before it began, and its audit log verifies.
mkdir -p "$tmp/elsewhere"
cp "$keys" "$tmp/elsewhere/keys"
"$server" restore "$tmp/backup.db" --database "$tmp/elsewhere/t.db" --key-file "$tmp/elsewhere/keys"
"$server" audit verify --database "$tmp/elsewhere/t.db" --key-file "$tmp/elsewhere/keys"
serve "$tmp/elsewhere/t.db" "$tmp/elsewhere/keys"
head -n "${before[0]}" "$tmp/reports" >"$tmp/reports.before"
head -n "${before[1]}" "$tmp/cases" >"$tmp/cases.before"
mv "$tmp/reports.before" "$tmp/reports"
mv "$tmp/cases.before" "$tmp/cases"
: >"$tmp/moves"
if ! check 1 1 1; then
  echo "torture: the restored back-up lacks acknowledged writes" >&2
  exit 1
fi
echo "torture: $rounds rounds in $(($(date +%s) - started)) s, $(lines "$tmp/reports") reports and $(lines "$tmp/cases") cases from before the back-up restored, audit log intact on both"
