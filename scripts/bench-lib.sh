# Shared by the benchmark scripts (sourced, not run): the checks and the private folder every
# script starts with, a seeded server on a free port, a resident registered through the form as a
# person would, and readers of wrk's report.

# bench_setup NAME TOOL...: checks that $server exists and the tools are installed, makes the
# private folder $tmp, and stops the server and removes $tmp when the script ends.
bench_setup() {
  local name="$1"
  shift
  [[ -x "$server" ]] || { echo "$name: missing $server" >&2; exit 1; }
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$name: $tool is not installed" >&2; exit 1; }
  done
  tmp="$(mktemp -d)"
  pid=""
  trap bench_cleanup EXIT
}
bench_cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}

# wrk's p99 and requests per second, from a saved report.
p99() { awk '/ 99%/ {print $2}' "$1"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }

# bench_serve DB [extra serve flags...]: seeds DB with the demo data, serves it on a free port;
# /metrics answers the token in $metrics_token (metric_get PATH reads it).
metrics_token="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
metric_get() { curl -s -H "Authorization: Bearer $metrics_token" "$base$1"; }
bench_serve() {
  local db="$1"
  shift
  "$server" seed --demo --database "$db" --key-file "$tmp/keys" >/dev/null
  "$server" serve --database "$db" --key-file "$tmp/keys" --port 0 --log-level warn \
    --metrics-token "$metrics_token" "$@" \
    >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  local port=""
  for _ in $(seq 100); do
    port="$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/out" 2>/dev/null | head -1)" || port=""
    [[ -n "$port" ]] && break
    sleep 0.05
  done
  [[ -n "$port" ]] || { cat "$tmp/err" >&2; echo "bench: the server did not start" >&2; return 1; }
  base="http://127.0.0.1:$port"
}

# The anti-forgery token of a saved page.
bench_token() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | head -1; }

# bench_register: the resident 401234562 / 0599123456 / olive-harvest-season.
bench_register() {
  curl -s -c "$tmp/jar" -b "$tmp/jar" "$base/register" -o "$tmp/reg.html"
  curl -s -c "$tmp/jar" -b "$tmp/jar" -o /dev/null "$base/register" \
    --data-urlencode "csrf=$(bench_token "$tmp/reg.html")" --data-urlencode national_id=401234562 \
    --data-urlencode "full_name_ar=سلمى خليل" --data-urlencode phone=0599123456 \
    --data-urlencode password=olive-harvest-season
}
