#!/usr/bin/env bash
# Payments posted per second through the biller API (a bank signing each request with Ed25519,
# RFC 9421 with a Content-Digest, over keep-alive connections on loopback), against raw inserts
# of the same rows in the same run (payments_bench). The invoices are loaded as municipal dues
# with `baladiya dues import`, the bank registered with `baladiya bank add`.
# Builds nothing: expects $BUILD_DIR/baladiya and $BUILD_DIR/src/payments/payments_bench (make
# bench builds them). Env: BUILD_DIR (build/release), BENCH_PAYMENTS (5000), BENCH_THREADS (8).
# Appends to build/bench-results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${BUILD_DIR:-build/release}"
server="$build_dir/baladiya"
bench="$build_dir/src/payments/payments_bench"
n="${BENCH_PAYMENTS:-5000}"
threads="${BENCH_THREADS:-8}"
source scripts/bench-lib.sh
bench_setup bench-payments sqlite3 python3
[[ -x "$bench" ]] || { echo "bench-payments: missing $bench" >&2; exit 1; }

db="$tmp/b.db"
"$server" seed --demo --database "$db" --key-file "$tmp/keys" >/dev/null
# n dues of 10.00 ILS for one national ID, and a bank with a key from a fixed seed.
python3 - "$n" >"$tmp/dues.csv" <<'PY'
import sys
print("municipality,bill_id,national_id,description_ar,description_en,amount,currency,due_date")
for i in range(int(sys.argv[1])):
    print(f"hebron,BENCH-{i},401234562,رسوم,Fees,10.00,ILS,2027-12-31")
PY
"$server" dues import "$tmp/dues.csv" --database "$db" --key-file "$tmp/keys" >/dev/null
seed_hex="$(printf '%064d' 7)"
public_b64="$(python3 - "$seed_hex" <<'PY'
import sys, ctypes, ctypes.util, base64
lib = ctypes.CDLL(ctypes.util.find_library("sodium"))
lib.sodium_init()
seed = bytes.fromhex(sys.argv[1])
pk = ctypes.create_string_buffer(32)
sk = ctypes.create_string_buffer(64)
lib.crypto_sign_seed_keypair(pk, sk, seed)
print(base64.b64encode(pk.raw).decode())
PY
)"
"$server" bank add --code bench --name "Bench bank" --public-key "$public_b64" \
  --database "$db" --key-file "$tmp/keys" >/dev/null
sqlite3 "$db" "SELECT reference FROM payment_invoices WHERE number LIKE 'INV-HEB-%' AND status = 'open' AND total_minor = 1000" >"$tmp/refs"
"$server" serve --database "$db" --key-file "$tmp/keys" --port 0 --log-level warn \
  >"$tmp/out" 2>"$tmp/err" &
pid=$!
port=""
for _ in $(seq 100); do
  port="$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/out" 2>/dev/null | head -1)" || port=""
  [[ -n "$port" ]] && break
  sleep 0.05
done
[[ -n "$port" ]] || { cat "$tmp/err" >&2; exit 1; }
out="$("$bench" "$port" "$seed_hex" "$tmp/refs" 1000 "$threads" "$tmp/raw.db")"
echo "$out"
mkdir -p build
{
  echo "## payments ($(date -u +%Y-%m-%d), $(nproc) cores, SQLite, $n payments, $threads connections)"
  echo "$out" | sed 's/^/- /'
  echo
} >>build/bench-results.md
