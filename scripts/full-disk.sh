#!/usr/bin/env bash
# Full disk: the database, the key file and the server's log on a small file system (a tmpfs of a
# few MiB) that fills up while reports are filed. Writes must get a clear 503 (the JSON error of
# the API they came through), reads must go on, nothing may be lost or corrupted, and filing must
# resume by itself, without a restart, once space returns.
#
# Usage: scripts/full-disk.sh   (as root where mounting is allowed: it mounts a tmpfs; otherwise
# it says so and exits 0)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build/release}"
server="$BUILD/baladiya"
[[ -x "$server" ]] || { echo "full-disk: missing $server (make build)" >&2; exit 1; }
if [[ "$(id -u)" != 0 ]]; then
  echo "full-disk: skipped (mounting a small file system needs root)"
  exit 0
fi

tmp="$(mktemp -d)"
small="$tmp/small"
pid=""
cleanup() {
  [[ -n "$pid" ]] && { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true
  umount "$small" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "full-disk: $*" >&2; [[ -f "$small/err" ]] && tail -5 "$small/err" >&2; exit 1; }

# Seeded elsewhere, then moved onto a file system with about 2 MiB to spare.
"$server" seed --demo --database "$tmp/t.db" --key-file "$tmp/keys" >/dev/null
key="$("$server" open311-key add --municipality hebron --label full-disk --database "$tmp/t.db" \
  --key-file "$tmp/keys" | tail -1)"
size_kib=$(( $(du -k "$tmp/t.db" | cut -f1) + 2048 ))
mkdir -p "$small"
if ! mount -t tmpfs -o "size=${size_kib}k,mode=0700" tmpfs "$small" 2>/dev/null; then
  echo "full-disk: skipped (this machine does not let root mount a tmpfs, e.g. a container)"
  exit 0
fi
cp "$tmp/t.db" "$tmp/keys" "$small/"
# A ballast file, removed later to give space back.
head -c 1048576 /dev/zero >"$small/ballast"
flags=(--database "$small/t.db" --key-file "$small/keys")

"$server" serve "${flags[@]}" --port 0 --log-level info >"$tmp/out" 2>"$small/err" &
pid=$!
for _ in $(seq 200); do
  # (the background job may not have opened its output file yet: no sed failure under set -e)
  port="$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/out" 2>/dev/null | head -1)" ||
    port=""
  [[ -n "$port" ]] && break
  sleep 0.05
done
[[ -n "${port:-}" ]] || fail "the server did not start"
base="http://127.0.0.1:$port"

file_report() {  # prints "CODE ID"
  local body
  body="$(curl -s -w '\n%{http_code}' --max-time 20 "$base/open311/v2/requests.json" \
    --data "api_key=$key&jurisdiction_id=hebron&service_code=street-light-report" \
    --data "lat=31.5326&long=35.0998&attribute%5Bproblem%5D=not_working" \
    --data-urlencode "description=$(head -c 600 /dev/urandom | base64 -w0)")"
  printf '%s %s\n' "${body##*$'\n'}" \
    "$(sed -n 's/.*"service_request_id" *: *"\([^"]*\)".*/\1/p' <<<"$body" | head -1)"
}

# The answer to one more report, for an error message.
file_report_body() {
  curl -s --max-time 20 "$base/open311/v2/requests.json" \
    --data "api_key=$key&jurisdiction_id=hebron&service_code=street-light-report" \
    --data "lat=31.5326&long=35.0998&attribute%5Bproblem%5D=not_working" \
    --data-urlencode "description=one more"
}

acked=()
full=""
for i in $(seq 5000); do
  read -r code id < <(file_report)
  if [[ "$code" == 2* ]]; then
    acked+=("$id")
  elif [[ "$code" == 503 ]]; then
    full="$i"
    break
  else
    fail "filing answered $code before the disk was full (report $i): $(file_report_body)"
  fi
done
[[ -n "$full" ]] || fail "the disk never filled"
echo "full-disk: the file system filled after ${#acked[@]} reports; filing now answers 503"
# Still full: writes keep answering 503 with the API's error, and the server keeps serving reads.
body="$(curl -s -D "$tmp/h" "$base/open311/v2/requests.json" \
  --data "api_key=$key&jurisdiction_id=hebron&service_code=street-light-report" \
  --data "lat=31.5326&long=35.0998&attribute%5Bproblem%5D=not_working" \
  --data-urlencode "description=$(head -c 600 /dev/urandom | base64 -w0)")"
grep -q '^HTTP/1.1 503' "$tmp/h" || fail "a write on a full disk did not answer 503"
grep -qi '^retry-after:' "$tmp/h" || fail "the 503 carries no Retry-After"
grep -q '"code"' <<<"$body" || fail "the 503 is not Open311's JSON error: $body"
for target in /healthz /m/hebron "/open311/v2/requests/${acked[0]}.json?jurisdiction_id=hebron" \
    "/open311/v2/requests/${acked[-1]}.json?jurisdiction_id=hebron"; do
  got="$(curl -s -o /dev/null -w '%{http_code}' "$base$target")"
  [[ "$got" == 200 ]] || fail "reading $target on a full disk answered $got"
done
kill -0 "$pid" || fail "the server died on the full disk"

# Space returns: filing resumes by itself.
rm -f "$small/ballast"
resumed=""
for i in $(seq 50); do
  read -r code id < <(file_report)
  if [[ "$code" == 2* ]]; then
    acked+=("$id")
    resumed="$i"
    break
  fi
  sleep 0.2
done
[[ -n "$resumed" ]] || fail "filing did not resume after space returned"
echo "full-disk: filing resumed without a restart (attempt $resumed after the space returned)"

# Everything acknowledged is there, and the database and audit log are sound.
for id in "${acked[@]}"; do
  got="$(curl -s -o /dev/null -w '%{http_code}' "$base/open311/v2/requests/$id.json?jurisdiction_id=hebron")"
  [[ "$got" == 200 ]] || fail "report $id was acknowledged but is gone ($got)"
done
kill "$pid"
{ wait "$pid"; } 2>/dev/null || true
pid=""
"$server" backup "$tmp/check.db" "${flags[@]}" >/dev/null || fail "the database is not sound"
"$server" audit verify "${flags[@]}" | head -1
echo "full-disk: ${#acked[@]} acknowledged reports kept, integrity check and audit log sound"
