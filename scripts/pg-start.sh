#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for tests.
#
# Usage: scripts/pg-start.sh [DIR]
#   DIR   folder for the cluster, its socket and its log (created; a new one under /tmp when
#         omitted). It must be reachable by the postgres user when the script runs as root.
#
# Listens on 127.0.0.1 only, on a free port, with trust authentication and fsync off, and
# creates database baladiya_test. Prints exactly one line on stdout, the URL
#   postgresql://postgres@127.0.0.1:PORT/baladiya_test
# and writes it to DIR/url. Everything else goes to stderr. Stop it with scripts/pg-stop.sh DIR.
set -euo pipefail

log() { echo "pg-start: $*" >&2; }
die() { log "$*"; exit 1; }

# The newest installed server (Debian: /usr/lib/postgresql/<major>/bin).
find_bindir() {
  local d best=""
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
    [[ -x $d/initdb && -x $d/pg_ctl && -x $d/createdb ]] && best=$d
  done
  [[ -n $best ]] || die "no PostgreSQL server under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
  echo "$best"
}

# True when nothing listens on 127.0.0.1:$1.
port_free() {
  if command -v ss >/dev/null 2>&1; then
    [[ -z $(ss -Hltn "sport = :$1" 2>/dev/null) ]]
  else
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

bindir=$(find_bindir)
dir=${1:-}
made_dir=""
if [[ -z $dir ]]; then
  dir=$(mktemp -d /tmp/baladiya-pg.XXXXXX)
  made_dir=1
else
  [[ -d $dir ]] || made_dir=1
  mkdir -p "$dir"
fi
dir=$(cd "$dir" && pwd)
[[ -e $dir/data ]] && die "$dir/data already exists; stop it first with scripts/pg-stop.sh $dir"

# On failure, leave nothing behind: no half-made cluster, no folder this script created.
ready=""
cleanup() {
  [[ -n $ready ]] && return
  rm -rf -- "$dir/data" "$dir/initdb.log" "$dir/server.log"
  [[ -n $made_dir ]] && rm -rf -- "$dir"
}
trap cleanup EXIT
log "cluster in $dir (server binaries from $bindir)"

# initdb and pg_ctl refuse to run as root: run them as postgres then.
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || die "user postgres does not exist (apt-get install postgresql)"
  # A root folder that others may not enter (a system root unpacked into a private folder, as
  # debootstrap into `mktemp -d` leaves it) stops postgres before it starts anything: give others
  # the search right every Debian system has on / (mode 0755).
  if [[ $(stat -c %a /) != 755 ]] && ! runuser -u postgres -- /bin/true 2>/dev/null; then
    log "/ has mode $(stat -c %a /), which user postgres cannot enter: setting it to 755 as on Debian"
    chmod 755 /
  fi
  chown postgres: "$dir"
  chmod 700 "$dir"
  runuser -u postgres -- test -w "$dir" ||
    die "$dir is not reachable by user postgres (choose a folder under /tmp)"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

# Try ports from a random base; retry when another process takes the port first.
base=$(( 20000 + RANDOM % 30000 ))
started=""
for (( i = 0; i < 40; i++ )); do
  port=$(( base + i ))
  port_free "$port" || continue
  if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >&2; then
    started=$port
    break
  fi
  log "could not start on port $port, trying another"
done
[[ -n $started ]] || { tail -20 "$dir/server.log" >&2 || true; die "could not start PostgreSQL"; }

if ! as_pg "$bindir/createdb" -h 127.0.0.1 -p "$started" -U postgres baladiya_test >&2; then
  as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
  die "createdb baladiya_test failed"
fi

ready=1
url="postgresql://postgres@127.0.0.1:$started/baladiya_test"
echo "$url" >"$dir/url"
log "ready; stop with: scripts/pg-stop.sh $dir"
echo "$url"
