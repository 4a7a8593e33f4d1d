#!/usr/bin/env bash
# wrk against the real server and against a bare Beast "hello" server, in the same run, so each
# figure reads as a ratio (DESIGN.md "Tests and measurements"): absolute req/s on a shared 2-core
# machine say little, ratios to /healthz and to the hello baseline say how much work a page costs.
# Builds nothing: expects $BUILD_DIR/baladiya and $BUILD_DIR/bench/bench_hello_server.
# Env: BUILD_DIR (build/release), BENCH_DURATION (10s), BENCH_CONNECTIONS (32), BENCH_THREADS (1),
#      BENCH_PAGE (/m/hebron). Writes build/bench-results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build_dir="${BUILD_DIR:-build/release}"
duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-32}"
threads="${BENCH_THREADS:-1}"
page="${BENCH_PAGE:-/m/hebron}"
server="$build_dir/baladiya"
hello="$build_dir/bench/bench_hello_server"
out="build/bench-results.md"

for bin in "$server" "$hello"; do
  [[ -x "$bin" ]] || { echo "bench: missing $bin (build a release first)" >&2; exit 1; }
done
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done

tmp="$(mktemp -d)"
pids=()
cleanup() {
  # Stop only what this script started, politely first.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

# A port nothing listens on (connection refused), from the range Linux does not hand out itself.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "bench: no free port" >&2; return 1
}

now_ns() { date +%s%N; }

# wait_ready URL PID: polls every 5 ms until URL answers 200; fails if PID dies or after 20 s.
wait_ready() {
  local url="$1" pid="$2" deadline=$(($(now_ns) + 20000000000))
  while (($(now_ns) < deadline)); do
    kill -0 "$pid" 2>/dev/null || { echo "bench: server exited while starting" >&2; return 1; }
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" == 200 ]] && return 0
    sleep 0.005
  done
  echo "bench: $url not ready after 20 s" >&2; return 1
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# --- start both servers ---------------------------------------------------------------------
db="$tmp/b.db"
"$server" migrate --database "$db" >"$tmp/migrate.log" 2>&1 || { cat "$tmp/migrate.log" >&2; exit 1; }
"$server" seed --demo --database "$db" >"$tmp/seed.log" 2>&1 || { cat "$tmp/seed.log" >&2; exit 1; }

port="$(free_port)"
base="http://127.0.0.1:$port"
t0="$(now_ns)"
"$server" serve --database "$db" --port "$port" --log-level warn >"$tmp/serve.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
wait_ready "$base/readyz" "$server_pid" || { cat "$tmp/serve.log" >&2; exit 1; }
start_ms=$((($(now_ns) - t0) / 1000000))

hello_port="$(free_port)"
while [[ "$hello_port" == "$port" ]]; do hello_port="$(free_port)"; done
"$hello" "$hello_port" >"$tmp/hello.log" 2>&1 &
hello_pid=$!
pids+=("$hello_pid")
wait_ready "http://127.0.0.1:$hello_port/" "$hello_pid" || { cat "$tmp/hello.log" >&2; exit 1; }

for path in /healthz "$page"; do
  code="$(curl -s -o /dev/null -w '%{http_code}' "$base$path")"
  [[ "$code" == 200 ]] || { echo "bench: $path answered $code, want 200" >&2; exit 1; }
done

# Warm-up (caches, allocator, page cache), then let the servers go idle before reading RSS.
wrk -t1 -c8 -d1s "$base$page" >/dev/null
wrk -t1 -c8 -d1s "http://127.0.0.1:$hello_port/" >/dev/null
sleep 1
server_rss="$(rss_kib "$server_pid")"
hello_rss="$(rss_kib "$hello_pid")"

# --- measure --------------------------------------------------------------------------------
# run_wrk URL: prints "RPS P99_MS ERRORS" from wrk's --latency report.
run_wrk() {
  local log="$tmp/wrk.txt"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$1" >"$log"
  awk '
    function ms(v) {  # wrk prints 850.00us, 1.20ms or 1.05s
      if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000
      if (v ~ /s$/) return v * 1000; return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.3f %d\n", rps, p99, errors }
  ' "$log"
}

echo "bench: wrk -t$threads -c$connections -d$duration on each target..." >&2
names=("hello /" "/healthz" "$page")
urls=("http://127.0.0.1:$hello_port/" "$base/healthz" "$base$page")
rps=() p99=() errs=()
for i in "${!names[@]}"; do
  read -r rps[i] p99[i] errs[i] <<<"$(run_wrk "${urls[i]}")"
done
hello_rps="${rps[0]}" healthz_rps="${rps[1]}"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# --- report ---------------------------------------------------------------------------------
mkdir -p build
{
  echo "# Benchmark results"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, \`wrk -t$threads -c$connections -d$duration --latency\`" \
    "on loopback (wrk shares the CPU with the server)."
  echo
  echo "| target | req/s | p99 (ms) | vs /healthz | errors |"
  echo "|---|---:|---:|---:|---:|"
  for i in "${!names[@]}"; do
    echo "| \`${names[i]}\` | ${rps[i]} | ${p99[i]} | $(ratio "${rps[i]}" "$healthz_rps") | ${errs[i]} |"
  done
  echo
  echo "| figure | value |"
  echo "|---|---:|"
  echo "| /healthz vs hello (req/s) | $(ratio "$healthz_rps" "$hello_rps") |"
  echo "| start to ready (ms) | $start_ms |"
  echo "| idle RSS, baladiya (MiB) | $(awk -v k="$server_rss" 'BEGIN { printf "%.1f", k / 1024 }') |"
  echo "| idle RSS, hello (MiB) | $(awk -v k="$hello_rss" 'BEGIN { printf "%.1f", k / 1024 }') |"
} >"$out"

# The same figures as an aligned table on the terminal.
printf '%-16s %10s %10s %12s %7s\n' target req/s p99_ms vs_healthz errors
for i in "${!names[@]}"; do
  printf '%-16s %10s %10s %12s %7s\n' "${names[i]}" "${rps[i]}" "${p99[i]}" \
    "$(ratio "${rps[i]}" "$healthz_rps")" "${errs[i]}"
done
echo "/healthz vs hello: $(ratio "$healthz_rps" "$hello_rps")"
echo "start to ready: ${start_ms} ms; idle RSS: baladiya ${server_rss} KiB, hello ${hello_rss} KiB"
echo "written: $out"
