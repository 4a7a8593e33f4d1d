#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for FUZZ_SECONDS
# (default 30). Each target's corpus grows in build/fuzz/corpus/<target>/ and is kept from run to
# run, seeded from fuzz/corpus/<target>/; FUZZ_MERGE=1 folds the inputs that reach new code back
# into fuzz/corpus/ (to commit). Crashes are written to build/fuzz/crashes/<target>/ and fail the
# run. Usage: scripts/fuzz.sh [TARGET...]   (all targets when none is named)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${FUZZ_SECONDS:-30}"
build=build/fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBALADIYA_FUZZ=ON -DBALADIYA_TESTS=OFF -DBALADIYA_PCH=OFF >/dev/null
targets=(url_fuzz router_fuzz headers_fuzz catalog_json_fuzz credentials_fuzz multipart_fuzz
  open311_fuzz documents_code_fuzz camt053_fuzz dues_csv_fuzz signature_fuzz xroad_fuzz peer_fuzz)
[[ $# -gt 0 ]] && targets=("$@")
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  crashes="$build/crashes/$t"
  mkdir -p "$corpus" "$crashes" "fuzz/corpus/$t"
  echo "== $t (${seconds}s)"
  "$build/fuzz/$t" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$crashes/" \
    "$corpus" "fuzz/corpus/$t" 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==.*ERROR|SUMMARY)" || true
  if compgen -G "$crashes/*" >/dev/null; then
    echo "fuzz: $t found a crash: $(ls "$crashes")" >&2
    exit 1
  fi
  if [[ "${FUZZ_MERGE:-}" == 1 ]]; then
    "$build/fuzz/$t" -merge=1 "fuzz/corpus/$t" "$corpus" 2>&1 | grep -E "MERGE-OUTER: [0-9]+ new files" || true
  fi
done
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a crash"
